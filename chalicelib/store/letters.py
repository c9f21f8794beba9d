"""Letter jobs (publipostage): one item per job, its progress updated as pages are rendered."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName, get_entity, item_of, save_versioned
from chalicelib.store.entities import LetterJob


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


def get(tenant_id: str, letter_id: str) -> LetterJob | None:
    return get_entity(LetterJob, LetterJobItem, tenant_id, letter_id)


def save(job: LetterJob) -> None:
    """Write the job if nobody wrote it since it was read (its version; a new one: if it does not exist yet).
    The new version is written back into ``job``."""
    save_versioned(item_of(LetterJobItem, job), job, None)
