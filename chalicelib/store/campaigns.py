"""Campaigns: one item per campaign (tenant, campaign id), versioned for staff edits, with counters that the
sending workers move by atomic ADDs, in the transaction that records the outcomes they count
(store/messages.record_outcomes), whatever the number of workers.

A scheduled campaign is in the sparse GSI by-due (`due_key` = "{scheduled_at}#{tenant}#{campaign}") while it
waits: the starting job queries what is due, never scans, and the lookup is tenant-free as a schedule's must be.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.expressions.update import Action
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, VersionedRepository, entity_of, index, update_if
from chalicelib.store.entities import Campaign
from chalicelib.store.transactions import busy_is_conflict

STALE = "Cette campagne a été modifiée entre-temps ; rechargez-la puis réessayez."
RECORDING = "Cette campagne enregistre des envois à cet instant : veuillez réessayer dans un moment."
DUE_SHARD = "due"


class CampaignItem(BaseModel, entity=Campaign, table="campaigns", keys=("tenant_id", "campaign_id")):
    due_shard = UnicodeAttribute(null=True)  # "due" while scheduled, absent otherwise
    due_key = UnicodeAttribute(null=True)
    by_due: GlobalSecondaryIndex[CampaignItem] = index("by-due", "due_shard", "due_key")

    def refresh_keys(self) -> None:
        scheduled_at = (self.doc.get("content") or {}).get("scheduled_at")
        waiting = self.status == "scheduled" and scheduled_at
        self.due_key = f"{scheduled_at}#{self.tenant_id}#{self.campaign_id}" if waiting else None
        self.due_shard = DUE_SHARD if waiting else None


_repo = VersionedRepository(Campaign, CampaignItem, STALE)
get = _repo.get  # (tenant_id, campaign_id, *, consistent)
save = _repo.save  # under the version read; 409 if someone wrote it meanwhile
all_of_tenant = _repo.all_of_tenant  # oldest first, tens a year


def save_if(campaign: Campaign, *, status: str, recipients: bool = False) -> bool:
    """Write the campaign's status, doc (and `recipients` if asked) only while the stored one is still in
    ``status``, whatever its version: the transitions a job or a request races on (start, plan, cancel, fail). An
    UpdateItem, never a Put: the counters the workers are adding to stay as they are. False, nothing written, when
    the status has changed; Conflict(RECORDING) when a worker's transaction is writing its counters at that moment."""
    item = _repo.item(campaign)  # its derived keys: in the by-due index while scheduled
    actions: list[Action] = [
        CampaignItem.status.set(campaign.status),
        CampaignItem.doc.set(dict(campaign.doc)),
        CampaignItem.updated_at.set(campaign.updated_at),
    ]
    if recipients:
        actions.append(CampaignItem.recipients.set(campaign.recipients))
    if item.due_key:
        actions += [CampaignItem.due_key.set(item.due_key), CampaignItem.due_shard.set(DUE_SHARD)]
    else:
        actions += [CampaignItem.due_key.remove(), CampaignItem.due_shard.remove()]
    shell = CampaignItem(campaign.tenant_id, campaign.campaign_id)
    with busy_is_conflict(RECORDING):  # the workers' transactions add to its counters
        if not update_if(shell, actions, CampaignItem.status == status, add_version_condition=False):
            return False
    campaign.version = shell.version
    return True


def page(tenant_id: str, cursor: str | None, limit: int) -> tuple[list[Campaign], str | None]:
    """One exact page of the tenant's campaigns, newest first."""
    fingerprint = cursors.fingerprint("campaigns", tenant_id)
    items, next_cursor = cursors.partition_page(CampaignItem, tenant_id, cursor, limit, fingerprint, newest_first=True)
    return [entity_of(Campaign, item) for item in items], next_cursor


def due(until: str) -> list[Campaign]:
    """Scheduled campaigns whose time has come (``until``, UTC ISO), of every tenant."""
    upper = f"{until}#\uffff"
    return [entity_of(Campaign, i) for i in CampaignItem.by_due.query(DUE_SHARD, CampaignItem.due_key <= upper)]


def finish(campaign: Campaign, *, finished_at: str) -> bool:
    """sending → sent, once every planned message has an outcome; False if another worker or a cancel got there
    first."""
    item = CampaignItem(campaign.tenant_id, campaign.campaign_id)
    actions: list[Action] = [
        CampaignItem.status.set("sent"),
        CampaignItem.finished_at.set(finished_at),
        CampaignItem.updated_at.set(finished_at),
    ]
    if not update_if(item, actions, CampaignItem.status == "sending", add_version_condition=False):
        return False
    campaign.status, campaign.version, campaign.finished_at = "sent", item.version, finished_at
    return True
