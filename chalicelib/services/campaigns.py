"""Campaigns by email or SMS as staff handle them: drafts, test sends (email), the cost preview (SMS), sending now or
at a set time, cancelling, and the L52-1 assessment of an institution's campaign. The sending itself is
services/campaign_delivery.py's.

An SMS campaign asked to leave outside the tenant's sending hours (domain/quiet_hours.py) is scheduled at the next
allowed time instead, through the same path as a campaign scheduled by staff.

Who may: communication, cabinet and admin (the services that speak for the tenant); the route says so. A campaign
is aimed at a segment (evaluated when sending starts, so that it reaches who is in it then) or at a list of contacts.

An institution's campaign sent during a pre-electoral window is assessed like an event (art. L52-1 al. 2 du Code
électoral): its subject and body for neutrality, its date, and its series (earlier campaigns of the same
publication) for antériorité and régularité, its recipients against theirs for identité. Warnings must be
acknowledged when sending; blocking findings need an admin's written override.
"""

from __future__ import annotations

from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import campaigns as rules
from chalicelib.domain import sms as sms_rules
from chalicelib.domain import time as clock
from chalicelib.domain.electoral import compliance as electoral_rules
from chalicelib.domain.listing import Listing
from chalicelib.domain.roles import can_send_campaigns
from chalicelib.domain.time import instant, local, today, utc_text
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.messaging import outbound, queues, templates
from chalicelib.messaging.bounded import RenderLimitExceeded
from chalicelib.services import (
    audit,
    campaign_delivery,
    campaign_mail,
    campaign_sms,
    compliance,
    consultations,
    lookup,
    segments,
)
from chalicelib.store import campaigns as store
from chalicelib.store import contacts as contacts_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import AssessmentDoc, Campaign, CampaignContentDoc

NOT_FOUND = "Campagne introuvable."
QUEUE = "campaigns"
# The person a test send is written for: staff see every variable filled in, without a real contact's data.
SAMPLE_CONTACT = {"civility": "Mme", "first_name": "Camille", "last_name": "Exemple"}


def _refused(exc: rules.TransitionRefused) -> Conflict:
    return Conflict(str(exc))


def _check_audience(p: Principal, content: CampaignContentDoc) -> None:
    """Exactly one of segment_id and contact_ids, naming what exists and the user may see."""
    has_segment, has_ids = content["segment_id"] is not None, content["contact_ids"] is not None
    if has_segment == has_ids:
        message = "Indiquez soit un segment (segment_id), soit une liste de contacts (contact_ids)."
        raise ValidationFailed([{"field": "segment_id", "message": message}])
    if content["segment_id"] is not None:
        segments.load(p, content["segment_id"])  # 404 for another user's private segment
        return
    ids = content["contact_ids"] or []
    found = contacts_store.batch_get(p.tenant_id, ids)
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise ValidationFailed(
            [{"field": "contact_ids", "message": f"Contact(s) introuvable(s) : {', '.join(missing[:5])}."}]
        )


def _check_schedule(scheduled_at: str | None) -> None:
    moment = instant(scheduled_at)
    if moment is not None and moment <= clock.now():
        raise ValidationFailed([{"field": "scheduled_at", "message": "La date d'envoi programmée est passée."}])


def _check_channel_content(channel: str, content: CampaignContentDoc) -> None:
    """What the channel asks of the content beyond the body: a subject for an email, a body short enough for SMS."""
    if channel == "email" and not content["subject"]:
        raise ValidationFailed([{"field": "subject", "message": "Un courriel a besoin d'un objet."}])
    if channel == "sms":
        source, field = campaign_mail.body_source(content)
        if len(source) > rules.SMS_BODY_MAX:
            message = f"Un SMS de campagne fait au plus {rules.SMS_BODY_MAX} caractères (ici {len(source)})."
            raise ValidationFailed([{"field": field, "message": message}])


def create(
    p: Principal, content: CampaignContentDoc, channel: str = "email", consultation_id: str | None = None
) -> Campaign:
    _check_audience(p, content)
    _check_channel_content(channel, content)
    used = campaign_mail.check_content(content)
    _check_schedule(content["scheduled_at"])
    at = now_iso()
    campaign = Campaign(
        tenant_id=p.tenant_id,
        campaign_id=new_id(),
        channel=channel,
        doc={"content": content, "by": p.as_requester()},
        created_at=at,
        updated_at=at,
    )
    consultation = _consultation(p, consultation_id, used)
    if consultation:
        campaign.doc["consultation"] = consultation
    store.save(campaign)
    audit.record(p, "create", "campaign", campaign.campaign_id, {"channel": channel, "subject": content["subject"]})
    return campaign


def _consultation(p: Principal, consultation_id: str | None, used: frozenset[str]) -> dict[str, str] | None:
    """The consultation a campaign invites to answer (its link is `{{ consultation_url }}`, personal to each
    recipient of a segment's consultation); a body using the variable without one is refused."""
    if consultation_id is None:
        if "consultation_url" in used:
            raise ValidationFailed(
                [{"field": "consultation_id", "message": "{{ consultation_url }} demande une consultation."}]
            )
        return None
    try:
        found = consultations.load(p, consultation_id)
    except NotFound as exc:
        raise ValidationFailed([{"field": "consultation_id", "message": "Consultation introuvable."}]) from exc
    return {"id": found.consultation_id, "audience": found.doc["audience"]}


def load(p: Principal, campaign_id: str) -> Campaign:
    return lookup.require(store.get, p.tenant_id, campaign_id, NOT_FOUND)


def page(p: Principal, *, cursor: str | None, limit: int) -> Listing[Campaign]:
    found, next_cursor = store.page(p.tenant_id, cursor, limit)
    return Listing(found, next_cursor)


def update(p: Principal, campaign: Campaign, changes: dict[str, Any], version: int) -> Campaign:
    """Change what a draft or scheduled campaign says or whom it goes to; the whole content is checked again."""
    try:
        rules.require("edit", campaign.status)
    except rules.TransitionRefused as exc:
        raise _refused(exc) from exc
    if version != campaign.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {campaign.version}."}])
    content: CampaignContentDoc = {**campaign.doc["content"], **changes}  # type: ignore[typeddict-item]  # CampaignPatch fields
    if "segment_id" in changes and changes["segment_id"] is not None:
        content["contact_ids"] = None
    if "contact_ids" in changes and changes["contact_ids"] is not None:
        content["segment_id"] = None
    if "body" in changes and changes["body"] is not None:
        content["template"] = None
    if "template" in changes and changes["template"] is not None:
        content["body"] = None
    _check_audience(p, content)
    _check_channel_content(campaign.channel, content)
    used = campaign_mail.check_content(content)
    if not campaign.doc.get("consultation"):
        _consultation(p, None, used)  # {{ consultation_url }} needs the consultation given at creation
    _check_schedule(content["scheduled_at"])
    campaign.doc = {**campaign.doc, "content": content}
    campaign.doc.pop("compliance", None)  # assessed again on the next send
    if campaign.status == "scheduled" and content["scheduled_at"] is None:
        campaign.status = "draft"  # no time left to wait for: back to a draft, sent when asked
    campaign.updated_at = now_iso()
    store.save(campaign)
    audit.record(p, "update", "campaign", campaign.campaign_id, {"fields": sorted(changes)})
    return campaign


def require_recipients_reader(p: Principal) -> None:
    """The per-recipient table names every address: for the roles that send campaigns, not every reader."""
    if not can_send_campaigns(p.roles):
        raise Forbidden("La liste des destinataires est réservée aux rôles communication, cabinet et administrateur.")


def send_test(p: Principal, campaign: Campaign, addresses: list[str]) -> list[tuple[str, str]]:
    """The campaign as a recipient will see it, « [TEST] » in the subject, to at most five addresses; (address,
    SES message id) for each. Nothing is counted in the campaign."""
    if campaign.channel != "email":
        raise Conflict("Les envois de test concernent les campagnes par courriel ; pour un SMS, consultez l'aperçu.")
    invalid = [a for a in addresses if not rules.valid_address(a)]
    if invalid:
        raise ValidationFailed([{"field": "to", "message": f"Adresse invalide : {invalid[0]}."}])
    prepared = campaign_mail.prepare(campaign, p.tenant_kind)
    sent = []
    for address in dict.fromkeys(a.strip() for a in addresses):
        email = campaign_mail.compose(
            prepared,
            to=address,
            contact_id="test",
            contact_doc=SAMPLE_CONTACT,
            appel="Madame,",
            consent_source=None,
            test=True,
        )
        sent.append((address, outbound.send_email(p.tenant_id, email)))
    audit.record(p, "test", "campaign", campaign.campaign_id, {"recipients": len(sent)})
    return sent


def send(p: Principal, campaign: Campaign, *, acknowledge_warnings: bool) -> Campaign:
    """Send now, or at the campaign's time: the assessment first (an institution's), then the sender checked, then
    the campaign queued (202: the workers plan the recipients and send)."""
    try:
        rules.require("send", campaign.status)
    except rules.TransitionRefused as exc:
        raise _refused(exc) from exc
    content = campaign.doc["content"]
    _check_audience(p, content)
    campaign_mail.check_content(content)
    _check_schedule(content["scheduled_at"])
    _check_consultation(p, campaign)
    if campaign.channel == "email":
        campaign_mail.prepare(campaign, p.tenant_kind)  # SenderNotAllowed (409) before anything is queued
    clearance = _clear(p, campaign, acknowledge_warnings)
    now = now_iso()
    campaign.doc = {**campaign.doc, "sent_by": p.as_requester()}
    if campaign.channel == "sms":
        _within_hours(campaign)
    if clearance is not None:
        campaign.doc["compliance"] = clearance
    if campaign.doc["content"]["scheduled_at"]:
        campaign.status = "scheduled"
    else:
        campaign.status, campaign.doc["started_at"] = "sending", now
    campaign.updated_at = now
    if not store.save_if(campaign, status="draft"):
        raise Conflict("Cette campagne a été envoyée ou modifiée entre-temps ; rechargez-la.")
    if campaign.status == "sending":
        queues.send(QUEUE, {"kind": "plan", "tenant_id": p.tenant_id, "campaign_id": campaign.campaign_id})
    audit.record(p, "send", "campaign", campaign.campaign_id, {"status": campaign.status})
    return campaign


def _check_consultation(p: Principal, campaign: Campaign) -> None:
    """A campaign inviting to answer a consultation its L52-1 assessment holds back (not published: its links take
    no answer) does not go: its recipients would find a page that refuses them."""
    invited = campaign.doc.get("consultation")
    if invited and not consultations.published(consultations.load(p, invited["id"])):
        message = (
            "La consultation à laquelle cette campagne invite n'est pas encore publiée : ses constatations L52-1 "
            "attendent d'être prises en compte (POST /consultations/{id}/publish). Publiez-la, puis renvoyez la "
            "campagne."
        )
        raise Conflict(message, [{"field": "consultation_id", "message": "Consultation non publiée."}])


def _within_hours(campaign: Campaign) -> None:
    """An SMS campaign asked for outside the tenant's sending hours waits for the next allowed time: its schedule
    becomes that time (the by-due path starts it then), and the doc says the hours moved it."""
    content = campaign.doc["content"]
    asked = instant(content["scheduled_at"]) or clock.now()
    hours = campaign_sms.prepare(campaign).hours
    allowed = campaign_sms.start_at(asked, hours)
    if allowed != asked:
        campaign.doc = {
            **campaign.doc,
            "content": {**content, "scheduled_at": utc_text(allowed)},
            "held_for_quiet_hours": True,
        }


def preview(p: Principal, campaign: Campaign) -> sms_rules.Estimate:
    """What an SMS campaign would cost if sent now: its recipients planned as the workers would (consent, SNS's
    opt-out list, one message per number), each one's text rendered as it would be sent, opt-out link included."""
    if campaign.channel != "sms":
        raise ValidationFailed(
            [{"field": "channel", "message": "L'aperçu du coût concerne les campagnes SMS ; celle-ci est un courriel."}]
        )
    prepared = campaign_sms.prepare(campaign)
    decided = campaign_delivery.decide(campaign, keep_contacts=True)
    texts = (
        campaign_sms.compose(prepared, cid, contact.doc if contact else {}, decided.appels.get(cid))
        for cid, contact in decided.contacts.items()
    )
    try:
        return sms_rules.estimate_texts(texts, prepared.price_cents_per_segment)
    except RenderLimitExceeded as exc:
        raise ValidationFailed([{"field": "body", "message": exc.message}]) from exc
    except templates.RENDER_ERRORS as exc:
        raise ValidationFailed([{"field": "body", "message": f"Le modèle ne peut pas être appliqué : {exc}."}]) from exc


def cancel(p: Principal, campaign: Campaign) -> Campaign:
    """Stop it: a scheduled campaign never starts, a sending one stops at its workers' next chunk (what has left
    has left)."""
    try:
        rules.require("cancel", campaign.status)
    except rules.TransitionRefused as exc:
        raise _refused(exc) from exc
    before = campaign.status
    campaign.status = "cancelled"
    campaign.doc = {**campaign.doc, "cancelled_at": now_iso()}
    campaign.updated_at = now_iso()
    if not store.save_if(campaign, status=before):
        raise Conflict("Cette campagne a changé d'état entre-temps ; rechargez-la.")
    audit.record(p, "cancel", "campaign", campaign.campaign_id, {"was": before})
    return campaign


# --- L52-1 ----------------------------------------------------------------------------------------------------------


def _day(campaign: Campaign, zone: str | None) -> Any:
    scheduled = instant(campaign.doc["content"]["scheduled_at"])
    return local(scheduled, zone).date() if scheduled else today(zone)


def _recipients_estimate(p: Principal, campaign: Campaign) -> int:
    content = campaign.doc["content"]
    if content["contact_ids"] is not None:
        return len(content["contact_ids"])
    return segments.count(p, segments.load(p, content["segment_id"] or ""))


def _history(tenant_id: str, series: str, zone: str | None) -> list[electoral_rules.Occurrence]:
    """The series' campaigns that went out, with how many they reached."""
    found = []
    for c in store.all_of_tenant(tenant_id):
        started = c.doc.get("started_at")
        if c.doc["content"].get("series") == series and c.status == "sent" and started:
            found.append(
                electoral_rules.Occurrence(c.campaign_id, local(instant(started), zone).date(), c.recipients or None)
            )
    return found


def assess(p: Principal, campaign: Campaign) -> AssessmentDoc:
    """The campaign's L52-1 assessment now, with the override in force, if any."""
    ctx = compliance.TenantContext.load(p.tenant_id)
    content = campaign.doc["content"]
    day = _day(campaign, ctx.zone)
    windows = ctx.windows_over(today(ctx.zone), day)
    applies = bool(windows) and ctx.kind == "institution"
    series = content["series"]
    source, _ = campaign_mail.body_source(content)
    subject = electoral_rules.Subject(
        event_id=campaign.campaign_id,
        day=day,
        invitations=_recipients_estimate(p, campaign) if applies else None,
        series=series,
        texts={"title": content["subject"], "description": source},
        kind="campaign",
    )
    history = _history(p.tenant_id, series, ctx.zone) if applies and series else []
    result = electoral_rules.assess(
        subject, history, windows, tenant_kind=ctx.kind, candidates=ctx.candidates, thresholds=ctx.thresholds
    )
    doc: AssessmentDoc = {**result.as_json(), "assessed_at": now_iso()}  # type: ignore[typeddict-item]  # as_json: the other fields
    override = campaign.doc.get("override")
    blocking = {f["key"] for f in doc["findings"] if f["level"] == "blocking"}
    doc["override"] = override if override and blocking and blocking <= set(override["covers"]) else None
    return doc


def _clear(p: Principal, campaign: Campaign, acknowledge_warnings: bool) -> AssessmentDoc | None:
    """Raise unless the campaign may go (the rules of events' invitations); the assessment it went with."""
    current = assess(p, campaign)
    if not current["applies"]:
        return None
    compliance.clear(p, current, acknowledge_warnings, "campaign", campaign.campaign_id)
    return current


def override(p: Principal, campaign: Campaign, justification: str) -> AssessmentDoc:
    """An admin lifts today's blocking findings in writing (the route is admin's); audited with the findings."""
    current = assess(p, campaign)
    doc = compliance.lift(p, current, justification, "campaign", campaign.campaign_id)
    campaign.doc = {**campaign.doc, "override": doc}
    campaign.updated_at = now_iso()
    store.save(campaign)
    current["override"] = doc
    return current
