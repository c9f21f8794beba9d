"""/candidacies and /donations: a political tenant's campaign finance (Code électoral L52-4, L52-8, L52-10, L52-12).

An institution gets 403 on every route; roles admin and cabinet.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.donations import (
    CandidacyCreate,
    CandidacyOut,
    CandidacyPatch,
    DonationCancel,
    DonationCreate,
    DonationOut,
    LedgerOut,
    LedgerQuery,
    LimitOut,
    LimitsUpdate,
    ReceiptNumber,
    candidacy_json,
    donation_json,
    ledger_json,
    limits_json,
)
from chalicelib.services import donations

api = Api(__name__, "donations", roles="donations", errors=(403,))
candidacy_api = api.resource("/candidacies/{candidacy_id}", response=CandidacyOut, errors=(404,))
donation_api = api.resource("/donations/{donation_id}", response=DonationOut, errors=(404,))
CSV = "text/csv"
PDF = "application/pdf"


def _candidacy(ctx: Ctx, candidacy_id: str | None = None, *, shown: Any = None) -> dict[str, Any]:
    """A candidacy's JSON with its financing period (loaded by id unless given)."""
    c = shown if shown is not None else donations.load_candidacy(ctx.user, candidacy_id or "")
    return candidacy_json(c, donations.period_text(ctx.user, c))


@api.post("/candidacies", body=CandidacyCreate, response=CandidacyOut, status=201, errors=(422,))
def create_candidacy(ctx: Ctx) -> dict[str, Any]:
    """Declare a candidacy: election of the calendar, candidate, mandataire financier, spending ceiling"""
    donations.require_political(ctx.user)
    body = ctx.body(CandidacyCreate)
    created = donations.create_candidacy(
        ctx.user,
        election_id=body.election_id,
        candidate_contact_id=body.candidate_contact_id,
        mandataire_contact_id=body.mandataire_contact_id,
        ceiling_cents=body.ceiling_cents,
        commune_population=body.commune_population,
        account_filed_on=body.account_filed_on,
    )
    return _candidacy(ctx, shown=created)


@api.get("/candidacies", response=Page[CandidacyOut])
def list_candidacies(ctx: Ctx) -> dict[str, Any]:
    """The tenant's candidacies, with their financing period"""
    return whole_list([_candidacy(ctx, shown=c) for c in donations.candidacies(ctx.user)])


@candidacy_api.get()
def get_candidacy(ctx: Ctx, candidacy_id: str) -> dict[str, Any]:
    """One candidacy"""
    return _candidacy(ctx, candidacy_id)


@candidacy_api.patch(body=CandidacyPatch, errors=(409, 422))
def patch_candidacy(ctx: Ctx, candidacy_id: str) -> dict[str, Any]:
    """Change a candidacy (not its election); version required"""
    candidacy = donations.load_candidacy(ctx.user, candidacy_id)
    body = ctx.body(CandidacyPatch)
    changes = body.model_dump(include=body.model_fields_set - {"version"})
    return _candidacy(ctx, shown=donations.update_candidacy(ctx.user, candidacy, changes, body.version))


@api.post("/donations", body=DonationCreate, response=DonationOut, status=201, errors=(409, 422))
def create_donation(ctx: Ctx) -> dict[str, Any]:
    """Record a gift: 422 citing the article when L52-8 or L52-4 refuses it; a party's contribution is recorded apart
    (kind party_contribution: no cap, no receipt)"""
    donations.require_political(ctx.user)
    body = ctx.body(DonationCreate)
    recorded = donations.record(
        ctx.user,
        candidacy_id=body.candidacy_id,
        donor_contact_id=body.donor_contact_id,
        amount_cents=body.amount_cents,
        day=body.date,
        method=body.method,
        receipt_number=body.receipt_number,
        donor_attestation=body.donor_attestation,
    )
    return donation_json(recorded)


@api.get("/donations/ledger", query=LedgerQuery, response=LedgerOut, errors=(404, 422), produces=(CSV,))
def donation_ledger(ctx: Ctx) -> dict[str, Any] | Response:
    """A candidacy's ledger: totals by method and month, donors with their receipt numbers; Accept: text/csv for the
    compte de campagne"""
    donations.require_political(ctx.user)
    candidacy = donations.load_candidacy(ctx.user, ctx.query(LedgerQuery).candidacy_id)
    if ctx.accepts(CSV):
        data = donations.ledger_csv(ctx.user, candidacy)
        return file_response(data, CSV, f"dons-{candidacy.candidacy_id}.csv")
    view = donations.ledger(ctx.user, candidacy)
    return ledger_json(candidacy.candidacy_id, view.summary, view.donations)


@api.get("/donations/limits", response=Page[LimitOut])
def donation_limits(ctx: Ctx) -> dict[str, Any]:
    """The amounts L52-8 sets (cap per donor and election, cash), with their article and source"""
    return limits_json(donations.limits(ctx.user))


# 409: the settings changed three times while being written
@api.put("/donations/limits", body=LimitsUpdate, response=Page[LimitOut], roles="admin", errors=(409, 422))
def set_donation_limits(ctx: Ctx) -> dict[str, Any]:
    """Record amounts indexed by decree (L52-8 last paragraph), each with its source"""
    data = ctx.body(LimitsUpdate)
    return limits_json(donations.set_limits(ctx.user, data.values, data.source))


@donation_api.get()
def get_donation(ctx: Ctx, donation_id: str) -> dict[str, Any]:
    """One gift"""
    return donation_json(donations.load(ctx.user, donation_id))


@donation_api.put("/receipt-number", body=ReceiptNumber, errors=(409, 422))
def put_receipt_number(ctx: Ctx, donation_id: str) -> dict[str, Any]:
    """Record the CNCCFP receipt number of a gift recorded without one (409 if taken in the candidacy)"""
    donation = donations.load(ctx.user, donation_id)
    body = ctx.body(ReceiptNumber)
    return donation_json(donations.assign_receipt(ctx.user, donation, body.receipt_number))


@donation_api.post("/cancel", body=DonationCancel, errors=(409, 422))
def cancel_donation(ctx: Ctx, donation_id: str) -> dict[str, Any]:
    """Cancel or refund a gift: it stays in the ledger, cancelled, and leaves the running totals"""
    donation = donations.load(ctx.user, donation_id)
    body = ctx.body(DonationCancel)
    return donation_json(donations.cancel(ctx.user, donation, body.reason))


@donation_api.get("/receipt", response=None, errors=(406, 409), answers={200: (PDF,)})
def donation_receipt(ctx: Ctx, donation_id: str) -> Response:
    """The reçu-don's content as a PDF (Accept: application/pdf); 409 without a CNCCFP receipt number"""
    donation = donations.load(ctx.user, donation_id)
    ctx.require_accept(PDF)
    data = donations.receipt(ctx.user, donation)
    return file_response(data, PDF, f"recu-{donation.receipt_number or donation.donation_id}.pdf")
