"""AWS errors injected where botocore makes the call, so the code meets them as it would in AWS.

Every client goes through ``BaseClient._make_api_call`` (boto3's and PynamoDB's own alike), above moto, which
answers at the HTTP layer: an error raised here comes out of ``get_object`` as a ``ClientError`` or a botocore
timeout, and out of a PynamoDB call wrapped in its ``PutError`` / ``QueryError``, exactly as after botocore's own
retries gave up. ``after=True`` raises once the call went through (a timeout on the answer): the write was done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from chalicelib import aws


def client_error(code: str, status: int = 400) -> Callable[[str], Exception]:
    def make(operation: str) -> Exception:
        response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return ClientError(response, operation)

    return make


def transaction_conflict(operation: str) -> Exception:
    """A TransactWriteItems cancelled because another request's transaction was writing one of its items at that
    moment: DynamoDB's TransactionConflict (moto, which serialises requests, never answers it), here on the
    transaction's first item."""
    response: Any = {
        "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled [TransactionConflict]"},
        "CancellationReasons": [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}],
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return ClientError(response, operation)


def busy_item(operation: str) -> Exception:
    """A PutItem, UpdateItem or DeleteItem refused because a transaction is writing the item at that moment:
    DynamoDB's TransactionConflictException, which botocore does not retry (moto never answers it)."""
    response: Any = {
        "Error": {"Code": "TransactionConflictException", "Message": "Transaction is ongoing for the item"},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return ClientError(response, operation)


def read_timeout(operation: str) -> Exception:
    return ReadTimeoutError(endpoint_url=f"https://aws.example/{operation}")


def connect_timeout(operation: str) -> Exception:
    return ConnectTimeoutError(endpoint_url=f"https://aws.example/{operation}")


def endpoint_unreachable(operation: str) -> Exception:
    return EndpointConnectionError(endpoint_url=f"https://aws.example/{operation}")


@dataclass
class Fault:
    """``error`` on the calls of ``service``.``operation`` whose parameters satisfy ``when``: ``skip`` of them go
    through first, then ``times`` fail (``None``: every one)."""

    service: str
    operation: str
    error: Callable[[str], Exception]
    after: bool = False
    skip: int = 0
    times: int | None = 1
    when: Callable[[dict[str, Any]], bool] | None = None
    action: Callable[[], None] | None = None  # run instead of raising (something happening between two calls)
    seen: int = 0
    raised: int = 0

    def fires(self, service: str, operation: str, params: dict[str, Any]) -> bool:
        if (service, operation) != (self.service, self.operation) or (self.when and not self.when(params)):
            return False
        self.seen += 1
        if self.seen <= self.skip or (self.times is not None and self.raised >= self.times):
            return False
        self.raised += 1
        return True

    def hit(self, operation: str) -> None:
        if self.action is not None:
            self.action()
        else:
            raise self.error(operation)


@contextmanager
def injected(*faults: Fault) -> Iterator[tuple[Fault, ...]]:
    original = BaseClient._make_api_call

    def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name
        firing = [f for f in faults if f.fires(service, operation, params)]
        for fault in firing:
            if not fault.after:
                fault.hit(operation)
        result = original(client, operation, params)
        for fault in firing:
            if fault.after:
                fault.hit(operation)
        return result

    BaseClient._make_api_call = call  # type: ignore[method-assign]
    try:
        yield faults
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


# --- below botocore's retries -------------------------------------------------------------------------------------


@contextmanager
def failing(service: str, operation: str, errors: list[Exception]) -> Iterator[list[int]]:
    """Each HTTP attempt of ``operation`` raises the next error (then goes through); yields the attempts counted.

    Unlike ``injected`` (above botocore's retries), this acts at botocore's before-send event, once per HTTP
    attempt: it shows how many times botocore itself tried."""
    attempts: list[int] = []
    client = aws.client(service)
    event = f"before-send.{client.meta.service_model.service_id.hyphenize()}.{operation}"

    def handler(**_: Any) -> None:
        attempts.append(1)
        if len(attempts) <= len(errors):
            raise errors[len(attempts) - 1]

    client.meta.events.register_first(event, handler)
    try:
        yield attempts
    finally:
        client.meta.events.unregister(event, handler)
