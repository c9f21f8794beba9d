"""The state of a queued job that users follow (exports, letters): what marks it failed, once for all of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from chalicelib.store.base import now_iso
from chalicelib.store.entities import JobStatus


class _Job(Protocol):
    status: JobStatus
    doc: Any  # the job's TypedDict, which has an `error` key
    updated_at: str


J = TypeVar("J", bound=_Job)


def mark_failed(stored: J | None, save: Callable[[J], None], error: str) -> None:
    """Mark the job failed with the reason its user reads. ``stored`` is the job as stored now, read again by the
    caller (its progress was saved along the way); None when it is gone, and then nothing is written."""
    if stored is None:
        return
    stored.status = "failed"
    stored.doc = {**stored.doc, "error": error}
    stored.updated_at = now_iso()
    save(stored)
