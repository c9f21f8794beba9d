"""Segments: one item per named filter (tenant, segment id), versioned."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import BaseModel, TableName, VersionedRepository
from chalicelib.store.entities import Segment

STALE = "Ce segment a été modifié entre-temps ; rechargez-le puis réessayez."


class SegmentItem(BaseModel, entity=Segment):
    class Meta:
        table_name = TableName("segments")

    tenant_id = UnicodeAttribute(hash_key=True)
    segment_id = UnicodeAttribute(range_key=True)


_repo = VersionedRepository(Segment, SegmentItem, STALE)
get = _repo.get  # (tenant_id, segment_id)
all_of_tenant = _repo.all_of_tenant  # a tenant's segments: tens, not thousands
save = _repo.save  # under the version read; Conflict(STALE) when stale
delete = _repo.delete  # under the version read; Conflict(STALE) when stale
