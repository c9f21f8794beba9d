"""The per-tenant audit log: who did what to which record, and when."""

from __future__ import annotations

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, entity_of, item_of
from chalicelib.store.entities import AuditEntry


class AuditItem(BaseModel, entity=AuditEntry, table="audit", keys=("tenant_id", "entry_id")):
    """The sort key entry_id is "{at}#{ulid}": time-ordered, unique."""


def write_all(entries: list[AuditEntry]) -> None:
    """Idempotent: an entry's id is chosen when it is recorded, so a redelivered message rewrites the same item."""
    with AuditItem.batch_write() as batch:
        for entry in entries:
            batch.save(item_of(AuditItem, entry))


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[AuditEntry]:
    """One page of the tenant's log, newest first, and the opaque cursor of the next one."""
    items, next_cursor = cursors.partition_page(
        AuditItem, tenant_id, cursor, limit, cursors.fingerprint(tenant_id, "audit"), newest_first=True
    )
    return Listing([entity_of(AuditEntry, item) for item in items], next_cursor)
