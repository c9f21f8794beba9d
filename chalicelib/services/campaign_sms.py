"""What an SMS campaign's recipient receives, and when it may leave.

The text sent is the body staff wrote, rendered for the recipient within the bounds of user-written bodies (as an
email's, services/campaign_mail.render_body), followed by the opt-out mention « STOP : <short link> »
(domain/sms.with_opt_out, services/sms_links.py): with an alphanumeric sender ID French mobiles cannot reply, so
the link is the opt-out path (CNIL, prospection politique par SMS). The preview counts these very texts.

When: the tenant's sending hours (domain/quiet_hours.py, by default Monday–Friday 10:00–13:00 and 14:00–20:00 in
its zone, never on a public holiday of its subdivision, by analogy with art. D223-9 du Code de la consommation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain import campaigns as rules
from chalicelib.domain import quiet_hours, sms
from chalicelib.domain.time import today
from chalicelib.messaging import templates
from chalicelib.services import campaign_mail, sms_links
from chalicelib.store import tenants
from chalicelib.store.entities import Campaign

MESSAGE_TYPE = "Promotional"  # SNS's cheaper route, for messages that are not transactional (AWS SMS types);
# a tenant may choose Transactional in /settings (sms_message_type)
DEFAULT_PRICE_CENTS = 5  # per segment when the tenant has set none: the order of a French SMS's price


@dataclass(frozen=True)
class Prepared:
    """An SMS campaign's content and its tenant's settings, read once per chunk of recipients."""

    tenant_id: str
    campaign_id: str
    source: str
    variables: frozenset[str]
    settings: Mapping[str, Any]
    sender_id: str | None
    message_type: str  # SNS's route: the tenant's setting, else Promotional
    hours: quiet_hours.SendingHours
    on: date
    consultation: Mapping[str, str] | None = None  # {"id", "audience"}: whose link {{ consultation_url }} gives

    @property
    def price_cents_per_segment(self) -> float:
        price = self.settings.get("sms_price_cents_per_segment")
        return float(price) if price is not None else DEFAULT_PRICE_CENTS


def settings_of(tenant_id: str) -> dict[str, Any]:
    item = tenants.get_settings_item(tenant_id)
    return dict(item.data) if item else {}


def prepare(campaign: Campaign) -> Prepared:
    settings = settings_of(campaign.tenant_id)
    source, _ = campaign_mail.body_source(campaign.doc["content"])
    return Prepared(
        tenant_id=campaign.tenant_id,
        campaign_id=campaign.campaign_id,
        source=source,
        variables=templates.check(source, rules.VARIABLES).variables,
        settings=settings,
        sender_id=settings.get("sms_sender_id") or None,
        message_type=settings.get("sms_message_type") or MESSAGE_TYPE,
        hours=quiet_hours.sending_hours(settings),
        on=today(settings.get("timezone")),
        consultation=campaign.doc.get("consultation"),
    )


def compose(prepared: Prepared, contact_id: str, contact_doc: Mapping[str, Any], appel: str | None) -> str:
    """The text sent to one recipient, opt-out mention included. Raises as campaign_mail.compose."""
    link = sms_links.stop_url(prepared.tenant_id, contact_id)
    body = campaign_mail.render_body(
        prepared.source,
        prepared.settings,
        contact_doc,
        prepared.on,
        appel=appel,
        unsubscribe=link,
        consultation=campaign_mail.consultation_url(prepared.tenant_id, prepared.consultation, contact_id),
    )
    return sms.with_opt_out(body, link)


def start_at(moment: datetime, hours: quiet_hours.SendingHours) -> datetime:
    """When a campaign asked to leave at `moment` may start: that moment, or the next allowed one."""
    return quiet_hours.next_allowed(moment, hours)
