"""Recording the AWS calls a piece of code makes, for tests that hold it to the calls it makes: how many, which
operations, with what parameters, and what DynamoDB read to answer them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.client


@dataclass
class Call:
    """One call as the client made it; `response` stays empty when the call raised."""

    service: str
    operation: str
    params: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)


@contextmanager
def recorded_calls() -> Iterator[list[Call]]:
    """Every AWS call made inside the block, in order: every client goes through BaseClient._make_api_call (boto3's
    and PynamoDB's alike), above moto."""
    calls: list[Call] = []
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation: str, params: dict[str, Any]) -> Any:
        call = Call(self.meta.service_model.service_name, operation, params)
        calls.append(call)
        call.response = original(self, operation, params)
        return call.response

    botocore.client.BaseClient._make_api_call = recording  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original  # type: ignore[method-assign]


def dynamodb_calls(fn: Callable[[], Any]) -> tuple[Any, Counter[tuple[str, str]]]:
    """fn's result and its DynamoDB calls by (operation, table): the table named without its stage prefix, a
    transaction by the tables it writes (sorted, comma-separated)."""
    with recorded_calls() as recorded:
        result = fn()
    calls: Counter[tuple[str, str]] = Counter()
    for call in recorded:
        if call.service == "dynamodb":
            params = call.params
            names = params.get("TableName") or ",".join(params.get("RequestItems", {}))
            if call.operation == "TransactWriteItems":
                names = ",".join(sorted({next(iter(i.values()))["TableName"] for i in params["TransactItems"]}))
            calls[(call.operation, names.split("-")[-1])] += 1
    return result, calls
