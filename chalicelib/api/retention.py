"""/settings/retention, /retention/preview and /contacts/{id}/legal-hold: the retention policy (RGPD art. 5 § 1 e)."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.contacts import Contact, contact_json
from chalicelib.schemas.erasure import (
    LegalHoldIn,
    RetentionAction,
    RetentionPolicyIn,
    RetentionPolicyOut,
    retention_action_json,
    retention_policy_json,
)
from chalicelib.services import retention

api = Api(__name__, "retention", roles="admin", errors=(403,))


@api.get("/settings/retention", response=RetentionPolicyOut)
def get_policy(ctx: Ctx) -> dict[str, Any]:
    """The retention policy: its periods (CNIL defaults, with their sources) and whether the weekly run acts"""
    policy, version = retention.get_policy(ctx.user.tenant_id)
    return retention_policy_json(policy, version)


@api.put("/settings/retention", body=RetentionPolicyIn, response=RetentionPolicyOut, errors=(409, 422))
def put_policy(ctx: Ctx) -> dict[str, Any]:
    """Replace the retention policy (422 field by field; 409 when the version read is stale)"""
    body = ctx.body(RetentionPolicyIn)
    wanted = body.model_dump(exclude={"version"})
    policy, version = retention.put_policy(ctx.user, wanted, body.version)
    return retention_policy_json(policy, version)


@api.get("/retention/preview", query=ListQuery, response=Page[RetentionAction], errors=(400,))
def preview(ctx: Ctx) -> dict[str, Any]:
    """What the next weekly run anonymises, with the rule and reason of each (whether or not it is enabled)"""
    query = ctx.query(ListQuery)
    listing = retention.preview(ctx.user, query.cursor, query.limit)
    return listing_json(
        listing,
        lambda s: retention_action_json(s.contact.contact_id, dict(s.contact.doc), s.action.rule, s.action.reason),
    )


@api.put("/contacts/{contact_id}/legal-hold", body=LegalHoldIn, response=Contact, errors=(404, 409, 422))
def put_legal_hold(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """Set or lift a contact's legal hold: the retention policy never anonymises a contact under one"""
    hold = ctx.body(LegalHoldIn).legal_hold
    contact = retention.set_legal_hold(ctx.user, contact_id, hold)
    return contact_json(contact, ctx.user.can_see_confidential)
