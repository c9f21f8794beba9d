"""Interactions (the history of exchanges with a contact) and follow-up tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainValidator

from chalicelib.schemas.common import NOT_NULL, Line, Lines, ListQuery, PlausibleDate, StrictModel

InteractionKind = Literal["call", "meeting", "letter", "email", "sms", "visit", "request"]
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


class Author(BaseModel):
    id: str
    email: str | None


class Interaction(BaseModel):
    id: str
    contact_id: str
    kind: InteractionKind
    date: str
    summary: str
    author: Author
    task_id: str | None
    created_at: str


class Task(BaseModel):
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
