"""What a campaign did: its report (totals, rates, links, timeline; as JSON, an SVG chart or a per-recipient CSV)
and the engagement of a segment's contacts. Read from the campaign's messages (one Query of its partition) and
the contacts' engagement items: never one call per recipient."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from chalicelib.auth import Principal
from chalicelib.domain import campaign_reports as rules
from chalicelib.services import audit, segments
from chalicelib.store import events as events_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import messages as messages_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Campaign, Contact, ContactEngagement, SegmentEngagement


def report(campaign: Campaign) -> rules.Report:
    return rules.summarise(messages_store.of_campaign(campaign.tenant_id, campaign.campaign_id))


def chart(campaign: Campaign) -> str:
    result = report(campaign)
    title = f"Ouvertures et clics par heure : {campaign.doc['content']['subject']}"
    return rules.svg_chart(title, result.timeline, result.unique_opens, result.unique_clicks)


def recipients_csv(p: Principal, campaign: Campaign) -> bytes:
    """Every recipient's message, one row each (UTF-8 with BOM and « ; » for Excel in France), cells neutralised;
    the export is audited with the campaign."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rules.CSV_COLUMNS)
    rows = 0
    for m in messages_store.of_campaign(campaign.tenant_id, campaign.campaign_id):
        writer.writerow([rules.safe_cell(getattr(m, column)) for column in rules.CSV_COLUMNS])
        rows += 1
    audit.record(p, "export", "campaign_recipients", campaign.campaign_id, {"rows": rows})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _attended_counts(tenant_id: str) -> dict[str, int]:
    """contact id → events attended (the tenant's past events, then who attended each: one Query per event)."""
    counts: dict[str, int] = {}
    for event in events_store.events_between(tenant_id, "0000", now_iso()):
        for invitation in invitations_store.invitations_in_status(tenant_id, event.event_id, "attended"):
            counts[invitation.contact_id] = counts.get(invitation.contact_id, 0) + 1
    return counts


def engagement(p: Principal, segment_id: str, limit: int) -> SegmentEngagement:
    """Per contact of the segment (the first `limit`): last open, last click, events attended; and the segment's
    rates over all its contacts."""
    segment = segments.load(p, segment_id)
    engaged = messages_store.engagement_of_tenant(p.tenant_id)
    attended = _attended_counts(p.tenant_id)
    shown: list[ContactEngagement] = []
    count = opened = clicked = 0
    members: Iterator[Contact] = segments.members(p, segment)
    for contact in members:
        e = engaged.get(contact.contact_id)
        count += 1
        opened += bool(e and e.opens)
        clicked += bool(e and e.clicks)
        if len(shown) < limit:
            shown.append(
                ContactEngagement(contact=contact, engagement=e, events_attended=attended.get(contact.contact_id, 0))
            )
    detail = {"ids": [c.contact.contact_id for c in shown], "query": {"segment": segment_id, "engagement": True}}
    audit.record(p, "list", "contact", "page", detail)
    return SegmentEngagement(contacts=shown, count=count, opened=opened, clicked=clicked)
