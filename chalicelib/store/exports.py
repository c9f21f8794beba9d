"""Contact export jobs: one item per export too large to answer at once, its file's S3 key once written."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import BaseModel, TableName, VersionedRepository
from chalicelib.store.entities import ExportJob


class ExportJobItem(BaseModel, entity=ExportJob):
    class Meta:
        table_name = TableName("exports")

    tenant_id = UnicodeAttribute(hash_key=True)
    export_id = UnicodeAttribute(range_key=True)


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(ExportJob, ExportJobItem, None)
get = _repo.get  # (tenant_id, export_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
