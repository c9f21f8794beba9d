"""Every queue job and schedule, declared once.

app.py registers the handlers from here; the queue names derive from the stage's prefix (settings); provisioning
(the local stack and the tests) creates the queues with these redrive counts; the local poller and timer run these
handlers; the jobs that count their attempts read `max_receive_count` from here. What cannot be generated (the
CloudFormation resources, .chalice/config.json's per-function timeouts) is checked against this table by
tests/unit/test_infra_template.py. Adding a job: one entry here, its handler function, its queue and role in
infra/resources.json (the test says what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from chalice.app import Cron, Rate

DEFAULT_TIMEOUT = 30  # seconds: .chalice/config.json's lambda_timeout


@dataclass(frozen=True)
class QueueJob:
    """A Lambda function consuming one SQS queue (partial batch failures), its dead-letter queue after
    `max_receive_count` deliveries."""

    name: str  # the Chalice function (app.<name>)
    queue: str  # the queue's name after the stage prefix: "audit" → agora-prod-audit
    handle: str  # "module:function" called with (event dict, context)
    batch_size: int = 1
    max_receive_count: int = 5
    timeout: int = DEFAULT_TIMEOUT
    memory: int | None = None  # MB, when not the default
    max_concurrency: int | None = None  # at most this many functions consume the queue at once (2 to 1000)

    def queue_name(self, prefix: str) -> str:
        return f"{prefix}{self.queue}"


@dataclass(frozen=True)
class Schedule:
    """A Lambda function EventBridge runs on a schedule."""

    name: str
    expression: Rate | Cron
    handle: str
    timeout: int = DEFAULT_TIMEOUT


QUEUE_JOBS: tuple[QueueJob, ...] = (
    # Audit entries written off the request path (services/audit.py).
    QueueJob("write_audit", "audit", "chalicelib.jobs.audit_writer:handle", batch_size=10),
    # RNE and contact imports, one chunk per message; the last delivery fails the import (services/rne_import.py).
    # A contact file's analysis reads and judges the whole file (up to 50,000 rows, about 2 ms each, an XLSX
    # parsed in memory): minutes, not the default's seconds.
    QueueJob("process_import", "imports", "chalicelib.jobs.import_worker:handle", timeout=600, memory=1024),
    # Mail merges; the last delivery marks the job failed (services/letters.py).
    QueueJob(
        "render_letters",
        "letters",
        "chalicelib.jobs.letters_worker:handle",
        max_receive_count=3,
        timeout=300,
        memory=1024,
    ),
    # SES's sending events (bounces, complaints…) through the ses-events topic (services/mail_events.py).
    QueueJob("handle_mail_events", "ses-events", "chalicelib.jobs.mail_events:handle", batch_size=10),
    # Email campaigns: planning the recipients, then chunks of sends (services/campaign_delivery.py). Two
    # consumers at most: each paces itself at half the account's SES rate (messaging/send_rate.py).
    QueueJob(
        "send_campaigns",
        "campaigns",
        "chalicelib.jobs.campaign_worker:handle",
        timeout=300,
        max_concurrency=2,
    ),
    # Replies SES receives through the inbound-mail topic (services/replies.py).
    QueueJob("handle_inbound_mail", "inbound-mail", "chalicelib.jobs.inbound_mail:handle", batch_size=10),
    # SMS received on the two-way number, through the sms-inbound topic: STOP (services/replies.process_sms).
    QueueJob("handle_sms_inbound", "sms-inbound", "chalicelib.jobs.sms_inbound:handle", batch_size=10),
    # The daily electoral check of one tenant (services/electoral_watch.py).
    QueueJob(
        "check_tenant_electoral",
        "electoral",
        "chalicelib.jobs.electoral:handle_tenant",
        max_receive_count=3,
        timeout=300,
    ),
    # A tenant's duplicate contacts, over its whole directory, when a user asks (services/duplicates.py).
    QueueJob(
        "scan_duplicates",
        "duplicates",
        "chalicelib.jobs.duplicates_job:handle",
        max_receive_count=3,
        timeout=300,
    ),
    # Contact exports above the direct limit, written to S3; the last delivery marks the job failed
    # (services/exports.py).
    QueueJob(
        "export_contacts",
        "exports",
        "chalicelib.jobs.export_worker:handle",
        max_receive_count=3,
        timeout=300,
        memory=1024,
    ),
)

SCHEDULES: tuple[Schedule, ...] = (
    # Relances, rappels, offers that lapse, closing after the event (services/reminders.py).
    Schedule("send_reminders", Rate(15, unit=Rate.MINUTES), "chalicelib.jobs.reminders_job:handle", timeout=300),
    # Scheduled campaigns whose time has come (services/campaign_delivery.start_due): they start within five
    # minutes of the time staff set.
    Schedule("start_campaigns", Rate(5, unit=Rate.MINUTES), "chalicelib.jobs.campaign_worker:start_due"),
    # Daily at 05:00 UTC (6 or 7 a.m. in Paris): staff read the electoral check's email when they arrive. It queues
    # one message per institution tenant, for check_tenant_electoral.
    Schedule(
        "check_electoral_calendar", Cron(0, 5, "*", "*", "?", "*"), "chalicelib.jobs.electoral:handle", timeout=300
    ),
    # Weekly, Sunday at 02:00 UTC: the tenants' retention policies (services/retention.py), each action audited.
    Schedule("apply_retention", Cron(0, 2, "?", "*", "SUN", "*"), "chalicelib.jobs.retention_job:handle", timeout=900),
    # Hourly: the link → response mappings of consultations closed since go (services/consultations.purge_closed;
    # CNIL: an anonymous answer must not stay joinable to a person after the close).
    Schedule("purge_consultation_links", Rate(1, unit=Rate.HOURS), "chalicelib.jobs.consultations_job:purge_links"),
)


def queue_job(name: str) -> QueueJob:
    return next(job for job in QUEUE_JOBS if job.name == name)


def resolve(handle: str) -> Any:
    """The handler function a job names, imported when first called (a cold start loads only its own job)."""
    module, _, function = handle.partition(":")
    return getattr(import_module(module), function)
