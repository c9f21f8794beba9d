"""The retention policy of a tenant, and what the retention run reads about a page of contacts in few calls.

- policy: an item of the tenants table, sort key "retention" (beside the settings), its map the policy as stored.
- facts: per page of contacts (one Query of the contacts partition), the future events' invitation guards by
  BatchGetItem, the campaigns' messages by BatchGetItem, consents by BatchGetItem per channel; per contact, one
  Query for its latest interaction and one for an open task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.errors import Conflict
from chalicelib.store import consents as consents_store
from chalicelib.store import interactions as interactions_store
from chalicelib.store.base import condition_failed, now_iso
from chalicelib.store.campaigns import CampaignItem
from chalicelib.store.events import EventItem
from chalicelib.store.invitations import InvitationGuard, guard_key
from chalicelib.store.messages import MessageItem
from chalicelib.store.tenants import TenantItem

POLICY_SK = "retention"
STALE = "La politique de conservation a été modifiée entre-temps ; rechargez-la puis réessayez."
CHANNELS = ("email", "sms", "post", "phone")


def get_policy(tenant_id: str) -> tuple[dict[str, Any] | None, int | None]:
    """The policy as stored (None: never set) and its version."""
    try:
        item = TenantItem.get(tenant_id, POLICY_SK)
    except TenantItem.DoesNotExist:
        return None, None
    return dict(item.data or {}), item.version


def save_policy(tenant_id: str, data: dict[str, Any], version: int | None) -> int:
    """Write the policy if nobody wrote it since ``version`` was read (None: if it was never set); its new version."""
    item = TenantItem(tenant_id, POLICY_SK, data=data, updated_at=now_iso())
    if version is not None:
        item.version = version
    try:
        item.save()
    except PutError as exc:
        if condition_failed(exc):
            raise Conflict(STALE) from exc
        raise
    return int(item.version or 0)


def future_event_ids(tenant_id: str, now: str) -> list[str]:
    """The tenant's events that have not started (one Query of its events partition)."""
    return [item.event_id for item in EventItem.query(tenant_id) if str((item.doc or {}).get("starts_at", "")) > now]


def invited(tenant_id: str, event_ids: Sequence[str], contact_ids: Sequence[str]) -> set[str]:
    """The contacts among these invited (as guest or partner) to one of these events: their guards, BatchGetItem."""
    keys = [(tenant_id, guard_key(e, c)) for e in event_ids for c in contact_ids]
    return {guard.invitation_id.rsplit("#", 1)[1] for guard in InvitationGuard.batch_get(keys)} if keys else set()


def campaign_ids(tenant_id: str) -> list[str]:
    return [item.campaign_id for item in CampaignItem.query(tenant_id, attributes_to_get=["campaign_id"])]


def last_sent(tenant_id: str, campaigns: Sequence[str], contact_ids: Sequence[str]) -> dict[str, str]:
    """contact id → when the latest campaign message was sent to them, for those who were sent one."""
    keys = [(tenant_id, f"{c}#{cid}") for c in campaigns for cid in contact_ids]
    found: dict[str, str] = {}
    for item in MessageItem.batch_get(keys) if keys else []:
        if item.sent_at and item.sent_at > found.get(item.contact_id, ""):
            found[item.contact_id] = item.sent_at
    return found


def consents_of(tenant_id: str, contact_ids: Sequence[str]) -> dict[str, tuple[bool, str]]:
    """contact id → (a consent granted on some channel, when a consent was last recorded)."""
    found: dict[str, tuple[bool, str]] = {}
    for channel in CHANNELS:
        for cid, consent in consents_store.on_channel(tenant_id, channel, contact_ids).items():
            granted, at = found.get(cid, (False, ""))
            found[cid] = (granted or consent.status == "granted", max(at, consent.at or ""))
    return found


def last_interactions(tenant_id: str, contact_ids: Iterable[str]) -> dict[str, str]:
    """contact id → the date of its latest interaction (one Query each, the newest only)."""
    found: dict[str, str] = {}
    for cid in contact_ids:
        for interaction in interactions_store.recent_for_contact(tenant_id, cid, 1):
            found[cid] = max(interaction.date, interaction.created_at)
    return found


def with_open_tasks(tenant_id: str, contact_ids: Iterable[str]) -> set[str]:
    """The contacts among these with an open task (one Query each on by-contact, one item)."""
    return {cid for cid in contact_ids if interactions_store.open_tasks_for_contact(tenant_id, cid, limit=1)}
