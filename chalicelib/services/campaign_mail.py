"""What a campaign's recipient receives: the body staff wrote, rendered for that person within the bounds of
user-written bodies, as text and HTML, with the tenant's legal mentions, a visible unsubscribe link and the
one-click List-Unsubscribe headers (RFC 8058). One composer serves the test sends and the workers, so a test
shows what recipients will get.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from chalicelib.domain import campaigns as rules
from chalicelib.domain.contacts import CIVILITY_LONG
from chalicelib.domain.time import today
from chalicelib.domain.typography import french_date
from chalicelib.errors import ValidationFailed
from chalicelib.messaging import templates
from chalicelib.messaging.bounded import RenderLimitExceeded
from chalicelib.messaging.outbound import Email
from chalicelib.services import consents, consultations, senders
from chalicelib.store import tenants
from chalicelib.store.entities import Campaign, CampaignContentDoc

FOLDER = "campaigns"  # templates/campaigns: the stored bodies


@dataclass(frozen=True)
class Prepared:
    """A campaign's content and its tenant's settings, read once per chunk of recipients."""

    tenant_id: str
    tenant_kind: str
    campaign_id: str
    subject: str
    source: str
    variables: frozenset[str]
    settings: Mapping[str, Any]
    sender: tuple[str, str] | None
    reply_to: str | None  # the campaign's reply address, else the tenant's sender
    on: date
    consultation: Mapping[str, str] | None = None  # {"id", "audience"}: whose link {{ consultation_url }} gives

    @property
    def sender_name(self) -> str:
        return str(self.settings.get("sender_name") or self.settings.get("name") or "")


def body_source(content: CampaignContentDoc) -> tuple[str, str]:
    """The body's Jinja2 source and the field its errors are reported on."""
    if content["template"] is not None:
        source = templates.stored_source(FOLDER, content["template"])
        if source is None:
            names = ", ".join(templates.stored_bodies(FOLDER)) or "aucun"
            raise ValidationFailed([{"field": "template", "message": f"Modèle inconnu (modèles : {names})."}])
        return source, "template"
    return content["body"] or "", "body"


def template_list() -> list[tuple[str, str, list[str]]]:
    listed = []
    for name, label in templates.stored_bodies(FOLDER).items():
        used = templates.check(templates.stored_source(FOLDER, name) or "", rules.VARIABLES).variables
        listed.append((name, label, sorted(used)))
    return listed


def check_content(content: CampaignContentDoc) -> frozenset[str]:
    """Syntax, variables and a trial render of the body, before anything is stored: 422 on the field at fault.
    Returns the variables it uses."""
    source, field = body_source(content)
    checked = templates.check(source, rules.VARIABLES)
    if checked.error:
        raise ValidationFailed([{"field": field, "message": checked.error}])
    try:
        templates.render(source, _context({}, {}, today(), appel="Madame, Monsieur,", unsubscribe="https://exemple"))
    except RenderLimitExceeded as exc:
        raise ValidationFailed([{"field": field, "message": exc.message}]) from exc
    except templates.RENDER_ERRORS as exc:
        raise ValidationFailed([{"field": field, "message": f"Le modèle ne peut pas être appliqué : {exc}."}]) from exc
    return checked.variables


def prepare(campaign: Campaign, tenant_kind: str) -> Prepared:
    item = tenants.get_settings_item(campaign.tenant_id)
    settings: dict[str, Any] = dict(item.data) if item else {}
    content = campaign.doc["content"]
    source, _ = body_source(content)
    sender = senders.from_address(settings)  # SenderNotAllowed: nothing leaves with a sender not the tenant's
    return Prepared(
        tenant_id=campaign.tenant_id,
        tenant_kind=tenant_kind,
        campaign_id=campaign.campaign_id,
        subject=content["subject"],
        source=source,
        variables=templates.check(source, rules.VARIABLES).variables,
        settings=settings,
        sender=sender,
        reply_to=campaign.doc.get("reply_to") or (sender[1] if sender else None),
        on=today(settings.get("timezone")),
        consultation=campaign.doc.get("consultation"),
    )


def consultation_url(tenant_id: str, consultation: Mapping[str, str] | None, contact_id: str) -> str:
    """The recipient's link to the campaign's consultation: their personal one (a segment's consultation), or the
    public one; empty when the campaign names none."""
    if not consultation:
        return ""
    if consultation.get("audience") == "public":
        return consultations.link_url(tenant_id, consultation["id"])
    return consultations.personal_url(tenant_id, consultation["id"], contact_id)


def _context(
    settings: Mapping[str, Any],
    contact_doc: Mapping[str, Any],
    on: date,
    *,
    appel: str,
    unsubscribe: str,
    consultation: str = "",
) -> dict[str, Any]:
    return {
        "contact": rules.contact_view(contact_doc, CIVILITY_LONG),
        "tenant": {"name": settings.get("name") or ""},
        "sender": {"name": settings.get("signatory_name") or "", "function": settings.get("signatory_function") or ""},
        "date": french_date(on),
        "formule_appel": appel,
        "unsubscribe_url": unsubscribe,
        "consultation_url": consultation,
    }


def render_body(
    source: str,
    settings: Mapping[str, Any],
    contact_doc: Mapping[str, Any],
    on: date,
    *,
    appel: str | None,
    unsubscribe: str,
    consultation: str = "",
) -> str:
    """The body written by staff, rendered for one recipient within the bounds of user-written bodies (shared with
    SMS campaigns, whose text is this body and the opt-out mention). Raises as `compose`."""
    context = _context(
        settings,
        contact_doc,
        on,
        appel=appel or "Madame, Monsieur,",
        unsubscribe=unsubscribe,
        consultation=consultation,
    )
    return templates.render(source, context)


def compose(
    prepared: Prepared,
    *,
    to: str,
    contact_id: str,
    contact_doc: Mapping[str, Any],
    appel: str | None,
    consent_source: str | None,
    test: bool = False,
) -> Email:
    """The recipient's email. Raises RenderLimitExceeded (the body's fault, for every recipient) or one of
    templates.RENDER_ERRORS (this recipient's data)."""
    unsubscribe = consents.unsubscribe_url(prepared.tenant_id, contact_id, campaign_id=prepared.campaign_id)
    settings = prepared.settings
    link = consultation_url(prepared.tenant_id, prepared.consultation, contact_id)
    body = render_body(
        prepared.source, settings, contact_doc, prepared.on, appel=appel, unsubscribe=unsubscribe, consultation=link
    )
    tenant_name = str(settings.get("name") or prepared.sender_name or "")
    mentions = rules.mentions(prepared.tenant_kind, tenant_name or "l'expéditeur", consent_source, unsubscribe)
    view = {
        "subject": prepared.subject,
        "tenant_name": tenant_name,
        "body": body.strip(),
        "paragraphs": [Markup(rules.html_paragraph(p)) for p in rules.paragraphs(body)],  # escaped there
        "mentions": mentions,
        "unsubscribe_url": unsubscribe,
    }
    reply_to = prepared.reply_to
    return Email(
        to=to,
        subject=(rules.TEST_PREFIX if test else "") + prepared.subject,
        text=templates.files().get_template("emails/campaign.txt").render(view),
        html=templates.files().get_template("emails/campaign.html").render(view),
        sender=prepared.sender,
        reply_to=reply_to,
        list_unsubscribe=f"<mailto:{reply_to}?subject=desabonnement>" if reply_to else None,
        one_click_url=unsubscribe,
        tags={"campaign": prepared.campaign_id, "contact": contact_id, **({"kind": "test"} if test else {})},
    )
