"""Segments: one item per named filter (tenant, segment id), versioned."""

from __future__ import annotations

from chalicelib.store.base import BaseModel, VersionedRepository
from chalicelib.store.entities import Segment

STALE = "Ce segment a été modifié entre-temps ; rechargez-le puis réessayez."


class SegmentItem(BaseModel, entity=Segment, table="segments", keys=("tenant_id", "segment_id")):
    pass


_repo = VersionedRepository(Segment, SegmentItem, STALE)
get = _repo.get  # (tenant_id, segment_id)
all_of_tenant = _repo.all_of_tenant  # a tenant's segments: tens, not thousands
save = _repo.save  # under the version read; Conflict(STALE) when stale
delete = _repo.delete  # under the version read; Conflict(STALE) when stale
