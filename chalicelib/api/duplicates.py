"""/duplicates: possible duplicate contacts, the scan that finds them, and pairs that are two people."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.duplicates import DismissBody, Dismissed, DuplicatePair, ScanQueued, pair_json
from chalicelib.services import duplicates

api = Api(__name__, "duplicates")


@api.route(
    "/duplicates",
    "GET",
    summary="Possible duplicate contacts, a page at a time: pairs with a score and the fields that agree",
    query=ListQuery,
    response=Page[DuplicatePair],
    roles="write",
    errors=(400, 403, 422),
)
def list_duplicates(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(ListQuery)
    return listing_json(duplicates.list_pairs(ctx.user, query.cursor, query.limit), pair_json)


@api.route(
    "/duplicates/scan",
    "POST",
    summary="Look for duplicates over the whole directory, in the background (cabinet, admin)",
    response=ScanQueued,
    status=202,
    roles="write",
    errors=(403,),
)
def scan_duplicates(ctx: Ctx) -> dict[str, Any]:
    return duplicates.request_scan(ctx.user)


@api.route(
    "/duplicates/dismiss",
    "POST",
    summary="Two contacts are two people: never propose them as duplicates again",
    body=DismissBody,
    response=Dismissed,
    roles="write",
    errors=(403, 404, 422),
)
def dismiss_duplicates(ctx: Ctx) -> dict[str, Any]:
    a, b = duplicates.dismiss(ctx.user, ctx.body(DismissBody).contact_ids)
    return {"contact_ids": [a, b], "dismissed": True}
