"""SQS consumer writing large contact exports (services/exports.py)."""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import exports

handle = consumer(lambda body, attempt: exports.process_message(body, attempt=attempt))
