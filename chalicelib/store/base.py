"""Table naming and the shared model base."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pynamodb.attributes import Attribute
from pynamodb.connection import Connection
from pynamodb.constants import MAP
from pynamodb.models import Model
from ulid import ULID

from chalicelib.settings import get_settings


class TableName:
    """Descriptor resolving a table's name from settings when PynamoDB first needs it, not at import."""

    def __init__(self, short: str) -> None:
        self.short = short

    def __get__(self, instance: Any, owner: Any) -> str:
        return get_settings().table_name(self.short)


_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


class DocAttribute(Attribute[dict[str, Any]]):
    """A JSON document stored as a native DynamoDB map, read back as plain dicts and lists."""

    attr_type = MAP

    def serialize(self, value: dict[str, Any]) -> Any:
        return {k: _SERIALIZER.serialize(_to_dynamo(v)) for k, v in value.items()}

    def deserialize(self, value: Any) -> dict[str, Any]:
        return {k: _from_dynamo(_DESERIALIZER.deserialize(v)) for k, v in value.items()}


class BaseModel(Model):
    class Meta:
        abstract = True


@lru_cache(maxsize=1)
def connection() -> Connection:
    """The low-level connection transactions use: built once, since each new one builds a botocore client."""
    return Connection()


def new_id() -> str:
    """ULIDs sort by creation time, so a Query on the range key lists oldest first."""
    return str(ULID())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def all_models() -> list[type[Model]]:
    """Every table the app needs: provisioning (local stack, tests) iterates over this."""
    from chalicelib.store import (
        audit,
        consents,
        contacts,
        electoral,
        events,
        imports,
        interactions,
        invitations,
        letters,
        mandates,
        search_index,
        segments,
        tenants,
        users,
    )

    return [
        tenants.TenantItem,
        contacts.ContactItem,
        search_index.IndexItem,
        interactions.InteractionItem,
        interactions.TaskItem,
        users.UserItem,
        mandates.MandateItem,
        imports.ImportItem,
        letters.LetterJobItem,
        events.EventItem,
        events.SeatsItem,
        invitations.InvitationItem,  # InvitationGuard shares its table
        invitations.ReminderItem,
        electoral.ElectionItem,
        electoral.ElectoralItem,
        audit.AuditItem,
        consents.ConsentItem,
        consents.SuppressionItem,
        segments.SegmentItem,
    ]
