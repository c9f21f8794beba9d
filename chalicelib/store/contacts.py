"""Contacts and the name-word index kept with them in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.attributes import UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName, connection
from chalicelib.store.search_index import IndexItem

STALE = "Ce contact a été modifié entre-temps ; rechargez-le puis réessayez."


class ContactItem(BaseModel):
    class Meta:
        table_name = TableName("contacts")

    tenant_id = UnicodeAttribute(hash_key=True)
    contact_id = UnicodeAttribute(range_key=True)
    doc = DocAttribute(default=dict)
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def get(tenant_id: str, contact_id: str) -> ContactItem | None:
    try:
        return ContactItem.get(tenant_id, contact_id)
    except DoesNotExist:
        return None


def batch_get(tenant_id: str, contact_ids: Iterable[str]) -> dict[str, ContactItem]:
    """One BatchGetItem per 100 ids (PynamoDB retries unprocessed keys)."""
    keys = [(tenant_id, cid) for cid in dict.fromkeys(contact_ids)]
    if not keys:
        return {}
    return {item.contact_id: item for item in ContactItem.batch_get(keys)}


def write(
    item: ContactItem,
    index_puts: list[IndexItem],
    index_deletes: list[IndexItem],
    *,
    is_new: bool,
) -> None:
    """Write the contact and its index entries atomically (the index never lies about a contact)."""
    try:
        with TransactWrite(connection=connection()) as tx:
            if is_new:
                tx.save(item, condition=ContactItem.contact_id.does_not_exist())
            else:
                tx.save(item)
            for entry in index_deletes:
                tx.delete(entry)
            for entry in index_puts:
                tx.save(entry)
    except TransactWriteError as exc:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons or []):
            raise Conflict(STALE) from exc
        raise


def write_new_batch(items: list[tuple[ContactItem, list[IndexItem]]]) -> None:
    """Bulk creation (imports, demo seed): BatchWriteItem, 25 items a call, no transaction.

    Safe only for new ids nobody else can see yet; a retry rewrites the same items.
    """
    with ContactItem.batch_write() as contacts_batch, IndexItem.batch_write() as index_batch:
        for item, entries in items:
            item.version = 1
            contacts_batch.save(item)
            for entry in entries:
                index_batch.save(entry)


def delete(item: ContactItem, index_entries: list[IndexItem]) -> None:
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.delete(item)
            for entry in index_entries:
                tx.delete(entry)
    except TransactWriteError as exc:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons or []):
            raise Conflict(STALE) from exc
        raise
