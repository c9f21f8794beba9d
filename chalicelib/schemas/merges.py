"""Merging duplicate contacts (POST /duplicates/merge) and undoing a merge (POST /duplicates/merges/{id}/undo)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import Field

from chalicelib.schemas.common import Model, StrictModel
from chalicelib.schemas.contacts import Contact, contact_json
from chalicelib.schemas.duplicates import ContactId
from chalicelib.store import entities

RecordKind = Literal["mandate", "interaction", "task", "invitation", "message"]


class MergeBody(StrictModel):
    keep_id: ContactId = Field(description="The contact kept: its fields stay, its empty ones are filled")
    merge_ids: list[ContactId] = Field(
        max_length=100, description="The contacts merged into it (at most 10): deleted, their records moved"
    )


class MovedRecord(Model):
    kind: RecordKind
    contact_id: str = Field(description="The merged contact the record belonged to")
    old_key: str
    new_key: str


class Merged(Model):
    """POST /duplicates/merge."""

    merge_id: str = Field(description="POST /duplicates/merges/{merge_id}/undo undoes it within 30 days")
    contact: Contact
    moved: dict[str, int] = Field(description="Records moved to the kept contact, by kind")
    not_moved: list[MovedRecord] = Field(
        description="Records left with the merged contact (the kept one already had their like: an invitation to "
        "the same event, a message of the same campaign)"
    )


class MergeUndone(Model):
    """POST /duplicates/merges/{merge_id}/undo."""

    merge_id: str
    status: Literal["undone"]
    contact: Contact = Field(description="The kept contact, its filled fields emptied again")
    restored: list[Contact] = Field(description="The merged contacts, as they were")
    stayed: list[MovedRecord] = Field(description="Records that could not go back (deleted or replaced since)")


def _moved(entries: list[entities.MovedRecordDoc]) -> list[dict[str, Any]]:
    return [dict(e) for e in entries]


def merged_json(record: entities.MergeRecord, kept: entities.Contact, can_see_confidential: bool) -> dict[str, Any]:
    return {
        "merge_id": record.merge_id,
        "contact": contact_json(kept, can_see_confidential),
        "moved": dict(sorted(Counter(e["kind"] for e in record.doc["moved"]).items())),
        "not_moved": _moved(record.doc.get("not_moved", [])),
    }


def undone_json(
    record: entities.MergeRecord, kept: entities.Contact, restored: list[entities.Contact], can_see_confidential: bool
) -> dict[str, Any]:
    return {
        "merge_id": record.merge_id,
        "status": "undone",
        "contact": contact_json(kept, can_see_confidential),
        "restored": [contact_json(c, can_see_confidential) for c in restored],
        "stayed": _moved(record.doc.get("stayed", [])),
    }
