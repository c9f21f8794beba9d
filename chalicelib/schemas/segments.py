"""Segments (POST/GET/PATCH/DELETE /segments, their preview and their contacts)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from chalicelib.schemas.common import NOT_NULL, Line, Model, StrictModel, built
from chalicelib.schemas.contacts import Contact, contact_json
from chalicelib.store import entities

FILTER_DOC = (
    'A filter: {"and": [...]}, {"or": [...]}, {"not": c} over {"tag"}, {"kind"}, {"postcode"}, {"commune"} (INSEE), '
    '{"function", "active"}, {"field": "custom.<name>", "op": eq|in|lt|gt|empty, "value"}, {"consent": channel}, '
    '{"opened_within_days"}, {"attended_series"}, {"consultation": id, "answered": bool}; at most 5 levels and 50 '
    "conditions"
)


class SegmentCreate(StrictModel):
    name: Annotated[str, Line(100)]
    filter: dict[str, Any] = Field(description=FILTER_DOC)
    shared: bool = Field(default=False, description="Visible to the whole tenant; otherwise to its author only")


class SegmentPatch(StrictModel):
    name: Annotated[Annotated[str, Line(100)] | None, NOT_NULL] = None
    filter: Annotated[dict[str, Any] | None, NOT_NULL] = Field(default=None, description=FILTER_DOC)
    shared: Annotated[bool | None, NOT_NULL] = None
    version: int = Field(ge=1, description="The version read; a stale one gives 409.")


class SegmentOut(Model):
    id: str
    name: str
    filter: dict[str, Any]
    shared: bool
    owner_id: str
    version: int
    created_at: str
    updated_at: str


class SegmentPreview(Model):
    count: int = Field(description="How many contacts the segment holds now (archived ones never)")
    items: list[Contact] = Field(description="The first of them, in id order")


def segment_json(segment: entities.Segment) -> dict[str, Any]:
    return built(SegmentOut, segment, id=segment.segment_id)


def preview_json(count: int, contacts: list[entities.Contact], can_see_confidential: bool) -> dict[str, Any]:
    return {"count": count, "items": [contact_json(c, can_see_confidential) for c in contacts]}
