"""File imports (RNE): one item per import, its progress updated chunk by chunk."""

from __future__ import annotations

from typing import cast

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import BaseModel, DocAttribute, TableName
from chalicelib.store.entities import ImportDoc, ImportJob, JobStatus


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


def _entity(item: ImportItem) -> ImportJob:
    return ImportJob(
        tenant_id=item.tenant_id,
        import_id=item.import_id,
        kind=item.kind,
        status=cast(JobStatus, item.status),
        s3_key=item.s3_key,
        next_line=int(item.next_line),
        doc=cast(ImportDoc, item.doc),
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _item(job: ImportJob) -> ImportItem:
    item = ImportItem(
        job.tenant_id,
        job.import_id,
        kind=job.kind,
        status=job.status,
        s3_key=job.s3_key,
        next_line=job.next_line,
        doc=dict(job.doc),
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
    if job.version is not None:  # None until first saved: PynamoDB then conditions the write on no version yet
        item.version = job.version
    return item


def get(tenant_id: str, import_id: str) -> ImportJob | None:
    try:
        return _entity(ImportItem.get(tenant_id, import_id))
    except DoesNotExist:
        return None


def save(job: ImportJob) -> None:
    """Write the import if nobody wrote it since it was read (its version; a new one: if it does not exist yet).

    A concurrent delivery of the same chunk fails here (PutError) instead of counting twice. The new version is
    written back into ``job``.
    """
    item = _item(job)
    item.save()
    job.version = item.version
