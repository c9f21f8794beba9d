"""Candidacies and campaign gifts of a political tenant: the L52-8 checks (domain/donations.py), the capped write
(store/donations.py), cancellation, the ledger for the compte de campagne, the reçu-don.

Institution tenants have no access (403): a commune does not run a campaign, and its data never reaches a political
tenant's (L52-8, CNIL). Roles admin and cabinet (api/http.py ROLE_RULES["donations"]).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import donations as rules
from chalicelib.domain.amounts import euros_in_words
from chalicelib.domain.contacts import display_name, formal_name
from chalicelib.domain.electoral.calendar import Election
from chalicelib.domain.typography import french_date
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from chalicelib.services import audit, elections, lookup
from chalicelib.store import contacts as contacts_store
from chalicelib.store import donations as store
from chalicelib.store import tenants
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Candidacy, Contact, Donation

INSTITUTION = (
    "Les candidatures et les dons de campagne n'existent que dans un espace politique : un espace institutionnel "
    "(commune, intercommunalité, département) n'y a pas accès."
)
CANDIDACY_NOT_FOUND = "Candidature introuvable."
DONATION_NOT_FOUND = "Don introuvable."


LIMITS_KEY = "donation_limits"  # in the tenant's settings: name → {"value", "source", "by", "at"}


def require_political(p: Principal) -> None:
    if p.tenant_kind != "political":
        raise Forbidden(INSTITUTION)


def limits(p: Principal) -> Mapping[str, rules.Limit]:
    """The amounts the checks apply, each with its article and source: the law's, or the value an admin recorded
    after an indexation decree (L52-8 dernier alinéa), with that decree as its source. Read afresh for every gift
    (one GetItem), not cached per container as the tenant's open state is: a gift is checked against the amounts
    in force, whichever container records it just after an admin's update."""
    require_political(p)
    item = tenants.get_settings_item(p.tenant_id)
    recorded: Any = (item.data if item else {}).get(LIMITS_KEY) or {}
    return rules.with_settings(recorded)


def set_limits(p: Principal, values: Mapping[str, int], source: str) -> Mapping[str, rules.Limit]:
    """Record amounts indexed by decree (admins): each value with its source; the others stay as they were."""
    require_political(p)
    if not p.is_admin:
        raise Forbidden("Seul un administrateur actualise les montants de la loi.")
    errors = rules.limit_errors(values, source)
    if errors:
        raise ValidationFailed([{"field": f, "message": m} for f, m in errors])
    at = now_iso()
    recorded = {
        name: {"value": value, "source": source.strip(), "by": p.user_id, "at": at} for name, value in values.items()
    }
    for attempt in range(3):  # the settings are read, changed and written whole: another change meanwhile is kept
        item = tenants.get_settings_item(p.tenant_id)
        if item is None:
            raise NotFound("Espace non configuré.")
        data: Any = dict(item.data)
        data[LIMITS_KEY] = {**(data.get(LIMITS_KEY) or {}), **recorded}
        item.data = data
        try:
            tenants.save_settings(item)
            break
        except Conflict:
            if attempt == 2:
                raise
    audit.record(p, "update", "donation_limits", p.tenant_id, {"values": dict(values), "source": source.strip()})
    return limits(p)


# --- candidacies ----------------------------------------------------------------------------------------------


def _election(p: Principal, election_id: str, field: str = "election_id") -> Election:
    found = next((e for e in elections.elections_for(p.tenant_id) if e.id == election_id), None)
    if found is None:
        raise field_error(field, "Élection inconnue du calendrier (GET /elections).")
    return found


def _contact(p: Principal, contact_id: str, field: str) -> Contact:
    contact = contacts_store.get(p.tenant_id, contact_id)
    if contact is None:
        raise field_error(field, "Contact introuvable.")
    return contact


def _check_candidacy(p: Principal, c: Candidacy) -> None:
    election = _election(p, c.election_id)
    candidate = _contact(p, c.candidate_contact_id, "candidate_contact_id")
    if candidate.doc.get("kind") != "person":
        raise field_error("candidate_contact_id", "Le candidat est une personne, pas une organisation.")
    _contact(p, c.mandataire_contact_id, "mandataire_contact_id")  # a person or an association (L52-4)
    if rules.needs_population(election.kind) and c.commune_population is None:
        raise field_error(
            "commune_population",
            "Indiquez la population de la commune : l'article L52-4 du Code électoral ne s'applique pas aux "
            "communes de moins de 9 000 habitants.",
        )


def create_candidacy(
    p: Principal,
    *,
    election_id: str,
    candidate_contact_id: str,
    mandataire_contact_id: str,
    ceiling_cents: int,
    commune_population: int | None,
    account_filed_on: date | None,
) -> Candidacy:
    require_political(p)
    at = now_iso()
    candidacy = Candidacy(
        tenant_id=p.tenant_id,
        candidacy_id=new_id(),
        election_id=election_id,
        candidate_contact_id=candidate_contact_id,
        mandataire_contact_id=mandataire_contact_id,
        ceiling_cents=ceiling_cents,
        commune_population=commune_population,
        account_filed_on=account_filed_on.isoformat() if account_filed_on else None,
        created_by=p.user_id,
        created_at=at,
        updated_at=at,
    )
    _check_candidacy(p, candidacy)
    store.save_candidacy(candidacy)
    audit.record(p, "create", "candidacy", candidacy.candidacy_id)
    return candidacy


def candidacies(p: Principal) -> list[Candidacy]:
    require_political(p)
    return store.candidacies(p.tenant_id)


def load_candidacy(p: Principal, candidacy_id: str) -> Candidacy:
    require_political(p)
    return lookup.require(store.get_candidacy, p.tenant_id, candidacy_id, CANDIDACY_NOT_FOUND)


def update_candidacy(p: Principal, candidacy: Candidacy, changes: dict[str, Any], version: int) -> Candidacy:
    """A PATCH: the election stays (its gifts' totals are per election); the rest is re-checked whole. A stale
    version is a 409."""
    if version != candidacy.version:
        raise Conflict(store.STALE)
    if "election_id" in changes and changes["election_id"] != candidacy.election_id:
        raise field_error("election_id", "L'élection d'une candidature ne change pas : créez-en une autre.")
    filed = changes.get("account_filed_on", candidacy.account_filed_on)
    updated = replace(
        candidacy,
        candidate_contact_id=changes.get("candidate_contact_id", candidacy.candidate_contact_id),
        mandataire_contact_id=changes.get("mandataire_contact_id", candidacy.mandataire_contact_id),
        ceiling_cents=changes.get("ceiling_cents", candidacy.ceiling_cents),
        commune_population=changes.get("commune_population", candidacy.commune_population),
        account_filed_on=filed.isoformat() if isinstance(filed, date) else filed,
        updated_at=now_iso(),
    )
    _check_candidacy(p, updated)
    store.save_candidacy(updated)
    audit.record(p, "update", "candidacy", candidacy.candidacy_id, {"fields": sorted(changes)})
    return updated


def financing_period(p: Principal, candidacy: Candidacy) -> rules.Period | None:
    election = _election(p, candidacy.election_id, "candidacy_id")
    filed = date.fromisoformat(candidacy.account_filed_on) if candidacy.account_filed_on else None
    return rules.financing_period(election, candidacy.commune_population, filed)


def period_text(p: Principal, candidacy: Candidacy) -> tuple[str, str] | None:
    """The financing period as ISO dates (start, end), or None where L52-4 does not apply."""
    period = financing_period(p, candidacy)
    return None if period is None else (period.start.isoformat(), period.end.isoformat())


# --- gifts ----------------------------------------------------------------------------------------------------


def _donor(contact: Contact, attestation: bool) -> rules.Donor:
    doc = contact.doc
    address = doc.get("address") or {}
    return rules.Donor(
        kind=doc.get("kind", "person"),
        is_political_party=bool(doc.get("is_political_party")),
        nationality=doc.get("nationality"),
        # The directory's addresses are French (a code postal, an INSEE code): one of them means residence in France.
        has_french_address=bool(address.get("postcode") or address.get("insee_code")),
        attestation=attestation,
    )


def _refused(refusals: list[rules.Refusal]) -> ValidationFailed:
    details = [{"field": r.field, "message": r.message, "key": f"{r.article}#{r.rule}"} for r in refusals]
    return ValidationFailed(details, "Ce don ne peut pas être enregistré : " + refusals[0].message)


def _address_lines(contact: Contact) -> list[str]:
    address = contact.doc.get("address") or {}
    city = " ".join(x for x in (address.get("postcode"), address.get("city")) if x)
    return [*(address.get("lines") or []), *([city] if city else [])]


def record(
    p: Principal,
    *,
    candidacy_id: str,
    donor_contact_id: str,
    amount_cents: int,
    day: date,
    method: str,
    receipt_number: str | None,
    donor_attestation: bool,
) -> Donation:
    """Check the gift against L52-8 and L52-4 (422 with each refusal, article cited), then write it with the running
    totals bounded by the caps: a gift that a concurrent one pushed over the cap is refused the same way."""
    require_political(p)
    candidacy = store.get_candidacy(p.tenant_id, candidacy_id)
    if candidacy is None:
        raise field_error("candidacy_id", CANDIDACY_NOT_FOUND)
    donor_contact = _contact(p, donor_contact_id, "donor_contact_id")
    donor = _donor(donor_contact, donor_attestation)
    kind = rules.kind_of(donor)
    if kind == rules.PARTY_CONTRIBUTION and receipt_number:
        raise field_error(
            "receipt_number", "La contribution d'un parti n'est pas un don : elle ne donne pas lieu à un reçu-don."
        )
    standing = rules.Standing(
        donor_total_cents=store.donor_total(p.tenant_id, candidacy.election_id, donor_contact_id),
        cash_total_cents=store.cash_total(p.tenant_id, candidacy.candidacy_id),
        ceiling_cents=candidacy.ceiling_cents,
    )
    amounts = limits(p)
    refusals = rules.check(donor, amount_cents, method, day, standing, financing_period(p, candidacy), amounts)
    if refusals:
        raise _refused(refusals)
    donation = Donation(
        tenant_id=p.tenant_id,
        donation_id=new_id(),
        candidacy_id=candidacy.candidacy_id,
        election_id=candidacy.election_id,
        kind=kind or rules.DON,
        donor_contact_id=donor_contact_id,
        donor_name=formal_name(donor_contact.doc) or display_name(donor_contact.doc),
        donor_address=_address_lines(donor_contact),
        amount_cents=amount_cents,
        date=day.isoformat(),
        method=method,
        receipt_number=receipt_number,
        donor_attestation=donor_attestation,
        created_by=p.user_id,
        created_at=now_iso(),
    )
    is_don = kind == rules.DON
    outcome = store.record(
        donation,
        donor_cap=rules.limit("donor_cap_cents", amounts) if is_don else None,
        cash_cap=rules.cash_share_cap(candidacy.ceiling_cents, amounts) if is_don else None,
    )
    if outcome == "donor_cap":
        total = store.donor_total(p.tenant_id, candidacy.election_id, donor_contact_id)
        raise _refused([rules.cap_refusal(total, rules.limit("donor_cap_cents", amounts))])
    if outcome == "cash_share":
        share = rules.cash_share_cap(candidacy.ceiling_cents, amounts) or 0
        raise _refused([rules.cash_share_refusal(store.cash_total(p.tenant_id, candidacy.candidacy_id), share)])
    if outcome == "receipt_taken":
        raise Conflict(f"Le reçu n° {receipt_number} est déjà attribué à un autre don de cette candidature.")
    audit.record(p, "create", "donation", donation.donation_id, {"candidacy_id": candidacy.candidacy_id})
    return donation


def load(p: Principal, donation_id: str) -> Donation:
    require_political(p)
    return lookup.require(store.get_donation, p.tenant_id, donation_id, DONATION_NOT_FOUND)


def cancel(p: Principal, donation: Donation, reason: str) -> Donation:
    """A refund or a cancelled gift: it stays in the ledger, marked cancelled, its amount taken off the totals."""
    if donation.status == "cancelled" or not store.cancel(donation, reason, now_iso()):
        raise Conflict("Ce don est déjà annulé.")
    audit.record(p, "cancel", "donation", donation.donation_id, {"reason": reason})
    return donation


def assign_receipt(p: Principal, donation: Donation, number: str) -> Donation:
    """Record the CNCCFP receipt number given for a gift recorded without one (once: a numbered form is voided, not
    renumbered)."""
    if donation.kind != rules.DON:
        raise Conflict("La contribution d'un parti n'est pas un don : elle ne donne pas lieu à un reçu-don.")
    outcome = store.assign_receipt(donation, number)
    if outcome == "receipt_taken":
        raise Conflict(f"Le reçu n° {number} est déjà attribué à un autre don de cette candidature.")
    if outcome == "not_assignable":
        raise Conflict("Ce don a déjà un numéro de reçu, ou il est annulé : le numéro ne change plus.")
    audit.record(p, "update", "donation", donation.donation_id, {"receipt_number": number})
    return donation


# --- ledger and receipt -----------------------------------------------------------------------------------------


def _entry(d: Donation) -> rules.Entry:
    return rules.Entry(
        donation_id=d.donation_id,
        kind=d.kind,
        donor_contact_id=d.donor_contact_id,
        donor_name=d.donor_name,
        amount_cents=d.amount_cents,
        day=date.fromisoformat(d.date),
        method=d.method,
        receipt_number=d.receipt_number,
        cancelled=d.status == "cancelled",
    )


@dataclass(frozen=True)
class LedgerView:
    candidacy: Candidacy
    summary: rules.Ledger
    donations: list[Donation]


def ledger(p: Principal, candidacy: Candidacy) -> LedgerView:
    gifts = store.ledger(p.tenant_id, candidacy.candidacy_id)
    return LedgerView(candidacy, rules.ledger([_entry(d) for d in gifts]), gifts)


def ledger_csv(p: Principal, candidacy: Candidacy) -> bytes:
    gifts = store.ledger(p.tenant_id, candidacy.candidacy_id)
    audit.record(p, "export", "donation_ledger", candidacy.candidacy_id)
    return rules.csv_bytes(_entry(d) for d in gifts)


def receipt(p: Principal, donation: Donation) -> bytes:
    """The reçu-don's content as a PDF (printing/receipts.py says what of the official model it reproduces)."""
    if donation.kind != rules.DON:
        raise Conflict("La contribution d'un parti n'est pas un don : elle ne donne pas lieu à un reçu-don.")
    if donation.status == "cancelled":
        raise Conflict("Ce don est annulé : son reçu n'est plus valable.")
    if not donation.receipt_number:
        raise Conflict("Ce don n'a pas de numéro de reçu CNCCFP : enregistrez-le d'abord.")
    candidacy = load_candidacy(p, donation.candidacy_id)
    election = _election(p, candidacy.election_id, "candidacy_id")
    candidate = contacts_store.get(p.tenant_id, candidacy.candidate_contact_id)
    mandataire = contacts_store.get(p.tenant_id, candidacy.mandataire_contact_id)
    from chalicelib.printing.receipts import Receipt, receipt_pdf  # fpdf: only the requests that print load it

    document = Receipt(
        number=donation.receipt_number,
        election=election.label,
        candidate=formal_name(candidate.doc) if candidate else "",
        mandataire=formal_name(mandataire.doc) if mandataire else "",
        mandataire_address=_address_lines(mandataire) if mandataire else [],
        donor=donation.donor_name,
        donor_address=donation.donor_address,
        amount_figures=rules.euros(donation.amount_cents),
        amount_words=euros_in_words(donation.amount_cents),
        day=french_date(date.fromisoformat(donation.date)),
        method=rules.METHOD_LABELS.get(donation.method, donation.method),
        tax_mention=rules.tax_mention(),
    )
    audit.record(p, "print", "donation_receipt", donation.donation_id)
    return receipt_pdf(document)
