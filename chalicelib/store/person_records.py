"""What the store holds about one person, for the right of access (RGPD art. 15), read without a Scan.

Most records hang off the contact's key (interactions, mandates, consents) or an index by contact (tasks). Two do
not, and are reached through their parent's keys instead:
- invitations: the table is keyed by invitation, indexed by event; but every invitation writes a guard
  ``~{event}#{contact}`` naming it, for the guest and for a partner. So: the tenant's event ids (one Query of its
  events partition, ids only), then the guards of (event, contact) by BatchGetItem (100 keys a call), then the
  invitations they point to.
- campaign messages: keyed ``{campaign}#{contact}``. So: the tenant's campaign ids (one Query, ids only), then
  the messages by BatchGetItem.
Audit entries have no index by record: the tenant's log is read newest first, up to `AUDIT_READ_LIMIT` entries
(one Query, pages of 1 MB), keeping those about the contact (its id as the record, or among the ids a list or an
export showed); `audit_about` says when it stopped before the log's start.
"""

from __future__ import annotations

from chalicelib.store.audit import AuditItem
from chalicelib.store.base import entity_of
from chalicelib.store.campaigns import CampaignItem
from chalicelib.store.entities import AuditEntry, CampaignMessage, Event, Interaction, Invitation, Task
from chalicelib.store.events import EventItem
from chalicelib.store.interactions import InteractionItem, TaskItem
from chalicelib.store.invitations import InvitationGuard, InvitationItem, guard_key
from chalicelib.store.messages import MessageItem

TASK_STATUSES = ("open", "done", "cancelled")
AUDIT_READ_LIMIT = 20_000


def interactions_of(tenant_id: str, contact_id: str) -> list[Interaction]:
    """Every interaction of the contact, newest first (one Query of its key prefix)."""
    items = InteractionItem.query(tenant_id, InteractionItem.sk.startswith(f"{contact_id}#"), scan_index_forward=False)
    return [entity_of(Interaction, item) for item in items]


def tasks_of(tenant_id: str, contact_id: str) -> list[Task]:
    """Every task about the contact, whatever its status (one Query of by-contact per status)."""
    return [
        entity_of(Task, item)
        for status in TASK_STATUSES
        for item in TaskItem.by_contact.query(f"{tenant_id}#{contact_id}#{status}")
    ]


def invitations_of(tenant_id: str, contact_id: str) -> tuple[list[Invitation], dict[str, Event]]:
    """The invitations naming the contact (as guest or partner) and their events, by event id."""
    events = {item.event_id: entity_of(Event, item) for item in EventItem.query(tenant_id)}
    keys = [(tenant_id, guard_key(event_id, contact_id)) for event_id in events]
    pointed = sorted({guard.points_to for guard in InvitationGuard.batch_get(keys)}) if keys else []
    found = [entity_of(Invitation, item) for item in InvitationItem.batch_get([(tenant_id, i) for i in pointed])]
    found.sort(key=lambda i: (i.created_at, i.invitation_id))
    return found, {i.event_id: events[i.event_id] for i in found if i.event_id in events}


def messages_of(tenant_id: str, contact_id: str) -> dict[str, CampaignMessage]:
    """campaign id → the contact's message in that campaign (planned, sent, skipped…)."""
    campaign_ids = [item.campaign_id for item in CampaignItem.query(tenant_id, attributes_to_get=["campaign_id"])]
    keys = [(tenant_id, f"{campaign_id}#{contact_id}") for campaign_id in campaign_ids]
    items = MessageItem.batch_get(keys) if keys else []
    return {item.campaign_id: entity_of(CampaignMessage, item, links=sorted(item.links or ())) for item in items}


def audit_about(tenant_id: str, contact_id: str) -> tuple[list[AuditEntry], bool]:
    """The audit entries about the contact among the newest `AUDIT_READ_LIMIT` of the tenant's log, newest first,
    and whether older entries were left unread."""
    result = AuditItem.query(tenant_id, scan_index_forward=False, limit=AUDIT_READ_LIMIT, page_size=1000)
    found: list[AuditEntry] = []
    read = 0
    for item in result:
        read += 1
        ids = (item.detail or {}).get("ids")
        if item.resource_id == contact_id or (isinstance(ids, list) and contact_id in ids):
            found.append(entity_of(AuditEntry, item))
    return found, read >= AUDIT_READ_LIMIT and result.last_evaluated_key is not None
