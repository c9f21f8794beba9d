"""Table naming, the shared model base, and what every store module does with it: entities read from and written
to items (`entity_of`, `item_of`), an item or None (`get_item`, `get_entity`), a write or a delete under the version
read (`save_versioned`, `delete_versioned`), a write on a condition (`put_if`, `update_if`, `condition_failed`); and
`Repository` (with `VersionedRepository`), the get / list / save / delete of an entity kept in one item, which most
store modules would otherwise each write again."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, Union, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.constants import MAP
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, PynamoDBException, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection, LocalSecondaryIndex
from pynamodb.models import MetaModel, Model
from ulid import ULID

from chalicelib.errors import Conflict
from chalicelib.settings import get_settings

if TYPE_CHECKING:  # _typeshed exists for type checkers only
    from _typeshed import DataclassInstance

    _E = TypeVar("_E", bound=DataclassInstance)  # an entity (store/entities.py)
else:
    _E = TypeVar("_E")
_M = TypeVar("_M", bound="BaseModel")


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


def _members(hint: Any) -> tuple[list[Any], bool]:
    """A field type's members other than None, and whether None is one of them (`X | None`, `Optional[X]`)."""
    args = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is Union else (hint,)
    return [a for a in args if a is not type(None)], type(None) in args


def _stored_attribute(entity_cls: type[Any], name: str, hint: Any, default: Any) -> Attribute[Any]:
    """The attribute an entity's field is stored in, from its type: text, a number, a boolean, a map (a TypedDict
    or a dict, stored as a native map) or a list; None allowed in the type means the attribute may be absent. A
    number's or a boolean's default is the field's; a map's or a list's an empty one. `version` is the item's
    VersionAttribute (optimistic locking). A type without a rule is a TypeError: the model declares that one."""
    if name == "version":
        return VersionAttribute()
    kinds, null = _members(hint)
    base = kinds[0] if len(kinds) == 1 else None
    origin = typing.get_origin(base) or base
    if origin is Literal and all(isinstance(v, str) for v in typing.get_args(base)):
        origin = str
    scalar_default = None if default is MISSING or callable(default) else default
    if origin is str:
        return UnicodeAttribute(null=null)
    if origin is bool:
        return BooleanAttribute(null=null, default=scalar_default)
    if origin in (int, float):
        return NumberAttribute(null=null, default=scalar_default)
    if origin is dict or (base is not None and typing.is_typeddict(base)):
        return DocAttribute(null=True) if null else DocAttribute(default=dict)
    if origin is list:
        of = UnicodeAttribute if typing.get_args(base) == (str,) else None  # a list of maps is stored untyped
        return ListAttribute(of=of, null=True) if null else ListAttribute(of=of, default=list)
    raise TypeError(f"{entity_cls.__name__}.{name}: no stored attribute for {hint!r}; declare it on the model")


def stored_attributes(entity_cls: type[Any], not_stored: tuple[str, ...] = ()) -> dict[str, Attribute[Any]]:
    """The attributes holding an entity's fields, by field name (but those in `not_stored`: what the item's keys
    encode), so that a field is named once, in its entity."""
    hints = typing.get_type_hints(entity_cls)
    unknown = set(not_stored) - {f.name for f in fields(entity_cls)}
    if unknown:
        raise TypeError(f"{entity_cls.__name__} has no field {sorted(unknown)}")
    return {
        f.name: _stored_attribute(entity_cls, f.name, hints[f.name], f.default)
        for f in fields(entity_cls)
        if f.name not in not_stored
    }


@dataclass(frozen=True)
class _Index:
    """An index as a model declares it (`index`): built into PynamoDB's index class when the model's class is."""

    name: str
    hash_key: str
    range_key: str | None
    keys_only: bool
    local: bool

    def build(self, model: str, namespace: dict[str, Any]) -> GlobalSecondaryIndex[Any] | LocalSecondaryIndex[Any]:
        """The index, keyed on attributes of the model's own class (the same kind, with the key's role)."""
        base: type[Any] = LocalSecondaryIndex if self.local else GlobalSecondaryIndex
        projection = KeysOnlyProjection() if self.keys_only else AllProjection()
        body: dict[str, Any] = {"Meta": type("Meta", (), {"index_name": self.name, "projection": projection})}
        for role, key in (("hash_key", self.hash_key), ("range_key", self.range_key)):
            if key is None:
                continue
            attribute = namespace.get(key)
            if not isinstance(attribute, Attribute):
                raise TypeError(f"{model}: index {self.name} is keyed on {key}, which is not one of its attributes")
            body[key] = type(attribute)(hash_key=role == "hash_key", range_key=role == "range_key")
        index_class: type[Any] = type(f"{model}:{self.name}", (base,), body)
        return cast(GlobalSecondaryIndex[Any] | LocalSecondaryIndex[Any], index_class())


def index(
    name: str, hash_key: str, range_key: str | None = None, *, keys_only: bool = False, local: bool = False
) -> Any:
    """A secondary index of the model whose class body declares it, by its name in the table and the names of its
    key attributes (declared on the model once): `by_due: GlobalSecondaryIndex[CampaignItem] = index("by-due",
    "due_shard", "due_key")`. Every item projected whole, unless ``keys_only``; ``local`` for an LSI (same hash
    key as the table)."""
    return _Index(name, hash_key, range_key, keys_only, local)


_MODEL_OPTIONS = ("entity", "not_stored", "table", "keys")  # the class keywords _EntityModelMeta reads


class _EntityModelMeta(MetaModel):
    """A model declared `class XItem(BaseModel, entity=X, table="x", keys=("tenant_id", "x_id"))` is stored in
    the table x (TableName), keyed by those text attributes (hash key, then range key), and stores each field of
    the entity X in an attribute of the same name, derived from the field's type (`stored_attributes`), so that
    adding a field is one line, in the entity. The class body declares only what the entity does not say: the
    indexes (`index`) and the attributes they are keyed on, a field stored otherwise than its type gives (a string
    set; a value that is never None once stored), and attributes that are not fields. `not_stored` names the
    fields the keys encode. mypy sees the same attributes through infra/mypy_entity_models.py, which asks
    `stored_attributes` too."""

    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        entity: type[Any] | None = None,
        not_stored: tuple[str, ...] = (),
        table: str | None = None,
        keys: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> _EntityModelMeta:
        declared = namespace
        if entity is not None:
            namespace = stored_attributes(entity, not_stored) | namespace
        if table is not None:
            if "Meta" in declared:
                raise TypeError(f"{name}: table= or a Meta class, not both")
            namespace["Meta"] = type("Meta", (), {"table_name": TableName(table)})
        if len(keys) > 2 or set(keys) & set(declared):
            raise TypeError(f"{name}: keys= names a hash key and a range key, declared nowhere else")
        for role, key in zip(("hash_key", "range_key"), keys, strict=False):
            namespace[key] = UnicodeAttribute(hash_key=role == "hash_key", range_key=role == "range_key")
        for attr, value in list(namespace.items()):
            if isinstance(value, _Index):
                namespace[attr] = value.build(name, namespace)
        return cast(_EntityModelMeta, super().__new__(mcs, name, bases, namespace, **kwargs))

    def __init__(self, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **options: Any) -> None:
        """PynamoDB's, without the options `__new__` took, and given the Meta `__new__` made: it completes it with
        the connection's settings (region, host, timeouts)."""
        made = {"Meta": vars(self)["Meta"]} if "Meta" in vars(self) else {}
        pynamodb_options = {k: v for k, v in options.items() if k not in _MODEL_OPTIONS}
        super().__init__(name, bases, {**namespace, **made}, **pynamodb_options)


class BaseModel(Model, metaclass=_EntityModelMeta):
    """No Meta of its own: a model's comes from `table=` (PynamoDB's `Meta: MetaProtocol` types it)."""

    def refresh_keys(self) -> None:
        """The item's derived keys (GSI keys computed from its attributes): `item_of` calls it once they are set."""


# --- entities to and from items -----------------------------------------------------------------------------------

_NUMBER, _CONTAINER, _OTHER = "number", "container", "other"


@cache
def _reading(entity_cls: type[Any]) -> tuple[tuple[str, str, Any], ...]:
    """Per field of an entity: its name, what reading it from an item takes, and the default a missing number or
    container reads as (a number: an int, which a NumberAttribute gives back as int or float; a container: a copy)."""
    hints = typing.get_type_hints(entity_cls)
    plan = []
    for f in fields(entity_cls):
        kinds, nullable = _members(hints[f.name])
        origins = {typing.get_origin(a) or a for a in kinds}
        kind = _NUMBER if origins == {int} else _CONTAINER if origins <= {list, dict} else _OTHER
        default = f.default_factory if f.default_factory is not MISSING else f.default
        plan.append((f.name, kind, None if nullable or default is MISSING else default))
    return tuple(plan)


def entity_of(entity_cls: type[_E], item: BaseModel, /, **overrides: Any) -> _E:
    """The entity whose every field is the item's attribute of the same name, or the override given for it (a field
    its keys encode: a field's name, an assessment's event). An int field reads as an int, a list as a copy; a
    number or container the item lacks reads as the field's default unless the field may be None."""
    values: dict[str, Any] = {}
    for name, kind, default in _reading(entity_cls):
        if name in overrides:
            values[name] = overrides[name]
            continue
        value = getattr(item, name)
        if value is None and kind != _OTHER and default is not None:
            value = default() if callable(default) else default
        if kind == _NUMBER and value is not None:
            value = int(value)
        elif isinstance(value, list):
            value = list(value)
        values[name] = value
    return entity_cls(**values)


def item_of(item_cls: type[_M], entity: DataclassInstance, /, **derived: Any) -> _M:
    """The item holding each field of the entity in the attribute of the same name (fields it has no attribute for
    are what its keys encode), maps and lists copied, then `derived` (keys built from the fields) and its
    `refresh_keys`. The version is set only when the entity has one: PynamoDB then conditions the write on it, and
    on no version at all for a new entity."""
    attributes = item_cls.get_attributes()
    values: dict[str, Any] = {}
    for f in fields(entity):
        value = getattr(entity, f.name)
        if f.name not in attributes or (f.name == "version" and value is None):
            continue
        values[f.name] = dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value
    item = item_cls(**(values | derived))
    item.refresh_keys()
    return item


def get_item(item_cls: type[_M], hash_key: str, range_key: str, *, consistent_read: bool = False) -> _M | None:
    """One GetItem: the item, or None if there is none."""
    try:
        return item_cls.get(hash_key, range_key, consistent_read=consistent_read)
    except DoesNotExist:
        return None


def get_entity(
    entity_cls: type[_E],
    item_cls: type[BaseModel],
    hash_key: str,
    range_key: str,
    *,
    consistent_read: bool = False,
    **overrides: Any,
) -> _E | None:
    """One GetItem: the item as an entity (`entity_of`, with `overrides`), or None if there is none."""
    item = get_item(item_cls, hash_key, range_key, consistent_read=consistent_read)
    return None if item is None else entity_of(entity_cls, item, **overrides)


def cause_code(exc: PynamoDBException) -> str | None:
    """DynamoDB's error code behind a PynamoDB error, None when its cause had no answer. PynamoDB's own
    `cause_response_code` breaks on such a cause (a read timeout, whose `response` is None), which must reach the
    caller as the timeout it is."""
    response = getattr(exc.cause, "response", None)
    error = response.get("Error") if isinstance(response, dict) else None
    code = error.get("Code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


def condition_failed(exc: PynamoDBException) -> bool:
    """Whether a write failed on its condition (a version, an item's existence, a counter's bound)."""
    return cause_code(exc) == "ConditionalCheckFailedException"


def held_by_a_transaction(exc: PynamoDBException) -> bool:
    """Whether a single write was refused because a transaction was writing its item at that moment (DynamoDB's
    TransactionConflictException, which botocore does not retry): nothing was written, and the item is changing."""
    return cause_code(exc) == "TransactionConflictException"


def put_if(item: BaseModel, condition: Condition | None) -> bool:
    """One PutItem on `condition` (and on the item's version, if it has one): False, with nothing written, when it
    does not hold."""
    try:
        item.save(condition=condition)
    except PutError as exc:
        if not condition_failed(exc):
            raise
        return False
    return True


def update_if(
    item: BaseModel, actions: list[Action], condition: Condition | None, *, add_version_condition: bool = True
) -> bool:
    """One UpdateItem on `condition` (and on the item's version, if it has one and `add_version_condition`): False,
    with nothing written, when it does not hold. The item holds the updated attributes afterwards."""
    try:
        item.update(actions=actions, condition=condition, add_version_condition=add_version_condition)
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return False
    return True


class Versioned(Protocol):
    """An entity under optimistic locking."""

    version: int | None


class VersionedItem(Protocol):
    """An item with a VersionAttribute `version`."""

    @property
    def version(self) -> int | None: ...

    def save(self, condition: Condition | None = None, *, add_version_condition: bool = True) -> dict[str, Any]: ...


def save_versioned(
    item: VersionedItem, entity: Versioned, stale: str | None, *, condition: Condition | None = None
) -> None:
    """Put the item under the version it holds (its VersionAttribute conditions the write: the version read, or none
    for a new one), with `condition` too if given, then write the new version back into the entity. A failed condition,
    or a transaction writing the item at that moment (a merge moving it, an answer taking its seats), is
    Conflict(stale); without `stale`, the PutError itself (a job's redelivery fails rather than counts twice)."""
    try:
        item.save(condition=condition)
    except PutError as exc:
        if stale is not None and (condition_failed(exc) or held_by_a_transaction(exc)):
            raise Conflict(stale) from exc
        raise
    entity.version = item.version


def delete_versioned(item: BaseModel, stale: str | None) -> None:
    """Delete the item under the version it holds (PynamoDB adds the condition when the model has a
    VersionAttribute): Conflict(stale) if it changed meanwhile or a transaction is writing it at that moment; with no
    `stale`, the PynamoDB error itself."""
    try:
        item.delete()
    except DeleteError as exc:
        if stale is not None and (condition_failed(exc) or held_by_a_transaction(exc)):
            raise Conflict(stale) from exc
        raise


if TYPE_CHECKING:

    class _VersionedEntity(DataclassInstance, Versioned, Protocol):
        """An entity under optimistic locking: what `VersionedRepository` keeps."""

    _VE = TypeVar("_VE", bound=_VersionedEntity)
else:
    _VE = TypeVar("_VE")


class Repository(Generic[_E, _M]):
    """An entity kept in one item of `item_cls` keyed (tenant or other hash key, sort key): its GetItem, its
    partition's Query, its write under the version read and its delete, each one DynamoDB call. `keys` gives the
    attributes its fields do not hold (a composite sort key, index keys); `stale` is the Conflict a failed version
    condition raises (None: the PynamoDB error itself, as a job wants). Store modules expose its methods under their
    own names (`get = _repo.get`), or call them from thin functions where the key is composite. An entity under
    optimistic locking has a `VersionedRepository`, which adds `save`."""

    def __init__(
        self,
        entity_cls: type[_E],
        item_cls: type[_M],
        stale: str | None,
        *,
        keys: Callable[[_E], dict[str, Any]] | None = None,
    ) -> None:
        self.entity_cls = entity_cls
        self.item_cls = item_cls
        self.stale = stale
        self._keys = keys

    def get(self, tenant_id: str, key: str, *, consistent: bool = False) -> _E | None:
        """One GetItem (strongly consistent if asked): the entity, or None if there is none."""
        return get_entity(self.entity_cls, self.item_cls, tenant_id, key, consistent_read=consistent)

    def all_of_tenant(self, tenant_id: str) -> list[_E]:
        """The tenant's whole partition in sort key order (oldest first under ULID keys): one Query, all its pages.
        For the tens or hundreds a tenant has, not thousands."""
        return [entity_of(self.entity_cls, item) for item in self.item_cls.query(tenant_id)]

    def item(self, entity: _E) -> _M:
        """The entity's item, with the keys `keys` derives (`item_of`)."""
        return item_of(self.item_cls, entity, **(self._keys(entity) if self._keys else {}))

    def delete(self, entity: _E) -> None:
        """Delete the item under the version read, if the entity has one (`delete_versioned`)."""
        delete_versioned(self.item(entity), self.stale)


class VersionedRepository(Repository[_VE, _M]):
    """The repository of an entity under optimistic locking (a `version`, its item's VersionAttribute)."""

    def save(self, entity: _VE, *, condition: Condition | None = None) -> None:
        """Put the entity under the version read (a new one: only if it does not exist yet), with `condition` too if
        given, and write the new version back into it (`save_versioned`)."""
        item = cast(VersionedItem, self.item(entity))  # a versioned entity's item has a VersionAttribute
        save_versioned(item, entity, self.stale, condition=condition)


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
        campaigns,
        consents,
        consultations,
        contacts,
        donations,
        duplicates,
        electoral,
        erasures,
        events,
        exports,
        idempotency,
        imports,
        interactions,
        invitations,
        letters,
        mandates,
        messages,
        privacy_requests,
        replies,
        search_index,
        segments,
        short_links,
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
        campaigns.CampaignItem,
        messages.MessageItem,  # EngagementItem shares its table
        idempotency.IdempotencyItem,
        replies.ReplyAddressItem,
        replies.InboxItem,
        duplicates.DuplicateItem,
        short_links.ShortLinkItem,
        exports.ExportJobItem,
        donations.DonationItem,  # CandidacyItem, TotalItem and ReceiptItem share its table (by-ledger is its index)
        privacy_requests.PrivacyRequestItem,  # RateCounterItem shares its table
        consultations.ConsultationItem,
        consultations.ResponseItem,  # LinkItem, ParticipationItem, RateItem share its table
        erasures.ErasureItem,
    ]
