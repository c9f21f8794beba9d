"""/contacts/{id}/mandates and /mandates: who holds which mandate, function or désignation."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, listing_json, whole_list
from chalicelib.schemas.protocol import (
    Mandate,
    MandateCreate,
    MandateListQuery,
    MandatePatch,
    mandate_doc,
    mandate_json,
    merged_mandate,
)
from chalicelib.services import contacts, mandates

api = Api(__name__, "protocol")
contact_api = api.resource("/contacts/{contact_id}", roles="write", errors=(404,))


@contact_api.post("/mandates", body=MandateCreate, response=Mandate, status=201, errors=(422,))
def create_mandate(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """Add a mandate, function or désignation"""
    contact = contacts.load(ctx.user, contact_id)
    return mandate_json(mandates.create(ctx.user, contact, mandate_doc(ctx.body(MandateCreate))))


@contact_api.get("/mandates", response=Page[Mandate], roles="any")
def list_contact_mandates(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """A contact's mandates"""
    return whole_list([mandate_json(m) for m in mandates.list_for_contact(ctx.user, contact_id)])


@contact_api.patch("/mandates/{mandate_id}", body=MandatePatch, response=Mandate, errors=(409, 422))
def patch_mandate(ctx: Ctx, contact_id: str, mandate_id: str) -> dict[str, Any]:
    """Change a mandate; version required"""
    mandate = mandates.load(ctx.user, contact_id, mandate_id)
    patch = ctx.body(MandatePatch)
    doc, changed = merged_mandate(mandate.doc, patch)
    return mandate_json(mandates.update(ctx.user, mandate, doc, changed=changed, version=patch.version))


@contact_api.delete("/mandates/{mandate_id}", status=204, errors=(409,))
def delete_mandate(ctx: Ctx, contact_id: str, mandate_id: str) -> None:
    """Remove a mandate"""
    mandates.delete(ctx.user, mandates.load(ctx.user, contact_id, mandate_id))


@api.get("/mandates", query=MandateListQuery, response=Page[Mandate], errors=(400, 422))
def list_mandates(ctx: Ctx) -> dict[str, Any]:
    """Mandates by function, territory, active day, end before a date"""
    query = ctx.query(MandateListQuery)
    listing = mandates.list_mandates(
        ctx.user,
        function=query.function,
        territory_code=query.territory_code,
        active_on=query.active_on,
        ending_before=query.ending_before,
        cursor=query.cursor,
        limit=query.limit,
    )
    return listing_json(listing, mandate_json)
