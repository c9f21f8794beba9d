"""Structured logs: one JSON line per request and per job, through Powertools' Logger.

Every `agora.*` logger propagates to the `agora` logger Powertools configures, so the whole app writes JSON lines
CloudWatch Logs Insights can query (in `make run`'s output too). The access line names the route's template
(`/contacts/{contact_id}`), never the concrete path, query string, body or an email: no personal data in logs, only
the tenant id and the user's Cognito id (pseudonymous) needed to follow a request (RGPD art. 5(1)(c),
minimisation). The level comes from AGORA_LOG_LEVEL (or Powertools' POWERTOOLS_LOG_LEVEL), INFO by default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="agora", level=os.environ.get("AGORA_LOG_LEVEL") or None)


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
