"""`python -m bench.rne --local-stack`: the maires file end to end through the local stack, over HTTP.

The pieces `make run` starts (infra/local_stack.py), all on 127.0.0.1: moto's server on threads of this process,
`chalice local` as a subprocess, and the queue handlers on QueuePoller threads of this process. A bench tenant
logs in through Cognito, POST /imports returns a presigned URL, the file is PUT to it, and the upload's S3
event on the imports queue starts process_import, chunk after chunk, until GET /imports/{id} says done.

Counting: process_import runs on a poller thread of this process, so botocore's before-call event counts its
calls, as in the in-process mode. Only that thread is counted (the audit poller apart): the moto server, the
bench's own calls and chalice local (POST /imports saving the import item, GET /imports polled) are not the
import's work. moto's server runs here, so the in-process mode's moto patches apply to it as well.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import BenchFailure
from bench.rne import (
    MOTO_PATCHES,
    TENANT,
    TENANT_NAME,
    Generated,
    ImportMeter,
    Run,
    Step,
    generate,
    moto_queries_by_partition,
    report_run,
    steps,
)
from bench.run import PASSWORD, PROJECT, Calls, moto_transactions_without_backups, seed_admin_tenant

PROGRESS_EVERY = 30.0  # seconds between progress lines
POLL_EVERY = 1.0  # seconds between GET /imports/{id}
TOKEN_MAX_AGE = 30 * 60.0  # Cognito ID tokens last an hour; a long run logs in again
IMPORTS_POLLER = "bench-imports-poller"
AUDIT_POLLER = "bench-audit-poller"


class ThreadMeter(ImportMeter):
    """ImportMeter counting one thread's calls only: in this process the app's queue handlers share botocore
    with the bench's own calls (login, queue checks) and with each other, each on its own poller thread."""

    def __init__(self, thread: str) -> None:
        super().__init__()
        self.thread = thread

    def before_call(self, model: Any, params: Any = None, **kwargs: Any) -> None:
        if threading.current_thread().name == self.thread:
            super().before_call(model, params, **kwargs)

    def after_call(self, model: Any, parsed: Any, **kwargs: Any) -> None:
        if threading.current_thread().name == self.thread:
            super().after_call(model, parsed, **kwargs)


@dataclass
class Stack:
    api_url: str
    endpoint: str
    login: Callable[[], str]
    imports_poller: Any  # infra.local_stack.QueuePoller
    audit_poller: Any
    imports_queue: str
    audit_queue: str
    meter: ThreadMeter
    audit_meter: ThreadMeter
    chalice_log: Path
    _token: tuple[float, str] | None = None

    def token(self) -> str:
        if self._token is None or time.monotonic() - self._token[0] > TOKEN_MAX_AGE:
            self._token = (time.monotonic(), self.login())
        return self._token[1]

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # unwinds through the finally blocks that stop what was started


@contextmanager
def local_stack(meter: ThreadMeter, audit_meter: ThreadMeter) -> Iterator[Stack]:
    """moto's server, provisioned, the bench tenant seeded, chalice local answering /health and the two pollers
    running; everything stopped on the way out, whatever the way out is."""
    from infra import local_stack as ls

    with ExitStack() as stack:
        stack.enter_context(moto_transactions_without_backups())
        stack.enter_context(moto_queries_by_partition())
        server, endpoint = ls.start_moto()
        stack.callback(server.shutdown)
        env = ls.configure_environment(endpoint)

        from chalicelib.settings import get_settings
        from infra.login import id_token

        provisioned = ls.provision_into(env)
        email = seed_admin_tenant(TENANT, TENANT_NAME).users[0].email
        state = {"aws_endpoint_url": endpoint, "region": ls.REGION, "client_id": provisioned.client_id}

        log_file = stack.enter_context(tempfile.NamedTemporaryFile("wb", prefix="bench-chalice-", suffix=".log"))
        chalice, api_url = ls.start_chalice(ls.free_port(), env, stdout=log_file, stderr=log_file)
        stack.callback(ls.stop_process, chalice)
        try:  # chalice local's log tail on any failure, its start included
            ls.wait_for_health(api_url, chalice)

            settings = get_settings()
            pollers: list[ls.QueuePoller] = []
            for name, queue, handler in (
                (IMPORTS_POLLER, settings.imports_queue_name, "process_import"),
                (AUDIT_POLLER, settings.audit_queue_name, "write_audit"),
            ):
                poller = ls.QueuePoller({queue: handler})
                poller.name = name  # what the meters tell the app's calls apart by
                poller.start()
                pollers.append(poller)

            def stop_pollers() -> None:
                for poller in pollers:
                    poller.stop()
                for poller in pollers:
                    poller.join(timeout=60)

            stack.callback(stop_pollers)
            yield Stack(
                api_url,
                endpoint,
                lambda: id_token(state, email, PASSWORD),
                pollers[0],
                pollers[1],
                settings.imports_queue_name,
                settings.audit_queue_name,
                meter,
                audit_meter,
                Path(log_file.name),
            )
        except Exception:  # not on Ctrl-C: nothing to explain
            log_file.flush()
            tail = Path(log_file.name).read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            print("chalice local's last log lines:\n  " + "\n  ".join(tail), file=sys.stderr)
            raise


def queue_idle(name: str) -> bool:
    """No message waiting, in flight or delayed (asked from the main thread: not counted)."""
    from chalicelib import aws

    attributes = aws.sqs().get_queue_attributes(
        QueueUrl=aws.queue_url(name),
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return all(int(v) == 0 for v in attributes.values())


def wait_idle(name: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not queue_idle(name):
        if time.monotonic() > deadline:
            raise BenchFailure(f"queue {name} not drained within {timeout:.0f} s")
        time.sleep(0.5)


def _dynamodb_so_far(calls: Calls) -> int:
    return sum(n for (service, _), n in list(calls.operations.items()) if service == "dynamodb")


def run_import(stack: Stack, step: Step, timeout: float) -> Run:
    """POST /imports, PUT the file to the presigned URL, poll GET /imports/{id} until done; the calls of
    process_import counted meanwhile (audit apart)."""
    import requests

    file: Generated = step.file
    rows = len(file.lines)
    wait_idle(stack.imports_queue, 60)  # e.g. moto's s3:TestEvent: not this import's
    imports_before, audit_before = stack.imports_poller.delivered, stack.audit_poller.delivered
    with stack.audit_meter.measure() as audit_calls:
        with stack.meter.measure() as calls:
            started = time.perf_counter()
            created = requests.post(
                f"{stack.api_url}/imports",
                headers=stack.headers(),
                json={"kind": "rne", "filename": "elus-maires-mai.csv"},
                timeout=60,
            )
            if created.status_code != 201:
                raise BenchFailure(f"{step.name}: POST /imports → {created.status_code} {created.text[:500]}")
            import_id = created.json()["id"]
            put = requests.put(
                created.json()["upload_url"], data=file.data, headers={"Content-Type": "text/csv"}, timeout=300
            )
            if put.status_code != 200:
                raise BenchFailure(f"{step.name}: PUT to the presigned URL → {put.status_code} {put.text[:500]}")
            status = wait_done(stack, step.name, import_id, rows, calls, started, timeout)
            seconds = time.perf_counter() - started
            wait_idle(stack.imports_queue, 60)  # the last message deleted: the poller's work is all counted
        written = Counter(stack.meter.written)
        done_at = time.perf_counter()
        wait_idle(stack.audit_queue, 600)
        audit_seconds = time.perf_counter() - done_at
    got = {k: status.get(k) for k in ("status", *step.expect)}
    wanted = {"status": "done", **step.expect}
    if got != wanted:
        raise BenchFailure(f"{step.name}: expected {wanted}, got {got} (rejected: {status.get('rejected', [])[:3]})")
    messages = stack.imports_poller.delivered - imports_before
    run = Run(step.name, rows, seconds, calls, written, messages - 1, status, 0.0, "", upload_events=1)
    run.audit_calls, run.audit_seconds = audit_calls, audit_seconds
    run.audit_messages = stack.audit_poller.delivered - audit_before
    run.audit_how = (
        f"on its own poller, alongside the import (queue empty {audit_seconds:.1f} s after the import was done)"
    )
    return run


def wait_done(
    stack: Stack, name: str, import_id: str, rows: int, calls: Calls, started: float, timeout: float
) -> dict[str, Any]:
    import requests

    next_progress = started + PROGRESS_EVERY
    while True:
        response = requests.get(f"{stack.api_url}/imports/{import_id}", headers=stack.headers(), timeout=60)
        if response.status_code != 200:
            raise BenchFailure(f"{name}: GET /imports/{import_id} → {response.status_code} {response.text[:500]}")
        status: dict[str, Any] = response.json()
        if status["status"] in ("done", "failed"):
            return status
        now = time.perf_counter()
        if now - started > timeout:
            raise BenchFailure(f"{name}: not done after {timeout / 60:.0f} min ({status['rows']} of {rows} rows)")
        if now >= next_progress:
            elapsed = now - started
            print(
                f"  [{elapsed:6.0f} s] {name}: {status['status']}, {status['rows']} of {rows} rows in the chunks "
                f"done ({status['rows'] / elapsed:.0f} rows/s), {_dynamodb_so_far(calls)} DynamoDB calls so far",
                flush=True,
            )
            next_progress += PROGRESS_EVERY
        time.sleep(POLL_EVERY)


def partitions_seeking() -> int:
    """Partitions whose sort keys moto_queries_by_partition keeps in moto's server: > 0 shows the patch at work
    in the server's tables, not only in-process."""
    from moto.dynamodb.models import dynamodb_backends

    found = 0
    for account in list(dynamodb_backends):
        for region in list(dynamodb_backends[account]):
            for table in dynamodb_backends[account][region].tables.values():
                found += len(table.__dict__.get("_bench_sorted_keys", {}))
    return found


def main(rows: int, imports: int, timeout: float) -> int:
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    meter, audit_meter = ThreadMeter(IMPORTS_POLLER), ThreadMeter(AUDIT_POLLER)
    meter.install()  # before any botocore client exists
    audit_meter.install()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.perf_counter()
    runs: list[Run] = []
    try:
        file = generate(rows)
        from chalicelib.services import rne_import

        print("== RNE import through the local stack (HTTP on 127.0.0.1: POST /imports, presigned PUT, S3 event) ==")
        print(
            f"file: {rows} rows, {len(file.data) / 1e6:.2f} MB in Windows-1252 (CRLF), {len(file.by_departement)} "
            f"départements, one distinct commune and person per row; chunks of "
            f"{rne_import.CHUNK_BYTES // 1024} KB"
        )
        with local_stack(meter, audit_meter) as stack:
            print(
                f"local stack: moto server {stack.endpoint} (threads of this process, one request at a time), "
                f"chalice local {stack.api_url} (subprocess, log {stack.chalice_log}), process_import and "
                "write_audit on infra.local_stack.QueuePoller threads of this process (1 s between polls)"
            )
            print(MOTO_PATCHES.replace("moto patched", "moto's server patched (it runs in this process)"))
            print(
                "counted: the calls of the process_import poller thread (SQS receive/delete included); not counted: "
                "chalice local's (POST /imports saves the import item once; GET /imports polled every "
                f"{POLL_EVERY:.0f} s), the bench's own; write_audit reported apart"
            )
            print(flush=True)
            for step in steps(rows, file)[:imports]:
                run = run_import(stack, step, timeout)
                step.set_minimum(run)
                report_run(run)
                sys.stdout.flush()
                runs.append(run)
            print(
                f"moto's server kept sorted keys for {partitions_seeking()} partitions "
                "(moto_queries_by_partition at work in the server)"
            )
    except (BenchFailure, RuntimeError) as exc:  # RuntimeError: chalice local did not start
        print(f"\nbench failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench interrupted: local stack stopped", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    total = sum(r.seconds for r in runs)
    print(f"({len(runs)} import(s): {total:.0f} s of import time; bench ran in {time.perf_counter() - started:.0f} s)")
    return 0
