"""Interactions (a contact's history) and follow-up tasks.

Interactions sort by "{contact id}#{ulid}" so a contact's latest ones are one Query.
Tasks have one GSI per way they are listed; each hash key starts with the tenant.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.store.base import BaseModel, TableName

NO_DUE = "9999-12-31"


class InteractionItem(BaseModel):
    class Meta:
        table_name = TableName("interactions")

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)  # "{contact_id}#{interaction_id}"
    interaction_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    date = UnicodeAttribute()
    summary = UnicodeAttribute()
    author_id = UnicodeAttribute()
    author_email = UnicodeAttribute(null=True)
    task_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class _ByAssignee(GlobalSecondaryIndex["TaskItem"]):
    class Meta:
        index_name = "by-assignee"
        projection = AllProjection()

    assignee_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{assignee}#{status}"
    due_key = UnicodeAttribute(range_key=True)  # "{due or 9999-12-31}#{task_id}"


class _ByStatus(GlobalSecondaryIndex["TaskItem"]):
    class Meta:
        index_name = "by-status"
        projection = AllProjection()

    status_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{status}"
    due_key = UnicodeAttribute(range_key=True)


class _ByContact(GlobalSecondaryIndex["TaskItem"]):
    class Meta:
        index_name = "by-contact"
        projection = AllProjection()

    contact_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{contact}#{status}"
    due_key = UnicodeAttribute(range_key=True)


class TaskItem(BaseModel):
    class Meta:
        table_name = TableName("tasks")

    tenant_id = UnicodeAttribute(hash_key=True)
    task_id = UnicodeAttribute(range_key=True)
    title = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    interaction_id = UnicodeAttribute(null=True)
    assignee_id = UnicodeAttribute()
    status = UnicodeAttribute()
    due = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    assignee_key = UnicodeAttribute()
    status_key = UnicodeAttribute()
    contact_key = UnicodeAttribute()
    due_key = UnicodeAttribute()

    by_assignee = _ByAssignee()
    by_status = _ByStatus()
    by_contact = _ByContact()

    def refresh_keys(self) -> None:
        """Derived index keys: recomputed on every write so the GSIs always agree with the task."""
        self.assignee_key = f"{self.tenant_id}#{self.assignee_id}#{self.status}"
        self.status_key = f"{self.tenant_id}#{self.status}"
        self.contact_key = f"{self.tenant_id}#{self.contact_id}#{self.status}"
        self.due_key = f"{self.due or NO_DUE}#{self.task_id}"


def interaction_json(i: InteractionItem) -> dict[str, Any]:
    return {
        "id": i.interaction_id,
        "contact_id": i.contact_id,
        "kind": i.kind,
        "date": i.date,
        "summary": i.summary,
        "author": {"id": i.author_id, "email": i.author_email},
        "task_id": i.task_id,
        "created_at": i.created_at,
    }


def task_json(t: TaskItem) -> dict[str, Any]:
    return {
        "id": t.task_id,
        "title": t.title,
        "contact_id": t.contact_id,
        "interaction_id": t.interaction_id,
        "assignee": t.assignee_id,
        "status": t.status,
        "due": t.due,
        "created_by": t.created_by,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def recent_for_contact(tenant_id: str, contact_id: str, limit: int) -> list[InteractionItem]:
    return list(
        InteractionItem.query(
            tenant_id, InteractionItem.sk.startswith(f"{contact_id}#"), scan_index_forward=False, limit=limit
        )
    )


def page_for_contact(
    tenant_id: str, contact_id: str, start_key: dict[str, Any] | None, limit: int
) -> tuple[list[InteractionItem], Any]:
    result = InteractionItem.query(
        tenant_id,
        InteractionItem.sk.startswith(f"{contact_id}#"),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=start_key,
    )
    items = list(result)
    return items, result.last_evaluated_key


def open_tasks_for_contact(tenant_id: str, contact_id: str, limit: int = 50) -> list[TaskItem]:
    return list(TaskItem.by_contact.query(f"{tenant_id}#{contact_id}#open", limit=limit))


def delete_all_for_contact(tenant_id: str, contact_id: str) -> None:
    """A deleted contact's history and tasks go with it (no task left pointing at nobody)."""
    with InteractionItem.batch_write() as batch:
        for item in InteractionItem.query(tenant_id, InteractionItem.sk.startswith(f"{contact_id}#")):
            batch.delete(item)
    with TaskItem.batch_write() as batch:
        for status in ("open", "done", "cancelled"):
            for task in TaskItem.by_contact.query(f"{tenant_id}#{contact_id}#{status}"):
                batch.delete(task)


def get_task(tenant_id: str, task_id: str) -> TaskItem | None:
    try:
        return TaskItem.get(tenant_id, task_id)
    except DoesNotExist:
        return None


def tasks_page(
    hash_key: str, by_assignee: bool, due_before: str | None, start_key: dict[str, Any] | None, limit: int
) -> tuple[list[TaskItem], Any]:
    index = TaskItem.by_assignee if by_assignee else TaskItem.by_status
    condition = TaskItem.due_key < f"{due_before}#" if due_before else None
    result = index.query(hash_key, condition, limit=limit, last_evaluated_key=start_key)
    items = list(result)
    return items, result.last_evaluated_key
