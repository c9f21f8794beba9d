"""SQS consumer of the SMS received on the deployment's two-way number (SNS topic sms-inbound → this queue): a
« STOP » withdraws SMS consent (services/replies.process_sms).

Partial batch response: a message fails alone only on an AWS error; a malformed one is skipped, never failed.
"""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import replies

handle = consumer(lambda body, _attempt: replies.process_sms(body))
