"""SQS consumer of the replies SES receives (receipt rule → inbound-mail topic → this queue): services/replies.py.

Partial batch response: a message fails alone only on an AWS error (retried, then the dead-letter queue and its
alarm); a malformed notification is skipped by the service, never failed.
"""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import replies

handle = consumer(lambda body, _attempt: replies.process(body))
