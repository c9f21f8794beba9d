"""`built`: a response model's JSON read from an entity by field name (schemas/common.py). Twelve builders are this
one call; a wrong read would put another field's value in every answer of their routes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chalicelib.schemas.common import Model, built


class _Out(Model):
    id: str
    name: str
    count: int
    note: str | None = None


@dataclass
class _Entity:
    thing_id: str
    name: str
    count: int
    note: str | None
    secret: str = "never answered"


def test_each_field_is_read_by_its_name_in_the_model_order_and_given_ones_win() -> None:
    entity = _Entity("t1", "Salle des fêtes", 3, None)
    out = built(_Out, entity, id=entity.thing_id, count=4)
    assert out == {"id": "t1", "name": "Salle des fêtes", "count": 4, "note": None}
    assert list(out) == ["id", "name", "count", "note"]
    assert "secret" not in out


def test_a_misnamed_given_field_or_one_the_source_lacks_fails_loudly() -> None:
    entity = _Entity("t1", "Salle", 3, None)
    with pytest.raises(TypeError, match=r"_Out has no field \['ide'\]"):
        built(_Out, entity, ide=entity.thing_id)
    with pytest.raises(AttributeError, match="id"):
        built(_Out, entity)
