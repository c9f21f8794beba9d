"""A notification SNS delivers to SQS: the publisher's JSON inside SNS's envelope (`Type: Notification`, the payload
as the string `Message`, beside SNS's `MessageId` and `Timestamp`), or alone when the subscription delivers raw
messages (« Amazon SNS message delivery formats », « Amazon SNS raw message delivery »): both arrive here.

SES sending events (ses_events.py), SES receipt notifications and two-way SMS (inbound_mail.py) come this way.
"""

from __future__ import annotations

import json
from typing import Any

MAX_BODY = 262_144  # an SQS message holds at most 256 KiB


class MalformedNotification(ValueError):
    """Not a notification Agora can act on: logged and skipped, never retried (it would fail the same way)."""


def unwrap(body: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload, and SNS's envelope around it ({} when it was delivered raw)."""
    if not isinstance(body, str) or len(body) > MAX_BODY:
        raise MalformedNotification("body missing or larger than an SQS message")
    outer = json_object(body)
    if outer.get("Type") == "Notification" and isinstance(outer.get("Message"), str):
        return json_object(outer["Message"]), outer
    return outer, {}


def json_object(text: str) -> dict[str, Any]:
    """A JSON object, else MalformedNotification (too deep a nesting included: json's RecursionError)."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedNotification("not JSON") from exc
    if not isinstance(value, dict):
        raise MalformedNotification("not a JSON object")
    return value


def text(value: Any) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value else None
