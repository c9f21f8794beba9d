"""Reply addresses (what `reponse+<id>@…` stands for) and the tenant's inbox of replies no contact was found for.

- replies: hash key the tenant, range key the reply id; a reply arrives without a tenant, so two global indexes
  name it: by-reply (the id in the address it was sent to) and by-message (SES's message id, which a real reply's
  In-Reply-To carries; sparse: only addresses whose message was sent). One PutItem per message sent.
- inbox: hash key the tenant, range key a ULID of the time the reply was received: the inbox lists newest first,
  one Query a page. Its id is derived from SES's id of the email received, so a redelivered notification writes the
  same item, and the interaction an assignment makes takes the same id.

Both expire (DynamoDB TTL, `expires_at`): a reply address after ADDRESS_DAYS (a reply later than that finds its
contact by its sender, or lands in the inbox), an inbox message nobody assigned after INBOX_DAYS: personal data of
people who may be no contact at all are kept no longer than they serve (RGPD art. 5(1)(e)).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite
from ulid import ULID

from chalicelib.domain.listing import Listing
from chalicelib.errors import NotFound
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, connection, entity_of, get_entity, index, item_of, put_if
from chalicelib.store.entities import InboxMessage, Interaction, ReplyAddress
from chalicelib.store.interactions import InteractionItem
from chalicelib.store.transactions import conflict_if_busy

ADDRESS_DAYS = 730
INBOX_DAYS = 365


class ReplyAddressItem(BaseModel, entity=ReplyAddress, table="replies", keys=("tenant_id", "reply_id")):
    reply_key = UnicodeAttribute()
    message_key = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_reply: GlobalSecondaryIndex[ReplyAddressItem] = index("by-reply", "reply_key")
    by_message: GlobalSecondaryIndex[ReplyAddressItem] = index("by-message", "message_key")

    def refresh_keys(self) -> None:
        self.reply_key = self.reply_id
        self.message_key = self.message_id or None


class InboxItem(BaseModel, entity=InboxMessage, table="inbox", keys=("tenant_id", "inbox_id")):
    expires_at = TTLAttribute(null=True)


# --- reply addresses ------------------------------------------------------------------------------------------------


def put_address(address: ReplyAddress) -> None:
    """One PutItem: the address of one message (its ids are random, never reused)."""
    item_of(ReplyAddressItem, address, expires_at=datetime.now(UTC) + timedelta(days=ADDRESS_DAYS)).save()


def address_by_id(reply_id: str) -> ReplyAddress | None:
    """The address a reply was sent to (by-reply: one Query, whatever the tenant)."""
    item = next(iter(ReplyAddressItem.by_reply.query(reply_id, limit=1)), None)
    return entity_of(ReplyAddress, item) if item else None


def address_by_message(message_id: str) -> ReplyAddress | None:
    """The address of the message SES sent under this id (by-message: one Query)."""
    item = next(iter(ReplyAddressItem.by_message.query(message_id, limit=1)), None)
    return entity_of(ReplyAddress, item) if item else None


# --- the inbox --------------------------------------------------------------------------------------------------


def received_id(at: str, ses_message_id: str) -> str:
    """A ULID whose time is when the email was received and whose random part comes from SES's id of it: the same
    email, delivered twice, has the same id, and ids sort by reception."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
        millis = int(moment.timestamp() * 1000)
    except ValueError:
        millis = 0
    digest = hashlib.sha256(ses_message_id.encode()).digest()[:10]
    return str(ULID.from_bytes(max(0, millis).to_bytes(6, "big") + digest))


def put_in_inbox(message: InboxMessage) -> bool:
    """False when it is there already (a redelivered notification): nothing written."""
    item = item_of(InboxItem, message, expires_at=datetime.now(UTC) + timedelta(days=INBOX_DAYS))
    return put_if(item, InboxItem.inbox_id.does_not_exist())


def inbox_page(tenant_id: str, cursor: str | None, limit: int) -> Listing[InboxMessage]:
    """One exact page of the inbox, newest first (one Query)."""
    items, next_cursor = cursors.partition_page(
        InboxItem, tenant_id, cursor, limit, cursors.fingerprint(tenant_id, "inbox"), newest_first=True
    )
    return Listing([entity_of(InboxMessage, item) for item in items], next_cursor)


def get_inbox_message(tenant_id: str, inbox_id: str) -> InboxMessage | None:
    return get_entity(InboxMessage, InboxItem, tenant_id, inbox_id)


def put_reply(interaction: Interaction) -> bool:
    """A reply in a contact's history, unless it is there already (a redelivered notification): one conditional
    PutItem; False when nothing was written."""
    item = item_of(InteractionItem, interaction, sk=f"{interaction.contact_id}#{interaction.interaction_id}")
    return put_if(item, InteractionItem.sk.does_not_exist())


def move_to_history(message: InboxMessage, interaction: Interaction) -> None:
    """The inbox message leaves the inbox and enters the contact's history, together (one transaction); NotFound
    when someone assigned it meanwhile, Conflict when someone is assigning it at that very moment (another
    transaction on it: DynamoDB's TransactionConflict)."""
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.delete(item_of(InboxItem, message), condition=InboxItem.inbox_id.exists())
            tx.save(
                item_of(InteractionItem, interaction, sk=f"{interaction.contact_id}#{interaction.interaction_id}"),
                condition=InteractionItem.sk.does_not_exist(),
            )
    except TransactWriteError as exc:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons or []):
            raise NotFound("Ce message n'est plus dans la boîte de réception.") from exc
        conflict_if_busy(
            exc, "Ce message est en cours d'attribution par une autre personne ; rechargez la boîte de réception."
        )
        raise
