"""Letter jobs (publipostage): one item per job, its progress updated as pages are rendered."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import BaseModel, DocAttribute, TableName


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


def get(tenant_id: str, letter_id: str) -> LetterJobItem | None:
    try:
        return LetterJobItem.get(tenant_id, letter_id)
    except DoesNotExist:
        return None
