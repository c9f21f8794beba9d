"""The per-tenant audit log: who did what to which record, and when."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import BaseModel, DocAttribute, TableName


class AuditItem(BaseModel):
    class Meta:
        table_name = TableName("audit")

    tenant_id = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)  # "{at}#{ulid}": time-ordered, unique
    at = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_email = UnicodeAttribute(null=True)
    action = UnicodeAttribute()  # create | update | delete | read
    resource_type = UnicodeAttribute()
    resource_id = UnicodeAttribute()
    detail = DocAttribute(null=True)


def write_all(entries: list[dict[str, Any]]) -> None:
    """Idempotent: an entry's id is chosen when it is recorded, so a redelivered message rewrites the same item."""
    with AuditItem.batch_write() as batch:
        for e in entries:
            batch.save(AuditItem(**e))


def query_page(tenant_id: str, start_key: dict[str, Any] | None, limit: int) -> tuple[list[AuditItem], Any]:
    result = AuditItem.query(tenant_id, scan_index_forward=False, limit=limit, last_evaluated_key=start_key)
    items = list(result)
    return items, result.last_evaluated_key
