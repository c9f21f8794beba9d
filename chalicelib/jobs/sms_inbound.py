"""SQS consumer of the SMS received on the deployment's two-way number (SNS topic sms-inbound → this queue): a
« STOP » withdraws SMS consent (services/replies.process_sms).

Partial batch response: a message fails alone only on an AWS error; a malformed one is skipped, never failed.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.services import replies

_processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    replies.process_sms(record.body)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_record, processor=_processor, context=context))
