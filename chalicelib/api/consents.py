"""/contacts/{id}/consents: what each contact agreed to receive, channel by channel, with its history."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.consents import ConsentOut, ConsentPut, consent_json
from chalicelib.services import consents, contacts

api = Api(__name__, "contacts", errors=(404,))
contact_api = api.resource("/contacts/{contact_id}")


@contact_api.get("/consents", response=Page[ConsentOut])
def list_consents(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """A contact's consent on each channel, whether campaigns may use it, its suppressed addresses, history"""
    contact = contacts.load(ctx.user, contact_id)
    suppressed = consents.suppressions_of(contact)
    return whole_list(
        [consent_json(c, ctx.user.tenant_kind, suppressed) for c in consents.of_contact(ctx.user, contact)]
    )


@contact_api.put("/consents/{channel}", body=ConsentPut, response=ConsentOut, roles="write", errors=(409, 422))
def put_consent(ctx: Ctx, contact_id: str, channel: str) -> dict[str, Any]:
    """Record what the contact said on a channel (granted, withdrawn, unknown), its basis, source and text"""
    contact = contacts.load(ctx.user, contact_id)
    body = ctx.body(ConsentPut)
    consent = consents.record(
        ctx.user,
        contact,
        channel,
        status=body.status,
        lawful_basis=body.lawful_basis,
        source=body.source,
        text=body.text,
    )
    return consent_json(consent, ctx.user.tenant_kind, consents.suppressions_of(contact))
