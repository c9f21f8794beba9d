"""Contact export jobs: one item per export too large to answer at once, its file's S3 key once written."""

from __future__ import annotations

from chalicelib.store.base import BaseModel, VersionedRepository
from chalicelib.store.entities import ExportJob


class ExportJobItem(BaseModel, entity=ExportJob, table="exports", keys=("tenant_id", "export_id")):
    pass


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(ExportJob, ExportJobItem, None)
get = _repo.get  # (tenant_id, export_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
