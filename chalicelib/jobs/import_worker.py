"""SQS consumer processing imports chunk by chunk: RNE files (services/rne_import.py) and contact files
(services/contact_import.py, whose messages name their `step`). S3 upload events go to the RNE import's handler,
which hands a contact import's upload over.

The imports validate new contacts with schemas.contacts (rne_person, imported_contact), passed in here: services do
not read the HTTP contract.
"""

from __future__ import annotations

import json

from chalicelib.jobs.sqs import consumer
from chalicelib.schemas.contacts import imported_contact, rne_person
from chalicelib.services import contact_import, rne_import


def _process(body: str, attempt: int) -> None:
    message = json.loads(body)
    if isinstance(message, dict) and "step" in message:
        contact_import.process_message(message, attempt, validate=imported_contact)
    else:
        rne_import.process_message(body, attempt=attempt, person=rne_person)


# A message the import hands back (a transient error: throttling, a timeout) is listed in batchItemFailures even
# when it is the whole batch, rather than failing the invocation: SQS redelivers it either way, and the batch
# response says which.
handle = consumer(_process, whole_batch_fails=False)
