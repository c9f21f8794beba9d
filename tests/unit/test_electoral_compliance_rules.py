"""The four criteria of L52-1 al. 2 applied to a ceremony (antériorité, régularité, identité, neutralité, as the
juge de l'élection reads them): the maire's vœux of January 2027, inside the presidential window, with three
past years of vœux, and the edges (year wrap, thresholds, political tenants, outside any window); the rhythm that
régularité reads from the history (monthly, quarterly, half-yearly, yearly)."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median

import pytest

from chalicelib.domain.electoral import calendar
from chalicelib.domain.electoral.compliance import (
    RHYTHMS,
    Occurrence,
    Subject,
    Thresholds,
    _offset,
    assess,
    periodicity,
    tolerance_for,
)
from chalicelib.domain.electoral.neutrality import Candidate
from chalicelib.domain.typography import french_date

PRESIDENTIAL = calendar.window(
    calendar.Election.parse(
        {
            "id": "presidentielle-2027",
            "kind": "presidentielle",
            "rounds": [{"date": "2027-04-11"}, {"date": "2027-04-25"}],
        }
    ),
    date(2026, 11, 22),
)
# Three past years of vœux, all before the window (opened 2026-10-01): 300 invitations, 400 seats, 8,000 €.
HISTORY = [
    Occurrence("v2024", date(2024, 1, 12), 300, 400, 800_000),
    Occurrence("v2025", date(2025, 1, 10), 310, 400, 820_000),
    Occurrence("v2026", date(2026, 1, 9), 290, 400, 790_000),
]


def voeux(day: date = date(2027, 1, 8), **kw: object) -> Subject:
    fields: dict = {
        "event_id": "v2027",
        "day": day,
        "invitations": 300,
        "capacity": 400,
        "budget_cents": 800_000,
        "series": "Vœux du maire",
        "texts": {
            "title": "Cérémonie des vœux du maire",
            "description": "Le maire et le conseil municipal vous présentent leurs vœux pour 2027.",
            "invitation_text": None,
        },
    }
    fields.update(kw)
    return Subject(**fields)


def levels(subject: Subject, history=HISTORY, **kw) -> dict[str, str]:
    result = assess(subject, history, [PRESIDENTIAL], tenant_kind="institution", **kw)
    assert result.applies and [f.rule for f in result.findings] == [
        "anteriorite",
        "regularite",
        "identite",
        "neutralite",
    ]
    return {f.rule: f.level for f in result.findings}


def test_l52_1_on_time_as_usual_and_neutral_is_ok() -> None:
    result = assess(voeux(), HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    assert result.level == "ok" and {f.level for f in result.findings} == {"ok"}
    assert all("L52-1" in f.message for f in result.findings)
    assert result.windows == (PRESIDENTIAL,)


def test_l52_1_regularite_two_months_early_is_a_warning() -> None:
    found = levels(voeux(date(2026, 11, 9)))
    assert found["regularite"] == "warning" and found["anteriorite"] == "ok"
    result = assess(voeux(date(2026, 11, 9)), HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    finding = next(f for f in result.findings if f.rule == "regularite")
    assert "avancée" in finding.message and finding.evidence["shift_days"] < -21


def test_l52_1_regularite_late_is_a_warning_too_and_the_tolerance_is_a_setting() -> None:
    assert levels(voeux(date(2027, 2, 12)))["regularite"] == "warning"
    assert levels(voeux(date(2027, 2, 12)), thresholds=Thresholds(tolerance_days=40))["regularite"] == "ok"


def test_l52_1_identite_twice_the_budget_is_a_warning() -> None:
    found = levels(voeux(budget_cents=1_600_000))
    assert found["identite"] == "warning"
    result = assess(voeux(budget_cents=1_600_000), HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    finding = next(f for f in result.findings if f.rule == "identite")
    assert "budget" in finding.message and "amplifiée" in finding.message
    assert [c["metric"] for c in finding.evidence["compared"] if c["exceeded"]] == ["budget_cents"]


@pytest.mark.parametrize(
    ("metric", "value", "level"),
    [
        ("invitations", 390, "ok"),
        ("invitations", 391, "warning"),
        ("capacity", 600, "warning"),
        ("capacity", 520, "ok"),
    ],
)
def test_l52_1_identite_threshold_is_1_3_times_the_median(metric: str, value: int, level: str) -> None:
    assert levels(voeux(**{metric: value}))["identite"] == level


def test_l52_1_neutralite_balance_sheet_and_call_to_vote_is_blocking() -> None:
    subject = voeux(
        texts={
            "title": "Vœux du maire",
            "description": "Venez découvrir le bilan de notre mandat… et le 11 avril, votez !",
            "invitation_text": None,
        }
    )
    result = assess(subject, HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    assert result.level == "blocking"
    finding = next(f for f in result.findings if f.rule == "neutralite")
    categories = {m["category"] for m in finding.evidence["matches"]}
    assert {"bilan", "appel_au_vote"} <= categories
    assert "bilan de notre mandat" in finding.message


def test_l52_1_neutralite_declared_candidate_site_in_the_invitation_text_is_blocking() -> None:
    subject = voeux(texts={"title": "Vœux", "description": None, "invitation_text": "Programme sur dupont2027.fr"})
    found = levels(subject, candidates=[Candidate("Jean Dupont", ("dupont2027.fr",))])
    assert found["neutralite"] == "blocking"


def test_l52_1_anteriorite_a_new_series_inside_the_window_is_a_warning() -> None:
    result = assess(voeux(series="Fête de la réussite"), [], [PRESIDENTIAL], tenant_kind="institution")
    assert {f.rule: f.level for f in result.findings} == {
        "anteriorite": "warning",
        "regularite": "ok",
        "identite": "ok",
        "neutralite": "ok",
    }
    assert result.level == "warning"


def test_l52_1_anteriorite_occurrences_only_inside_the_window_do_not_count() -> None:
    inside_only = [Occurrence("x", date(2026, 10, 15))]
    assert levels(voeux(series="Forum"), history=inside_only)["anteriorite"] == "warning"


def test_l52_1_anteriorite_an_event_without_series_cannot_show_it_existed() -> None:
    assert levels(voeux(series=None), history=[])["anteriorite"] == "warning"


def test_regularite_across_the_new_year() -> None:
    history = [
        Occurrence("a", date(2023, 12, 30)),
        Occurrence("b", date(2025, 1, 3)),
        Occurrence("c", date(2026, 1, 5)),
    ]
    assert levels(voeux(date(2027, 1, 4)), history=history)["regularite"] == "ok"


def test_later_occurrences_and_the_event_itself_are_not_its_history() -> None:
    later = [
        *HISTORY,
        Occurrence("v2028", date(2028, 3, 1), 5000, 5000, 9000000),
        Occurrence("v2027", date(2027, 1, 8)),
    ]
    assert levels(voeux(), history=later)["identite"] == "ok"


def test_l52_1_al_2_binds_collectivites_only_political_tenants_see_the_windows_for_information() -> None:
    result = assess(voeux(texts={"title": "Votez Dupont !"}), HISTORY, [PRESIDENTIAL], tenant_kind="political")
    assert (result.applies, result.level, result.findings) == (False, "ok", ())
    assert result.windows == (PRESIDENTIAL,) and "L52-1" in (result.note or "")


def test_outside_every_window_nothing_applies() -> None:
    result = assess(voeux(date(2027, 6, 1)), HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    assert (result.applies, result.windows, result.findings) == (False, (), ())


def key(subject: Subject, rule: str) -> str:
    result = assess(subject, HISTORY, [PRESIDENTIAL], tenant_kind="institution")
    return next(f.key for f in result.findings if f.rule == rule)


def test_a_finding_key_is_the_same_finding_not_the_same_numbers() -> None:
    """The daily job notifies a key once: an event over budget whose guest list grows is not news every day."""
    over_budget = key(voeux(budget_cents=1_600_000), "identite")
    assert over_budget == key(voeux(budget_cents=2_000_000, invitations=320), "identite")
    assert over_budget != key(voeux(budget_cents=1_600_000, capacity=900), "identite")  # one more metric exceeded
    assert over_budget != key(voeux(), "identite")  # ok is another level
    assert over_budget.startswith("identite-")


def test_a_neutrality_key_changes_with_every_quoted_word() -> None:
    """An override covers the words it was given for, not the next ones (same pattern, new excerpt)."""

    def text(description: str) -> Subject:
        return voeux(texts={"title": "Vœux", "description": description, "invitation_text": None})

    first = key(text("Le 11 avril, votez !"), "neutralite")
    assert first == key(text("Le 11 avril, votez !"), "neutralite")
    assert first != key(text("Le 11 avril, votez pour la continuité !"), "neutralite")


# --- régularité: the rhythm read from the history (criterion 2: the same rhythm, the same frequency) ---------------


def regularity(day: date, history: list[Occurrence], **kw: object):
    result = assess(voeux(day, series="Série"), history, [PRESIDENTIAL], tenant_kind="institution", **kw)
    return next(f for f in result.findings if f.rule == "regularite")


def days(*isos: str) -> list[Occurrence]:
    return [Occurrence(f"o{i}", date.fromisoformat(d)) for i, d in enumerate(isos)]


MONTHLY = days("2026-06-05", "2026-07-05", "2026-08-05", "2026-09-05", "2026-10-05", "2026-11-05")
FIRST_TUESDAYS = days("2026-06-02", "2026-07-07", "2026-08-04", "2026-09-01", "2026-10-06", "2026-11-03")
QUARTERLY = days("2025-12-10", "2026-03-10", "2026-06-10", "2026-09-10")
HALF_YEARLY = days("2025-06-20", "2025-12-19", "2026-06-19")
YEARLY_WITH_A_GAP = days("2022-01-10", "2023-01-09", "2025-01-10", "2026-01-09")  # no vœux in 2024

RHYTHM_CASES = [
    # (case id citing the source, history, day, rhythm, level, expected date, shift)
    ("L52-1-regularite-monthly-on-time", MONTHLY, "2026-12-05", "monthly", "ok", "2026-12-05", 0),
    ("L52-1-regularite-monthly-extra-mid-month", MONTHLY, "2026-12-20", "monthly", "warning", "2026-12-05", 15),
    ("L52-1-regularite-monthly-early", MONTHLY, "2026-11-27", "monthly", "warning", "2026-12-05", -8),
    ("L52-1-regularite-monthly-first-tuesday", FIRST_TUESDAYS, "2026-12-01", "monthly", "ok", "2026-12-03", -2),
    ("L52-1-regularite-quarterly-on-time", QUARTERLY, "2026-12-10", "quarterly", "ok", "2026-12-10", 0),
    ("L52-1-regularite-quarterly-a-month-early", QUARTERLY, "2026-11-10", "quarterly", "warning", "2026-12-10", -30),
    ("L52-1-regularite-half-yearly-on-time", HALF_YEARLY, "2026-12-18", "half_yearly", "ok", "2026-12-19", -1),
    ("L52-1-regularite-half-yearly-late", HALF_YEARLY, "2027-01-20", "half_yearly", "warning", "2026-12-19", 32),
    ("L52-1-regularite-yearly-a-year-skipped", YEARLY_WITH_A_GAP, "2027-01-08", "yearly", "ok", "2027-01-10", -2),
    (
        "L52-1-regularite-yearly-two-months-early",
        YEARLY_WITH_A_GAP,
        "2026-11-09",
        "yearly",
        "warning",
        "2027-01-10",
        -62,
    ),
]


@pytest.mark.parametrize(
    ("history", "day", "rhythm", "level", "expected", "shift"),
    [c[1:] for c in RHYTHM_CASES],
    ids=[c[0] for c in RHYTHM_CASES],
)
def test_l52_1_regularite_compares_with_the_rhythm_of_the_history(
    history: list[Occurrence], day: str, rhythm: str, level: str, expected: str, shift: int
) -> None:
    finding = regularity(date.fromisoformat(day), history)
    assert (finding.level, finding.evidence["rhythm"], finding.evidence["rhythm_inferred"]) == (level, rhythm, True)
    assert (finding.evidence["expected_day"], finding.evidence["shift_days"]) == (expected, shift)
    adjective = {"monthly": "mensuel", "quarterly": "trimestriel", "half_yearly": "semestriel", "yearly": "annuel"}
    assert f"rythme {adjective[rhythm]} déduit de {len(history)} occurrences" in finding.message
    assert french_date(date.fromisoformat(expected)) in finding.message
    if level == "warning":
        assert ("avancée" if shift < 0 else "retardée") in finding.message


def test_l52_1_regularite_a_regular_quarterly_series_is_no_longer_read_as_yearly() -> None:
    """Compared with anniversaries (yearly), the quarterly meeting of 10 December was « avancée de 45 jours »."""
    as_yearly = median(_offset(date(2026, 12, 10), o.day, 12) for o in QUARTERLY)
    assert as_yearly == -45
    finding = regularity(date(2026, 12, 10), QUARTERLY)
    assert finding.level == "ok" and finding.evidence["tolerance_days"] == 7


def test_l52_1_regularite_too_few_occurrences_is_yearly_as_assumed_and_says_so() -> None:
    finding = regularity(date(2027, 1, 8), days("2026-01-09"))
    assert (finding.level, finding.evidence["rhythm"], finding.evidence["rhythm_inferred"]) == ("ok", "yearly", False)
    assert finding.evidence["median_interval_days"] is None
    assert "rythme annuel supposé : une seule occurrence précédente" in finding.message


def test_l52_1_regularite_an_interval_matching_no_rhythm_is_yearly_as_assumed_and_says_so() -> None:
    every_six_weeks = days("2026-06-01", "2026-07-13", "2026-08-24", "2026-10-05")
    finding = regularity(date(2026, 11, 16), every_six_weeks)
    assert (finding.evidence["rhythm"], finding.evidence["rhythm_inferred"]) == ("yearly", False)
    assert finding.evidence["median_interval_days"] == 42
    assert "intervalle médian de 42 jours" in finding.message and "ni mensuel" in finding.message


PERIODICITIES = [
    # (case id, intervals in days between successive occurrences, rhythm, inferred)
    ("L52-1-regularite-monthly-30", [30, 31, 30], "monthly", True),
    ("L52-1-regularite-monthly-weekday-28-35", [28, 35, 28, 35, 35], "monthly", True),
    ("L52-1-regularite-quarterly-91", [90, 92, 91], "quarterly", True),
    ("L52-1-regularite-half-yearly-182", [181, 184], "half_yearly", True),
    ("L52-1-regularite-yearly-365", [365, 364, 366], "yearly", True),
    ("L52-1-regularite-yearly-one-skipped", [365, 730, 364], "yearly", True),
    ("L52-1-regularite-none-45", [45, 44, 46], "yearly", False),
    ("L52-1-regularite-none-biennial", [730, 731], "yearly", False),
    ("L52-1-regularite-single", [], "yearly", False),
]


@pytest.mark.parametrize(
    ("intervals", "rhythm", "inferred"), [c[1:] for c in PERIODICITIES], ids=[c[0] for c in PERIODICITIES]
)
def test_l52_1_regularite_the_rhythm_is_the_median_interval_within_25_percent(
    intervals: list[int], rhythm: str, inferred: bool
) -> None:
    series = [date(2020, 1, 6)]
    for gap in intervals:
        series.append(series[-1] + timedelta(days=gap))
    found = periodicity([*series, series[-1]])  # a day recorded twice is one occurrence
    assert (found.rhythm.id, found.inferred, found.occurrences) == (rhythm, inferred, len(series))


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (21, {"monthly": 7, "quarterly": 7, "half_yearly": 10, "yearly": 21}),
        (3, {"monthly": 3, "yearly": 3}),
        (120, {"monthly": 10, "quarterly": 30, "half_yearly": 60, "yearly": 120}),
    ],
    ids=["L52-1-regularite-tolerance-default", "L52-1-regularite-tolerance-strict", "L52-1-regularite-tolerance-max"],
)
def test_l52_1_regularite_the_tolerance_follows_the_rhythm(setting: int, expected: dict[str, int]) -> None:
    by_id = {r.id: r for r in RHYTHMS}
    assert {rid: tolerance_for(by_id[rid], setting) for rid in expected} == expected
    monthly = regularity(date(2026, 12, 5), MONTHLY, thresholds=Thresholds(tolerance_days=setting))
    assert monthly.evidence["tolerance_days"] == expected["monthly"]


def test_l52_1_regularite_a_yearly_warning_keeps_its_key_a_monthly_one_names_its_rhythm() -> None:
    """The daily job notifies a key once: reading rhythms must not make every standing yearly warning news again."""
    yearly = regularity(date(2026, 11, 9), HISTORY)
    assert yearly.level == "warning" and yearly.basis == {"day": "2026-11-09", "way": "avancée"}
    monthly = regularity(date(2026, 12, 20), MONTHLY)
    assert monthly.basis == {"day": "2026-12-20", "way": "retardée", "rhythm": "monthly"}


# --- neutralité: levels, the election named, the key -----------------------------------------------------------


def neutralite_of(description: str, **kw: object):
    subject = voeux(texts={"title": "Vœux", "description": description, "invitation_text": None})
    result = assess(subject, HISTORY, [PRESIDENTIAL], tenant_kind="institution", **kw)
    return next(f for f in result.findings if f.rule == "neutralite")


def test_l52_1_neutralite_names_the_election_of_the_window() -> None:
    for description in ("Le bilan de notre mandat", "Les élections approchent", "Concert du Nouvel An"):
        finding = neutralite_of(description)
        assert "élection présidentielle (1er tour le 11 avril 2027)" in finding.message, description
        assert finding.evidence["elections"] == [
            {"election_id": "presidentielle-2027", "label": "élection présidentielle", "first_round": "2027-04-11"}
        ]


def test_l52_1_neutralite_a_polling_station_notice_is_ok_a_reference_to_the_election_a_warning() -> None:
    notice = "Les bureaux de vote seront ouverts de 8 h à 18 h pour les deux tours de l'élection présidentielle."
    assert neutralite_of(notice).level == "ok"
    warned = neutralite_of("Les élections approchent : venez nombreux au concert.")
    assert warned.level == "warning" and "à relire" in warned.message
    assert [m["level"] for m in warned.evidence["matches"]] == ["warning"]


@pytest.mark.parametrize(
    ("description", "level"),
    [
        ("Jean Dupont, maire, présidera la cérémonie.", "warning"),  # named in his functions
        ("En présence de Jean Dupont", "warning"),
        ("Avec Jean Dupont, Rouen avance !", "blocking"),  # a slogan
        ("Jean Dupont, un maire qui vous ressemble.", "blocking"),
        ("Le 11 avril, votez Jean Dupont.", "blocking"),
        ("Grâce à Jean Dupont, le collège verra le jour.", "blocking"),
        ("Programme sur dupont2027.fr", "blocking"),  # his campaign site
    ],
)
def test_l52_1_neutralite_a_candidate_named_alone_is_a_warning_promoted_is_blocking(
    description: str, level: str
) -> None:
    assert neutralite_of(description, candidates=[Candidate("Jean Dupont", ("dupont2027.fr",))]).level == level


def test_l52_1_neutralite_key_is_computed_on_the_quoted_words_as_before() -> None:
    """Overrides recorded before levels and elections were shown still cover the same words (the key's basis is the
    list of quoted matches, without their level nor the elections)."""
    import hashlib
    import json

    finding = neutralite_of("Venez découvrir le bilan de notre mandat")
    legacy_evidence = {
        "matches": [
            {
                "field": "description",
                "category": "bilan",
                "pattern": "bilan_mandat",
                "label": "bilan du mandat",
                "excerpt": "Venez découvrir le bilan de notre mandat",
            }
        ]
    }
    canonical = json.dumps(["neutralite", "blocking", legacy_evidence], sort_keys=True, ensure_ascii=False)
    assert finding.key == f"neutralite-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


NEWSLETTER_HISTORY = [
    Occurrence("n2024", date(2024, 1, 12), 3_000),
    Occurrence("n2025", date(2025, 1, 10), 3_100),
    Occurrence("n2026", date(2026, 1, 9), 2_900),
]


@pytest.mark.parametrize(
    ("subject", "history"),
    [
        # No series, then a series never sent before the window: antériorité.
        ({"series": None}, []),
        ({}, []),
        # Sent three weeks late to twice the usual audience: régularité and identité warnings.
        ({"day": date(2027, 2, 1), "invitations": 6_000}, NEWSLETTER_HISTORY),
        # On time, usual audience: the ok wordings.
        ({"invitations": 3_000}, NEWSLETTER_HISTORY),
    ],
)
def test_a_campaign_is_assessed_in_the_words_of_a_campaign(subject: dict, history: list[Occurrence]) -> None:
    """A newsletter is not a ceremony and has no invitation text: every finding speaks of the campaign, its
    recipients, its subject and its body."""
    fields: dict = {
        "kind": "campaign",
        "event_id": "c2027",
        "day": date(2027, 1, 8),
        "invitations": 3_000,
        "series": "Lettre d'information",
        "texts": {"title": "Lettre de janvier", "description": "Les horaires de la piscine changent."},
    } | subject
    result = assess(Subject(**fields), history, [PRESIDENTIAL], tenant_kind="institution")
    messages = " ".join(f.message for f in result.findings)
    for word in ("cérémonie", "invitation", "jauge", "événement"):
        assert word not in messages.lower(), (word, messages)
    assert "campagne" in messages
    assert "l'objet et le corps du message" in messages


def test_a_campaign_outside_any_window_is_told_so_as_a_campaign() -> None:
    fields: dict = {"kind": "campaign", "event_id": "c2026", "day": date(2026, 6, 1), "series": None}
    result = assess(Subject(**fields), [], [PRESIDENTIAL], tenant_kind="institution")
    assert result.note is not None and "Cette campagne" in result.note
