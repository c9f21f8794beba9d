"""Interactions (the history of exchanges with a contact) and follow-up tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, cast

from pydantic import Field, PlainValidator

from chalicelib.schemas.common import NOT_NULL, Line, Lines, ListQuery, Model, PlausibleDate, StrictModel, built
from chalicelib.store import entities

InteractionKind = Literal["call", "meeting", "letter", "email", "sms", "visit", "request"]
# What staff record, and what Agora records itself: a reply received to an email it sent (services/replies.py).
RecordedKind = Literal[InteractionKind, "email_reply", "merge", "consultation"]
TaskStatus = Literal["open", "done", "cancelled"]
Assignee = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$", description='"me" or a user id')
]


_WHEN_ERROR = "Date invalide (format attendu AAAA-MM-JJ ou date et heure ISO 8601)."


def _date_or_datetime(value: Any) -> date | datetime:
    """A day ("2026-11-02") or an ISO 8601 date-time, kept as given.

    One validator rather than a ``datetime | date`` union: a union reports one error per
    member (field "date.datetime") and its lax datetime branch takes numbers as timestamps.
    """
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(_WHEN_ERROR) from None
    else:
        raise ValueError(_WHEN_ERROR)
    if not 1900 <= parsed.year <= 2200:
        raise ValueError("Date hors des limites (1900–2200).")
    return parsed


When = Annotated[date | datetime, PlainValidator(_date_or_datetime, json_schema_input_type=str)]


class FollowUp(StrictModel):
    title: Annotated[str, Line(200)]
    due: PlausibleDate | None = None
    assignee: Assignee = "me"


class InteractionCreate(StrictModel):
    kind: InteractionKind
    date: When = Field(description="When it happened: a date or an ISO 8601 date-time")
    summary: Annotated[str, Lines(5000)]
    follow_up: FollowUp | None = None


class Author(Model):
    id: str
    email: str | None


class Interaction(Model):
    id: str
    contact_id: str
    kind: RecordedKind
    date: str
    summary: str
    author: Author
    task_id: str | None
    created_at: str


class Task(Model):
    id: str
    title: str
    contact_id: str
    interaction_id: str | None
    assignee: str
    status: TaskStatus
    due: date | None
    created_by: str
    created_at: str
    updated_at: str


class InteractionCreated(Interaction):
    task: Task | None = Field(description="The follow-up task created with it, if any")


class TaskPatch(StrictModel):
    title: Annotated[Annotated[str, Line(200)] | None, NOT_NULL] = None
    status: Annotated[TaskStatus | None, NOT_NULL] = None
    due: PlausibleDate | None = None
    assignee: Assignee | None = None


class TaskListQuery(ListQuery):
    assignee: Assignee | None = None
    status: TaskStatus = "open"
    due_before: date | None = None


def new_interaction(body: InteractionCreate) -> entities.NewInteraction:
    """The interaction a validated body asks to record (dates as ISO text, a date-time as given)."""
    follow_up = body.follow_up
    return {
        "kind": body.kind,
        "date": body.date.isoformat(),
        "summary": body.summary,
        "follow_up": {
            "title": follow_up.title,
            "due": follow_up.due.isoformat() if follow_up.due else None,
            "assignee": follow_up.assignee,
        }
        if follow_up
        else None,
    }


def task_changes(patch: TaskPatch) -> entities.TaskChanges:
    """The fields a task PATCH sends, and only those."""
    return cast(entities.TaskChanges, patch.model_dump(mode="json", include=patch.model_fields_set))


def interaction_json(i: entities.Interaction) -> dict[str, Any]:
    """`Interaction`."""
    return built(Interaction, i, id=i.interaction_id, author={"id": i.author_id, "email": i.author_email})


def task_json(t: entities.Task) -> dict[str, Any]:
    """`Task`."""
    return built(Task, t, id=t.task_id, assignee=t.assignee_id)


def interaction_created_json(i: entities.Interaction, task: entities.Task | None) -> dict[str, Any]:
    """`InteractionCreated`: the interaction and the follow-up task created with it."""
    return {**interaction_json(i), "task": task_json(task) if task else None}
