"""/campaigns: email and SMS campaigns (drafts, tests, SMS cost preview, sending, cancelling, L52-1), their reports,
and /reports/engagement."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.schemas.campaigns import (
    CampaignCreate,
    CampaignOut,
    CampaignPatch,
    CampaignReport,
    CampaignSend,
    CampaignTemplate,
    CampaignTest,
    EngagementQuery,
    EngagementReport,
    SmsPreview,
    TestResult,
    campaign_json,
    content_changes,
    content_doc,
    engagement_json,
    preview_json,
    report_json,
    template_json,
    test_json,
)
from chalicelib.schemas.common import ListQuery, Page, listing_json, whole_list
from chalicelib.schemas.elections import Compliance, OverrideCreate, assessment_json
from chalicelib.services import campaign_mail, campaign_reports, campaigns

api = Api(__name__, "campaigns")
campaign_api = api.resource("/campaigns/{campaign_id}", errors=(404,))

SVG = "image/svg+xml"
CSV = "text/csv"


@api.get("/campaigns/templates", response=Page[CampaignTemplate])
def list_campaign_templates(ctx: Ctx) -> dict[str, Any]:
    """The stored campaign bodies, with the variables each uses"""
    return whole_list([template_json(*t) for t in campaign_mail.template_list()])


@api.post("/campaigns", body=CampaignCreate, response=CampaignOut, status=201, roles="campaign", errors=(404, 422))
def create_campaign(ctx: Ctx) -> dict[str, Any]:
    """Create a draft email or SMS campaign for a segment or a list of contacts (body checked at once)"""
    body = ctx.body(CampaignCreate)
    return campaign_json(campaigns.create(ctx.user, content_doc(body), body.channel, body.consultation_id))


@api.get("/campaigns", query=ListQuery, response=Page[CampaignOut])
def list_campaigns(ctx: Ctx) -> dict[str, Any]:
    """The campaigns, newest first"""
    query = ctx.query(ListQuery)
    return listing_json(campaigns.page(ctx.user, cursor=query.cursor, limit=query.limit), campaign_json)


@campaign_api.get(response=CampaignOut)
def get_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """One campaign: its status and counts (recipients, sent, failed, skipped by reason)"""
    return campaign_json(campaigns.load(ctx.user, campaign_id))


@campaign_api.patch(body=CampaignPatch, response=CampaignOut, roles="campaign", errors=(409, 422))
def patch_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """Change a draft or scheduled campaign; version required"""
    campaign = campaigns.load(ctx.user, campaign_id)
    body = ctx.body(CampaignPatch)
    return campaign_json(campaigns.update(ctx.user, campaign, content_changes(body), body.version))


@campaign_api.post("/test", body=CampaignTest, response=TestResult, roles="campaign", errors=(409, 422))
def test_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """Send the campaign as recipients will see it, « [TEST] » in the subject, to at most 5 addresses"""
    campaign = campaigns.load(ctx.user, campaign_id)
    return test_json(campaigns.send_test(ctx.user, campaign, ctx.body(CampaignTest).to))


@campaign_api.get("/preview", response=SmsPreview, roles="campaign", errors=(422,))
def preview_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """An SMS campaign's encoding, segments and estimated cost if sent now (texts as sent, STOP included)"""
    return preview_json(campaigns.preview(ctx.user, campaigns.load(ctx.user, campaign_id)))


@campaign_api.post(
    "/send", body=CampaignSend, response=CampaignOut, status=202, roles="campaign", idempotent=True, errors=(409, 422)
)
def send_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """Send now, or at its scheduled time (202); an institution's campaign is assessed under L52-1 first"""
    campaign = campaigns.load(ctx.user, campaign_id)
    body = ctx.body(CampaignSend)
    return campaign_json(campaigns.send(ctx.user, campaign, acknowledge_warnings=body.acknowledge_warnings))


@campaign_api.post("/cancel", response=CampaignOut, roles="campaign", errors=(409,))
def cancel_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """Cancel a draft, a scheduled campaign, or the rest of one being sent"""
    return campaign_json(campaigns.cancel(ctx.user, campaigns.load(ctx.user, campaign_id)))


@campaign_api.get("/compliance", response=Compliance)
def campaign_compliance(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """The campaign's L52-1 assessment now (institutions, during a pre-electoral window)"""
    return assessment_json(campaigns.assess(ctx.user, campaigns.load(ctx.user, campaign_id)))


@campaign_api.post("/compliance/override", body=OverrideCreate, response=Compliance, roles="admin", errors=(409, 422))
def override_campaign_compliance(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    """Lift the blocking L52-1 findings of now with a written justification (admin), audited"""
    data = ctx.body(OverrideCreate)
    campaign = campaigns.load(ctx.user, campaign_id)
    return assessment_json(campaigns.override(ctx.user, campaign, data.justification))


@campaign_api.get("/report", response=CampaignReport, errors=(403,), produces=(SVG, CSV))
def campaign_report(ctx: Ctx, campaign_id: str) -> dict[str, Any] | Response:
    """What the campaign did: JSON; Accept: image/svg+xml for the chart, text/csv for every recipient"""
    campaign = campaigns.load(ctx.user, campaign_id)
    if ctx.accepts(CSV):
        campaigns.require_recipients_reader(ctx.user)
        data = campaign_reports.recipients_csv(ctx.user, campaign)
        return file_response(data, CSV, f"campagne-{campaign.campaign_id}.csv")
    if ctx.accepts(SVG):
        return Response(
            body=campaign_reports.chart(campaign), status_code=200, headers={"Content-Type": f"{SVG}; charset=utf-8"}
        )
    return report_json(campaign, campaign_reports.report(campaign))


@api.get("/reports/engagement", query=EngagementQuery, response=EngagementReport, errors=(404, 422))
def engagement_report(ctx: Ctx) -> dict[str, Any]:
    """Engagement of a segment's contacts (last open, last click, events attended) and its rates"""
    query = ctx.query(EngagementQuery)
    return engagement_json(query.segment_id, campaign_reports.engagement(ctx.user, query.segment_id, query.limit))
