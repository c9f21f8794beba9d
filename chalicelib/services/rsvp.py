"""Public RSVP: the guest's answer through their signed link, seats taken exactly, the waitlist.

Seats move only through the seat counter's conditional update (store.events.take_seats), never by reading a count
and writing it back: 200 simultaneous answers for 50 seats give exactly 50 seats taken. An answer first moves the
seats, then saves the invitation under its version; if that save loses a race (a double submit), the seats move
back. A seat freed goes, first come first served, to the waitlist as an offer to confirm before it expires.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib import observability
from chalicelib.auth import Principal
from chalicelib.domain import events as rules
from chalicelib.domain import rsvp as answers
from chalicelib.domain import tokens
from chalicelib.domain.contacts import CIVILITY_LONG
from chalicelib.domain.roles import can_override_deadline
from chalicelib.domain.time import instant
from chalicelib.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from chalicelib.services import audit, event_messages, invitation_sending, invitations, tenant_access
from chalicelib.services.events import rule_list, schedule_offer_expiry
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact, Event, Invitation, ReminderEntryDoc, RsvpAnswerDoc

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
    event: Event
    invitation: Invitation
    contact: Contact | None


def resolve(token: str) -> Found:
    """The invitation a link names. Altered, unknown or withdrawn: 404, and the same answer for all of them; of a
    disabled tenant: 403 « Espace désactivé » (the page says the service is unavailable)."""
    verified = tokens.verify(get_settings().link_keys(), token, "rsvp") if len(token) <= 200 else None
    if verified is None:
        raise NotFound("Ce lien d'invitation n'est pas valide.")
    tenant_id, invitation_id = verified
    tenant_access.ensure_open(tenant_id)
    invitation = invitations_store.get_invitation(tenant_id, invitation_id)
    event = store.get_event(tenant_id, invitation.event_id) if invitation else None
    if invitation is None or event is None:
        raise NotFound("Ce lien d'invitation n'est pas valide.")
    return Found(event, invitation, contacts_store.get(tenant_id, invitation.contact_id))


def closed_reason(found: Found, now: datetime | None = None, *, past_deadline: bool = False) -> str | None:
    """Why answers are no longer taken, in French for the guest; None while they are. ``past_deadline``: staff
    entitled to it record an answer after the RSVP deadline (never after the event has started)."""
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
    if deadline and deadline < now and not past_deadline:
        return "La date limite de réponse est passée. Pour toute modification, contactez les services de la mairie."
    if doc["status"] != "open":
        return "Les réponses ne sont pas encore ouvertes pour cet événement."
    return None


@dataclass
class Answered:
    invitation: Invitation
    changed: bool

    @property
    def message(self) -> str:
        """What the guest is told of their answer (the page and the JSON answer say the same)."""
        return MESSAGES.get(self.invitation.status, "")


def answer(token: str, data: RsvpAnswerDoc) -> Answered:
    """The guest's own answer through their link: limited in rate (domain/rsvp.py), confirmed to them."""
    return record_answer(resolve(token), data, GUEST)


def _check_answerable(found: Found, data: RsvpAnswerDoc, past_deadline: bool) -> None:
    reason = closed_reason(found, past_deadline=past_deadline)
    if reason:
        raise Conflict(reason)
    companions_max = int(found.event.doc.get("companions_max") or 0)
    if len(data["companions"]) > companions_max:
        message = (
            f"{companions_max} accompagnant(s) au plus pour cet événement."
            if companions_max
            else "Cet événement n'accepte pas d'accompagnants."
        )
        raise ValidationFailed([{"field": "companions", "message": message}])


def _check_rate(recent: list[str], now: datetime) -> None:
    """The guest's own changes: past the rolling hour's limit, a 429 saying when to come back (domain/rsvp.py)."""
    wait = answers.retry_after(recent, now)
    if wait is None:
        return
    minutes = max(1, -(-wait // 60))
    raise RateLimited(
        "Votre réponse a déjà été modifiée de nombreuses fois en une heure. Merci de réessayer dans "
        f"{minutes} minute{'s' if minutes > 1 else ''}, ou de contacter les services de la mairie.",
        retry_after=wait,
    )


def _wanted(invitation: Invitation, response: str, companions: int) -> tuple[str, int]:
    """(state machine action, seats the answer needs) before the seat counter says whether they are free."""
    if response == "decline":
        return "decline", 0
    if response == "represented":
        return "represent", 1
    return ("confirm_offer" if invitation.status == "offered" else "accept"), 1 + companions


def record_answer(
    found: Found,
    data: RsvpAnswerDoc,
    by: str,
    *,
    by_staff: bool = False,
    past_deadline: bool = False,
    notify: bool = True,
) -> Answered:
    """One answer, from the guest (``by`` = GUEST) or from staff taking it by phone (``by_staff``: not rate limited,
    ``past_deadline`` when their role allows it). The same answer again changes nothing and sends nothing."""
    _check_answerable(found, data, past_deadline)
    event, invitation = found.event, found.invitation
    held = invitation.seats
    companions, representative = data["companions"], data["representative"]
    doc = invitation.doc
    before = (doc.get("companions") or [], doc.get("representative"))
    if answers.same_answer(invitation.status, *before, data["response"], companions, representative):
        if notify and not _confirmed(invitation):
            # The answer was recorded but its confirmation never went (the request died, or its answer was lost
            # and the guest sent it again): sent now. At least once: one that went unrecorded goes a second time.
            _confirm(found, invitation)
        return Answered(invitation, changed=False)
    now = datetime.now(UTC)
    recent = answers.recent_changes(doc.get("answer_changes") or [], now)
    # A waitlisted guest accepting again with the same party changes something only if a seat is free: not counted.
    still_waiting = (
        invitation.status == "waitlisted"
        and data["response"] == "accept"
        and answers.same_companions(before[0], companions)
    )
    if not by_staff and not still_waiting:
        _check_rate(recent, now)
    action, wanted = _wanted(invitation, data["response"], len(companions))
    limited = event.doc.get("capacity") is not None
    answered = _answered(invitation, action, wanted, data, by, recent, now, by_staff=by_staff)
    if not invitations_store.save_answer(answered, answered.seats - held, limited=limited):
        # Not that many seats free: nothing was written.
        if invitation.status in rules.HOLDS_SEATS:
            raise Conflict(
                "Il ne reste pas assez de places pour ajouter ces accompagnants ; votre place reste réservée."
            )
        if still_waiting:
            return Answered(invitation, changed=False)  # still waiting, with the same party: nothing to record
        answered = _answered(invitation, "waitlist", 0, data, by, recent, now, by_staff=by_staff)
        invitations_store.save_answer(answered, -held, limited=limited)
    invitation = answered
    if answered.seats < held:
        offer_freed_seats(event)
    observability.count("RsvpAnswers")
    if notify:
        _confirm(found, invitation)
    return Answered(invitation, changed=True)


def _answered(
    invitation: Invitation,
    action: str,
    seats: int,
    data: RsvpAnswerDoc,
    by: str,
    recent: list[str],
    now: datetime,
    *,
    by_staff: bool,
) -> Invitation:
    """The invitation as the answer leaves it (a copy: the one read stays as read, should the seats not be free)."""
    answered = copy.deepcopy(invitation)
    invitations.apply(answered, action, by)
    answered.seats = seats if action != "waitlist" else 0
    answered.doc = {
        **answered.doc,
        "companions": data["companions"] if data["response"] == "accept" else [],
        "representative": data["representative"],
        "offered_until": None,
        # Only the guest's own changes count against the rate (staff answers are audited instead).
        "answer_changes": recent if by_staff else [*recent, now.isoformat()],
    }
    answered.answered_at = now_iso()
    answered.updated_at = answered.answered_at
    return answered


def answer_for_guest(
    p: Principal,
    event: Event,
    invitation_id: str,
    data: RsvpAnswerDoc,
    *,
    override_deadline: bool = False,
    notify: bool = True,
) -> Invitation:
    """Staff record an answer given by phone or at the counter: the guest's rules, in the staff member's name.

    The deadline holds unless ``override_deadline`` by a role that settles the guest list (domain/roles.py); the
    guest gets the same confirmation as when answering themselves unless ``notify`` is false; the invitation's
    history and the audit log name the staff member."""
    if override_deadline and not can_override_deadline(p.roles):
        raise Forbidden("Seuls le cabinet, le protocole et les administrateurs peuvent répondre après la date limite.")
    invitation = invitations.load_invitation(p, event, invitation_id)
    found = Found(event, invitation, contacts_store.get(p.tenant_id, invitation.contact_id))
    result = record_answer(  # the guest's rules apply to a staff answer as they are
        found,
        data,
        p.email or p.user_id,
        by_staff=True,
        past_deadline=override_deadline,
        notify=notify,
    )
    detail = {
        "event_id": event.event_id,
        "response": data["response"],
        "status": result.invitation.status,
        "changed": result.changed,
        "override_deadline": override_deadline,
        "notify": notify,
    }
    audit.record(p, "answer", "invitation", invitation_id, detail)
    return result.invitation


def _confirmed(invitation: Invitation) -> bool:
    """Whether a confirmation was recorded since the invitation's latest answer."""
    answered_at = invitation.answered_at or ""
    return any(
        m.get("kind") == "confirmation" and m.get("at", "") >= answered_at for m in invitation.doc.get("messages", [])
    )


def _confirm(found: Found, invitation: Invitation) -> None:
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
    event: Event,
    invitation: Invitation,
    contact: Contact,
    kind: event_messages.Kind,
    channel: str | None = None,
    message: str = "",
) -> None:
    """Send one message the guest's answer led to, and record it; a failure is logged, the answer stands (the
    page already says it is recorded, and the guest can reload it). An email address on the tenant's suppression
    list (a bounce, a complaint, an unsubscribe) gets nothing."""
    if (channel or invitation.channel) == "email" and event_messages.suppressed(event.tenant_id, [contact]):
        logger.info("%s to invitation %s not sent: address suppressed", kind, invitation.invitation_id)
        return
    try:
        composed = event_messages.compose(
            kind,
            event,
            invitation,
            contact,
            channel=channel,
            message=message,
        )
        provider_id = event_messages.deliver(event, composed, kind)
        invitation_sending.note_message(event, invitation, kind, composed.channel, provider_id, "agora")
        invitation.reminders = {k: v for k, v in invitation.reminders.items() if k != kind}
        invitations_store.save_invitation(invitation)
    except Exception:
        logger.exception("%s to invitation %s not sent", kind, invitation.invitation_id)
        _note_failed(invitation, kind, channel or invitation.channel)


def _note_failed(invitation: Invitation, kind: str, channel: str) -> None:
    """A message the answer led to that did not go: listed with the event's sends to check (its figures), so that
    staff see it; the guest sending their answer again sends it (a confirmation)."""
    failed: ReminderEntryDoc = {"state": "failed", "at": now_iso(), "channel": channel}
    invitation.reminders = {**invitation.reminders, kind: failed}
    try:
        invitations_store.save_invitation(invitation)
    except Exception:
        logger.exception("%s to invitation %s: the failure could not be recorded", kind, invitation.invitation_id)


def offer_freed_seats(event: Event) -> list[str]:
    """Offer free seats to the waitlist, first come first served: each offer holds the guest's party's seats
    until it expires. A party that does not fit waits; the next smaller one may take the seat (documented)."""
    offered: list[str] = []
    if event.doc["status"] != "open":
        return offered
    starts = instant(event.doc["starts_at"])
    for waiting in invitations_store.invitations_in_status(event.tenant_id, event.event_id, "waitlisted"):
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
            invitations_store.save_invitation(waiting)
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
    person: Mapping[str, Any] = found.contact.doc if found.contact else {}
    civility = CIVILITY_LONG.get(person.get("civility") or "")
    name = f"{civility} {person['last_name']}" if civility and person.get("last_name") else None  # « Madame Martin »
    return {
        "tenant_name": settings.get("name") or "La mairie",
        "event": event_messages.event_view(doc, settings.get("timezone")),
        "greeting": f"Bonjour {name}, vous êtes invité(e) à cet événement."
        if name
        else "Bonjour, vous êtes invité(e).",
        "current": current,
        "selected": selected,
        "companions": [c["name"] for c in invitation.doc.get("companions", [])],
        "companions_max": int(doc.get("companions_max") or 0),
        "representative": invitation.doc.get("representative") or {},
        "deadline": event_messages.deadline_text(doc, settings.get("timezone")),
        "closed_message": closed_reason(found),
        "open": closed_reason(found) is None,
    }
