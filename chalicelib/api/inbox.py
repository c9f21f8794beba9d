"""/inbox: replies received that no contact could be matched to, until staff assign them to a contact."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.inbox import InboxAssign, InboxMessage, inbox_message_json
from chalicelib.schemas.interactions import Interaction, interaction_json
from chalicelib.services import replies

api = Api(__name__, "inbox", roles="write")


@api.get("/inbox", query=ListQuery, response=Page[InboxMessage], errors=(400,))
def list_inbox(ctx: Ctx) -> dict[str, Any]:
    """Replies no contact was found for, newest first"""
    query = ctx.query(ListQuery)
    return listing_json(replies.inbox(ctx.user, cursor=query.cursor, limit=query.limit), inbox_message_json)


@api.post("/inbox/{inbox_id}/assign", body=InboxAssign, response=Interaction, errors=(404, 409, 422))
def assign_inbox_message(ctx: Ctx, inbox_id: str) -> dict[str, Any]:
    """Move a reply of the inbox into a contact's history (an email_reply interaction)"""
    body = ctx.body(InboxAssign)
    return interaction_json(replies.assign(ctx.user, inbox_id, body.contact_id))
