"""Audit trail without a synchronous DynamoDB call on the request path.

Entries are buffered for the duration of a request and flushed once at its end as SQS
messages; the `write_audit` queue handler stores them (jobs/audit_writer.py). If SQS
cannot be reached, the flush falls back to a direct DynamoDB write: a slower response is
better than an unrecorded read of personal data (CNIL accountability).
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextvars import ContextVar
from dataclasses import asdict
from typing import Any

from chalicelib.auth import Principal
from chalicelib.messaging import queues
from chalicelib.store import audit as audit_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import AuditEntry

logger = logging.getLogger("agora.audit")

QUEUE = "audit"  # the `write_audit` job's queue (jobs/registry.py)

_buffer: ContextVar[list[AuditEntry] | None] = ContextVar("agora_audit_buffer", default=None)

# An SQS message holds up to 256 KiB; entries are small, 25 per message keeps far below.
_PER_MESSAGE = 25


def begin() -> None:
    _buffer.set([])


def record(
    p: Principal,
    action: str,
    resource_type: str,
    resource_id: str,
    detail: dict[str, Any] | None = None,
    *,
    at: str | None = None,
) -> None:
    """An entry, now; or at `at`, the moment of a job's step that may run again (a chunk SQS delivers again after
    its writes went through, before its entries were flushed): the entry's id then derives from that moment and
    what it records, so that the step run again records its entries again and the writer rewrites the same items,
    neither losing nor doubling one."""
    unique = _digest(action, resource_type, resource_id, detail) if at else new_id()
    at = at or now_iso()
    entry = AuditEntry(
        tenant_id=p.tenant_id,
        entry_id=f"{at}#{unique}",
        at=at,
        actor_id=p.user_id,
        actor_email=p.email or None,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        detail=detail,
    )
    buffer = _buffer.get()
    if buffer is None:
        # Outside a request (jobs, seed): nothing would flush a buffer, so write now.
        audit_store.write_all([entry])
    else:
        buffer.append(entry)


def _digest(action: str, resource_type: str, resource_id: str, detail: dict[str, Any] | None) -> str:
    recorded = json.dumps([action, resource_type, resource_id, detail], sort_keys=True, default=str)
    return hashlib.sha256(recorded.encode("utf-8")).hexdigest()[:26]


def flush() -> None:
    entries = _buffer.get() or []
    _buffer.set(None)
    if not entries:
        return
    chunks = [entries[i : i + _PER_MESSAGE] for i in range(0, len(entries), _PER_MESSAGE)]
    try:
        refused = queues.send_batch(QUEUE, [[asdict(entry) for entry in chunk] for chunk in chunks])
        for position in refused:
            audit_store.write_all(chunks[position])
    except Exception:  # any SQS failure: keep the entries rather than lose them
        logger.exception("audit queue unavailable; writing %d entries directly", len(entries))
        audit_store.write_all(entries)


def store_message(body: str) -> None:
    """The queue handler's work for one message."""
    entries = json.loads(body)
    if not isinstance(entries, list):
        raise ValueError("audit message must be a list of entries")
    audit_store.write_all([AuditEntry(**entry) for entry in entries])
