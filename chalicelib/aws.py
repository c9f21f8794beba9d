"""The one place boto3 clients are built.

Clients are built lazily and cached: never at import, so moto's mocks (tests) and
AWS_ENDPOINT_URL (local stack) apply, and a warm Lambda reuses them. Nothing here knows
whether it talks to moto or AWS: botocore reads AWS_ENDPOINT_URL itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from chalicelib.settings import get_settings

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=10)
# Sending email or SMS is not idempotent: a read timeout or a reset after the request left may mean SES or SNS sent
# it, and botocore's retry would send it twice. These clients never retry; messaging/outbound.py retries only what
# is unambiguous (throttling, a connection that never opened) and reports the rest as an unknown outcome.
_SEND_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=3, read_timeout=10)
SENDING_SERVICES = frozenset({"ses", "sns"})


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


def reset_clients() -> None:
    """Drop cached clients (used when the endpoint or credentials change, e.g. between test sessions)."""
    client.cache_clear()
    queue_url.cache_clear()
    _session.cache_clear()
