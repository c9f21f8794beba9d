"""Sending email (SES SendRawEmail) and SMS (SNS Publish), and the local outbox.

Email goes as raw MIME so it can carry an .ics, a QR code and List-Unsubscribe headers (RFC 8058 one-click, a
link of its own per recipient, which SES's templated calls cannot carry); message tags name the tenant so that SES
events find their way back. In the local stage every message sent is also written to the files bucket under
outbox/, newest first, for `GET /dev/outbox` (what SES and SNS were asked to send, as the recipient sees it).
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    ResponseStreamingError,
)

from chalicelib import aws
from chalicelib.messaging import mime
from chalicelib.settings import get_settings
from chalicelib.store.base import new_id, now_iso

logger = logging.getLogger("agora.outbound")

OUTBOX_PREFIX = "outbox/"
# The headers of an email the local outbox keeps apart, for a person or a test to check (GET /dev/outbox).
RECORDED_HEADERS = ("Message-ID", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post")
_TAG_VALUE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar; method=PUBLISH", "image/png"
    data: bytes
    inline_id: str | None = None  # Content-ID for an image shown in the HTML part


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str | None = None
    # (display name, address), e.g. ("Mairie de Rouen", "mairie@rouen.fr"); None: settings.default_sender. Kept apart
    # and joined by formataddr, which quotes the name: a name like « x <a@b> » cannot change the address.
    sender: tuple[str, str] | None = None
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    list_unsubscribe: str | None = None  # "<mailto:…>"
    # The signed one-click link (services/consents.unsubscribe_url): with it, List-Unsubscribe names it first and
    # List-Unsubscribe-Post says a POST unsubscribes at once (RFC 8058), as the large mailbox providers require.
    one_click_url: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _sender(message: Email) -> tuple[str, str]:
    return message.sender or parseaddr(get_settings().default_sender)


def _headers(message: Email) -> list[tuple[str, str]]:
    """Every header but From and the MIME ones, in order, as the recipient reads them."""
    sender_address = _sender(message)[1]
    headers = [
        ("To", message.to),
        ("Subject", message.subject),
        # SES overrides it with its own, <{SES message id}@{region}.amazonses.com> (« Amazon SES header fields »): a
        # reply quotes that one, so replies are matched by SES's message id (services/replies.py), never by this.
        ("Message-ID", make_msgid(domain=sender_address.rsplit("@", 1)[-1] or "agora.local")),
    ]
    if message.reply_to:
        headers.append(("Reply-To", message.reply_to))
    unsubscribe = ", ".join(
        x for x in (f"<{message.one_click_url}>" if message.one_click_url else None, message.list_unsubscribe) if x
    )
    if unsubscribe:
        headers.append(("List-Unsubscribe", unsubscribe))
    if message.one_click_url:
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return headers


def raw_email(message: Email) -> tuple[bytes, dict[str, str]]:
    """The bytes SES is given, and the headers the local outbox keeps. Text and HTML alone (campaigns, most
    notices) are written by messaging/mime.py, many times faster than EmailMessage; attachments and addresses
    outside ASCII (which SES does not take in its envelope anyway) by EmailMessage."""
    if message.attachments or not (message.to + (message.reply_to or "")).isascii():
        built = build_mime(message)
        return built.as_bytes(), {name: str(built[name]) for name in RECORDED_HEADERS if built[name] is not None}
    headers = _headers(message)
    sender = ("From", mime.address(*_sender(message)))
    return mime.serialise([sender, *headers], message.text, message.html or None), {
        name: value for name, value in headers if name in RECORDED_HEADERS
    }


def build_mime(message: Email) -> EmailMessage:
    built = EmailMessage()
    built["From"] = formataddr(_sender(message))
    for name, value in _headers(message):
        built[name] = value
    built.set_content(message.text)
    if message.html:
        built.add_alternative(message.html, subtype="html")
        parts: list[EmailMessage] = built.get_payload()  # type: ignore[assignment]  # a multipart's payload is its parts
        html_part = parts[-1]
        for a in message.attachments:
            if a.inline_id:
                maintype, subtype = a.content_type.split(";")[0].split("/")
                html_part.add_related(a.data, maintype=maintype, subtype=subtype, cid=f"<{a.inline_id}>")
    for a in message.attachments:
        if a.inline_id and message.html:
            continue
        maintype, subtype = a.content_type.split(";")[0].strip().split("/")
        params = dict(p.strip().split("=", 1) for p in a.content_type.split(";")[1:] if "=" in p)
        built.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename, params=params)
    return built


class SendOutcomeUnknown(Exception):
    """The request may have reached SES or SNS and been sent: never resend it blindly (staff check, then decide)."""


SEND_ATTEMPTS = 4
_BACKOFF_SECONDS = 0.2  # doubled on each attempt, with jitter: SES's per-second send rate recovers within a second


def _sleep(attempt: int) -> None:
    time.sleep(_BACKOFF_SECONDS * (2**attempt) * (0.5 + random.random()))


def call_once(operation: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """One send: retried only while unambiguous (throttled, or the connection never opened); an outcome that may be
    a send (a read timeout, a reset, a 5xx) raises SendOutcomeUnknown instead of sending twice."""
    for attempt in range(SEND_ATTEMPTS):
        last = attempt == SEND_ATTEMPTS - 1
        try:
            return operation(**kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if error.get("Code") in aws.THROTTLING_CODES and not last:  # nothing sent: try again
                _sleep(attempt)
                continue
            if status >= 500:
                raise SendOutcomeUnknown(f"{error.get('Code')}: {error.get('Message')}") from exc
            raise
        except (ConnectTimeoutError, EndpointConnectionError):
            if last:
                raise
            _sleep(attempt)
        except (ReadTimeoutError, ConnectionClosedError, ResponseStreamingError) as exc:
            raise SendOutcomeUnknown(str(exc)) from exc
    raise AssertionError("unreachable")  # the last attempt returns or raises


def not_sent_yet(exc: BaseException) -> bool:
    """After `call_once` gave up: True when nothing was sent and a later try may succeed (still throttled, the
    endpoint unreachable); the caller defers instead of failing the message."""
    return not isinstance(exc, SendOutcomeUnknown) and aws.is_transient(exc)


def refusal(exc: BaseException) -> str:
    """Why SES or SNS refused a message, for staff (« MessageRejected: Email address is not verified »)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code')}: {error.get('Message')}"[:300]
    return type(exc).__name__


def send_email(tenant_id: str, message: Email) -> str:
    """SendRawEmail; returns SES's message id. Raises on failure: the caller records the outcome."""
    raw, recorded = raw_email(message)
    tags = [{"Name": "tenant", "Value": _TAG_VALUE.sub("_", tenant_id)}]
    tags += [{"Name": k, "Value": _TAG_VALUE.sub("_", v)} for k, v in message.tags.items()]
    response = call_once(
        aws.client("ses").send_raw_email,
        RawMessage={"Data": raw},
        Tags=tags,
        ConfigurationSetName=get_settings().ses_configuration_set,
    )
    message_id = str(response["MessageId"])
    _record(tenant_id, "email", message.to, message.subject, message_id, raw, message.html, message.text, recorded)
    return message_id


def send_sms(
    tenant_id: str, phone_e164: str, text: str, *, sender_id: str | None = None, message_type: str = "Transactional"
) -> str:
    """SNS Publish to one number; returns SNS's message id. `message_type` is Transactional (an event's messages,
    delivered first) or Promotional (campaigns, cheaper); `sender_id` the tenant's alphanumeric sender, where the
    destination country accepts one (France does, and then the recipient cannot reply)."""
    attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": message_type}}
    if sender_id:
        attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}
    response = call_once(aws.client("sns").publish, PhoneNumber=phone_e164, Message=text, MessageAttributes=attributes)
    message_id = str(response["MessageId"])
    _record(tenant_id, "sms", phone_e164, None, message_id, text.encode(), None, text)
    return message_id


# --- local outbox --------------------------------------------------------------------------------------------------


def _record(
    tenant_id: str,
    channel: str,
    to: str,
    subject: str | None,
    message_id: str,
    raw: bytes,
    html: str | None,
    text: str,
    headers: dict[str, str] | None = None,
) -> None:
    """The local outbox copy of a message SES or SNS accepted (the local stage only). A failure to write it is
    logged, never raised: the message is sent, and raised, the failure would read as a send that failed, and the
    message would be sent again."""
    if get_settings().stage != "local":
        return
    # Keys sort newest first: a listing of outbox/ reads the latest messages first.
    key = f"{OUTBOX_PREFIX}{10**13 - int(time.time() * 1000):013d}-{new_id()}"
    entry = {
        "id": key.removeprefix(OUTBOX_PREFIX),
        "tenant_id": tenant_id,
        "channel": channel,
        "to": to,
        "subject": subject,
        "provider_message_id": message_id,
        "sent_at": now_iso(),
        "text": text,
        "html": html,
        "raw": raw.decode("utf-8", errors="replace") if channel == "email" else None,
        "headers": headers or {},
    }
    try:
        aws.client("s3").put_object(
            Bucket=get_settings().files_bucket,
            Key=key + ".json",
            Body=json.dumps(entry, ensure_ascii=False).encode(),
            ContentType="application/json",
        )
    except Exception:
        logger.exception("local outbox: the copy of a sent message could not be written")


def outbox(tenant_id: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest messages sent in the local stage (all tenants' when ``tenant_id`` is None)."""
    s3 = aws.client("s3")
    bucket = get_settings().files_bucket
    found: list[dict[str, Any]] = []
    token: str | None = None
    while len(found) < limit:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": OUTBOX_PREFIX, "MaxKeys": 100}
        if token:
            kwargs["ContinuationToken"] = token
        listing = s3.list_objects_v2(**kwargs)
        for obj in listing.get("Contents", []):
            entry = json.loads(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
            if tenant_id is None or entry["tenant_id"] == tenant_id:
                found.append(entry)
                if len(found) == limit:
                    break
        token = listing.get("NextContinuationToken")
        if not token:
            break
    return found


def outbox_entry(message_id: str) -> dict[str, Any] | None:
    if not re.fullmatch(r"\d{13}-[0-9A-Z]{26}", message_id):
        return None
    try:
        body = aws.client("s3").get_object(Bucket=get_settings().files_bucket, Key=f"{OUTBOX_PREFIX}{message_id}.json")
    except aws.client("s3").exceptions.NoSuchKey:
        return None
    return dict(json.loads(body["Body"].read()))
