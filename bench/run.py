"""First benchmark: import cost of the app vs its dependencies, DynamoDB calls per request.

    .venv/bin/python -m bench.run [--contacts N] [--small] [--rounds R]

1. Import cost. Fresh interpreters, several rounds, medians: `import app` vs importing only the
   third-party modules it loads (those named by the import statements of app.py and chalicelib/,
   in the order `import app` loads them, plus any submodule our code reaches lazily), so both
   run the same third-party code. The ratio is what our own code adds on top of its
   dependencies; one `-X importtime` run shows where our share goes.
2. DynamoDB calls. Under moto, two tenants of different sizes share the tables; every request
   goes through the real HTTP path (chalice.test.Client, stage `local`, Cognito ID token) and
   every AWS call is counted on botocore's `before-call` event of every client (boto3's and
   PynamoDB's own). A selective query should cost the same at both sizes: B/A ≈ 1.

Prints ratios of figures measured in this one run, never absolute times (machines differ); asserts nothing on time.
Exits non-zero only if something fails (a request errors or returns the wrong contacts).
"""

from __future__ import annotations

import ast
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.report import BenchFailure, Column, Table, heading, notes, options, ratio, run_bench, stopwatch
from tests.support.environment import ELSEWHERE, LOCAL_STAGE

PROJECT = Path(__file__).resolve().parent.parent
OWN_PACKAGES = frozenset({"app", "chalicelib"})

# The tests' environment (tests/conftest.py: the `local` stage of .chalice/config.json, fake credentials): set
# before moto, boto3 or the app are imported, in every bench and in the import-time subprocesses. Without the EMF
# metric lines each request and job writes (chalicelib/observability.py): they would bury the tables.
QUIET = {"POWERTOOLS_METRICS_DISABLED": "1"}
BENCH_ENV = {**LOCAL_STAGE, **QUIET}
# PYTHONDONTWRITEBYTECODE would make every import of our code a compile, unlike the installed packages.
UNSET = (*ELSEWHERE, "PYTHONDONTWRITEBYTECODE")


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(BENCH_ENV)
    return env


def use_bench_environment() -> None:
    """What every bench does first: BENCH_ENV in this process, nothing pointing elsewhere, the project importable."""
    os.environ.update(BENCH_ENV)
    for name in UNSET:
        os.environ.pop(name, None)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))


# ---------------------------------------------------------------------------------------------
# 1. Import cost
# ---------------------------------------------------------------------------------------------

# Runs in a fresh interpreter: imports the modules named in argv[1] and reports the time taken
# (interpreter start-up excluded) and every module then loaded, in the order they were loaded.
PROBE = """
import importlib, json, sys, time
names = json.loads(sys.argv[1])
start = time.perf_counter()
for name in names:
    importlib.import_module(name)
elapsed = time.perf_counter() - start
print(json.dumps({"ms": elapsed * 1000, "modules": list(sys.modules)}))
"""


def top(module: str) -> str:
    return module.partition(".")[0]


def is_third_party(module: str) -> bool:
    name = top(module)
    return name not in OWN_PACKAGES and name not in sys.stdlib_module_names and name != "__future__"


def third_party_imports() -> list[str]:
    """Every third-party module named by an import statement of app.py or chalicelib/."""
    found: set[str] = set()
    for path in [PROJECT / "app.py", *sorted((PROJECT / "chalicelib").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(n for n in names if is_third_party(n))
    return sorted(found)


def python(*args: str, what: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter in the project with the bench's environment; BenchFailure (saying `what`) if it fails."""
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=bench_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchFailure(f"{what} failed:\n{result.stderr.strip()}")
    return result


def probe(modules: list[str]) -> tuple[float, list[str]]:
    result = python("-c", PROBE, json.dumps(modules), what=f"importing {modules}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return float(data["ms"]), list(data["modules"])


@dataclass
class ImportTimeLine:
    self_us: int
    depth: int
    module: str


def importtime_of_app() -> list[ImportTimeLine]:
    """The `-X importtime` lines of `import app` only (interpreter start-up imports left out)."""
    result = python("-X", "importtime", "-c", "import app", what="python -X importtime -c 'import app'")
    lines: list[ImportTimeLine] = []
    for raw in result.stderr.splitlines():
        if not raw.startswith("import time:") or "[us]" in raw:
            continue
        self_us, _cumulative, name = raw.removeprefix("import time:").split("|", 2)
        stripped = name.lstrip(" ")
        lines.append(ImportTimeLine(int(self_us), (len(name) - len(stripped) - 1) // 2, stripped.strip()))
    # Post-order: the `app` line closes its block, which starts after the previous top-level line.
    end = max(i for i, line in enumerate(lines) if line.depth == 0 and line.module == "app")
    start = max((i for i in range(end) if lines[i].depth == 0), default=-1) + 1
    return lines[start : end + 1]


def dependency_modules() -> tuple[list[str], list[str], list[str], list[str]]:
    """(what `import app` loads, third-party modules it names, others it loads, named but not loaded).

    The third-party modules named by our import statements, in the order `import app` loads them
    (order matters: powertools' batch utility loads its pydantic models only if pydantic is already
    there), then any third-party module they did not bring but `import app` did (submodules our
    code reaches lazily, such as pydantic.networks): the same third-party code, without ours.
    """
    named = third_party_imports()
    _, app_modules = probe(["app"])  # also the warm-up: .pyc files are written before timing
    position = {m: n for n, m in enumerate(app_modules)}
    deps = sorted((m for m in named if m in position), key=position.__getitem__)
    _, loaded = probe(deps)
    seen = set(loaded)
    extra = [m for m in app_modules if is_third_party(m) and m not in seen]
    return app_modules, deps, extra, sorted(m for m in named if m not in position)


def import_section(rounds: int) -> None:
    app_modules, named, extra, not_loaded = dependency_modules()
    deps = named + extra
    app_ms: list[float] = []
    deps_ms: list[float] = []
    for _ in range(rounds):  # alternate, so drift in machine load hits both alike
        app_ms.append(probe(["app"])[0])
        ms, deps_modules = probe(deps)
        deps_ms.append(ms)
    app_median, deps_median = statistics.median(app_ms), statistics.median(deps_ms)
    app_third = {m for m in app_modules if is_third_party(m)}
    deps_third = {m for m in deps_modules if is_third_party(m)}

    heading(f"Import cost (fresh interpreter each time, start-up excluded, median of {rounds} rounds)")
    print(f"third-party modules named by app.py and chalicelib, in load order: {', '.join(named)}")
    if extra:
        print(f"  + loaded by `import app` through our code, not by the above: {', '.join(extra)}")
    if not_loaded:
        print(f"  (imported in chalicelib only where `import app` does not run it, left out: {', '.join(not_loaded)})")
    print(
        f"  same third-party code as `import app`: {len(app_third & deps_third)} of its {len(app_third)} "
        f"third-party modules; {len(deps_third - app_third)} more"
    )
    print(f"  import app                    {app_median:8.1f} ms   (rounds: {_spread(app_ms)})")
    print(f"  import third-party only       {deps_median:8.1f} ms   (rounds: {_spread(deps_ms)})")
    print(f"  ratio app / third-party       {app_median / deps_median:8.2f}")
    print(
        f"  own-code overhead             {app_median - deps_median:8.1f} ms "
        f"= {(app_median - deps_median) / app_median:.0%} of the app import"
    )

    lines = importtime_of_app()
    by_kind: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for line in lines:
        if top(line.module) in OWN_PACKAGES:
            by_kind["own code (app, chalicelib)"] += line.self_us
            own[line.module] += line.self_us
        elif top(line.module) in sys.stdlib_module_names:
            by_kind["standard library"] += line.self_us
        else:
            by_kind["third-party"] += line.self_us
    total = sum(by_kind.values())
    print("  one `python -X importtime -c 'import app'` run, self time by origin (same run):")
    for kind, us in by_kind.most_common():
        print(f"    {kind:30} {us / 1000:8.1f} ms  {us / total:5.1%}")
    heaviest = ", ".join(f"{m} {us / 1000:.1f} ms" for m, us in own.most_common(5))
    print(f"    own modules with the most self time: {heaviest}")
    print()


def _spread(values: list[float]) -> str:
    return " ".join(f"{v:.0f}" for v in values)


# ---------------------------------------------------------------------------------------------
# 2. AWS calls per request
# ---------------------------------------------------------------------------------------------


@dataclass
class Calls:
    """AWS API calls made during one measured step."""

    operations: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Items DynamoDB returned, per operation: index entries, contacts, interactions, tasks.
    items: Counter[str] = field(default_factory=Counter)
    # Seconds spent inside each service's calls, from botocore's provide-client-params event to its after-call
    # event: the request built and sent, the server's work, the answer parsed (on moto, moto's own work included).
    seconds: Counter[str] = field(default_factory=Counter)

    @property
    def dynamodb(self) -> int:
        return sum(n for (service, _), n in self.operations.items() if service == "dynamodb")

    @property
    def items_read(self) -> int:
        return sum(self.items.values())

    def describe(self, dynamodb: bool, with_items: bool = True, leave_out: tuple[str, ...] = ()) -> str:
        """The DynamoDB calls (with the items each operation read), or the other AWS calls but `leave_out`'s."""
        parts: list[str] = []
        for (service, op), n in sorted(self.operations.items()):
            if (service == "dynamodb") != dynamodb or service in leave_out:
                continue
            text = f"{op}×{n}" if dynamodb else f"{service}.{op}×{n}"
            parts.append(f"{text}: {self.items[op]} read" if dynamodb and with_items else text)
        return ", ".join(parts) or "none"

    def elsewhere(self, *leave_out: str) -> int:
        """Calls to AWS services other than DynamoDB and `leave_out`."""
        return sum(n for (service, _), n in self.operations.items() if service not in ("dynamodb", *leave_out))


COUNTED = "calls counted on every botocore client's 'before-call' event"


class AwsMeter:
    """Counts API calls of every botocore client, boto3's and PynamoDB's own alike.

    Each client gets handlers on its `before-call` event (once per API call, retries excluded),
    its `after-call` event (to count the items DynamoDB returned) and its `provide-client-params`
    event (the start of a call, to time it). Installed before any client exists, by wrapping the
    one place botocore builds clients; moto is imported right after.
    """

    calls_type: type[Calls] = Calls  # what measure() counts into: a subclass's meter counts more

    def __init__(self) -> None:
        self.current: Calls | None = None
        self._started: float | None = None

    def install(self) -> None:
        import botocore.client

        original = botocore.client.ClientCreator.create_client
        meter = self

        def create_client(creator: Any, *args: Any, **kwargs: Any) -> Any:
            client = original(creator, *args, **kwargs)
            client.meta.events.register("provide-client-params", meter.start_call)
            client.meta.events.register("before-call", meter.before_call)
            client.meta.events.register("after-call", meter.after_call)
            return client

        botocore.client.ClientCreator.create_client = create_client  # type: ignore[method-assign]
        import moto  # noqa: F401  (before any boto3 client exists)

    def start_call(self, **_: Any) -> None:  # must return None: a value would replace the call's parameters
        self._started = time.perf_counter() if self.current is not None else None

    def before_call(self, model: Any, **_: Any) -> None:  # must return None: a value would replace the call
        if self.current is not None:
            self.current.operations[(model.service_model.service_name, model.name)] += 1

    def after_call(self, model: Any, parsed: Any, **_: Any) -> None:
        if self.current is not None and self._started is not None:
            self.current.seconds[model.service_model.service_name] += time.perf_counter() - self._started
            self._started = None
        if self.current is None or model.service_model.service_name != "dynamodb" or not isinstance(parsed, dict):
            return
        if "Count" in parsed:  # Query, Scan
            self.current.items[model.name] += int(parsed["Count"])
        elif model.name == "GetItem":
            self.current.items[model.name] += int("Item" in parsed)
        elif model.name == "BatchGetItem":
            self.current.items[model.name] += sum(len(v) for v in (parsed.get("Responses") or {}).values())
        elif model.name == "TransactGetItems":
            self.current.items[model.name] += len(parsed.get("Responses") or [])

    @contextmanager
    def counting(self, calls: Calls) -> Iterator[Calls]:
        """The block's calls counted into `calls` (one of several blocks counted together)."""
        self.current = calls
        try:
            yield calls
        finally:
            self.current = None

    @contextmanager
    def measure(self) -> Iterator[Any]:
        """The block's calls, counted into a new `calls_type`."""
        with self.counting(self.calls_type()) as calls:
            yield calls


PASSWORD = "Bench-Password-1"
MIN_SIZE = 80  # the demo seed's 40 organisations and élus, 2 needles, enough people for two pages
# Contacts that exist once in each tenant, so selective queries return the same thing at both sizes.
# No seeded first, last or organisation name starts with "apolline", "queneherve" or "yse";
# "Marchand" is a common seeded last name (Ysé Marchand is found through it: the longest word drives).
NEEDLE = {"kind": "person", "civility": "Mme", "first_name": "Apolline", "last_name": "Quénéhervé"}
NEEDLE_COMMON = {"kind": "person", "civility": "Mme", "first_name": "Ysé", "last_name": "Marchand"}
RARE_TAG = "bench rare"
INTERACTIONS = 3


@dataclass
class Op:
    name: str
    params: Callable[[Any], dict[str, str]] | None  # query string, from the tenant's fixture
    minimum: int  # fewest DynamoDB calls that can answer it
    minimum_how: str
    expect: Callable[[Any, dict[str, Any]], None]  # raises BenchFailure on a wrong answer
    view: bool = False


@dataclass
class BenchTenant:
    id: str
    size: int
    token: str = ""
    needle_id: str = ""
    needle_common_id: str = ""
    page2_cursor: str = ""


def _ids(body: dict[str, Any]) -> list[str]:
    return [c["id"] for c in body["items"]]


def _expect_ids(wanted: Callable[[BenchTenant], list[str]]) -> Callable[[BenchTenant, dict[str, Any]], None]:
    def check(t: BenchTenant, body: dict[str, Any]) -> None:
        if _ids(body) != wanted(t) or body["next_cursor"] is not None:
            raise BenchFailure(f"expected {wanted(t)} and no cursor, got {_ids(body)}, cursor {body['next_cursor']}")

    return check


def _expect_page(t: BenchTenant, body: dict[str, Any]) -> None:
    if len(body["items"]) != 25 or body["next_cursor"] is None:
        raise BenchFailure(f"expected a full page of 25 with a cursor, got {len(body['items'])}")


def _expect_some(t: BenchTenant, body: dict[str, Any]) -> None:
    if not body["items"]:
        raise BenchFailure("expected at least one contact")


def _expect_view(t: BenchTenant, body: dict[str, Any]) -> None:
    shape = (body["contact"]["id"], len(body["interactions"]), len(body["open_tasks"]))
    if shape != (t.needle_id, INTERACTIONS, 1):
        raise BenchFailure(f"unexpected 360° view: {len(body['interactions'])} interactions, {body['open_tasks']}")


OPS = [
    Op("list, page 1 (limit 25)", lambda t: {"limit": "25"}, 2, "Query + BatchGetItem", _expect_page),
    Op(
        "list, page 2 (cursor)",
        lambda t: {"limit": "25", "cursor": t.page2_cursor},
        2,
        "Query + BatchGetItem",
        _expect_page,
    ),
    Op(
        'q="quénéhervé" (rare last name)',
        lambda t: {"q": "quénéhervé"},
        2,
        "Query + BatchGetItem",
        _expect_ids(lambda t: [t.needle_id]),
    ),
    Op(
        'q="apolline quénéhervé"',
        lambda t: {"q": "apolline quénéhervé"},
        2,
        "Query + BatchGetItem",
        _expect_ids(lambda t: [t.needle_id]),
    ),
    Op(
        'q="ysé marchand" (common last)',
        lambda t: {"q": "ysé marchand"},
        2,
        "Query + BatchGetItem",
        _expect_ids(lambda t: [t.needle_common_id]),
    ),
    Op('q="zzyzx" (no match)', lambda t: {"q": "zzyzx"}, 1, "Query", _expect_ids(lambda t: [])),
    Op(
        f'tag="{RARE_TAG}" (rare tag)',
        lambda t: {"tag": RARE_TAG},
        2,
        "Query + BatchGetItem",
        _expect_ids(lambda t: [t.needle_common_id, t.needle_id]),  # by last name: Marchand, Quénéhervé
    ),
    Op(
        'tag="riverain" (limit 25)',
        lambda t: {"tag": "riverain", "limit": "25"},
        2,
        "Query + BatchGetItem",
        _expect_some,
    ),
    Op(
        "360° view (3 interactions)",
        None,
        4,
        "GetItem + 3 Query (interactions, tasks, mandates)",
        _expect_view,
        view=True,
    ),
]


def seed(tenant: BenchTenant) -> None:
    from datetime import date

    from chalicelib.schemas.contacts import ContactCreate, contact_doc
    from chalicelib.schemas.interactions import FollowUp, InteractionCreate, new_interaction
    from chalicelib.services import contacts, interactions
    from infra import seed as demo

    fixed = len(demo.ORGANISATIONS) + len(demo.ELUS)
    demo_tenant = seed_admin_tenant(tenant.id, f"Bench {tenant.id}")
    seeded = demo.seed_ville(demo_tenant, persons=tenant.size - fixed - 2)
    admin = demo.principal_for(demo_tenant, demo_tenant.users[0])
    tenant.needle_id = contacts.create(
        admin, contact_doc(ContactCreate.model_validate({**NEEDLE, "tags": [RARE_TAG]}))
    ).contact_id
    tenant.needle_common_id = contacts.create(
        admin, contact_doc(ContactCreate.model_validate({**NEEDLE_COMMON, "tags": [RARE_TAG]}))
    ).contact_id
    for n in range(INTERACTIONS):
        interactions.create(
            admin,
            contacts.load(admin, tenant.needle_id),
            new_interaction(
                InteractionCreate(
                    kind="call",
                    date=date(2026, 10, 1 + n),
                    summary=f"Appel n° {n + 1} au sujet de la salle des fêtes.",
                    follow_up=FollowUp(title="Envoyer le devis", due=date(2026, 12, 1)) if n == 0 else None,
                )
            ),
        )
    if seeded + 2 != tenant.size:
        raise BenchFailure(f"seeded {seeded + 2} contacts in {tenant.id}, wanted {tenant.size}")


def seed_admin_tenant(tenant_id: str, name: str) -> Any:
    """An institution tenant with one admin, admin@{tenant_id}.test, who logs in with PASSWORD (infra.seed)."""
    from infra import seed as demo

    tenant = demo.DemoTenant(
        tenant_id,
        "institution",
        name,
        {"name": name},
        [demo.DemoUser(f"admin@{tenant_id}.test", ["admin"], password=PASSWORD)],
    )
    demo.seed_tenant(tenant)
    return tenant


@contextmanager
def moto_world() -> Iterator[None]:
    """A fresh moto state in this process (mock_aws) with the app's resources provisioned as the local stack
    provisions its own (the user pool's ids in the environment), settings and clients made anew for it."""
    from moto import mock_aws

    from infra.local_stack import provision_into

    with mock_aws():
        provision_into({})
        yield


@contextmanager
def moto_transactions_without_backups() -> Iterator[None]:
    """Seed in linear time: moto's TransactWriteItems deep-copies every table it touches (its
    rollback backup), so each contact created costs as much as the table is big, seeding is
    quadratic and memory grows by gigabytes. Seeding only creates new ids; a failed transaction
    still raises (and the bench stops), it is just not rolled back."""
    import copy
    import types

    import moto.dynamodb.models as backend
    from moto.dynamodb.models.table import Table

    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    saved = getattr(backend, "copy", None)
    if saved is not copy:  # moto changed: seed the slow way rather than patch blindly
        print("warning: moto's transaction backups could not be bypassed; seeding is quadratic", file=sys.stderr)
        yield
        return
    backend.copy = types.SimpleNamespace(deepcopy=deepcopy)
    try:
        yield
    finally:
        backend.copy = saved


def login(email: str) -> str:
    """A Cognito ID token for a bench user, as the API tests log in (tests/support/world.py)."""
    from tests.support.world import login as cognito_login

    return cognito_login(email, PASSWORD)


@dataclass
class Measured:
    calls: Calls
    items: str
    body: dict[str, Any]


def run_op(client: Any, meter: AwsMeter, tenant: BenchTenant, op: Op) -> Measured:
    query = urlencode(op.params(tenant)) if op.params else ""
    path = f"/contacts/{tenant.needle_id}" if op.view else f"/contacts?{query}"
    with meter.measure() as calls:
        response = client.http.get(path, headers={"Authorization": f"Bearer {tenant.token}"})
    if response.status_code != 200:
        raise BenchFailure(f"{op.name} in {tenant.id}: GET {path} → {response.status_code} {response.body!r}")
    body = response.json_body
    try:
        op.expect(tenant, body)
    except BenchFailure as exc:
        raise BenchFailure(f"{op.name} in {tenant.id}: {exc}") from exc
    # The view: contact + interactions + open tasks.
    items = f"1+{len(body['interactions'])}+{len(body['open_tasks'])}" if op.view else str(len(body["items"]))
    return Measured(calls, items, body)


def run_all(client: Any, meter: AwsMeter, tenant: BenchTenant) -> list[Measured]:
    measured: list[Measured] = []
    for op in OPS:
        measured.append(run_op(client, meter, tenant, op))
        if op is OPS[0]:
            tenant.page2_cursor = measured[-1].body["next_cursor"]
    return measured


REQUESTS = Table(
    "request",
    32,
    Column("calls A", 7),
    Column("calls B", 7),
    Column("B/A", 5),
    Column("min", 4),
    Column("B/min", 5),
    Column("items A", 7),
    Column("items B", 7),
    Column("read A", 6),
    Column("read B", 6),
    Column("read B/A", 8),
)


def dynamodb_section(size_a: int, size_b: int) -> None:
    meter = AwsMeter()
    meter.install()

    with moto_world():
        tenants = [BenchTenant("bench-a", size_a), BenchTenant("bench-b", size_b)]
        with stopwatch() as seeding, moto_transactions_without_backups():
            for tenant in tenants:
                seed(tenant)
                tenant.token = login(f"admin@{tenant.id}.test")

        from chalice.test import Client

        from app import app

        with Client(app, stage_name="local") as client:
            # A first pass on tenant A warms the process (JWKS, queue URL, connections); the calls it
            # makes beyond the measured pass are reported apart.
            cold = run_all(client, meter, tenants[0])
            results = {t.id: run_all(client, meter, t) for t in tenants}

    a, b = (results[t.id] for t in tenants)
    heading("AWS calls per request (HTTP path: chalice.test.Client, stage local, Cognito ID token)")
    print(
        f"tenant A: {size_a} contacts, tenant B: {size_b} contacts, same tables; seeded through the services in "
        f"{seeding.seconds:.0f} s (moto's per-transaction table backup bypassed while seeding)"
    )
    print(f"{COUNTED}; warm process (cold extras in the notes)")
    print("read = items DynamoDB returned (index entries, contacts, interactions, tasks); min = fewest calls possible")
    REQUESTS.header()
    found: list[str] = []
    for op, ma, mb in zip(OPS, a, b, strict=True):
        ca, cb = ma.calls.dynamodb, mb.calls.dynamodb
        ra, rb = ma.calls.items_read, mb.calls.items_read
        REQUESTS.row(
            op.name, ca, cb, ratio(cb, ca), op.minimum, ratio(cb, op.minimum), ma.items, mb.items, ra, rb, ratio(rb, ra)
        )
        if ma.items == mb.items and ra and rb / ra > 1.5:
            found.append(
                f"{op.name}: same result at both sizes, but B reads {rb / ra:.1f}× the items of A "
                "(its index range grows with the tenant)"
            )
    print()
    print("calls made at size B, per request:")
    for op, mb in zip(OPS, b, strict=True):
        print(f"  {op.name:32} DynamoDB: {mb.calls.describe(True):52} other AWS: {mb.calls.describe(False)}")
        if op.minimum != mb.calls.dynamodb:
            found.append(f"{op.name}: {mb.calls.dynamodb} DynamoDB calls where {op.minimum} ({op.minimum_how}) suffice")
    for op, mc, ma in zip(OPS, cold, a, strict=True):
        extra = Calls(mc.calls.operations - ma.calls.operations)
        if extra.operations:
            found.append(
                f"{op.name}, first time in the process, also made: DynamoDB {extra.describe(True, False)}, "
                f"other AWS {extra.describe(False)}"
            )
    print()
    notes("notes", found or ["every request made the minimum number of DynamoDB calls at both sizes."])


def utc_iso(moment: datetime) -> str:
    """An instant as the app stores it (UTC, "Z"), without importing the app (this module stays stdlib-only)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.run", __doc__, "CI size: 100 and 600 contacts, 3 import rounds")
    parser.add_argument(
        "--contacts",
        type=int,
        help="contacts in the larger tenant (default 2000, 600 with --small); the smaller has 200 (100), at most half",
    )
    parser.add_argument("--rounds", type=int, help="import-time rounds (default 7, 3 with --small)")
    args = parser.parse_args(argv)
    size_b = args.contacts or (600 if args.small else 2000)
    size_a = min(100 if args.small else 200, size_b // 2)
    rounds = args.rounds or (3 if args.small else 7)
    if size_a < MIN_SIZE:
        parser.error(f"--contacts must be at least {2 * MIN_SIZE} (the smaller tenant gets half, up to 200)")

    use_bench_environment()

    def work() -> None:
        import_section(rounds)
        dynamodb_section(size_a, size_b)

    return run_bench(work)


if __name__ == "__main__":
    sys.exit(main())
