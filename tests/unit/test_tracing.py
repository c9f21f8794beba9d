"""X-Ray traces in Lambda only (chalicelib/observability.py): there, each request and job is a subsegment named
after its route template or job, and each AWS call one beneath it; anywhere else (the local stack, the tests,
POWERTOOLS_TRACE_DISABLED) aws_xray_sdk is never imported, and `import app` never imports it even in Lambda (the
tracer is built by the first traced call). Each case runs `import app` in a fresh interpreter with the prod stage's
environment, as a Lambda cold start does; in Lambda, the X-Ray daemon is a UDP socket of this test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.cold_start import PROD_STAGE
from tests.support.environment import ELSEWHERE

ROOT = Path(__file__).resolve().parents[2]
TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"
PARENT = "53995c3f42cd8ad8"

# A request through the app's HTTP pipeline, a job through its wrapper (a malformed SES notification: no AWS call),
# and an AWS call (stubbed: no network) inside a traced block.
PROBE = """
import json, sys
import app
imported_by_app = "aws_xray_sdk" in sys.modules
from botocore.session import get_session
from botocore.stub import Stubber
from chalice.test import Client
from chalicelib import observability

with Client(app.app) as client:
    assert client.http.get("/health").status_code == 200
    event = client.events.generate_sqs_event(message_bodies=["pas du JSON"], queue_name="agora-prod-ses-events")
    assert client.lambda_.invoke("handle_mail_events", event).payload == {"batchItemFailures": []}
sqs = get_session().create_client("sqs", region_name="eu-west-3")
with Stubber(sqs) as stub:
    stub.add_response("get_queue_url", {"QueueUrl": "https://sqs.example/q"})
    with observability.traced("send_campaigns", job="send_campaigns"):
        sqs.get_queue_url(QueueName="q")
print(json.dumps({
    "imported_by_app": imported_by_app,
    "imported": "aws_xray_sdk" in sys.modules,
    "enabled": observability.tracer() is not None,
}))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ELSEWHERE and not k.startswith(("AGORA_", "POWERTOOLS_", "LAMBDA_", "AWS_CHALICE", "AWS_XRAY"))
    }
    env.update(PROD_STAGE)
    env.update(extra)
    return env


def _probe(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    """A UDP socket standing for the X-Ray daemon (127.0.0.1 only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.5)
        yield sock


def _received(sock: socket.socket) -> list[dict[str, Any]]:
    """The subsegments sent to the daemon: each datagram is a header line then one JSON document."""
    found = []
    while True:
        try:
            datagram = sock.recv(65536).decode()
        except TimeoutError:
            return found
        header, body = datagram.split("\n", 1)
        assert json.loads(header) == {"format": "json", "version": 1}
        found.append(json.loads(body))


LAMBDA = {"LAMBDA_TASK_ROOT": str(ROOT), "_X_AMZN_TRACE_ID": f"Root={TRACE_ID};Parent={PARENT};Sampled=1"}


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="outside-lambda"),
        pytest.param({**LAMBDA, "POWERTOOLS_TRACE_DISABLED": "1"}, id="lambda-with-tracing-disabled"),
        pytest.param({**LAMBDA, "AWS_CHALICE_CLI_MODE": "true"}, id="chalice-local"),
    ],
)
def test_without_tracing_aws_xray_sdk_is_never_imported(extra: dict[str, str], daemon: socket.socket) -> None:
    port = daemon.getsockname()[1]
    found = _probe(_env(**extra, AWS_XRAY_DAEMON_ADDRESS=f"127.0.0.1:{port}"))
    assert found == {"imported_by_app": False, "imported": False, "enabled": False}
    assert _received(daemon) == []


def test_in_lambda_requests_jobs_and_aws_calls_are_subsegments(daemon: socket.socket) -> None:
    port = daemon.getsockname()[1]
    found = _probe(_env(**LAMBDA, AWS_XRAY_DAEMON_ADDRESS=f"127.0.0.1:{port}"))
    assert found == {"imported_by_app": False, "imported": True, "enabled": True}  # built by the first request
    segments = {s["name"]: s for s in _received(daemon)}
    assert set(segments) == {"## GET /health", "## handle_mail_events", "## send_campaigns", "sqs"}
    assert all(s["trace_id"] == TRACE_ID and s["type"] == "subsegment" for s in segments.values())
    assert segments["## GET /health"]["annotations"] == {"route": "/health"}
    assert segments["## handle_mail_events"]["annotations"] == {"job": "handle_mail_events"}
    assert {segments[name]["parent_id"] for name in ("## GET /health", "## handle_mail_events")} == {PARENT}
    call = segments["sqs"]  # botocore patched: the AWS call nests under the job that made it
    assert call["parent_id"] == segments["## send_campaigns"]["id"]
    assert call["namespace"] == "aws" and call["aws"]["operation"] == "GetQueueUrl"
