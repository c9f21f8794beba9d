"""The pre-electoral windows (Code électoral L52-1 al. 2, L52-4): the municipales of 2014, 2020 and 2026
(environnement-magazine.fr, Seban avocats, ballastconseil.eu), elections from January to June (the window opens the
previous year), the legislated override of 2021, by-elections, territories, and the bundled calendar."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.electoral import calendar
from chalicelib.domain.electoral.calendar import Election, Place, Round, Territory


def election(first: str, second: str | None = None, **kw: object) -> Election:
    rounds = [{"date": first}] + ([{"date": second}] if second else [])
    return Election.parse({"id": kw.pop("id", "e"), "kind": kw.pop("kind", "municipales"), "rounds": rounds, **kw})


WINDOWS = [
    # (case id citing the source, first round, expected L52-1 start)
    ("L52-1-municipales-2014-environnement-magazine", "2014-03-23", "2013-09-01"),
    ("L52-1-municipales-2020-Seban-AdCF", "2020-03-15", "2019-09-01"),
    ("L52-1-municipales-2026-ballastconseil", "2026-03-15", "2025-09-01"),
    ("L52-1-presidentielle-2027-CC-2017-loi-62-1292", "2027-04-11", "2026-10-01"),
    ("L52-1-janvier-previous-year", "2030-01-13", "2029-07-01"),
    ("L52-1-fevrier-previous-year", "2030-02-10", "2029-08-01"),
    ("L52-1-mai-previous-year-europeennes", "2029-05-27", "2028-11-01"),
    ("L52-1-juin-previous-year-legislatives", "2029-06-10", "2028-12-01"),
    ("L52-1-juillet-same-year", "2029-07-01", "2029-01-01"),
    ("L52-1-septembre-senatoriales", "2029-09-23", "2029-03-01"),
    ("L52-1-decembre", "2031-12-07", "2031-06-01"),
]


@pytest.mark.parametrize(("first", "start"), [(f, s) for _, f, s in WINDOWS], ids=[c for c, _, _ in WINDOWS])
def test_the_window_opens_on_the_first_day_of_the_sixth_month_before_the_first_round(first: str, start: str) -> None:
    e = election(first)
    assert calendar.l52_1_start(e) == date.fromisoformat(start)
    assert calendar.l52_4_start(e) == date.fromisoformat(start)  # L52-4 (loi n° 2016-508): the same first day


FINANCING = [
    # (case id citing the source, kind, first round, financing_months set for the election, L52-4 start)
    ("loi-62-1292-art3-presidentielle-2027", "presidentielle", "2027-04-11", None, "2026-04-01"),
    ("loi-62-1292-art3-presidentielle-march", "presidentielle", "2032-03-28", None, "2031-03-01"),
    ("LO-2021-335-art3-presidentielle-2022-nine-months-CNCCFP", "presidentielle", "2022-04-10", 9, "2021-07-01"),
    ("L52-4-loi-2016-508-legislatives", "legislatives", "2029-06-10", None, "2028-12-01"),
    ("L52-4-loi-2016-508-senatoriales", "senatoriales", "2029-09-23", None, "2029-03-01"),
    ("L52-4-loi-2016-508-europeennes", "europeennes", "2029-05-27", None, "2028-11-01"),
    ("L52-4-loi-2016-508-regionales", "regionales", "2028-03-12", None, "2027-09-01"),
    ("L52-4-loi-2016-508-departementales", "departementales", "2028-03-12", None, "2027-09-01"),
    ("L52-4-loi-2016-508-municipales", "municipales", "2032-03-14", None, "2031-09-01"),
]


@pytest.mark.parametrize(
    ("kind", "first", "months", "start"), [c[1:] for c in FINANCING], ids=[c[0] for c in FINANCING]
)
def test_l52_4_the_financing_period_is_six_months_but_a_year_for_the_presidential_election(
    kind: str, first: str, months: int | None, start: str
) -> None:
    e = election(first, kind=kind, **({"financing_months": months} if months else {}))
    assert calendar.l52_4_start(e) == date.fromisoformat(start)
    # L52-1 al. 2 stays six months whatever the financing period.
    assert calendar.l52_1_start(e) == calendar.add_months(date.fromisoformat(first).replace(day=1), -6)


def test_loi_62_1292_art3_the_bundled_presidential_election_finances_from_2026_04_01() -> None:
    presidential = next(e for e in calendar.reference()[1] if e.id == "presidentielle-2027")
    w = calendar.window(presidential, date(2026, 11, 21))
    assert (w.l52_4_start, w.l52_1_start) == (date(2026, 4, 1), date(2026, 10, 1))
    assert not w.contains(date(2026, 4, 1))  # the L52-1 al. 2 window is not the financing period
    assert calendar.financing_months("presidentielle") == 12 and calendar.financing_months("municipales") == 6


@pytest.mark.parametrize("months", [0, 25], ids=["zero", "over-two-years"])
def test_a_financing_period_out_of_bounds_is_refused(months: int) -> None:
    with pytest.raises(ValueError):
        election("2027-04-11", kind="presidentielle", financing_months=months)


def test_l52_1_override_2021_departementales_kept_september_2020() -> None:
    """Loi n° 2021-191: the March 2021 elections moved to June kept 1 September 2020 (APVF)."""
    moved = election("2021-06-20", "2021-06-27", kind="departementales", reference_month="2021-03")
    assert calendar.l52_1_start(moved) == date(2020, 9, 1)
    assert calendar.l52_1_start(election("2021-06-20", "2021-06-27", kind="departementales")) == date(2020, 12, 1)


def test_l52_1_al_1_the_window_ends_with_the_round_that_decides_the_election() -> None:
    two_rounds = election("2026-03-15", "2026-03-22")
    assert calendar.ends(two_rounds) == date(2026, 3, 22)  # unknown: the last round
    decided_first = election("2026-03-15", "2026-03-22", decided_round=1)
    assert calendar.ends(decided_first) == date(2026, 3, 15)


def test_rounds_known_by_month_or_range_and_the_earlier_month_counts() -> None:
    e = Election.parse(
        {
            "id": "p",
            "kind": "presidentielle",
            "rounds": [{"earliest": "2027-03-28", "latest": "2027-04-18"}, {"month": "2027-05"}],
        }
    )
    assert calendar.l52_1_start(e) == date(2026, 9, 1)  # never later than the law could require
    assert calendar.ends(e) == date(2027, 5, 31)
    assert [r.shown() for r in e.rounds] == ["2027-03-28/2027-04-18", "2027-05"]
    assert Round.parse({"date": "2027-04-11"}).exact


@pytest.mark.parametrize(
    "spec",
    [
        {"id": "x", "kind": "primaires", "rounds": [{"date": "2027-01-01"}]},
        {"id": "x", "kind": "municipales", "rounds": []},
        {"id": "x", "kind": "municipales", "rounds": [{"earliest": "2027-02-01", "latest": "2027-01-01"}]},
        {"id": "x", "kind": "municipales", "rounds": [{"date": "2027-01-01"}], "decided_round": 2},
        {"id": "x", "kind": "municipales", "rounds": [{"month": "2027-13"}]},
    ],
    ids=["unknown-kind", "no-round", "range-backwards", "decided-beyond-rounds", "bad-month"],
)
def test_incoherent_elections_are_refused(spec: dict) -> None:
    with pytest.raises(ValueError):
        Election.parse(spec)


ROUEN = Place(departement="76", region="28", commune_insee="76540")


def test_by_elections_open_no_window_legal_fr_6() -> None:
    partielle = election("2027-02-07", general=False, territory={"communes": ["76540"]})
    assert calendar.windows_for([partielle], ROUEN, date(2026, 11, 22)) == []


def test_territory_limits_the_windows_to_the_collectivites_concerned() -> None:
    local = election("2027-06-06", territory={"departements": ["27"]}, id="partout-dans-l-eure")
    assert calendar.windows_for([local], ROUEN, date(2026, 11, 22)) == []
    assert [w.election_id for w in calendar.windows_for([local], Place("27"), date(2026, 11, 22))] == [
        "partout-dans-l-eure"
    ]
    assert Territory(national=False, communes=frozenset({"76540"})).concerns(ROUEN)
    assert not Territory(national=False).concerns(Place())


def test_active_upcoming_within_24_months_and_ended() -> None:
    past = election("2026-03-15", "2026-03-22", id="past")
    active = election("2027-04-11", "2027-04-25", id="active", kind="presidentielle")
    soon = election("2028-03-12", "2028-03-19", id="soon", kind="regionales")
    far = election("2032-03-14", id="far")
    found = calendar.windows_for([far, soon, past, active], ROUEN, date(2026, 11, 22))
    assert [(w.election_id, w.active) for w in found] == [("active", True), ("soon", False)]
    # The horizon is 24 months to the day: a window opening on 22 Nov 2028 is in, on 1 Dec 2028 is not.
    edge = election("2029-05-27", id="edge", kind="europeennes")  # opens 2028-11-01
    assert [w.election_id for w in calendar.windows_for([edge], ROUEN, date(2026, 11, 1))] == ["edge"]
    assert calendar.windows_for([edge], ROUEN, date(2026, 10, 31)) == []
    assert calendar.windows_for([active], ROUEN, date(2027, 4, 26)) == []  # ended with the second round


def test_the_last_day_of_the_window_is_still_inside() -> None:
    w = calendar.window(election("2027-04-11", "2027-04-25", kind="presidentielle"), date(2027, 4, 25))
    assert w.active and w.contains(date(2027, 4, 25)) and not w.contains(date(2027, 4, 26))
    assert w.contains(date(2026, 10, 1)) and not w.contains(date(2026, 9, 30))


def test_the_bundled_calendar_parses_has_sources_and_the_presidential_window_is_open_on_2026_11_21() -> None:
    version, elections = calendar.reference()
    assert version and elections
    assert all(e.sources for e in elections)
    found = {w.election_id: w for w in calendar.windows_for(elections, ROUEN, date(2026, 11, 21))}
    presidential = found["presidentielle-2027"]
    assert presidential.active and presidential.l52_1_start == date(2026, 10, 1)
    assert not presidential.confirmed  # no convocation decree yet: correctable data
    assert found["departementales-2028"].l52_1_start == date(2027, 9, 1)  # the next to open
    assert calendar.l52_1_start(next(e for e in elections if e.id == "municipales-2026")) == date(2025, 9, 1)
    assert calendar.reference_specs().keys() == {e.id for e in elections}


def test_window_json_matches_the_api_shape() -> None:
    w = calendar.window(election("2027-04-11", kind="presidentielle", id="p"), date(2026, 11, 22))
    assert w.as_json() == {
        "election_id": "p",
        "kind": "presidentielle",
        "label": "élection présidentielle",
        "first_round": "2027-04-11",
        "confirmed": False,
        "l52_1_start": "2026-10-01",
        "l52_4_start": "2026-04-01",  # a year for the presidential election (loi n° 62-1292 art. 3)
        "ends": "2027-04-11",
        "active": True,
    }


# --- sénatoriales: L. 306 and L. 308-1 make L52-1 apply; the séries of L.O. 276 (tableau n° 5) --------------------

SENATORIAL = [
    # (case id citing the source, département or collectivité, concerned by the 2029 renewal of série 1)
    ("L306-serie1-2029-indre-et-loire-press-2023", "37", True),
    ("L306-serie1-2029-pyrenees-orientales-press-2023", "66", True),
    ("L306-serie1-2029-paris-press-2023", "75", True),
    ("L306-serie1-2029-seine-et-marne-tableau-5", "77", True),
    ("L306-serie1-2029-val-d-oise-press-2023", "95", True),
    ("L306-serie1-2029-guadeloupe-lelegis-2023", "971", True),
    ("L306-serie1-2029-la-reunion-lelegis-2023", "974", True),
    ("L306-serie1-2029-mayotte-senat-rapport-357", "976", True),
    ("L306-serie2-2029-ain-press-2023", "01", False),
    ("L306-serie2-2029-corse-du-sud-press-2023", "2A", False),
    ("L306-serie2-2029-indre-senat-2014", "36", False),
    ("L306-serie2-2029-bas-rhin-senat-2014", "67", False),
    ("L306-serie2-2029-seine-maritime-press-2023", "76", False),
    ("L306-serie2-2029-territoire-de-belfort-senat-2014", "90", False),
    ("L306-serie2-2029-guyane-senat-2014", "973", False),
]


def bundled(election_id: str) -> Election:
    return next(e for e in calendar.reference()[1] if e.id == election_id)


@pytest.mark.parametrize(("code", "concerned"), [(c, k) for _, c, k in SENATORIAL], ids=[i for i, _, _ in SENATORIAL])
def test_l306_the_2029_senatoriales_open_a_window_from_2029_03_01_in_serie_1_only(code: str, concerned: bool) -> None:
    found = {w.election_id: w for w in calendar.windows_for(calendar.reference()[1], Place(code), date(2029, 3, 1))}
    if concerned:
        w = found["senatoriales-2029"]
        assert (w.l52_1_start, w.l52_4_start, w.active) == (date(2029, 3, 1), date(2029, 3, 1), True)
        assert w.ends == date(2029, 9, 30) and not w.confirmed  # September 2029, no decree yet: month only
    else:
        assert "senatoriales-2029" not in found
    assert not calendar.window(bundled("senatoriales-2029"), date(2029, 2, 28)).active


def test_l306_serie2_2026_was_the_other_half() -> None:
    """Série 2 was renewed in September 2026 (historical): Rouen's window, not Tours'."""
    senatoriales = bundled("senatoriales-2026")
    assert calendar.l52_1_start(senatoriales) == date(2026, 3, 1)
    assert senatoriales.territory.senate_series == 2
    on = date(2026, 3, 1)
    assert "senatoriales-2026" in {w.election_id for w in calendar.windows_for([senatoriales], ROUEN, on)}
    assert calendar.windows_for([senatoriales], Place("37"), on) == []


def test_lo276_tableau_5_every_departement_and_collectivite_is_in_exactly_one_serie() -> None:
    from chalicelib.domain.protocol.geography import DEPARTEMENTS

    series = calendar.senate_series()
    one, two = series[1].departements, series[2].departements
    assert set(series) == {1, 2} and not one & two
    collectivites = {"975", "977", "978", "986", "987", "988"}  # SPM, Saint-Barthélemy, Saint-Martin, WF, PF, NC
    assert one | two == set(DEPARTEMENTS) | collectivites
    # Tableau n° 5 (2011): série 1 = 97 départements 37–66 + IdF (Seine-et-Marne and « Essonne à Yvelines ») + 4
    # overseas départements; série 2 = 58 metropolitan départements (Sénat 2014) + Guyane.
    metropolitan = {c for c in DEPARTEMENTS if not c.startswith("97")}
    assert len(two & metropolitan) == 58 and len(one & metropolitan) == 30 + 8


def test_lo276_renewal_by_half_every_three_years_and_each_senatoriale_names_its_serie() -> None:
    series = calendar.senate_series()
    assert series[1].renewals == (2011, 2017, 2023, 2029) and series[2].renewals == (2014, 2020, 2026, 2032)
    for e in calendar.reference()[1]:
        if e.kind == "senatoriales":
            number = e.territory.senate_series
            assert number is not None and e.rounds[0].earliest.year in series[number].renewals, e.id
            assert not e.territory.national and e.territory.departements == series[number].departements


def test_lo276_what_the_sources_leave_unconfirmed_is_correctable_data() -> None:
    """The press (TF1 Info, Public Sénat, 2023) gives the metropolitan ranges ✅, the overseas split ❓: confirmed
    false, with a note of what was not checked (the consolidated tableau n° 5)."""
    for number, series in calendar.senate_series().items():
        for group in series.groups:
            overseas = all(c.startswith(("97", "98")) for c in group.departements)
            assert group.confirmed is not overseas, (number, group.label)
            assert group.sources and (group.confirmed or "tableau n° 5" in (group.note or ""))
        assert series.group_of("988" if number == 1 else "987") is not None


def test_a_commune_alone_gives_its_departement_or_collectivite() -> None:
    assert Place.of({"commune_insee": "37261"}).departement == "37"
    assert Place.of({"commune_insee": "2A004"}).departement == "2A"
    assert Place.of({"commune_insee": "97411"}).departement == "974"
    assert Place.of({"commune_insee": "98818"}).departement == "988"  # Nouméa: série 1
    assert Place.of({"commune_insee": "98735"}).departement == "987"  # Papeete: série 2
    assert Place.of({"departement": "76", "commune_insee": "37261"}).departement == "76"  # as set wins
    assert Place.of({}).departement is None
    senatoriales = bundled("senatoriales-2029")
    assert senatoriales.territory.concerns(Place.of({"commune_insee": "98818"}))
    assert not senatoriales.territory.concerns(Place.of({"commune_insee": "98735"}))


def test_an_unknown_senate_serie_is_refused() -> None:
    with pytest.raises(ValueError):
        election("2029-09-23", kind="senatoriales", territory={"senate_series": 3})
