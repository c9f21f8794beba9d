"""The duplicates scan of one tenant (services/duplicates.py), one message per requested scan."""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import duplicates

# SQS: one tenant per message; a failed scan is delivered again, then lands in the dead-letter queue.
handle = consumer(lambda body, _attempt: duplicates.process_message(body))
