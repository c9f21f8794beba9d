"""Contacts and the name-word index kept with them in one transaction.

Callers hand in `Contact` entities; the index items (`store/search_index.py`) are derived from the record here, so
that the index never lies about a contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict
from chalicelib.store import search_index
from chalicelib.store.base import BaseModel, connection, entity_of, get_entity, item_of
from chalicelib.store.entities import Contact
from chalicelib.store.search_index import IndexItem
from chalicelib.store.transactions import raced

STALE = "Ce contact a été modifié entre-temps ; rechargez-le puis réessayez."


class ContactItem(BaseModel, entity=Contact, table="contacts", keys=("tenant_id", "contact_id")):
    pass


def _entries(contact: Contact) -> list[IndexItem]:
    return search_index.entries_for(contact.tenant_id, contact.contact_id, contact.doc)


def get(tenant_id: str, contact_id: str) -> Contact | None:
    return get_entity(Contact, ContactItem, tenant_id, contact_id)


def batch_get(tenant_id: str, contact_ids: Iterable[str]) -> dict[str, Contact]:
    """One BatchGetItem per 100 ids (PynamoDB retries unprocessed keys)."""
    keys = [(tenant_id, cid) for cid in dict.fromkeys(contact_ids)]
    if not keys:
        return {}
    return {item.contact_id: entity_of(Contact, item) for item in ContactItem.batch_get(keys)}


def fields_of(tenant_id: str, contact_ids: Iterable[str], fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Only these fields of each contact's record, by contact id: one BatchGetItem per 100 ids with a projection,
    for a worker that needs no more (data minimisation, RGPD art. 5(1)(c)). A contact deleted since is absent; a
    field its record lacks, absent from its dict."""
    keys = [(tenant_id, cid) for cid in dict.fromkeys(contact_ids)]
    if not keys:
        return {}
    wanted = ["contact_id", *(f"doc.{name}" for name in dict.fromkeys(fields))]
    return {item.contact_id: dict(item.doc or {}) for item in ContactItem.batch_get(keys, attributes_to_get=wanted)}


@contextmanager
def _transaction() -> Iterator[TransactWrite]:
    """A transaction in which a stale version (or an existing id), or another transaction writing the same item at
    once, is a Conflict."""
    try:
        with TransactWrite(connection=connection()) as tx:
            yield tx
    except TransactWriteError as exc:
        if any(raced(r) for r in exc.cancellation_reasons or []):
            raise Conflict(STALE) from exc
        raise


TRANSACTION_ITEMS = 100  # DynamoDB's limit of items in one TransactWriteItems


def _transact(item: ContactItem, puts: list[IndexItem], deletes: list[IndexItem], *, is_new: bool) -> None:
    """Write the contact and its index entries atomically; a stale version (or an existing id) is a Conflict.

    A record whose entries exceed one transaction (every name word, tag, email and phone changed at once) writes its
    contact points (emails, phones) just after, in a batch: the listing and search entries stay atomic with it."""
    deferred: list[IndexItem] = []
    if 1 + len(puts) + len(deletes) > TRANSACTION_ITEMS:
        deferred = [e for e in (*puts, *deletes) if search_index.is_contact_point(e)]
    later = {id(e) for e in deferred}
    with _transaction() as tx:
        tx.save(item, condition=ContactItem.contact_id.does_not_exist() if is_new else None)
        for entry in (e for e in deletes if id(e) not in later):
            tx.delete(entry)
        for entry in (e for e in puts if id(e) not in later):
            tx.save(entry)
    if deferred:
        removed = {id(e) for e in deletes}
        with IndexItem.batch_write() as batch:
            for entry in deferred:
                if id(entry) in removed:
                    batch.delete(entry)
                else:
                    batch.save(entry)


def create(contact: Contact) -> None:
    """A new contact and its index entries, in one transaction; sets `contact.version` (1)."""
    item = item_of(ContactItem, contact)
    _transact(item, _entries(contact), [], is_new=True)
    contact.version = item.version


def update(before: Contact, after: Contact) -> None:
    """Replace `before` (as read) by `after`, moving its index entries, in one transaction.

    The write holds only if the stored version is still `after.version` (optimistic locking); sets the new one.
    """
    item = item_of(ContactItem, after)
    puts, deletes = search_index.diff(_entries(before), _entries(after))
    _transact(item, puts, deletes, is_new=False)
    after.version = item.version


def create_many(contacts: list[Contact]) -> None:
    """Bulk creation (imports, demo seed): BatchWriteItem, 25 items a call, no transaction; sets each version (1).

    Safe only for new ids nobody else can see yet; a retry rewrites the same items.
    """
    with ContactItem.batch_write() as contacts_batch, IndexItem.batch_write() as index_batch:
        for contact in contacts:
            contact.version = 1
            contacts_batch.save(item_of(ContactItem, contact))
            for entry in _entries(contact):
                index_batch.save(entry)


def delete(contact: Contact) -> None:
    """The contact (if still at the version read) and its index entries, in one transaction."""
    with _transaction() as tx:
        tx.delete(item_of(ContactItem, contact))
        for entry in _entries(contact):
            tx.delete(entry)


def tenant_page(tenant_id: str, start_key: dict[str, Any] | None, limit: int) -> tuple[list[Contact], Any]:
    """A batch of the tenant's contacts in id order (one Query of its partition): segments read them this way,
    never one call per contact, never a Scan."""
    result = ContactItem.query(tenant_id, limit=limit, last_evaluated_key=start_key)
    return [entity_of(Contact, item) for item in result], result.last_evaluated_key


def tenant_key(contact: Contact) -> dict[str, Any]:
    """The LastEvaluatedKey that resumes `tenant_page` after ``contact``."""
    return {"tenant_id": {"S": contact.tenant_id}, "contact_id": {"S": contact.contact_id}}
