"""Business metrics as CloudWatch Embedded Metric Format lines on stdout, one per request or job run that counted
something (plus the job's duration): the sends, bounces, RSVP answers and import rows, in the Agora namespace, with
no dimension but the service (and the job's name for its duration), and no personal data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import observability
from tests.api.test_campaigns import audience, campaign, deliver  # noqa: F401  (audience: a fixture)
from tests.api.test_contact_import_api import ANNE, BAD_DATE, PAUL, analysed, committed, csv_file
from tests.api.test_events_api import ACK, answer, later, new_event, person, token_of
from tests.api.test_mail_events import deliver as deliver_mail_events
from tests.api.test_mail_events import publish, ses_event
from tests.api.test_rne_import_api import AJACCIO, BAD, HAVRE, ROUEN, maires, post_csv, run_queue
from tests.support.responses import ok
from tests.support.world import World

ALLOWED_DIMENSIONS = ({"service"}, {"service", "job"})  # never a tenant, a user, a campaign or an address


@pytest.fixture(autouse=True)
def _nothing_pending() -> Iterator[None]:
    observability.metrics.clear_metrics()  # what earlier tests counted without a request or job to flush it
    yield
    observability.metrics.clear_metrics()


def emf_lines(out: str) -> list[dict[str, Any]]:
    """The EMF lines of captured stdout, each checked against the format and the dimensions allowed."""
    lines = []
    for raw in out.splitlines():
        if not raw.startswith("{") or '"_aws"' not in raw:
            continue
        line = json.loads(raw)
        [directive] = line["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "Agora"
        assert isinstance(line["_aws"]["Timestamp"], int)
        for dimensions in directive["Dimensions"]:
            assert set(dimensions) in ALLOWED_DIMENSIONS, dimensions
        assert line["service"] == "agora"
        for metric in directive["Metrics"]:
            assert metric["Unit"] == ("Milliseconds" if metric["Name"] == "JobDuration" else "Count")
            assert metric["Name"] in (*observability.COUNTERS, "JobDuration")
        lines.append(line)
    return lines


def values(line: dict[str, Any], name: str) -> list[float]:
    """A metric's values in a line (EMF: one number, or a list when counted several times)."""
    value = line[name]
    return list(value) if isinstance(value, list) else [value]


def totals(lines: list[dict[str, Any]]) -> dict[str, float]:
    """Metric name → the sum of its values over the lines."""
    summed: dict[str, float] = {}
    for line in lines:
        for metric in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            summed[metric["Name"]] = summed.get(metric["Name"], 0) + sum(values(line, metric["Name"]))
    return summed


def no_personal_data(lines: list[dict[str, Any]], *secrets: str) -> None:
    everything = json.dumps(lines)
    for secret in secrets:
        assert secret not in everything


def test_a_campaign_worker_counts_the_emails_sent_and_its_duration(
    world: World,
    audience: dict[str, str],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = campaign(world, contact_ids=list(audience.values()))
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    capsys.readouterr()
    assert deliver(world) == 2  # the plan, then one chunk
    lines = emf_lines(capsys.readouterr().out)
    assert totals(lines)["EmailsSent"] == 2  # anne@ and paul@ (test_campaigns says why the others are left out)
    assert "EmailsFailed" not in totals(lines) and "SendsUnknown" not in totals(lines)
    [sent] = [line for line in lines if "EmailsSent" in line]
    assert sent["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]  # not per job: one series to alarm on
    durations = [line for line in lines if "JobDuration" in line]
    assert [(line["job"], *map(sorted, line["_aws"]["CloudWatchMetrics"][0]["Dimensions"])) for line in durations] == [
        ("send_campaigns", ["job", "service"])
    ] * 2  # one per run
    assert all(len(values(line, "JobDuration")) == 1 and values(line, "JobDuration")[0] >= 0 for line in durations)
    no_personal_data(lines, "t-liste", made["id"], "anne@example.fr", "Martin", *audience.values())


def test_an_rsvp_answer_is_counted_once_by_its_request(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    event = new_event(world, rsvp_deadline=later(10))
    anne = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [anne])
    token = token_of(world, event["id"], anne)
    capsys.readouterr()
    ok(answer(world, token, {"response": "accept"}))
    lines = emf_lines(capsys.readouterr().out)
    assert len(lines) == 1 and totals(lines) == {"RsvpAnswers": 1}  # the request's one line
    assert lines[0]["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [{"Name": "RsvpAnswers", "Unit": "Count"}]
    ok(answer(world, token, {"response": "accept"}))  # the same answer again changes nothing
    assert emf_lines(capsys.readouterr().out) == []
    no_personal_data(lines, token, anne, "anne.martin", world.tenants["ville"].id)


def test_invitations_sent_are_counted(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    event = new_event(world)
    guests = [person(world, name, emails=[f"{name.lower()}@exemple.fr"]) for name in ("Martin", "Petit")]
    world.invite(event["id"], guests)
    capsys.readouterr()
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert totals(emf_lines(capsys.readouterr().out)) == {"InvitationsSent": 2}


def test_bounces_and_complaints_are_counted_once_each(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    tenant = world.tenants["ville"].id
    publish(ses_event("Bounce", tenant, ["inconnu@example.fr"]), ses_event("Complaint", tenant, ["plainte@example.fr"]))
    capsys.readouterr()
    assert deliver_mail_events(world) == 2
    lines = emf_lines(capsys.readouterr().out)
    assert {k: v for k, v in totals(lines).items() if k != "JobDuration"} == {"Bounces": 1, "Complaints": 1}
    assert {line["job"] for line in lines if "JobDuration" in line} == {"handle_mail_events"}
    no_personal_data(lines, tenant, "inconnu@example.fr", "plainte@example.fr")


def test_import_rows_committed_and_rejected_are_counted(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    preview = analysed(world, csv_file(ANNE, PAUL, BAD_DATE))
    capsys.readouterr()
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert (done["created"], done["rejected_count"]) == (2, 1)
    lines = emf_lines(capsys.readouterr().out)
    found = totals(lines)
    assert (found["ImportRowsCommitted"], found["ImportRowsRejected"]) == (2, 1)
    no_personal_data(lines, "Martin", preview["id"])


def test_rne_import_rows_are_counted_as_written_and_rejected(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    started = ok(post_csv(world, maires(ROUEN, HAVRE, AJACCIO, BAD), "?filename=maires.csv"), 202)
    capsys.readouterr()
    run_queue(world)
    lines = emf_lines(capsys.readouterr().out)
    found = totals(lines)
    assert (found["ImportRowsCommitted"], found["ImportRowsRejected"]) == (3, 1)
    no_personal_data(lines, "CASANOVA", started["id"])
    ok(post_csv(world, maires(ROUEN, HAVRE, AJACCIO)), 202)  # the same release again: nothing written
    capsys.readouterr()
    run_queue(world)
    assert "ImportRowsCommitted" not in totals(emf_lines(capsys.readouterr().out))


def test_a_request_that_counts_nothing_writes_no_metric_line(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    ok(world.get("/health", headers={}))
    ok(world.get("/contacts"))
    assert emf_lines(capsys.readouterr().out) == []
