"""What `import app` loads in the prod stage, as a Lambda cold start imports it: not the libraries that only some
routes or jobs use (they are imported where they are used), not the route modules (imported on the first request
to one of their routes, api/routes.py), not the local stage's own modules, and no contract model built before a
request needs it (pydantic's defer_build, schemas/common.Model). Each would put back a share of every cold start;
bench/cold_start.py measures the import, tests/api/test_cold_start.py the first requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cold_start import PROD_STAGE
from chalicelib.api.routes import modules
from tests.support.environment import ELSEWHERE

ROOT = Path(__file__).resolve().parents[2]

# Imported by the code that prints, draws QR codes, writes workbooks and calendars, verifies tokens locally, checks
# an address or a number; the local stage's modules (the outbox, Swagger UI, the token check with its JWT
# libraries).
DEFERRED = (
    "fpdf",
    "fontTools",
    "PIL",
    "cryptography",
    "segno",
    "openpyxl",
    "phonenumbers",
    "email_validator",
    "holidays",
    "icalendar",
    "jwt",
    "requests",
    "aws_lambda_powertools.utilities.batch",
    "chalicelib.printing.document",
    "chalicelib.local_auth",
    "chalicelib.api.dev",
    "chalicelib.api.docs",
    # The HTTP pipeline's own (audit log, Idempotency-Key records, the tenants' table, their AWS clients; request
    # parsing): imported by the first request, as the queue jobs' and schedules' functions never answer one.
    "chalicelib.services.audit",
    "chalicelib.services.idempotency",
    "chalicelib.services.tenant_access",
    "chalicelib.store.entities",
    "chalicelib.schemas.validation",
    "boto3",
)

PROBE = """
import json, sys
import app
import pydantic

def models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)

built = sorted(
    f"{m.__module__}.{m.__qualname__}"
    for m in set(models(pydantic.BaseModel))
    if m.__module__.startswith("chalicelib.")
    and m.__module__ != "chalicelib.settings"  # read at import: the stage decides which routes exist
    and m.__pydantic_complete__
    and not m.__pydantic_generic_metadata__["parameters"]  # a generic's origin (Page): never validates itself
)
print(json.dumps({"modules": sorted(sys.modules), "built": built}))
"""


@pytest.fixture(scope="module")
def prod_import() -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ELSEWHERE and not k.startswith("AGORA_")}
    env.update(PROD_STAGE)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_prod_import_leaves_out_what_only_some_requests_use(prod_import):
    loaded = set(prod_import["modules"])
    assert "app" in loaded and "chalicelib.api.routes" in loaded  # the probe did import the app
    assert [name for name in DEFERRED if name in loaded] == []


def test_the_prod_import_leaves_the_route_modules_to_their_first_request(prod_import):
    """app.py registers the routes from api/routes.py's manifest; a route's module (its services, its models) is
    imported when one of its routes is first called."""
    loaded = set(prod_import["modules"])
    assert [name for name in modules() if name in loaded] == []


def test_no_contract_model_is_built_by_the_import(prod_import):
    assert prod_import["built"] == []
