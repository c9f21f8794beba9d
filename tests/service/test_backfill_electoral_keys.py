"""infra/backfill_electoral_keys: items saved before the electoral calendar get the keys the daily check reads."""

from __future__ import annotations

from chalicelib.store import events, tenants
from chalicelib.store.base import new_id, now_iso
from infra.backfill_electoral_keys import backfill


def test_old_settings_and_events_become_visible_to_the_daily_check_once(tenant) -> None:
    settings = tenants.TenantItem.get(tenant.id, tenants.SETTINGS_SK)
    settings.update(actions=[tenants.TenantItem.kind_key.remove()])  # as saved before the by-kind index
    at = now_iso()
    doc = {"title": "Vœux", "kind": "voeux", "series": "Vœux du maire", "starts_at": "2030-01-09T17:30:00Z"}
    old = events.EventItem(tenant.id, new_id(), doc=doc, created_at=at, updated_at=at)
    old.save()  # straight to the table, as before save_event wrote start_key and series_key
    assert tenant.id not in tenants.tenant_ids_of_kind("institution")
    assert events.events_between(tenant.id, "2030-01-01", "2030-02-01") == []

    assert backfill() == {"settings": 1, "events": 1}
    assert tenant.id in tenants.tenant_ids_of_kind("institution")
    assert [e.event_id for e in events.events_between(tenant.id, "2030-01-01", "2030-02-01")] == [old.event_id]
    assert [e.event_id for e in events.series_events_before(tenant.id, "VOEUX du Maire", "2031")] == [old.event_id]
    assert backfill() == {"settings": 0, "events": 0}
