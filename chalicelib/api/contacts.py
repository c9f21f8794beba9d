"""/contacts: the contact directory."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page
from chalicelib.schemas.contacts import Contact, ContactCreate, ContactListQuery, ContactPatch, ContactView
from chalicelib.schemas.interactions import Interaction, InteractionCreate, InteractionCreated
from chalicelib.services import contacts, interactions

api = Api(__name__, "contacts")


@api.route(
    "/contacts",
    "POST",
    summary="Create a contact",
    body=ContactCreate,
    response=Contact,
    status=201,
    roles="write",
    errors=(422,),
)
def create_contact(ctx: Ctx) -> dict[str, Any]:
    contacts.require_field_access(ctx.user, ctx.peek_json())
    return contacts.create(ctx.user, ctx.body(ContactCreate))


@api.route(
    "/contacts",
    "GET",
    summary="List or search contacts (q: every word matches the start of a name word)",
    query=ContactListQuery,
    response=Page[Contact],
    errors=(400, 422),
)
def list_contacts(ctx: Ctx) -> dict[str, Any]:
    return contacts.list_contacts(ctx.user, ctx.query(ContactListQuery))


@api.route("/contacts/{contact_id}", "GET", summary="360° view of a contact", response=ContactView, errors=(404,))
def get_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    return contacts.view(ctx.user, contact_id)


@api.route(
    "/contacts/{contact_id}",
    "PATCH",
    summary="Replace the given fields (lists whole); version required",
    body=ContactPatch,
    response=Contact,
    roles="write",
    errors=(404, 409, 422),
)
def patch_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    contacts.require_field_access(ctx.user, ctx.peek_json())
    item = contacts.load(ctx.user, contact_id)
    return contacts.update(ctx.user, item, ctx.body(ContactPatch))


@api.route(
    "/contacts/{contact_id}",
    "DELETE",
    summary="Delete a contact and its history for good (admin); others archive it (PATCH archived: true)",
    status=204,
    roles="admin",
    errors=(403, 404),
    forbidden="Seuls les administrateurs suppriment un contact et son historique : archivez-le plutôt "
    "(PATCH /contacts/{id} avec « archived »: true), ce qui le retire des listes et des envois.",
)
def delete_contact(ctx: Ctx, contact_id: str) -> None:
    contacts.delete(ctx.user, contact_id)


@api.route(
    "/contacts/{contact_id}/interactions",
    "POST",
    summary="Record an interaction (optional follow-up task)",
    body=InteractionCreate,
    response=InteractionCreated,
    status=201,
    roles="write",
    errors=(404, 422),
)
def create_interaction(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    contact = contacts.load(ctx.user, contact_id)
    return interactions.create(ctx.user, contact, ctx.body(InteractionCreate))


@api.route(
    "/contacts/{contact_id}/interactions",
    "GET",
    summary="A contact's interactions, newest first",
    query=ListQuery,
    response=Page[Interaction],
    errors=(404,),
)
def list_interactions(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    return interactions.list_for_contact(ctx.user, contact_id, ctx.query(ListQuery))
