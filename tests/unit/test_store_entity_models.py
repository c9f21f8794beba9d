"""A store model names each field of its entity once: in the entity. `class XItem(BaseModel, entity=X)` derives the
attributes from the entity's types, at run time (the model's metaclass) and for mypy (infra/mypy_entity_models.py);
`table=` and `keys=` name its table and keys, `index(...)` each index by the attributes it is keyed on."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, TypedDict

import pytest
from mypy import api as mypy_api
from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, Index, LocalSecondaryIndex

import chalicelib.store
from chalicelib.settings import get_settings
from chalicelib.store import entities
from chalicelib.store.base import BaseModel, DocAttribute, index, stored_attributes

ROOT = Path(__file__).resolve().parents[2]


def _entity_models() -> list[tuple[type[BaseModel], type[Any], tuple[str, ...], set[str]]]:
    """Each model declared with `entity=`: the model, its entity, its `not_stored`, the names its body assigns."""
    found = []
    for info in pkgutil.iter_modules(chalicelib.store.__path__):
        module = importlib.import_module(f"chalicelib.store.{info.name}")
        for node in ast.parse(inspect.getsource(module)).body:
            if not isinstance(node, ast.ClassDef):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            if "entity" not in keywords:
                continue
            entity_name = keywords["entity"]
            assert isinstance(entity_name, ast.Name)
            not_stored = ast.literal_eval(keywords["not_stored"]) if "not_stored" in keywords else ()
            body = {t.id for s in node.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
            found.append((getattr(module, node.name), getattr(entities, entity_name.id), not_stored, body))
    return found


ENTITY_MODELS = _entity_models()
each_entity_model = pytest.mark.parametrize(
    ("model", "entity", "not_stored", "body"), ENTITY_MODELS, ids=lambda v: getattr(v, "__name__", "")
)


def test_most_models_take_their_attributes_from_their_entity() -> None:
    assert len(ENTITY_MODELS) >= 30


@each_entity_model
def test_every_field_of_the_entity_is_an_attribute_of_the_same_name(
    model: type[BaseModel], entity: type[Any], not_stored: tuple[str, ...], body: set[str]
) -> None:
    attributes = model.get_attributes()
    stored = {f.name for f in fields(entity)} - set(not_stored)
    assert stored <= set(attributes), f"{model.__name__} lacks {sorted(stored - set(attributes))}"
    assert not set(not_stored) & set(attributes), "a field the keys encode is not stored again"


@each_entity_model
def test_a_field_declared_in_the_model_says_what_its_type_does_not(
    model: type[BaseModel], entity: type[Any], not_stored: tuple[str, ...], body: set[str]
) -> None:
    """A key, an index's key, or a storage the type does not give (a string set, a value never None once stored):
    anything else declared again in the body is the second naming the derivation exists to remove."""
    index_keys = {
        key["AttributeName"]
        for _, index in inspect.getmembers(model, lambda o: isinstance(o, Index))
        for key in index._get_schema()["key_schema"]
    }
    derived = stored_attributes(entity, not_stored)
    for name in body & set(derived):
        declared = model.get_attributes()[name]
        if declared.is_hash_key or declared.is_range_key or name in index_keys:
            continue
        again = derived[name]
        assert (type(declared), declared.null, declared.default) != (type(again), again.null, again.default), (
            f"{model.__name__}.{name} is declared as its entity's type already stores it"
        )


class _Doc(TypedDict, total=False):
    title: str


@dataclass(kw_only=True)
class _Sample:
    text: str
    maybe: str | None = None
    choice: Literal["a", "b"]
    count: int = 0
    amount: int
    ratio: float | None = None
    flag: bool = False
    doc: _Doc
    extra: dict[str, Any] | None = None
    words: list[str] = field(default_factory=list)
    history: list[_Doc] = field(default_factory=list)
    version: int | None = None


def _shape(attribute: Attribute[Any]) -> tuple[Any, ...]:
    return type(attribute), attribute.null, attribute.default, getattr(attribute, "element_type", None)


def test_each_type_is_stored_in_its_attribute() -> None:
    attributes = {name: _shape(a) for name, a in stored_attributes(_Sample).items()}
    assert attributes == {
        "text": (UnicodeAttribute, False, None, None),
        "maybe": (UnicodeAttribute, True, None, None),
        "choice": (UnicodeAttribute, False, None, None),
        "count": (NumberAttribute, False, 0, None),
        "amount": (NumberAttribute, False, None, None),
        "ratio": (NumberAttribute, True, None, None),
        "flag": (BooleanAttribute, False, False, None),
        "doc": (DocAttribute, False, dict, None),
        "extra": (DocAttribute, True, None, None),
        "words": (ListAttribute, False, list, UnicodeAttribute),
        "history": (ListAttribute, False, list, None),
        "version": (VersionAttribute, True, None, None),
    }


def test_fields_the_keys_encode_are_left_out_and_must_exist() -> None:
    assert "text" not in stored_attributes(_Sample, ("text",))
    with pytest.raises(TypeError, match="no field"):
        stored_attributes(_Sample, ("txet",))


def test_a_type_without_a_rule_is_refused_with_the_field_named() -> None:
    @dataclass
    class Odd:
        when: bytes

    with pytest.raises(TypeError, match=r"Odd\.when"):
        stored_attributes(Odd)


def test_the_type_checker_sees_the_derived_attributes(tmp_path: Path) -> None:
    """mypy with the project's configuration (its plugin) accepts a derived attribute on the class and on an item,
    and still rejects a misspelt one."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        textwrap.dedent(
            """
            from chalicelib.store.interactions import InteractionItem, TaskItem
            from chalicelib.store.messages import MessageItem

            condition = MessageItem.status == "sent"
            item = InteractionItem("tenant", "sk")
            reveal_type(item.summary)
            reveal_type(MessageItem.opens)
            reveal_type(InteractionItem.sk)
            reveal_type(InteractionItem.Meta.table_name)
            reveal_type(TaskItem.by_status)
            item.sumary
            """
        )
    )
    out, err, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"), str(probe)]
    )
    lines = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith(str(probe))]
    assert lines == [
        'note: Revealed type is "str"',
        'note: Revealed type is "pynamodb.attributes.NumberAttribute"',
        'note: Revealed type is "pynamodb.attributes.UnicodeAttribute"',
        'note: Revealed type is "str"',
        'note: Revealed type is "pynamodb.indexes.GlobalSecondaryIndex[chalicelib.store.interactions.TaskItem]"',
        'error: "InteractionItem" has no attribute "sumary"; maybe "summary"?  [attr-defined]',
    ], out + err
    assert status == 1


@dataclass
class _Thing:
    tenant_id: str
    thing_id: str
    status: str
    rank: int = 0


class _ThingItem(BaseModel, entity=_Thing, table="things", keys=("tenant_id", "thing_id")):
    status_key = UnicodeAttribute(null=True)
    by_status: GlobalSecondaryIndex[_ThingItem] = index("by-status", "status_key", "rank", keys_only=True)
    by_rank: LocalSecondaryIndex[_ThingItem] = index("by-rank", "tenant_id", "rank", local=True)


def _keys(schema: Any) -> dict[str, str]:
    return {key["AttributeName"]: key["KeyType"] for key in schema["key_schema"]}


def test_a_model_names_its_table_keys_and_indexes_once() -> None:
    assert _ThingItem.Meta.table_name == get_settings().table_name("things")
    assert _ThingItem.Meta.max_retry_attempts >= 1  # PynamoDB completed the Meta with the connection's settings
    assert hasattr(_ThingItem.Meta, "region") and hasattr(_ThingItem.Meta, "host")
    assert (_ThingItem._hash_keyname, _ThingItem._range_keyname) == ("tenant_id", "thing_id")
    schema = _ThingItem._get_schema()
    assert _keys(schema) == {"tenant_id": "HASH", "thing_id": "RANGE"}
    (status_index,) = schema["global_secondary_indexes"]
    assert status_index["index_name"] == "by-status"
    assert status_index["projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert _keys(status_index) == {"status_key": "HASH", "rank": "RANGE"}
    (rank_index,) = schema["local_secondary_indexes"]
    assert (rank_index["index_name"], rank_index["projection"]) == ("by-rank", {"ProjectionType": "ALL"})
    assert _keys(rank_index) == {"tenant_id": "HASH", "rank": "RANGE"}
    assert {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]} == {
        "tenant_id": "S",
        "thing_id": "S",
        "status_key": "S",
        "rank": "N",  # the index's key has the kind of the model's attribute
    }
    assert isinstance(_ThingItem.by_status, GlobalSecondaryIndex)
    assert isinstance(_ThingItem.by_rank, LocalSecondaryIndex)


def test_a_table_key_or_index_declared_twice_or_on_nothing_is_refused() -> None:
    with pytest.raises(TypeError, match="declared nowhere else"):

        class _Twice(BaseModel, table="things", keys=("tenant_id", "thing_id")):
            thing_id = UnicodeAttribute(range_key=True)

    with pytest.raises(TypeError, match="not both"):

        class _TwoTables(BaseModel, table="things", keys=("tenant_id",)):
            class Meta:
                table_name = "other"

    with pytest.raises(TypeError, match="by-nothing is keyed on missing"):

        class _Unkeyed(BaseModel, table="things", keys=("tenant_id",)):
            by_nothing = index("by-nothing", "missing")
