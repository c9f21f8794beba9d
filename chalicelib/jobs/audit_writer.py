"""SQS consumer storing the audit entries buffered by requests (services/audit.py).

Partial batch response: a failed message is retried alone (the event source mapping needs
ReportBatchItemFailures, added in infra/), and after its retries lands in the DLQ.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import audit

_processor = BatchProcessor(event_type=EventType.SQS)


def _store(record: SQSRecord) -> None:
    audit.store_message(record.body)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_store, processor=_processor, context=context))
