"""Invitations: one per person (a couple gets one for two), on the guest's channel; preview, sending in
bounded batches with progress, the guest list, check-in and the event's figures.

Every status change goes through the domain's state machine and is written in the invitation's history; every
message sent is recorded on the invitation and in the contact's history (an interaction).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import events as rules
from chalicelib.domain import tokens
from chalicelib.domain.contacts import formal_name
from chalicelib.domain.time import today
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.messaging.outbound import SendOutcomeUnknown
from chalicelib.printing.letters import Letter, LetterBook, dateline, letterhead_lines
from chalicelib.services import audit, compliance, event_messages, senders
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store import files
from chalicelib.store import interactions as interactions_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.cursors import fingerprint, page_of

SEND_BATCH = 100  # invitations sent per POST …/invitations/send; the response says how many remain
INTERACTION_KIND = {"email": "email", "sms": "sms", "letter": "letter"}


def record(invitation: store.InvitationItem, status: str, by: str, note: str | None = None) -> None:
    """The status change, in the invitation's history (the state machine's transitions, in order)."""
    history = list(invitation.doc.get("history", []))
    history.append({"at": now_iso(), "status": status, "by": by, "note": note})
    invitation.doc = {**invitation.doc, "history": history[-200:]}
    invitation.status = status


def apply(invitation: store.InvitationItem, action: str, by: str, note: str | None = None) -> str:
    """Move the invitation through the state machine (domain/events.TRANSITIONS) and record it."""
    try:
        new_status = rules.transition(invitation.status, action)
    except rules.InvalidTransition as exc:
        raise Conflict(str(exc)) from exc
    record(invitation, new_status, by, note)
    return new_status


def guest_json(item: store.InvitationItem, *, with_link: bool = True) -> dict[str, Any]:
    """``with_link``: the guest's RSVP link, for users who may answer for the guest (writers); null for others, since
    whoever holds the link answers as the guest."""
    doc = item.doc
    return {
        "invitation_id": item.invitation_id,
        "contact_id": item.contact_id,
        "partner_contact_id": doc.get("partner_contact_id"),
        "name": doc.get("name", ""),
        "channel": item.channel,
        "status": item.status,
        "companions": doc.get("companions", []),
        "representative": doc.get("representative"),
        "seats": int(item.seats or 0),
        "rsvp_url": event_messages.rsvp_url(item.tenant_id, item.invitation_id) if with_link else None,
        "sent_at": item.sent_at,
        "answered_at": item.answered_at,
        "offered_until": doc.get("offered_until"),
        "history": doc.get("history", []),
    }


def _new(
    p: Principal, event: store.EventItem, contact: contacts_store.ContactItem, channel: str, partner: str | None
) -> store.InvitationItem:
    at = now_iso()
    name = formal_name(contact.doc)
    item = store.InvitationItem(
        p.tenant_id,
        new_id(),
        event_id=event.event_id,
        contact_id=contact.contact_id,
        status="invited",
        channel=channel,
        seats=0,
        doc={"name": name, "partner_contact_id": partner, "companions": [], "representative": None, "history": []},
        reminders={},
        created_at=at,
        updated_at=at,
    )
    record(item, "invited", p.email or p.user_id)
    return item


def create(p: Principal, event: store.EventItem, contact_ids: list[str], channel: str) -> dict[str, Any]:
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
    already = store.existing_guards(p.tenant_id, event.event_id, ids + [x for x in partner_ids.values() if x])
    created: list[store.InvitationItem] = []
    skipped: list[dict[str, str]] = []
    covered: set[str] = set()
    for cid in ids:
        if cid in already:
            skipped.append({"contact_id": cid, "reason": "Déjà invité(e) à cet événement."})
            continue
        if cid in covered:
            skipped.append({"contact_id": cid, "reason": "Invité(e) avec son conjoint : une invitation pour deux."})
            continue
        _, why_not = event_messages.reachable(found[cid].doc, channel)
        if why_not:
            skipped.append({"contact_id": cid, "reason": why_not})
            continue
        partner = partner_ids[cid] if partner_ids[cid] and partner_ids[cid] not in already else None
        item = _new(p, event, found[cid], channel, partner)
        if not store.create_invitation(item, [cid] + ([partner] if partner else [])):
            skipped.append({"contact_id": cid, "reason": "Déjà invité(e) à cet événement."})
            continue
        created.append(item)
        covered.update(x for x in (cid, partner) if x)
    if created:
        audit.record(p, "create", "invitations", event.event_id, {"count": len(created), "channel": channel})
    return {"created": [guest_json(i) for i in created], "skipped": skipped}


def copy_guest_list(p: Principal, event: store.EventItem, guests: list[store.InvitationItem]) -> None:
    """The guests of another event invited again, unsent (POST /events/{id}/copy); deleted contacts are left out."""
    found = contacts_store.batch_get(p.tenant_id, [g.contact_id for g in guests])
    for guest in guests:
        contact = found.get(guest.contact_id)
        if contact is None:
            continue
        partner = guest.doc.get("partner_contact_id")
        item = _new(p, event, contact, guest.channel, partner)
        store.create_invitation(item, [guest.contact_id] + ([partner] if partner else []))


def load_invitation(p: Principal, event: store.EventItem, invitation_id: str) -> store.InvitationItem:
    item = store.get_invitation(p.tenant_id, invitation_id) if len(invitation_id) <= 64 else None
    if item is None or item.event_id != event.event_id:
        raise NotFound("Invitation introuvable.")
    return item


def guests(p: Principal, event: store.EventItem, status: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    index_key = "status_key" if status else "event_key"
    range_key = "order_key" if status else "invitation_id"
    items, next_cursor = page_of(
        lambda start, n: store.guests_page(p.tenant_id, event.event_id, status, start, n),
        lambda i: {
            "tenant_id": {"S": i.tenant_id},
            "invitation_id": {"S": i.invitation_id},
            index_key: {"S": getattr(i, index_key)},
            range_key: {"S": getattr(i, range_key)},
        },
        cursor,
        limit,
        fingerprint("guests", p.tenant_id, event.event_id, status),
        lambda key: (
            key.get("tenant_id") == p.tenant_id and key.get(index_key, "").startswith(f"{p.tenant_id}#{event.event_id}")
        ),
    )
    return {"items": [guest_json(i, with_link=p.can_write) for i in items], "next_cursor": next_cursor}


def preview(p: Principal, event: store.EventItem, contact_id: str) -> dict[str, Any]:
    guards = store.existing_guards(p.tenant_id, event.event_id, [contact_id])
    if contact_id not in guards:
        raise NotFound("Ce contact n'est pas invité à cet événement.")
    invitation = store.get_invitation(p.tenant_id, guards[contact_id])
    contact = contacts_store.get(p.tenant_id, invitation.contact_id) if invitation else None
    if invitation is None or contact is None:
        raise NotFound("Invitation introuvable.")
    link = None if p.can_write else event_messages.masked_rsvp_url()
    composed = event_messages.compose("invitation", event, invitation, contact, link=link)
    return {
        "channel": composed.channel,
        "to": composed.to,
        "subject": composed.subject,
        "text": composed.text,
        "html": composed.html,
    }


def note_message(
    event: store.EventItem,
    invitation: store.InvitationItem,
    kind: str,
    channel: str,
    provider_id: str | None,
    author: str,
) -> None:
    """A message sent: on the invitation (saved by the caller), and in the contact's history."""
    messages = list(invitation.doc.get("messages", []))
    messages.append({"at": now_iso(), "kind": kind, "channel": channel, "provider_message_id": provider_id})
    invitation.doc = {**invitation.doc, "messages": messages[-100:]}
    record_interaction(event.tenant_id, invitation, event.doc["title"], kind, channel, author)


MESSAGE_LABELS = {
    "invitation": "invitation",
    "confirmation": "confirmation de réponse",
    "relance": "relance",
    "rappel": "rappel",
    "offer": "place libérée proposée",
    "notice": "avis de changement",
}


def record_interaction(
    tenant_id: str, invitation: store.InvitationItem, title: str, kind: str, channel: str, author: str = "agora"
) -> None:
    """The message in the contact's history (GET /contacts/{id}/interactions), as any exchange is."""
    label = MESSAGE_LABELS.get(kind, kind)
    interaction_id = new_id()
    interactions_store.InteractionItem(
        tenant_id,
        f"{invitation.contact_id}#{interaction_id}",
        interaction_id=interaction_id,
        contact_id=invitation.contact_id,
        kind=INTERACTION_KIND[channel],
        date=date.today().isoformat(),
        summary=f"Événement « {title} » : {label}" if title else f"Événement : {label}",
        author_id=author,
        author_email=None,
        created_at=now_iso(),
    ).save()


def send(p: Principal, event: store.EventItem, acknowledge_warnings: bool = False) -> dict[str, Any]:
    """Send the next batch of unsent invitations. Each is marked before the call (conditional on its version), so a
    double click or a concurrent call never sends one twice; letters come back as one PDF to print."""
    if event.doc["status"] != "open":
        raise Conflict("Ouvrez l'événement (statut « open ») avant d'envoyer les invitations.")
    checked = compliance.check_before_send(p, event, acknowledge_warnings)  # L52-1: raises if it may not go
    unsent = [i for i in store.by_status(p.tenant_id, event.event_id, "invited") if not i.sent_at]
    batch, remaining = unsent[:SEND_BATCH], max(0, len(unsent) - SEND_BATCH)
    contacts = contacts_store.batch_get(p.tenant_id, [i.contact_id for i in batch])
    settings = event_messages.tenant_settings(p.tenant_id)
    if any(i.channel == "email" for i in batch):
        senders.from_address(settings)  # 409 before any mark: a sender the tenant was not assigned sends nothing
    sent, failed = 0, []
    book: LetterBook | None = None
    for invitation in batch:
        contact = contacts.get(invitation.contact_id)
        if contact is None:
            failed.append({"contact_id": invitation.contact_id, "reason": "Contact supprimé depuis l'invitation."})
            continue
        if contact.doc.get("archived"):
            failed.append({"contact_id": invitation.contact_id, "reason": "Contact archivé : invitation non envoyée."})
            continue
        invitation.sent_at = now_iso()
        try:
            store.save_invitation(invitation)  # the mark: a concurrent sender fails here and skips it
        except Conflict:
            continue
        composed = event_messages.compose("invitation", event, invitation, contact, settings=settings)
        provider_id = None
        try:
            if invitation.channel == "letter":
                book = book or LetterBook(f"Invitations : {event.doc['title']}")
                book.add(_letter(settings, composed, contact))
            else:
                provider_id = event_messages.deliver(event, composed, "invitation", settings)
        except SendOutcomeUnknown:
            # Perhaps sent: the mark stays (no later call resends it) and the stats list it for staff to check.
            unknown = {"state": "unknown", "at": now_iso(), "channel": invitation.channel}
            invitation.reminders = {**(invitation.reminders or {}), "invitation": unknown}
            store.save_invitation(invitation)
            reason = "Issue de l'envoi inconnue (délai dépassé) : vérifiez auprès de l'invité avant de renvoyer."
            failed.append({"contact_id": invitation.contact_id, "reason": reason})
            continue
        except Exception as exc:
            invitation.sent_at = None
            store.save_invitation(invitation)
            failed.append({"contact_id": invitation.contact_id, "reason": f"Envoi impossible ({type(exc).__name__})."})
            continue
        note_message(event, invitation, "invitation", invitation.channel, provider_id, p.user_id)
        store.save_invitation(invitation)
        sent += 1
    letters_url = _store_letters(p, event, book) if book else None
    audit.record(p, "send", "invitations", event.event_id, {"sent": sent, "failed": len(failed)})
    return {"sent": sent, "failed": failed, "remaining": remaining, "letters_url": letters_url, "compliance": checked}


def _letter(settings: dict[str, Any], composed: event_messages.Composed, contact: contacts_store.ContactItem) -> Letter:
    from chalicelib.domain.letters import postal_lines

    address = contact.doc.get("address") or {}
    postal, _ = postal_lines(
        [formal_name(contact.doc)], address.get("lines") or [], address.get("postcode"), address.get("city")
    )
    lines = [line for line in composed.text.splitlines()]
    appel, body = lines[0], "\n".join(lines[1:])
    paragraphs = [" ".join(x.split()) for x in body.split("\n\n") if x.strip()]
    return Letter(
        letterhead=letterhead_lines(settings),
        postal=postal,
        place_and_date=dateline(settings.get("name"), today(settings.get("timezone"))),
        subject=composed.subject,
        appel=appel,
        paragraphs=paragraphs,
        closing="Nous serions honorés de votre présence.",
        signatory_function=settings.get("signatory_function"),
        signatory_name=settings.get("signatory_name"),
    )


def _store_letters(p: Principal, event: store.EventItem, book: LetterBook) -> str:
    key = f"letters/{p.tenant_id}/invitations-{event.event_id}-{new_id()}.pdf"
    files.put_pdf(key, book.bytes())
    return files.download_url(key, "invitations.pdf")


def check_in(p: Principal, event: store.EventItem, invitation_id: str | None, token: str | None) -> dict[str, Any]:
    if token is not None:
        verified = tokens.verify(get_settings().link_keys(), token, "checkin")
        if verified is None or verified[0] != p.tenant_id:
            raise NotFound("Code d'accueil inconnu.")
        invitation_id = verified[1]
    invitation = load_invitation(p, event, invitation_id or "")
    if invitation.status == "attended":
        return guest_json(invitation)  # scanned twice at the door: nothing changes
    apply(invitation, "check_in", p.email or p.user_id)
    invitation.updated_at = now_iso()
    store.save_invitation(invitation)
    return guest_json(invitation)


def stats(p: Principal, event: store.EventItem) -> dict[str, Any]:
    counts = {status: 0 for status in rules.GUEST_STATUSES}
    unknown: list[dict[str, str]] = []
    for invitation in store.all_for_event(p.tenant_id, event.event_id):
        counts[invitation.status] += 1
        for rule_id, entry in (invitation.reminders or {}).items():
            if entry.get("state") in ("sending", "unknown", "failed"):
                unknown.append(
                    {
                        "invitation_id": invitation.invitation_id,
                        "contact_id": invitation.contact_id,
                        "rule": rule_id,
                        "state": entry["state"],
                    }
                )
    rates = rules.rates(counts)
    seats = store.get_seats(p.tenant_id, event.event_id)
    return {
        "invited": sum(n for s, n in counts.items() if s != "cancelled"),
        "answered": sum(n for s, n in counts.items() if s in rules.ANSWERED),
        **{
            s: counts[s]
            for s in (
                "accepted",
                "declined",
                "represented",
                "waitlisted",
                "offered",
                "attended",
                "no_show",
                "cancelled",
            )
        },
        "seats_taken": int(seats.taken or 0),
        "capacity": event.doc.get("capacity"),
        "rsvp_rate": rates["rsvp_rate"],
        "participation_rate": rates["participation_rate"],
        "unknown_sends": unknown,
    }


def now() -> datetime:
    return datetime.now(UTC)


# --- printed for the day: émargement list and badges --------------------------------------------------------------

EXPECTED = ("accepted", "represented", "offered", "attended")


def _titles(p: Principal, event: store.EventItem) -> dict[str, str]:
    """Each coming guest's title as it will be announced (precedence module), when the tenant's place is known."""
    from chalicelib.schemas.protocol import PrecedenceRequest
    from chalicelib.schemas.validation import parse
    from chalicelib.services import events as events_service
    from chalicelib.services import protocol

    try:
        req = parse(PrecedenceRequest, events_service.ceremony_request(p, event))
        order = protocol.precedence_order(p, req)["order"]
    except (Conflict, ValidationFailed, NotFound):
        return {}
    return {x["contact_id"]: x["title"] for x in order if x["function"]}


def _expected(p: Principal, event: store.EventItem) -> list[store.InvitationItem]:
    guests = [i for status in EXPECTED for i in store.by_status(p.tenant_id, event.event_id, status)]
    return sorted(guests, key=lambda i: (i.doc.get("name") or "").split(" ", 1)[-1].casefold())


def attendance_pdf(p: Principal, event: store.EventItem) -> bytes:
    from chalicelib.printing import sheets

    titles = _titles(p, event)
    attendees = []
    for invitation in _expected(p, event):
        representative = invitation.doc.get("representative") or {}
        note = ""
        if invitation.status == "represented":
            who = ", ".join(x for x in (representative.get("name"), representative.get("function")) if x)
            note = f"représenté(e) par {who}" if who else "représenté(e)"
        elif invitation.status == "offered":
            note = "place proposée, non confirmée"
        attendees.append(
            sheets.Attendee(
                invitation.doc.get("name") or "",
                titles.get(invitation.contact_id, ""),
                tuple(c["name"] for c in invitation.doc.get("companions", [])),
                note,
            )
        )
    zone_name = event_messages.tenant_settings(p.tenant_id).get("timezone")
    starts = datetime.fromisoformat(event.doc["starts_at"])
    subtitle = f"{event.doc['title']} — {event_messages.when_text(starts, zone_name)}"
    return sheets.attendance_sheet(subtitle, attendees)


def badges_pdf(p: Principal, event: store.EventItem) -> bytes:
    from chalicelib.printing import sheets

    titles = _titles(p, event)
    cards = []
    for invitation in _expected(p, event):
        if invitation.status == "offered":
            continue
        representative = invitation.doc.get("representative") or {}
        name = invitation.doc.get("name") or ""
        title = titles.get(invitation.contact_id, "")
        if invitation.status == "represented" and representative.get("name"):
            name, title = representative["name"], representative.get("function") or f"pour {name}"
        qr = event_messages.qr_png(event_messages.token_for(p.tenant_id, invitation.invitation_id, "checkin"))
        cards.append((name, title, qr))
    return sheets.badges(cards)
