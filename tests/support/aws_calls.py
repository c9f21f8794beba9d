"""Counting the DynamoDB calls a piece of service code makes, for tests that hold it to a number of calls."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import botocore.client


def dynamodb_calls(fn: Callable[[], Any]) -> tuple[Any, Counter[tuple[str, str]]]:
    """fn's result and its DynamoDB calls by (operation, table): the table named without its stage prefix, a
    transaction by the tables it writes (sorted, comma-separated)."""
    calls: Counter[tuple[str, str]] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            names = params.get("TableName") or ",".join(params.get("RequestItems", {}))
            if operation == "TransactWriteItems":
                names = ",".join(sorted({next(iter(i.values()))["TableName"] for i in params["TransactItems"]}))
            calls[(operation, names.split("-")[-1])] += 1
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting
    try:
        return fn(), calls
    finally:
        botocore.client.BaseClient._make_api_call = original
