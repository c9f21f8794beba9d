"""Replies as SES receives them, read without AWS: reply addresses, receipt notifications (SNS action with content
in UTF-8 or Base64, S3 action), the email itself, opt-out words, and two-way SMS."""

from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from typing import Any

import pytest

from chalicelib.domain import inbound_mail as im
from chalicelib.domain import sns_envelope

DOMAIN = "reponses.exemple.fr"


def test_a_reply_id_is_short_lowercase_base32_and_survives_case_folding() -> None:
    ids = {im.new_reply_id() for _ in range(200)}
    assert len(ids) == 200
    for reply_id in ids:
        address = im.reply_address(reply_id, DOMAIN)
        local = address.split("@")[0]
        assert len(local) <= 64  # RFC 5321 §4.5.3.1.1
        assert im.REPLY_ID.fullmatch(reply_id)
        assert im.reply_id_of(address.upper(), DOMAIN) == reply_id
        assert im.reply_id_of(f"Mairie <{address}>", DOMAIN) == reply_id


@pytest.mark.parametrize(
    "address",
    [
        "reponse+abcdefghijklmnop@autre.fr",  # not our domain
        "reponse+abcdefgh@reponses.exemple.fr",  # too short
        "reponse+abcdefghijklmno1@reponses.exemple.fr",  # 1 is not base32
        "mairie@reponses.exemple.fr",
        "",
    ],
)
def test_other_addresses_carry_no_reply_id(address: str) -> None:
    assert im.reply_id_of(address, DOMAIN) is None


def mime(text: str = "Merci.", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Anne Martin <Anne.Martin@Exemple.fr>")
    message["To"] = headers.pop("To", f"reponse+abcdefghijklmnop@{DOMAIN}")
    message["Subject"] = headers.pop("Subject", "Re: Invitation")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()


def notification(content: str | None, **action: Any) -> dict[str, Any]:
    return {
        "notificationType": "Received",
        "receipt": {
            "timestamp": "2026-12-04T10:00:00.000Z",
            "recipients": ["Reponse+ABCDEFGHIJKLMNOP@reponses.exemple.fr"],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "action": action or {"type": "SNS", "encoding": "UTF8"},
        },
        "mail": {"messageId": "m-1", "timestamp": "2026-12-04T09:59:59.000Z"},
        **({"content": content} if content is not None else {}),
    }


def test_sns_action_content_in_utf8_and_base64_inside_sns_envelope_or_raw() -> None:
    raw = mime("Très bien, à bientôt.")
    utf8 = notification(raw.decode())
    b64 = notification(base64.b64encode(raw).decode(), type="SNS", encoding="BASE64")
    for body in (json.dumps(utf8), json.dumps({"Type": "Notification", "Message": json.dumps(b64)})):
        received = im.parse_notification(body)
        assert received.message_id == "m-1" and received.at == "2026-12-04T10:00:00.000Z"
        assert received.recipients == ("reponse+abcdefghijklmnop@reponses.exemple.fr",)
        assert im.parse_mail(received.content or b"").text.strip() == "Très bien, à bientôt."
        assert not received.spam


def test_s3_action_names_its_object() -> None:
    received = im.parse_notification(
        json.dumps(notification(None, type="S3", bucketName="agora-files", objectKey="inbound/m-1"))
    )
    assert (received.content, received.bucket, received.key) == (None, "agora-files", "inbound/m-1")


@pytest.mark.parametrize(
    "body",
    [
        "",
        "[]",
        "{not json",
        json.dumps({"notificationType": "Bounce"}),
        json.dumps({"notificationType": "Received", "mail": {}, "receipt": {}}),
        json.dumps(notification(None)),  # an SNS action without content
        json.dumps(notification("%%%", type="SNS", encoding="BASE64")),
        "[" * 100_000,  # deep nesting: json's RecursionError is a malformed notification too
        "x" * (sns_envelope.MAX_BODY + 1),
    ],
)
def test_malformed_notifications_are_refused(body: str) -> None:
    with pytest.raises(im.MalformedNotification):
        im.parse_notification(body)


def test_spam_and_virus_verdicts_are_read() -> None:
    spam = notification("x")
    spam["receipt"]["virusVerdict"] = {"status": "FAIL"}
    assert im.parse_notification(json.dumps(spam)).spam


def test_the_reply_names_the_ses_messages_it_answers_newest_first() -> None:
    reply = im.parse_mail(
        mime(
            In_Reply_To="<0107018f-bbbb@eu-west-1.amazonses.com>",
            References="<0107018f-aaaa@email.amazonses.com> <CA123@mail.gmail.com> "
            "<0107018f-bbbb@eu-west-1.amazonses.com>",
        )
    )
    assert reply.ses_message_ids() == ["0107018f-bbbb", "0107018f-aaaa"]
    assert reply.sender == "anne.martin@exemple.fr" and reply.sender_name == "Anne Martin"
    assert not reply.auto_submitted


@pytest.mark.parametrize(
    ("headers", "automatic"),
    [
        ({"Auto_Submitted": "auto-replied"}, True),  # RFC 3834: an out-of-office answer
        ({"Auto_Submitted": "no"}, False),
        ({"List_Id": "<annonces.exemple.fr>"}, True),
        ({"From": ""}, True),
    ],
)
def test_automatic_replies_are_recognised(headers: dict[str, str], automatic: bool) -> None:
    assert im.parse_mail(mime(**headers)).auto_submitted is automatic


QUOTED = "\n\nLe ven. 4 déc. 2026 à 09:00, Mairie <mairie@rouen.fr> a écrit :\n> STOP\n> Désinscription en un clic\n"


@pytest.mark.parametrize(
    ("subject", "text", "stop"),
    [
        ("Re: Invitation", "STOP", True),
        ("Re: Invitation", "stop merci", True),
        ("Re: Invitation", "Bonjour,\n\nDésinscription, s'il vous plaît.", True),
        ("Re: Invitation", "désinscrire", True),
        ("Re: Invitation", "Unsubscribe", True),
        ("desabonnement", "", True),  # the mailto: List-Unsubscribe of event emails
        ("STOP", "", True),
        ("Re: Invitation", "Je viendrai." + QUOTED, False),  # a STOP quoted below is not a request
        ("Re: Invitation", "Pouvez-vous arrêter le bruit rue Jeanne-d'Arc ?", False),  # not leading
        ("Re: Invitation", "1\n2\n3\n4\n5\n6\nSTOP", False),  # beyond the first lines
        ("Re: Invitation", "Stopper la circulation ?", False),  # a word, not the keyword
    ],
)
def test_opt_out_words_in_the_subject_or_first_lines(subject: str, text: str, stop: bool) -> None:
    assert im.parse_mail(mime(text, Subject=subject)).asks_to_stop() is stop


def test_the_excerpt_keeps_the_persons_own_words_and_is_bounded() -> None:
    reply = im.parse_mail(mime("Je viendrai.\n\n\n\nAvec mon époux." + QUOTED))
    assert reply.excerpt() == "Je viendrai.\n\nAvec mon époux."
    long = im.parse_mail(mime("a" * 5000))
    assert len(long.excerpt()) == im.EXCERPT_CHARS
    outlook = im.parse_mail(mime("Oui.\n-----Original Message-----\nDe : Mairie"))
    assert outlook.excerpt() == "Oui."


def test_an_html_only_reply_is_read_as_text_without_its_quote() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@exemple.fr", "b@exemple.fr", "Re"
    message.set_content("<div>Avec plaisir&nbsp;!</div><blockquote>STOP</blockquote>", subtype="html")
    reply = im.parse_mail(message.as_bytes())
    assert reply.excerpt() == "Avec plaisir\xa0!"
    assert not reply.asks_to_stop()


def test_a_damaged_message_yields_what_can_be_read() -> None:
    reply = im.parse_mail(
        b"From: a@exemple.fr\r\nSubject: =?x-unknown?q?oops?=\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\n\xff\xfeSTOP"
    )
    assert reply.sender == "a@exemple.fr"
    assert isinstance(reply.text, str)
    assert im.parse_mail(b"").sender == ""


# --- SMS ---------------------------------------------------------------------------------------------------------


def sms(body: str, origination: str = "+33612345678") -> str:
    return json.dumps(
        {
            "originationNumber": origination,
            "destinationNumber": "+33700000000",
            "messageKeyword": "KEYWORD",
            "messageBody": body,
            "inboundMessageId": "in-1",
        }
    )


@pytest.mark.parametrize(
    ("body", "stop"),
    [
        ("STOP", True),
        (" stop ", True),
        ("Stop SMS", True),
        ("ARRÊT", True),
        ("arret", True),
        ("STOPALL", True),
        ("Oui", False),
        ("Je ne peux pas venir", False),
        ("Stoppez", False),
        ("", False),
    ],
)
def test_sms_stop_keywords(body: str, stop: bool) -> None:
    assert im.parse_sms(sms(body)).asks_to_stop() is stop


def test_sms_in_sns_envelope_keeps_its_timestamp() -> None:
    envelope = {"Type": "Notification", "Timestamp": "2026-12-04T10:00:00.000Z", "Message": sms("STOP")}
    parsed = im.parse_sms(json.dumps(envelope))
    assert (parsed.origination, parsed.inbound_message_id, parsed.at) == (
        "+33612345678",
        "in-1",
        "2026-12-04T10:00:00.000Z",
    )


@pytest.mark.parametrize("body", ["{}", "[]", sms("STOP", origination="0612345678"), json.dumps({"messageBody": 3})])
def test_malformed_sms_are_refused(body: str) -> None:
    with pytest.raises(im.MalformedNotification):
        im.parse_sms(body)
