"""Shared building blocks of the HTTP contract."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.domain.listing import Listing

# Multi-line texts keep tab, line feed and carriage return; one-line texts refuse every control character and the
# Unicode line and paragraph separators, which end a line in an email header (a subject, a sender's name).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_ULID = r"^[0-9A-HJKMNP-TV-Z]{26}$"
# INSEE COG département codes: 01–19, 2A, 2B, 21–95, 971–976 (no "20": Corsica is 2A/2B since 1976).
DEPARTEMENT_CODE = r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$"


def _no_control_chars(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("Caractères de contrôle interdits.")
    return value


def _one_line(value: str) -> str:
    _no_control_chars(value)
    if _LINE_BREAKING.search(value):
        raise ValueError("Une seule ligne : retours à la ligne et tabulations interdits.")
    return value


@dataclass(frozen=True)
class Line(GroupedMetadata):
    """A stripped one-line text: titles, names, subjects end up in email headers and PDF lines.
    Use as ``Annotated[str, Line(200)]``."""

    max_length: int
    min_length: int = 1

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(strip_whitespace=True, min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(_one_line)


@dataclass(frozen=True)
class Lines(GroupedMetadata):
    """A stripped text of several lines (descriptions, letterhead, bodies, notes, invitation texts): tab, line feed
    and carriage return allowed, other control characters refused. Use as ``Annotated[str, Lines(5000)]``."""

    max_length: int
    min_length: int = 1

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(strip_whitespace=True, min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(_no_control_chars)


def _reject_null(value: Any) -> Any:
    if value is None:
        raise ValueError("Ce champ ne peut pas être vide (null) : omettez-le pour garder sa valeur.")
    return value


# A field a PATCH may change but never empty: ``Annotated[X | None, NOT_NULL] = None``. Omitted keeps the value,
# an explicit null is a 422.
NOT_NULL = AfterValidator(_reject_null)


Ulid = Annotated[str, StringConstraints(pattern=_ULID)]


def _plausible_date(value: date) -> date:
    if value.year < 1900 or value.year > 2200:
        raise ValueError("Date hors des limites (1900–2200).")
    return value


PlausibleDate = Annotated[date, AfterValidator(_plausible_date)]


class FieldError(ValueError):
    """A cross-field rule broken inside a model validator: carries the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def raise_field(field: str, message: str) -> None:
    raise FieldError(field, message)


class Model(BaseModel):
    """Every model of the HTTP contract: its validator and serializer are built on first use, not at import.
    Building the hundred and more of them was about a third of `import app`, paid by every cold start of every
    function though a request uses a handful (pydantic's `defer_build`)."""

    model_config = ConfigDict(defer_build=True)


class StrictModel(Model):
    """Input models reject unknown fields: a typo must not be silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


T = TypeVar("T")
E = TypeVar("E")  # an entity or a domain value a response is built from


class Page(Model, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Opaque; pass it back as `cursor` for the next page. Null at the end.")


def built(model: type[Model], source: object, /, **given: Any) -> dict[str, Any]:
    """The JSON of a response model, each field read from the source's attribute of the same name but those
    ``given`` (a renamed id, a nested object, a value the source does not hold), in the model's order: one builder
    per response model, and a field the entity and the model both gain needs no third line here. A ``given`` name
    the model lacks is a TypeError; a field neither given nor held by the source an AttributeError, which the
    contract tests meet as a failing route."""
    fields = model.model_fields
    unknown = given.keys() - fields.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)}")
    return {name: given[name] if name in given else getattr(source, name) for name in fields}


def whole_list(items: list[Any]) -> dict[str, Any]:
    """A list short enough to come in one page, in the one list shape: no cursor follows."""
    return {"items": items, "next_cursor": None}


def listing_json(listing: Listing[E], build: Callable[[E], dict[str, Any]]) -> dict[str, Any]:
    """A service's page of entities in the one list shape, each item built by its response builder."""
    return {"items": [build(item) for item in listing.items], "next_cursor": listing.next_cursor}


class ErrorDetail(Model):
    field: str
    message: str
    key: str | None = Field(
        default=None, description="For an L52-1 finding: the key an override or an acknowledgement refers to"
    )


class ErrorInfo(Model):
    code: str = Field(examples=["validation_error"])
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(Model):
    error: ErrorInfo


class ListQuery(Model):
    """Query strings ignore unknown parameters (cache busters and the like)."""

    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
