"""Sending invitations: the preview as the guest will receive it, batches of email and SMS with a mark before each
call (a double click or a concurrent call never sends one twice), letters as one PDF to print; every message sent is
recorded on the invitation and in the contact's history (an interaction).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from chalicelib import observability
from chalicelib.auth import Principal
from chalicelib.domain.contacts import formal_name
from chalicelib.domain.letters import postal_lines
from chalicelib.domain.time import today
from chalicelib.errors import Conflict, NotFound
from chalicelib.messaging.outbound import SendOutcomeUnknown
from chalicelib.services import audit, compliance, event_messages, senders
from chalicelib.services.invitations import Skipped
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files
from chalicelib.store import interactions as interactions_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Event, Interaction, Invitation, MessageDoc, ReminderEntryDoc

if TYPE_CHECKING:  # fpdf, imported with the printing modules, costs most of a cold start: only a letter needs it
    from chalicelib.printing.letters import Letter, LetterBook

SEND_BATCH = 100  # invitations sent per POST …/invitations/send; the response says how many remain


INTERACTION_KIND = {"email": "email", "sms": "sms", "letter": "letter"}


@dataclass(frozen=True, slots=True)
class SendReport:
    """A batch sent: how many went, which did not (and why), how many are left, the letters to print, and the
    L52-1 warnings acknowledged or findings overridden for it."""

    sent: int = 0
    failed: list[Skipped] = field(default_factory=list)
    remaining: int = 0
    letters_url: str | None = None
    compliance: Mapping[str, Any] | None = None  # compliance.check_before_send's clearance


def preview(p: Principal, event: Event, contact_id: str) -> event_messages.Composed:
    guards = invitations_store.existing_guards(p.tenant_id, event.event_id, [contact_id])
    if contact_id not in guards:
        raise NotFound("Ce contact n'est pas invité à cet événement.")
    invitation = invitations_store.get_invitation(p.tenant_id, guards[contact_id])
    contact = contacts_store.get(p.tenant_id, invitation.contact_id) if invitation else None
    if invitation is None or contact is None:
        raise NotFound("Invitation introuvable.")
    link = None if p.can_write else event_messages.masked_rsvp_url()
    return event_messages.compose(
        "invitation",
        event,
        invitation,
        contact,
        link=link,
    )


def note_message(
    event: Event,
    invitation: Invitation,
    kind: str,
    channel: str,
    provider_id: str | None,
    author: str,
) -> None:
    """A message sent: on the invitation (saved by the caller), and in the contact's history."""
    message: MessageDoc = {"at": now_iso(), "kind": kind, "channel": channel, "provider_message_id": provider_id}
    messages = [*invitation.doc.get("messages", []), message]
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
    tenant_id: str,
    invitation: Invitation,
    title: str,
    kind: str,
    channel: str,
    author: str = "agora",
) -> None:
    """The message in the contact's history (GET /contacts/{id}/interactions), as any exchange is."""
    label = MESSAGE_LABELS.get(kind, kind)
    interactions_store.put(
        Interaction(
            tenant_id=tenant_id,
            contact_id=invitation.contact_id,
            interaction_id=new_id(),
            kind=INTERACTION_KIND[channel],
            date=date.today().isoformat(),
            summary=f"Événement « {title} » : {label}" if title else f"Événement : {label}",
            author_id=author,
            created_at=now_iso(),
        )
    )


SUPPRESSED = "Adresse e-mail exclue des envois (rebond, plainte ou désinscription) : invitation non envoyée."


def _why_not(invitation: Invitation, contact: Contact | None, suppressed: frozenset[str]) -> str | None:
    """Why this invitation is not sent now, or None (`suppressed`: contact ids whose address may not be emailed)."""
    if contact is None:
        return "Contact supprimé depuis l'invitation."
    if contact.doc.get("archived"):
        return "Contact archivé : invitation non envoyée."
    if invitation.channel == "email" and contact.contact_id in suppressed:
        return SUPPRESSED
    return None


def send(p: Principal, event: Event, acknowledge_warnings: bool = False) -> SendReport:
    """Send the next batch of unsent invitations. Each is marked before the call (conditional on its version), so a
    double click or a concurrent call never sends one twice; letters come back as one PDF to print."""
    if event.doc["status"] != "open":
        raise Conflict("Ouvrez l'événement (statut « open ») avant d'envoyer les invitations.")
    checked = compliance.check_before_send(p, event, acknowledge_warnings)  # L52-1: raises if it may not go
    unsent = [
        i for i in invitations_store.invitations_in_status(p.tenant_id, event.event_id, "invited") if not i.sent_at
    ]
    batch, remaining = unsent[:SEND_BATCH], max(0, len(unsent) - SEND_BATCH)
    contacts = contacts_store.batch_get(p.tenant_id, [i.contact_id for i in batch])
    settings = event_messages.tenant_settings(p.tenant_id)
    if any(i.channel == "email" for i in batch):
        senders.from_address(settings)  # 409 before any mark: a sender the tenant was not assigned sends nothing
    sent, failed = 0, list[Skipped]()
    book: LetterBook | None = None
    emailed = [contacts[i.contact_id] for i in batch if i.channel == "email" and i.contact_id in contacts]
    suppressed = event_messages.suppressed(p.tenant_id, emailed)
    for invitation in batch:
        contact = contacts.get(invitation.contact_id)
        why_not = _why_not(invitation, contact, suppressed)
        if why_not or contact is None:
            failed.append(Skipped(invitation.contact_id, why_not or "Contact supprimé depuis l'invitation."))
            continue
        invitation.sent_at = now_iso()
        # The mark, « sending » until the outcome is known: a request that dies after it (or whose answer is lost,
        # and that the user sends again) leaves the invitation marked and listed among the sends to check, never
        # sent twice and never lost unseen.
        sending: ReminderEntryDoc = {"state": "sending", "at": invitation.sent_at, "channel": invitation.channel}
        invitation.reminders = {**invitation.reminders, "invitation": sending}
        try:
            invitations_store.save_invitation(invitation)  # a concurrent sender fails here and skips it
        except Conflict:
            continue
        composed = event_messages.compose(
            "invitation",
            event,
            invitation,
            contact,
            settings=settings,
        )
        provider_id = None
        try:
            if invitation.channel == "letter":
                from chalicelib.printing.letters import LetterBook

                book = book or LetterBook(f"Invitations : {event.doc['title']}")
                book.add(_letter(settings, composed, contact))
            else:
                provider_id = event_messages.deliver(event, composed, "invitation", settings)
        except SendOutcomeUnknown:
            # Perhaps sent: the mark stays (no later call resends it) and the stats list it for staff to check.
            unknown: ReminderEntryDoc = {"state": "unknown", "at": now_iso(), "channel": invitation.channel}
            invitation.reminders = {**invitation.reminders, "invitation": unknown}
            invitations_store.save_invitation(invitation)
            reason = "Issue de l'envoi inconnue (délai dépassé) : vérifiez auprès de l'invité avant de renvoyer."
            failed.append(Skipped(invitation.contact_id, reason))
            continue
        except Exception as exc:
            invitation.sent_at = None
            invitation.reminders = {k: v for k, v in invitation.reminders.items() if k != "invitation"}
            invitations_store.save_invitation(invitation)
            failed.append(Skipped(invitation.contact_id, f"Envoi impossible ({type(exc).__name__})."))
            continue
        note_message(event, invitation, "invitation", invitation.channel, provider_id, p.user_id)
        invitation.reminders = {k: v for k, v in invitation.reminders.items() if k != "invitation"}  # sent
        invitations_store.save_invitation(invitation)
        sent += 1
    letters_url = _store_letters(p, event, book) if book else None
    audit.record(p, "send", "invitations", event.event_id, {"sent": sent, "failed": len(failed)})
    observability.count("InvitationsSent", sent)
    return SendReport(sent, failed, remaining, letters_url, checked)


def _letter(settings: dict[str, Any], composed: event_messages.Composed, contact: Contact) -> Letter:
    from chalicelib.printing.letters import Letter, dateline, letterhead_lines

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


def _store_letters(p: Principal, event: Event, book: LetterBook) -> str:
    key = f"letters/{p.tenant_id}/invitations-{event.event_id}-{new_id()}.pdf"
    files.put_pdf(key, book.bytes())
    return files.download_url(key, "invitations.pdf")
