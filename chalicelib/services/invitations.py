"""Invitations: one per person (a couple gets one for two), on the guest's channel; the guest list, check-in and
the event's figures. Every status change goes through the domain's state machine and is written in the
invitation's history. Sending is in invitation_sending.py, the printed documents of the day in
invitation_documents.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from chalicelib.auth import Principal
from chalicelib.domain import events as rules
from chalicelib.domain import tokens
from chalicelib.domain.contacts import formal_name
from chalicelib.domain.listing import Listing
from chalicelib.errors import Conflict, NotFound
from chalicelib.services import audit, event_messages, lookup
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Event, HistoryEntryDoc, Invitation


class Skipped(NamedTuple):
    """A contact left out of a batch (not invited, not sent), with the reason in French for staff."""

    contact_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Invited:
    created: list[Invitation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Figures:
    """An event's figures: guests by status, seats, and the sends whose outcome is unknown (invitation, rule,
    state), for staff to check."""

    counts: dict[str, int]
    seats_taken: int
    capacity: int | None
    unknown_sends: list[tuple[Invitation, str, str]]


def record(invitation: Invitation, status: str, by: str, note: str | None = None) -> None:
    """The status change, in the invitation's history (the state machine's transitions, in order)."""
    entry: HistoryEntryDoc = {"at": now_iso(), "status": status, "by": by, "note": note}
    history = [*invitation.doc.get("history", []), entry]
    invitation.doc = {**invitation.doc, "history": history[-200:]}
    invitation.status = status


def apply(invitation: Invitation, action: str, by: str, note: str | None = None) -> str:
    """Move the invitation through the state machine (domain/events.TRANSITIONS) and record it."""
    try:
        new_status = rules.transition(invitation.status, action)
    except rules.InvalidTransition as exc:
        raise Conflict(str(exc)) from exc
    record(invitation, new_status, by, note)
    return new_status


def rsvp_link(p: Principal, invitation: Invitation) -> str | None:
    """The guest's RSVP link, for users who may answer for the guest (writers); None for others, since whoever holds
    the link answers as the guest."""
    return event_messages.rsvp_url(invitation.tenant_id, invitation.invitation_id) if p.can_write else None


def _new(p: Principal, event: Event, contact: Contact, channel: str, partner: str | None) -> Invitation:
    at = now_iso()
    invitation = Invitation(
        tenant_id=p.tenant_id,
        invitation_id=new_id(),
        event_id=event.event_id,
        contact_id=contact.contact_id,
        status="invited",
        channel=channel,
        seats=0,
        doc={
            "name": formal_name(contact.doc),
            "partner_contact_id": partner,
            "companions": [],
            "representative": None,
            "history": [],
        },
        reminders={},
        created_at=at,
        updated_at=at,
    )
    record(invitation, "invited", p.email or p.user_id)
    return invitation


def create(p: Principal, event: Event, contact_ids: list[str], channel: str) -> Invited:
    if event.doc["status"] == "cancelled":
        raise Conflict("Cet événement est annulé : il n'accepte plus d'invitations.")
    if event.doc.get("past_occurrence"):
        raise Conflict("Occurrence passée, enregistrée pour mémoire : on n'y invite personne (invited_count).")
    ids = list(dict.fromkeys(contact_ids))
    found = contacts_store.batch_get(p.tenant_id, ids)
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise NotFound(f"Contact introuvable : {', '.join(missing[:5])}.")
    partner_ids = {cid: found[cid].doc.get("partner_contact_id") for cid in ids}
    already = invitations_store.existing_guards(
        p.tenant_id, event.event_id, ids + [x for x in partner_ids.values() if x]
    )
    result = Invited()
    covered: set[str] = set()
    for cid in ids:
        if cid in already:
            result.skipped.append(Skipped(cid, "Déjà invité(e) à cet événement."))
            continue
        if cid in covered:
            result.skipped.append(Skipped(cid, "Invité(e) avec son conjoint : une invitation pour deux."))
            continue
        _, why_not = event_messages.reachable(found[cid].doc, channel)
        if why_not:
            result.skipped.append(Skipped(cid, why_not))
            continue
        partner = partner_ids[cid] if partner_ids[cid] and partner_ids[cid] not in already else None
        invitation = _new(p, event, found[cid], channel, partner)
        if not invitations_store.create_invitation(invitation, [cid] + ([partner] if partner else [])):
            result.skipped.append(Skipped(cid, "Déjà invité(e) à cet événement."))
            continue
        result.created.append(invitation)
        covered.update(x for x in (cid, partner) if x)
    if result.created:
        audit.record(p, "create", "invitations", event.event_id, {"count": len(result.created), "channel": channel})
    return result


def copy_guest_list(p: Principal, event: Event, guests: Sequence[Invitation]) -> None:
    """The guests of another event invited again, unsent (POST /events/{id}/copy); deleted contacts are left out."""
    found = contacts_store.batch_get(p.tenant_id, [g.contact_id for g in guests])
    for guest in guests:
        contact = found.get(guest.contact_id)
        if contact is None:
            continue
        partner = guest.doc.get("partner_contact_id")
        invitation = _new(p, event, contact, guest.channel, partner)
        invitations_store.create_invitation(invitation, [guest.contact_id] + ([partner] if partner else []))


def load_invitation(p: Principal, event: Event, invitation_id: str) -> Invitation:
    invitation = lookup.find(invitations_store.get_invitation, p.tenant_id, invitation_id)
    if invitation is None or invitation.event_id != event.event_id:
        raise NotFound("Invitation introuvable.")
    return invitation


def guests(p: Principal, event: Event, *, status: str | None, limit: int, cursor: str | None) -> Listing[Invitation]:
    return invitations_store.guests_page(p.tenant_id, event.event_id, status, limit=limit, cursor=cursor)


def check_in(p: Principal, event: Event, invitation_id: str | None, token: str | None) -> Invitation:
    if token is not None:
        verified = tokens.verify(get_settings().link_keys(), token, "checkin")
        if verified is None or verified[0] != p.tenant_id:
            raise NotFound("Code d'accueil inconnu.")
        invitation_id = verified[1]
    invitation = load_invitation(p, event, invitation_id or "")
    if invitation.status == "attended":
        return invitation  # scanned twice at the door: nothing changes
    apply(invitation, "check_in", p.email or p.user_id)
    invitation.updated_at = now_iso()
    try:
        invitations_store.save_invitation(invitation)
    except Conflict:
        current = invitations_store.get_invitation(p.tenant_id, invitation.invitation_id)
        if current is not None and current.status == "attended":
            return current  # scanned at another door at the same moment: present once
        raise
    return invitation


def stats(p: Principal, event: Event) -> Figures:
    counts = {status: 0 for status in rules.GUEST_STATUSES}
    unknown: list[tuple[Invitation, str, str]] = []
    for invitation in invitations_store.invitations_of_event(p.tenant_id, event.event_id):
        counts[invitation.status] += 1
        for rule_id, entry in invitation.reminders.items():
            if entry.get("state") in ("sending", "unknown", "failed"):
                unknown.append((invitation, rule_id, entry["state"]))
    seats = store.get_seats(p.tenant_id, event.event_id)
    return Figures(counts, int(seats.taken or 0), event.doc.get("capacity"), unknown)
