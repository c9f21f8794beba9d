"""SQS consumer processing RNE imports chunk by chunk (services/rne_import.py).

The import validates the new contact of a row whose person is not in the directory with schemas.contacts.rne_person,
passed in here: services do not read the HTTP contract.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.schemas.contacts import rne_person
from chalicelib.services import rne_import

# A message the import hands back (a transient error: throttling, a timeout) is listed in batchItemFailures even
# when it is the whole batch, rather than failing the invocation: SQS redelivers it either way, and the batch
# response says which.
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _process(record: SQSRecord) -> None:
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    rne_import.process_message(record.body, attempt=attempt, person=rne_person)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_process, processor=_processor, context=context))
