"""A send that may have happened is never repeated by a retry.

A read timeout or a connection reset after SendRawEmail or Publish left may mean SES or SNS sent the message: retrying
would send it twice. Those outcomes are recorded as « unknown » (staff check before resending); throttling, which
says nothing was sent, is retried by our own code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from chalicelib import aws
from chalicelib.messaging import outbound
from tests.api.test_events_api import ACK, new_event, person
from tests.api.test_reminders_job import invite_and_send, iso, run_job
from tests.support.faults import client_error, failing, read_timeout
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails, sms_sent
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("no_send_backoff")


TIMEOUTS = [read_timeout("SendRawEmail")] * 10
THROTTLED = client_error("Throttling")("SendRawEmail")


def test_a_read_timeout_is_sent_once_and_reported_unknown(aws_mock) -> None:
    message = outbound.Email(to="anne@exemple.fr", subject="Objet", text="Texte")
    with (
        failing("ses", "SendRawEmail", TIMEOUTS) as attempts,
        pytest.raises(outbound.SendOutcomeUnknown),
    ):
        outbound.send_email("t-ville", message)
    assert len(attempts) == 1  # botocore's standard mode would have tried 4 times: up to 4 emails
    with (
        failing("sns", "Publish", [read_timeout("Publish")] * 10) as attempts,
        pytest.raises(outbound.SendOutcomeUnknown),
    ):
        outbound.send_sms("t-ville", "+33612345678", "Bonjour")
    assert len(attempts) == 1
    assert sms_sent() == []


def test_throttling_is_retried_by_the_caller_and_sends_once(aws_mock) -> None:
    message = outbound.Email(to="anne@exemple.fr", subject="Objet", text="Texte")
    with failing("ses", "SendRawEmail", [THROTTLED] * 2) as attempts:
        outbound.send_email("t-ville", message)
    assert len(attempts) == 3
    assert len(sent_emails()) == 1
    with (
        failing("ses", "SendRawEmail", [THROTTLED] * 10) as attempts,
        pytest.raises(ClientError),
    ):
        outbound.send_email("t-ville", message)
    assert len(attempts) == outbound.SEND_ATTEMPTS
    assert len(sent_emails()) == 1


def test_other_clients_keep_botocores_retries(aws_mock) -> None:
    """Reads and conditional writes are safe to retry: only the sending clients lost them."""
    with failing("dynamodb", "DescribeTable", [read_timeout("DescribeTable")] * 2) as attempts:
        aws.client("dynamodb").describe_table(TableName="agora-local-contacts")
    assert len(attempts) == 3


def test_an_invitation_whose_send_may_have_happened_is_not_sent_again(world: World) -> None:
    event = new_event(world)
    guest = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [guest])
    with failing("ses", "SendRawEmail", TIMEOUTS) as attempts:
        result = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert len(attempts) == 1
    assert result["sent"] == 0 and "inconnue" in result["failed"][0]["reason"]
    again = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))  # the user clicks again
    assert again["sent"] == 0 and again["remaining"] == 0
    assert sent_emails() == []
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert [(u["rule"], u["state"]) for u in stats["unknown_sends"]] == [("invitation", "unknown")]


def test_a_reminder_whose_send_may_have_happened_is_unknown_not_failed(world: World) -> None:
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=2)))  # relance due now
    invite_and_send(world, event, [person(world, "Durand", emails=["durand@exemple.fr"])])
    before = len(sent_emails())
    with failing("ses", "SendRawEmail", TIMEOUTS) as attempts:
        totals = run_job(world)
    assert len(attempts) == 1
    assert totals["unknown"] == 1 and totals["failed"] == 0 and totals["sent"] == 0
    assert run_job(world)["sent"] == 0  # the next run does not resend it
    assert len(sent_emails()) == before
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert [u["state"] for u in stats["unknown_sends"]] == ["unknown"]
