"""Campaign messages, one per (campaign, recipient), and each contact's engagement: the `messages` table.

- messages: sort key "{campaign_id}#{contact_id}": a campaign's messages are one Query (its report, its CSV), a
  chunk's are one BatchGetItem; `queued` (or `skipped`) when planned, then `sent` | `failed` | `unknown`. In the
  sparse GSI by-provider-id once SES gave its message id: an SES event finds its message without knowing the
  tenant (the item names it).
- chunk marks: sort key "~chunk#{campaign_id}#{key}": a chunk of recipients taken by a worker, before any send.
- engagement: sort key "~eng#{contact_id}" (never a campaign's: « ~ » sorts after every ULID): a contact's last
  open and click across campaigns; segments read a tenant's with one Query.
Each SES notification applied to a message is remembered (`seen`, SNS's notification ids): one delivered twice is
applied once, so opens and clicks are counted right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.store.base import (
    BaseModel,
    cause_code,
    connection,
    entity_of,
    index,
    item_of,
    now_iso,
    put_if,
    update_if,
)
from chalicelib.store.entities import CampaignMessage, Engagement
from chalicelib.store.transactions import retried_when_busy

ENGAGEMENT = "~eng#"
CHUNK = "~chunk#"
RECORD_LIMIT = 99  # messages recorded in one transaction, with the campaign's counters: TransactWriteItems' 100
SEEN_MAX = 200  # notifications remembered per message: far more than a message gets, bounded all the same


class MessageItem(BaseModel, entity=CampaignMessage, table="messages", keys=("tenant_id", "sk")):
    # sk: "{campaign_id}#{contact_id}"
    ses_message_id = UnicodeAttribute(null=True)
    links = UnicodeSetAttribute(null=True)  # the links this recipient clicked
    seen = UnicodeSetAttribute(null=True)
    by_provider_id: GlobalSecondaryIndex[MessageItem] = index("by-provider-id", "ses_message_id")


class EngagementItem(BaseModel, entity=Engagement, table="messages", keys=("tenant_id", "sk")):
    """The sort key sk is "~eng#{contact_id}", in the messages' table."""


def _key(campaign_id: str, contact_id: str) -> str:
    return f"{campaign_id}#{contact_id}"


def _entity(item: MessageItem) -> CampaignMessage:
    return entity_of(CampaignMessage, item, links=sorted(item.links or ()))


def _item(message: CampaignMessage) -> MessageItem:
    return item_of(MessageItem, message, sk=_key(message.campaign_id, message.contact_id))


def write_planned(messages: Iterable[CampaignMessage]) -> None:
    """Write messages whole (BatchWriteItem, 25 a call): a put replaces what is there, so only when nothing else
    writes them (the plan, before any chunk; a chunk's outcomes, before SES's events can find them)."""
    with MessageItem.batch_write() as batch:
        for message in messages:
            batch.save(_item(message))


def batch_get(tenant_id: str, campaign_id: str, contact_ids: Sequence[str]) -> dict[str, CampaignMessage]:
    keys = [(tenant_id, _key(campaign_id, cid)) for cid in dict.fromkeys(contact_ids)]
    return {item.contact_id: _entity(item) for item in MessageItem.batch_get(keys)} if keys else {}


def of_campaign(tenant_id: str, campaign_id: str) -> Iterator[CampaignMessage]:
    """Every message of a campaign, in contact id order (one Query, page by page)."""
    for item in MessageItem.query(tenant_id, MessageItem.sk.startswith(f"{campaign_id}#")):
        yield _entity(item)


def by_provider_id(ses_message_id: str) -> CampaignMessage | None:
    for item in MessageItem.by_provider_id.query(ses_message_id, limit=1):
        return _entity(item)
    return None


# --- the send mark --------------------------------------------------------------------------------------------------


def _shell(message: CampaignMessage) -> MessageItem:
    return MessageItem(message.tenant_id, _key(message.campaign_id, message.contact_id))


class ChunkMarkItem(BaseModel, table="messages", keys=("tenant_id", "sk")):
    """A chunk of a campaign taken by a worker (sort key "~chunk#{campaign_id}#{key}"): written once, on the
    condition that it is not there yet."""

    at = UnicodeAttribute()


def mark_chunk(tenant_id: str, campaign_id: str, key: str) -> bool:
    """Take a chunk: True the first time, False when it was taken before (a redelivery). One conditional PutItem."""
    mark = ChunkMarkItem(tenant_id, f"{CHUNK}{campaign_id}#{key}", at=now_iso())
    return put_if(mark, ChunkMarkItem.sk.does_not_exist())


def record_outcomes(tenant_id: str, campaign_id: str, messages: Sequence[CampaignMessage]) -> list[CampaignMessage]:
    """The messages with their outcome (status, SES's id, when, why) and the campaign's counters moved by as many,
    in one TransactWriteItems (at most RECORD_LIMIT messages): both or neither, so that a worker that dies between
    them cannot leave a campaign whose counters never reach its recipients. A message is recorded only while still
    `queued`: one recorded before (this worker again after an answer it lost, or a second worker given the same
    chunk) keeps its outcome and is not counted twice. Returns the messages recorded by this call.

    A message is written once after its send, before which SES's events for it cannot find it
    (services/mail_events.py lets SQS deliver those again a little later)."""
    from chalicelib.store.campaigns import CampaignItem

    pending = list(messages)
    if len(pending) > RECORD_LIMIT:
        raise ValueError(f"at most {RECORD_LIMIT} outcomes a transaction, not {len(pending)}")
    while pending:
        statuses = [m.status for m in pending]
        try:
            with TransactWrite(connection=connection()) as tx:
                for message in pending:
                    tx.save(_item(message), condition=MessageItem.status == "queued")
                tx.update(
                    CampaignItem(tenant_id, campaign_id),
                    actions=[
                        CampaignItem.sent.add(statuses.count("sent")),
                        CampaignItem.failed.add(statuses.count("failed")),
                        CampaignItem.unknown.add(statuses.count("unknown")),
                        CampaignItem.updated_at.set(now_iso()),
                    ],
                    add_version_condition=False,  # counters move whatever staff did: no edit conflicts with them
                )
            return pending
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons if cause_code(exc) == "TransactionCanceledException" else []
            taken = {n for n, r in enumerate(reasons[: len(pending)]) if r and r.code == "ConditionalCheckFailed"}
            if not taken or any(r and r.code != "ConditionalCheckFailed" for r in reasons):
                raise
            pending = [m for n, m in enumerate(pending) if n not in taken]  # recorded already: the rest again
    return []


# --- what SES says of a message sent -----------------------------------------------------------------------------


def records(kind: str, link: str | None) -> bool:
    """Whether an SES event of this kind changes its message (a click without its link does not)."""
    return kind in _EVENT_ACTIONS and (kind != "click" or bool(link))


def apply_event(
    message: CampaignMessage, notification_id: str, kind: str, at: str, *, link: str | None, bounce: str | None
) -> bool:
    """Apply an SES notification to its message once: False (nothing written) when this notification was applied
    before, or the message has seen SEEN_MAX of them."""
    actions = _EVENT_ACTIONS[kind](at, link or "", bounce or "soft")
    item = _shell(message)
    condition = MessageItem.sk.exists() & ~MessageItem.seen.contains(notification_id)
    if not update_if(item, [*actions, MessageItem.seen.add({notification_id})], condition):
        return False
    return len(item.seen or ()) <= SEEN_MAX


def unsubscribed(tenant_id: str, campaign_id: str, contact_id: str, at: str) -> bool:
    """The recipient unsubscribed from this campaign's message (first time only); False if it is not one. Tried
    again while a worker's transaction records the message's send at that moment: the objection is already
    recorded, and its page must not fail on the report's count."""
    item = MessageItem(tenant_id, _key(campaign_id, contact_id))
    condition = MessageItem.sk.exists() & MessageItem.unsubscribed_at.does_not_exist()
    return retried_when_busy(lambda: update_if(item, [MessageItem.unsubscribed_at.set(at)], condition))


# SES event kinds → the changes to the message, from the event's time, link and bounce type. The first open's and
# click's times are kept (if_not_exists: two opens handled at once keep the first).
_EVENT_ACTIONS: dict[str, Callable[[str, str, str], list[Action]]] = {
    "delivery": lambda at, link, bounce: [MessageItem.delivered_at.set(at)],
    "bounce": lambda at, link, bounce: [MessageItem.bounce.set(bounce), MessageItem.bounced_at.set(at)],
    "complaint": lambda at, link, bounce: [MessageItem.complained_at.set(at)],
    "reject": lambda at, link, bounce: [
        MessageItem.rejected_at.set(at),
        MessageItem.status.set("failed"),
        MessageItem.reason.set("Refusé par SES (Reject)."),
    ],
    "open": lambda at, link, bounce: [
        MessageItem.opens.add(1),
        MessageItem.first_open_at.set(MessageItem.first_open_at | at),
    ],
    "click": lambda at, link, bounce: [
        MessageItem.clicks.add(1),
        MessageItem.links.add({link[:2048]}),
        MessageItem.first_click_at.set(MessageItem.first_click_at | at),
    ],
}


# --- engagement -------------------------------------------------------------------------------------------------


def engage(tenant_id: str, contact_id: str, kind: str, at: str) -> None:
    """An open or a click by a contact: its last one and its count (one UpdateItem, created if absent)."""
    item = EngagementItem(tenant_id, f"{ENGAGEMENT}{contact_id}")
    if kind == "open":
        actions = [EngagementItem.last_open_at.set(at), EngagementItem.opens.add(1)]
    else:
        actions = [EngagementItem.last_click_at.set(at), EngagementItem.clicks.add(1)]
    item.update(actions=[*actions, EngagementItem.contact_id.set(contact_id)])


def engagement_of_tenant(tenant_id: str) -> dict[str, Engagement]:
    """contact id → engagement, for every contact of the tenant that opened or clicked (one Query, page by page)."""
    items = EngagementItem.query(tenant_id, EngagementItem.sk.startswith(ENGAGEMENT))
    return {i.contact_id: entity_of(Engagement, i) for i in items}


def engagement_of(tenant_id: str, contact_ids: Sequence[str]) -> dict[str, Engagement]:
    keys = [(tenant_id, f"{ENGAGEMENT}{cid}") for cid in dict.fromkeys(contact_ids)]
    return {i.contact_id: entity_of(Engagement, i) for i in EngagementItem.batch_get(keys)} if keys else {}
