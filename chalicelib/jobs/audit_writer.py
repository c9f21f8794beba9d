"""SQS consumer storing the audit entries buffered by requests (services/audit.py).

Partial batch response: a failed message is retried alone (the event source mapping needs
ReportBatchItemFailures, added in infra/), and after its retries lands in the DLQ.
"""

from __future__ import annotations

from chalicelib.jobs.sqs import consumer
from chalicelib.services import audit

handle = consumer(lambda body, _attempt: audit.store_message(body))
