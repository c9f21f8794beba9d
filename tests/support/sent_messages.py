"""What the app sent, as moto's SES and SNS backends recorded it: the emails parsed, the SMS as (number, text)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT

from chalicelib.settings import get_settings


def sent_emails() -> list[EmailMessage]:
    """Every raw email SES received, in the order sent, parsed."""
    backend = get_backend("ses")[ACCOUNT][get_settings().region]
    raw = [m.raw_data for m in backend.sent_messages if hasattr(m, "raw_data")]
    return [email.message_from_string(r, policy=email.policy.default) for r in raw]  # type: ignore[misc]


def sms_sent() -> list[tuple[str, str]]:
    """Every SMS SNS published: (number, text)."""
    backend = get_backend("sns")[ACCOUNT][get_settings().region]
    return [(number, text) for number, text in backend.sms_messages.values()]


def plain_text(message: EmailMessage) -> str:
    """An email's plain-text body (it must have one)."""
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]
