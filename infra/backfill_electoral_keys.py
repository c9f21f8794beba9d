"""One-off, for a stack deployed before the electoral calendar: write the index keys the electoral check reads.

The daily check lists institutions through the tenants' sparse `by-kind` index and a tenant's coming events
through the events' `by-start` index (and a series through `by-series`); items saved before those keys existed
carry none, so the check would not see them until they are saved again. This saves them again, once. It Scans
both tables: a maintenance step run by hand (`python -m infra.backfill_electoral_keys`, with the stage's
AGORA_TABLE_PREFIX and AWS credentials), never a request path. Running it twice changes nothing more.
"""

from __future__ import annotations

from chalicelib.store import events, tenants


def backfill() -> dict[str, int]:
    done = {"settings": 0, "events": 0}
    for item in tenants.TenantItem.scan(tenants.TenantItem.sk == tenants.SETTINGS_SK):
        if item.kind_key != item.data.get("kind"):
            item.kind_key = item.data.get("kind")
            item.save()  # VersionAttribute: a concurrent edit of the settings makes this fail loudly, not lose it
            done["settings"] += 1
    for event in events.events_missing_keys():
        events.save_event(event, is_new=False)  # writes start_key and series_key under the version check
        done["events"] += 1
    return done


if __name__ == "__main__":
    print(backfill())
