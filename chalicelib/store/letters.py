"""Letter jobs (publipostage): one item per job, its progress updated as pages are rendered."""

from __future__ import annotations

from typing import cast

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import BaseModel, DocAttribute, TableName
from chalicelib.store.entities import JobStatus, LetterJob, LetterJobDoc


class LetterJobItem(BaseModel):
    class Meta:
        table_name = TableName("letters")

    tenant_id = UnicodeAttribute(hash_key=True)
    letter_id = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()  # queued | running | done | failed
    total = NumberAttribute()
    done = NumberAttribute(default=0)
    doc = DocAttribute(default=dict)  # the request, who asked, skipped recipients, S3 keys, error
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def _entity(item: LetterJobItem) -> LetterJob:
    return LetterJob(
        tenant_id=item.tenant_id,
        letter_id=item.letter_id,
        status=cast(JobStatus, item.status),
        total=int(item.total),
        done=int(item.done),
        doc=cast(LetterJobDoc, item.doc),
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _item(job: LetterJob) -> LetterJobItem:
    item = LetterJobItem(
        job.tenant_id,
        job.letter_id,
        status=job.status,
        total=job.total,
        done=job.done,
        doc=dict(job.doc),
        created_at=job.created_at,
        updated_at=job.updated_at,
    )
    if job.version is not None:  # None until first saved: PynamoDB then conditions the write on no version yet
        item.version = job.version
    return item


def get(tenant_id: str, letter_id: str) -> LetterJob | None:
    try:
        return _entity(LetterJobItem.get(tenant_id, letter_id))
    except DoesNotExist:
        return None


def save(job: LetterJob) -> None:
    """Write the job if nobody wrote it since it was read (its version; a new one: if it does not exist yet).
    The new version is written back into ``job``."""
    item = _item(job)
    item.save()
    job.version = item.version
