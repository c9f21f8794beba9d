"""/audit: the tenant's audit log, for its administrators."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page
from chalicelib.services import audit_log

api = Api(__name__, "audit")


class AuditEntry(BaseModel):
    at: str
    actor_id: str
    actor_email: str | None
    action: str
    resource_type: str
    resource_id: str
    detail: dict[str, Any] | None


@api.route(
    "/audit",
    "GET",
    summary="Audit log, newest first (admin)",
    query=ListQuery,
    response=Page[AuditEntry],
    roles="admin",
)
def list_audit(ctx: Ctx) -> dict[str, Any]:
    return audit_log.list_entries(ctx.user, ctx.query(ListQuery))
