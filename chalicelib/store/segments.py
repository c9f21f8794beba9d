"""Segments: one item per named filter (tenant, segment id), versioned."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName
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


def _entity(item: SegmentItem) -> Segment:
    return Segment(
        tenant_id=item.tenant_id,
        segment_id=item.segment_id,
        name=item.name,
        filter=dict(item.filter),
        shared=bool(item.shared),
        owner_id=item.owner_id,
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _item(segment: Segment) -> SegmentItem:
    item = SegmentItem(
        segment.tenant_id,
        segment.segment_id,
        name=segment.name,
        filter=dict(segment.filter),
        shared=segment.shared,
        owner_id=segment.owner_id,
        created_at=segment.created_at,
        updated_at=segment.updated_at,
    )
    if segment.version is not None:
        item.version = segment.version
    return item


def get(tenant_id: str, segment_id: str) -> Segment | None:
    try:
        return _entity(SegmentItem.get(tenant_id, segment_id))
    except DoesNotExist:
        return None


def all_of_tenant(tenant_id: str) -> list[Segment]:
    """A tenant's segments (tens, not thousands): one Query."""
    return [_entity(item) for item in SegmentItem.query(tenant_id)]


def save(segment: Segment) -> None:
    """Under the version read (a new one: only if it does not exist yet); the new version written back."""
    item = _item(segment)
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(STALE) from exc
        raise
    segment.version = item.version


def delete(segment: Segment) -> None:
    try:
        _item(segment).delete()
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(STALE) from exc
        raise
