"""A campaign as `POST /campaigns/{id}/send` leaves it, written straight to the store: what the campaign worker's
tests, the fault-injection scenarios and the campaign benches start from; and a recipient as the planning rules see
it, for the rules' unit tests of both channels."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import campaigns as rules


def candidate(cid: str, address: str | None, **kw: str | None) -> rules.Candidate:
    """A recipient as the planning rules see it: granted consent unless `status=` says otherwise, with `source=`
    and `suppression=` when given."""
    return rules.Candidate(
        contact_id=cid,
        address=address,
        consent_status=kw.get("status", "granted"),
        consent_source=kw.get("source"),
        suppression=kw.get("suppression"),
    )


def started_campaign(
    tenant_id: str,
    channel: str,
    by: dict[str, Any],
    at: str,
    *,
    body: str,
    subject: str | None = None,
    segment_id: str | None = None,
    contact_ids: list[str] | None = None,
) -> str:
    """The campaign (status `sending`, sent by `by` at `at`) to a segment or to contacts, saved: its id."""
    from chalicelib.store import campaigns as campaigns_store
    from chalicelib.store.base import new_id
    from chalicelib.store.entities import Campaign

    campaign = Campaign(
        tenant_id=tenant_id,
        campaign_id=new_id(),
        channel=channel,
        status="sending",
        doc={
            "content": {
                "subject": subject,
                "body": body,
                "template": None,
                "segment_id": segment_id,
                "contact_ids": contact_ids,
                "series": None,
                "scheduled_at": None,
            },
            "by": by,
            "sent_by": by,
            "started_at": at,
        },
        created_at=at,
        updated_at=at,
    )
    campaigns_store.save(campaign)
    return campaign.campaign_id
