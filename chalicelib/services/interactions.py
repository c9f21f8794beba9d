"""A contact's history and the follow-up tasks it creates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.auth import Principal
from chalicelib.domain.listing import Listing
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit, lookup
from chalicelib.services import contacts as contacts_service
from chalicelib.store import interactions, users
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Interaction, NewInteraction, Task, TaskChanges

TASK_NOT_FOUND = "Tâche introuvable."
TASK_MOVED = "Cette tâche a été modifiée entre-temps (rattachée à un autre contact) ; rechargez-la puis réessayez."


def _assignee(p: Principal, value: str, field: str) -> str:
    if value == "me":
        return p.user_id
    if users.get(p.tenant_id, value) is None:
        raise ValidationFailed([{"field": field, "message": "Utilisateur inconnu dans cet espace."}])
    return value


def create(p: Principal, contact: Contact, data: NewInteraction) -> tuple[Interaction, Task | None]:
    """The interaction recorded, and its follow-up task if asked for.

    `contact` is loaded by the caller (contacts.load), before the body is parsed: 404 comes before 422.
    """
    contact_id = contact.contact_id
    at = now_iso()
    interaction_id = new_id()
    task = None
    follow_up = data["follow_up"]
    if follow_up:
        task = Task(
            tenant_id=p.tenant_id,
            task_id=new_id(),
            title=follow_up["title"],
            contact_id=contact_id,
            interaction_id=interaction_id,
            assignee_id=_assignee(p, follow_up["assignee"], "follow_up.assignee"),
            status="open",
            due=follow_up["due"],
            created_by=p.user_id,
            created_at=at,
            updated_at=at,
        )
    interaction = Interaction(
        tenant_id=p.tenant_id,
        contact_id=contact_id,
        interaction_id=interaction_id,
        kind=data["kind"],
        date=data["date"],
        summary=data["summary"],
        author_id=p.user_id,
        author_email=p.email or None,
        task_id=task.task_id if task else None,
        created_at=at,
    )
    interactions.record(interaction, task)
    audit.record(p, "create", "interaction", interaction_id, {"contact_id": contact_id})
    return interaction, task


def list_for_contact(p: Principal, contact_id: str, *, cursor: str | None, limit: int) -> Listing[Interaction]:
    contacts_service.load(p, contact_id)
    return interactions.page_for_contact(p.tenant_id, contact_id, cursor, limit)


def load_task(p: Principal, task_id: str) -> Task:
    return lookup.require(interactions.get_task, p.tenant_id, task_id, TASK_NOT_FOUND)


def update_task(p: Principal, task: Task, changes: TaskChanges) -> Task:
    """Apply the fields a PATCH sent (`changes`): a null title, status or assignee changes nothing, a null due
    date clears it."""
    updated = replace(task)
    if title := changes.get("title"):
        updated.title = title
    if status := changes.get("status"):
        updated.status = status
    if "due" in changes:
        updated.due = changes["due"]
    if assignee := changes.get("assignee"):
        updated.assignee_id = _assignee(p, assignee, "assignee")
    updated.updated_at = now_iso()
    if not interactions.save_task(updated):
        if interactions.get_task(p.tenant_id, task.task_id, consistent=True) is None:
            raise NotFound(TASK_NOT_FOUND)  # deleted with its contact since it was read
        raise Conflict(TASK_MOVED)
    audit.record(p, "update", "task", task.task_id, {"fields": sorted(changes)})
    return updated


def list_tasks(
    p: Principal,
    *,
    assignee: str | None = None,
    status: str = "open",
    due_before: date | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Listing[Task]:
    """Tasks in a status, by due date: of an assignee ("me" or a user id) if given, else of the whole tenant."""
    return interactions.tasks_page(
        p.tenant_id,
        status=status,
        assignee=(p.user_id if assignee == "me" else assignee) if assignee else None,
        due_before=due_before.isoformat() if due_before else None,
        cursor=cursor,
        limit=limit,
    )
