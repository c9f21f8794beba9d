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

from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.auth import Principal, require_confidential
from chalicelib.domain import events as rules
from chalicelib.domain.time import instant, local, utc_text
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.common import FieldError
from chalicelib.schemas.events import EventCreate, EventPatch, check_times
from chalicelib.services import audit, compliance
from chalicelib.store import contacts as contacts_store
from chalicelib.store import electoral as electoral_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import tenants
from chalicelib.store.base import new_id, now_iso

CONFIDENTIAL = ("protocol_notes",)
CLOSE_AFTER = timedelta(hours=6)  # guests not checked in become no_show this long after the end (or the start)
MOVES = ("starts_at", "ends_at", "place", "address")
DEFAULTS: dict[str, Any] = {
    "description": None,
    "series": None,
    "ends_at": None,
    "place": None,
    "address": None,
    "capacity": None,
    "companions_max": 0,
    "rsvp_deadline": None,
    "regrets_only": False,
    "status": "draft",
    "budget_cents": None,
    "organiser_contact_id": None,
    "protocol_notes": None,
    "invitation_text": None,
    "reminders": None,
    "invited_count": None,
    "attendance": None,
}
PAST_FIGURES = ("invited_count", "attendance")
PAST_ONLY = "Réservé à une occurrence passée (statut « closed » et date passée)."
_READ: Any = object()  # event_json: read the stored assessment


def shown(value: str | None, zone_name: str | None = None) -> str | None:
    """A stored UTC instant as the API shows it: with the offset of the tenant's zone."""
    moment = instant(value)
    return local(moment, zone_name).isoformat() if moment else None


def tenant_zone(tenant_id: str) -> str | None:
    """The tenant's time zone (/settings), read once per request that shows or takes times."""
    item = tenants.get_settings_item(tenant_id)
    return item.data.get("timezone") if item else None


def is_past_record(doc: dict[str, Any]) -> bool:
    return bool(doc.get("past_occurrence"))


def rule_list(doc: dict[str, Any]) -> list[rules.ReminderRule]:
    if doc.get("reminders") is None:
        return list(rules.DEFAULT_RULES.get(doc["kind"], ()))
    return [rules.ReminderRule(**r) for r in doc["reminders"]]


def event_json(
    p: Principal,
    item: store.EventItem,
    seats_taken: int | None = None,
    assessment: dict[str, Any] | None = _READ,
    *,
    zone_name: str | None,
) -> dict[str, Any]:
    doc = item.doc
    starts, deadline = instant(doc["starts_at"]), instant(doc.get("rsvp_deadline"))
    reminders = []
    for rule in [] if is_past_record(doc) else rule_list(doc):
        due = rules.due_at(rule, starts, deadline, zone_name) if starts else None
        reminders.append(
            {
                "id": rules.rule_id(rule),
                "kind": rule.kind,
                "offset": rule.offset,
                "channel": rule.channel,
                "template": rule.template,
                "due_at": local(due, zone_name).isoformat() if due else None,
            }
        )
    if seats_taken is None:
        seats_taken = int(store.get_seats(p.tenant_id, item.event_id).taken or 0)
    if assessment is _READ:
        stored = electoral_store.get(p.tenant_id, f"assessment#{item.event_id}")
        assessment = stored.doc if stored else None
    return {
        "id": item.event_id,
        **{k: doc.get(k, DEFAULTS.get(k)) for k in ("title", "kind", *DEFAULTS)},
        "starts_at": shown(doc["starts_at"], zone_name),
        "ends_at": shown(doc.get("ends_at"), zone_name),
        "rsvp_deadline": shown(doc.get("rsvp_deadline"), zone_name),
        "past_occurrence": is_past_record(doc),
        "protocol_notes": doc.get("protocol_notes") if p.can_see_confidential else None,
        "reminders": reminders,
        "seats_taken": seats_taken,
        "compliance": compliance.summary(assessment),
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def require_field_access(p: Principal, body: Any) -> None:
    """Sending protocol_notes at all needs protocole, cabinet or admin (checked before 404 and 422: a role check
    answers the same whatever the record or the body)."""
    if isinstance(body, dict) and any(name in body for name in CONFIDENTIAL):
        require_confidential(p)


def load(p: Principal, event_id: str) -> store.EventItem:
    item = store.get_event(p.tenant_id, event_id) if len(event_id) <= 64 else None
    if item is None:
        raise NotFound("Événement introuvable.")
    return item


def _check_organiser(p: Principal, contact_id: str | None) -> None:
    if contact_id and contacts_store.get(p.tenant_id, contact_id) is None:
        raise ValidationFailed([{"field": "organiser_contact_id", "message": "Contact introuvable."}])


def _not_past(field: str, value: datetime | None) -> None:
    if value is not None and value < datetime.now(UTC):
        raise ValidationFailed([{"field": field, "message": "Cette date est déjà passée."}])


def _doc_from(data: EventCreate | EventPatch, base: dict[str, Any]) -> dict[str, Any]:
    doc = dict(base)
    for name in data.model_fields_set - {"version"}:
        value = getattr(data, name)
        if name in ("starts_at", "ends_at", "rsvp_deadline"):
            doc[name] = utc_text(value)
        elif name == "reminders":
            doc[name] = None if value is None else [r.model_dump(mode="json") for r in value]
        else:
            doc[name] = value
    return doc


def _past_figures_only_for_past(data: EventCreate | EventPatch, past: bool) -> None:
    given = [name for name in PAST_FIGURES if getattr(data, name) is not None]
    if given and not past:
        raise ValidationFailed([{"field": name, "message": PAST_ONLY} for name in given])


def writing_context(tenant_id: str) -> compliance.TenantContext:
    """What a write of an event needs of its tenant, read once: the time zone its times are typed in and shown on,
    and what the L52-1 assessment that follows every write reads (settings, calendar)."""
    return compliance.TenantContext.load(tenant_id)


def create(p: Principal, data: EventCreate, ctx: compliance.TenantContext | None = None) -> dict[str, Any]:
    """An event to come; or, with status closed and a past start, the record of an earlier occurrence."""
    past = data.status == "closed" and data.starts_at < datetime.now(UTC)
    _past_figures_only_for_past(data, past)
    if not past:
        _not_past("starts_at", data.starts_at)
    _check_organiser(p, data.organiser_contact_id)
    doc = _doc_from(data, {**DEFAULTS})
    if past:
        doc["past_occurrence"] = True
    at = now_iso()
    item = store.EventItem(p.tenant_id, new_id(), doc=doc, created_at=at, updated_at=at)
    store.save_event(item, is_new=True)
    store.init_seats(p.tenant_id, item.event_id, doc.get("capacity"))
    ctx = ctx or writing_context(p.tenant_id)
    sync_reminders(item, zone_name=ctx.zone)
    audit.record(p, "create", "event", item.event_id, {"kind": doc["kind"], "past_occurrence": past})
    return event_json(p, item, seats_taken=0, assessment=compliance.assess_and_store(item, ctx), zone_name=ctx.zone)


def get(p: Principal, event_id: str) -> dict[str, Any]:
    return event_json(p, load(p, event_id), zone_name=tenant_zone(p.tenant_id))


def update(p: Principal, item: store.EventItem, data: EventPatch, ctx: compliance.TenantContext) -> dict[str, Any]:
    if data.version != item.version:
        raise Conflict(store.STALE)
    old = dict(item.doc)
    past = is_past_record(old)
    _past_figures_only_for_past(data, past)
    doc = _doc_from(data, old)
    try:
        check_times(instant(doc["starts_at"]), instant(doc.get("ends_at")), instant(doc.get("rsvp_deadline")))
    except FieldError as exc:
        raise ValidationFailed([{"field": exc.field, "message": str(exc)}]) from exc
    if past:
        _stays_past(doc)
    elif doc["starts_at"] != old["starts_at"]:
        _not_past("starts_at", instant(doc["starts_at"]))
    if "organiser_contact_id" in data.model_fields_set:
        _check_organiser(p, doc.get("organiser_contact_id"))
    if doc.get("capacity") != old.get("capacity") and not store.resize(
        p.tenant_id, item.event_id, old.get("capacity"), doc.get("capacity")
    ):
        taken = store.get_seats(p.tenant_id, item.event_id).taken
        raise ValidationFailed(
            [
                {
                    "field": "capacity",
                    "message": f"{taken} places sont déjà prises : la jauge ne peut pas être inférieure.",
                }
            ]
        )
    item.doc = doc
    item.updated_at = now_iso()
    try:
        store.save_event(item, is_new=False)
    except Conflict:
        if doc.get("capacity") != old.get("capacity"):  # undo the counter: the event did not change
            store.resize(p.tenant_id, item.event_id, doc.get("capacity"), old.get("capacity"))
        raise
    moved = any(doc.get(k) != old.get(k) for k in MOVES)
    cancelled = doc["status"] == "cancelled" and old["status"] != "cancelled"
    sync_reminders(item, notice=(moved and doc["status"] == "open") or cancelled, zone_name=ctx.zone)
    audit.record(p, "update", "event", item.event_id, {"fields": sorted(data.model_fields_set - {"version"})})
    return event_json(p, item, assessment=compliance.assess_and_store(item, ctx), zone_name=ctx.zone)


def _stays_past(doc: dict[str, Any]) -> None:
    """An earlier occurrence's figures may be corrected; it cannot become an event to come."""
    if doc["status"] != "closed":
        raise Conflict(
            "Une occurrence passée ne peut pas être rouverte : créez un nouvel événement (ou copiez celle-ci).",
            [{"field": "status", "message": "Une occurrence passée reste « closed »."}],
        )
    _past("starts_at", instant(doc["starts_at"]))


def _past(field: str, value: datetime | None) -> None:
    if value is not None and value >= datetime.now(UTC):
        raise ValidationFailed([{"field": field, "message": "Une occurrence passée garde une date passée."}])


def delete(p: Principal, item: store.EventItem) -> None:
    """Only an event nobody was told of: otherwise it is cancelled (the guests get a notice), never erased."""
    invitations = invitations_store.all_for_event(p.tenant_id, item.event_id)
    if any(i.sent_at for i in invitations):
        raise Conflict(
            "Des invitations ont été envoyées : annulez l'événement (statut « cancelled ») au lieu de le supprimer."
        )
    for invitation in invitations:
        for contact_id in {invitation.contact_id, invitation.doc.get("partner_contact_id")} - {None}:
            invitations_store.InvitationGuard(
                p.tenant_id, invitations_store.guard_key(item.event_id, str(contact_id))
            ).delete()
        invitation.delete()
    for reminder in invitations_store.ReminderItem.query(
        p.tenant_id, invitations_store.ReminderItem.sk.startswith(f"{item.event_id}#")
    ):
        reminder.delete()
    store.SeatsItem(p.tenant_id, item.event_id).delete()
    electoral_store.forget_event(p.tenant_id, item.event_id)
    item.delete()
    audit.record(p, "delete", "event", item.event_id)


def list_events(p: Principal, limit: int, cursor: str | None) -> dict[str, Any]:
    from chalicelib.store.cursors import fingerprint, page_of

    items, next_cursor = page_of(
        lambda start, n: store.events_page(p.tenant_id, start, n),
        lambda e: {"tenant_id": {"S": e.tenant_id}, "event_id": {"S": e.event_id}},
        cursor,
        limit,
        fingerprint("events", p.tenant_id),
        lambda key: key.get("tenant_id") == p.tenant_id and set(key) == {"tenant_id", "event_id"},
    )
    ids = [e.event_id for e in items]
    seats = store.seats_of(p.tenant_id, ids)  # one BatchGetItem, not one read per event
    assessments = electoral_store.assessments_of(p.tenant_id, ids)
    zone_name = tenant_zone(p.tenant_id) if items else None
    return {
        "items": [
            event_json(p, e, seats.get(e.event_id, 0), assessments.get(e.event_id), zone_name=zone_name) for e in items
        ],
        "next_cursor": next_cursor,
    }


def copy(p: Principal, item: store.EventItem, starts_at: datetime, ctx: compliance.TenantContext) -> dict[str, Any]:
    """Last year's vœux again: same fields moved by the same delta, status draft, the guest list as new invitations."""
    from chalicelib.services import invitations

    _not_past("starts_at", starts_at)
    old = item.doc
    delta = starts_at - instant(old["starts_at"])
    doc = {**old, "status": "draft", "starts_at": utc_text(starts_at), "past_occurrence": False}
    doc.update({name: None for name in PAST_FIGURES})  # the figures of the occurrence copied are not the copy's
    for name in ("ends_at", "rsvp_deadline"):
        if old.get(name):
            doc[name] = utc_text(instant(old[name]) + delta)
    if not p.can_see_confidential:
        doc["protocol_notes"] = None
    at = now_iso()
    copied = store.EventItem(p.tenant_id, new_id(), doc=doc, created_at=at, updated_at=at)
    store.save_event(copied, is_new=True)
    store.init_seats(p.tenant_id, copied.event_id, doc.get("capacity"))
    sync_reminders(copied, zone_name=ctx.zone)
    guests = [i for i in invitations_store.all_for_event(p.tenant_id, item.event_id) if i.status != "cancelled"]
    invitations.copy_guest_list(p, copied, guests)
    audit.record(p, "create", "event", copied.event_id, {"copied_from": item.event_id})
    assessment = compliance.assess_and_store(copied, ctx)
    return event_json(p, copied, seats_taken=0, assessment=assessment, zone_name=ctx.zone)


# --- reminder rule items ------------------------------------------------------------------------------------------


def _due(item: invitations_store.ReminderItem, when: datetime | None) -> None:
    if when is None:
        item.due_at = item.due_shard = item.due_key = None
        return
    item.due_at = utc_text(when)
    item.due_shard = invitations_store.DUE_SHARD
    item.due_key = f"{item.due_at}#{item.tenant_id}#{item.event_id}#{item.rule_id}"


def sync_reminders(item: store.EventItem, notice: bool = False, *, zone_name: str | None) -> None:
    """Rewrite the event's rule items: each rule due at its time while the event is open; a notice due now. An
    earlier occurrence recorded after the fact has none: nothing is sent for it, nobody is marked absent."""
    doc = item.doc
    if is_past_record(doc):
        return
    starts, deadline = instant(doc["starts_at"]), instant(doc.get("rsvp_deadline"))
    is_open = doc["status"] == "open"
    wanted: dict[str, tuple[dict[str, Any], datetime | None]] = {}
    for rule in rule_list(doc):
        if rule.kind == "offer_expiry":
            continue  # its own item, due at the earliest offer's expiry (services/rsvp)
        due = rules.due_at(rule, starts, deadline, zone_name) if is_open else None
        wanted[rules.rule_id(rule)] = (
            {"kind": rule.kind, "offset": rule.offset, "channel": rule.channel, "template": rule.template},
            due,
        )
    ends = instant(doc.get("ends_at")) or starts
    wanted["close"] = ({"kind": "close"}, ends + CLOSE_AFTER if doc["status"] in ("open", "closed") else None)
    if notice:
        stamp = now_iso()
        wanted[f"notice-{item.version}"] = (
            {"kind": "notice", "cancelled": doc["status"] == "cancelled", "at": stamp},
            datetime.now(UTC),
        )
    existing = {
        r.rule_id: r
        for r in invitations_store.ReminderItem.query(
            item.tenant_id, invitations_store.ReminderItem.sk.startswith(f"{item.event_id}#")
        )
    }
    with invitations_store.ReminderItem.batch_write() as batch:
        for rule_id, (spec, due) in wanted.items():
            reminder = existing.get(rule_id) or invitations_store.ReminderItem(
                item.tenant_id, f"{item.event_id}#{rule_id}", event_id=item.event_id, rule_id=rule_id, history=[]
            )
            reminder.rule = spec
            _due(reminder, due)
            batch.save(reminder)
        for rule_id, reminder in existing.items():
            if rule_id not in wanted and not rule_id.startswith(("notice-", "offer_expiry")) and reminder.due_key:
                _due(reminder, None)  # a rule removed from the event: nothing more to send
                batch.save(reminder)


def schedule_offer_expiry(tenant_id: str, event_id: str, until: datetime) -> None:
    """The event's offer_expiry item becomes due at the earliest offer's expiry (kept if already earlier)."""
    try:
        reminder = invitations_store.ReminderItem.get(tenant_id, f"{event_id}#offer_expiry")
    except DoesNotExist:
        reminder = invitations_store.ReminderItem(
            tenant_id, f"{event_id}#offer_expiry", event_id=event_id, rule_id="offer_expiry", history=[]
        )
        reminder.rule = {"kind": "offer_expiry"}
    if reminder.due_at and instant(reminder.due_at) <= until:
        return
    _due(reminder, until)
    reminder.save()


# --- protocol of the event ------------------------------------------------------------------------------------------


def ceremony_request(p: Principal, item: store.EventItem, extra: dict[str, Any] | None = None) -> dict[str, Any]:
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
        for invitation in invitations_store.by_status(p.tenant_id, item.event_id, status):
            representative = invitation.doc.get("representative") or {}
            if status == "represented":
                if representative.get("contact_id"):
                    contact_ids.append(representative["contact_id"])
                    representations.append(
                        {
                            "contact_id": representative["contact_id"],
                            "represents_contact_id": invitation.contact_id,
                            "capacity": "other",
                        }
                    )
                continue
            contact_ids.append(invitation.contact_id)
    contact_ids = list(dict.fromkeys(contact_ids))
    if not contact_ids:
        raise Conflict("Aucun invité n'a encore confirmé sa venue.")
    organiser = item.doc.get("organiser_contact_id")
    ceremony = {
        "name": item.doc["title"],
        "departement": settings["departement"],
        "commune_insee": settings.get("commune_insee"),
        "date": local(instant(item.doc["starts_at"]), settings.get("timezone")).date().isoformat(),
        "inviting_contact_id": organiser if organiser in contact_ids else None,
    }
    return {"contact_ids": contact_ids[:300], "ceremony": ceremony, "representations": representations, **(extra or {})}
