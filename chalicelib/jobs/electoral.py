"""The daily electoral check (services/electoral_watch.py): the schedule fans out, the queue checks each tenant."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.jobs.sqs import consumer
from chalicelib.services import electoral_watch

logger = logging.getLogger("agora.jobs.electoral")


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge, daily: one message per institution tenant."""
    totals = electoral_watch.fan_out()
    logger.info("electoral check queued: %s", totals)
    return totals


# SQS: one tenant per message; a failed tenant is reported alone and delivered again.
handle_tenant = consumer(lambda body, _attempt: electoral_watch.process_message(body))
