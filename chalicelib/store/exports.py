"""Contact export jobs: one item per export too large to answer at once, its file's S3 key once written."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName, get_entity, item_of, save_versioned
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


def get(tenant_id: str, export_id: str) -> ExportJob | None:
    return get_entity(ExportJob, ExportJobItem, tenant_id, export_id)


def save(job: ExportJob) -> None:
    """Write the job if nobody wrote it since it was read (a new one: if it does not exist yet); the new version is
    written back into ``job``."""
    save_versioned(item_of(ExportJobItem, job), job, None)
