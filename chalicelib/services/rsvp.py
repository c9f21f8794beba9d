"""Public RSVP (issue #4): the guest's answer through their signed link, seats taken exactly, the waitlist.

Seats move only through the seat counter's conditional update (store.events.take_seats), never by reading a count
and writing it back: 200 simultaneous answers for 50 seats give exactly 50 seats taken. An answer first moves the
seats, then saves the invitation under its version; if that save loses a race (a double submit), the seats move
back. A seat freed goes, first come first served, to the waitlist as an offer to confirm before it expires.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain import events as rules
from chalicelib.domain import tokens
from chalicelib.domain.contacts import CIVILITY_LONG
from chalicelib.domain.events import instant
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.events import RsvpAnswer
from chalicelib.services import event_messages, invitations
from chalicelib.services.events import rule_list, schedule_offer_expiry
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store.base import now_iso

logger = logging.getLogger("agora.rsvp")

MESSAGES = {
    "accepted": "Votre présence est confirmée. Nous serons heureux de vous accueillir.",
    "declined": "Nous avons bien noté que vous ne pourrez pas venir. Merci de nous avoir prévenus.",
    "represented": "Nous avons bien noté que vous vous ferez représenter.",
    "waitlisted": (
        "L'événement est complet : vous êtes inscrit(e) sur la liste d'attente. "
        "Nous vous écrirons si une place se libère."
    ),
    "offered": "Une place vous est réservée : confirmez votre venue pour la garder.",
}
GUEST = "invité(e)"  # who changed the status, in the history, when the guest answered through their link


@dataclass
class Found:
    event: store.EventItem
    invitation: store.InvitationItem
    contact: contacts_store.ContactItem | None


def resolve(token: str) -> Found:
    """The invitation a link names. Altered, unknown or withdrawn: 404, and the same answer for all of them."""
    verified = tokens.verify(get_settings().link_keys(), token, "rsvp") if len(token) <= 200 else None
    if verified is None:
        raise NotFound("Ce lien d'invitation n'est pas valide.")
    tenant_id, invitation_id = verified
    invitation = store.get_invitation(tenant_id, invitation_id)
    event = store.get_event(tenant_id, invitation.event_id) if invitation else None
    if invitation is None or event is None:
        raise NotFound("Ce lien d'invitation n'est pas valide.")
    return Found(event, invitation, contacts_store.get(tenant_id, invitation.contact_id))


def closed_reason(found: Found, now: datetime | None = None) -> str | None:
    """Why answers are no longer taken, in French for the guest; None while they are."""
    now = now or datetime.now(UTC)
    doc = found.event.doc
    if found.invitation.status == "cancelled":
        return "Cette invitation a été retirée. Pour toute question, contactez les services de la mairie."
    if doc["status"] == "cancelled":
        return "Cet événement est annulé. Nous vous prions de nous excuser pour ce contretemps."
    if found.contact is None:
        return "Cette invitation n'est plus active."
    if instant(doc["starts_at"]) <= now or doc["status"] == "closed":
        return "Les réponses sont closes pour cet événement."
    deadline = instant(doc.get("rsvp_deadline"))
    if deadline and deadline < now:
        return "La date limite de réponse est passée. Pour toute modification, contactez les services de la mairie."
    if doc["status"] != "open":
        return "Les réponses ne sont pas encore ouvertes pour cet événement."
    return None


def answer(token: str, data: RsvpAnswer) -> dict[str, Any]:
    found = resolve(token)
    reason = closed_reason(found)
    if reason:
        raise Conflict(reason)
    event, invitation = found.event, found.invitation
    companions_max = int(event.doc.get("companions_max") or 0)
    if len(data.companions) > companions_max:
        message = (
            f"{companions_max} accompagnant(s) au plus pour cet événement."
            if companions_max
            else "Cet événement n'accepte pas d'accompagnants."
        )
        raise ValidationFailed([{"field": "companions", "message": message}])
    held = int(invitation.seats or 0)
    companions = [c.model_dump() for c in data.companions]
    if data.response == "decline":
        action, wanted = "decline", 0
    elif data.response == "represented":
        action, wanted = "represent", 1
    else:
        action = "confirm_offer" if invitation.status == "offered" else "accept"
        wanted = 1 + len(companions)
    delta = wanted - held
    took = True
    if delta > 0:
        took = store.take_seats(event.tenant_id, event.event_id, delta)
    if not took:
        if invitation.status in rules.HOLDS_SEATS:
            raise Conflict(
                "Il ne reste pas assez de places pour ajouter ces accompagnants ; votre place reste réservée."
            )
        action, delta = "waitlist", 0
    try:
        invitations.apply(invitation, action, GUEST)
    except Conflict:
        if delta > 0:
            store.release_seats(event.tenant_id, event.event_id, delta)
        raise
    invitation.seats = held + delta if action != "waitlist" else 0
    invitation.doc = {
        **invitation.doc,
        "companions": companions if data.response == "accept" else [],
        "representative": data.representative.model_dump() if data.representative else None,
        "offered_until": None,
    }
    invitation.answered_at = now_iso()
    invitation.updated_at = invitation.answered_at
    try:
        store.save_invitation(invitation)
    except Conflict:
        if delta > 0:
            store.release_seats(event.tenant_id, event.event_id, delta)
        raise
    if delta < 0:
        store.release_seats(event.tenant_id, event.event_id, -delta)
        offer_freed_seats(event)
    _confirm(found, invitation)
    return {"status": invitation.status, "message": MESSAGES.get(invitation.status, "")}


def _confirm(found: Found, invitation: store.InvitationItem) -> None:
    """The confirmation (with its .ics and, when coming, the check-in QR code); a failure is logged, the answer
    stands (the page already says it is recorded, and the guest can reload it)."""
    if found.contact is None:
        return
    channel = "sms" if invitation.channel == "sms" else "email"
    address, _ = event_messages.reachable(found.contact.doc, channel)
    if address is None:
        return
    _send(found.event, invitation, found.contact, "confirmation", channel, MESSAGES.get(invitation.status, ""))


def _send(
    event: store.EventItem,
    invitation: store.InvitationItem,
    contact: contacts_store.ContactItem,
    kind: event_messages.Kind,
    channel: str | None = None,
    message: str = "",
) -> None:
    """Send one message the guest's answer led to, and record it; a failure is logged, the answer stands (the
    page already says it is recorded, and the guest can reload it)."""
    try:
        composed = event_messages.compose(kind, event, invitation, contact, channel=channel, message=message)
        provider_id = event_messages.deliver(event, composed, kind)
        invitations.note_message(event, invitation, kind, composed.channel, provider_id, "agora")
        store.save_invitation(invitation)
    except Exception:
        logger.exception("%s to invitation %s not sent", kind, invitation.invitation_id)


def offer_freed_seats(event: store.EventItem) -> list[str]:
    """Offer free seats to the waitlist, first come first served: each offer holds the guest's party's seats
    until it expires. A party that does not fit waits; the next smaller one may take the seat (documented)."""
    offered: list[str] = []
    if event.doc["status"] != "open":
        return offered
    starts = instant(event.doc["starts_at"])
    for waiting in store.by_status(event.tenant_id, event.event_id, "waitlisted"):
        party = 1 + len(waiting.doc.get("companions", [])) if not waiting.doc.get("representative") else 1
        if not store.take_seats(event.tenant_id, event.event_id, party):
            continue
        now = datetime.now(UTC)
        until = rules.offer_expires_at(now, starts, rule_list(event.doc))
        try:
            invitations.apply(waiting, "offer", "agora")
        except Conflict:
            store.release_seats(event.tenant_id, event.event_id, party)
            continue
        waiting.seats = party
        waiting.doc = {**waiting.doc, "offered_until": until.isoformat()}
        waiting.updated_at = now_iso()
        try:
            store.save_invitation(waiting)
        except Conflict:
            store.release_seats(event.tenant_id, event.event_id, party)
            continue
        offered.append(waiting.invitation_id)
        schedule_offer_expiry(event.tenant_id, event.event_id, until)
        contact = contacts_store.get(event.tenant_id, waiting.contact_id)
        if contact is not None:
            _send(event, waiting, contact, "offer")
    return offered


def page_context(found: Found) -> dict[str, Any]:
    """What the RSVP page shows: the event, the current answer, and whether it can still change."""
    invitation, doc = found.invitation, found.event.doc
    settings = event_messages.tenant_settings(found.event.tenant_id)
    current = None
    if invitation.status != "invited" and invitation.status in MESSAGES:
        current = "Votre réponse actuelle : " + MESSAGES[invitation.status]
    selected = {"accepted": "accept", "declined": "decline", "represented": "represented", "offered": "accept"}.get(
        invitation.status, ""
    )
    person = found.contact.doc if found.contact else {}
    civility = CIVILITY_LONG.get(person.get("civility") or "")
    name = f"{civility} {person['last_name']}" if civility and person.get("last_name") else None  # « Madame Martin »
    return {
        "tenant_name": settings.get("name") or "La mairie",
        "event": event_messages.event_view(doc),
        "greeting": f"Bonjour {name}, vous êtes invité(e) à cet événement."
        if name
        else "Bonjour, vous êtes invité(e).",
        "current": current,
        "selected": selected,
        "companions": [c["name"] for c in invitation.doc.get("companions", [])],
        "companions_max": int(doc.get("companions_max") or 0),
        "representative": invitation.doc.get("representative") or {},
        "deadline": event_messages.deadline_text(doc),
        "closed_message": closed_reason(found),
        "open": closed_reason(found) is None,
    }
