"""Structured logs, business metrics and traces: Powertools' Logger, Metrics (EMF) and Tracer (X-Ray).

Every `agora.*` logger propagates to the `agora` logger Powertools configures, so the whole app writes JSON lines
CloudWatch Logs Insights can query (in `make run`'s output too). The access line names the route's template
(`/contacts/{contact_id}`), never the concrete path, query string, body or an email: no personal data in logs, only
the tenant id and the user's Cognito id (pseudonymous) needed to follow a request (RGPD art. 5(1)(c),
minimisation). The level comes from AGORA_LOG_LEVEL (or Powertools' POWERTOOLS_LOG_LEVEL), INFO by default.

Metrics: `count(name, n)` where the effect is recorded (a send accepted, a bounce processed, an RSVP answer
saved...), gathered in memory and written by `flush` as one CloudWatch Embedded Metric Format JSON line at the end
of each request (api/http.py) and each job run (app.py), which CloudWatch turns into metrics of the namespace
POWERTOOLS_METRICS_NAMESPACE ("Agora"). Their only dimension is the service, plus the job's name for
`JobDuration`: never a tenant or a user (unbounded cardinality, and a tenant's activity is no operator's metric).

Traces: X-Ray, in Lambda only (the template turns on `Tracing: Active` for every function); locally, in tests and
with POWERTOOLS_TRACE_DISABLED set, `traced` does nothing and aws_xray_sdk is never imported (its import and its
patching of botocore would cost every cold start for traces nobody collects).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

SERVICE = "agora"
logger = Logger(service=SERVICE, level=os.environ.get("AGORA_LOG_LEVEL") or None)
metrics = Metrics(service=SERVICE, namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "Agora")

# Every business metric (unit: Count), where it is counted. A name outside this table is a type error.
Counter = Literal[
    "EmailsSent",  # campaign emails SES accepted (services/campaign_delivery.py)
    "EmailsFailed",  # campaign emails refused or not composable
    "SmsSent",  # campaign SMS SNS accepted
    "SmsFailed",  # campaign SMS refused or not composable
    "SendsUnknown",  # campaign sends whose outcome is unknown (timeout): staff checks them
    "InvitationsSent",  # event invitations sent (email, SMS or letter: services/invitation_sending.py)
    "Bounces",  # SES bounce notifications processed (services/mail_events.py)
    "Complaints",  # SES complaint notifications processed
    "RsvpAnswers",  # RSVP answers that changed an invitation (services/rsvp.py)
    "ImportRowsCommitted",  # import rows written, created or merged (services/contact_import.py, rne_import.py)
    "ImportRowsRejected",  # import rows refused (a contact file's at commit, an RNE file's as parsed)
]
COUNTERS: tuple[str, ...] = get_args(Counter)
JOB_DURATION = "JobDuration"  # milliseconds, dimension `job` (the registry's name: a dozen values)


def request_line(
    *,
    method: str,
    route: str,
    status: int,
    duration_ms: float,
    request_id: str | None,
    tenant_id: str | None,
    user_id: str | None,
) -> None:
    logger.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(duration_ms, 1),
            "correlation_id": request_id,
            "tenant": tenant_id,
            "user_id": user_id,
        },
    )


def job_line(name: str, duration_ms: float, result: Mapping[str, Any] | None, error: str | None = None) -> None:
    """A queue job's or schedule's run: its failures or its counts (numbers only: a result never leaks a name)."""
    counts = {k: v for k, v in (result or {}).items() if isinstance(v, int | float) and not isinstance(v, bool)}
    failures = (result or {}).get("batchItemFailures")
    fields: dict[str, Any] = {"job": name, "duration_ms": round(duration_ms, 1), "counts": counts}
    if isinstance(failures, list):
        fields["failed_messages"] = len(failures)
    if error is not None:
        logger.error("job failed", extra={**fields, "error": error})
    else:
        logger.info("job", extra=fields)


def count(name: Counter, value: int = 1) -> None:
    """Counts `value` occurrences of a business event, written at the end of the request or job (`flush`)."""
    if value > 0:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush(job: str | None = None, duration_ms: float | None = None) -> None:
    """Writes what was counted as one EMF line on stdout (nothing when nothing was); for a job, its duration as a
    second line, the only one with a `job` dimension (the counts stay comparable whatever job made them)."""
    if metrics.metric_set:
        _write()
    if job is not None and duration_ms is not None:
        metrics.add_dimension(name="job", value=job)
        metrics.add_metric(name=JOB_DURATION, unit=MetricUnit.Milliseconds, value=round(duration_ms, 1))
        _write()


def _write() -> None:
    metrics.flush_metrics()
    metrics.clear_metrics()  # flush keeps them when POWERTOOLS_METRICS_DISABLED is set: they never pile up


def tracing_enabled() -> bool:
    """In Lambda (dev and prod stages) unless POWERTOOLS_TRACE_DISABLED says otherwise; never under `chalice local`,
    SAM local, the local stack's pollers or the tests (no X-Ray daemon listens there). Powertools' own rule."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() in ("1", "true", "yes", "on", "y"):
        return False
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT"))
    return in_lambda and not os.environ.get("AWS_CHALICE_CLI_MODE") and not os.environ.get("AWS_SAM_LOCAL")


@lru_cache(maxsize=1)
def tracer() -> Tracer | None:
    """The X-Ray tracer, built at the first traced request or job (importing aws_xray_sdk then), None when tracing
    is off. It patches botocore: every AWS call (boto3's and PynamoDB's) becomes a subsegment."""
    if not tracing_enabled():
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE, patch_modules=["botocore"])


@contextmanager
def traced(name: str, **annotations: str) -> Iterator[None]:
    """A subsegment named after the route's template or the job (never a concrete path: no personal data), with
    searchable annotations; nothing when tracing is off."""
    active = tracer()
    if active is None:
        yield
        return
    with active.provider.in_subsegment(name=f"## {name}") as subsegment:
        for key, value in annotations.items():
            subsegment.put_annotation(key, value)
        yield
