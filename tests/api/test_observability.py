"""One JSON log line per request and per job, with what an operator needs and no personal data."""

from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.observability import logger as agora_logger
from tests.support.world import World


def _requests(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line.get("message") == "request"]


def test_each_request_writes_one_line_without_personal_data(world: World) -> None:
    captured: list[dict[str, Any]] = []
    contact = {
        "kind": "person",
        "first_name": "Anne",
        "last_name": "Confidentielle",
        "emails": ["anne.confidentielle@example.fr"],
    }
    with _capture(captured):
        created = world.post("/contacts", contact)
        world.get(f"/contacts/{created.json_body['id']}?q=Confidentielle")
        world.get("/contacts", headers={})  # 401
    requests = _requests(captured)
    assert [(r["method"], r["route"], r["status"]) for r in requests] == [
        ("POST", "/contacts", 201),
        ("GET", "/contacts/{contact_id}", 200),
        ("GET", "/contacts", 401),
    ]
    admin = world.principal()
    assert requests[0]["tenant"] == admin.tenant_id and requests[0]["user_id"] == admin.user_id
    assert requests[2].get("tenant") is None and requests[2].get("user_id") is None  # nobody authenticated
    assert all(isinstance(r["duration_ms"], int | float) and r["duration_ms"] >= 0 for r in requests)
    assert all(r["level"] == "INFO" and r["service"] == "agora" for r in requests)
    everything = json.dumps(captured)
    for secret in ("anne.confidentielle", "Confidentielle", admin.email, created.json_body["id"]):
        assert secret not in everything  # no name, email, body, concrete path or query string


def test_each_job_run_writes_one_line_with_counts_only(world: World) -> None:
    captured: list[dict[str, Any]] = []
    world.post("/contacts", {"kind": "person", "first_name": "Jean", "last_name": "Journal"})
    with _capture(captured):
        world.drain_audit()
        world.client.lambda_.invoke("send_reminders", world.client.events.generate_cw_event("x", "x", {}, []))
    jobs = {line["job"]: line for line in captured if line.get("message") == "job"}
    assert jobs["write_audit"]["failed_messages"] == 0
    assert set(jobs) == {"write_audit", "send_reminders"}
    assert all(isinstance(v, int | float) for line in jobs.values() for v in line["counts"].values())
    assert "Journal" not in json.dumps(captured)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[dict[str, Any]]) -> None:
        super().__init__()
        self.sink = sink
        self.setFormatter(agora_logger.registered_formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(json.loads(self.format(record)))


class _capture:  # noqa: N801  (used as a context manager, like a function)
    def __init__(self, sink: list[dict[str, Any]]) -> None:
        self.handler = _ListHandler(sink)

    def __enter__(self) -> None:
        self.level = agora_logger.log_level
        agora_logger.setLevel("INFO")  # the suite runs at WARNING (tests/conftest.py); production's default is INFO
        logging.getLogger("agora").addHandler(self.handler)

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("agora").removeHandler(self.handler)
        agora_logger.setLevel(self.level)
