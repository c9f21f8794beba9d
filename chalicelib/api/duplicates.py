"""/duplicates: possible duplicate contacts, the scan that finds them, pairs that are two people, and merges."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.duplicates import DismissBody, Dismissed, DuplicatePair, ScanQueued, pair_json
from chalicelib.schemas.merges import MergeBody, Merged, MergeUndone, merged_json, undone_json
from chalicelib.services import duplicates, merges

api = Api(__name__, "duplicates", roles="write", errors=(403,))


@api.get("/duplicates", query=ListQuery, response=Page[DuplicatePair], errors=(400, 422))
def list_duplicates(ctx: Ctx) -> dict[str, Any]:
    """Possible duplicate contacts, a page at a time: pairs with a score and the fields that agree"""
    query = ctx.query(ListQuery)
    return listing_json(duplicates.list_pairs(ctx.user, query.cursor, query.limit), pair_json)


@api.post("/duplicates/scan", response=ScanQueued, status=202)
def scan_duplicates(ctx: Ctx) -> dict[str, Any]:
    """Look for duplicates over the whole directory, in the background (cabinet, admin)"""
    return duplicates.request_scan(ctx.user)


@api.post("/duplicates/dismiss", body=DismissBody, response=Dismissed, errors=(404, 422))
def dismiss_duplicates(ctx: Ctx) -> dict[str, Any]:
    """Two contacts are two people: never propose them as duplicates again"""
    a, b = duplicates.dismiss(ctx.user, ctx.body(DismissBody).contact_ids)
    return {"contact_ids": [a, b], "dismissed": True}


@api.post("/duplicates/merge", body=MergeBody, response=Merged, errors=(404, 409, 422))
def merge_duplicates(ctx: Ctx) -> dict[str, Any]:
    """Merge duplicate contacts into one: fields filled, records moved, consents the most protective (cabinet, admin);
    undone within 30 days"""
    body = ctx.body(MergeBody)
    record, kept = merges.merge(ctx.user, body.keep_id, body.merge_ids)
    return merged_json(record, kept, ctx.user.can_see_confidential)


@api.post("/duplicates/merges/{merge_id}/undo", response=MergeUndone, errors=(404, 409))
def undo_merge(ctx: Ctx, merge_id: str) -> dict[str, Any]:
    """Undo a merge within 30 days: the merged contacts and their records come back (cabinet, admin)"""
    record, kept, restored = merges.undo(ctx.user, merge_id)
    return undone_json(record, kept, restored, ctx.user.can_see_confidential)
