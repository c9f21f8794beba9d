"""Agora's Chalice app: creates the app, registers blueprints and middleware, declares handlers. Thin."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Request, Response, SQSEvent

from chalicelib import observability
from chalicelib.api import routes
from chalicelib.api.http import http_pipeline
from chalicelib.jobs import registry
from chalicelib.settings import Settings

app = Chalice(app_name="agora")
# Bodies of these types pass API Gateway as raw bytes: an RNE file in Windows-1252 in, a PDF sheet or a contact
# export out (the client's Accept header must name the type: application/pdf, text/csv, the XLSX type).
app.api.binary_types = [
    "text/csv",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]

# Every route, from the manifest: a route's module is imported on its first request, not by every cold start
# (api/routes.py).
routes.register(app)
_SETTINGS = Settings.load()  # refuses to start without AGORA_STAGE
if _SETTINGS.stage == "local":  # the outbox of sent messages and Swagger UI exist only on the local stack
    from chalicelib.api import dev, docs

    app.register_blueprint(dev.api.bp)
    app.register_blueprint(docs.api.bp)


@app.middleware("http")
def agora_http(event: Request, get_response: Any) -> Response:
    return http_pipeline(event, get_response)


def _job_handler(name: str, handle: str) -> Callable[[SQSEvent | CloudWatchEvent], dict[str, Any]]:
    """The Lambda entry point of a queue job or a schedule: its registry handler with the event as a dict."""

    def handler(event: SQSEvent | CloudWatchEvent) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            with observability.traced(name, job=name):
                result = dict(registry.resolve(handle)(event.to_dict(), event.context))
        except Exception as exc:
            observability.job_line(name, (time.perf_counter() - started) * 1000, None, type(exc).__name__)
            raise
        finally:
            observability.flush(name, (time.perf_counter() - started) * 1000)  # its counts, then its duration
        observability.job_line(name, (time.perf_counter() - started) * 1000, result)
        return result

    handler.__name__ = name  # Chalice's handler string is app.<name>: the module attribute below
    return handler


# Every queue job and schedule comes from the registry (chalicelib/jobs/registry.py). A queue's name is the stage's
# prefix (a stage variable, available when `chalice package` imports this file) and the job's queue.
for _job in registry.QUEUE_JOBS:
    globals()[_job.name] = app.on_sqs_message(
        queue=_job.queue_name(_SETTINGS.table_prefix),
        batch_size=_job.batch_size,
        maximum_concurrency=_job.max_concurrency,
    )(_job_handler(_job.name, _job.handle))
for _schedule in registry.SCHEDULES:
    globals()[_schedule.name] = app.schedule(_schedule.expression)(_job_handler(_schedule.name, _schedule.handle))
