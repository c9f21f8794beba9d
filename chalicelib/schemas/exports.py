"""Contact exports and the right of access: the query, the export job, everything held on one person."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.schemas.common import Model, StrictModel, Ulid
from chalicelib.schemas.consents import ConsentOut, consent_json
from chalicelib.schemas.contacts import Contact, contact_json
from chalicelib.schemas.interactions import Interaction, Task, interaction_json, task_json
from chalicelib.schemas.invitations import Guest, guest_json
from chalicelib.schemas.protocol import Mandate, mandate_json
from chalicelib.schemas.tenancy import AuditEntry, audit_entry_json
from chalicelib.store import entities


class ExportQuery(StrictModel):
    segment_id: Ulid | None = Field(default=None, description="A segment; without it, every contact not archived")
    format: Literal["csv", "xlsx"] = Field(
        default="csv", description="csv: UTF-8 with BOM and « ; » (Excel in France); xlsx: a workbook"
    )


class ExportJob(Model):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    format: Literal["csv", "xlsx"]
    segment_id: str | None
    total: int = Field(description="Contacts written, once done")
    url: str | None = Field(description="Presigned download of the file (valid one hour), once done")
    error: str | None
    created_at: str
    updated_at: str


def export_job_json(job: entities.ExportJob, url: str | None = None) -> dict[str, Any]:
    request = job.doc["request"]
    return {
        "id": job.export_id,
        "status": job.status,
        "format": request["format"],
        "segment_id": request["segment_id"],
        "total": job.total,
        "url": url,
        "error": job.doc.get("error"),
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


class PersonInvitation(Guest):
    event_id: str
    event_title: str | None
    event_starts_at: str | None


class PersonMessage(Model):
    campaign_id: str
    subject: str | None
    channel: str | None
    status: str
    address: str | None
    reason: str | None
    sent_at: str | None
    delivered_at: str | None
    bounce: str | None
    complained_at: str | None
    first_open_at: str | None
    opens: int
    first_click_at: str | None
    clicks: int
    links: list[str]
    unsubscribed_at: str | None


class PersonExport(Model):
    """GET /contacts/{id}/export: everything held on the person (RGPD art. 15)."""

    generated_at: str
    controller: str = Field(description="The workspace holding the data (the controller's name in its settings)")
    contact: Contact
    mandates: list[Mandate]
    interactions: list[Interaction]
    tasks: list[Task]
    invitations: list[PersonInvitation]
    messages: list[PersonMessage]
    consents: list[ConsentOut]
    audit: list[AuditEntry]
    audit_complete: bool = Field(description="false: the log holds older entries than those read")


def _invitation_json(i: entities.Invitation, events: dict[str, entities.Event]) -> dict[str, Any]:
    event = events.get(i.event_id)
    return {
        **guest_json(i, None),
        "event_id": i.event_id,
        "event_title": event.doc["title"] if event else None,
        "event_starts_at": event.doc["starts_at"] if event else None,
    }


def _message_json(m: entities.CampaignMessage, campaigns: dict[str, entities.Campaign]) -> dict[str, Any]:
    campaign = campaigns.get(m.campaign_id)
    return {
        "campaign_id": m.campaign_id,
        "subject": campaign.doc["content"]["subject"] if campaign else None,
        "channel": campaign.channel if campaign else None,
        "status": m.status,
        "address": m.address,
        "reason": m.reason,
        "sent_at": m.sent_at,
        "delivered_at": m.delivered_at,
        "bounce": m.bounce,
        "complained_at": m.complained_at,
        "first_open_at": m.first_open_at,
        "opens": m.opens,
        "first_click_at": m.first_click_at,
        "clicks": m.clicks,
        "links": list(m.links),
        "unsubscribed_at": m.unsubscribed_at,
    }


def person_export_json(f: entities.PersonFile, tenant_kind: str) -> dict[str, Any]:
    """`PersonExport`; confidential fields included: the person has a right to every datum held on them."""
    return {
        "generated_at": f.generated_at,
        "controller": f.tenant_name,
        "contact": contact_json(f.contact, True),
        "mandates": [mandate_json(m) for m in f.mandates],
        "interactions": [interaction_json(i) for i in f.interactions],
        "tasks": [task_json(t) for t in f.tasks],
        "invitations": [_invitation_json(i, f.events) for i in f.invitations],
        "messages": [_message_json(m, f.campaigns) for m in f.messages],
        "consents": [consent_json(c, tenant_kind) for c in f.consents],
        "audit": [audit_entry_json(e) for e in f.audit],
        "audit_complete": f.audit_complete,
    }
