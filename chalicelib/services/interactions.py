"""A contact's history and the follow-up tasks it creates."""

from __future__ import annotations

from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.auth import Principal
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.schemas.common import ListQuery
from chalicelib.schemas.interactions import InteractionCreate, TaskListQuery, TaskPatch
from chalicelib.services import audit
from chalicelib.services import contacts as contacts_service
from chalicelib.store import cursors, interactions, users
from chalicelib.store.base import connection, new_id, now_iso
from chalicelib.store.contacts import ContactItem


def _assignee(p: Principal, value: str, field: str) -> str:
    if value == "me":
        return p.user_id
    if users.get(p.tenant_id, value) is None:
        raise ValidationFailed([{"field": field, "message": "Utilisateur inconnu dans cet espace."}])
    return value


def create(p: Principal, contact: ContactItem, data: InteractionCreate) -> dict[str, Any]:
    """`contact` is loaded by the caller (contacts.load), before the body is parsed: 404 comes before 422."""
    contact_id = contact.contact_id
    at = now_iso()
    interaction_id = new_id()
    task = None
    if data.follow_up:
        task = interactions.TaskItem(
            p.tenant_id,
            new_id(),
            title=data.follow_up.title,
            contact_id=contact_id,
            interaction_id=interaction_id,
            assignee_id=_assignee(p, data.follow_up.assignee, "follow_up.assignee"),
            status="open",
            due=data.follow_up.due.isoformat() if data.follow_up.due else None,
            created_by=p.user_id,
            created_at=at,
            updated_at=at,
        )
        task.refresh_keys()
    item = interactions.InteractionItem(
        p.tenant_id,
        f"{contact_id}#{interaction_id}",
        interaction_id=interaction_id,
        contact_id=contact_id,
        kind=data.kind,
        date=data.date.isoformat(),
        summary=data.summary,
        author_id=p.user_id,
        author_email=p.email or None,
        task_id=task.task_id if task else None,
        created_at=at,
    )
    with TransactWrite(connection=connection()) as tx:
        tx.save(item, condition=interactions.InteractionItem.sk.does_not_exist())
        if task:
            tx.save(task, condition=interactions.TaskItem.task_id.does_not_exist())
    audit.record(p, "create", "interaction", interaction_id, {"contact_id": contact_id})
    result = interactions.interaction_json(item)
    result["task"] = interactions.task_json(task) if task else None
    return result


def list_for_contact(p: Principal, contact_id: str, query: ListQuery) -> dict[str, Any]:
    contacts_service.load(p, contact_id)
    items, next_cursor = cursors.page_of(
        lambda start, limit: interactions.page_for_contact(p.tenant_id, contact_id, start, limit),
        lambda i: {"tenant_id": {"S": i.tenant_id}, "sk": {"S": i.sk}},
        query.cursor,
        query.limit,
        cursors.fingerprint(p.tenant_id, "interactions", contact_id),
        lambda k: (
            k.keys() == {"tenant_id", "sk"} and k["tenant_id"] == p.tenant_id and k["sk"].startswith(f"{contact_id}#")
        ),
    )
    return {"items": [interactions.interaction_json(i) for i in items], "next_cursor": next_cursor}


def load_task(p: Principal, task_id: str) -> interactions.TaskItem:
    task = interactions.get_task(p.tenant_id, task_id) if len(task_id) <= 64 else None
    if task is None:
        raise NotFound("Tâche introuvable.")
    return task


def update_task(p: Principal, task: interactions.TaskItem, patch: TaskPatch) -> dict[str, Any]:
    changes = patch.model_fields_set
    if "title" in changes and patch.title:
        task.title = patch.title
    if "status" in changes and patch.status:
        task.status = patch.status
    if "due" in changes:
        task.due = patch.due.isoformat() if patch.due else None
    if "assignee" in changes and patch.assignee:
        task.assignee_id = _assignee(p, patch.assignee, "assignee")
    task.updated_at = now_iso()
    task.refresh_keys()
    task.save()
    audit.record(p, "update", "task", task.task_id, {"fields": sorted(changes)})
    return interactions.task_json(task)


def list_tasks(p: Principal, query: TaskListQuery) -> dict[str, Any]:
    due_before = query.due_before.isoformat() if query.due_before else None
    if query.assignee:
        assignee = p.user_id if query.assignee == "me" else query.assignee
        hash_key, by_assignee = f"{p.tenant_id}#{assignee}#{query.status}", True
    else:
        hash_key, by_assignee = f"{p.tenant_id}#{query.status}", False
    index_key = "assignee_key" if by_assignee else "status_key"
    page, next_cursor = cursors.page_of(
        lambda start, limit: interactions.tasks_page(hash_key, by_assignee, due_before, start, limit),
        lambda t: {
            "tenant_id": {"S": t.tenant_id},
            "task_id": {"S": t.task_id},
            index_key: {"S": getattr(t, index_key)},
            "due_key": {"S": t.due_key},
        },
        query.cursor,
        query.limit,
        cursors.fingerprint(hash_key, due_before),
        lambda k: (
            k.keys() == {"tenant_id", "task_id", index_key, "due_key"}
            and k["tenant_id"] == p.tenant_id
            and k[index_key] == hash_key
            and (due_before is None or k["due_key"] < f"{due_before}#")
        ),
    )
    return {"items": [interactions.task_json(t) for t in page], "next_cursor": next_cursor}
