"""Erasure (RGPD art. 17: the mode of DELETE /contacts/{id}, the override of POST /contacts) and retention (art. 5
§ 1 e: the policy, its preview, the legal hold)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.domain.contacts import display_name
from chalicelib.domain.retention import DEFAULTS, RULES
from chalicelib.schemas.common import Line, Model, StrictModel


class ContactDeleteQuery(Model):
    mode: Literal["delete", "erase"] = Field(
        default="delete",
        description="delete (default): the contact and its history go for good. erase (RGPD art. 17): the person "
        "is anonymised everywhere, figures stay (attendance, campaign counts), and a later import or creation "
        "with the same email or phone is refused as « personne ayant demandé l'effacement ». Idempotent.",
    )


class ContactCreateQuery(Model):
    override_erasure: bool = Field(
        default=False,
        description="true (admin only, audited): create the contact even though its email or phone belongs to a "
        "person who asked for erasure (the person asked to be recorded again)",
    )


# --- the retention policy -----------------------------------------------------------------------------------------


class RetentionPolicyIn(StrictModel):
    """PUT /settings/retention: the whole policy (omitted fields take their defaults)."""

    version: int | None = Field(description="The version read (GET); null when the policy was never set")
    enabled: bool = Field(default=False, description="The weekly run applies the policy (the preview answers always)")
    inactive_months: int = Field(default=36, description="Months without any exchange before a contact is anonymised")
    prospect_months: int | None = Field(
        default=2, description="Political workspaces: months after a prospecting message left without answer"
    )
    election_id: Annotated[str, Line(80)] | None = Field(
        default=None, description="Political workspaces: the election the campaign file was made for"
    )
    after_election_months: int = Field(default=1, description="Political workspaces: months kept after that election")


class RetentionRuleOut(Model):
    default: int | None
    min: int
    max: int
    tenant_kinds: list[str]
    source: str


class RetentionPolicyOut(Model):
    version: int | None
    enabled: bool
    inactive_months: int
    prospect_months: int | None
    election_id: str | None
    after_election_months: int
    rules: dict[str, RetentionRuleOut] = Field(description="Each period's default, bounds and source")


def retention_policy_json(policy: dict[str, Any], version: int | None) -> dict[str, Any]:
    return {
        "version": version,
        **{k: policy[k] for k in DEFAULTS},
        "rules": {
            name: {"default": b.default, "min": b.low, "max": b.high, "tenant_kinds": list(b.kinds), "source": b.source}
            for name, b in RULES.items()
        },
    }


class RetentionAction(Model):
    contact_id: str
    name: str = Field(description="The contact as listed, before it is anonymised")
    rule: Literal["inactive", "prospect", "after_election"]
    reason: str


def retention_action_json(contact_id: str, doc: dict[str, Any], rule: str, reason: str) -> dict[str, Any]:
    return {"contact_id": contact_id, "name": display_name(doc), "rule": rule, "reason": reason}


class LegalHoldIn(StrictModel):
    legal_hold: bool = Field(description="true: the retention policy never anonymises the contact")
