"""Replies to the emails Agora sends: the reply address of each message, the replies SES receives, and the inbox.

Sending. Each email names a Reply-To `reponse+<id>@<inbound domain>` (domain/inbound_mail.py), mapped here to the
tenant, the contact, what was sent (`source`, `ref`) and SES's message id: one PutItem per message, after the send
when its message id is known (`new_reply`, then `record_sent`), or at once (`reply_to`) for a caller that does not
record it. Without an inbound domain (settings.inbound_domain), there is no reply address and callers keep theirs.

Receiving. SES's receipt rule → SNS topic → SQS queue → `process`. The reply is matched to the contact it answers:
1. by the reply id of an address it was sent to (the envelope's recipients, To, Cc, Delivered-To);
2. else by In-Reply-To / References: SES replaces the Message-ID of what it sends with
   `<{SES message id}@{region}.amazonses.com>`, which a real reply quotes, so the SES message id recorded at sending
   is what is looked up (never the Message-ID build_mime generated, which nobody receives);
3. else by its sender's address among the tenant's contacts, when 1 or 2 gave the tenant but no contact (a message
   to no one in particular, a contact deleted since): one contact with that address, not two.
Matched, it becomes an `email_reply` interaction in the contact's history (the 360° view); « STOP »,
« désinscription », « unsubscribe » in its subject or first lines withdraw the contact's email consent (RGPD art.
21(3): without delay). Unmatched but with a known tenant, it goes to the tenant's inbox, where staff assign it to a
contact (`assign`); a request to stop puts its sender's address on the suppression list at once. Nothing names the
tenant: logged and skipped. Automatic replies (RFC 3834 Auto-Submitted, mailing lists) and mail SES judged spam or
infected are skipped too.

At most once: the interaction or inbox item takes an id derived from SES's id of the email received and is written
only if absent, after the consent change (idempotent): a redelivered notification changes nothing. A malformed
notification is logged and skipped, never fails its batch; an AWS error does, so that SQS delivers it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from chalicelib.auth import Principal
from chalicelib.domain import inbound_mail
from chalicelib.domain.inbound_mail import InboundSms, Received, Reply
from chalicelib.domain.listing import Listing
from chalicelib.services import audit, consents, lookup
from chalicelib.services import contacts as contacts_service
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files, search_index
from chalicelib.store import messages as messages_store
from chalicelib.store import replies as store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact, InboxMessage, Interaction, ReplyAddress, Suppression

logger = logging.getLogger("agora.replies")

SOURCES = ("event_message", "campaign")
REPLY_KIND = "email_reply"
STOP_BY_REPLY_TEXT = "Demande de désinscription en réponse à un message reçu."
STOP_BY_SMS_TEXT = "Réponse « STOP » à un SMS reçu."


# --- sending ------------------------------------------------------------------------------------------------------


def new_reply(tenant_id: str, *, contact_id: str | None, source: str, ref: str) -> ReplyAddress | None:
    """A reply address for one message, not stored yet (`record_sent` stores it with SES's message id); None when
    this deployment receives no replies."""
    if source not in SOURCES:
        raise ValueError(f"unknown reply source {source!r}")
    if not get_settings().inbound_domain:
        return None
    return ReplyAddress(
        tenant_id=tenant_id,
        reply_id=inbound_mail.new_reply_id(),
        contact_id=contact_id,
        source=source,
        ref=ref,
        created_at=now_iso(),
    )


def address_of(reply: ReplyAddress) -> str:
    return inbound_mail.reply_address(reply.reply_id, get_settings().inbound_domain)


def record_sent(reply: ReplyAddress, message_id: str | None) -> None:
    """Store the address of a message sent, with SES's id of it (None: the outcome of the send is unknown)."""
    reply.message_id = message_id
    store.put_address(reply)


def reply_to(tenant_id: str, *, contact_id: str | None, source: str, ref: str) -> str | None:
    """`reponse+<id>@<inbound domain>` for one message, stored now (one PutItem): replies are matched by its id, not
    by In-Reply-To (use `new_reply` and `record_sent` for that). None when this deployment receives no replies."""
    reply = new_reply(tenant_id, contact_id=contact_id, source=source, ref=ref)
    if reply is None:
        return None
    store.put_address(reply)
    return address_of(reply)


# --- receiving ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    address: ReplyAddress
    by: str  # reply_id | in_reply_to


def process(body: str) -> str:
    """Act on one receipt notification; returns what was done, for the logs and the tests."""
    try:
        received = inbound_mail.parse_notification(body)
        raw = _content(received)
    except inbound_mail.MalformedNotification as exc:
        logger.warning("Inbound mail notification skipped: %s", exc)
        return "malformed"
    if raw is None:
        logger.warning("Inbound mail %s: its stored copy is gone: skipped", received.message_id)
        return "missing"
    if received.spam:
        logger.info("Inbound mail %s judged spam or infected by SES: skipped", received.message_id)
        return "spam"
    reply = inbound_mail.parse_mail(raw)
    if reply.auto_submitted:
        logger.info("Inbound mail %s is an automatic reply: skipped", received.message_id)
        return "automatic"
    match = _match(received, reply)
    if match is None:
        logger.warning("Inbound mail %s names no reply address nor message of ours: skipped", received.message_id)
        return "no_tenant"
    tenant_id = match.address.tenant_id
    contact, by = _contact(match, reply)
    if contact is None:
        return _to_inbox(received, reply, match.address)
    stop = reply.asks_to_stop()
    if stop:
        consents.unsubscribe(contact, ("email",), text=STOP_BY_REPLY_TEXT)
    recorded = store.put_reply(
        Interaction(
            tenant_id=tenant_id,
            contact_id=contact.contact_id,
            interaction_id=store.received_id(received.at, received.message_id),
            kind=REPLY_KIND,
            date=received.at or now_iso(),
            summary=summary(reply.sender, reply.subject, reply.excerpt(), stop),
            author_id="agora",
            created_at=now_iso(),
        )
    )
    logger.info("Inbound mail %s: reply of contact %s matched by %s", received.message_id, contact.contact_id, by)
    return f"matched_by_{by}" if recorded else "duplicate"


def _content(received: Received) -> bytes | None:
    if received.content is not None:
        return received.content
    settings = get_settings()
    key = received.key or ""
    if received.bucket != settings.files_bucket or not key.startswith(files.INBOUND_PREFIX):
        raise inbound_mail.MalformedNotification(f"not our inbound bucket and prefix: {received.bucket}/{key[:80]}")
    return files.read_inbound(key, inbound_mail.MAX_MAIL_BYTES)


def _match(received: Received, reply: Reply) -> _Match | None:
    domain = get_settings().inbound_domain
    if domain:
        ids = (inbound_mail.reply_id_of(a, domain) for a in (*received.recipients, *reply.recipients))
        for reply_id in list(dict.fromkeys(i for i in ids if i))[: inbound_mail.MAX_REFERENCES]:
            address = store.address_by_id(reply_id)
            if address is not None:
                return _Match(address, "reply_id")
    for message_id in reply.ses_message_ids():
        address = store.address_by_message(message_id)
        if address is not None:
            return _Match(address, "in_reply_to")
    return None


def _contact(match: _Match, reply: Reply) -> tuple[Contact | None, str]:
    """The contact the reply answers, and how it was found: the address's, else the one contact of the tenant with
    the sender's address."""
    tenant_id, contact_id = match.address.tenant_id, match.address.contact_id
    if contact_id is None and match.address.source == "campaign":  # one address per campaign: its message answered
        contact_id = _campaign_recipient(tenant_id, match.address.ref, reply)
    contact = contacts_store.get(tenant_id, contact_id) if contact_id else None
    if contact is not None:
        return contact, match.by
    found = search_index.contacts_with_email(tenant_id, reply.sender) if reply.sender else []
    if len(found) == 1:
        return contacts_store.get(tenant_id, found[0]), "sender"
    return None, match.by


def _campaign_recipient(tenant_id: str, campaign_id: str, reply: Reply) -> str | None:
    """The recipient of the campaign message the reply answers (In-Reply-To names SES's id of it)."""
    for message_id in reply.ses_message_ids():
        message = messages_store.by_provider_id(message_id)
        if message is not None and (message.tenant_id, message.campaign_id) == (tenant_id, campaign_id):
            return message.contact_id
    return None


def _to_inbox(received: Received, reply: Reply, address: ReplyAddress) -> str:
    stop = reply.asks_to_stop()
    if stop and reply.sender:  # the objection honoured now, whoever staff later find the sender to be
        consents_store.suppress(
            Suppression(tenant_id=address.tenant_id, address=reply.sender, reason="unsubscribe", at=now_iso())
        )
    written = store.put_in_inbox(
        InboxMessage(
            tenant_id=address.tenant_id,
            inbox_id=store.received_id(received.at, received.message_id),
            received_at=received.at or now_iso(),
            sender=reply.sender,
            sender_name=reply.sender_name,
            subject=reply.subject,
            excerpt=reply.excerpt(),
            reply_id=address.reply_id,
            ref=address.ref,
            stop_requested=stop,
        )
    )
    logger.info("Inbound mail %s: no contact found, in the inbox of tenant %s", received.message_id, address.tenant_id)
    return "inbox" if written else "duplicate"


def summary(sender: str, subject: str, excerpt: str, stop: bool) -> str:
    """The reply as the contact's history shows it."""
    lines = [f"Réponse par e-mail de {sender or 'expéditeur inconnu'} : « {subject or '(sans objet)'} »"]
    if excerpt:
        lines += ["", excerpt]
    if stop:
        lines += ["", "Demande de désinscription : consentement e-mail retiré."]
    return "\n".join(lines)


# --- the inbox ----------------------------------------------------------------------------------------------------


def inbox(p: Principal, *, cursor: str | None, limit: int) -> Listing[InboxMessage]:
    return store.inbox_page(p.tenant_id, cursor, limit)


def assign(p: Principal, inbox_id: str, contact_id: str) -> Interaction:
    """Move a reply of the inbox into a contact's history (one transaction); a request to stop withdraws that
    contact's email consent."""
    message = lookup.require(
        store.get_inbox_message, p.tenant_id, inbox_id, "Ce message n'est pas dans la boîte de réception."
    )
    contact = contacts_service.load(p, contact_id)
    if message.stop_requested:
        consents.unsubscribe(contact, ("email",), text=STOP_BY_REPLY_TEXT)
    interaction = Interaction(
        tenant_id=p.tenant_id,
        contact_id=contact.contact_id,
        interaction_id=message.inbox_id,
        kind=REPLY_KIND,
        date=message.received_at,
        summary=summary(message.sender, message.subject, message.excerpt, message.stop_requested),
        author_id=p.user_id,
        author_email=p.email or None,
        created_at=now_iso(),
    )
    store.move_to_history(message, interaction)
    audit.record(p, "assign", "inbox", inbox_id, {"contact_id": contact.contact_id})
    return interaction


# --- SMS replies on a two-way number --------------------------------------------------------------------------------


def process_sms(body: str) -> str:
    """A two-way SMS received: « STOP » (and its variants) withdraws the SMS consent of every contact with that
    number, in every tenant (the number is the deployment's, shared: the person cannot say whose messages they
    refuse, so none may be sent); anything else is logged and left. Idempotent: a redelivery changes nothing."""
    try:
        sms = inbound_mail.parse_sms(body)
    except inbound_mail.MalformedNotification as exc:
        logger.warning("Inbound SMS skipped: %s", exc)
        return "malformed"
    if not sms.asks_to_stop():
        logger.info("Inbound SMS %s is not a STOP: left", sms.inbound_message_id)
        return "ignored"
    found = search_index.contacts_with_phone(sms.origination)
    withdrawn = 0
    for tenant_id, contact_id in found:
        contact = contacts_store.get(tenant_id, contact_id)
        if contact is not None:
            _stop_sms(contact, sms)
            withdrawn += 1
    logger.info("Inbound SMS %s: STOP for %d contact(s)", sms.inbound_message_id, withdrawn)
    return "withdrawn" if withdrawn else "unknown_number"


def _stop_sms(contact: Contact, sms: InboundSms) -> None:
    consents.unsubscribe(contact, ("sms",), text=STOP_BY_SMS_TEXT)
    at = sms.at or now_iso()  # SNS's Timestamp: the same on every redelivery, so is the interaction's id
    store.put_reply(
        Interaction(
            tenant_id=contact.tenant_id,
            contact_id=contact.contact_id,
            interaction_id=store.received_id(at, sms.inbound_message_id),
            kind="sms",
            date=at,
            summary="Réponse « STOP » par SMS : consentement SMS retiré.",
            author_id="agora",
            created_at=now_iso(),
        )
    )
