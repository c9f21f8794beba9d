"""/inbox: replies received that no contact could be matched to, until staff assign them to a contact."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.inbox import InboxAssign, InboxMessage, inbox_message_json
from chalicelib.schemas.interactions import Interaction, interaction_json
from chalicelib.services import replies

api = Api(__name__, "inbox")


@api.route(
    "/inbox",
    "GET",
    summary="Replies no contact was found for, newest first",
    query=ListQuery,
    response=Page[InboxMessage],
    roles="write",
    errors=(400,),
)
def list_inbox(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(ListQuery)
    return listing_json(replies.inbox(ctx.user, cursor=query.cursor, limit=query.limit), inbox_message_json)


@api.route(
    "/inbox/{inbox_id}/assign",
    "POST",
    summary="Move a reply of the inbox into a contact's history (an email_reply interaction)",
    body=InboxAssign,
    response=Interaction,
    roles="write",
    errors=(404, 409, 422),
)
def assign_inbox_message(ctx: Ctx, inbox_id: str) -> dict[str, Any]:
    body = ctx.body(InboxAssign)
    return interaction_json(replies.assign(ctx.user, inbox_id, body.contact_id))
