"""Replies to the emails Agora sends, as SES receives them: a receipt notification published to the inbound-mail
topic, delivered by SNS to the queue (moto does, as AWS does; moto stores receipt rules but never runs them), handled
by the handle_inbound_mail job. A reply is matched by its reply address, else In-Reply-To, else its sender within
the tenant; unmatched, it lands in the tenant's inbox; « STOP » withdraws email consent. SMS STOP replies arrive on
the sms-inbound topic."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT
from moto.ses.models import ses_backends

from chalicelib import aws
from chalicelib.services import replies
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from chalicelib.store import replies as replies_store
from tests.api.test_events_api import new_event, person
from tests.api.test_reminders_job import invite_and_send
from tests.support.faults import Fault, injected, transaction_conflict
from tests.support.responses import error_of, ok
from tests.support.world import World, publish

DOMAIN = "reponses.operateur-demo.fr"


def sent() -> list[tuple[str, EmailMessage]]:
    """(SES message id, the MIME as sent) of every email SES was asked to send."""
    import email
    import email.policy

    backend = ses_backends[ACCOUNT][get_settings().region]
    return [
        (m.id, email.message_from_string(m.raw_data, policy=email.policy.default))  # type: ignore[misc]
        for m in backend.sent_messages
        if hasattr(m, "raw_data")
    ]


def reply_mime(
    *,
    to: str,
    sender: str = "Anne Martin <anne.martin@exemple.fr>",
    subject: str = "Re: Invitation",
    text: str = "Merci, je viendrai avec plaisir.",
    in_reply_to: str | None = None,
    html: str | None = None,
    **headers: str,
) -> bytes:
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = to
    mime["Subject"] = subject
    mime["Message-ID"] = "<CAF1234@mail.exemple.fr>"
    if in_reply_to:
        mime["In-Reply-To"] = in_reply_to
        mime["References"] = in_reply_to
    for name, value in headers.items():
        mime[name.replace("_", "-")] = value
    mime.set_content(text)
    if html:
        mime.add_alternative(html, subtype="html")
    return mime.as_bytes()


def receipt(
    raw: bytes | None,
    recipients: list[str],
    *,
    message_id: str = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1",
    encoding: str = "UTF8",
    s3_key: str | None = None,
    spam: str = "PASS",
) -> dict[str, Any]:
    """A receipt notification as SES publishes it (« Examples of notifications for Amazon SES email receiving »)."""
    action: dict[str, Any] = {"type": "SNS", "topicArn": "arn:aws:sns:eu-west-1:123456789012:agora-inbound-mail"}
    if s3_key:
        action = {"type": "S3", "bucketName": get_settings().files_bucket, "objectKeyPrefix": "inbound/"}
        action["objectKey"] = s3_key
    else:
        action["encoding"] = encoding
    notification: dict[str, Any] = {
        "notificationType": "Received",
        "receipt": {
            "timestamp": "2026-12-04T10:00:00.000Z",
            "processingTimeMillis": 222,
            "recipients": recipients,
            "spamVerdict": {"status": spam},
            "virusVerdict": {"status": "PASS"},
            "spfVerdict": {"status": "PASS"},
            "dkimVerdict": {"status": "PASS"},
            "action": action,
        },
        "mail": {
            "timestamp": "2026-12-04T10:00:00.000Z",
            "source": "anne.martin@exemple.fr",
            "messageId": message_id,
            "destination": recipients,
            "headersTruncated": False,
        },
    }
    if raw is not None and not s3_key:
        notification["content"] = base64.b64encode(raw).decode() if encoding == "BASE64" else raw.decode()
    return notification


def deliver(world: World) -> int:
    return world.drain(get_settings().queue_name("inbound-mail"), "handle_inbound_mail")


def contact(world: World, last: str, tenant: str = "ville", **fields: Any) -> str:
    body = {"kind": "person", "last_name": last, **fields}
    return str(ok(world.post("/contacts", body, tenant=tenant), 201)["id"])


def history(world: World, contact_id: str) -> list[dict[str, Any]]:
    """The contact's interactions as its 360° view shows them."""
    return list(ok(world.get(f"/contacts/{contact_id}"))["interactions"])


def email_consent(world: World, contact_id: str) -> dict[str, Any]:
    items = ok(world.get(f"/contacts/{contact_id}/consents"))["items"]
    return dict(next(c for c in items if c["channel"] == "email"))


@pytest.fixture
def invited(world: World) -> dict[str, Any]:
    """Anne, invited by email to an event: the invitation's Reply-To and SES message id."""
    anne = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    invite_and_send(world, new_event(world), [anne])
    ((ses_id, mime),) = sent()
    return {"contact": anne, "reply_to": str(mime["Reply-To"]), "ses_id": ses_id, "mime": mime}


def test_an_invitation_carries_a_reply_address_mapped_to_its_contact_and_ses_message(world, invited) -> None:
    address = invited["reply_to"]
    local, _, domain = address.partition("@")
    assert domain == DOMAIN and local.startswith("reponse+") and len(local) <= 64
    assert local == local.lower()  # a mailbox may case-fold it: lowercase base32 only
    # The mailto: unsubscribe goes there too, so that it reaches Agora rather than a mailbox nobody reads.
    assert f"mailto:{address}?subject=desabonnement" in str(invited["mime"]["List-Unsubscribe"])
    mapped = replies_store.address_by_id(local.removeprefix("reponse+"))
    assert mapped is not None
    assert (mapped.tenant_id, mapped.contact_id, mapped.source) == ("t-ville", invited["contact"], "event_message")
    assert mapped.message_id == invited["ses_id"]  # what a real reply's In-Reply-To names
    assert replies_store.address_by_message(invited["ses_id"]) == mapped
    item = replies_store.ReplyAddressItem.get("t-ville", mapped.reply_id)
    assert item.expires_at is not None
    assert (item.expires_at - datetime.now(UTC)).days == replies_store.ADDRESS_DAYS - 1  # DynamoDB TTL


def test_a_reply_is_matched_by_its_reply_address_and_shown_in_the_360_view(world, invited) -> None:
    text = (
        "Merci, je viendrai avec plaisir.\n\n"
        "Le ven. 4 déc. 2026 à 09:00, Ville test <mairie@rouen.fr> a écrit :\n"
        "> STOP\n> Invitation : Vœux du maire 2027\n"
    )
    # Servers on the way may upper-case the local part: the id still reads.
    mime = reply_mime(to=invited["reply_to"].upper(), text=text, subject="Re: Invitation : Vœux du maire 2027")
    publish("inbound-mail", receipt(mime, [invited["reply_to"].upper()]))
    assert deliver(world) == 1
    (reply,) = [i for i in history(world, invited["contact"]) if i["kind"] == "email_reply"]
    assert "anne.martin@exemple.fr" in reply["summary"]
    assert "« Re: Invitation : Vœux du maire 2027 »" in reply["summary"]
    assert "je viendrai avec plaisir" in reply["summary"]
    assert "> STOP" not in reply["summary"]  # the quoted message is not the reply
    assert reply["date"] == "2026-12-04T10:00:00.000Z"
    assert email_consent(world, invited["contact"])["status"] == "unknown"  # a STOP quoted below is not a request
    listed = ok(world.get(f"/contacts/{invited['contact']}/interactions"))["items"]
    assert reply["id"] in [i["id"] for i in listed]


def test_a_reply_is_matched_by_in_reply_to_when_its_address_is_not_ours(world, invited) -> None:
    message_id = f"<{invited['ses_id']}@eu-west-3.amazonses.com>"  # SES's Message-ID of what it sent
    mime = reply_mime(to="Mairie <mairie@rouen.fr>", in_reply_to=message_id, text="Je serai en retard.")
    publish("inbound-mail", receipt(mime, [f"mairie@{DOMAIN}"], encoding="BASE64"))
    deliver(world)
    (reply,) = [i for i in history(world, invited["contact"]) if i["kind"] == "email_reply"]
    assert "Je serai en retard." in reply["summary"]
    assert replies.process(json.dumps(receipt(mime, [f"mairie@{DOMAIN}"], encoding="BASE64"))) == "duplicate"


def test_a_reply_to_an_address_of_no_contact_is_matched_by_its_sender_within_the_tenant(world) -> None:
    bruno = person(world, "Petit", first_name="Bruno", emails=["bruno.petit@exemple.fr"])
    contact(world, "Petit", tenant="liste", emails=["bruno.petit@exemple.fr"])  # the same person, another tenant
    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne-1")
    assert address is not None
    mime = reply_mime(to=address, sender="Bruno.Petit@Exemple.FR", text="Bien reçu.")
    assert replies.process(json.dumps(receipt(mime, [address]))) == "matched_by_sender"
    assert [i["kind"] for i in history(world, bruno)] == ["email_reply"]


def test_a_reply_no_contact_is_found_for_lands_in_the_inbox_and_is_assigned(world) -> None:
    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne-2")
    assert address is not None
    mime = reply_mime(to=address, sender="Inconnu <inconnu@exemple.fr>", subject="Question", text="Quand ?")
    publish("inbound-mail", receipt(mime, [address]))
    deliver(world)
    (message,) = ok(world.get("/inbox"))["items"]
    assert (message["sender"], message["subject"], message["excerpt"]) == ("inconnu@exemple.fr", "Question", "Quand ?")
    assert (message["reply_to_ref"], message["stop_requested"]) == ("campagne-2", False)
    assert ok(world.get("/inbox", tenant="liste"))["items"] == []  # the tenant's own inbox
    assert world.get("/inbox", role="lecteur").status_code == 403  # writers only
    claire = person(world, "Roux", first_name="Claire")
    assert world.post(f"/inbox/{message['id']}/assign", {"contact_id": "inconnu"}).status_code == 404
    assert world.post(f"/inbox/{message['id']}/assign", {}).status_code == 422
    assigned = ok(world.post(f"/inbox/{message['id']}/assign", {"contact_id": claire}))
    assert (assigned["kind"], assigned["contact_id"], assigned["id"]) == ("email_reply", claire, message["id"])
    assert [i["id"] for i in history(world, claire)] == [message["id"]]
    assert ok(world.get("/inbox"))["items"] == []
    assert world.post(f"/inbox/{message['id']}/assign", {"contact_id": claire}).status_code == 404  # moved
    assert world.post(f"/inbox/{message['id']}/assign", {"contact_id": claire}, tenant="liste").status_code == 404


def test_an_assignment_racing_another_gives_409_and_leaves_the_reply_in_the_inbox(world) -> None:
    """Two users assigning one reply at the same moment: DynamoDB cancels one transaction (TransactionConflict).
    That one is told the reply is being assigned, and nothing of it moved."""
    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne-2")
    assert address is not None
    publish("inbound-mail", receipt(reply_mime(to=address, sender="inconnu@exemple.fr", text="Quand ?"), [address]))
    deliver(world)
    (message,) = ok(world.get("/inbox"))["items"]
    claire = person(world, "Roux", first_name="Claire")
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        raced = world.post(f"/inbox/{message['id']}/assign", {"contact_id": claire})
    assert "rechargez" in error_of(raced, 409, "conflict")["message"]
    assert [m["id"] for m in ok(world.get("/inbox"))["items"]] == [message["id"]]
    assert history(world, claire) == []
    assert ok(world.post(f"/inbox/{message['id']}/assign", {"contact_id": claire}))["id"] == message["id"]


def test_stop_in_a_reply_withdraws_email_consent_once_whatever_the_redeliveries(world, invited) -> None:
    mime = reply_mime(to=invited["reply_to"], subject="Re: Invitation", text="Stop, merci de ne plus m'écrire.")
    notification = receipt(mime, [invited["reply_to"]])
    publish("inbound-mail", notification, notification)  # SQS delivers at least once
    assert deliver(world) == 2
    consent = email_consent(world, invited["contact"])
    assert (consent["status"], consent["source"], consent["by"]) == ("withdrawn", "unsubscribe", "agora")
    assert consent["text"] == replies.STOP_BY_REPLY_TEXT
    assert consents_store.suppressed("t-ville", ["anne.martin@exemple.fr"])["anne.martin@exemple.fr"].reason == (
        "unsubscribe"
    )
    assert len([i for i in history(world, invited["contact"]) if i["kind"] == "email_reply"]) == 1


@pytest.mark.parametrize(
    ("subject", "text"),
    [
        ("desabonnement", ""),  # the mailto: List-Unsubscribe of event emails
        ("Re: Invitation", "Désinscription"),
        ("Re: Invitation", "UNSUBSCRIBE please"),
    ],
)
def test_each_opt_out_word_withdraws_email_consent(world, invited, subject: str, text: str) -> None:
    mime = reply_mime(to=invited["reply_to"], subject=subject, text=text)
    replies.process(json.dumps(receipt(mime, [invited["reply_to"]])))
    assert email_consent(world, invited["contact"])["status"] == "withdrawn"


def test_a_stop_in_the_inbox_suppresses_the_sender_and_its_assignment_withdraws_consent(world) -> None:
    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne-3")
    assert address is not None
    mime = reply_mime(to=address, sender="autre@exemple.fr", text="STOP")
    assert replies.process(json.dumps(receipt(mime, [address]))) == "inbox"
    assert consents_store.suppressed("t-ville", ["autre@exemple.fr"])["autre@exemple.fr"].reason == "unsubscribe"
    (message,) = ok(world.get("/inbox"))["items"]
    assert message["stop_requested"] is True
    denis = person(world, "Durand", first_name="Denis")
    ok(world.post(f"/inbox/{message['id']}/assign", {"contact_id": denis}))
    assert email_consent(world, denis)["status"] == "withdrawn"


def test_the_s3_action_variant_reads_the_stored_email(world, invited) -> None:
    key = "inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g2"
    html = "<p>Avec plaisir !</p><blockquote>Invitation citée</blockquote>"
    mime = reply_mime(to=invited["reply_to"], text="", html=html)
    aws.client("s3").put_object(Bucket=get_settings().files_bucket, Key=key, Body=mime)
    publish("inbound-mail", receipt(None, [invited["reply_to"]], s3_key=key, message_id="s3-1"))
    deliver(world)
    (reply,) = [i for i in history(world, invited["contact"]) if i["kind"] == "email_reply"]
    assert "Avec plaisir" in reply["summary"] and "Invitation citée" not in reply["summary"]
    gone = receipt(None, [invited["reply_to"]], s3_key="inbound/absent", message_id="s3-2")
    assert replies.process(json.dumps(gone)) == "missing"
    elsewhere = receipt(None, [invited["reply_to"]], s3_key="letters/x.pdf", message_id="s3-3")
    assert replies.process(json.dumps(elsewhere)) == "malformed"  # only what SES stored under inbound/


def test_malformed_foreign_automatic_and_spam_notifications_are_skipped(world, invited) -> None:
    to = invited["reply_to"]
    publish(
        "inbound-mail",
        "not json at all",
        json.dumps({"notificationType": "Bounce"}),
        json.dumps({"notificationType": "Received", "mail": {"messageId": "x"}, "receipt": {}}),
        json.dumps({**receipt(None, [to]), "content": "%%%", "receipt": {"action": {"encoding": "BASE64"}}}),
        receipt(reply_mime(to=to, Auto_Submitted="auto-replied", text="Absent"), [to], message_id="auto"),
        receipt(reply_mime(to=to, text="Gagnez !"), [to], message_id="spam", spam="FAIL"),
        receipt(reply_mime(to="personne@ailleurs.fr", text="?"), ["personne@ailleurs.fr"], message_id="lost"),
        receipt(reply_mime(to=f"reponse+aaaaaaaaaaaaaaaa@{DOMAIN}", text="?"), [f"reponse+x@{DOMAIN}"], message_id="u"),
    )
    assert deliver(world) == 8  # drain asserts that no batch reports a failure
    assert [i for i in history(world, invited["contact"]) if i["kind"] == "email_reply"] == []
    assert ok(world.get("/inbox"))["items"] == []


# --- SMS -----------------------------------------------------------------------------------------------------------


def sms(body: str, origination: str = "+33612345678", message_id: str = "in-1") -> dict[str, Any]:
    """What SNS publishes for a two-way SMS received (« Two-way SMS messaging »)."""
    return {
        "originationNumber": origination,
        "destinationNumber": "+33700000000",
        "messageKeyword": "KEYWORD_123456789012",
        "messageBody": body,
        "inboundMessageId": message_id,
        "previousPublishedMessageId": "prev-1",
    }


def sms_consent(world: World, contact_id: str, tenant: str = "ville") -> dict[str, Any]:
    items = ok(world.get(f"/contacts/{contact_id}/consents", tenant=tenant))["items"]
    return dict(next(c for c in items if c["channel"] == "sms"))


def test_an_sms_stop_withdraws_sms_consent_of_that_number_in_every_tenant(world) -> None:
    chloe = person(world, "Roux", first_name="Chloé", phones=["06 12 34 56 78"])
    listed = contact(world, "Roux", tenant="liste", phones=["+33 6 12 34 56 78"])
    other = person(world, "Autre", phones=["06 98 76 54 32"])
    publish("sms-inbound", sms("Oui merci", message_id="in-0"), sms(" stop ", message_id="in-1"))
    assert world.drain(get_settings().queue_name("sms-inbound"), "handle_sms_inbound") == 2
    for contact_id, tenant in ((chloe, "ville"), (listed, "liste")):
        consent = sms_consent(world, contact_id, tenant)
        assert (consent["status"], consent["source"], consent["text"]) == (
            "withdrawn",
            "unsubscribe",
            replies.STOP_BY_SMS_TEXT,
        )
    assert sms_consent(world, other)["status"] == "unknown"
    assert email_consent(world, chloe)["status"] == "unknown"  # SMS only
    assert [i["kind"] for i in history(world, chloe)] == ["sms"]
    # SQS delivers at least once: the same notification twice records one more STOP, not two.
    envelope = {"Type": "Notification", "MessageId": "sns-2", "Timestamp": "2026-12-04T10:00:00.000Z"}
    again = json.dumps({**envelope, "Message": json.dumps(sms("STOP", message_id="in-2"))})
    assert replies.process_sms(again) == replies.process_sms(again) == "withdrawn"
    assert [i["kind"] for i in history(world, chloe)] == ["sms", "sms"]


def test_sms_that_are_not_stop_malformed_or_from_unknown_numbers_are_left(world) -> None:
    chloe = person(world, "Roux", first_name="Chloé", phones=["06 12 34 56 78"])
    assert replies.process_sms(json.dumps(sms("Je ne peux pas venir, désolée"))) == "ignored"
    assert replies.process_sms(json.dumps(sms("STOP", origination="+33699999999"))) == "unknown_number"
    assert replies.process_sms("{}") == "malformed"
    assert replies.process_sms(json.dumps(sms("STOP", origination="0612345678"))) == "malformed"
    assert sms_consent(world, chloe)["status"] == "unknown"


def test_a_changed_phone_or_email_moves_its_lookup_entry(world) -> None:
    mobile = contact(world, "Mobile", phones=["06 11 11 11 11"])
    ok(world.patch(f"/contacts/{mobile}", {"version": 1, "phones": ["06 22 22 22 22"]}))
    assert replies.process_sms(json.dumps(sms("STOP", origination="+33611111111"))) == "unknown_number"
    assert replies.process_sms(json.dumps(sms("STOP", origination="+33622222222"))) == "withdrawn"


def test_no_reply_address_without_an_inbound_domain(world, monkeypatch) -> None:
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("AGORA_INBOUND_DOMAIN", "")
    reset_settings()
    assert replies.reply_to("t-ville", contact_id=None, source="campaign", ref="c") is None
    assert replies.new_reply("t-ville", contact_id="c1", source="event_message", ref="e/i/invitation") is None
    with pytest.raises(ValueError):
        replies.new_reply("t-ville", contact_id="c1", source="newsletter", ref="x")


def test_the_inbox_pages_newest_first_and_expires(world) -> None:
    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne-4")
    assert address is not None
    for n in range(3):
        mime = reply_mime(to=address, sender=f"inconnu{n}@exemple.fr", subject=f"Question {n}")
        notification = receipt(mime, [address], message_id=f"page-{n}")
        notification["receipt"]["timestamp"] = f"2026-12-0{n + 1}T10:00:00.000Z"
        assert replies.process(json.dumps(notification)) == "inbox"
    first = ok(world.get("/inbox?limit=2"))
    assert [m["subject"] for m in first["items"]] == ["Question 2", "Question 1"]
    second = ok(world.get(f"/inbox?limit=2&cursor={first['next_cursor']}"))
    assert ([m["subject"] for m in second["items"]], second["next_cursor"]) == (["Question 0"], None)
    assert world.get("/inbox?cursor=nimporte").status_code == 400
    item = replies_store.InboxItem.get("t-ville", second["items"][0]["id"])
    assert item.expires_at is not None
    assert (item.expires_at - datetime.now(UTC)).days == replies_store.INBOX_DAYS - 1
