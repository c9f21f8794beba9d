"""/tasks: follow-ups created from interactions."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, listing_json
from chalicelib.schemas.interactions import Task, TaskListQuery, TaskPatch, task_changes, task_json
from chalicelib.services import interactions

api = Api(__name__, "tasks", errors=(422,))


@api.get("/tasks", query=TaskListQuery, response=Page[Task], errors=(400,))
def list_tasks(ctx: Ctx) -> dict[str, Any]:
    """Tasks by assignee (me or a user id), status and due date"""
    query = ctx.query(TaskListQuery)
    listing = interactions.list_tasks(
        ctx.user,
        assignee=query.assignee,
        status=query.status,
        due_before=query.due_before,
        cursor=query.cursor,
        limit=query.limit,
    )
    return listing_json(listing, task_json)


@api.patch("/tasks/{task_id}", body=TaskPatch, response=Task, roles="write", errors=(404, 409))
def patch_task(ctx: Ctx, task_id: str) -> dict[str, Any]:
    """Update a task (status, due date, assignee, title)"""
    task = interactions.load_task(ctx.user, task_id)
    return task_json(interactions.update_task(ctx.user, task, task_changes(ctx.body(TaskPatch))))
