"""/tasks: follow-ups created from interactions."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page
from chalicelib.schemas.interactions import Task, TaskListQuery, TaskPatch
from chalicelib.services import interactions

api = Api(__name__, "tasks")


@api.route(
    "/tasks",
    "GET",
    summary="Tasks by assignee (me or a user id), status and due date",
    query=TaskListQuery,
    response=Page[Task],
    errors=(400, 422),
)
def list_tasks(ctx: Ctx) -> dict[str, Any]:
    return interactions.list_tasks(ctx.user, ctx.query(TaskListQuery))


@api.route(
    "/tasks/{task_id}",
    "PATCH",
    summary="Update a task (status, due date, assignee, title)",
    body=TaskPatch,
    response=Task,
    roles="write",
    errors=(404, 422),
)
def patch_task(ctx: Ctx, task_id: str) -> dict[str, Any]:
    task = interactions.load_task(ctx.user, task_id)
    return interactions.update_task(ctx.user, task, ctx.body(TaskPatch))
