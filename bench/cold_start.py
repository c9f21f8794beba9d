"""Cold start: `import app` as a prod Lambda imports it, against the core stack every function needs anyway.

Every cold start of every function imports app.py before it answers. The floor is the core stack (Chalice,
PynamoDB, boto3, pydantic, Jinja2, Powertools' Logger, Metrics and Tracer); what our code adds on top of it is
what this bench watches. Fresh interpreters, the two imports alternated (machine load hits both alike), medians;
then one `python -X importtime -c 'import app'` run names the 15 modules with the largest cumulative import time.
The environment is the prod stage's (the variables tests/e2e/test_lambda_package.py gives the package): the
local-only modules must stay out of that import. Importing touches no network.

    python -m bench.cold_start [--rounds N] [--small]

Prints the ratio app / core measured in this run against the 1.25 target; asserts nothing on time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench.report import BenchFailure, Column, Table, heading, notes, options, ratio, run_bench
from bench.run import PROJECT, UNSET
from infra.prod_stage import PROD_STAGE  # the prod stage's variables, placeholders

TARGET = 1.25

# The core stack: what any function of this app imports, whatever it does.
CORE = """
import boto3
import chalice.app
import jinja2
import pydantic
import pynamodb.attributes
import pynamodb.models
from aws_lambda_powertools import Logger, Metrics, Tracer
"""
APP = "import app"

# The import, then the first request a function answers: GET /health as API Gateway hands it to the handler. The
# routes' modules and the HTTP pipeline's (audit log, tenants, their AWS clients) are imported by the first request
# that needs them (api/routes.py): this line shows what moved from the import to that request. /health reaches no
# AWS service.
FIRST_REQUEST = """
import app
event = {
    "resource": "/health", "path": "/health", "httpMethod": "GET", "headers": {"accept": "application/json"},
    "multiValueHeaders": {"accept": ["application/json"]}, "queryStringParameters": None,
    "multiValueQueryStringParameters": None, "pathParameters": None, "stageVariables": None, "body": None,
    "isBase64Encoded": False, "requestContext": {"resourcePath": "/health", "httpMethod": "GET", "requestId": "cold"},
}
class Context:
    function_name, aws_request_id, memory_limit_in_mb, invoked_function_arn = "agora", "cold", 128, "arn"
    def get_remaining_time_in_millis(self): return 30000
assert app.app(event, Context())["statusCode"] == 200
"""

# Runs in a fresh interpreter: the statements in argv[1], timed (interpreter start-up excluded).
PROBE = """
import json, sys, time
start = time.perf_counter()
exec(sys.argv[1], {})
print(json.dumps({"ms": (time.perf_counter() - start) * 1000}))
"""


def prod_env() -> dict[str, str]:
    """This process's environment without what points elsewhere (nor the local stage's variables), plus prod's."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith(("AGORA_", "POWERTOOLS_"))}
    env.update(PROD_STAGE)
    return env


def python(*args: str, what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=prod_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchFailure(f"{what} failed:\n{result.stderr.strip()[-3000:]}")
    return result


def timed(code: str) -> float:
    """Milliseconds `code` takes to run in a fresh interpreter."""
    result = python("-c", PROBE, code, what=f"running {code.strip()!r}")
    return float(json.loads(result.stdout.strip().splitlines()[-1])["ms"])


def heaviest_imports(count: int) -> list[tuple[int, int, str]]:
    """(cumulative µs, self µs, module) of the `count` imports with the largest cumulative time, in `import app`."""
    result = python("-X", "importtime", "-c", APP, what="python -X importtime -c 'import app'")
    lines: list[tuple[int, int, str]] = []
    for raw in result.stderr.splitlines():
        if not raw.startswith("import time:") or "[us]" in raw:
            continue
        self_us, cumulative_us, name = raw.removeprefix("import time:").split("|", 2)
        lines.append((int(cumulative_us), int(self_us), name.rstrip()))
    # Post-order: the `app` line closes its block, which starts after the previous top-level line.
    end = max(i for i, (_, _, name) in enumerate(lines) if name.strip() == "app" and not name.startswith("  "))
    start = max((i for i in range(end) if not lines[i][2].startswith("  ")), default=-1) + 1
    return sorted(lines[start : end + 1], key=lambda line: -line[0])[:count]


def measure(rounds: int) -> None:
    timed(APP)  # warm-up: .pyc files are written before timing
    core_ms: list[float] = []
    app_ms: list[float] = []
    first_ms: list[float] = []
    for _ in range(rounds):
        core_ms.append(timed(CORE))
        app_ms.append(timed(APP))
        first_ms.append(timed(FIRST_REQUEST))
    core, app, first = statistics.median(core_ms), statistics.median(app_ms), statistics.median(first_ms)

    heading(f"Cold start, prod stage (fresh interpreter each time, start-up excluded, median of {rounds} rounds)")
    table = Table("import", 28, Column("median ms", 10, ".1f"), Column("rounds (ms)", 40, align="<"), indent="  ")
    table.header()
    table.row("core stack", core, " " + " ".join(f"{v:.0f}" for v in core_ms))
    table.row("app", app, " " + " ".join(f"{v:.0f}" for v in app_ms))
    table.row("app + first GET /health", first, " " + " ".join(f"{v:.0f}" for v in first_ms))
    verdict = "met" if app <= TARGET * core else "NOT met"
    print(f"  ratio app / core stack {ratio(app, core)}   (target ≤ {TARGET:.2f}: {verdict})")
    print(f"  ratio app + first GET /health / core stack {ratio(first, core)}")
    print()
    print("  the 15 largest cumulative import times of one `python -X importtime -c 'import app'` run:")
    ranked = Table("module", 56, Column("cumul. ms", 10, ".1f"), Column("self ms", 8, ".1f"), indent="    ")
    ranked.header()
    for cumulative_us, self_us, name in heaviest_imports(15):
        ranked.row(name, cumulative_us / 1000, self_us / 1000)
    print()
    notes(
        "notes",
        [
            "core stack: " + ", ".join(line.removeprefix("import ") for line in CORE.strip().splitlines()),
            "-X importtime adds its own overhead: its figures rank the imports, the medians above measure them",
            "first GET /health: the import plus the first request's own imports (pipeline, one route module)",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.cold_start", __doc__, "CI size: 3 rounds instead of 7")
    parser.add_argument("--rounds", type=int, help="fresh interpreters per import (default 7; --small 3)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.small else 7)
    return run_bench(lambda: measure(rounds))


if __name__ == "__main__":
    sys.exit(main())
