"""/dev/outbox (local stage only): what SES and SNS were asked to send, newest first, each message viewable as its
recipient sees it. Registered by app.py in the local stage only, so it is absent from AWS and from their OpenAPI."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from chalice.app import Response
from pydantic import BaseModel, Field

from chalicelib.api.http import Api, Ctx
from chalicelib.errors import NotFound
from chalicelib.messaging import outbound
from chalicelib.schemas.common import Page, whole_list

api = Api(__name__, "dev", public=True)


class OutboxQuery(BaseModel):
    tenant_id: Annotated[str, Field(max_length=64)] | None = None
    limit: int = Field(default=50, ge=1, le=500)


class OutboxMessage(BaseModel):
    id: str
    tenant_id: str
    channel: str
    to: str
    subject: str | None
    provider_message_id: str
    sent_at: str
    text: str
    headers: dict[str, str] = Field(
        description="An email's Message-ID, Reply-To, List-Unsubscribe(-Post); {} for an SMS"
    )
    view_url: str


def outbox_message_json(message: dict[str, Any]) -> dict[str, Any]:
    """An outbox entry as listed: its recorded fields, and where to see it as its recipient does."""
    return {
        **{k: message[k] for k in OutboxMessage.model_fields if k in message},
        "headers": message.get("headers") or {},  # entries recorded before headers were kept have none
        "view_url": f"/dev/outbox/{message['id']}",
    }


@api.get("/dev/outbox", query=OutboxQuery, response=Page[OutboxMessage])
def outbox(ctx: Ctx) -> dict[str, Any]:
    """Local stage: the messages sent, newest first"""
    query = ctx.query(OutboxQuery)
    return whole_list([outbox_message_json(m) for m in outbound.outbox(query.tenant_id, query.limit)])


@api.get("/dev/outbox/{message_id}", errors=(404,), answers={200: ("text/html",)})
def outbox_message(ctx: Ctx, message_id: str) -> Response:
    """Local stage: one message as its recipient sees it"""
    entry = outbound.outbox_entry(message_id)
    if entry is None:
        raise NotFound("Message introuvable.")
    if entry.get("html"):
        body = entry["html"]
    else:
        body = (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>SMS</title></head><body><main>'
            f"<h1>SMS à {escape(entry['to'])}</h1><p>{escape(entry['text'])}</p></main></body></html>"
        )
    return Response(body=body, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})
