"""What SES tells of the emails sent: the configuration set's events, through SNS and SQS, acted on per tenant.

- A hard bounce puts the address on the tenant's suppression list; soft bounces do once there have been
  `settings.soft_bounce_limit` distinct ones (a notification delivered twice counts once).
- A complaint (the person marked the message as spam) suppresses the address and, when the message names its
  contact (the `contact` tag), withdraws that contact's email consent: a complaint is an objection (RGPD art. 21).
- A campaign's message (found by SES's message id, in the by-provider-id index: no tenant needed to find it, and
  it must name the tenant the tags name) records each event: delivered, bounced, complained, rejected, its opens
  and clicks; an open or a click also moves the contact's engagement (segments' `opened_within_days`). A
  notification delivered twice is applied once.
A malformed, unknown or repeated notification is logged and skipped: it never fails its batch (it would fail the
same way again); only an AWS error does, so that SQS delivers the message again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from chalicelib import observability
from chalicelib.domain import ses_events
from chalicelib.domain import time as clock
from chalicelib.domain.time import instant
from chalicelib.services import consents
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import messages as messages_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Suppression

logger = logging.getLogger("agora.mail_events")


def process(body: str) -> str:
    """Act on one notification; returns what was done, for the logs and the tests."""
    try:
        event = ses_events.parse(body)
    except ses_events.MalformedNotification as exc:
        logger.warning("SES notification skipped: %s", exc)
        return "malformed"
    tenant_id = event.tag("tenant")
    if not tenant_id:
        logger.warning("SES %s event for message %s names no tenant: skipped", event.kind, event.message_id)
        return "no_tenant"
    # The address's suppression (and a complainant's consent) first, the message's record after: each is safe to
    # do again, and the record is what makes a redelivery « repeated ». In the other order, a worker that died
    # between the two left a bounce recorded whose address was never suppressed.
    acted = _bounce(tenant_id, event) if event.kind == "bounce" else None
    acted = _complaint(tenant_id, event) if event.kind == "complaint" else acted
    recorded = _record_on_message(tenant_id, event) if event.tag("campaign") else None
    if acted and recorded != "repeated":  # a redelivered notification is counted once (when its message is known)
        observability.count("Bounces" if event.kind == "bounce" else "Complaints")
    if recorded == "repeated" or acted:
        return recorded if recorded == "repeated" else str(acted)
    logger.info("SES %s event for message %s of tenant %s", event.kind, event.message_id, tenant_id)
    return recorded or "noted"


class NotRecordedYet(Exception):
    """An event for a campaign message sent a moment ago that its worker has not recorded yet: try again later."""


RECENT = timedelta(minutes=15)  # past this, a message still not found will not be: the event is skipped


def _recent(at: str) -> bool:
    try:
        moment = instant(at) if at else None
    except ValueError:  # SES's own timestamp, malformed: not worth waiting for
        return False
    return moment is not None and clock.now() - moment < RECENT


def _record_on_message(tenant_id: str, event: ses_events.SesEvent) -> str | None:
    """The event on its campaign message: "recorded", "repeated" (applied before: nothing else is done), or None
    when there is nothing to record or no such message."""
    if not messages_store.records(event.kind, event.link):
        return None
    message = messages_store.by_provider_id(event.message_id)
    if message is None and event.tag("kind") != "test" and _recent(event.at):
        # A worker writes its outcomes a few at a time after the sends: SES may be quicker. SQS delivers the
        # notification again after its visibility timeout, by when the message is there.
        raise NotRecordedYet(f"campaign message {event.message_id} not recorded yet")
    if message is None or message.tenant_id != tenant_id:
        logger.warning("SES %s event: no campaign message %s in tenant %s", event.kind, event.message_id, tenant_id)
        return None
    notification = event.notification_id or f"{event.kind}#{event.at}#{event.link or ''}"
    at = event.at or now_iso()
    if not messages_store.apply_event(message, notification, event.kind, at, link=event.link, bounce=event.bounce_type):
        return "repeated"
    if event.kind in ("open", "click"):
        messages_store.engage(tenant_id, message.contact_id, event.kind, event.at or now_iso())
    return "recorded"


def _bounce(tenant_id: str, event: ses_events.SesEvent) -> str:
    if event.bounce_type == "hard":
        for address in event.recipients:
            consents_store.suppress(
                Suppression(tenant_id=tenant_id, address=address, reason="hard_bounce", at=event.at)
            )
        return "suppressed"
    limit = get_settings().soft_bounce_limit
    outcome = "counted"
    for address in event.recipients:
        seen = consents_store.count_soft_bounce(tenant_id, address, event.notification_id or event.message_id)
        if seen >= limit:
            consents_store.suppress(
                Suppression(tenant_id=tenant_id, address=address, reason="soft_bounces", at=event.at)
            )
            outcome = "suppressed"
    return outcome


def _complaint(tenant_id: str, event: ses_events.SesEvent) -> str:
    for address in event.recipients:
        consents_store.suppress(Suppression(tenant_id=tenant_id, address=address, reason="complaint", at=event.at))
    contact_id = event.tag("contact")
    contact = contacts_store.get(tenant_id, contact_id) if contact_id else None
    if contact is not None:
        consents.withdraw_after_complaint(contact)
    return "suppressed"
