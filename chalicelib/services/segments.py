"""Segments: named filters over the tenant's contacts, private to their author or shared, and who they hold.

A segment is evaluated in pure code (domain/segments.py) over the tenant's contacts read in Query pages of its
partition, with only the facts its filter needs, each read once per request for the whole tenant (mandates from
their index, consents from their partition, attendance from the series' events): never one call per contact,
never a Scan. Archived contacts are never in a segment. `opened_within_days` reads the contacts' engagement (the
opens SES reports of campaign emails, services/mail_events.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import segments as rules
from chalicelib.domain.listing import Listing
from chalicelib.domain.text import fold
from chalicelib.domain.time import instant, local, today
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.services import audit, lookup
from chalicelib.store import consents as consents_store
from chalicelib.store import consultations as consultations_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import cursors, tenants
from chalicelib.store import events as events_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import messages as messages_store
from chalicelib.store import segments as store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Segment

NOT_FOUND = "Segment introuvable."
PREVIEW_SIZE = 20
BATCH = 200  # contacts read per Query while evaluating
ATTENDED = ("attended",)


def parsed(raw: Any) -> rules.Node:
    """The filter, or a 422 naming each problem by its path (`filter.and[2].colour`)."""
    try:
        return rules.parse(raw)
    except rules.SegmentError as err:
        raise ValidationFailed(err.errors) from err


def create(p: Principal, *, name: str, filter_: dict[str, Any], shared: bool) -> Segment:
    parsed(filter_)
    at = now_iso()
    segment = Segment(
        tenant_id=p.tenant_id,
        segment_id=new_id(),
        name=name,
        filter=filter_,
        shared=shared,
        owner_id=p.user_id,
        created_at=at,
        updated_at=at,
    )
    store.save(segment)
    audit.record(p, "create", "segment", segment.segment_id)
    return segment


def visible(p: Principal) -> list[Segment]:
    """The user's own segments and the tenant's shared ones, by name."""
    found = [s for s in store.all_of_tenant(p.tenant_id) if s.shared or s.owner_id == p.user_id]
    return sorted(found, key=lambda s: (fold(s.name), s.segment_id))


def load(p: Principal, segment_id: str) -> Segment:
    """A segment the user may see: theirs, or shared. Another user's private segment is 404, as if absent."""
    segment = lookup.find(store.get, p.tenant_id, segment_id)
    if segment is None or not (segment.shared or segment.owner_id == p.user_id):
        raise NotFound(NOT_FOUND)
    return segment


def load_field(p: Principal, segment_id: str) -> Segment:
    """`load` for a segment named in another resource's request: its 404 names the field."""
    try:
        return load(p, segment_id)
    except NotFound as exc:
        raise NotFound(NOT_FOUND, [{"field": "segment_id", "message": NOT_FOUND}]) from exc


def _require_editor(p: Principal, segment: Segment) -> None:
    if segment.owner_id != p.user_id and not p.is_admin:
        raise Forbidden("Seuls l'auteur du segment et les administrateurs peuvent le modifier.")


def update(
    p: Principal,
    segment: Segment,
    *,
    name: str | None,
    filter_: dict[str, Any] | None,
    shared: bool | None,
    version: int,
) -> Segment:
    _require_editor(p, segment)
    if filter_ is not None:
        parsed(filter_)
    if version != segment.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {segment.version}."}])
    segment.name = name if name is not None else segment.name
    segment.filter = filter_ if filter_ is not None else segment.filter
    segment.shared = shared if shared is not None else segment.shared
    segment.updated_at = now_iso()
    store.save(segment)
    audit.record(p, "update", "segment", segment.segment_id)
    return segment


def delete(p: Principal, segment: Segment) -> None:
    _require_editor(p, segment)
    store.delete(segment)
    audit.record(p, "delete", "segment", segment.segment_id)


# --- evaluation --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    count: int
    contacts: list[Contact]


def _facts_of(p: Principal, node: rules.Node) -> Callable[[Contact], rules.Facts]:
    """The function giving a contact's facts, with the tenant-wide reads the filter needs done once, here."""
    needs = rules.needs(node)
    settings = tenants.get_settings_item(p.tenant_id)
    on = today(settings.data.get("timezone") if settings else None)
    held: dict[str, list[rules.HeldFunction]] = {}
    if "mandates" in needs:
        for m in mandates_store.all_of_tenant(p.tenant_id):
            start, end = m.doc.get("start"), m.doc.get("end")
            held.setdefault(m.contact_id, []).append(
                rules.HeldFunction(
                    m.doc["function"],
                    date.fromisoformat(start) if start else None,
                    date.fromisoformat(end) if end else None,
                )
            )
    statuses = consents_store.statuses_of_tenant(p.tenant_id) if "consents" in needs else {}
    attended = _attendance(p.tenant_id, _series_of(node)) if "attendance" in needs else {}
    answered = _answered(p.tenant_id, _consultations_of(node)) if "consultations" in needs else {}
    opened: dict[str, date] = {}
    if "engagement" in needs:
        zone = settings.data.get("timezone") if settings else None
        for contact_id, e in messages_store.engagement_of_tenant(p.tenant_id).items():
            if e.last_open_at:
                opened[contact_id] = local(instant(e.last_open_at), zone).date()

    def facts(contact: Contact) -> rules.Facts:
        return rules.Facts(
            contact=contact.doc,
            tenant_kind=p.tenant_kind,
            today=on,
            functions=tuple(held.get(contact.contact_id, ())),
            consents=statuses.get(contact.contact_id, {}),
            attended_series=frozenset(attended.get(contact.contact_id, ())),
            last_opened_on=opened.get(contact.contact_id),
            answered_consultations=frozenset(answered.get(contact.contact_id, ())),
        )

    return facts


def _series_of(node: rules.Node) -> set[str]:
    if isinstance(node, rules.AllOf | rules.AnyOf):
        return set().union(*(_series_of(i) for i in node.items))
    if isinstance(node, rules.Not):
        return _series_of(node.item)
    return {node.value} if node.key == "attended_series" else set()


def _consultations_of(node: rules.Node) -> set[str]:
    if isinstance(node, rules.AllOf | rules.AnyOf):
        return set().union(*(_consultations_of(i) for i in node.items))
    if isinstance(node, rules.Not):
        return _consultations_of(node.item)
    return {node.value} if node.key == "consultation" else set()


def _answered(tenant_id: str, consultation_ids: set[str]) -> dict[str, set[str]]:
    """contact id → the consultations it answered through its personal link: one Query per consultation."""
    found: dict[str, set[str]] = {}
    for consultation_id in consultation_ids:
        for contact_id in consultations_store.participants(tenant_id, consultation_id):
            found.setdefault(contact_id, set()).add(consultation_id)
    return found


def _attendance(tenant_id: str, series: set[str]) -> dict[str, set[str]]:
    """contact id → the (folded) series it attended an occurrence of: the series' events, then who attended each."""
    found: dict[str, set[str]] = {}
    for name in series:
        for event in events_store.series_events_before(tenant_id, name, "9999"):
            for invitation in invitations_store.invitations_in_status(tenant_id, event.event_id, "attended"):
                found.setdefault(invitation.contact_id, set()).add(name)
    return found


def _members(p: Principal, segment: Segment) -> tuple[Callable[[Contact], bool], str]:
    node = parsed(segment.filter)
    facts = _facts_of(p, node)
    fingerprint = cursors.fingerprint("segment", p.tenant_id, segment.segment_id, segment.version)
    return (lambda c: not c.archived and rules.matches(node, facts(c))), fingerprint


def member_test(p: Principal, segment: Segment) -> Callable[[Contact], bool]:
    """Whether a contact the caller read (in pages or by BatchGetItem) is in the segment now: the tenant-wide facts
    its filter needs are read once, here, never per contact."""
    return _members(p, segment)[0]


def _all_contacts(tenant_id: str) -> Iterator[Contact]:
    start: dict[str, Any] | None = None
    while True:
        batch, start = contacts_store.tenant_page(tenant_id, start, BATCH)
        yield from batch
        if start is None:
            return


def members(p: Principal, segment: Segment) -> Iterator[Contact]:
    """Every contact in the segment now, in id order (the tenant's contacts read in Query pages)."""
    member, _ = _members(p, segment)
    return (c for c in _all_contacts(p.tenant_id) if member(c))


def count(p: Principal, segment: Segment) -> int:
    """How many contacts the segment holds now (no record shown: not audited as a read)."""
    return sum(1 for _ in members(p, segment))


def preview(p: Principal, segment: Segment) -> Preview:
    """How many contacts the segment holds now, and the first of them."""
    member, _ = _members(p, segment)
    count, first = 0, list[Contact]()
    for contact in _all_contacts(p.tenant_id):
        if member(contact):
            count += 1
            if len(first) < PREVIEW_SIZE:
                first.append(contact)
    _audit_read(p, segment, first)
    return Preview(count, first)


def contacts_page(p: Principal, segment: Segment, *, cursor: str | None, limit: int) -> Listing[Contact]:
    """One exact page of the segment's contacts, in id order; the cursor belongs to this version of the segment."""
    member, fingerprint = _members(p, segment)
    page, next_cursor = cursors.filtered_page(
        lambda start, size: contacts_store.tenant_page(p.tenant_id, start, size),
        member,
        contacts_store.tenant_key,
        cursor,
        limit,
        fingerprint,
        lambda k: k.keys() == {"tenant_id", "contact_id"} and k["tenant_id"] == p.tenant_id,
        batch=BATCH,
    )
    _audit_read(p, segment, page)
    return Listing(page, next_cursor)


def _audit_read(p: Principal, segment: Segment, shown: list[Contact]) -> None:
    """Full contact records were read: audited like a page of GET /contacts."""
    if shown:
        detail = {"ids": [c.contact_id for c in shown], "query": {"segment": segment.segment_id}}
        audit.record(p, "list", "contact", "page", detail)
