"""The inbox: replies received that no contact could be matched to (GET /inbox, POST /inbox/{id}/assign)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from chalicelib.schemas.common import Model, StrictModel, built
from chalicelib.store import entities

ContactId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


class InboxMessage(Model):
    id: str
    received_at: str
    sender: str = Field(description="The From address, lower-cased")
    sender_name: str
    subject: str
    excerpt: str = Field(description="The sender's own words, without the message quoted below them")
    reply_to_ref: str | None = Field(description="What the reply answers, when it came to one of our reply addresses")
    stop_requested: bool = Field(
        description="It asks to stop (« STOP », « désinscription »): the sender's address is already suppressed; "
        "assigning it withdraws that contact's email consent"
    )


class InboxAssign(StrictModel):
    contact_id: ContactId


def inbox_message_json(m: entities.InboxMessage) -> dict[str, Any]:
    """`InboxMessage`."""
    return built(InboxMessage, m, id=m.inbox_id, reply_to_ref=m.ref)
