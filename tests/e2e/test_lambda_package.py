"""The prod Lambda package itself, built as `infra/package.sh prod` builds it, run with nothing but its own
contents and the standard library (`python -S`: no site-packages, so no dev dependency and nothing this machine
happens to have): the app imports and one entry point of each kind answers, against the local stack's embedded
AWS. A runtime dependency missing from requirements.txt, or something the slimming removed that a function reads,
fails here rather than in AWS. The package also stays within its budget (80 MB unpacked, 25 MB zipped).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bench.package import UNPACKED_BUDGET, ZIPPED_BUDGET, build, measure
from infra.requirements import foreign_builds

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "support" / "lambda_probe.py"
# Kept out of the package on purpose: the local stage's token check and Swagger UI, the test tools.
NEVER_PACKAGED = {"jwt", "cryptography", "requests", "swagger_ui", "yaml", "moto", "pytest", "chalicelib_dev"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(zip, unpacked directory) of the prod package."""
    out = tmp_path_factory.mktemp("package")
    zip_path = build(out, "prod")
    unpacked = out / "unpacked"
    with zipfile.ZipFile(zip_path) as zipped:
        zipped.extractall(unpacked)
    return zip_path, unpacked


def _claims(state: dict[str, Any], tenant_id: str) -> dict[str, str]:
    tenant = next(t for t in state["tenants"] if t["id"] == tenant_id)
    admin = next(u for u in tenant["users"] if "admin" in u["roles"])
    return {
        "sub": "probe-admin",
        "email": admin["email"],
        "custom:tenant_id": tenant_id,
        "custom:tenant_kind": tenant["kind"],
        "cognito:groups": "admin",
    }


def _run(unpacked: Path, state: dict[str, Any], calls: list[dict[str, Any]]) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "AGORA_STAGE": "prod",
        "AGORA_TABLE_PREFIX": "agora-local-",  # the local stack's tables, queues and bucket
        "AGORA_FILES_BUCKET": "agora-local-files",
        "AGORA_USER_POOL_ID": state["user_pool_id"],
        "AGORA_USER_POOL_CLIENT_ID": state["client_id"],
        "AGORA_LINK_SECRETS": "probe-secret-of-at-least-thirty-two-bytes",
        "AGORA_ERASURE_SECRET": "probe-erasure-key-of-at-least-thirty-two-bytes",  # the stack's ErasureSecret
        "AGORA_PUBLIC_BASE_URL": "https://mairie.example",
        "AWS_ENDPOINT_URL": state["aws_endpoint_url"],
        "AWS_DEFAULT_REGION": state["region"],
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "POWERTOOLS_SERVICE_NAME": "agora",
        "POWERTOOLS_METRICS_NAMESPACE": "Agora",
        "PYTHONPATH": str(unpacked),  # read with -S: the package only, as Lambda's /var/task
    }
    done = subprocess.run(
        [sys.executable, "-S", "-c", f"import runpy; runpy.run_path({str(PROBE)!r}, run_name='__main__')"],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        cwd=unpacked,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    last = done.stdout.strip().splitlines()[-1]
    return dict(json.loads(last))


def test_the_package_fits_its_budget(package: tuple[Path, Path]) -> None:
    size = measure(package[0])
    assert size.unpacked <= UNPACKED_BUDGET, size.folders[:10]
    assert size.zipped <= ZIPPED_BUDGET
    top = {name for name, _ in size.folders}
    assert not (top & NEVER_PACKAGED), top & NEVER_PACKAGED


def test_every_compiled_dependency_is_a_wheel_built_for_lambdas_glibc(package: tuple[Path, Path]) -> None:
    """chalice package compiles from source, on this machine, what has no wheel for Lambda's glibc: such a build
    links this machine's glibc and libraries, and fails to load in AWS."""
    assert foreign_builds(package[1]) == []


def test_every_kind_of_entry_point_runs_from_the_package_alone(stack, package: tuple[Path, Path]) -> None:
    state = stack[0]
    claims = _claims(state, "ville-demo")
    contact = {
        "kind": "person",
        "civility": "M",
        "first_name": "Paul",
        "last_name": "Probe",
        "phones": ["06 12 34 56 78"],
    }
    event = {"title": "Cérémonie de test", "kind": "autre", "starts_at": "2027-03-01T18:00:00+01:00"}
    calls: list[dict[str, Any]] = [
        {"kind": "http", "method": "GET", "resource": "/health", "path": "/health"},
        {"kind": "http", "method": "GET", "resource": "/openapi.json", "path": "/openapi.json"},
        {
            "kind": "http",
            "method": "GET",
            "resource": "/{fallback1}",
            "path": "/docs",
            "params": {"fallback1": "docs"},
        },
        {"kind": "http", "method": "GET", "resource": "/contacts", "path": "/contacts", "claims": claims},
        {
            "kind": "http",
            "method": "POST",
            "resource": "/contacts",
            "path": "/contacts",
            "claims": claims,
            "body": contact,
        },
        {"kind": "http", "method": "POST", "resource": "/events", "path": "/events", "claims": claims, "body": event},
        {
            "kind": "http",
            "method": "GET",
            "resource": "/public/rsvp/{token}",
            "path": "/public/rsvp/unknown",
            "params": {"token": "unknown"},
        },
        {
            "kind": "sqs",
            "handler": "write_audit",
            "queue": "agora-local-audit",
            "bodies": [
                [
                    {
                        "tenant_id": "ville-demo",
                        "entry_id": "2026-12-04T08:00:00.000Z#01JPROBE0000000000000000000",
                        "at": "2026-12-04T08:00:00.000Z",
                        "actor_id": "probe-admin",
                        "actor_email": None,
                        "action": "read",
                        "resource_type": "contact",
                        "resource_id": "probe",
                        "detail": None,
                    }
                ]
            ],
        },
        {"kind": "schedule", "handler": "send_reminders"},
        {"kind": "schedule", "handler": "check_electoral_calendar"},
    ]
    out = _run(package[1], state, calls)
    health, document, docs, listed, created, event_made, rsvp, audit, reminders, electoral = out["results"]
    for result in out["results"]:
        assert "error" not in result, result
    assert health["status"] == 200 and json.loads(health["body"])["stage"] == "prod"
    assert "/contacts" in json.loads(document["body"])["paths"]
    assert docs["status"] == 404  # Swagger UI is the local stage's only
    assert listed["status"] == 200 and json.loads(listed["body"])["items"]
    assert created["status"] == 201, created["body"]
    assert json.loads(created["body"])["phones"] == ["+33612345678"]  # phonenumberslite parses as phonenumbers did
    assert event_made["status"] == 201, event_made
    assert rsvp["status"] == 404 and rsvp["headers"]["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in rsvp["body"]  # the French page, rendered from the packaged templates
    assert audit["result"] == {"batchItemFailures": []}
    assert isinstance(reminders["result"], dict) and isinstance(electoral["result"], dict)
    assert not (set(out["modules"]) & NEVER_PACKAGED), set(out["modules"]) & NEVER_PACKAGED


def test_pdf_documents_render_from_the_package(stack, package: tuple[Path, Path]) -> None:
    """fpdf2, its fonts support (fontTools) and the embedded fonts: the attendance sheet of an event."""
    state = stack[0]
    claims = _claims(state, "ville-demo")
    event = {"title": "Vœux du maire (test)", "kind": "voeux", "starts_at": "2027-01-15T18:30:00+01:00"}
    made = _run(
        package[1],
        state,
        [{"kind": "http", "method": "POST", "resource": "/events", "path": "/events", "claims": claims, "body": event}],
    )["results"][0]
    assert made.get("status") == 201, made
    event_id = json.loads(made["body"])["id"]
    sheet = _run(
        package[1],
        state,
        [
            {
                "kind": "http",
                "method": "GET",
                "resource": "/events/{event_id}/attendance-sheet",
                "path": f"/events/{event_id}/attendance-sheet",
                "params": {"event_id": event_id},
                "claims": claims,
                "headers": {"Accept": "application/pdf"},
            }
        ],
    )["results"][0]
    assert sheet.get("status") == 200, sheet
    assert bytes.fromhex(sheet["bytes_head"]).startswith(b"%PDF")
