"""SMS campaigns on the campaign pipeline: planning reasons for SMS (mobile, SMS consent, SNS's opt-out list, one
message per number), the cost preview on the texts as sent (« STOP : <link> » included), the sending hours (a
campaign held until they open, a chunk that finds them closed), one SNS Publish per recipient at most once, and
the short STOP link leading to the unsubscribe page that withdraws SMS consent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT
from moto.sns.models import sns_backends

from chalicelib import aws
from chalicelib.domain import quiet_hours
from chalicelib.domain import time as clock
from chalicelib.services import campaign_delivery
from chalicelib.settings import get_settings
from chalicelib.store import messages as messages_store
from tests.api.test_campaigns import consent, contact, deliver, queued_bodies
from tests.api.test_replies import sms_consent
from tests.support.faults import Fault, client_error, injected
from tests.support.responses import error_of, ok
from tests.support.sent_messages import sms_sent
from tests.support.world import World

PARIS = ZoneInfo("Europe/Paris")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BODY = "Réunion publique jeudi à 19h, salle des fêtes."


def _working_day(weekday: int) -> date:
    """A day of that weekday some weeks ahead, a working day everywhere (and the day after it too)."""
    day = date.today() + timedelta(days=21)
    while True:
        day += timedelta(days=1)
        days = (day, day + timedelta(days=1))
        if day.weekday() == weekday and not any(
            quiet_hours.is_public_holiday(d, sub) for d in days for sub in (None, "57", "6AE")
        ):
            return day


def at_paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


pytestmark = pytest.mark.usefixtures("no_send_backoff")


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The clock the sending hours read, on a Tuesday at 11:00 in Paris unless a test moves it."""
    moment = [at_paris(_working_day(1), 11)]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    return moment


@pytest.fixture
def published(world: World) -> Iterator[list[dict[str, Any]]]:
    """Every Publish call's parameters, as SNS received them (moto keeps the number and text only)."""
    calls: list[dict[str, Any]] = []

    def spy(params: dict[str, Any], **_: Any) -> None:
        calls.append(dict(params))

    events = aws.client("sns").meta.events
    events.register("provide-client-params.sns.Publish", spy, unique_id="sms-campaign-spy")
    yield calls
    events.unregister("provide-client-params.sns.Publish", unique_id="sms-campaign-spy")


def opt_out_at_sns(number: str) -> None:
    sns_backends[ACCOUNT][get_settings().region].opt_out_numbers.append(number)


def sms_agreed(world: World, contact_id: str, status: str = "granted") -> None:
    body = {"status": status, "source": "form", "text": "J'accepte de recevoir des SMS d'information."}
    ok(world.request("PUT", f"/contacts/{contact_id}/consents/sms", body, tenant="liste"))


def settings(world: World, **fields: Any) -> None:
    current = ok(world.get("/settings", tenant="liste"))
    ok(world.patch("/settings", {"version": current["version"], **fields}, tenant="liste"))


def sms_campaign(world: World, body: str = BODY, **fields: Any) -> dict[str, Any]:
    return dict(ok(world.post("/campaigns", {"channel": "sms", "body": body, **fields}, tenant="liste"), 201))


def send(world: World, campaign_id: str) -> dict[str, Any]:
    return dict(ok(world.post(f"/campaigns/{campaign_id}/send", {}, tenant="liste"), 202))


@pytest.fixture
def audience(world: World) -> dict[str, str]:
    """A political tenant's contacts, and why each may or may not receive its SMS."""
    made = {
        "anne": contact(world, "Martin", phones=["06 12 34 56 78"], emails=["anne@example.fr"]),
        "meme_numero": contact(world, "Martin-Bis", phones=["+33 6 12 34 56 78"]),
        "paul": contact(world, "Durand", phones=["07 81 22 33 44"]),
        "sans_accord": contact(world, "Petit", phones=["06 22 33 44 55"]),
        "retire": contact(world, "Leroy", phones=["06 33 44 55 66"]),
        "stop_sns": contact(world, "Stop", phones=["06 44 55 66 77"]),
        "fixe": contact(world, "Fixe", phones=["02 35 00 00 00"]),
        "courriel": contact(world, "Courriel", emails=["courriel@example.fr"]),
    }
    for key in ("anne", "meme_numero", "paul", "retire", "stop_sns", "fixe", "courriel"):
        sms_agreed(world, made[key])
    sms_agreed(world, made["retire"], "withdrawn")
    consent(world, made["courriel"])  # an email consent says nothing of SMS
    opt_out_at_sns("+33644556677")
    return made


# --- drafts -------------------------------------------------------------------------------------------------------


def test_an_sms_campaign_needs_no_subject_and_an_email_one_does(world: World, audience: dict[str, str]) -> None:
    made = sms_campaign(world, contact_ids=[audience["anne"]])
    assert (made["channel"], made["subject"], made["status"]) == ("sms", None, "draft")
    refused = world.post("/campaigns", {"body": BODY, "contact_ids": [audience["anne"]]}, tenant="liste")
    details = error_of(refused, 422, "validation_error")["details"]
    assert any(d["field"].endswith("subject") and "objet" in d["message"] for d in details), details
    too_long = world.post(
        "/campaigns", {"channel": "sms", "body": "x" * 1_600, "contact_ids": [audience["anne"]]}, tenant="liste"
    )
    assert error_of(too_long, 422, "validation_error")["details"][0]["field"] == "body"
    # a test send is an email's: an SMS campaign has its preview instead
    tested = world.post(f"/campaigns/{made['id']}/test", {"to": ["a@example.fr"]}, tenant="liste")
    assert "aperçu" in error_of(tested, 409, "conflict")["message"]


# --- planning and sending -----------------------------------------------------------------------------------------


def test_sending_reaches_each_number_once_and_says_why_others_were_left_out(
    world: World, audience: dict[str, str], published: list[dict[str, Any]]
) -> None:
    settings(world, sms_sender_id="ListeTest")
    made = sms_campaign(world, body="Bonjour {{ contact.first_name }}, " + BODY, contact_ids=list(audience.values()))
    assert send(world, made["id"])["status"] == "sending"
    assert deliver(world) == 2  # the plan, then one chunk
    done = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert done["status"] == "sent"
    assert done["counts"] == {
        "recipients": 2,
        "queued": 0,
        "sent": 2,
        "failed": 0,
        "unknown": 0,
        "skipped": {
            "no_consent": 2,  # never asked (Petit), withdrawn by staff (Leroy)
            "unsubscribed": 0,
            "suppressed": 1,  # on SNS's own opt-out list
            "invalid": 0,
            "no_address": 2,  # a landline only, an email address only
            "duplicate_address": 1,  # Anne's number already has one
        },
    }
    received = dict(sms_sent())
    assert sorted(received) == ["+33612345678", "+33781223344"]
    text = received["+33612345678"]
    assert text.startswith("Bonjour Anne, Réunion publique")
    link = re.fullmatch(r"(?s).*\nSTOP : (http://127\.0\.0\.1:8000/public/s/[0-9A-Za-z]{10})", text)
    assert link, text
    assert {c["PhoneNumber"] for c in published} == {"+33612345678", "+33781223344"}
    for call in published:
        attributes = call["MessageAttributes"]
        assert attributes["AWS.SNS.SMS.SenderID"]["StringValue"] == "ListeTest"
        assert attributes["AWS.SNS.SMS.SMSType"]["StringValue"] == "Promotional"  # the default
    stored = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert stored[audience["anne"]].status == "sent" and stored[audience["anne"]].ses_message_id  # SNS's id
    assert stored[audience["anne"]].address == "+33612345678"
    assert stored[audience["stop_sns"]].reason == "suppressed"
    assert stored[audience["meme_numero"]].reason == "duplicate_address"
    report = ok(world.get(f"/campaigns/{made['id']}/report", tenant="liste"))
    assert (report["channel"], report["sent"], report["failed"]) == ("sms", 2, 0)
    assert set(report["rates"].values()) == {None}  # SNS reports no delivery, open or click


def test_redelivered_sms_chunks_never_send_twice(world: World, audience: dict[str, str]) -> None:
    made = sms_campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    send(world, made["id"])
    (plan,) = queued_bodies()
    campaign_delivery.process_message(json.dumps(plan))
    campaign_delivery.process_message(json.dumps(plan))  # the plan delivered twice: the same chunks queued again
    chunks = queued_bodies()
    assert len(chunks) == 2 and chunks[0] == chunks[1]
    for chunk in chunks * 2:
        campaign_delivery.process_message(json.dumps(chunk))
    assert sorted(number for number, _ in sms_sent()) == ["+33612345678", "+33781223344"]
    counts = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]
    assert (counts["sent"], counts["unknown"]) == (2, 0)


def test_a_person_erased_after_the_plan_gets_no_sms(world: World, audience: dict[str, str]) -> None:
    made = sms_campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    send(world, made["id"])
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))  # the plan: both are recipients
    assert world.delete(f"/contacts/{audience['paul']}?mode=erase", tenant="liste").status_code == 204
    for chunk in queued_bodies():
        campaign_delivery.process_message(json.dumps(chunk))
    assert [number for number, _ in sms_sent()] == ["+33612345678"]
    stored = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert (stored[audience["paul"]].status, stored[audience["paul"]].address) == ("failed", None)


def test_sns_throttling_defers_the_rest_and_sends_it_later(
    world: World, audience: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(campaign_delivery, "DEFER_SECONDS", (0,))
    made = sms_campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    send(world, made["id"])
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    throttled = Fault("sns", "Publish", client_error("Throttling"), skip=1, times=None)
    with injected(throttled):
        campaign_delivery.process_message(json.dumps(chunk))
    assert len(sms_sent()) == 1
    (deferred,) = queued_bodies()
    assert (deferred["key"], deferred["deferrals"]) == (f"{chunk['key']}.1", 1)
    campaign_delivery.process_message(json.dumps(deferred))
    assert len(sms_sent()) == 2
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["status"] == "sent"


# --- preview ------------------------------------------------------------------------------------------------------


def _padded(world: World, contact_id: str, head: str) -> str:
    """A body whose text as sent (with « \\nSTOP : <link> ») is exactly 160 characters."""
    from chalicelib.services import sms_links

    link = sms_links.stop_url("t-liste", contact_id)
    room = 160 - len("\nSTOP : ") - len(link)
    return head + "x" * (room - len(head))


def test_the_preview_counts_the_texts_as_sent_stop_mention_included(world: World, audience: dict[str, str]) -> None:
    settings(world, sms_price_cents_per_segment=6.5)
    ids = [audience["anne"], audience["paul"], audience["sans_accord"]]  # Petit is not planned
    cases = [
        # « é », « à » are GSM-7: 160 septets, one segment each
        ("Réunion à la mairie ", {"encoding": "GSM-7", "segments_per_message": 1, "total_segments": 2}),
        # « € » costs two septets: 161, two segments of 153
        ("Réunion à 5 € ", {"encoding": "GSM-7", "segments_per_message": 2, "total_segments": 4}),
        # « ê » forces UCS-2: 160 characters in segments of 67
        ("Fête à la mairie ", {"encoding": "UCS-2", "segments_per_message": 3, "total_segments": 6}),
    ]
    for head, expected in cases:
        made = sms_campaign(world, body=_padded(world, audience["anne"], head), contact_ids=ids)
        preview = ok(world.get(f"/campaigns/{made['id']}/preview", tenant="liste"))
        cost = -(-expected["total_segments"] * 65 // 10)  # 6.5 cents a segment, rounded up
        assert preview == {**expected, "recipients": 2, "estimated_cost_cents": cost}, head
    assert sms_sent() == []  # a preview sends nothing
    email = ok(
        world.post("/campaigns", {"subject": "Objet", "body": "Texte", "contact_ids": ids[:1]}, tenant="liste"), 201
    )
    refused = world.get(f"/campaigns/{email['id']}/preview", tenant="liste")
    assert "campagnes SMS" in error_of(refused, 422, "validation_error")["details"][0]["message"]


# --- sending hours ------------------------------------------------------------------------------------------------


def test_a_campaign_sent_outside_the_hours_waits_for_them_and_a_chunk_holds_itself(
    world: World, audience: dict[str, str], _clock: list[datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    sunday = _working_day(0) - timedelta(days=1)  # the day before a working Monday
    _clock[0] = at_paris(sunday, 12)
    made = sms_campaign(world, contact_ids=[audience["anne"]])
    held = send(world, made["id"])
    monday_10 = at_paris(sunday + timedelta(days=1), 10)
    assert held["status"] == "scheduled" and held["held_for_quiet_hours"] is True
    assert held["scheduled_at"] == monday_10.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert deliver(world) == 0
    assert campaign_delivery.start_due(monday_10.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")) == 1
    # A worker's clock reads 9:50 (the plan came early, or a chunk waited in the queue): the chunk holds itself.
    _clock[0] = at_paris(sunday + timedelta(days=1), 9, 50)
    requeued: list[tuple[dict[str, Any], int]] = []
    monkeypatch.setattr(
        campaign_delivery.queues, "send", lambda queue, body, delay_seconds=0: requeued.append((body, delay_seconds))
    )
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))  # the plan
    (chunk,) = queued_bodies()
    campaign_delivery.process_message(json.dumps(chunk))
    assert sms_sent() == []
    assert requeued == [({**chunk, "deferrals": 0}, 600)]  # back when the hours open, unmarked
    _clock[0] = at_paris(sunday + timedelta(days=1), 10, 1)
    campaign_delivery.process_message(json.dumps(requeued[0][0]))
    assert [number for number, _ in sms_sent()] == ["+33612345678"]
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["status"] == "sent"


def test_a_long_night_is_waited_out_in_steps_of_15_minutes(
    world: World, audience: dict[str, str], _clock: list[datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = sms_campaign(world, contact_ids=[audience["anne"]])
    send(world, made["id"])
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    _clock[0] = _clock[0].replace(hour=22)  # Tuesday 22:00: next window Wednesday 10:00
    requeued: list[int] = []
    monkeypatch.setattr(
        campaign_delivery.queues, "send", lambda queue, body, delay_seconds=0: requeued.append(delay_seconds)
    )
    campaign_delivery.process_message(json.dumps(chunk))
    assert requeued == [900] and sms_sent() == []


# --- the STOP link ------------------------------------------------------------------------------------------------


def test_the_stop_link_leads_to_the_unsubscribe_page_which_withdraws_sms_consent(
    world: World, audience: dict[str, str]
) -> None:
    made = sms_campaign(world, contact_ids=[audience["anne"]])
    send(world, made["id"])
    deliver(world)
    ((_, text),) = sms_sent()
    path = text.rsplit("STOP : http://127.0.0.1:8000", 1)[1]
    assert len(path.rsplit("/", 1)[1]) == 10
    shown = world.request("GET", path, headers={})
    assert shown.status_code == 200
    html = shown.body.decode()
    assert '<html lang="fr"' in html and "Ne plus recevoir de SMS" in html
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    assert action and action.group(1).startswith("/public/unsubscribe/")
    assert 'name="origin" value="sms"' in html and 'id="channel-email"' in html  # email offered, not ticked
    done = world.request("POST", action.group(1), headers=FORM, raw=b"List-Unsubscribe=One-Click&origin=sms")
    assert done.status_code == 200 and "les SMS" in done.body.decode()
    withdrawn = sms_consent(world, audience["anne"], tenant="liste")
    assert (withdrawn["status"], withdrawn["source"]) == ("withdrawn", "unsubscribe")
    email = next(
        c
        for c in ok(world.get(f"/contacts/{audience['anne']}/consents", tenant="liste"))["items"]
        if c["channel"] == "email"
    )
    assert email["status"] == "unknown"  # SMS only, as the page offered
    assert "déjà désinscrit(e) des SMS" in world.request("GET", path, headers={}).body.decode()
    # the next campaign leaves Anne out, as unsubscribed by her own hand
    again = sms_campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    send(world, again["id"])
    deliver(world)
    skipped = ok(world.get(f"/campaigns/{again['id']}", tenant="liste"))["counts"]["skipped"]
    assert skipped["unsubscribed"] == 1


def test_an_unknown_short_code_gets_the_invalid_link_page(world: World) -> None:
    for code in ("AAAAAAAAAA", "court", "x" * 300):
        response = world.request("GET", f"/public/s/{code}", headers={})
        assert response.status_code == 404 and "pas valide" in response.body.decode(), code


def test_a_tenant_may_send_its_campaign_sms_as_transactional(
    world: World, audience: dict[str, str], published: list[dict[str, Any]]
) -> None:
    settings(world, sms_message_type="Transactional")
    made = sms_campaign(world, contact_ids=[audience["anne"]])
    send(world, made["id"])
    deliver(world)
    assert [c["MessageAttributes"]["AWS.SNS.SMS.SMSType"]["StringValue"] for c in published] == ["Transactional"]
