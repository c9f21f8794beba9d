"""SQS consumer writing large contact exports (services/exports.py)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import exports

_processor = BatchProcessor(event_type=EventType.SQS)


def _process(record: SQSRecord) -> None:
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    exports.process_message(record.body, attempt=attempt)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_process, processor=_processor, context=context))
