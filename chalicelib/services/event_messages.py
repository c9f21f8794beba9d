"""What an invitation's guest receives: invitation, confirmation, relance, rappel, offer, notice; by email (raw
MIME with the .ics and the check-in QR code), SMS, or letter. One composer serves the preview, the sending, the
RSVP confirmations and the reminders job, so a guest sees in each what staff previewed."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from chalicelib.domain import ics, tokens
from chalicelib.domain.contact_points import is_french_mobile
from chalicelib.domain.protocol import address_forms as forms
from chalicelib.domain.time import instant, today
from chalicelib.domain.time import local as local_time
from chalicelib.domain.typography import MONTHS_FR, WEEKDAYS_FR
from chalicelib.messaging import outbound, templates
from chalicelib.messaging.outbound import Attachment, Email
from chalicelib.services import consents, replies, senders
from chalicelib.services.address_forms import rank_of
from chalicelib.services.protocol import person_of, territory_label
from chalicelib.settings import get_settings, public_base_url
from chalicelib.store import mandates as mandates_store
from chalicelib.store import tenants
from chalicelib.store.entities import Contact, Event, Invitation, ReplyAddress

logger = logging.getLogger("agora.event_messages")

Kind = Literal["invitation", "confirmation", "relance", "rappel", "offer", "notice"]
SUBJECTS: dict[str, str] = {
    "invitation": "Invitation : {title}",
    "confirmation": "Votre réponse : {title}",
    "relance": "Votre réponse est attendue : {title}",
    "rappel": "Rappel : {title}",
    "offer": "Une place s'est libérée : {title}",
    "notice": "Changement : {title}",
}


@dataclass(frozen=True)
class Composed:
    channel: str
    to: str | None
    subject: str | None
    text: str
    html: str | None
    attachments: tuple[Attachment, ...] = ()
    contact_id: str | None = None  # whom it goes to, and what it is: the reply address maps to them
    ref: str = ""


def when_text(moment: datetime, zone_name: str | None = None) -> str:
    """« samedi 9 janvier 2027 à 18 h 30 » on the tenant's clock (the « h » form of the Imprimerie nationale)."""
    local = local_time(moment, zone_name)
    day = "1er" if local.day == 1 else str(local.day)
    text = f"{WEEKDAYS_FR[local.weekday()]} {day} {MONTHS_FR[local.month - 1]} {local.year}"
    return f"{text} à {local.hour} h {local.minute:02d}" if local.minute else f"{text} à {local.hour} h"


def deadline_text(doc: Mapping[str, Any], zone_name: str | None = None) -> str | None:
    deadline = instant(doc.get("rsvp_deadline"))
    return when_text(deadline, zone_name) if deadline else None


def event_view(doc: Mapping[str, Any], zone_name: str | None = None) -> dict[str, Any]:
    return {
        "title": doc["title"],
        "description": doc.get("description") or "",
        "invitation_text": doc.get("invitation_text") or "",
        "when": when_text(instant(doc["starts_at"]), zone_name),
        "place": doc.get("place") or "",
        "address": doc.get("address") or "",
    }


def token_for(tenant_id: str, invitation_id: str, purpose: str = "rsvp") -> str:
    return tokens.sign(get_settings().link_keys()[0], tenant_id, invitation_id, purpose)


def rsvp_url(tenant_id: str, invitation_id: str) -> str:
    return f"{public_base_url()}/public/rsvp/{token_for(tenant_id, invitation_id)}"


def masked_rsvp_url() -> str:
    """What a read-only user sees in place of a guest's link: whoever holds the link answers as the guest."""
    return f"{public_base_url()}/public/rsvp/lien-personnel-masque"


def ics_of(event: Event, invitation_id: str | None = None) -> str:
    doc = event.doc
    location = ", ".join(x for x in (doc.get("place"), doc.get("address")) if x) or None
    return ics.event_ics(
        uid=f"{event.event_id}@agora",
        title=doc["title"],
        description=doc.get("description"),
        starts_at=instant(doc["starts_at"]),
        ends_at=instant(doc.get("ends_at")),
        location=location,
        url=rsvp_url(event.tenant_id, invitation_id) if invitation_id else None,
        sequence=int(event.version or 0),
        cancelled=doc["status"] == "cancelled",
        stamp=instant(event.updated_at) or datetime.now().astimezone(),
    )


def qr_png(data: str) -> bytes:
    import segno  # only a message with a QR code needs it: not imported with the app

    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def mobile_of(doc: Mapping[str, Any]) -> str | None:
    """The contact's first French mobile number (metropolitan or overseas: contact_points.is_french_mobile)."""
    return next((p for p in doc.get("phones") or [] if is_french_mobile(p)), None)


def reachable(doc: Mapping[str, Any], channel: str) -> tuple[str | None, str | None]:
    """(address on the channel, why not): email → the first email, sms → a mobile number, letter → postal. An
    archived contact is reached on no channel."""
    if doc.get("archived"):
        return None, "Contact archivé."
    if channel == "email":
        emails = doc.get("emails") or []
        return (emails[0], None) if emails else (None, "Aucune adresse électronique.")
    if channel == "sms":
        mobile = mobile_of(doc)
        return (mobile, None) if mobile else (None, "Aucun numéro de mobile.")
    address = doc.get("address") or {}
    if address.get("postcode") and address.get("city"):
        return address["city"], None
    return None, "Adresse postale incomplète (code postal et commune requis)."


def suppressed(tenant_id: str, contacts: Iterable[Contact]) -> frozenset[str]:
    """The ids of these contacts whose email address (the one `reachable` picks) is on the tenant's suppression
    list (a bounce, a complaint, an unsubscribe): one BatchGetItem per 100 addresses, none without an address."""
    emails = {c.contact_id: address.lower() for c in contacts if (address := reachable(c.doc, "email")[0])}
    blocked = consents.suppressed_addresses(tenant_id, list(emails.values())) if emails else set()
    return frozenset(contact_id for contact_id, address in emails.items() if address in blocked)


def tenant_settings(tenant_id: str) -> dict[str, Any]:
    item = tenants.get_settings_item(tenant_id)
    return dict(item.data) if item else {}


def appel_for(tenant_id: str, contact: Contact, on: date) -> str:
    """The formule d'appel of the guest (« Madame la Préfète, »): invitations follow the protocol rules."""
    recipient = person_of(contact, mandates_store.for_contact(tenant_id, contact.contact_id))
    return forms.address_forms(recipient, on, "maire", territory_label, None, rank_of=rank_of).appel


def compose(
    kind: Kind,
    event: Event,
    invitation: Invitation,
    contact: Contact,
    *,
    channel: str | None = None,
    message: str = "",
    settings: dict[str, Any] | None = None,
    link: str | None = None,
) -> Composed:
    """``link`` replaces the guest's RSVP link (a preview for a read-only user shows a masked one)."""
    settings = settings if settings is not None else tenant_settings(event.tenant_id)
    zone_name = settings.get("timezone")
    channel = channel or invitation.channel
    doc = event.doc
    offered_until = invitation.doc.get("offered_until")
    context = {
        "tenant_name": settings.get("name") or "La mairie",
        "event": event_view(doc, zone_name),
        "appel": appel_for(event.tenant_id, contact, today(zone_name)),
        "rsvp_url": link or rsvp_url(event.tenant_id, invitation.invitation_id),
        "deadline": deadline_text(doc, zone_name),
        "regrets_only": bool(doc.get("regrets_only")),
        "message": message,
        "companions": [c["name"] for c in invitation.doc.get("companions", [])],
        "offered_until": when_text(datetime.fromisoformat(offered_until), zone_name) if offered_until else "",
        "cancelled": doc.get("status") == "cancelled",
        "qr_cid": None,
    }
    to, _ = reachable(contact.doc, channel)
    subject = SUBJECTS[kind].format(title=doc["title"])
    ref = f"{event.event_id}/{invitation.invitation_id}/{kind}"
    if channel == "sms":
        text = templates.files().get_template(f"sms/{kind}.txt").render(context).strip()
        return Composed("sms", to, None, " ".join(text.split()), None, (), contact.contact_id, ref)
    attachments: list[Attachment] = []
    if kind in ("confirmation", "rappel", "notice") or (kind == "invitation" and channel == "email"):
        method = "CANCEL" if context["cancelled"] else "PUBLISH"
        attachments.append(
            Attachment(
                "evenement.ics", f"text/calendar; method={method}", ics_of(event, invitation.invitation_id).encode()
            )
        )
    if kind == "confirmation" and invitation.status == "accepted":
        context["qr_cid"] = f"qr-{invitation.invitation_id}@agora"
        attachments.append(
            Attachment(
                "code.png",
                "image/png",
                qr_png(token_for(event.tenant_id, invitation.invitation_id, "checkin")),
                str(context["qr_cid"]),
            )
        )
    context["subject"] = subject
    text = templates.files().get_template(f"emails/{kind}.txt").render(context)
    html = templates.files().get_template(f"emails/{kind}.html").render(context)
    return Composed(channel, to, subject, text, html, tuple(attachments), contact.contact_id, ref)


def deliver(event: Event, composed: Composed, kind: str, settings: dict[str, Any] | None = None) -> str:
    """Send an email or an SMS; returns the provider's message id. Letters are printed, not delivered here."""
    if composed.to is None:
        raise ValueError("no address on this channel")
    if composed.channel == "sms":
        return outbound.send_sms(event.tenant_id, composed.to, composed.text)
    settings = settings if settings is not None else tenant_settings(event.tenant_id)
    sender = senders.from_address(settings)  # SenderNotAllowed: the stored sender is not the tenant's
    # Replies come back to the deployment's inbound domain, into the contact's history (services/replies.py); with
    # no inbound domain, to the tenant's own sender, checked just above.
    reply = replies.new_reply(event.tenant_id, contact_id=composed.contact_id, source="event_message", ref=composed.ref)
    reply_to = replies.address_of(reply) if reply else sender[1] if sender else None
    try:
        message_id = _send(event, composed.to, composed, kind, sender, reply_to)
    except outbound.SendOutcomeUnknown:
        _record_reply(reply, None)  # perhaps sent: its replies still find their contact
        raise
    _record_reply(reply, message_id)
    return message_id


def _record_reply(reply: ReplyAddress | None, message_id: str | None) -> None:
    """Store a message's reply address; the message went: a failure here must not report it unsent (it would be
    sent again), so it is logged, and a reply to it lands nowhere."""
    if reply is None:
        return
    try:
        replies.record_sent(reply, message_id)
    except Exception:
        logger.exception("Reply address of message %s not recorded", message_id)


def _send(
    event: Event, to: str, composed: Composed, kind: str, sender: tuple[str, str] | None, reply_to: str | None
) -> str:
    return outbound.send_email(
        event.tenant_id,
        Email(
            to=to,
            subject=composed.subject or "",
            text=composed.text,
            html=composed.html,
            sender=sender,
            reply_to=reply_to,
            attachments=composed.attachments,
            list_unsubscribe=f"<mailto:{reply_to}?subject=desabonnement>" if reply_to else None,
            tags={"event": event.event_id, "kind": kind},
        ),
    )
