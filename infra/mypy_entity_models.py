"""mypy plugin: the attributes a store model derives from its entity and its keys, as the type checker sees them.

A model declared `class XItem(BaseModel, entity=X, not_stored=(...))` gets, when its class is built, one PynamoDB
attribute per field of the entity X (`chalicelib.store.base.stored_attributes`). The class body does not name them,
so mypy alone would reject `XItem.status == "sent"` or `item.doc`. This plugin asks the same function which
attribute each field becomes and adds it to the class as if it were declared there: one rule, read at run time and
at type-check time alike. The names in `keys=(...)` become text attributes the same way. Loaded by
`[tool.mypy] plugins` in pyproject.toml; not part of the Lambda package.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mypy.nodes import Expression, NameExpr, StrExpr, TupleExpr
from mypy.plugin import ClassDefContext, Plugin
from mypy.plugins.common import add_attribute_to_class
from mypy.types import AnyType, Type, TypeOfAny

BASE_MODEL = "chalicelib.store.base.BaseModel"
REPOSITORY = str(Path(__file__).resolve().parents[1])  # chalicelib's root, whichever way mypy was started


def _names(expr: Expression | None) -> tuple[str, ...] | None:
    """`not_stored=("a", "b")` as the names it holds; None when it is not a literal tuple of strings."""
    if expr is None:
        return ()
    if isinstance(expr, TupleExpr) and all(isinstance(item, StrExpr) for item in expr.items):
        return tuple(item.value for item in expr.items if isinstance(item, StrExpr))
    return None


def _attribute_type(ctx: ClassDefContext, attribute: Any) -> Type | None:
    """The attribute's class as a mypy type (a ListAttribute with its element's type); None if mypy has not
    analysed that class yet."""
    cls = type(attribute)
    args: list[Type] = []
    if getattr(cls, "__parameters__", ()):  # ListAttribute[T]: the element's Python type, or Any
        element = getattr(attribute, "element_type", None)
        python_type = getattr(element, "__orig_bases__", [None])[0] if element else None
        element_args = getattr(python_type, "__args__", ())
        named = ctx.api.named_type_or_none(f"builtins.{element_args[0].__name__}") if element_args else None
        args = [named if named is not None else AnyType(TypeOfAny.explicit)]
    return ctx.api.named_type_or_none(f"{cls.__module__}.{cls.__qualname__}", args)


def _add_key_attributes(ctx: ClassDefContext) -> None:
    """`keys=("tenant_id", "sk")`: text attributes the class builds, as if declared `sk = UnicodeAttribute(...)`."""
    keys = _names(ctx.cls.keywords.get("keys"))
    if keys is None:
        ctx.api.fail("keys= is a tuple of attribute names", ctx.cls)
        return
    text = ctx.api.named_type_or_none("pynamodb.attributes.UnicodeAttribute")
    if text is None:
        if not ctx.api.final_iteration:
            ctx.api.defer()
        return
    for name in keys:
        var = add_attribute_to_class(ctx.api, ctx.cls, name, text)
        var.is_initialized_in_class = True


def _add_entity_attributes(ctx: ClassDefContext) -> None:
    _add_key_attributes(ctx)
    entity = ctx.cls.keywords.get("entity")
    if entity is None:
        return
    not_stored = _names(ctx.cls.keywords.get("not_stored"))
    if not isinstance(entity, NameExpr) or not entity.fullname or not_stored is None:
        ctx.api.fail("entity= names an entity class; not_stored= is a tuple of field names", ctx.cls)
        return
    module_name, _, class_name = entity.fullname.rpartition(".")
    if REPOSITORY not in sys.path:
        sys.path.insert(0, REPOSITORY)
    base = importlib.import_module("chalicelib.store.base")
    entity_cls = getattr(importlib.import_module(module_name), class_name)
    try:
        attributes = base.stored_attributes(entity_cls, not_stored)
    except TypeError as exc:
        ctx.api.fail(str(exc), ctx.cls)
        return
    for name, attribute in attributes.items():
        if name in ctx.cls.info.names:  # declared in the class body or a key: that declaration stands
            continue
        typ = _attribute_type(ctx, attribute)
        if typ is None:
            if not ctx.api.final_iteration:
                ctx.api.defer()
                return
            ctx.api.fail(f"{entity.fullname}.{name}: mypy does not know {type(attribute).__name__}", ctx.cls)
            continue
        var = add_attribute_to_class(ctx.api, ctx.cls, name, typ)
        var.is_initialized_in_class = True  # as `name = XAttribute()` in the body: a descriptor on the class


class EntityModelsPlugin(Plugin):
    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        return _add_entity_attributes if fullname == BASE_MODEL else None


def plugin(version: str) -> type[Plugin]:
    return EntityModelsPlugin
