"""Agora's Chalice app: creates the app, registers blueprints and middleware, declares handlers. Thin."""

from __future__ import annotations

import os
from typing import Any

from chalice import Chalice, Response
from chalice.app import Request, SQSEvent

from chalicelib.api import audit, contacts, mandates, protocol, system, tasks, tenancy
from chalicelib.api.http import http_pipeline
from chalicelib.jobs import audit_writer

app = Chalice(app_name="agora")
app.api.binary_types = []  # every response is text (JSON, HTML, CSS, JS)

for module in (system, contacts, mandates, protocol, tasks, tenancy, audit):
    app.register_blueprint(module.api.bp)


@app.middleware("http")
def agora_http(event: Request, get_response: Any) -> Response:
    return http_pipeline(event, get_response)


# Queue names are stage-level environment variables (.chalice/config.json), available when
# `chalice package` imports this file.
@app.on_sqs_message(queue=os.environ.get("AGORA_AUDIT_QUEUE_NAME", "agora-local-audit"), batch_size=10)
def write_audit(event: SQSEvent) -> dict[str, Any]:
    return audit_writer.handle(event.to_dict(), event.context)
