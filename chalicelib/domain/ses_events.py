"""SES sending events (Send, Delivery, Bounce, Complaint, Open, Click, Reject…) as the configuration set publishes
them to SNS, which delivers them to SQS: parsed here into one typed value, or refused as malformed.

Format: « Contents of event data that Amazon SES publishes to Amazon SNS » (docs.aws.amazon.com/ses/latest/dg/
event-publishing-retrieving-sns-contents.html): a top-level `eventType`, a `mail` object (`messageId`,
`destination`, `tags`: name → list of values) and one object named after the event (`bounce`, `complaint`…).
SNS wraps it in its own envelope (`Type: Notification`, the event as the string `Message`) unless the subscription
delivers raw messages: both arrive here. Identity feedback notifications (`notificationType` instead of
`eventType`) are accepted too.

A bounce is hard when SES says `Permanent` (the address does not exist: never send again), soft otherwise
(`Transient`, `Undetermined`: a full mailbox, a server down).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.sns_envelope import MalformedNotification as MalformedNotification  # part of this parser's API
from chalicelib.domain.sns_envelope import text as _text
from chalicelib.domain.sns_envelope import unwrap

KINDS = {
    "Send": "send",
    "Delivery": "delivery",
    "Bounce": "bounce",
    "Complaint": "complaint",
    "Open": "open",
    "Click": "click",
    "Reject": "reject",
    "DeliveryDelay": "delivery_delay",
    "Rendering Failure": "rendering_failure",
}
_RECIPIENTS_OF = {"bounce": "bouncedRecipients", "complaint": "complainedRecipients"}


@dataclass(frozen=True)
class SesEvent:
    kind: str  # a value of KINDS
    message_id: str  # SES's id of the message sent (SendRawEmail's MessageId)
    at: str  # when it happened, as SES says (ISO 8601 UTC)
    recipients: tuple[str, ...]  # the addresses concerned, lower-cased
    bounce_type: str | None = None  # "hard" | "soft" for a bounce
    link: str | None = None  # the URL clicked
    notification_id: str | None = None  # SNS's MessageId: the same notification delivered twice has the same one
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def tag(self, name: str) -> str | None:
        values = self.tags.get(name) or ()
        return values[0] if values else None


def parse(body: str) -> SesEvent:
    outer, envelope = unwrap(body)
    notification_id = _text(envelope.get("MessageId"))
    event_type = outer.get("eventType") or outer.get("notificationType")
    kind = KINDS.get(event_type) if isinstance(event_type, str) else None
    if kind is None or not isinstance(event_type, str):
        raise MalformedNotification(f"unknown event type {str(event_type)[:40]!r}")
    mail = outer.get("mail")
    if not isinstance(mail, dict) or not _text(mail.get("messageId")):
        raise MalformedNotification("no mail.messageId")
    detail = outer.get(_detail_key(event_type))
    detail = detail if isinstance(detail, dict) else {}
    return SesEvent(
        kind=kind,
        message_id=str(mail["messageId"]),
        at=_text(detail.get("timestamp")) or _text(mail.get("timestamp")) or "",
        recipients=_recipients(kind, detail, mail),
        bounce_type=_bounce_type(detail) if kind == "bounce" else None,
        link=_text(detail.get("link")) if kind == "click" else None,
        notification_id=notification_id,
        tags=_tags(mail.get("tags")),
    )


def _detail_key(event_type: str) -> str:
    """The object named after the event: "Rendering Failure" → "failure", "DeliveryDelay" → "deliveryDelay"."""
    if event_type == "Rendering Failure":
        return "failure"
    return event_type[0].lower() + event_type[1:]


def _recipients(kind: str, detail: Mapping[str, Any], mail: Mapping[str, Any]) -> tuple[str, ...]:
    if kind in _RECIPIENTS_OF:
        listed = detail.get(_RECIPIENTS_OF[kind])
        found = [r.get("emailAddress") for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []
    elif kind == "delivery" and isinstance(detail.get("recipients"), list):
        found = list(detail["recipients"])
    else:
        destination = mail.get("destination")
        found = list(destination) if isinstance(destination, list) else []
    addresses = tuple(dict.fromkeys(a.strip().lower() for a in found if isinstance(a, str) and "@" in a))
    if not addresses:
        raise MalformedNotification("no recipient")
    return addresses


def _bounce_type(detail: Mapping[str, Any]) -> str:
    return "hard" if detail.get("bounceType") == "Permanent" else "soft"


def _tags(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        return {}
    return {
        str(name): tuple(v for v in values if isinstance(v, str))
        for name, values in raw.items()
        if isinstance(values, list)
    }
