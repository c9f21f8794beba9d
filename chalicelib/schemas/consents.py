"""Consents per contact and channel (GET/PUT /contacts/{id}/consents)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from chalicelib.domain import consent as rules
from chalicelib.schemas.common import Lines, Model, StrictModel, built
from chalicelib.store import entities

ConsentStatus = Literal["granted", "withdrawn", "unknown"]
LawfulBasis = Literal["consent", "public_task", "legitimate_interest"]
StaffSource = Literal["form", "import", "event", "paper", "staff"]
assert set(get_args(ConsentStatus)) == set(rules.STATUSES)
assert set(get_args(LawfulBasis)) == set(rules.LAWFUL_BASES)
assert set(get_args(StaffSource)) == set(rules.RECORDED_BY_STAFF)


class ConsentPut(StrictModel):
    status: ConsentStatus
    lawful_basis: LawfulBasis | None = Field(
        default=None,
        description="RGPD art. 6(1) basis; default: consent when granted, else the tenant kind's usual basis",
    )
    source: StaffSource = Field(description="Where the person said it: a form, an import, an event, paper, staff")
    text: Annotated[str, Lines(2000)] | None = Field(default=None, description="The wording the person was shown")


class ConsentChange(Model):
    status: str
    lawful_basis: str
    source: str
    text: str | None
    at: str
    by: str


class SuppressedAddress(Model):
    address: str
    reason: Literal["hard_bounce", "soft_bounces", "complaint", "unsubscribe"]
    at: str


class ConsentOut(Model):
    channel: Literal["email", "sms", "post", "phone"]
    status: ConsentStatus
    lawful_basis: str | None
    source: str | None
    text: str | None
    at: str | None = Field(description="When it was recorded; null: never recorded (status unknown)")
    by: str | None = Field(description="Who recorded it: a user id, or « agora » (one-click unsubscribe)")
    may_send: bool = Field(description="Whether campaigns may use this channel under the tenant's rule")
    suppressed: list[SuppressedAddress] = Field(
        description="email: the contact's addresses no email goes to any more (bounced, complained, unsubscribed)"
    )
    history: list[ConsentChange]


def consent_json(
    consent: entities.Consent, tenant_kind: str, suppressed: list[entities.Suppression] | None = None
) -> dict[str, Any]:
    return built(
        ConsentOut,
        consent,
        may_send=rules.may_send(tenant_kind, consent.channel, consent.status),
        suppressed=[
            {"address": s.address, "reason": s.reason, "at": s.at}
            for s in (suppressed or [])
            if consent.channel == "email"
        ],
        history=[dict(change) for change in consent.history],
    )
