"""Interactions (a contact's history) and follow-up tasks.

Interactions sort by "{contact id}#{ulid}" so a contact's latest ones are one Query.
Tasks have one GSI per way they are listed; each hash key starts with the tenant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, connection, entity_of, get_entity, index, item_of, put_if
from chalicelib.store.entities import Interaction, Task
from chalicelib.store.transactions import busy_is_conflict

NO_DUE = "9999-12-31"
TASK_BUSY = "Cette tâche a été modifiée entre-temps (contacts fusionnés) ; rechargez-la puis réessayez."


class InteractionItem(BaseModel, entity=Interaction, table="interactions", keys=("tenant_id", "sk")):
    """The sort key sk is "{contact_id}#{interaction_id}": a contact's interactions are one Query."""


class TaskItem(BaseModel, entity=Task, table="tasks", keys=("tenant_id", "task_id")):
    assignee_key = UnicodeAttribute()  # "{tenant}#{assignee}#{status}"
    status_key = UnicodeAttribute()  # "{tenant}#{status}"
    contact_key = UnicodeAttribute()  # "{tenant}#{contact}#{status}"
    due_key = UnicodeAttribute()  # "{due or 9999-12-31}#{task_id}"

    by_assignee: GlobalSecondaryIndex[TaskItem] = index("by-assignee", "assignee_key", "due_key")
    by_status: GlobalSecondaryIndex[TaskItem] = index("by-status", "status_key", "due_key")
    by_contact: GlobalSecondaryIndex[TaskItem] = index("by-contact", "contact_key", "due_key")

    def refresh_keys(self) -> None:
        """Derived index keys: recomputed on every write so the GSIs always agree with the task."""
        self.assignee_key = f"{self.tenant_id}#{self.assignee_id}#{self.status}"
        self.status_key = f"{self.tenant_id}#{self.status}"
        self.contact_key = f"{self.tenant_id}#{self.contact_id}#{self.status}"
        self.due_key = f"{self.due or NO_DUE}#{self.task_id}"


def _interaction_item(i: Interaction) -> InteractionItem:
    """Keyed `{contact}#{interaction}`, so that a contact's history is one Query."""
    return item_of(InteractionItem, i, sk=f"{i.contact_id}#{i.interaction_id}")


def record(interaction: Interaction, follow_up: Task | None) -> None:
    """An interaction and the follow-up task created with it, together (one transaction), neither overwriting."""
    with TransactWrite(connection=connection()) as tx:
        tx.save(_interaction_item(interaction), condition=InteractionItem.sk.does_not_exist())
        if follow_up:
            tx.save(item_of(TaskItem, follow_up), condition=TaskItem.task_id.does_not_exist())


def put(interaction: Interaction) -> None:
    """One interaction (PutItem): an exchange the application made itself (a message sent)."""
    _interaction_item(interaction).save()


def put_many(interactions: Iterable[Interaction]) -> None:
    """Interactions in bulk (BatchWriteItem, 25 a call): keyed by their ids, so a retry rewrites the same items."""
    with InteractionItem.batch_write() as batch:
        for interaction in interactions:
            batch.save(_interaction_item(interaction))


def recent_for_contact(tenant_id: str, contact_id: str, limit: int) -> list[Interaction]:
    return [
        entity_of(Interaction, item)
        for item in InteractionItem.query(
            tenant_id, InteractionItem.sk.startswith(f"{contact_id}#"), scan_index_forward=False, limit=limit
        )
    ]


def page_for_contact(tenant_id: str, contact_id: str, cursor: str | None, limit: int) -> Listing[Interaction]:
    """One exact page of a contact's interactions, newest first."""
    items, next_cursor = cursors.partition_page(
        InteractionItem,
        tenant_id,
        cursor,
        limit,
        cursors.fingerprint(tenant_id, "interactions", contact_id),
        prefix=f"{contact_id}#",
        newest_first=True,
    )
    return Listing([entity_of(Interaction, item) for item in items], next_cursor)


def open_tasks_for_contact(tenant_id: str, contact_id: str, limit: int = 50) -> list[Task]:
    return [entity_of(Task, item) for item in TaskItem.by_contact.query(f"{tenant_id}#{contact_id}#open", limit=limit)]


def delete_all_for_contact(tenant_id: str, contact_id: str) -> None:
    """A deleted contact's history and tasks go with it (no task left pointing at nobody)."""
    with InteractionItem.batch_write() as batch:
        for item in InteractionItem.query(tenant_id, InteractionItem.sk.startswith(f"{contact_id}#")):
            batch.delete(item)
    with TaskItem.batch_write() as batch:
        for status in ("open", "done", "cancelled"):
            for task in TaskItem.by_contact.query(f"{tenant_id}#{contact_id}#{status}"):
                batch.delete(task)


def get_task(tenant_id: str, task_id: str, *, consistent: bool = False) -> Task | None:
    return get_entity(Task, TaskItem, tenant_id, task_id, consistent_read=consistent)


def save_task(task: Task) -> bool:
    """Rewrite a task whole (PutItem), its index keys recomputed from its fields, on the condition that it is still
    there and still the contact's it was read as. False, nothing written, when it was deleted with its contact or
    moved to another one by a merge meanwhile: the write would have brought it back, or moved it back.
    Conflict(TASK_BUSY), nothing written, while a merge's transaction is moving it at that very moment."""
    with busy_is_conflict(TASK_BUSY):
        return put_if(item_of(TaskItem, task), TaskItem.contact_id == task.contact_id)


def tasks_page(
    tenant_id: str, *, status: str, assignee: str | None, due_before: str | None, cursor: str | None, limit: int
) -> Listing[Task]:
    """One exact page of the tenant's tasks in a status (of one assignee if given), by due date, due before a day.

    One Query a page, on by-assignee when an assignee is given, else on by-status.
    """
    index: GlobalSecondaryIndex[TaskItem]
    if assignee:
        hash_key, index, index_key = f"{tenant_id}#{assignee}#{status}", TaskItem.by_assignee, "assignee_key"
    else:
        hash_key, index, index_key = f"{tenant_id}#{status}", TaskItem.by_status, "status_key"
    condition = TaskItem.due_key < f"{due_before}#" if due_before else None

    def fetch(start_key: dict[str, Any] | None, size: int) -> tuple[list[TaskItem], Any]:
        result = index.query(hash_key, condition, limit=size, last_evaluated_key=start_key)
        items = list(result)
        return items, result.last_evaluated_key

    page, next_cursor = cursors.page_of(
        fetch,
        lambda t: {
            "tenant_id": {"S": t.tenant_id},
            "task_id": {"S": t.task_id},
            index_key: {"S": getattr(t, index_key)},
            "due_key": {"S": t.due_key},
        },
        cursor,
        limit,
        cursors.fingerprint(hash_key, due_before),
        lambda k: (
            k.keys() == {"tenant_id", "task_id", index_key, "due_key"}
            and k["tenant_id"] == tenant_id
            and k[index_key] == hash_key
            and (due_before is None or k["due_key"] < f"{due_before}#")
        ),
    )
    return Listing([entity_of(Task, item) for item in page], next_cursor)
