"""SQS consumer sending email campaigns, and the schedule starting those whose time has come
(services/campaign_delivery.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.jobs.sqs import consumer
from chalicelib.services import campaign_delivery

handle = consumer(lambda body, attempt: campaign_delivery.process_message(body, attempt=attempt))


def start_due(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"started": campaign_delivery.start_due()}
