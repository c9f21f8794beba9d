"""Campaigns by email or SMS: drafts and their changes, test sends, an SMS campaign's cost preview, sending, the
campaign with its counts, its report and the engagement of a segment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, cast

from pydantic import ConfigDict, Field, model_validator

from chalicelib.domain import campaign_reports, campaigns, sms
from chalicelib.domain.time import utc_text
from chalicelib.schemas.common import NOT_NULL, Line, Lines, Model, StrictModel, Ulid, built, raise_field
from chalicelib.schemas.contacts import Email
from chalicelib.schemas.elections import Compliance, assessment_json
from chalicelib.schemas.events import Instant
from chalicelib.store import entities

TEMPLATE_NAME = r"^[a-z0-9_]{1,60}$"
BODY_DOC = (
    "The body as a Jinja2 template (paragraphs separated by a blank line; web addresses become links). Variables: "
    "contact, tenant, sender, date, formule_appel, unsubscribe_url"
)


class CampaignCreate(StrictModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "channel": "email",
                    "subject": "La lettre du maire – janvier",
                    "body": "{{ formule_appel }},\n\nVoici les nouvelles de la commune ce mois-ci.",
                    "segment_id": "01J8Z3K9V6Q2W4E5R7T8Y9X0AB",
                    "series": "Lettre du maire",
                },
                {
                    "channel": "sms",
                    "body": "Coupure d'eau demain de 9 h à 12 h rue Pasteur.",
                    "contact_ids": ["01J8Z3K9V6Q2W4E5R7T8Y9X0AC"],
                },
            ]
        }
    )

    channel: Literal["email", "sms"] = Field(
        default="email", description="sms: the body is the text, ended by « STOP : <link> »; no subject"
    )
    subject: Annotated[str, Line(campaigns.SUBJECT_MAX)] | None = Field(
        default=None, description="Required for an email; an SMS has none"
    )
    body: Annotated[str, Lines(50_000)] | None = Field(default=None, description=BODY_DOC)
    template: Annotated[str, Field(pattern=TEMPLATE_NAME)] | None = Field(
        default=None, description="A stored body (GET /campaigns/templates); or give `body`"
    )
    segment_id: Ulid | None = Field(default=None, description="The segment it goes to (evaluated when sending)")
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=campaigns.MAX_CONTACT_IDS)] | None = Field(
        default=None, description="Or the contacts it goes to"
    )
    series: Annotated[str, Line(200)] | None = Field(
        default=None, description="The publication it belongs to (« Lettre du maire »): L52-1 régularité"
    )
    scheduled_at: Instant | None = Field(default=None, description="When to send it (future); default: when asked")
    consultation_id: Ulid | None = Field(
        default=None, description="The consultation it invites to answer: {{ consultation_url }} is each one's link"
    )

    @model_validator(mode="after")
    def _one_of_each(self) -> CampaignCreate:
        if self.channel == "email" and not self.subject:
            raise_field("subject", "Un courriel a besoin d'un objet.")
        if (self.template is None) == (self.body is None):
            raise_field("body", "Donnez soit « template » (un modèle enregistré), soit « body » (votre texte).")
        if (self.segment_id is None) == (self.contact_ids is None):
            raise_field(
                "segment_id", "Indiquez soit un segment (segment_id), soit une liste de contacts (contact_ids)."
            )
        return self


class CampaignPatch(StrictModel):
    subject: Annotated[Annotated[str, Line(campaigns.SUBJECT_MAX)] | None, NOT_NULL] = None
    body: Annotated[str, Lines(50_000)] | None = Field(default=None, description=BODY_DOC)
    template: Annotated[str, Field(pattern=TEMPLATE_NAME)] | None = None
    segment_id: Ulid | None = None
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=campaigns.MAX_CONTACT_IDS)] | None = None
    series: Annotated[str, Line(200)] | None = None
    scheduled_at: Instant | None = Field(default=None, description="null: no schedule (sent when asked)")
    version: int = Field(ge=1, description="The version read; a stale one gives 409.")

    @model_validator(mode="after")
    def _not_both(self) -> CampaignPatch:
        if self.template is not None and self.body is not None:
            raise_field("body", "Donnez soit « template », soit « body », pas les deux.")
        if self.segment_id is not None and self.contact_ids is not None:
            raise_field("segment_id", "Donnez soit « segment_id », soit « contact_ids », pas les deux.")
        return self


class CampaignTest(StrictModel):
    to: Annotated[list[Email], Field(min_length=1, max_length=campaigns.MAX_TEST_RECIPIENTS)]


class CampaignSend(StrictModel):
    acknowledge_warnings: bool = Field(
        default=False, description="Go ahead despite the L52-1 warnings shown by a previous 409"
    )


class SkippedCounts(Model):
    no_consent: int
    unsubscribed: int
    suppressed: int
    invalid: int
    no_address: int
    duplicate_address: int


class Counts(Model):
    recipients: int = Field(description="Messages planned (contacts minus those skipped)")
    queued: int = Field(description="Planned and not sent yet")
    sent: int
    failed: int
    unknown: int = Field(description="Perhaps sent (the outcome was lost): never sent again")
    skipped: SkippedCounts


class CampaignOut(Model):
    id: str
    channel: Literal["email", "sms"]
    status: Literal["draft", "scheduled", "sending", "sent", "cancelled", "failed"]
    subject: str | None = Field(description="None for an SMS")
    body: str | None
    template: str | None
    segment_id: str | None
    contact_ids: list[str] | None
    series: str | None
    scheduled_at: str | None
    held_for_quiet_hours: bool = Field(
        description="An SMS campaign asked for outside the sending hours: scheduled_at is when they open"
    )
    counts: Counts
    compliance: Compliance | None = Field(description="The L52-1 assessment it was sent with (institutions)")
    error: str | None
    created_by: str
    started_at: str | None
    finished_at: str | None
    cancelled_at: str | None
    consultation_id: str | None = Field(default=None, description="The consultation it invites to answer")
    version: int
    created_at: str
    updated_at: str


class SmsPreview(Model):
    encoding: Literal["GSM-7", "UCS-2"] = Field(description="UCS-2 when any recipient's text needs it")
    segments_per_message: int = Field(description="The longest text's segments")
    recipients: int = Field(description="Numbers planned now (consent, opt-outs and duplicates left out)")
    total_segments: int = Field(description="Every recipient's text's segments, « STOP : <link> » included")
    estimated_cost_cents: int = Field(description="total_segments × the tenant's price per segment, rounded up")


class CampaignTemplate(Model):
    name: str
    label: str
    variables: list[str]


class TestSent(Model):
    to: str
    message_id: str


class TestResult(Model):
    sent: list[TestSent]


class LinkClicks(Model):
    url: str
    recipients: int = Field(description="Recipients who clicked it")


class HourCounts(Model):
    hour: str = Field(description="Start of the hour, UTC")
    opens: int = Field(description="Unique opens whose first open fell in this hour")
    clicks: int


class BounceCounts(Model):
    hard: int
    soft: int


class Rates(Model):
    delivery: float | None = Field(description="delivered / sent")
    bounce: float | None = Field(description="bounced / sent")
    open: float | None = Field(description="unique opens / delivered (a floor: blocked images are not counted)")
    click: float | None = Field(description="unique clicks / delivered")
    complaint: float | None
    unsubscribe: float | None


class CampaignReport(Model):
    campaign_id: str
    channel: Literal["email", "sms"]
    status: str
    sent: int
    failed: int
    delivered: int
    bounced: BounceCounts
    complaints: int
    unique_opens: int
    unique_clicks: int
    clicks: int
    unsubscribes: int
    rates: Rates
    links: list[LinkClicks]
    timeline: list[HourCounts]


class EngagementQuery(Model):
    segment_id: Ulid
    limit: int = Field(default=100, ge=1, le=1000)


class ContactEngagement(Model):
    contact_id: str
    name: str
    last_open_at: str | None
    last_click_at: str | None
    opens: int
    clicks: int
    events_attended: int


class EngagementReport(Model):
    segment_id: str
    contacts: int
    opened: int = Field(description="Contacts of the segment who opened at least one campaign email")
    clicked: int
    open_rate: float | None
    click_rate: float | None
    items: list[ContactEngagement] = Field(description="The first `limit` contacts, in id order")


# --- requests to docs, entities to responses ----------------------------------------------------------------------


def content_doc(body: CampaignCreate) -> entities.CampaignContentDoc:
    return cast(
        entities.CampaignContentDoc,
        {
            "subject": body.subject or "",
            "body": body.body,
            "template": body.template,
            "segment_id": body.segment_id,
            "contact_ids": list(dict.fromkeys(body.contact_ids)) if body.contact_ids is not None else None,
            "series": body.series,
            "scheduled_at": utc_text(body.scheduled_at),
        },
    )


def content_changes(patch: CampaignPatch) -> dict[str, Any]:
    """The fields the patch names (null clears series and scheduled_at)."""
    changes: dict[str, Any] = {}
    for name in patch.model_fields_set - {"version"}:
        value = getattr(patch, name)
        if isinstance(value, datetime):
            value = utc_text(value)
        elif name == "contact_ids" and value is not None:
            value = list(dict.fromkeys(value))
        changes[name] = value
    return changes


def campaign_json(campaign: entities.Campaign) -> dict[str, Any]:
    doc, content = campaign.doc, campaign.doc["content"]
    skipped = {reason: int((doc.get("skipped") or {}).get(reason, 0)) for reason in campaigns.SKIP_REASONS}
    done = campaign.sent + campaign.failed + campaign.unknown
    compliance = doc.get("compliance")
    return {
        "id": campaign.campaign_id,
        "channel": campaign.channel,
        "status": campaign.status,
        "subject": content["subject"] or None,
        "body": content["body"],
        "template": content["template"],
        "segment_id": content["segment_id"],
        "contact_ids": content["contact_ids"],
        "series": content["series"],
        "scheduled_at": content["scheduled_at"],
        "held_for_quiet_hours": bool(doc.get("held_for_quiet_hours")),
        "counts": {
            "recipients": campaign.recipients,
            "queued": max(campaign.recipients - done, 0),
            "sent": campaign.sent,
            "failed": campaign.failed,
            "unknown": campaign.unknown,
            "skipped": skipped,
        },
        "compliance": assessment_json(compliance) if compliance else None,
        "error": doc.get("error"),
        "created_by": doc["by"].get("email") or doc["by"]["user_id"],
        "started_at": doc.get("started_at"),
        "finished_at": campaign.finished_at,
        "cancelled_at": doc.get("cancelled_at"),
        "consultation_id": (doc.get("consultation") or {}).get("id"),
        "version": campaign.version,
        "created_at": campaign.created_at,
        "updated_at": campaign.updated_at,
    }


def preview_json(estimate: sms.Estimate) -> dict[str, Any]:
    return built(SmsPreview, estimate)


def template_json(name: str, label: str, variables: list[str]) -> dict[str, Any]:
    return {"name": name, "label": label, "variables": variables}


def test_json(sent: list[tuple[str, str]]) -> dict[str, Any]:
    return {"sent": [{"to": to, "message_id": message_id} for to, message_id in sent]}


def report_json(campaign: entities.Campaign, report: campaign_reports.Report) -> dict[str, Any]:
    return {
        "campaign_id": campaign.campaign_id,
        "channel": campaign.channel,
        "status": campaign.status,
        "sent": report.sent,
        "failed": report.failed,
        "delivered": report.delivered,
        "bounced": {"hard": report.bounced_hard, "soft": report.bounced_soft},
        "complaints": report.complaints,
        "unique_opens": report.unique_opens,
        "unique_clicks": report.unique_clicks,
        "clicks": report.clicks,
        "unsubscribes": report.unsubscribes,
        # SNS reports no delivery, open or click of an SMS: no rate rather than a misleading 0 %
        "rates": report.rates() if campaign.channel == "email" else dict.fromkeys(report.rates()),
        "links": [{"url": url, "recipients": n} for url, n in report.links],
        "timeline": [{"hour": h.hour, "opens": h.opens, "clicks": h.clicks} for h in report.timeline],
    }


def _name(doc: entities.ContactDoc) -> str:
    return " ".join(x for x in (doc.get("first_name"), doc.get("last_name")) if x) or doc.get("organisation_name") or ""


def engagement_json(segment_id: str, result: entities.SegmentEngagement) -> dict[str, Any]:
    count = result.count
    return {
        "segment_id": segment_id,
        "contacts": count,
        "opened": result.opened,
        "clicked": result.clicked,
        "open_rate": round(result.opened / count, 4) if count else None,
        "click_rate": round(result.clicked / count, 4) if count else None,
        "items": [
            {
                "contact_id": c.contact.contact_id,
                "name": _name(c.contact.doc),
                "last_open_at": c.engagement.last_open_at if c.engagement else None,
                "last_click_at": c.engagement.last_click_at if c.engagement else None,
                "opens": c.engagement.opens if c.engagement else 0,
                "clicks": c.engagement.clicks if c.engagement else 0,
                "events_attended": c.events_attended,
            }
            for c in result.contacts
        ],
    }
