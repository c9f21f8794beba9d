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


@api.route(
    "/segments",
    "POST",
    summary="Create a segment: a named filter over the contacts (422 names each problem of the filter by its path)",
    body=SegmentCreate,
    response=SegmentOut,
    status=201,
    roles="write",
    errors=(422,),
)
def create_segment(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body(SegmentCreate)
    return segment_json(segments.create(ctx.user, name=body.name, filter_=body.filter, shared=body.shared))


@api.route("/segments", "GET", summary="Your segments and the shared ones, by name", response=Page[SegmentOut])
def list_segments(ctx: Ctx) -> dict[str, Any]:
    return whole_list([segment_json(s) for s in segments.visible(ctx.user)])


@api.route("/segments/{segment_id}", "GET", summary="One segment", response=SegmentOut, errors=(404,))
def get_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    return segment_json(segments.load(ctx.user, segment_id))


@api.route(
    "/segments/{segment_id}",
    "PATCH",
    summary="Change a segment (its author or an admin); version required",
    body=SegmentPatch,
    response=SegmentOut,
    roles="write",
    errors=(403, 404, 409, 422),
)
def patch_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    segment = segments.load(ctx.user, segment_id)
    body = ctx.body(SegmentPatch)
    changed = segments.update(
        ctx.user, segment, name=body.name, filter_=body.filter, shared=body.shared, version=body.version
    )
    return segment_json(changed)


@api.route(
    "/segments/{segment_id}",
    "DELETE",
    summary="Delete a segment (its author or an admin)",
    status=204,
    roles="write",
    errors=(403, 404, 409),
)
def delete_segment(ctx: Ctx, segment_id: str) -> None:
    segments.delete(ctx.user, segments.load(ctx.user, segment_id))


@api.route(
    "/segments/{segment_id}/preview",
    "GET",
    summary="How many contacts the segment holds now, and the first of them",
    response=SegmentPreview,
    errors=(404,),
)
def preview_segment(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    shown = segments.preview(ctx.user, segments.load(ctx.user, segment_id))
    return preview_json(shown.count, shown.contacts, ctx.user.can_see_confidential)


@api.route(
    "/segments/{segment_id}/contacts",
    "GET",
    summary="The segment's contacts, a page at a time (a cursor belongs to the segment's version)",
    query=ListQuery,
    response=Page[Contact],
    errors=(400, 404, 422),
)
def segment_contacts(ctx: Ctx, segment_id: str) -> dict[str, Any]:
    segment = segments.load(ctx.user, segment_id)
    query = ctx.query(ListQuery)
    listing = segments.contacts_page(ctx.user, segment, cursor=query.cursor, limit=query.limit)
    return listing_json(listing, lambda c: contact_json(c, ctx.user.can_see_confidential))
