"""Replies to the emails Agora sent: reply addresses, SES receipt notifications, and what a reply says.

Reply address. Every email Agora sends names a Reply-To `reponse+<id>@<inbound domain>`, where `<id>` is a short
lowercase base32 identifier mapped server-side to the tenant, the contact and the message (services/replies.py). A
mailbox's local part is at most 64 characters (RFC 5321 §4.5.3.1.1) and receiving servers may case-fold it, so the
id uses only lowercase base32 letters and digits (RFC 4648 §6), 16 of them: 80 random bits, never guessable.

SES receipt notifications. A receipt rule's SNS action publishes the email itself in `content` (UTF-8 text, or
Base64 when the rule says `Encoding: Base64`); its S3 action stores the email in a bucket and notifies the key
(`receipt.action.bucketName` / `objectKey`), for mail over SNS's 150 KB. Format: « Amazon SES email receiving
notifications » and « Examples of notifications for Amazon SES email receiving » (docs.aws.amazon.com/ses/latest/dg/
receiving-email-notifications-contents.html, …-examples.html): `notificationType: "Received"`, a `receipt` (the
envelope `recipients`, the `action`) and a `mail` (`messageId`, `timestamp`, `source`, `commonHeaders`). SNS wraps
it in its envelope (`Type: Notification`, the notification as the string `Message`) unless the subscription
delivers raw messages: both arrive here.

Matching a reply to the message it answers. SES replaces the Message-ID header of what it sends with its own,
`<{SES message id}@{region}.amazonses.com>` (« Amazon SES header fields »: « If you specify a Message-ID header,
Amazon SES overrides the header with its own value »): a real reply's In-Reply-To and References carry that, so the
SES message id (SendRawEmail's MessageId) is what Agora records and looks up, never the id it generated itself.

Opting out by reply. « STOP », « désinscription », « unsubscribe » (and their usual variants) in the subject or the
first lines of the reply withdraw email consent: the objection must be free and honoured without delay (RGPD art.
21(2)-(3); CNIL, « La prospection commerciale par courrier électronique »: an opt-out « simple », by reply as by
link). Only the first lines count: a quoted earlier message below must not read as a request.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import unicodedata
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any

from chalicelib.domain.sns_envelope import MalformedNotification as MalformedNotification  # part of this parser's API
from chalicelib.domain.sns_envelope import text as _text
from chalicelib.domain.sns_envelope import unwrap

REPLY_PREFIX = "reponse+"
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lower-cased
ID_LENGTH = 16  # 80 bits
REPLY_ID = re.compile(rf"^[{ID_ALPHABET}]{{{ID_LENGTH}}}$")
MAX_MAIL_BYTES = 1_048_576  # what is parsed of a message: its headers and text come first; attachments are not read
EXCERPT_CHARS = 1000  # the reply's text kept in the contact's history
FIRST_LINES = 5  # lines of the reply read for an opt-out, quoted text excluded
MAX_REFERENCES = 10  # message ids of In-Reply-To and References looked up, newest first
SES_MESSAGE_DOMAIN = re.compile(r"(^|\.)amazonses\.com$")
# An opt-out word alone on its line, or leading it (« STOP merci », « Désinscription svp »), accents and case
# folded. « desabonnement » is the subject of the mailto: List-Unsubscribe of event emails.
STOP_WORDS = ("stop", "arret", "desinscription", "desinscrire", "desabonnement", "desabonner", "unsubscribe")
_STOP_LINE = re.compile(rf"^\W*({'|'.join(STOP_WORDS)})\b", re.IGNORECASE)


def new_reply_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def reply_address(reply_id: str, domain: str) -> str:
    return f"{REPLY_PREFIX}{reply_id}@{domain}"


def reply_id_of(address: str, domain: str) -> str | None:
    """The reply id an address carries on our inbound domain, whatever case the servers on the way gave it."""
    local, _, host = parseaddr(address)[1].strip().lower().rpartition("@")
    if host != domain.lower() or not local.startswith(REPLY_PREFIX):
        return None
    candidate = local.removeprefix(REPLY_PREFIX)
    return candidate if REPLY_ID.fullmatch(candidate) else None


@dataclass(frozen=True)
class Received:
    """A receipt notification: the email inline (`content`), or where the S3 action stored it."""

    message_id: str  # SES's id of the email received: a redelivered notification has the same one
    at: str  # when SES received it (ISO 8601 UTC)
    recipients: tuple[str, ...]  # the envelope's recipients on our domains (receipt.recipients), lower-cased
    content: bytes | None = None
    bucket: str | None = None
    key: str | None = None
    spam: bool = False  # SES's spam or virus verdict is FAIL


def parse_notification(body: str) -> Received:
    outer, _ = unwrap(body)
    if outer.get("notificationType") != "Received":
        raise MalformedNotification(f"not a receipt notification: {str(outer.get('notificationType'))[:40]!r}")
    mail, receipt = outer.get("mail"), outer.get("receipt")
    if not isinstance(mail, dict) or not isinstance(receipt, dict) or not _text(mail.get("messageId")):
        raise MalformedNotification("no mail.messageId or receipt")
    found = receipt.get("action")
    action: dict[str, Any] = found if isinstance(found, dict) else {}
    recipients = tuple(
        str(r).strip().lower() for r in _list(receipt.get("recipients")) or _list(mail.get("destination")) if r
    )
    message_id = str(mail["messageId"])
    at = _text(receipt.get("timestamp")) or _text(mail.get("timestamp")) or ""
    spam = any(_verdict(receipt, name) == "FAIL" for name in ("spamVerdict", "virusVerdict"))
    content = outer.get("content")
    if isinstance(content, str):
        raw = _decoded(content, str(action.get("encoding") or "UTF8"))
        return Received(message_id, at, recipients, content=raw, spam=spam)
    if action.get("type") == "S3" and _text(action.get("bucketName")) and _text(action.get("objectKey")):
        return Received(
            message_id, at, recipients, bucket=str(action["bucketName"]), key=str(action["objectKey"]), spam=spam
        )
    raise MalformedNotification("neither content nor an S3 object")


def _verdict(receipt: dict[str, Any], name: str) -> str | None:
    verdict = receipt.get(name)
    return _text(verdict.get("status")) if isinstance(verdict, dict) else None


def _decoded(content: str, encoding: str) -> bytes:
    if encoding.upper().replace("-", "") == "BASE64":
        try:
            return base64.b64decode("".join(content.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MalformedNotification("content is not Base64") from exc
    return content.encode("utf-8", errors="surrogateescape")


@dataclass(frozen=True)
class Reply:
    """What Agora reads of an email received."""

    sender: str  # the From address, lower-cased ("" if none)
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To, lower-cased
    subject: str
    references: tuple[str, ...]  # message ids of In-Reply-To then References (newest first), without <>
    text: str  # the text body, bounded
    auto_submitted: bool  # an auto-reply (RFC 3834), a bounce or a mailing-list robot

    def ses_message_ids(self) -> list[str]:
        """The SES message ids the reply refers to: the local part of ids on amazonses.com, first ones first."""
        found: list[str] = []
        for ref in self.references:
            local, _, host = ref.rpartition("@")
            if local and SES_MESSAGE_DOMAIN.search(host.lower()) and local not in found:
                found.append(local)
        return found[:MAX_REFERENCES]

    def excerpt(self) -> str:
        return fresh_text(self.text)[:EXCERPT_CHARS].strip()

    def asks_to_stop(self) -> bool:
        lines = [self.subject, *fresh_text(self.text).splitlines()[:FIRST_LINES]]
        return any(_STOP_LINE.match(_fold(line).strip()) for line in lines if line.strip())


def parse_mail(raw: bytes) -> Reply:
    """The email as the receiving server got it (RFC 5322 / MIME), read within MAX_MAIL_BYTES; lenient as the
    standard library's parser is: a damaged message yields what can be read of it."""
    message = BytesParser(policy=policy.default).parsebytes(raw[:MAX_MAIL_BYTES])
    name, sender = parseaddr(_header(message, "From"))
    recipients = [
        a.strip().lower()
        for _, a in getaddresses(
            [_header(message, h) for h in ("To", "Cc", "Delivered-To", "X-Original-To") if message.get(h)]
        )
        if a
    ]
    references = [
        *_message_ids(_header(message, "In-Reply-To")),
        *reversed(_message_ids(_header(message, "References"))),
    ]
    auto = _header(message, "Auto-Submitted").strip().lower()
    return Reply(
        sender=sender.strip().lower(),
        sender_name=name.strip(),
        recipients=tuple(dict.fromkeys(recipients)),
        subject=" ".join(_header(message, "Subject").split())[:300],
        references=tuple(dict.fromkeys(references)),
        text=_text_of(message)[: MAX_MAIL_BYTES // 4],
        auto_submitted=bool(auto and auto != "no") or bool(message.get("List-Id")) or not sender,
    )


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot fold into a value
        return ""
    return str(value) if value is not None else ""


def _message_ids(value: str) -> list[str]:
    return [m.strip() for m in re.findall(r"<([^<>\s]+)>", value)]


def _text_of(message: Message) -> str:
    """The text/plain body, else (missing or blank) the text of the HTML body; attachments are never read."""
    if not isinstance(message, EmailMessage):
        return ""
    for subtype in ("plain", "html"):
        try:
            part = message.get_body(preferencelist=(subtype,))
            content = part.get_content() if part is not None else ""
        except (LookupError, ValueError, TypeError, AttributeError):  # an unknown charset, a damaged part
            payload = part.get_payload(decode=True) if part is not None else None
            content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
        if isinstance(content, str) and content.strip():
            return _html_text(content) if subtype == "html" else content
    return ""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "blockquote"):
            self._skip += 1
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "blockquote") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


# A reply quotes the message it answers below an attribution line: « Le lun. 4 déc. 2026 à 10:00, Mairie <…> a
# écrit : », « On Mon, Dec 4, 2026 at 10:00 AM Mairie <…> wrote: », Outlook's « -----Original Message----- » or
# « De : … » header block. What follows is not the person's reply.
_QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(original message|message d'origine|message original)|_{10,}|"
    r"(le|on)\s.{0,200}(a écrit|wrote)\s*:\s*$|(de|from)\s*:\s)",
    re.IGNORECASE,
)


def fresh_text(text: str) -> str:
    """The person's own words: the text before the quoted message it answers, blank runs collapsed."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_START.match(line):
            break
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- SMS replies (two-way number) ---------------------------------------------------------------------------------

# « STOP » is the opt-out keyword French operators honour for SMS (Fédération Française des Télécoms, code de
# déontologie SMS+ / « STOP au 36111 »; CNIL, « La prospection commerciale par SMS »); « ARRET » and « STOP SMS »
# are its usual variants, and SNS's own opt-out keywords include STOP, ARRET, UNSUBSCRIBE, CANCEL, END, QUIT.
SMS_STOP_WORDS = ("stop", "arret", "arreter", "desinscription", "unsubscribe", "cancel", "end", "quit", "stopall")
_SMS_STOP = re.compile(rf"^\W*({'|'.join(SMS_STOP_WORDS)})\b", re.IGNORECASE)
MAX_SMS_BODY = 10_000


@dataclass(frozen=True)
class InboundSms:
    """An SMS received on the deployment's two-way number (SNS two-way messaging)."""

    inbound_message_id: str
    origination: str  # the sender's number, E.164
    destination: str  # our number
    body: str
    at: str = ""  # when SNS published it (its envelope's Timestamp), "" when delivered raw

    def asks_to_stop(self) -> bool:
        return bool(_SMS_STOP.match(_fold(self.body).strip()))


def parse_sms(body: str) -> InboundSms:
    """The JSON SNS publishes for a two-way SMS received (« Two-way SMS messaging », AWS End User Messaging SMS:
    `originationNumber`, `destinationNumber`, `messageBody`, `inboundMessageId`…), in SNS's envelope or raw."""
    outer, envelope = unwrap(body)
    at = _text(envelope.get("Timestamp")) or ""
    origination, message_id = _text(outer.get("originationNumber")), _text(outer.get("inboundMessageId"))
    text = outer.get("messageBody")
    if not origination or not message_id or not isinstance(text, str):
        raise MalformedNotification("no originationNumber, inboundMessageId or messageBody")
    if not re.fullmatch(r"\+[1-9]\d{6,14}", origination):
        raise MalformedNotification("originationNumber is not E.164")
    return InboundSms(
        inbound_message_id=message_id,
        origination=origination,
        destination=_text(outer.get("destinationNumber")) or "",
        body=text[:MAX_SMS_BODY],
        at=at,
    )
