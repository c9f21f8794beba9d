"""store.base.condition_failed tells a write refused on its condition from every other failure, including those
whose cause carries no answer at all (a timeout: the write may have been done)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ReadTimeoutError
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.store.base import condition_failed


def _client_error(code: str) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    return ClientError(response, "PutItem")


def test_a_refused_condition_is_told_apart_from_other_refusals() -> None:
    assert condition_failed(PutError(cause=_client_error("ConditionalCheckFailedException")))
    assert not condition_failed(PutError(cause=_client_error("ProvisionedThroughputExceededException")))


def test_a_timeout_is_not_a_refused_condition_and_does_not_break_the_check() -> None:
    timeout = ReadTimeoutError(endpoint_url="https://dynamodb.eu-west-3.amazonaws.com/")
    assert not condition_failed(UpdateError(cause=timeout))
    assert not condition_failed(PutError(cause=None))
