"""The one place boto3 clients are built.

Clients are built lazily and cached: never at import, so moto's mocks (tests) and
AWS_ENDPOINT_URL (local stack) apply, and a warm Lambda reuses them. Nothing here knows
whether it talks to moto or AWS: botocore reads AWS_ENDPOINT_URL itself.

Also the one place that tells a passing AWS error (throttling, timeout) from a lasting one, so callers retry
without importing botocore (``is_transient``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.settings import get_settings

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=10)
# Sending email or SMS is not idempotent: a read timeout or a reset after the request left may mean SES or SNS sent
# it, and botocore's retry would send it twice. These clients never retry; messaging/outbound.py retries only what
# is unambiguous (throttling, a connection that never opened) and reports the rest as an unknown outcome.
_SEND_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=3, read_timeout=10)
SENDING_SERVICES = frozenset({"ses", "sns"})

# Error codes and statuses botocore's standard retry mode treats as throttling or transient
# (botocore/retries/standard.py): once its own attempts are spent, the caller may still retry later.
# "Not now, nothing done": the services' throttling refusals. messaging/outbound.py retries a send on these only.
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",  # SQS
        "TooManyRequestsException",
    }
)
_TRANSIENT_CODES = THROTTLING_CODES | frozenset(
    {
        "ProvisionedThroughputExceededException",  # DynamoDB
        "RequestLimitExceeded",  # DynamoDB, account level
        "TransactionInProgressException",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "SlowDown",  # S3
        "EC2ThrottledException",
        "PriorRequestNotComplete",
        "RequestTimeout",
        "RequestTimeoutException",
        "ServiceUnavailable",
        "InternalError",
        "InternalServerError",
        "InternalFailure",
    }
)
_TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
# PynamoDB's batch writes resend unprocessed (throttled) items a few times, then give up with this message.
_PYNAMODB_UNPROCESSED = "max_retry_attempts exceeded"


@cache
def _session() -> boto3.session.Session:
    """One session for every client: each new session re-reads the service models from disk."""
    return boto3.session.Session()


@cache
def client(service: str) -> Any:
    config = _SEND_CONFIG if service in SENDING_SERVICES else _CONFIG
    return _session().client(service, region_name=get_settings().region, config=config)


def cognito() -> Any:
    return client("cognito-idp")


def sqs() -> Any:
    return client("sqs")


@cache
def queue_url(name: str) -> str:
    return str(sqs().get_queue_url(QueueName=name)["QueueUrl"])


def is_transient(exc: BaseException) -> bool:
    """True when the error says "not now" rather than "never": throttling (DynamoDB, S3 SlowDown, SQS), a 5xx, a
    timeout or a lost connection, as botocore raises it or as PynamoDB wraps it (its ``cause``), once botocore's
    own retries are spent. Retrying later (the queue redelivering the message) may then succeed; any other error
    (access denied, a missing object or version, a failed condition, a bug) would fail the same way again.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, HTTPClientError | BotocoreConnectionError):  # timeouts, resets, unreachable endpoint
            return True
        if isinstance(error, ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in _TRANSIENT_CODES or status in _TRANSIENT_STATUSES:
                return True
        if type(error).__module__.startswith("pynamodb") and _PYNAMODB_UNPROCESSED in str(error):
            return True
        # PynamoDB's PutError, QueryError... keep botocore's error as `cause`; `raise ... from` as __cause__. Not
        # __context__: a bug raised while handling a throttle is still a bug.
        cause = getattr(error, "cause", None)
        todo += [cause if isinstance(cause, BaseException) else None, error.__cause__]
    return False


def reset_clients() -> None:
    """Drop cached clients (used when the endpoint or credentials change, e.g. between test sessions)."""
    client.cache_clear()
    queue_url.cache_clear()
    _session.cache_clear()
