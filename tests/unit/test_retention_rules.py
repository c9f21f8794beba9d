"""domain/retention: the CNIL periods as defaults, field checks, and which rule anonymises a contact when."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain import retention as rules

TODAY = date(2027, 6, 15)
POLICY = rules.policy_of({"enabled": True})
BASE = rules.Facts(
    contact_id="c1",
    created=date(2024, 1, 10),
    last_activity=date(2024, 6, 14),
    consented=False,
    exchanged=False,
    last_message=None,
    open_task=False,
    future_invitation=False,
    legal_hold=False,
    erased=False,
)


def test_defaults_are_the_cnil_periods_and_stored_values_override_them() -> None:
    assert rules.policy_of(None) == {
        "enabled": False,
        "inactive_months": 36,
        "prospect_months": 2,
        "election_id": None,
        "after_election_months": 1,
    }
    assert rules.policy_of({"inactive_months": 24, "unknown": 1})["inactive_months"] == 24


@pytest.mark.parametrize(
    ("policy", "kind", "fields"),
    [
        ({"inactive_months": 0}, "institution", ["inactive_months"]),
        ({"inactive_months": 121}, "political", ["inactive_months"]),
        ({"prospect_months": 3}, "institution", ["prospect_months"]),  # a political rule
        ({"election_id": "municipales-2026"}, "institution", ["election_id"]),
        ({"after_election_months": 25}, "political", ["after_election_months"]),
        ({"prospect_months": None, "after_election_months": 0}, "political", []),
    ],
)
def test_policy_checks_name_each_field(policy: dict[str, object], kind: str, fields: list[str]) -> None:
    assert [e["field"] for e in rules.check(rules.policy_of(policy), kind)] == fields


@pytest.mark.parametrize(
    ("change", "kind", "rule"),
    [
        ({}, "institution", "inactive"),  # CNIL commercial reference: 3 years after the last contact
        ({"last_activity": date(2024, 6, 15)}, "institution", None),  # three years to the day: kept
        ({"open_task": True}, "institution", None),
        ({"future_invitation": True}, "institution", None),
        ({"legal_hold": True}, "institution", None),
        ({"erased": True}, "institution", None),
        # CNIL 2012-020: prospecting data, two months after the single message left without answer
        ({"last_activity": date(2027, 4, 1), "last_message": date(2027, 4, 1)}, "political", "prospect"),
        ({"last_activity": date(2027, 4, 20), "last_message": date(2027, 4, 20)}, "political", None),
        ({"last_activity": date(2027, 4, 1), "last_message": date(2027, 4, 1), "consented": True}, "political", None),
        ({"last_activity": date(2027, 4, 1), "last_message": date(2027, 4, 1), "exchanged": True}, "political", None),
        ({"last_activity": date(2027, 4, 1), "last_message": date(2027, 4, 1)}, "institution", None),
    ],
)
def test_decide(change: dict[str, object], kind: str, rule: str | None) -> None:
    action = rules.decide(POLICY, kind, replace(BASE, **change), TODAY, None)  # type: ignore[arg-type]
    assert (action.rule if action else None) == rule


def test_after_the_election_only_regular_contacts_and_those_who_agreed_stay() -> None:
    """CNIL, « sept réflexes » (2026): the campaign's prospecting files go after the election."""
    recent = replace(BASE, created=date(2027, 1, 5), last_activity=date(2027, 3, 1))
    ended = date(2027, 4, 30)
    assert rules.decide(POLICY, "political", recent, TODAY, ended) == rules.Action(
        "c1", "after_election", "Fichier de campagne : élection terminée le 2027-04-30, sans accord pour la suite."
    )
    assert rules.decide(POLICY, "political", recent, date(2027, 5, 30), ended) is None  # the month after
    assert rules.decide(POLICY, "political", replace(recent, consented=True), TODAY, ended) is None
    assert rules.decide(POLICY, "political", replace(recent, created=date(2027, 5, 2)), TODAY, ended) is None
    assert rules.decide(POLICY, "institution", recent, TODAY, ended) is None


def test_months_after_keeps_the_day_or_the_months_last() -> None:
    assert rules._months_after(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert rules._months_after(date(2024, 6, 14), 36) == date(2027, 6, 14)
