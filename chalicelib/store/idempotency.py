"""Idempotency records of the POSTs that start work (Idempotency-Key), kept by Powertools' idempotency utility in
the `idempotency` table (key `id`, TTL on `expiration`: DynamoDB deletes a record a day after its request).

The PynamoDB model only declares the table for provisioning and the infra checks; Powertools reads and writes the
records (its own item format: status, data, validation hash, in-progress expiry), with a boto3 client built by
chalicelib/aws.py when first needed, not at import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute

from chalicelib import aws
from chalicelib.settings import get_settings
from chalicelib.store.base import BaseModel

KEPT_SECONDS = 24 * 3600


class KeyReused(Exception):
    """The key came with another body."""


class StillRunning(Exception):
    """The first request with this key has not finished."""


class IdempotencyItem(BaseModel, table="idempotency", keys=("id",)):
    status = UnicodeAttribute(null=True)
    data = UnicodeAttribute(null=True)
    validation = UnicodeAttribute(null=True)
    in_progress_expiration = NumberAttribute(null=True)
    expiration = TTLAttribute(null=True)


def _layer() -> DynamoDBPersistenceLayer:
    """Built per request (a few attributes): the client is aws.py's, made once and reset with the others."""
    return DynamoDBPersistenceLayer(
        table_name=get_settings().table_name("idempotency"), boto3_client=aws.client("dynamodb")
    )


def once(request: dict[str, str], work: Callable[[], dict[str, Any]], context: Any = None) -> dict[str, Any]:
    """`work()`'s result, computed once per `request["key"]` within KEPT_SECONDS and given back as stored to the
    same request again. KeyReused when the key comes with another body (`request["body"]`, a hash), StillRunning
    while the first is still running; an exception from `work` stores nothing (the next try runs again)."""
    config = IdempotencyConfig(
        event_key_jmespath="key", payload_validation_jmespath="body", expires_after_seconds=KEPT_SECONDS
    )

    if context is not None:  # a request in progress expires with its Lambda's remaining time
        config.register_lambda_context(context)

    def agora_request(request: dict[str, str]) -> dict[str, Any]:
        return work()

    # Powertools' decorator is untyped: applied here, its result called with what it wraps takes.
    run = idempotent_function(data_keyword_argument="request", persistence_store=_layer(), config=config)(agora_request)
    try:
        return dict(run(request=request))
    except IdempotencyValidationError as exc:
        raise KeyReused from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise StillRunning from exc
