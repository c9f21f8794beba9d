"""SQS consumer processing RNE imports chunk by chunk (services/rne_import.py)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import rne_import

_processor = BatchProcessor(event_type=EventType.SQS)


def _process(record: SQSRecord) -> None:
    rne_import.process_message(record.body)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=_process, processor=_processor, context=context)
