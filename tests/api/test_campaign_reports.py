"""What SES says of a campaign's messages reaches them (found by SES's message id, each notification applied once)
and the contacts' engagement; the report sums it up as JSON, an accessible SVG chart and a per-recipient CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib.store import consents as consents_store
from chalicelib.store import messages as messages_store
from chalicelib.store.base import now_iso
from tests.api.test_campaigns import audience, campaign, consent, contact, deliver  # noqa: F401  (fixture)
from tests.api.test_mail_events import deliver as deliver_mail_events
from tests.api.test_mail_events import publish
from tests.support.faults import Fault, busy_item, injected
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails
from tests.support.world import World


def notification(kind: str, message_id: str, address: str, campaign_id: str, contact_id: str, **detail: Any) -> str:
    """SES's event as the configuration set publishes it to SNS."""
    event: dict[str, Any] = {
        "eventType": kind,
        "mail": {
            "timestamp": "2026-12-04T08:00:00.000Z",
            "messageId": message_id,
            "destination": [address],
            "tags": {"tenant": ["t-liste"], "campaign": [campaign_id], "contact": [contact_id]},
        },
    }
    at = detail.pop("at", "2026-12-04T09:15:00.000Z")
    if kind == "Delivery":
        event["delivery"] = {"timestamp": at, "recipients": [address]}
    if kind == "Open":
        event["open"] = {"timestamp": at, "ipAddress": "192.0.2.1"}
    if kind == "Click":
        event["click"] = {"timestamp": at, "link": detail["link"]}
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": "Permanent",
            "bouncedRecipients": [{"emailAddress": address}],
            "timestamp": at,
        }
    if kind == "Complaint":
        event["complaint"] = {"complainedRecipients": [{"emailAddress": address}], "timestamp": at}
    return json.dumps(event)


def as_sns_delivers(event: str, notification_id: str) -> str:
    """The SQS body of an SNS notification (its envelope, with the notification's id)."""
    return json.dumps({"Type": "Notification", "MessageId": notification_id, "Message": event})


@pytest.fixture
def sent(world: World, audience: dict[str, str]) -> dict[str, Any]:  # noqa: F811
    """A campaign sent to Anne and Paul; their messages by first name."""
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"], audience["sans_adresse"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    messages = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    return {
        "id": made["id"],
        "anne": messages[audience["anne"]],
        "paul": messages[audience["paul"]],
    }


def event_for(sent: dict[str, Any], who: str, kind: str, **detail: Any) -> str:
    m = sent[who]
    return notification(kind, m.ses_message_id, m.address, sent["id"], m.contact_id, **detail)


def test_ses_events_reach_their_message_once_and_the_report_sums_them_up(world: World, sent: dict[str, Any]) -> None:
    link = "https://ville.example/agenda"
    # SNS delivered the same notification twice (at least once delivery): one open
    opened = as_sns_delivers(event_for(sent, "anne", "Open"), "5f1c8f4e-open-1")
    twice = world.client.events.generate_sqs_event(message_bodies=[opened, opened], queue_name="ses-events")
    assert world.client.lambda_.invoke("handle_mail_events", twice).payload == {"batchItemFailures": []}
    publish(
        event_for(sent, "anne", "Delivery"),
        event_for(sent, "paul", "Delivery"),
        event_for(sent, "anne", "Open", at="2026-12-04T11:05:00.000Z"),  # a second open, later
        event_for(sent, "anne", "Click", link=link, at="2026-12-04T11:06:00.000Z"),
        event_for(sent, "paul", "Click", link=link, at="2026-12-04T09:20:00.000Z"),
        event_for(sent, "paul", "Click", link="https://ville.example/autre", at="2026-12-04T09:21:00.000Z"),
    )
    assert deliver_mail_events(world) == 6
    anne = messages_store.batch_get("t-liste", sent["id"], [sent["anne"].contact_id])[sent["anne"].contact_id]
    assert (anne.opens, anne.first_open_at, anne.clicks) == (2, "2026-12-04T09:15:00.000Z", 1)
    report = ok(world.get(f"/campaigns/{sent['id']}/report", tenant="liste"))
    assert (report["sent"], report["delivered"], report["unique_opens"], report["unique_clicks"]) == (2, 2, 1, 2)
    assert report["clicks"] == 3
    assert report["rates"]["open"] == 0.5 and report["rates"]["click"] == 1.0 and report["rates"]["delivery"] == 1.0
    assert report["links"] == [
        {"url": link, "recipients": 2},
        {"url": "https://ville.example/autre", "recipients": 1},
    ]
    hours = {h["hour"]: h for h in report["timeline"]}
    assert list(hours) == ["2026-12-04T09:00:00Z", "2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z"]  # no gap
    assert (hours["2026-12-04T09:00:00Z"]["opens"], hours["2026-12-04T09:00:00Z"]["clicks"]) == (1, 1)
    assert hours["2026-12-04T11:00:00Z"]["clicks"] == 1
    # the contacts' engagement: Anne opened, so a segment of recent openers holds her
    engaged = messages_store.engagement_of("t-liste", [sent["anne"].contact_id])[sent["anne"].contact_id]
    assert (engaged.opens, engaged.clicks) == (2, 1)


def test_a_bounce_and_a_complaint_are_counted_and_suppress_the_address(world: World, sent: dict[str, Any]) -> None:
    publish(event_for(sent, "anne", "Bounce"), event_for(sent, "paul", "Complaint"))
    deliver_mail_events(world)
    report = ok(world.get(f"/campaigns/{sent['id']}/report", tenant="liste"))
    assert report["bounced"] == {"hard": 1, "soft": 0} and report["complaints"] == 1
    assert set(consents_store.suppressed("t-liste", ["anne@example.fr", "paul@example.fr"])) == {
        "anne@example.fr",
        "paul@example.fr",
    }
    # the next campaign skips both
    again = campaign(world, contact_ids=[sent["anne"].contact_id, sent["paul"].contact_id])
    ok(world.post(f"/campaigns/{again['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    counts = ok(world.get(f"/campaigns/{again['id']}", tenant="liste"))["counts"]
    assert counts["sent"] == 0 and counts["skipped"]["suppressed"] == 2  # the bounce and the complaint
    paul = ok(world.get(f"/contacts/{sent['paul'].contact_id}/consents", tenant="liste"))["items"]
    assert next(c for c in paul if c["channel"] == "email")["status"] == "withdrawn"  # a complaint is an objection


def test_the_one_click_unsubscribe_of_a_campaign_email_is_counted_in_its_report(
    world: World, sent: dict[str, Any]
) -> None:
    anne = next(m for m in sent_emails() if str(m["To"]) == "anne@example.fr")
    url = str(anne["List-Unsubscribe"]).split(",")[0].strip("<> ")
    path = urlsplit(url)
    response = world.client.http.post(
        f"{path.path}?{path.query}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=b"List-Unsubscribe=One-Click",
    )
    assert response.status_code == 200
    report = ok(world.get(f"/campaigns/{sent['id']}/report", tenant="liste"))
    assert report["unsubscribes"] == 1 and report["rates"]["unsubscribe"] is None  # nothing delivered yet
    # a forged campaign id counts nowhere
    other = world.client.http.post(
        f"{path.path}?campagne=01J0000000000000000000ZZZZ",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=b"List-Unsubscribe=One-Click",
    )
    assert other.status_code == 200


def test_an_unsubscribe_while_the_workers_record_its_message_is_honoured_and_counted(
    world: World, sent: dict[str, Any]
) -> None:
    """The campaign's workers record a send's outcome on its message in a transaction; DynamoDB refuses the
    unsubscribe's mark on that item at that moment (TransactionConflictException, not retried by botocore). The
    objection (RGPD art. 21) is never refused for a race: the mark is tried again and the person gets the page."""
    anne = next(m for m in sent_emails() if str(m["To"]) == "anne@example.fr")
    path = urlsplit(str(anne["List-Unsubscribe"]).split(",")[0].strip("<> "))
    on_message = Fault(
        "dynamodb", "UpdateItem", busy_item, when=lambda params: params["TableName"].endswith("-messages")
    )
    with injected(on_message) as (busy,):
        response = world.client.http.post(
            f"{path.path}?{path.query}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=b"List-Unsubscribe=One-Click",
        )
    assert busy.raised == 1
    assert response.status_code == 200
    assert ok(world.get(f"/campaigns/{sent['id']}/report", tenant="liste"))["unsubscribes"] == 1


def test_the_chart_is_an_accessible_svg(world: World, sent: dict[str, Any]) -> None:
    publish(event_for(sent, "anne", "Open"))
    deliver_mail_events(world)
    response = world.client.http.get(
        f"/campaigns/{sent['id']}/report", headers={**world.headers("liste"), "Accept": "image/svg+xml"}
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("image/svg+xml")
    svg = response.body.decode() if isinstance(response.body, bytes) else response.body
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Ouvertures et clics par heure : La lettre de décembre</title>' in svg
    assert "1 ouverture(s) unique(s)" in svg


def test_the_recipients_csv_neutralises_formulas_and_is_for_the_sending_roles(
    world: World,
    audience: dict[str, str],  # noqa: F811
) -> None:
    risky = contact(world, "Formule", emails=["=cmd@example.fr"])
    consent(world, risky)
    made = campaign(world, contact_ids=[audience["anne"], risky, audience["sans_adresse"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    headers = {**world.headers("liste", "communication"), "Accept": "text/csv"}
    response = world.client.http.get(f"/campaigns/{made['id']}/report", headers=headers)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv"
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeffcontact_id;address;status")
    rows = {r["address"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    assert rows["'=cmd@example.fr"]["status"] == "sent"
    assert rows["anne@example.fr"]["status"] == "sent"
    assert rows[""]["reason"] == "no_address"
    reader = world.client.http.get(
        f"/campaigns/{made['id']}/report", headers={**world.headers("liste", "lecteur"), "Accept": "text/csv"}
    )
    assert reader.status_code == 403
    assert ok(world.get(f"/campaigns/{made['id']}/report", tenant="liste", role="lecteur"))["sent"] == 2


def test_engagement_of_a_segment(world: World, sent: dict[str, Any]) -> None:
    publish(event_for(sent, "anne", "Open"), event_for(sent, "anne", "Click", link="https://ville.example/agenda"))
    deliver_mail_events(world)
    for who in ("anne", "paul"):
        ok(world.patch(f"/contacts/{sent[who].contact_id}", {"version": 1, "tags": ["lettre"]}, tenant="liste"))
    segment = ok(
        world.post("/segments", {"name": "Lettre", "filter": {"tag": "lettre"}, "shared": True}, tenant="liste"), 201
    )
    report = ok(world.get(f"/reports/engagement?segment_id={segment['id']}", tenant="liste"))
    assert (report["contacts"], report["opened"], report["clicked"]) == (2, 1, 1)
    assert report["open_rate"] == 0.5
    by_id = {i["contact_id"]: i for i in report["items"]}
    assert by_id[sent["anne"].contact_id]["last_open_at"] == "2026-12-04T09:15:00.000Z"
    assert by_id[sent["paul"].contact_id]["opens"] == 0
    # and a segment of those who opened recently holds Anne only
    recent = ok(
        world.post(
            "/segments", {"name": "Lecteurs", "filter": {"opened_within_days": 3650}, "shared": True}, tenant="liste"
        ),
        201,
    )
    preview = ok(world.get(f"/segments/{recent['id']}/preview", tenant="liste"))
    assert [c["id"] for c in preview["items"]] == [sent["anne"].contact_id]


def test_an_event_for_another_tenants_message_changes_nothing(world: World, sent: dict[str, Any]) -> None:
    m = sent["anne"]
    forged = json.loads(notification("Open", m.ses_message_id, m.address, sent["id"], m.contact_id))
    forged["mail"]["tags"]["tenant"] = ["t-ville"]
    publish(json.dumps(forged))
    deliver_mail_events(world)
    assert messages_store.batch_get("t-liste", sent["id"], [m.contact_id])[m.contact_id].opens == 0


def test_an_event_quicker_than_its_worker_comes_again_later_and_an_old_unknown_one_is_skipped(
    world: World, sent: dict[str, Any]
) -> None:
    """The worker records outcomes a few at a time after the sends: SES's delivery can come first. SQS delivers it
    again (a batch item failure) until the message is there; past a quarter of an hour, it never will be."""
    fresh = notification(
        "Delivery", "0100-not-recorded", "x@example.fr", sent["id"], "c", at=now_iso().replace("+00:00", "Z")
    )
    old = notification("Delivery", "0100-never-recorded", "y@example.fr", sent["id"], "c", at="2026-01-01T00:00:00Z")
    event = world.client.events.generate_sqs_event(
        message_bodies=[as_sns_delivers(fresh, "n-fresh"), as_sns_delivers(old, "n-old")], queue_name="ses-events"
    )
    failures = world.client.lambda_.invoke("handle_mail_events", event).payload["batchItemFailures"]
    assert len(failures) == 1  # the fresh one, delivered again later; the old one skipped


def test_a_hard_bounce_flags_the_contact_for_staff(world: World, sent: dict[str, Any]) -> None:
    publish(event_for(sent, "anne", "Bounce"))
    deliver_mail_events(world)
    items = ok(world.get(f"/contacts/{sent['anne'].contact_id}/consents", tenant="liste"))["items"]
    email = next(c for c in items if c["channel"] == "email")
    assert [(s["address"], s["reason"]) for s in email["suppressed"]] == [("anne@example.fr", "hard_bounce")]
    assert all(c["suppressed"] == [] for c in items if c["channel"] != "email")
    paul = ok(world.get(f"/contacts/{sent['paul'].contact_id}/consents", tenant="liste"))["items"]
    assert next(c for c in paul if c["channel"] == "email")["suppressed"] == []
