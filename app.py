"""Agora's Chalice app: creates the app, registers blueprints and middleware, declares handlers. Thin."""

from __future__ import annotations

import os
from typing import Any

from chalice import Chalice, Cron, Rate, Response
from chalice.app import CloudWatchEvent, Request, SQSEvent

from chalicelib.api import (
    audit,
    contacts,
    elections,
    events,
    imports,
    letters,
    mandates,
    protocol,
    public,
    system,
    tasks,
    tenancy,
)
from chalicelib.api.http import http_pipeline
from chalicelib.jobs import audit_writer, electoral, import_worker, letters_worker, reminders_job
from chalicelib.settings import Settings

app = Chalice(app_name="agora")
# Bodies of these types pass API Gateway as raw bytes: an RNE file in Windows-1252 in, a PDF sheet out (the
# client's Accept header must name application/pdf).
app.api.binary_types = ["text/csv", "application/pdf"]

for module in (
    system,
    contacts,
    mandates,
    protocol,
    letters,
    events,
    elections,
    public,
    imports,
    tasks,
    tenancy,
    audit,
):
    app.register_blueprint(module.api.bp)
if Settings.load().stage == "local":  # the outbox of sent messages exists only on the local stack (and its OpenAPI)
    from chalicelib.api import dev

    app.register_blueprint(dev.api.bp)


@app.middleware("http")
def agora_http(event: Request, get_response: Any) -> Response:
    return http_pipeline(event, get_response)


# Queue names are stage-level environment variables (.chalice/config.json), available when
# `chalice package` imports this file.
@app.on_sqs_message(queue=os.environ.get("AGORA_AUDIT_QUEUE_NAME", "agora-local-audit"), batch_size=10)
def write_audit(event: SQSEvent) -> dict[str, Any]:
    return audit_writer.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("AGORA_IMPORTS_QUEUE_NAME", "agora-local-imports"), batch_size=1)
def process_import(event: SQSEvent) -> dict[str, Any]:
    return import_worker.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("AGORA_LETTERS_QUEUE_NAME", "agora-local-letters"), batch_size=1)
def render_letters(event: SQSEvent) -> dict[str, Any]:
    return letters_worker.handle(event.to_dict(), event.context)


@app.schedule(Rate(15, unit=Rate.MINUTES))
def send_reminders(event: CloudWatchEvent) -> dict[str, int]:
    return reminders_job.handle(event.to_dict(), event.context)


# Daily at 05:00 UTC (6 or 7 a.m. in Paris): staff read the electoral check's email when they arrive. The schedule
# queues one message per institution tenant; check_tenant_electoral does each.
@app.schedule(Cron(0, 5, "*", "*", "?", "*"))
def check_electoral_calendar(event: CloudWatchEvent) -> dict[str, int]:
    return electoral.handle(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("AGORA_ELECTORAL_QUEUE_NAME", "agora-local-electoral"), batch_size=1)
def check_tenant_electoral(event: SQSEvent) -> dict[str, Any]:
    return electoral.handle_tenant(event.to_dict(), event.context)
