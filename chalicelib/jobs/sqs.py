"""Every queue's consumer, built once: its records handed one by one to the job, a failure reported per record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def consumer(job: Callable[[str, int], object], *, whole_batch_fails: bool = True) -> Handler:
    """The Lambda handler of a queue: ``job(body, attempt)`` for each record, ``attempt`` being SQS's receive count
    (1 the first time). A record whose job raises is listed in the answer's batchItemFailures (Powertools' partial
    batch response): SQS delivers only that one again, and after the queue's maxReceiveCount moves it to the
    dead-letter queue. When every record of the batch failed the invocation fails, as Powertools does by default,
    unless ``whole_batch_fails`` is False: then the list is answered all the same."""
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=whole_batch_fails)

    def record_handler(record: SQSRecord) -> None:
        job(record.body, int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1))

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return dict(
            process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
        )

    return handle
