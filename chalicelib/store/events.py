"""Events and their seat counters (invitations and reminders: store/invitations.py).

- events: one item per event (optimistic locking on `version`).
- event_seats: one counter per event, apart from the event so that answers never fight staff edits over the
  event's version: `free` is decremented with the condition `free >= n` (absent `free` = unlimited), the only
  way seats are taken (exact under concurrency: no read-then-write).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.domain.listing import Listing
from chalicelib.domain.text import fold
from chalicelib.store.base import (
    BaseModel,
    VersionedRepository,
    entity_of,
    get_entity,
    index,
    update_if,
)
from chalicelib.store.cursors import fingerprint, partition_page
from chalicelib.store.entities import Event, Seats
from chalicelib.store.transactions import busy_is_conflict, retried_when_busy

STALE = "Cet événement a été modifié entre-temps ; rechargez-le puis réessayez."
ANSWERING = "Des réponses d'invités sont enregistrées à cet instant : veuillez réessayer dans un moment."


class EventItem(BaseModel, entity=Event, table="events", keys=("tenant_id", "event_id")):
    start_key = UnicodeAttribute(null=True)  # "{starts_at UTC}#{event_id}"
    series_key = UnicodeAttribute(null=True)  # "{tenant}#{folded series}", absent without a series

    # A tenant's events by start time: the daily electoral job reads the next 90 days, never scans.
    by_start: GlobalSecondaryIndex[EventItem] = index("by-start", "tenant_id", "start_key")
    # The occurrences of a series (« Vœux du maire » every January): the L52-1 assessment compares with them.
    by_series: GlobalSecondaryIndex[EventItem] = index("by-series", "series_key", "start_key")


class SeatsItem(BaseModel, entity=Seats, table="event_seats", keys=("tenant_id", "event_id")):
    pass


# --- events ------------------------------------------------------------------------------------------------------


def _keys(event: Event) -> dict[str, Any]:
    """The index keys an event's doc gives: by start (`{starts_at}#{id}`) and by series (the folded series, absent
    without one)."""
    series = fold(event.doc.get("series") or "")
    return {
        "start_key": f"{event.doc['starts_at']}#{event.event_id}",
        "series_key": f"{event.tenant_id}#{series}" if series else None,
    }


_repo = VersionedRepository(Event, EventItem, STALE, keys=_keys)
get_event = _repo.get  # (tenant_id, event_id)


def save_event(event: Event, *, is_new: bool) -> None:
    """Saved under its version (Conflict when stale); the new version is written back into `event`."""
    _repo.save(event, condition=EventItem.event_id.does_not_exist() if is_new else None)


def delete_event(event: Event) -> None:
    """The event itself, under the version read: Conflict(STALE) if it changed meanwhile."""
    _repo.delete(event)


def events_between(tenant_id: str, start: str, end: str) -> list[Event]:
    """Events starting in [start, end) (UTC ISO instants)."""
    return [entity_of(Event, i) for i in EventItem.by_start.query(tenant_id, EventItem.start_key.between(start, end))]


def series_events_before(tenant_id: str, series: str, starts_at: str) -> Iterator[Event]:
    """The series' events (folded: case and accents ignored) starting before `starts_at` (UTC ISO), newest first,
    read page by page as consumed."""
    key = fold(series)
    if not key:
        return iter(())
    condition = EventItem.start_key < starts_at
    found = EventItem.by_series.query(f"{tenant_id}#{key}", condition, scan_index_forward=False, page_size=20)
    return (entity_of(Event, i) for i in found)


def events_missing_keys() -> Iterator[Event]:
    """Maintenance only (infra/backfill_electoral_keys.py, run by hand): events saved before the by-start and
    by-series keys existed. A Scan, never on a request path; saving them again writes the keys."""
    return (entity_of(Event, i) for i in EventItem.scan(EventItem.start_key.does_not_exist()))


def events_page(tenant_id: str, limit: int, cursor: str | None) -> Listing[Event]:
    """A tenant's events, newest first: one Query per page, with an opaque cursor."""
    items, next_cursor = partition_page(
        EventItem, tenant_id, cursor, limit, fingerprint("events", tenant_id), newest_first=True
    )
    return Listing([entity_of(Event, i) for i in items], next_cursor)


# --- seats -------------------------------------------------------------------------------------------------------


def get_seats(tenant_id: str, event_id: str) -> Seats:
    """The event's counter; none stored reads as nothing taken, unlimited."""
    seats = get_entity(Seats, SeatsItem, tenant_id, event_id, consistent_read=True)
    return seats or Seats(tenant_id=tenant_id, event_id=event_id, taken=0, free=None)


def seats_of(tenant_id: str, event_ids: list[str]) -> dict[str, int]:
    """Seats taken of several events in one BatchGetItem (a page of the event list)."""
    if not event_ids:
        return {}
    return {s.event_id: int(s.taken or 0) for s in SeatsItem.batch_get([(tenant_id, e) for e in event_ids])}


def init_seats(tenant_id: str, event_id: str, capacity: int | None) -> None:
    SeatsItem(tenant_id, event_id, taken=0, free=capacity).save()


def delete_seats(tenant_id: str, event_id: str) -> None:
    SeatsItem(tenant_id, event_id).delete()


def _unlimited() -> Condition:
    """The counter of a live unlimited event: it exists (an UpdateItem would create a missing one, of an event
    deleted meanwhile) and has no ``free``."""
    counter_of_an_unlimited_event: Condition = SeatsItem.taken.exists() & SeatsItem.free.does_not_exist()
    return counter_of_an_unlimited_event


def take_seats(tenant_id: str, event_id: str, n: int) -> bool:
    """Take ``n`` seats if that many are free: one conditional update, atomic in DynamoDB (tried again while a
    guest's answer holds the counter in a transaction: `retried_when_busy`).

    An unlimited event has no ``free`` attribute (ADD on it would create a negative one): the first update's
    condition fails there, and the second one counts the seats under the opposite condition. Both need the counter
    to exist (an UpdateItem creates a missing item): False, nothing written, once the event is deleted."""
    if n <= 0:
        return True
    item = SeatsItem(tenant_id, event_id)
    if retried_when_busy(
        lambda: update_if(item, [SeatsItem.taken.add(n), SeatsItem.free.add(-n)], SeatsItem.free >= n)
    ):
        return True
    # False: limited and not enough free seats, or no counter
    return retried_when_busy(lambda: update_if(item, [SeatsItem.taken.add(n)], _unlimited()))


def release_seats(tenant_id: str, event_id: str, n: int) -> None:
    """Give ``n`` seats back; nothing once the event and its counter are deleted."""
    if n <= 0:
        return
    item = SeatsItem(tenant_id, event_id)
    if not retried_when_busy(
        lambda: update_if(item, [SeatsItem.taken.add(-n), SeatsItem.free.add(n)], SeatsItem.free.exists())
    ):
        retried_when_busy(lambda: update_if(item, [SeatsItem.taken.add(-n)], _unlimited()))


def resize(tenant_id: str, event_id: str, old: int | None, new: int | None) -> bool:
    """Change the capacity: free moves by the difference. False if more seats are taken than ``new`` allows;
    Conflict(ANSWERING) when a guest's answer is moving the seats in a transaction at that moment."""
    seats = get_seats(tenant_id, event_id)
    item = SeatsItem(tenant_id, event_id)
    with busy_is_conflict(ANSWERING):
        if new is None:
            return update_if(item, [SeatsItem.free.remove()], None)
        if old is None:
            if seats.taken > new:
                return False
            return update_if(item, [SeatsItem.free.set(new - seats.taken)], SeatsItem.taken == seats.taken)
        return update_if(item, [SeatsItem.free.add(new - old)], SeatsItem.free >= old - new)
