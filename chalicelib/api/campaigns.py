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

SVG = "image/svg+xml"
CSV = "text/csv"


@api.route(
    "/campaigns/templates",
    "GET",
    summary="The stored campaign bodies, with the variables each uses",
    response=Page[CampaignTemplate],
)
def list_campaign_templates(ctx: Ctx) -> dict[str, Any]:
    return whole_list([template_json(*t) for t in campaign_mail.template_list()])


@api.route(
    "/campaigns",
    "POST",
    summary="Create a draft email or SMS campaign for a segment or a list of contacts (body checked at once)",
    body=CampaignCreate,
    response=CampaignOut,
    status=201,
    roles="campaign",
    errors=(404, 422),
)
def create_campaign(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body(CampaignCreate)
    return campaign_json(campaigns.create(ctx.user, content_doc(body), body.channel, body.consultation_id))


@api.route("/campaigns", "GET", summary="The campaigns, newest first", query=ListQuery, response=Page[CampaignOut])
def list_campaigns(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(ListQuery)
    return listing_json(campaigns.page(ctx.user, cursor=query.cursor, limit=query.limit), campaign_json)


@api.route(
    "/campaigns/{campaign_id}",
    "GET",
    summary="One campaign: its status and counts (recipients, sent, failed, skipped by reason)",
    response=CampaignOut,
    errors=(404,),
)
def get_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    return campaign_json(campaigns.load(ctx.user, campaign_id))


@api.route(
    "/campaigns/{campaign_id}",
    "PATCH",
    summary="Change a draft or scheduled campaign; version required",
    body=CampaignPatch,
    response=CampaignOut,
    roles="campaign",
    errors=(404, 409, 422),
)
def patch_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    campaign = campaigns.load(ctx.user, campaign_id)
    body = ctx.body(CampaignPatch)
    return campaign_json(campaigns.update(ctx.user, campaign, content_changes(body), body.version))


@api.route(
    "/campaigns/{campaign_id}/test",
    "POST",
    summary="Send the campaign as recipients will see it, « [TEST] » in the subject, to at most 5 addresses",
    body=CampaignTest,
    response=TestResult,
    roles="campaign",
    errors=(404, 409, 422),
)
def test_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    campaign = campaigns.load(ctx.user, campaign_id)
    return test_json(campaigns.send_test(ctx.user, campaign, ctx.body(CampaignTest).to))


@api.route(
    "/campaigns/{campaign_id}/preview",
    "GET",
    summary="An SMS campaign's encoding, segments and estimated cost if sent now (texts as sent, STOP included)",
    response=SmsPreview,
    roles="campaign",
    errors=(404, 422),
)
def preview_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    return preview_json(campaigns.preview(ctx.user, campaigns.load(ctx.user, campaign_id)))


@api.route(
    "/campaigns/{campaign_id}/send",
    "POST",
    summary="Send now, or at its scheduled time (202); an institution's campaign is assessed under L52-1 first",
    body=CampaignSend,
    response=CampaignOut,
    status=202,
    roles="campaign",
    idempotent=True,
    errors=(404, 409, 422),
)
def send_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    campaign = campaigns.load(ctx.user, campaign_id)
    body = ctx.body(CampaignSend)
    return campaign_json(campaigns.send(ctx.user, campaign, acknowledge_warnings=body.acknowledge_warnings))


@api.route(
    "/campaigns/{campaign_id}/cancel",
    "POST",
    summary="Cancel a draft, a scheduled campaign, or the rest of one being sent",
    response=CampaignOut,
    roles="campaign",
    errors=(404, 409),
)
def cancel_campaign(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    return campaign_json(campaigns.cancel(ctx.user, campaigns.load(ctx.user, campaign_id)))


@api.route(
    "/campaigns/{campaign_id}/compliance",
    "GET",
    summary="The campaign's L52-1 assessment now (institutions, during a pre-electoral window)",
    response=Compliance,
    errors=(404,),
)
def campaign_compliance(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    return assessment_json(campaigns.assess(ctx.user, campaigns.load(ctx.user, campaign_id)))


@api.route(
    "/campaigns/{campaign_id}/compliance/override",
    "POST",
    summary="Lift the blocking L52-1 findings of now with a written justification (admin), audited",
    body=OverrideCreate,
    response=Compliance,
    roles="admin",
    errors=(404, 409, 422),
)
def override_campaign_compliance(ctx: Ctx, campaign_id: str) -> dict[str, Any]:
    data = ctx.body(OverrideCreate)
    campaign = campaigns.load(ctx.user, campaign_id)
    return assessment_json(campaigns.override(ctx.user, campaign, data.justification))


@api.route(
    "/campaigns/{campaign_id}/report",
    "GET",
    summary="What the campaign did: JSON; Accept: image/svg+xml for the chart, text/csv for every recipient",
    response=CampaignReport,
    errors=(403, 404),
    produces=(SVG, CSV),
)
def campaign_report(ctx: Ctx, campaign_id: str) -> dict[str, Any] | Response:
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


@api.route(
    "/reports/engagement",
    "GET",
    summary="Engagement of a segment's contacts (last open, last click, events attended) and its rates",
    query=EngagementQuery,
    response=EngagementReport,
    errors=(404, 422),
)
def engagement_report(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(EngagementQuery)
    return engagement_json(query.segment_id, campaign_reports.engagement(ctx.user, query.segment_id, query.limit))
