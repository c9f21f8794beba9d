"""/audit: the tenant's audit log, for its administrators."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.tenancy import AuditEntry, audit_entry_json
from chalicelib.services import audit_log

api = Api(__name__, "audit")


@api.get("/audit", query=ListQuery, response=Page[AuditEntry], roles="admin")
def list_audit(ctx: Ctx) -> dict[str, Any]:
    """Audit log, newest first (admin)"""
    query = ctx.query(ListQuery)
    return listing_json(audit_log.list_entries(ctx.user, cursor=query.cursor, limit=query.limit), audit_entry_json)
