"""Fault injection: the handlers AWS may retry or interrupt, each run under one fault at a time, their effects
counted against a run without faults.

A scenario seeds a tenant of its own, names the deliveries that start its work (an SQS message to a job, a
schedule's run, an API request a client sends again) and counts its effects (emails SES received, SMS SNS
published, items written, audit entries), keyed by what they are about, never by generated ids. The harness plays
AWS's part:

- SQS: a delivery whose handler raises, dies, or reports the record in `batchItemFailures` is delivered again, up
  to the job's `max_receive_count` (then it is dead-lettered); every message the handlers queue is received and
  delivered to its job (the DelaySeconds of a deferral are time the harness skips);
- a schedule's run is retried as Lambda retries an asynchronous invocation (twice), and the schedule runs again at
  its next tick (in the clean run too); an API request is sent again by its client, twice at most.

The faults, at every position k of the AWS calls the clean run made (or every `stride`-th):

- `dies_before` / `dies_after`: the Lambda stops (timeout, memory, instance gone) at the k-th call, before it or
  once it went through: nothing more of that invocation runs, no `except` nor `finally` of the app either;
- `throttled`: the k-th call answers the service's throttling error after botocore's own retries;
- `timeout_after`: the k-th call went through but its answer is lost (ReadTimeout);
- `twin`: at the k-th call, a second Lambda runs the same delivery to its end (a visibility timeout that expired
  while the first still ran), then the first goes on;
- `redelivered`: every delivery is delivered a second time after it succeeded (at-least-once delivery).

The verdict of each run: `duplicated` (an effect more often than in the clean run) and `lost` (less often, and not
reported to the user as uncertain: a campaign message recorded `unknown` is the product's documented answer to a
worker that died between its mark and SES's answer) must both be zero.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.client import BaseClient
from botocore.exceptions import ClientError, ReadTimeoutError

KINDS = ("dies_before", "dies_after", "throttled", "timeout_after", "twin")
REDELIVERED = "redelivered"
SCHEDULE_ATTEMPTS = 3  # Lambda's asynchronous invocation and its two retries
REQUEST_ATTEMPTS = 3  # a client sending its request again twice
MAX_DELIVERIES = 2_000  # a run that keeps delivering is a loop: it fails

# The error each service answers when it throttles, as botocore raises it once its own retries are spent.
THROTTLING = {
    "dynamodb": ("ProvisionedThroughputExceededException", 400),
    "ses": ("Throttling", 400),
    "sesv2": ("TooManyRequestsException", 429),
    "sns": ("Throttling", 400),
    "sqs": ("RequestThrottled", 403),
    "s3": ("SlowDown", 503),
    "cognito-idp": ("TooManyRequestsException", 400),
}


class Died(BaseException):
    """The Lambda stopped mid-invocation. A BaseException, so that no `except Exception` of the app catches it; and
    every AWS call after it fails too (the harness's `dead` flag), so that no `finally` of the app writes anything,
    as none would in a Lambda that is gone."""


class Redeliver(Exception):
    """The handler reported its record in `batchItemFailures`: SQS delivers it again."""


@dataclass
class Delivery:
    """One unit of work as AWS hands it over: `run(attempt)` raises when it failed."""

    name: str  # the job, schedule or route: a column of the report
    run: Callable[[int], None]
    attempts: int
    attempt: int = 1
    redelivered: bool = False
    ticks: int = 1  # a schedule's runs: this one and the next ticks (what a run left due, a later one does)
    then: tuple[Delivery, ...] = ()  # what only its success makes possible (a guest answers the invitation sent)

    def again(self) -> Delivery:
        return Delivery(self.name, self.run, self.attempts, self.attempt + 1, self.redelivered, self.ticks, self.then)

    def next_tick(self) -> Delivery | None:
        return (
            Delivery(self.name, self.run, self.attempts, 1, self.redelivered, self.ticks - 1)
            if self.ticks > 1
            else None
        )


@dataclass
class Effects:
    """What a run did, counted by key; `uncertain`: keys the product reports as perhaps not done (not lost)."""

    done: Counter[str]
    uncertain: set[str] = field(default_factory=set)
    repeatable: set[str] = field(default_factory=set)  # at least once by contract: a second one is no defect


@dataclass
class Fault:
    kind: str
    at: int = 0  # the position of the AWS call, from 1; 0 for `redelivered`

    def __str__(self) -> str:
        return self.kind if self.kind == REDELIVERED else f"{self.kind}@{self.at}"


@dataclass
class Verdict:
    fault: Fault
    lost: dict[str, int]
    duplicated: dict[str, int]
    uncertain: int
    dead_lettered: int
    fired: bool


class Scenario(Protocol):
    name: str

    def seed(self, run: str) -> list[Delivery]:
        """Seed a tenant of its own for this run (ids and addresses carry `run`); the deliveries that start it."""
        ...

    def effects(self, run: str) -> Effects:
        """The run's effects, keyed without `run` nor generated ids, so that two runs compare."""
        ...


class Harness:
    """Runs a scenario's deliveries under one fault, as SQS, EventBridge, Lambda and a client would."""

    def __init__(self, fault: Fault | None) -> None:
        self.fault = fault
        self.calls = 0
        self.counting = False
        self.dead = False
        self.fired = False
        self.dead_lettered: list[Delivery] = []
        self.touched: set[str] = set()  # the queues the handlers sent to: the only ones to receive from
        self._twin: Callable[[], None] | None = None

    # --- the AWS calls ----------------------------------------------------------------------------------------

    @contextmanager
    def installed(self) -> Iterator[None]:
        original = BaseClient._make_api_call
        harness = self

        def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
            service = client.meta.service_model.service_name
            if service == "sqs":
                params = _undelayed(operation, params)  # a deferral's delay: time the harness skips
                if operation in ("SendMessage", "SendMessageBatch"):
                    harness.touched.add(params["QueueUrl"])
            if not harness.counting:
                return original(client, operation, params)
            if harness.dead:
                raise Died()
            harness.calls += 1
            fault = harness.fault
            if fault is None or fault.at != harness.calls:
                return original(client, operation, params)
            harness.fired = True
            if fault.kind == "dies_before":
                harness.dead = True
                raise Died()
            if fault.kind == "throttled":
                code, status = THROTTLING.get(service, ("Throttling", 400))
                response: Any = {
                    "Error": {"Code": code, "Message": code},
                    "ResponseMetadata": {"HTTPStatusCode": status},
                }
                raise ClientError(response, operation)
            if fault.kind == "twin" and harness._twin is not None:
                harness._twin()
            result = original(client, operation, params)
            if fault.kind == "dies_after":
                harness.dead = True
                raise Died()
            if fault.kind == "timeout_after":
                raise ReadTimeoutError(endpoint_url=f"https://{service}.aws.example/")
            return result

        BaseClient._make_api_call = call  # type: ignore[method-assign]
        try:
            yield
        finally:
            BaseClient._make_api_call = original  # type: ignore[method-assign]

    # --- the deliveries ---------------------------------------------------------------------------------------

    def run(self, deliveries: list[Delivery]) -> None:
        pending = deque(deliveries)
        done = 0
        while pending:
            delivery = pending.popleft()
            done += 1
            if done > MAX_DELIVERIES:
                raise AssertionError(f"more than {MAX_DELIVERIES} deliveries: a loop")
            succeeded = self._invoke(delivery)
            pending.extend(queued_deliveries(self.touched))
            self.touched.clear()
            if not succeeded and delivery.attempt < delivery.attempts:
                pending.append(delivery.again())
                continue
            if not succeeded:
                self.dead_lettered.append(delivery)
            else:
                pending.extend(delivery.then)
            if tick := delivery.next_tick():
                pending.append(tick)
            elif succeeded and self.fault is not None and self.fault.kind == REDELIVERED and not delivery.redelivered:
                self.fired = True
                pending.append(Delivery(delivery.name, delivery.run, delivery.attempts, delivery.attempt + 1, True))

    def _invoke(self, delivery: Delivery) -> bool:
        def twin() -> None:  # another Lambda, on the same delivery, to its end: neither counted nor faulted
            self._twin = None
            self.counting = False
            try:
                delivery.run(delivery.attempt + 1)
            except Exception:
                pass
            finally:
                self.counting = True

        self._twin = twin
        self.counting = True
        try:
            delivery.run(delivery.attempt)
        except (Died, Exception):
            return False
        finally:
            self.counting = False
            self.dead = False
            self._twin = None
        return True


def _undelayed(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    if operation == "SendMessage":
        return {k: v for k, v in params.items() if k != "DelaySeconds"}
    if operation == "SendMessageBatch":
        entries = [{k: v for k, v in e.items() if k != "DelaySeconds"} for e in params.get("Entries", [])]
        return {**params, "Entries": entries}
    return params


# --- SQS, as Lambda's event source mapping ---------------------------------------------------------------------


def sqs_delivery(job_name: str, body: str) -> Delivery:
    """A message of the job's queue, delivered alone to its handler with its receive count."""
    from chalicelib.jobs import registry

    job = registry.queue_job(job_name)
    handler = registry.resolve(job.handle)
    message_id = str(uuid.uuid4())

    def run(attempt: int) -> None:
        record = {
            "messageId": message_id,
            "receiptHandle": message_id,
            "body": body,
            "attributes": {"ApproximateReceiveCount": str(attempt)},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:eu-west-3:123456789012:{job.queue}",
            "awsRegion": "eu-west-3",
        }
        result = handler({"Records": [record]}, None)
        if result and result.get("batchItemFailures"):
            raise Redeliver(job_name)

    return Delivery(job_name, run, job.max_receive_count)


def queued_deliveries(urls: set[str] | None = None) -> list[Delivery]:
    """What was queued since the last look (on the queues of `urls`, or on every job's), received and deleted, as
    deliveries to their jobs."""
    from chalicelib import aws
    from chalicelib.jobs import registry
    from chalicelib.settings import get_settings

    sqs, settings = aws.sqs(), get_settings()
    found = []
    for job in registry.QUEUE_JOBS:
        url = aws.queue_url(settings.queue_name(job.queue))
        if urls is not None and url not in urls:
            continue
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            found += [sqs_delivery(job.name, m["Body"]) for m in messages]
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)],
            )
    return found


def schedule_delivery(name: str, work: Callable[[], Any], ticks: int = 2) -> Delivery:
    """A scheduled run, retried as Lambda retries an asynchronous invocation, then the schedule's next tick(s)."""
    return Delivery(name, lambda attempt: work(), SCHEDULE_ATTEMPTS, ticks=ticks)


def request_delivery(name: str, work: Callable[[], Any]) -> Delivery:
    return Delivery(name, lambda attempt: work(), REQUEST_ATTEMPTS)


# --- the suite ----------------------------------------------------------------------------------------------------


@dataclass
class ScenarioReport:
    scenario: str
    handlers: list[str]
    calls: int  # AWS calls of the clean run: the positions faults are injected at
    effects: int  # the clean run's effects: what every faulted run is compared with
    verdicts: list[Verdict]

    def count(self, kind: str) -> int:
        return sum(v.fault.kind == kind and v.fired for v in self.verdicts)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.lost or v.duplicated]


def check(scenario: Scenario, stride: int = 1) -> ScenarioReport:
    """The clean run, then one run per fault; each compared with the clean run. The app's logs are silenced: the
    faults make it log an error in most runs."""
    logging.disable(logging.CRITICAL)
    try:
        return _check(scenario, stride)
    finally:
        logging.disable(logging.NOTSET)


def _check(scenario: Scenario, stride: int) -> ScenarioReport:
    clean_run = f"{scenario.name}-clean"
    clean = Harness(None)
    with clean.installed():
        deliveries = scenario.seed(clean_run)
        clean.run(deliveries)
    if clean.dead_lettered:
        raise AssertionError(f"{scenario.name}: the clean run dead-lettered {[d.name for d in clean.dead_lettered]}")
    baseline = scenario.effects(clean_run)
    handlers = sorted(_names(deliveries))
    # With a stride, each kind starts from another offset: together they still meet every position.
    faults = [
        Fault(kind, at)
        for n, kind in enumerate(KINDS)
        for at in range(1 + n % min(stride, clean.calls), clean.calls + 1, stride)
    ] + [Fault(REDELIVERED)]
    verdicts = []
    for n, fault in enumerate(faults):
        run = f"{scenario.name}-{n}"
        harness = Harness(fault)
        with harness.installed():
            deliveries = scenario.seed(run)
            harness.run(deliveries)
        handlers = sorted({*handlers, *_names(deliveries)})
        verdicts.append(_verdict(fault, baseline, scenario.effects(run), harness))
    return ScenarioReport(scenario.name, handlers, clean.calls, sum(baseline.done.values()), verdicts)


def _names(deliveries: Iterable[Delivery]) -> set[str]:
    """The handlers of these deliveries and of those that follow them."""
    return {name for d in deliveries for name in (d.name, *_names(d.then))}


def _verdict(fault: Fault, baseline: Effects, seen: Effects, harness: Harness) -> Verdict:
    lost = {
        key: count - seen.done[key]
        for key, count in baseline.done.items()
        if seen.done[key] < count and key not in seen.uncertain
    }
    duplicated = {
        key: count - baseline.done[key]
        for key, count in seen.done.items()
        if count > baseline.done[key] and key not in seen.repeatable
    }
    return Verdict(fault, lost, duplicated, len(seen.uncertain), len(harness.dead_lettered), harness.fired)


def describe(failure: Verdict) -> str:
    return f"{failure.fault}: lost {failure.lost or '{}'}, duplicated {failure.duplicated or '{}'}"


def as_json(report: ScenarioReport) -> str:
    return json.dumps({"scenario": report.scenario, "calls": report.calls, "faults": len(report.verdicts)})
