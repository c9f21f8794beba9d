"""Forms of address of a contact: formule d'appel, closing, address block, envelope (usage of official letters)."""

from __future__ import annotations

from datetime import date

from chalicelib.auth import Principal
from chalicelib.domain.protocol import address_forms as rules
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.text import fold
from chalicelib.errors import ValidationFailed
from chalicelib.services.protocol import person_of, territory_label
from chalicelib.store import contacts as contacts_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import tenants
from chalicelib.store.entities import Contact


def rank_of(code: str) -> float | None:
    """The article 3 category: the same scale precedence uses (lower is higher)."""
    f = FUNCTIONS.get(code)
    return f.rank_departement if f else None


def signatory_function(p: Principal) -> str | None:
    """The tenant's signatory as a function code: « Maire de Rouen » → maire; a commune signs as its maire."""
    item = tenants.get_settings_item(p.tenant_id)
    text = fold((item.data if item else {}).get("signatory_function") or "")
    if text:
        for code, f in sorted(FUNCTIONS.items(), key=lambda kv: -len(kv[1].title_m)):
            for title in (f.title_m, f.title_f):
                if title and text.startswith(fold(title)):
                    return code
    return "maire" if p.tenant_kind == "institution" else None


def for_contact(p: Principal, item: Contact, *, sender_function: str | None = None) -> rules.AddressForms:
    """How to write to the contact, on behalf of ``sender_function`` (a function code; default: the tenant's
    signatory)."""
    if sender_function is not None and sender_function not in FUNCTIONS:
        raise ValidationFailed(
            [{"field": "sender_function", "message": "Fonction inconnue (voir /protocol/functions)."}]
        )
    sender = sender_function or signatory_function(p)
    recipient = person_of(item, mandates_store.for_contact(p.tenant_id, item.contact_id))
    partner = None
    partner_id = item.doc.get("partner_contact_id")
    if partner_id and (partner_item := contacts_store.get(p.tenant_id, partner_id)) is not None:
        partner = person_of(partner_item, mandates_store.for_contact(p.tenant_id, partner_id))
    return rules.address_forms(recipient, date.today(), sender, territory_label, partner, rank_of=rank_of)
