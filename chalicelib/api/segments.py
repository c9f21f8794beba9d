"""/segments: named filters over the tenant's contacts, private or shared, with who they hold now."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json, whole_list
from chalicelib.schemas.contacts import Contact, contact_json
from chalicelib.schemas.segments import (
    SegmentCreate,
    SegmentOut,
    SegmentPatch,
    SegmentPreview,
    preview_json,
    segment_json,
)
from chalicelib.services import segments

api = Api(__name__, "segments")
segment_api = api.resource("/segments/{segment_id}", errors=(404,))


@api.post("/segments", body=SegmentCreate, response=SegmentOut, status=201, roles="write", errors=(422,))
def create_segment(ctx: Ctx) -> dict[str, Any]:
    """Create a segment: a named filter over the contacts (422 names each problem of the filter by its path)"""
    body = ctx.body(SegmentCreate)
    return segment_json(segments.create(ctx.user, name=body.name, filter_=body.filter, shared=body.shared))


@api.get("/segments", response=Page[SegmentOut])
def list_segments(ctx: Ctx) -> dict[str, Any]:
    """Your segments and the shared ones, by name"""
    return whole_list([segment_json(s) for s in segments.visible(ctx.user)])


@segment_api.get(response=SegmentOut)
def get_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    """One segment"""
    return segment_json(segments.load(ctx.user, segment_id))


@segment_api.patch(body=SegmentPatch, response=SegmentOut, roles="write", errors=(403, 409, 422))
def patch_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    """Change a segment (its author or an admin); version required"""
    segment = segments.load(ctx.user, segment_id)
    body = ctx.body(SegmentPatch)
    changed = segments.update(
        ctx.user, segment, name=body.name, filter_=body.filter, shared=body.shared, version=body.version
    )
    return segment_json(changed)


@segment_api.delete(status=204, roles="write", errors=(403, 409))
def delete_segment(ctx: Ctx, segment_id: str) -> None:
    """Delete a segment (its author or an admin)"""
    segments.delete(ctx.user, segments.load(ctx.user, segment_id))


@segment_api.get("/preview", response=SegmentPreview)
def preview_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    """How many contacts the segment holds now, and the first of them"""
    shown = segments.preview(ctx.user, segments.load(ctx.user, segment_id))
    return preview_json(shown.count, shown.contacts, ctx.user.can_see_confidential)


@segment_api.get("/contacts", query=ListQuery, response=Page[Contact], errors=(400, 422))
def segment_contacts(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    """The segment's contacts, a page at a time (a cursor belongs to the segment's version)"""
    segment = segments.load(ctx.user, segment_id)
    query = ctx.query(ListQuery)
    listing = segments.contacts_page(ctx.user, segment, cursor=query.cursor, limit=query.limit)
    return listing_json(listing, lambda c: contact_json(c, ctx.user.can_see_confidential))
