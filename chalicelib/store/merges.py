"""Merges of duplicate contacts: the merge records, the pointers left by merged contacts, and the moves of the
records that hang off a contact.

Both kinds of item live in the duplicates table, beside the pairs (other range-key prefixes, so that the pairs'
Queries never read them):

    sk = "merge#{merge_id}"       a merge: kept id, merged ids, status (running, done, undone), what it did (doc)
    sk = "merged#{contact_id}"    a merged contact's forwarding address: the kept id and the merge

Which records a contact has is read as the right of access reads it (store/person_records.py, mandates.for_contact).
A move re-points one record, atomically:
- keyed by the contact (mandates and interactions `{contact}#{id}`, campaign messages `{campaign}#{contact}`): one
  TransactWriteItems putting the copy under the new key (if free) and deleting the original (if unchanged: its
  version, where it has one);
- naming the contact in an attribute (tasks): one conditional PutItem;
- invitations (the guest or the partner), with their guards `~{event}#{contact}`: one TransactWriteItems updating
  the invitation under its version, deleting the old guard and creating the new one if the kept contact is not
  invited to that event already.
A move that does not hold (the record is gone, its new key taken) answers False and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.store import consents as consents_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import person_records
from chalicelib.store.base import (
    BaseModel,
    cause_code,
    connection,
    delete_versioned,
    entity_of,
    get_item,
    item_of,
    put_if,
)
from chalicelib.store.consents import ConsentItem
from chalicelib.store.entities import MergeRecord
from chalicelib.store.interactions import InteractionItem, TaskItem
from chalicelib.store.invitations import InvitationGuard, InvitationItem, guard_key
from chalicelib.store.mandates import MandateItem
from chalicelib.store.messages import MessageItem

MERGE = "merge#"
MERGED = "merged#"
KINDS = ("mandate", "interaction", "task", "invitation", "message")
_KEYED: dict[str, type[BaseModel]] = {"mandate": MandateItem, "interaction": InteractionItem, "message": MessageItem}


class MergeItem(BaseModel, entity=MergeRecord, table="duplicates", keys=("tenant_id", "sk")):
    """Same table as DuplicateItem: one merge."""

    # sk: "merge#{merge_id}"


class MergedPointer(BaseModel, table="duplicates", keys=("tenant_id", "sk")):
    """Same table as DuplicateItem: where a merged contact went."""

    # sk: "merged#{contact_id}"

    keep_id = UnicodeAttribute()
    merge_id = UnicodeAttribute()
    created_at = UnicodeAttribute()


# --- merge records and pointers ------------------------------------------------------------------------------------


def get(tenant_id: str, merge_id: str) -> MergeRecord | None:
    item = get_item(MergeItem, tenant_id, f"{MERGE}{merge_id}", consistent_read=True)
    return None if item is None else entity_of(MergeRecord, item)


def put(record: MergeRecord, *, status_was: str | None) -> bool:
    """Write the record if it is new (`status_was` None) or still in `status_was`: False, nothing written, when
    someone else moved it on first (a second undo)."""
    item = item_of(MergeItem, record, sk=f"{MERGE}{record.merge_id}")
    condition = MergeItem.sk.does_not_exist() if status_was is None else MergeItem.status == status_was
    return put_if(item, condition)


def point(tenant_id: str, merged_ids: Iterable[str], keep_id: str, merge_id: str, at: str) -> None:
    """Leave a forwarding address for each merged contact (BatchWriteItem)."""
    with MergedPointer.batch_write() as batch:
        for contact_id in merged_ids:
            batch.save(
                MergedPointer(tenant_id, f"{MERGED}{contact_id}", keep_id=keep_id, merge_id=merge_id, created_at=at)
            )


def unpoint(tenant_id: str, merged_ids: Iterable[str]) -> None:
    with MergedPointer.batch_write() as batch:
        for contact_id in merged_ids:
            batch.delete(MergedPointer(tenant_id, f"{MERGED}{contact_id}"))


def pointer(tenant_id: str, contact_id: str) -> tuple[str, str, str] | None:
    """(kept id, merge id, when) for a contact merged into another; None otherwise."""
    item = get_item(MergedPointer, tenant_id, f"{MERGED}{contact_id}")
    return None if item is None else (item.keep_id, item.merge_id, item.created_at)


# --- what hangs off a contact ----------------------------------------------------------------------------------


def records_of(tenant_id: str, contact_id: str) -> list[tuple[str, str]]:
    """(kind, key) of every record a merge moves: mandates, interactions, tasks, invitations, campaign messages."""
    found = [("mandate", f"{contact_id}#{m.mandate_id}") for m in mandates_store.for_contact(tenant_id, contact_id)]
    found += [
        ("interaction", f"{contact_id}#{i.interaction_id}")
        for i in person_records.interactions_of(tenant_id, contact_id)
    ]
    found += [("task", t.task_id) for t in person_records.tasks_of(tenant_id, contact_id)]
    invitations, _ = person_records.invitations_of(tenant_id, contact_id)
    found += [("invitation", i.invitation_id) for i in invitations]
    found += [("message", f"{cid}#{contact_id}") for cid in sorted(person_records.messages_of(tenant_id, contact_id))]
    return found


def new_key(kind: str, key: str, from_id: str, to_id: str) -> str:
    """The record's key once it belongs to `to_id` (the same key when the contact is not part of it)."""
    if kind in ("mandate", "interaction"):
        return f"{to_id}#{key.split('#', 1)[1]}"
    if kind == "message":
        return f"{key.rsplit('#', 1)[0]}#{to_id}"
    return key


def _cancelled(exc: TransactWriteError) -> bool:
    return cause_code(exc) == "TransactionCanceledException"


def move(tenant_id: str, kind: str, key: str, from_id: str, to_id: str) -> bool:
    """Re-point one record from `from_id` to `to_id` (see the module's docstring); False when it cannot."""
    try:
        if kind in _KEYED:
            return _move_keyed(_KEYED[kind], tenant_id, key, new_key(kind, key, from_id, to_id), from_id, to_id)
        if kind == "task":
            return _move_task(tenant_id, key, from_id, to_id)
        if kind == "invitation":
            return _move_invitation(tenant_id, key, from_id, to_id)
    except TransactWriteError as exc:
        if _cancelled(exc):
            return False
        raise
    raise ValueError(f"unknown record kind {kind!r}")


def holds(tenant_id: str, kind: str, key: str, from_id: str, to_id: str) -> bool:
    """Whether the record under `key` (its key once moved) was moved from `from_id` to `to_id` already (a merge
    resumed after a failure)."""
    if kind in _KEYED:  # moved: under its new key, and no longer under its old one (a message of the same campaign)
        item: Any = get_item(_KEYED[kind], tenant_id, key, consistent_read=True)
        old_key = new_key(kind, key, to_id, from_id)
        return item is not None and get_item(_KEYED[kind], tenant_id, old_key, consistent_read=True) is None
    if kind == "task":
        task = get_item(TaskItem, tenant_id, key, consistent_read=True)
        return task is not None and task.contact_id == to_id
    invitation = get_item(InvitationItem, tenant_id, key, consistent_read=True)
    if invitation is None or to_id not in (invitation.contact_id, (invitation.doc or {}).get("partner_contact_id")):
        return False
    # Named by both before the move (a partner on the kept contact's own invitation): the old guard is still there.
    return get_item(InvitationGuard, tenant_id, guard_key(invitation.event_id, from_id)) is None


def _move_keyed(model: type[BaseModel], tenant_id: str, key: str, to_key: str, from_id: str, to_id: str) -> bool:
    item = get_item(model, tenant_id, key, consistent_read=True)
    if item is None or item.contact_id != from_id:  # type: ignore[attr-defined]  # each keyed model names its contact
        return False
    values = {name: getattr(item, name) for name in model.get_attributes() if name != "version"}
    copy = model(**{**values, "sk": to_key, "contact_id": to_id})
    copy.refresh_keys()
    sk: Any = model.sk  # type: ignore[attr-defined]  # each keyed model's range key is `sk`
    with TransactWrite(connection=connection()) as tx:
        tx.save(copy, condition=sk.does_not_exist())
        tx.delete(item)  # on its version, where it has one: a concurrent change cancels the move
    return True


def _move_task(tenant_id: str, task_id: str, from_id: str, to_id: str) -> bool:
    item = get_item(TaskItem, tenant_id, task_id, consistent_read=True)
    if item is None or item.contact_id != from_id:
        return False
    item.contact_id = to_id
    item.refresh_keys()
    return put_if(item, TaskItem.contact_id == from_id)


def _move_invitation(tenant_id: str, invitation_id: str, from_id: str, to_id: str) -> bool:
    item = get_item(InvitationItem, tenant_id, invitation_id, consistent_read=True)
    if item is None:
        return False
    guest = item.contact_id == from_id
    partner = (item.doc or {}).get("partner_contact_id") == from_id
    if not (guest or partner):
        return False
    if guest:
        item.contact_id = to_id
    if partner:
        item.doc = {**item.doc, "partner_contact_id": to_id}
    item.refresh_keys()
    new_guard = InvitationGuard(tenant_id, guard_key(item.event_id, to_id), points_to=invitation_id)
    with TransactWrite(connection=connection()) as tx:
        tx.save(item)  # on its version
        tx.delete(InvitationGuard(tenant_id, guard_key(item.event_id, from_id)))
        tx.save(new_guard, condition=InvitationGuard.invitation_id.does_not_exist())
    return True


def delete_consent(tenant_id: str, contact_id: str, channel: str, version: int | None) -> None:
    """One consent, if still at the version read: 409 otherwise."""
    delete_versioned(ConsentItem(tenant_id, f"{contact_id}#{channel}", version=version), consents_store.STALE)


def delete_consents(tenant_id: str, contact_id: str) -> None:
    consents_store.delete_all_for_contact(tenant_id, contact_id)
