"""The duplicates scan of one tenant (services/duplicates.py), one message per requested scan."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import duplicates

_processor = BatchProcessor(event_type=EventType.SQS)


def _process(record: SQSRecord) -> None:
    duplicates.process_message(record.body)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS: one tenant per message; a failed scan is delivered again, then lands in the dead-letter queue."""
    return dict(process_partial_response(event=event, record_handler=_process, processor=_processor, context=context))
