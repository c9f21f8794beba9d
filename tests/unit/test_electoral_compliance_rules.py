"""The four criteria of L52-1 al. 2 applied to a ceremony (legal-fr.md §4.2): the scenario of issue #5 with three
past years of vœux, and the edges (year wrap, thresholds, political tenants, outside any window)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.electoral import calendar
from chalicelib.domain.electoral.compliance import Occurrence, Subject, Thresholds, assess
from chalicelib.domain.electoral.neutrality import Candidate

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
