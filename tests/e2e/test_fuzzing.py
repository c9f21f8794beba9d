"""The API fuzzed against its own OpenAPI document on the local stack, as each role: schemathesis generates requests
from the document (its examples, the boundaries and the wrong values of every parameter and body, random ones) and
checks that no answer is a 5xx and that every status, media type and body is one the document declares.

The stack is this module's own (the demo tenants, seeded as `make run` seeds them): whatever the fuzzing creates or
changes stays there. The seed is fixed, so that a failure found in CI is found again on a developer's machine; the
counts of the run are printed. Budget: about four minutes on CI's two cores, most of it the boundary cases
(coverage phase) as the administrator, who reaches every route; the other roles get the examples and random
requests, which also meet their 403s.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import token

pytestmark = pytest.mark.e2e

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = "20261205"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@dataclass(frozen=True)
class Run:
    tenant: str
    role: str
    phases: str
    max_examples: int
    # Two threads building their first strategies at once can break Python 3.11's ast module inside Hypothesis
    # (« AST constructor recursion depth mismatch », a Runtime Error of schemathesis, not of the API): the short
    # runs use one; the long one starts with its single-threaded coverage phase, then fuzzes with two.
    workers: int = 1


# The administrator last: schemathesis reuses the ids it reads in answers, and an administrator may delete the
# other users (DELETE /users/{id}), whose runs would then meet only 401s.
RUNS = [
    Run("ville-demo", "protocole", "examples,fuzzing", 2),
    Run("ville-demo", "communication", "examples,fuzzing", 2),
    Run("ville-demo", "lecteur", "examples,fuzzing", 2),
    Run("liste-demo", "admin", "examples,fuzzing", 2),
    Run("ville-demo", "admin", "examples,coverage,fuzzing", 2, workers=2),
]


def fuzz(state: dict[str, Any], run: Run, report: Path) -> dict[str, Any]:
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{state['api_url']}/openapi.json",
        "--header",
        f"Authorization: Bearer {token(state, run.tenant, run.role)}",
        "--checks",
        CHECKS,
        "--phases",
        run.phases,
        "--max-examples",
        str(run.max_examples),
        "--seed",
        SEED,
        "--workers",
        str(run.workers),
        "--no-shrink",
        "--no-color",
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if not report.exists():
        pytest.fail(f"schemathesis did not run:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    outcome = dict(json.loads(report.read_text()))
    outcome["output"] = result.stdout
    return outcome


def _sections(output: str) -> str:
    """Schemathesis's account of a failed run: its FAILURES and ERRORS sections whole (which operation, which
    request, what went wrong), which its long list of warnings can push out of the output's tail, then the tail."""
    found = re.findall(r"^=+ (?:FAILURES|ERRORS) =+$.*?(?=^=+ [A-Z]+ =+$|\Z)", output, re.M | re.S)
    return "".join(section[:6000] for section in found) + output[-3000:]


def test_no_5xx_and_every_answer_as_the_document_declares_for_each_role(
    stack: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, _, _ = stack
    header = f"{'tenant/role':<28} {'phases':<27} {'tested':>6} {'cases':>6} {'failed':>6} {'s':>5}"
    lines = [f"schemathesis, seed {SEED}: {header}"]
    problems: list[str] = []
    for run in RUNS:
        started = time.monotonic()
        outcome = fuzz(state, run, tmp_path / f"{run.tenant}-{run.role}.json")
        operations, cases = outcome["operations"], outcome["test_cases"]
        lines.append(
            f"  {run.tenant + '/' + run.role:<28} {run.phases:<27} {operations['tested']:>6} {cases['generated']:>6}"
            f" {cases['with_failures']:>6} {time.monotonic() - started:>5.0f}"
        )
        if outcome["exit_code"] != 0 or outcome["failures"] or outcome["errors"]:
            problems.append(f"{run.tenant}/{run.role}:\n{_sections(outcome['output'])}")
        # Every operation of the document was reached (but one that has nothing to generate: no parameter, no body),
        # by enough cases that a quiet run cannot pass for a thorough one.
        said = outcome["output"][-6000:]  # schemathesis's own account: which operation errored, and how
        assert operations["tested"] + operations["skipped"] == operations["total"] > 100, (run, operations, said)
        assert operations["skipped"] <= 1 and operations["errored"] == 0, (run, operations, said)
        assert cases["generated"] >= 1.5 * operations["tested"], (run, cases)  # about two per operation at least
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert problems == []
