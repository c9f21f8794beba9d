"""The first request after a cold start: a fresh interpreter imports the app, then calls one entry point of each
kind (tests/support/first_requests.py). What the import leaves for later (contract models built on first use,
fpdf, segno, phonenumbers, email-validator imported where they are used) must be there, and right, when a request
needs it. The import itself is measured by bench/cold_start.py; tests/unit/test_cold_start.py keeps it light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.environment import ELSEWHERE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def first() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ELSEWHERE and not k.startswith("AGORA_")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.first_requests"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_import_leaves_the_deferred_libraries_to_the_requests_that_use_them(first):
    assert first["loaded_by_import"] == []
    assert {"fpdf", "segno", "phonenumbers", "email_validator"} <= set(first["loaded_by_calls"])


def test_each_kind_of_entry_point_answers_right_the_first_time(first):
    calls = first["calls"]
    json_type, pdf, html = "application/json", "application/pdf", "text/html; charset=utf-8"
    for name, status, kind, head in [
        ("public_json", 200, json_type, '{"sta'),
        ("create", 201, json_type, '{"id"'),
        ("list_with_query", 200, json_type, '{"ite'),
        ("json_from_domain", 200, json_type, '{"ord'),
        ("pdf", 200, pdf, "%PDF-"),
        ("public_page", 200, html, "<!DOC"),
        ("public_answer", 200, json_type, "{"),
        ("pdf_with_qr_codes", 200, pdf, "%PDF-"),
        ("openapi", 200, json_type, '{"ope'),
    ]:
        answered = calls[name]
        assert (answered["status"], answered["type"]) == (status, kind), (name, answered)
        assert answered["head"].startswith(head), (name, answered)
    # The validators the models defer run on the first body: normalised email and E.164 phone, French 422.
    assert calls["stored_email"] == ["Anne.Martin@exemple.fr"] and calls["stored_phone"] == ["+33612345678"]
    assert calls["refused"]["status"] == 422
    assert calls["refused"]["details"] == [{"field": "emails[0]", "message": "Adresse électronique invalide."}]
    # A queue job and a schedule, each through its Lambda handler.
    assert calls["queue_job_audit_entries"] > 0
    assert calls["schedule"]["failed"] == 0 and "sent" in calls["schedule"]
