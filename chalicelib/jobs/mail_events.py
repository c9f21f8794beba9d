"""SQS consumer of SES's sending events (the configuration set → SNS topic → this queue): services/mail_events.py.

Partial batch response: a message fails alone only on an AWS error (retried, then the dead-letter queue and its
alarm); a malformed or unknown notification is skipped by the service, never failed.
"""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import mail_events

handle = consumer(lambda body, _attempt: mail_events.process(body))
