"""Contact export jobs: one item per export too large to answer at once, its file's S3 key once written."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName, VersionedRepository
from chalicelib.store.entities import ExportJob


class ExportJobItem(BaseModel):
    class Meta:
        table_name = TableName("exports")

    tenant_id = UnicodeAttribute(hash_key=True)
    export_id = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()  # queued | running | done | failed
    total = NumberAttribute(default=0)
    doc = DocAttribute(default=dict)  # the request, who asked, the S3 key, error
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(ExportJob, ExportJobItem, None)
get = _repo.get  # (tenant_id, export_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
