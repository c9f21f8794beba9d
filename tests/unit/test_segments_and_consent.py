"""Segments' filter language (parsing with paths, limits, evaluation) and the consent rule per tenant kind."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chalicelib.domain import consent, segments
from chalicelib.domain.segments import Facts, HeldFunction, SegmentError, matches, needs, parse

TODAY = date(2026, 12, 4)
ANNE = {
    "kind": "person",
    "first_name": "Anne",
    "last_name": "Martin",
    "tags": ["Riverain", "Conseil de quartier"],
    "address": {"lines": ["1 rue Jeanne d'Arc"], "postcode": "76000", "city": "Rouen", "insee_code": "76540"},
    "custom": {"quartier": "Saint-Marc", "enfants": 2, "arrivee": "2019-05-01", "benevole": True, "vide": ""},
}
ASSO = {"kind": "organisation", "organisation_name": "Les Amis du Vieux Rouen", "tags": ["association"]}


def facts(contact: dict[str, Any] = ANNE, kind: str = "institution", **more: Any) -> Facts:
    return Facts(contact=contact, tenant_kind=kind, today=TODAY, **more)


# --- consent ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "channel", "status", "expected"),
    [
        ("political", "email", "granted", True),
        ("political", "email", "unknown", False),  # CNIL: prior, specific, informed consent
        ("political", "email", None, False),
        ("political", "sms", "withdrawn", False),
        ("institution", "email", "unknown", True),  # public task, unless the person objected
        ("institution", "email", None, True),
        ("institution", "sms", "withdrawn", False),
        ("institution", "email", "granted", True),
        ("political", "post", "unknown", True),  # letters are not governed by the rule
        ("mystery", "email", "unknown", False),  # an unknown kind gets the strictest rule
    ],
)
def test_what_a_tenant_may_send_follows_its_kind(kind: str, channel: str, status: str | None, expected: bool) -> None:
    assert consent.may_send(kind, channel, status) is expected


def test_every_send_rule_names_its_source_and_a_known_basis() -> None:
    for rule in consent.SEND_RULES.values():
        assert rule.source and rule.default_basis in consent.LAWFUL_BASES
        assert rule.sendable <= set(consent.STATUSES) and "withdrawn" not in rule.sendable
    assert consent.default_basis("institution", "granted") == "consent"
    assert consent.default_basis("institution", "unknown") == "public_task"


# --- parsing ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "field", "fragment"),
    [
        ({"colour": "red"}, "filter.colour", "Clé inconnue"),
        ({"and": [{"tag": "a"}, {"colour": 1}]}, "filter.and[1].colour", "Clé inconnue"),
        ({"tag": "a", "kind": "person"}, "filter", "Une seule condition"),
        ({"and": []}, "filter.and", "liste non vide"),
        ({"or": {"tag": "a"}}, "filter.or", "liste non vide"),
        ({"not": "x"}, "filter.not", "objet JSON"),
        ({"kind": "robot"}, "filter.kind", "valeurs possibles"),
        ({"postcode": "7600"}, "filter.postcode", "5 chiffres"),
        ({"commune": "2C123"}, "filter.commune", "INSEE"),
        ({"function": "sultan"}, "filter.function", "Fonction inconnue"),
        ({"function": "maire", "active": "yes"}, "filter.active", "true ou false"),
        ({"function": "maire", "since": 2020}, "filter.since", "Clé inconnue"),
        ({"field": "quartier"}, "filter.field", "custom.<nom>"),
        ({"field": "custom.Quartier"}, "filter.field", "custom.<nom>"),
        ({"field": "custom.quartier", "op": "like", "value": "x"}, "filter.op", "Opérateur inconnu"),
        ({"field": "custom.quartier", "op": "in", "value": []}, "filter.value", "liste de 1"),
        ({"field": "custom.quartier", "op": "in", "value": [{"a": 1}]}, "filter.value", "liste de 1"),
        ({"field": "custom.quartier", "op": "eq"}, "filter.value", "Valeur simple"),
        ({"field": "custom.quartier", "op": "empty", "value": "oui"}, "filter.value", "true (vide)"),
        ({"consent": "pigeon"}, "filter.consent", "valeurs possibles"),
        ({"opened_within_days": 0}, "filter.opened_within_days", "entre 1 et"),
        ({"opened_within_days": True}, "filter.opened_within_days", "entre 1 et"),
        ({"attended_series": ""}, "filter.attended_series", "non vide"),
        ({"tag": "x" * 201}, "filter.tag", "200 caractères"),
        ([{"tag": "a"}], "filter", "objet JSON"),
    ],
)
def test_a_bad_filter_names_the_path_and_the_reason(raw: Any, field: str, fragment: str) -> None:
    with pytest.raises(SegmentError) as caught:
        parse(raw)
    assert any(e["field"] == field and fragment in e["message"] for e in caught.value.errors), caught.value.errors


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(SegmentError) as caught:
        parse({"and": [{"kind": "robot"}, {"postcode": "1"}, {"tag": "ok"}]})
    assert [e["field"] for e in caught.value.errors] == ["filter.and[0].kind", "filter.and[1].postcode"]


def _nested(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"tag": "a"}
    for _ in range(levels - 1):
        node = {"not": node}
    return node


def test_at_most_five_levels() -> None:
    assert parse(_nested(5))
    with pytest.raises(SegmentError) as caught:
        parse(_nested(6))
    assert "5 niveaux" in caught.value.errors[0]["message"]


def test_at_most_fifty_conditions() -> None:
    assert parse({"or": [{"tag": f"t{n}"} for n in range(50)]})
    with pytest.raises(SegmentError) as caught:
        parse({"or": [{"tag": f"t{n}"} for n in range(51)]})
    assert any("50" in e["message"] for e in caught.value.errors)


def test_a_hostile_filter_gets_a_bounded_answer() -> None:
    with pytest.raises(SegmentError) as caught:
        parse({"or": [{"colour": n} for n in range(10_000)]})
    assert len(caught.value.errors) <= 50


def test_needs_lists_the_facts_beyond_the_record() -> None:
    assert needs(parse({"tag": "a"})) == frozenset()
    assert needs(
        parse(
            {
                "and": [
                    {"function": "maire"},
                    {"not": {"consent": "email"}},
                    {"or": [{"opened_within_days": 30}, {"attended_series": "Vœux du maire"}]},
                ]
            }
        )
    ) == {"mandates", "consents", "engagement", "attendance"}


# --- evaluation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"tag": "riverain"}, True),
        ({"tag": "Conseil  de Quartier"}, True),  # tags compare as slugs
        ({"tag": "commerçant"}, False),
        ({"kind": "person"}, True),
        ({"kind": "organisation"}, False),
        ({"postcode": "76000"}, True),
        ({"postcode": "76100"}, False),
        ({"commune": "76540"}, True),
        ({"field": "custom.quartier", "value": "Saint-Marc"}, True),
        ({"field": "custom.quartier", "op": "in", "value": ["Gare", "Saint-Marc"]}, True),
        ({"field": "custom.enfants", "op": "gt", "value": 1}, True),
        ({"field": "custom.enfants", "op": "lt", "value": 2}, False),
        ({"field": "custom.enfants", "op": "eq", "value": "2"}, False),  # no coercion between types
        ({"field": "custom.arrivee", "op": "lt", "value": "2020-01-01"}, True),  # ISO dates compare as text
        ({"field": "custom.arrivee", "op": "gt", "value": 2020}, False),  # text against number: no match
        ({"field": "custom.benevole", "value": True}, True),
        ({"field": "custom.benevole", "value": 1}, False),  # True is not 1 here
        ({"field": "custom.vide", "op": "empty"}, True),
        ({"field": "custom.absent", "op": "empty"}, True),
        ({"field": "custom.quartier", "op": "empty", "value": False}, True),
        ({"and": [{"tag": "riverain"}, {"postcode": "76000"}]}, True),
        ({"and": [{"tag": "riverain"}, {"postcode": "76100"}]}, False),
        ({"or": [{"tag": "x"}, {"postcode": "76000"}]}, True),
        ({"not": {"tag": "riverain"}}, False),
        ({"not": {"not": {"tag": "riverain"}}}, True),
    ],
)
def test_conditions_on_the_record(raw: dict[str, Any], expected: bool) -> None:
    assert matches(parse(raw), facts()) is expected


def test_a_record_without_address_or_custom_fields_matches_nothing_on_them() -> None:
    for raw in ({"postcode": "76000"}, {"commune": "76540"}, {"field": "custom.quartier", "value": "x"}):
        assert matches(parse(raw), facts(ASSO)) is False
    assert matches(parse({"field": "custom.quartier", "op": "empty"}), facts(ASSO)) is True


def test_functions_active_or_past() -> None:
    held = (HeldFunction("maire", date(2020, 7, 3), None), HeldFunction("conseiller_municipal", None, date(2020, 7, 2)))
    f = facts(functions=held)
    assert matches(parse({"function": "maire"}), f)
    assert matches(parse({"function": "maire", "active": True}), f)
    assert not matches(parse({"function": "maire", "active": False}), f)
    assert matches(parse({"function": "conseiller_municipal", "active": False}), f)
    assert not matches(parse({"function": "conseiller_municipal", "active": True}), f)
    assert not matches(parse({"function": "depute"}), f)


def test_consent_follows_the_tenant_rule() -> None:
    granted = {"email": "granted", "sms": "withdrawn"}
    assert matches(parse({"consent": "email"}), facts(kind="political", consents=granted))
    assert not matches(parse({"consent": "sms"}), facts(kind="political", consents=granted))
    assert not matches(parse({"consent": "email"}), facts(kind="political"))  # unknown: not for a political tenant
    assert matches(parse({"consent": "email"}), facts(kind="institution"))  # unknown: yes for an institution


def test_engagement_and_attendance() -> None:
    f = facts(last_opened_on=date(2026, 11, 1), attended_series=frozenset({"voeux du maire"}))
    assert matches(parse({"opened_within_days": 90}), f)
    assert not matches(parse({"opened_within_days": 30}), f)
    assert not matches(parse({"opened_within_days": 3650}), facts())  # never opened
    assert matches(parse({"attended_series": "Vœux du Maire"}), f)  # folded like series everywhere
    assert not matches(parse({"attended_series": "Fête de la musique"}), f)


def test_limits_are_the_documented_ones() -> None:
    assert (segments.MAX_DEPTH, segments.MAX_CONDITIONS) == (5, 50)
