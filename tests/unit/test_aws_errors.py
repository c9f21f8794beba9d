"""aws.is_transient: which AWS errors a queue job hands back for a later delivery, and which fail it at once."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
    ResponseStreamingError,
)
from pynamodb.exceptions import GetError, PutError, QueryError

from chalicelib.aws import is_transient
from chalicelib.errors import Conflict


def client_error(code: str, status: int = 400, operation: str = "PutItem") -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, operation)


TRANSIENT = [
    pytest.param(client_error("ProvisionedThroughputExceededException"), id="dynamodb-throughput"),
    pytest.param(client_error("ThrottlingException"), id="throttling"),
    pytest.param(client_error("RequestLimitExceeded"), id="dynamodb-account-limit"),
    pytest.param(client_error("RequestThrottled", operation="SendMessage"), id="sqs-throttled"),
    pytest.param(client_error("SlowDown", 503, "GetObject"), id="s3-slowdown"),
    pytest.param(client_error("ServiceUnavailable", 503, "GetObject"), id="s3-503"),
    pytest.param(client_error("InternalServerError", 500), id="dynamodb-500"),
    pytest.param(client_error("Whatever", 502), id="any-502"),
    pytest.param(client_error("TooManyRequests", 429), id="any-429"),
    pytest.param(ReadTimeoutError(endpoint_url="https://s3"), id="read-timeout"),
    pytest.param(ConnectTimeoutError(endpoint_url="https://dynamodb"), id="connect-timeout"),
    pytest.param(EndpointConnectionError(endpoint_url="https://sqs"), id="endpoint-unreachable"),
    pytest.param(ConnectionClosedError(endpoint_url="https://s3"), id="connection-closed"),
    pytest.param(ResponseStreamingError(error="IncompleteRead"), id="s3-body-cut"),
    # PynamoDB wraps botocore's error as its cause.
    pytest.param(PutError("Failed to put item", client_error("ThrottlingException")), id="pynamodb-put"),
    pytest.param(QueryError("Failed to query", ReadTimeoutError(endpoint_url="https://x")), id="pynamodb-query"),
    pytest.param(
        GetError("Failed", client_error("ProvisionedThroughputExceededException", operation="GetItem")),
        id="pynamodb-get",
    ),
    # PynamoDB's batch write gives up resending throttled (unprocessed) items.
    pytest.param(PutError("Failed to batch write items: max_retry_attempts exceeded"), id="pynamodb-unprocessed"),
]

LASTING = [
    pytest.param(client_error("AccessDenied", 403, "GetObject"), id="access-denied"),
    pytest.param(client_error("NoSuchKey", 404, "GetObject"), id="no-such-key"),
    pytest.param(client_error("NoSuchVersion", 404, "GetObject"), id="no-such-version"),
    pytest.param(client_error("ValidationException"), id="validation"),
    pytest.param(client_error("ResourceNotFoundException"), id="no-table"),
    pytest.param(PutError("Failed", client_error("ConditionalCheckFailedException")), id="condition"),
    pytest.param(NoCredentialsError(), id="no-credentials"),
    pytest.param(ParamValidationError(report="bad"), id="bad-parameters"),
    pytest.param(ValueError("line longer than a chunk"), id="bug"),
    pytest.param(KeyError("file_kind"), id="bad-item"),
]


@pytest.mark.parametrize("error", TRANSIENT)
def test_passing_errors_are_transient(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize("error", LASTING)
def test_other_errors_are_not(error: BaseException) -> None:
    assert not is_transient(error)


def test_an_explicit_cause_counts_but_an_error_raised_while_handling_one_does_not() -> None:
    throttled = client_error("ThrottlingException")
    try:
        raise RuntimeError("wrapped") from throttled
    except RuntimeError as wrapped:
        assert is_transient(wrapped)
    stale = PutError("Failed", client_error("ConditionalCheckFailedException"))
    try:
        raise Conflict("stale") from stale
    except Conflict as conflict:
        assert not is_transient(conflict)
    try:
        try:
            raise throttled
        except ClientError:
            raise ValueError("a bug in the handler") from None
    except ValueError as bug:
        assert bug.__context__ is throttled and not is_transient(bug)


def test_a_one_click_link_gives_both_unsubscribe_headers_of_rfc_8058() -> None:
    from chalicelib.messaging.outbound import Email, build_mime

    mime = build_mime(
        Email(
            to="a@example.fr",
            subject="Lettre d'information",
            text="Bonjour",
            sender=("Mairie", "mairie@operateur-demo.fr"),
            list_unsubscribe="<mailto:mairie@operateur-demo.fr?subject=desabonnement>",
            one_click_url="https://api.example.fr/public/unsubscribe/tok",
        )
    )
    assert mime["List-Unsubscribe"] == (
        "<https://api.example.fr/public/unsubscribe/tok>, <mailto:mairie@operateur-demo.fr?subject=desabonnement>"
    )
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = build_mime(Email(to="a@example.fr", subject="x", text="y", sender=("M", "m@operateur-demo.fr")))
    assert plain["List-Unsubscribe"] is None and plain["List-Unsubscribe-Post"] is None
