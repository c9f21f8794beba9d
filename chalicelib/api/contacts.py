"""/contacts: the contact directory."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.contacts import (
    Contact,
    ContactCreate,
    ContactCreated,
    ContactListQuery,
    ContactPatch,
    ContactView,
    contact_created_json,
    contact_doc,
    contact_json,
    contact_view_json,
    merged_contact,
)
from chalicelib.schemas.erasure import ContactCreateQuery, ContactDeleteQuery
from chalicelib.schemas.interactions import (
    Interaction,
    InteractionCreate,
    InteractionCreated,
    interaction_created_json,
    interaction_json,
    new_interaction,
)
from chalicelib.services import contacts, duplicates, erasure, interactions

api = Api(__name__, "contacts")
contact_api = api.resource("/contacts/{contact_id}", errors=(404,))


@api.post(
    "/contacts",
    body=ContactCreate,
    query=ContactCreateQuery,
    response=ContactCreated,
    status=201,
    roles="write",
    errors=(403, 409, 422),
)
def create_contact(ctx: Ctx) -> dict[str, Any]:
    """Create a contact (409 when its email or phone belongs to a person who asked for erasure)"""
    contacts.require_field_access(ctx.user, ctx.peek_json())
    override = ctx.query(ContactCreateQuery).override_erasure
    created = contacts.create(ctx.user, contact_doc(ctx.body(ContactCreate)), override_erasure=override)
    possible = duplicates.check_new(ctx.user, created)
    return contact_created_json(created, ctx.user.can_see_confidential, possible)


@api.get("/contacts", query=ContactListQuery, response=Page[Contact], errors=(400, 422))
def list_contacts(ctx: Ctx) -> dict[str, Any]:
    """List or search contacts (q: every word matches the start of a name word)"""
    query = ctx.query(ContactListQuery)
    listing = contacts.list_contacts(
        ctx.user,
        q=query.q,
        tag=query.tag,
        kind=query.kind,
        archived=query.archived,
        cursor=query.cursor,
        limit=query.limit,
    )
    return listing_json(listing, lambda c: contact_json(c, ctx.user.can_see_confidential))


@contact_api.get(response=ContactView)
def get_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """360° view of a contact"""
    return contact_view_json(contacts.view(ctx.user, contact_id), ctx.user.can_see_confidential)


@contact_api.patch(body=ContactPatch, response=Contact, roles="write", errors=(409, 422))
def patch_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """Replace the given fields (lists whole); version required"""
    contacts.require_field_access(ctx.user, ctx.peek_json())
    contact = contacts.load(ctx.user, contact_id)
    patch = ctx.body(ContactPatch)
    doc, fields = merged_contact(contact.doc, patch)
    updated = contacts.update(ctx.user, contact, doc, fields, patch.version)
    return contact_json(updated, ctx.user.can_see_confidential)


@contact_api.delete(
    query=ContactDeleteQuery,
    status=204,
    roles="admin",
    errors=(403, 409, 422),
    forbidden="Seuls les administrateurs suppriment un contact et son historique : archivez-le plutôt "
    "(PATCH /contacts/{id} avec « archived »: true), ce qui le retire des listes et des envois.",
)
def delete_contact(ctx: Ctx, contact_id: str) -> None:
    """Delete a contact and its history for good, or erase the person (mode=erase, RGPD art. 17) (admin); others archive
    it (PATCH archived: true)"""
    if ctx.query(ContactDeleteQuery).mode == "erase":
        erasure.erase(ctx.user, contact_id)
    else:
        contacts.delete(ctx.user, contact_id)


@contact_api.post(
    "/interactions", body=InteractionCreate, response=InteractionCreated, status=201, roles="write", errors=(422,)
)
def create_interaction(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """Record an interaction (optional follow-up task)"""
    contact = contacts.load(ctx.user, contact_id)
    interaction, task = interactions.create(ctx.user, contact, new_interaction(ctx.body(InteractionCreate)))
    return interaction_created_json(interaction, task)


@contact_api.get("/interactions", query=ListQuery, response=Page[Interaction])
def list_interactions(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """A contact's interactions, newest first"""
    query = ctx.query(ListQuery)
    listing = interactions.list_for_contact(ctx.user, contact_id, cursor=query.cursor, limit=query.limit)
    return listing_json(listing, interaction_json)
