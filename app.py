"""Agora's Chalice app: creates the app, registers blueprints and middleware, declares handlers. Thin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Request, Response, SQSEvent

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
from chalicelib.jobs import registry
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


def _queue_handler(job: registry.QueueJob) -> Callable[[SQSEvent], dict[str, Any]]:
    def handler(event: SQSEvent) -> dict[str, Any]:
        return dict(registry.resolve(job.handle)(event.to_dict(), event.context))

    handler.__name__ = job.name  # Chalice's handler string is app.<name>: the module attribute below
    return handler


def _scheduled_handler(schedule: registry.Schedule) -> Callable[[CloudWatchEvent], dict[str, Any]]:
    def handler(event: CloudWatchEvent) -> dict[str, Any]:
        return dict(registry.resolve(schedule.handle)(event.to_dict(), event.context))

    handler.__name__ = schedule.name
    return handler


# Every queue job and schedule comes from the registry (chalicelib/jobs/registry.py). A queue's name is the stage's
# prefix (a stage variable, available when `chalice package` imports this file) and the job's queue.
_PREFIX = Settings.load().table_prefix
for _job in registry.QUEUE_JOBS:
    globals()[_job.name] = app.on_sqs_message(queue=_job.queue_name(_PREFIX), batch_size=_job.batch_size)(
        _queue_handler(_job)
    )
for _schedule in registry.SCHEDULES:
    globals()[_schedule.name] = app.schedule(_schedule.expression)(_scheduled_handler(_schedule))
