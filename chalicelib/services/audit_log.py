"""Reading the audit log (writing is services/audit.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.auth import Principal
from chalicelib.schemas.common import ListQuery
from chalicelib.store import audit as audit_store
from chalicelib.store import cursors


def list_entries(p: Principal, query: ListQuery) -> dict[str, Any]:
    items, next_cursor = cursors.page_of(
        lambda start, limit: audit_store.query_page(p.tenant_id, start, limit),
        lambda e: {"tenant_id": {"S": e.tenant_id}, "entry_id": {"S": e.entry_id}},
        query.cursor,
        query.limit,
        cursors.fingerprint(p.tenant_id, "audit"),
        lambda k: k.keys() == {"tenant_id", "entry_id"} and k["tenant_id"] == p.tenant_id,
    )
    return {
        "items": [
            {
                "at": e.at,
                "actor_id": e.actor_id,
                "actor_email": e.actor_email,
                "action": e.action,
                "resource_type": e.resource_type,
                "resource_id": e.resource_id,
                "detail": e.detail,
            }
            for e in items
        ],
        "next_cursor": next_cursor,
    }
