"""SES sending events as the configuration set publishes them (SNS envelope or raw), parsed or refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.domain.ses_events import MalformedNotification, parse

MAIL = {
    "timestamp": "2017-08-05T00:40:02.012Z",
    "source": "Sender Name <sender@example.com>",
    "sendingAccountId": "123456789012",
    "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
    "destination": ["Recipient@Example.com"],
    "headersTruncated": False,
    "tags": {"tenant": ["ville-demo"], "campaign": ["01JCAMPAIGN00000000000000000"], "ses:configuration-set": ["x"]},
}

# The shapes of AWS's own examples (« Examples of event data that Amazon SES publishes to Amazon SNS »).
BOUNCE = {
    "eventType": "Bounce",
    "bounce": {
        "bounceType": "Permanent",
        "bounceSubType": "General",
        "bouncedRecipients": [{"emailAddress": "recipient@example.com", "action": "failed", "status": "5.1.1"}],
        "timestamp": "2017-08-05T00:41:02.669Z",
        "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
    },
    "mail": MAIL,
}
COMPLAINT = {
    "eventType": "Complaint",
    "complaint": {
        "complainedRecipients": [{"emailAddress": "recipient@example.com"}],
        "timestamp": "2017-08-05T00:41:02.669Z",
        "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
        "complaintFeedbackType": "abuse",
    },
    "mail": MAIL,
}
DELIVERY = {
    "eventType": "Delivery",
    "delivery": {"timestamp": "2017-08-05T00:41:05.000Z", "recipients": ["recipient@example.com"]},
    "mail": MAIL,
}
OPEN = {"eventType": "Open", "open": {"timestamp": "2017-08-09T22:00:19.652Z", "ipAddress": "192.0.2.1"}, "mail": MAIL}
CLICK = {
    "eventType": "Click",
    "click": {"timestamp": "2017-08-09T23:51:25.570Z", "link": "https://ville.example/agenda", "linkTags": {}},
    "mail": MAIL,
}


def envelope(event: dict[str, Any], message_id: str = "sns-1") -> str:
    return json.dumps(
        {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": "arn:aws:sns:eu-west-3:123456789012:agora-prod-ses-events",
            "Message": json.dumps(event),
            "Timestamp": "2017-08-05T00:41:03.000Z",
        }
    )


def test_a_hard_bounce_through_sns() -> None:
    event = parse(envelope(BOUNCE))
    assert (event.kind, event.bounce_type, event.recipients) == ("bounce", "hard", ("recipient@example.com",))
    assert event.message_id == MAIL["messageId"] and event.at == "2017-08-05T00:41:02.669Z"
    assert event.notification_id == "sns-1"
    assert event.tag("tenant") == "ville-demo" and event.tag("missing") is None


@pytest.mark.parametrize("bounce_type", ["Transient", "Undetermined"])
def test_other_bounces_are_soft(bounce_type: str) -> None:
    raw = {**BOUNCE, "bounce": {**BOUNCE["bounce"], "bounceType": bounce_type}}
    assert parse(json.dumps(raw)).bounce_type == "soft"


def test_complaint_delivery_open_click_raw_or_wrapped() -> None:
    assert parse(json.dumps(COMPLAINT)).kind == "complaint"
    delivered = parse(envelope(DELIVERY))
    assert (delivered.kind, delivered.recipients) == ("delivery", ("recipient@example.com",))
    opened = parse(envelope(OPEN))
    assert (opened.kind, opened.recipients) == ("open", ("recipient@example.com",))  # from mail.destination, folded
    clicked = parse(envelope(CLICK))
    assert (clicked.kind, clicked.link) == ("click", "https://ville.example/agenda")


def test_identity_notifications_name_their_type_differently() -> None:
    raw = {k: v for k, v in BOUNCE.items() if k != "eventType"} | {"notificationType": "Bounce"}
    assert parse(json.dumps(raw)).kind == "bounce"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[1, 2]",
        json.dumps({"eventType": "Bounce"}),  # no mail
        json.dumps({"eventType": "Teleport", "mail": MAIL}),
        json.dumps({**BOUNCE, "bounce": {"bounceType": "Permanent", "bouncedRecipients": []}}),  # nobody bounced
        json.dumps({**OPEN, "mail": {**MAIL, "destination": "x"}}),
        json.dumps({"Type": "Notification", "Message": "{broken"}),
        "[" * 100_000,  # deep nesting
        " " * 300_000,  # larger than any SQS message
    ],
)
def test_malformed_notifications_are_refused(body: str) -> None:
    with pytest.raises(MalformedNotification):
        parse(body)
