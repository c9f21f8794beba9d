"""Messages to Agora's own SQS queues: the one place services hand work to a queue job.

Bodies are JSON; the queue is named by its short name in the job registry (`settings.queue_name`). Batches go
ten to a `SendMessageBatch` call (the API's limit); what SQS refuses is returned, not dropped, so that the caller
decides (the audit writes it directly, the electoral fan-out fails its run visibly).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from chalicelib import aws
from chalicelib.settings import get_settings

BATCH = 10  # SendMessageBatch accepts at most ten entries


MAX_DELAY = 900  # seconds: SQS's longest DelaySeconds


def send(queue: str, body: Any, *, delay_seconds: int = 0) -> None:
    """One message, delivered after ``delay_seconds`` (at most 15 minutes); an SQS error propagates (the caller's
    request fails rather than lose the work)."""
    aws.sqs().send_message(
        QueueUrl=_url(queue), MessageBody=json.dumps(body), DelaySeconds=max(0, min(delay_seconds, MAX_DELAY))
    )


def send_batch(queue: str, bodies: Sequence[Any]) -> list[int]:
    """Every body, ten per call; the positions (in ``bodies``) of the messages SQS refused."""
    url = _url(queue)
    refused: list[int] = []
    for start in range(0, len(bodies), BATCH):
        entries = [
            {"Id": str(n), "MessageBody": json.dumps(body)} for n, body in enumerate(bodies[start : start + BATCH])
        ]
        result = aws.sqs().send_message_batch(QueueUrl=url, Entries=entries)
        refused.extend(start + int(failure["Id"]) for failure in result.get("Failed", []))
    return refused


def is_transient(exc: BaseException) -> bool:
    """True when an AWS error says "not now" rather than "never" (see `aws.is_transient`): a queue job hands its
    message back to be delivered again instead of failing it for good."""
    return aws.is_transient(exc)


def _url(queue: str) -> str:
    return aws.queue_url(get_settings().queue_name(queue))
