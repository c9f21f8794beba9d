"""infra/backfill_consultation_close_keys: consultations saved before the by-close index reach the hourly purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.store import consultations
from chalicelib.store.base import new_id, now_iso
from infra.backfill_consultation_close_keys import backfill


def _old(tenant_id: str, closes_at: datetime, *, purged: bool = False) -> str:
    """Straight to the table, as saved before the by-close key existed."""
    at = now_iso()
    doc = {"title": "Place du Marché", "closes_at": closes_at.isoformat().replace("+00:00", "Z")}
    item = consultations.ConsultationItem(
        tenant_id, new_id(), doc=doc, owner_id="u", links_purged=purged, created_at=at, updated_at=at
    )
    item.save()
    return str(item.consultation_id)


def test_old_consultations_not_yet_purged_enter_the_index_once(tenant) -> None:
    closed = datetime.now(UTC) - timedelta(hours=1)
    waiting = _old(tenant.id, closed)
    _old(tenant.id, closed, purged=True)  # nothing left to purge: stays out of the index
    assert consultations.closed_unpurged(datetime.now(UTC)) == []

    assert backfill() == {"consultations": 1}
    assert [c.consultation_id for c in consultations.closed_unpurged(datetime.now(UTC))] == [waiting]
    assert backfill() == {"consultations": 0}
