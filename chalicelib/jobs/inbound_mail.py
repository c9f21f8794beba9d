"""SQS consumer of the replies SES receives (receipt rule → inbound-mail topic → this queue): services/replies.py.

Partial batch response: a message fails alone only on an AWS error (retried, then the dead-letter queue and its
alarm); a malformed notification is skipped by the service, never failed.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import replies

_processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    replies.process(record.body)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_record, processor=_processor, context=context))
