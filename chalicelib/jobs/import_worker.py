"""SQS consumer processing imports chunk by chunk: RNE files (services/rne_import.py) and contact files
(services/contact_import.py, whose messages name their `step`). S3 upload events go to the RNE import's handler,
which hands a contact import's upload over.

The imports validate new contacts with schemas.contacts (rne_person, imported_contact), passed in here: services do
not read the HTTP contract.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.schemas.contacts import imported_contact, rne_person
from chalicelib.services import contact_import, rne_import

# A message the import hands back (a transient error: throttling, a timeout) is listed in batchItemFailures even
# when it is the whole batch, rather than failing the invocation: SQS redelivers it either way, and the batch
# response says which.
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _process(record: SQSRecord) -> None:
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    message = json.loads(record.body)
    if isinstance(message, dict) and "step" in message:
        contact_import.process_message(message, attempt, validate=imported_contact)
    else:
        rne_import.process_message(record.body, attempt=attempt, person=rne_person)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_process, processor=_processor, context=context))
