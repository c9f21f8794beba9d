"""Merging the records of one person: which consent wins (RGPD art. 7(3) and 21), which fields are kept, filled or
united, what an undo gives back, and the 30-day window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import consent, merges


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param(["granted", "withdrawn"], "withdrawn", id="art-7-3-a-withdrawal-beats-a-grant"),
        pytest.param(["withdrawn", "granted"], "withdrawn", id="art-7-3-whatever-the-order"),
        pytest.param(["granted", "unknown"], "unknown", id="art-6-1-a-unknown-beats-a-grant"),
        pytest.param(["unknown", "withdrawn"], "withdrawn", id="art-21-an-objection-beats-unknown"),
        pytest.param(["granted", None], "unknown", id="none-reads-as-unknown"),
        pytest.param(["granted", "granted"], "granted", id="grants-agree"),
        pytest.param(["granted", "mystery"], "mystery", id="an-unknown-value-is-never-a-permission"),
        pytest.param([], None, id="nothing-recorded"),
    ],
)
def test_the_most_protective_consent_wins(statuses: list[str | None], expected: str | None) -> None:
    assert consent.most_protective(statuses) == expected


def test_every_status_has_a_protection_rank() -> None:
    assert set(consent.PROTECTION) == set(consent.STATUSES)
    assert consent.PROTECTION["withdrawn"] > consent.PROTECTION["unknown"] > consent.PROTECTION["granted"]


KEEP: dict[str, Any] = {
    "kind": "person",
    "first_name": "Zoé",
    "last_name": "Martin",
    "emails": ["zoe@example.fr"],
    "phones": [],
    "birth_date": None,
    "tags": ["riverain"],
    "custom": {"quartier": "Centre", "age": None},
}
OTHER: dict[str, Any] = {
    "kind": "person",
    "first_name": "Zoe",
    "last_name": "MARTIN",
    "emails": ["autre@example.fr"],
    "phones": ["+33611223344"],
    "birth_date": "1970-05-04",
    "tags": ["vœux", "riverain"],
    "custom": {"quartier": "Nord", "age": 55},
    "archived": True,
}


def test_the_kept_record_keeps_its_fields_and_fills_its_empty_ones() -> None:
    doc = merges.merged_doc(KEEP, [OTHER])
    assert (doc["first_name"], doc["last_name"], doc["emails"]) == ("Zoé", "Martin", ["zoe@example.fr"])
    assert (doc["phones"], doc["birth_date"]) == (["+33611223344"], "1970-05-04")
    assert doc["tags"] == ["riverain", "vœux"]
    assert doc["custom"] == {"quartier": "Centre", "age": 55}
    assert "archived" not in doc  # the kept record decides
    assert KEEP["tags"] == ["riverain"]  # not changed in place


def test_the_first_merged_record_that_has_a_field_fills_it() -> None:
    third = {"kind": "person", "birth_date": "1971-01-01", "nationality": "FR"}
    doc = merges.merged_doc(KEEP, [OTHER, third])
    assert (doc["birth_date"], doc["nationality"]) == ("1970-05-04", "FR")


def test_an_undo_empties_what_the_merge_filled_unless_changed_since() -> None:
    after = merges.merged_doc(KEEP, [OTHER])
    assert merges.unmerged_doc(after, KEEP, after) == KEEP
    edited = {**after, "birth_date": "1970-05-05", "tags": [*after["tags"], "élu"]}
    doc = merges.unmerged_doc(edited, KEEP, after)
    assert doc["birth_date"] == "1970-05-05"  # changed since the merge: stays
    assert doc["phones"] == []
    assert doc["tags"] == ["riverain", "élu"]


def test_a_merge_may_be_undone_for_30_days() -> None:
    merged_at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert merges.may_undo(merged_at, merged_at + timedelta(days=30))
    assert not merges.may_undo(merged_at, merged_at + timedelta(days=30, seconds=1))
