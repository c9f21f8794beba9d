"""`consumer`: the one way a queue's records reach their job (jobs/sqs.py). What it reports decides which messages
SQS delivers again: a wrong report loses a failed message, or sends a done one twice."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from chalicelib.jobs.sqs import consumer


def _event(*bodies: str, received: int = 1) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{n}",
                "receiptHandle": f"h{n}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": str(received)},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-3:000000000000:agora-test",
                "awsRegion": "eu-west-3",
            }
            for n, body in enumerate(bodies)
        ]
    }


def test_each_record_reaches_the_job_with_its_attempt_and_only_failures_are_reported() -> None:
    seen: list[tuple[str, int]] = []

    def job(body: str, attempt: int) -> None:
        seen.append((body, attempt))
        if body == "bad":
            raise ValueError("refused")

    answer = consumer(job)(_event("one", "bad", "two", received=3), None)
    assert seen == [("one", 3), ("bad", 3), ("two", 3)]
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_a_batch_that_failed_whole_fails_the_invocation_unless_told_to_answer_the_list() -> None:
    def job(body: str, attempt: int) -> None:
        raise RuntimeError("throttled")

    with pytest.raises(BatchProcessingError):
        consumer(job)(_event("a", "b"), None)
    answer = consumer(job, whole_batch_fails=False)(_event("a", "b"), None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m0"}, {"itemIdentifier": "m1"}]}


def test_a_first_delivery_without_a_receive_count_is_attempt_one() -> None:
    attempts: list[int] = []
    event = _event("x")
    del event["Records"][0]["attributes"]
    consumer(lambda body, attempt: attempts.append(attempt))(event, None)
    assert attempts == [1]
