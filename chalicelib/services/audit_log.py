"""Reading the audit log (writing is services/audit.py)."""

from __future__ import annotations

from chalicelib.auth import Principal
from chalicelib.domain.listing import Listing
from chalicelib.store import audit as audit_store
from chalicelib.store.entities import AuditEntry


def list_entries(p: Principal, *, cursor: str | None, limit: int) -> Listing[AuditEntry]:
    """The tenant's entries, newest first."""
    return audit_store.page(p.tenant_id, cursor, limit)
