"""SES's sending events published to the ses-events topic, delivered by SNS to the queue (moto does, as AWS does),
handled by the handle_mail_events job: bounces and complaints reach the tenant's suppression list and consents;
malformed, unknown and repeated notifications are skipped without failing their batch."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from tests.support import world as world_module
from tests.support.responses import ok
from tests.support.world import World

QUEUE = "ses-events"


def ses_event(kind: str, tenant_id: str, addresses: list[str], **detail: Any) -> dict[str, Any]:
    """The shape of SES's own examples (« Examples of event data that Amazon SES publishes to Amazon SNS »)."""
    mail = {
        "timestamp": "2026-12-04T08:00:00.000Z",
        "source": "Mairie <mairie@operateur-demo.fr>",
        "messageId": f"0100018f-{kind}-{len(addresses)}",
        "destination": addresses,
        "tags": {"tenant": [tenant_id], **{k: [v] for k, v in detail.pop("tags", {}).items()}},
    }
    event: dict[str, Any] = {"eventType": kind, "mail": mail}
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": detail.get("bounce_type", "Permanent"),
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": a, "action": "failed", "status": "5.1.1"} for a in addresses],
            "timestamp": "2026-12-04T08:00:01.000Z",
        }
    if kind == "Complaint":
        event["complaint"] = {
            "complainedRecipients": [{"emailAddress": a} for a in addresses],
            "timestamp": "2026-12-04T08:00:02.000Z",
            "complaintFeedbackType": "abuse",
        }
    if kind == "Open":
        event["open"] = {"timestamp": "2026-12-04T09:00:00.000Z", "ipAddress": "192.0.2.1"}
    return event


def publish(*messages: dict[str, Any] | str) -> None:
    world_module.publish(QUEUE, *messages)


def deliver(world: World) -> int:
    return world.drain(get_settings().queue_name(QUEUE), "handle_mail_events")


def test_a_hard_bounce_suppresses_the_address(world: World) -> None:
    tenant = world.tenants["ville"].id
    publish(ses_event("Bounce", tenant, ["Inconnu@Example.fr"]))
    assert deliver(world) == 1
    suppressed = consents_store.suppressed(tenant, ["inconnu@example.fr"])
    assert suppressed["inconnu@example.fr"].reason == "hard_bounce"
    assert consents_store.suppressed(world.tenants["liste"].id, ["inconnu@example.fr"]) == {}  # per tenant


def test_soft_bounces_suppress_at_the_third_distinct_one(world: World) -> None:
    tenant = world.tenants["ville"].id
    soft = ses_event("Bounce", tenant, ["pleine@example.fr"], bounce_type="Transient")
    publish(soft, soft)
    assert deliver(world) == 2
    assert consents_store.suppressed(tenant, ["pleine@example.fr"]) == {}  # two, not three
    publish(soft)
    deliver(world)
    assert consents_store.suppressed(tenant, ["pleine@example.fr"])["pleine@example.fr"].reason == "soft_bounces"


def test_the_same_notification_delivered_twice_counts_once(world: World) -> None:
    from chalicelib.services import mail_events

    tenant = world.tenants["ville"].id
    envelope = json.dumps(
        {
            "Type": "Notification",
            "MessageId": "sns-same",
            "Message": json.dumps(ses_event("Bounce", tenant, ["lente@example.fr"], bounce_type="Transient")),
        }
    )
    for _ in range(5):
        assert mail_events.process(envelope) == "counted"
    assert consents_store.suppressed(tenant, ["lente@example.fr"]) == {}


def test_a_complaint_suppresses_and_withdraws_the_contacts_email_consent(world: World) -> None:
    tenant = world.tenants["ville"].id
    contact = ok(world.post("/contacts", {"kind": "person", "last_name": "Plainte", "emails": ["p@example.fr"]}), 201)
    publish(ses_event("Complaint", tenant, ["p@example.fr"], tags={"contact": contact["id"]}))
    deliver(world)
    assert consents_store.suppressed(tenant, ["p@example.fr"])["p@example.fr"].reason == "complaint"
    email = {c["channel"]: c for c in ok(world.get(f"/contacts/{contact['id']}/consents"))["items"]}["email"]
    assert (email["status"], email["source"], email["by"]) == ("withdrawn", "complaint", "agora")


def test_malformed_unknown_and_foreign_notifications_never_fail_the_batch(world: World) -> None:
    tenant = world.tenants["ville"].id
    publish(
        "not json at all",
        json.dumps({"eventType": "Teleport", "mail": {"messageId": "x"}}),
        json.dumps({"eventType": "Bounce"}),
        ses_event("Open", tenant, ["lu@example.fr"]),
        json.dumps({k: v for k, v in ses_event("Bounce", tenant, ["x@example.fr"]).items() if k != "mail"}),
    )
    assert deliver(world) == 5  # drain asserts every batch reports no failure
    assert consents_store.suppressed(tenant, ["lu@example.fr", "x@example.fr"]) == {}


def test_a_notification_without_tenant_is_skipped(world: World) -> None:
    event = ses_event("Bounce", "t-ville", ["sans@example.fr"])
    del event["mail"]["tags"]
    publish(event)
    assert deliver(world) == 1
    assert consents_store.suppressed(world.tenants["ville"].id, ["sans@example.fr"]) == {}
