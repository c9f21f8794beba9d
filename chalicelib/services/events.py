"""Events: create, read, list, change, copy, delete; their seat counter and reminder rule items.

Times are stored in UTC and shown with the offset of the tenant's time zone (/settings `timezone`, Paris by
default); a time typed without an offset is the tenant's wall clock. Every change of the event's time, deadline,
status or rules rewrites its rule items (one per rule, keyed by due time in the reminders index), and a change of
time or place, or a cancellation, queues a notice to the guests who said they would come.

An earlier occurrence (last year's vœux, before the commune used Agora) is recorded with `status: "closed"` and a
past `starts_at`, with its figures (`invited_count`, `attendance`, `capacity`, `budget_cents`): the L52-1
criteria compare a new event with it. Nothing is sent for it, no rule runs for it, and it cannot be reopened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.auth import Principal, require_confidential
from chalicelib.domain import events as rules
from chalicelib.domain.listing import Listing
from chalicelib.domain.time import instant, local, utc_text
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit, compliance, lookup
from chalicelib.store import contacts as contacts_store
from chalicelib.store import electoral as electoral_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import tenants
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Assessment, Event, EventDoc

NOT_FOUND = "Événement introuvable."
CONFIDENTIAL = ("protocol_notes",)
CLOSE_AFTER = timedelta(hours=6)  # guests not checked in become no_show this long after the end (or the start)
MOVES = ("starts_at", "ends_at", "place", "address")
PAST_FIGURES = ("invited_count", "attendance")
PAST_ONLY = "Réservé à une occurrence passée (statut « closed » et date passée)."

Schedule = tuple[tuple[rules.ReminderRule, datetime | None], ...]


@dataclass(frozen=True, slots=True)
class EventState:
    """An event as it is shown: its seats taken, its latest L52-1 assessment, its reminder rules with their due
    times, and the tenant's time zone its times are shown in."""

    event: Event
    seats_taken: int
    assessment: Assessment | None
    schedule: Schedule
    zone: str | None


def tenant_zone(tenant_id: str) -> str | None:
    """The tenant's time zone (/settings), read once per request that shows or takes times."""
    item = tenants.get_settings_item(tenant_id)
    return item.data.get("timezone") if item else None


def is_past_record(doc: Mapping[str, Any]) -> bool:
    return bool(doc.get("past_occurrence"))


def rule_list(doc: Mapping[str, Any]) -> list[rules.ReminderRule]:
    if doc.get("reminders") is None:
        return list(rules.DEFAULT_RULES.get(doc["kind"], ()))
    return [rules.ReminderRule(**r) for r in doc["reminders"]]


def schedule(doc: EventDoc, zone_name: str | None) -> Schedule:
    """The event's rules with their due times on the tenant's clock; none for an earlier occurrence."""
    starts, deadline = instant(doc["starts_at"]), instant(doc.get("rsvp_deadline"))
    return tuple(
        (rule, rules.due_at(rule, starts, deadline, zone_name) if starts else None)
        for rule in ([] if is_past_record(doc) else rule_list(doc))
    )


def _state(event: Event, zone_name: str | None, seats_taken: int, assessment: Assessment | None) -> EventState:
    return EventState(event, seats_taken, assessment, schedule(event.doc, zone_name), zone_name)


def _seats_taken(event: Event) -> int:
    return store.get_seats(event.tenant_id, event.event_id).taken


def require_field_access(p: Principal, body: Any) -> None:
    """Sending protocol_notes at all needs protocole, cabinet or admin (checked before 404 and 422: a role check
    answers the same whatever the record or the body)."""
    if isinstance(body, dict) and any(name in body for name in CONFIDENTIAL):
        require_confidential(p)


def load(p: Principal, event_id: str) -> Event:
    return lookup.require(store.get_event, p.tenant_id, event_id, NOT_FOUND)


def _check_organiser(p: Principal, contact_id: str | None) -> None:
    if contact_id and contacts_store.get(p.tenant_id, contact_id) is None:
        raise ValidationFailed([{"field": "organiser_contact_id", "message": "Contact introuvable."}])


def _not_past(field: str, value: datetime | None) -> None:
    if value is not None and value < datetime.now(UTC):
        raise ValidationFailed([{"field": field, "message": "Cette date est déjà passée."}])


def _past_figures_only_for_past(doc: EventDoc, given: Iterable[str], past: bool) -> None:
    """`given`: the fields the request names; a figure given a value needs an earlier occurrence."""
    named = set(given)
    figures = [name for name in PAST_FIGURES if name in named and doc.get(name) is not None]
    if figures and not past:
        raise ValidationFailed([{"field": name, "message": PAST_ONLY} for name in figures])


def writing_context(tenant_id: str) -> compliance.TenantContext:
    """What a write of an event needs of its tenant, read once: the time zone its times are typed in and shown on,
    and what the L52-1 assessment that follows every write reads (settings, calendar)."""
    return compliance.TenantContext.load(tenant_id)


def create(p: Principal, doc: EventDoc, ctx: compliance.TenantContext | None = None) -> EventState:
    """An event to come; or, with status closed and a past start, the record of an earlier occurrence. `doc` is
    the whole record (schemas.events.event_doc: the defaults, then the fields of the request)."""
    starts = instant(doc["starts_at"])
    past = doc.get("status") == "closed" and starts < datetime.now(UTC)
    _past_figures_only_for_past(doc, doc.keys(), past)
    if not past:
        _not_past("starts_at", starts)
    _check_organiser(p, doc.get("organiser_contact_id"))
    doc = EventDoc(**doc)
    if past:
        doc["past_occurrence"] = True
    at = now_iso()
    event = Event(tenant_id=p.tenant_id, event_id=new_id(), doc=doc, created_at=at, updated_at=at)
    store.save_event(event, is_new=True)
    store.init_seats(p.tenant_id, event.event_id, doc.get("capacity"))
    ctx = ctx or writing_context(p.tenant_id)
    sync_reminders(event, zone_name=ctx.zone)
    audit.record(p, "create", "event", event.event_id, {"kind": doc["kind"], "past_occurrence": past})
    return _state(event, ctx.zone, 0, compliance.assess_and_store(event, ctx))


def get(p: Principal, event_id: str) -> EventState:
    event = load(p, event_id)
    zone_name = tenant_zone(p.tenant_id)
    seats_taken = _seats_taken(event)
    return _state(event, zone_name, seats_taken, electoral_store.get_assessment(p.tenant_id, event.event_id))


def update(
    p: Principal, event: Event, doc: EventDoc, fields: list[str], version: int, ctx: compliance.TenantContext
) -> EventState:
    """`doc` is the event after the patch, `fields` the fields it names (schemas.events.merged_event, which checks
    the times together), `version` the version the patch was written against."""
    if version != event.version:
        raise Conflict(store.STALE)
    old = event.doc
    past = is_past_record(old)
    _past_figures_only_for_past(doc, fields, past)
    if past:
        _stays_past(doc)
    elif doc["starts_at"] != old["starts_at"]:
        _not_past("starts_at", instant(doc["starts_at"]))
    if "organiser_contact_id" in fields:
        _check_organiser(p, doc.get("organiser_contact_id"))
    if doc.get("capacity") != old.get("capacity") and not store.resize(
        p.tenant_id, event.event_id, old.get("capacity"), doc.get("capacity")
    ):
        taken = _seats_taken(event)
        raise ValidationFailed(
            [
                {
                    "field": "capacity",
                    "message": f"{taken} places sont déjà prises : la jauge ne peut pas être inférieure.",
                }
            ]
        )
    event.doc = doc
    event.updated_at = now_iso()
    try:
        store.save_event(event, is_new=False)
    except Conflict:
        if doc.get("capacity") != old.get("capacity"):  # undo the counter: the event did not change
            store.resize(p.tenant_id, event.event_id, doc.get("capacity"), old.get("capacity"))
        raise
    moved = any(doc.get(k) != old.get(k) for k in MOVES)
    cancelled = doc.get("status") == "cancelled" and old.get("status") != "cancelled"
    sync_reminders(event, notice=(moved and doc.get("status") == "open") or cancelled, zone_name=ctx.zone)
    audit.record(p, "update", "event", event.event_id, {"fields": sorted(fields)})
    assessment = compliance.assess_and_store(event, ctx)
    return _state(event, ctx.zone, _seats_taken(event), assessment)


def _stays_past(doc: EventDoc) -> None:
    """An earlier occurrence's figures may be corrected; it cannot become an event to come."""
    if doc.get("status") != "closed":
        raise Conflict(
            "Une occurrence passée ne peut pas être rouverte : créez un nouvel événement (ou copiez celle-ci).",
            [{"field": "status", "message": "Une occurrence passée reste « closed »."}],
        )
    _past("starts_at", instant(doc["starts_at"]))


def _past(field: str, value: datetime | None) -> None:
    if value is not None and value >= datetime.now(UTC):
        raise ValidationFailed([{"field": field, "message": "Une occurrence passée garde une date passée."}])


def delete(p: Principal, event: Event) -> None:
    """Only an event nobody was told of: otherwise it is cancelled (the guests get a notice), never erased. An event
    changed since it was read is a Conflict before anything of it is deleted (its guest list above all); one changed
    while its invitations are being deleted, a Conflict too, the event kept."""
    current = store.get_event(p.tenant_id, event.event_id, consistent=True)
    if current is None:
        raise NotFound(NOT_FOUND)  # deleted meanwhile
    if current.version != event.version:
        raise Conflict(store.STALE)
    if not invitations_store.delete_all_unless_sent(p.tenant_id, event.event_id):
        raise Conflict(
            "Des invitations ont été envoyées : annulez l'événement (statut « cancelled ») au lieu de le supprimer."
        )
    store.delete_seats(p.tenant_id, event.event_id)
    electoral_store.forget_event(p.tenant_id, event.event_id)
    store.delete_event(event)
    audit.record(p, "delete", "event", event.event_id)


def list_events(p: Principal, limit: int, cursor: str | None) -> Listing[EventState]:
    page = store.events_page(p.tenant_id, limit, cursor)
    ids = [e.event_id for e in page.items]
    seats = store.seats_of(p.tenant_id, ids)  # one BatchGetItem, not one read per event
    assessments = electoral_store.assessments_of(p.tenant_id, ids)
    zone_name = tenant_zone(p.tenant_id) if page.items else None
    return Listing(
        [_state(e, zone_name, seats.get(e.event_id, 0), assessments.get(e.event_id)) for e in page.items],
        page.next_cursor,
    )


def copy(p: Principal, event: Event, starts_at: datetime, ctx: compliance.TenantContext) -> EventState:
    """Last year's vœux again: same fields moved by the same delta, status draft, the guest list as new invitations."""
    from chalicelib.services import invitations

    _not_past("starts_at", starts_at)
    old = event.doc
    delta = starts_at - instant(old["starts_at"])
    doc = EventDoc(**old)
    doc["status"], doc["starts_at"], doc["past_occurrence"] = "draft", utc_text(starts_at), False
    doc["invited_count"] = doc["attendance"] = None  # the figures of the occurrence copied are not the copy's
    if old.get("ends_at"):
        doc["ends_at"] = _moved(old.get("ends_at"), delta)
    if old.get("rsvp_deadline"):
        doc["rsvp_deadline"] = _moved(old.get("rsvp_deadline"), delta)
    if not p.can_see_confidential:
        doc["protocol_notes"] = None
    at = now_iso()
    copied = Event(tenant_id=p.tenant_id, event_id=new_id(), doc=doc, created_at=at, updated_at=at)
    store.save_event(copied, is_new=True)
    store.init_seats(p.tenant_id, copied.event_id, doc.get("capacity"))
    sync_reminders(copied, zone_name=ctx.zone)
    guests = [i for i in invitations_store.invitations_of_event(p.tenant_id, event.event_id) if i.status != "cancelled"]
    invitations.copy_guest_list(p, copied, guests)
    audit.record(p, "create", "event", copied.event_id, {"copied_from": event.event_id})
    return _state(copied, ctx.zone, 0, compliance.assess_and_store(copied, ctx))


def _moved(value: str | None, delta: timedelta) -> str | None:
    return utc_text(instant(value) + delta) if value else value


# --- reminder rule items ------------------------------------------------------------------------------------------


def sync_reminders(event: Event, notice: bool = False, *, zone_name: str | None) -> None:
    """Rewrite the event's rule items: each rule due at its time while the event is open; a notice due now. An
    earlier occurrence recorded after the fact has none: nothing is sent for it, nobody is marked absent."""
    doc = event.doc
    if is_past_record(doc):
        return
    starts, deadline = instant(doc["starts_at"]), instant(doc.get("rsvp_deadline"))
    status = doc.get("status")
    wanted: dict[str, tuple[dict[str, Any], str | None]] = {}
    for rule in rule_list(doc):
        if rule.kind == "offer_expiry":
            continue  # its own item, due at the earliest offer's expiry (services/rsvp)
        due = rules.due_at(rule, starts, deadline, zone_name) if status == "open" else None
        wanted[rules.rule_id(rule)] = (
            {"kind": rule.kind, "offset": rule.offset, "channel": rule.channel, "template": rule.template},
            utc_text(due),
        )
    ends = instant(doc.get("ends_at")) or starts
    wanted["close"] = ({"kind": "close"}, utc_text(ends + CLOSE_AFTER) if status in ("open", "closed") else None)
    if notice:
        stamp = now_iso()
        wanted[f"notice-{event.version}"] = (
            {"kind": "notice", "cancelled": status == "cancelled", "at": stamp},
            utc_text(datetime.now(UTC)),
        )
    invitations_store.replace_reminders(event.tenant_id, event.event_id, wanted)


def schedule_offer_expiry(tenant_id: str, event_id: str, until: datetime) -> None:
    """The event's offer_expiry item becomes due at the earliest offer's expiry (kept if already earlier)."""
    invitations_store.schedule_offer_expiry(tenant_id, event_id, utc_text(until))


# --- protocol of the event ------------------------------------------------------------------------------------------


def ceremony_request(p: Principal, event: Event, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A precedence request for the guests who are coming (accepted, present): the protocol module's input.

    The place is the tenant's (département and commune from /settings), the day the event's in Paris time, the
    inviting authority the event's organiser when they attend. A representative who is a contact stands in their
    own right (capacity « other »: precedence does not delegate outside art. 14's cases, which staff set on
    /protocol/precedence directly)."""
    settings_item = tenants.get_settings_item(p.tenant_id)
    settings = settings_item.data if settings_item else {}
    if not settings.get("departement"):
        raise ValidationFailed(
            [{"field": "departement", "message": "Renseignez le département de la collectivité dans /settings."}]
        )
    contact_ids: list[str] = []
    representations: list[dict[str, str]] = []
    for status in ("accepted", "attended", "represented"):
        for invitation in invitations_store.invitations_in_status(p.tenant_id, event.event_id, status):
            representative = invitation.doc.get("representative")
            if status == "represented":
                stand_in = representative.get("contact_id") if representative else None
                if stand_in:
                    contact_ids.append(stand_in)
                    representations.append(
                        {
                            "contact_id": stand_in,
                            "represents_contact_id": invitation.contact_id,
                            "capacity": "other",
                        }
                    )
                continue
            contact_ids.append(invitation.contact_id)
    contact_ids = list(dict.fromkeys(contact_ids))
    if not contact_ids:
        raise Conflict("Aucun invité n'a encore confirmé sa venue.")
    organiser = event.doc.get("organiser_contact_id")
    ceremony = {
        "name": event.doc["title"],
        "departement": settings["departement"],
        "commune_insee": settings.get("commune_insee"),
        "date": local(instant(event.doc["starts_at"]), settings.get("timezone")).date().isoformat(),
        "inviting_contact_id": organiser if organiser in contact_ids else None,
    }
    return {"contact_ids": contact_ids[:300], "ceremony": ceremony, "representations": representations, **(extra or {})}
