"""Segments: one item per named filter (tenant, segment id), versioned."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DeleteError

from chalicelib.errors import Conflict
from chalicelib.store.base import (
    BaseModel,
    DocAttribute,
    TableName,
    condition_failed,
    entity_of,
    get_entity,
    item_of,
    save_versioned,
)
from chalicelib.store.entities import Segment

STALE = "Ce segment a été modifié entre-temps ; rechargez-le puis réessayez."


class SegmentItem(BaseModel):
    class Meta:
        table_name = TableName("segments")

    tenant_id = UnicodeAttribute(hash_key=True)
    segment_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    filter = DocAttribute(default=dict)
    shared = BooleanAttribute(default=False)
    owner_id = UnicodeAttribute()
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def get(tenant_id: str, segment_id: str) -> Segment | None:
    return get_entity(Segment, SegmentItem, tenant_id, segment_id)


def all_of_tenant(tenant_id: str) -> list[Segment]:
    """A tenant's segments (tens, not thousands): one Query."""
    return [entity_of(Segment, item) for item in SegmentItem.query(tenant_id)]


def save(segment: Segment) -> None:
    """Under the version read (a new one: only if it does not exist yet); the new version written back."""
    save_versioned(item_of(SegmentItem, segment), segment, STALE)


def delete(segment: Segment) -> None:
    try:
        item_of(SegmentItem, segment).delete()
    except DeleteError as exc:
        if condition_failed(exc):
            raise Conflict(STALE) from exc
        raise
