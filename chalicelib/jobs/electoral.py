"""The daily electoral check (services/electoral_watch.py): the schedule fans out, the queue checks each tenant."""

from __future__ import annotations

import logging
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import electoral_watch

logger = logging.getLogger("agora.jobs.electoral")
_processor = BatchProcessor(event_type=EventType.SQS)


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge, daily: one message per institution tenant."""
    totals = electoral_watch.fan_out()
    logger.info("electoral check queued: %s", totals)
    return totals


def _process(record: SQSRecord) -> None:
    electoral_watch.process_message(record.body)


def handle_tenant(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS: one tenant per message; a failed tenant is reported alone and delivered again."""
    return dict(process_partial_response(event=event, record_handler=_process, processor=_processor, context=context))
