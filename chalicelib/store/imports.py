"""File imports (RNE): one item per import, its progress updated chunk by chunk."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName, get_entity, item_of, save_versioned
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


def get(tenant_id: str, import_id: str) -> ImportJob | None:
    return get_entity(ImportJob, ImportItem, tenant_id, import_id)


def save(job: ImportJob) -> None:
    """Write the import if nobody wrote it since it was read (its version; a new one: if it does not exist yet).

    A concurrent delivery of the same chunk fails here (PutError) instead of counting twice. The new version is
    written back into ``job``.
    """
    save_versioned(item_of(ImportItem, job), job, None)
