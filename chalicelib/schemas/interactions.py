"""Interactions (the history of exchanges with a contact) and follow-up tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from chalicelib.schemas.common import ListQuery, PlausibleDate, StrictModel, text

InteractionKind = Literal["call", "meeting", "letter", "email", "visit", "request"]
TaskStatus = Literal["open", "done", "cancelled"]
Assignee = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$", description='"me" or a user id')
]


class FollowUp(StrictModel):
    title: text(200)
    due: PlausibleDate | None = None
    assignee: Assignee = "me"


class InteractionCreate(StrictModel):
    kind: InteractionKind
    date: datetime | PlausibleDate = Field(description="When it happened: a date or an ISO 8601 date-time")
    summary: text(5000)
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


class TaskPatch(StrictModel):
    title: text(200) | None = None
    status: TaskStatus | None = None
    due: PlausibleDate | None = None
    assignee: Assignee | None = None


class TaskListQuery(ListQuery):
    assignee: Assignee | None = None
    status: TaskStatus = "open"
    due_before: date | None = None
