"""File imports (RNE): one item per import, its progress updated chunk by chunk."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName, VersionedRepository
from chalicelib.store.entities import ImportJob


class ImportItem(BaseModel):
    class Meta:
        table_name = TableName("imports")

    tenant_id = UnicodeAttribute(hash_key=True)
    import_id = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()  # "rne"
    status = UnicodeAttribute()  # queued | running | done | failed
    s3_key = UnicodeAttribute()
    next_line = NumberAttribute(default=2)  # first line of the next chunk (after the header and any watermark)
    doc = DocAttribute(default=dict)  # filename, filter, file kind, header, counters, rejected lines
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(ImportJob, ImportItem, None)
get = _repo.get  # (tenant_id, import_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
