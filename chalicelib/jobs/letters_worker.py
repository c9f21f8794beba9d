"""SQS consumer rendering publipostage jobs (services/letters.py)."""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import letters

handle = consumer(lambda body, attempt: letters.process_message(body, attempt=attempt))
