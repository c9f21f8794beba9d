"""Candidacies and campaign gifts (political tenants): requests and responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.domain.donations import Ledger, Limit
from chalicelib.schemas.common import NOT_NULL, Line, Lines, Model, PlausibleDate, StrictModel, Ulid, built
from chalicelib.store import entities

Method = Literal["cheque", "virement", "carte", "prelevement", "especes"]
ElectionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="An election of GET /elections")]
Cents = Annotated[int, Field(ge=1, le=10**11)]


class CandidacyCreate(StrictModel):
    election_id: ElectionId
    candidate_contact_id: Ulid
    mandataire_contact_id: Ulid = Field(description="The mandataire financier: a person or an association (L52-4)")
    ceiling_cents: Annotated[int, Field(ge=0, le=10**11, description="Spending ceiling (L52-11), in cents")]
    commune_population: int | None = Field(
        default=None,
        ge=0,
        le=10**8,
        description="Municipales: required; under 9 000 inhabitants L52-4 does not apply (no period check)",
    )
    account_filed_on: PlausibleDate | None = Field(
        default=None, description="When the compte de campagne was filed: the financing period ends that day"
    )


class CandidacyPatch(StrictModel):
    candidate_contact_id: Annotated[Ulid | None, NOT_NULL] = None
    mandataire_contact_id: Annotated[Ulid | None, NOT_NULL] = None
    ceiling_cents: Annotated[int | None, Field(ge=0, le=10**11), NOT_NULL] = None
    commune_population: int | None = Field(default=None, ge=0, le=10**8)
    account_filed_on: PlausibleDate | None = None
    version: int = Field(ge=1, description="The version read; a stale one gives 409.")


class CandidacyOut(Model):
    id: str
    election_id: str
    candidate_contact_id: str
    mandataire_contact_id: str
    ceiling_cents: int
    commune_population: int | None
    account_filed_on: str | None
    financing_period: dict[str, str] | None = Field(
        description="{start, end} of the L52-4 period (ISO dates); null where L52-4 does not apply"
    )
    version: int
    created_at: str
    updated_at: str


class DonationCreate(StrictModel):
    candidacy_id: Ulid
    donor_contact_id: Ulid
    amount_cents: Cents
    date: PlausibleDate
    method: Method
    receipt_number: Annotated[str, Line(40)] | None = Field(
        default=None, description="The CNCCFP receipt number of the gift: unique per candidacy"
    )
    donor_attestation: bool = Field(
        default=False, description="The donor attests being French or resident in France (L52-8)"
    )


class ReceiptNumber(StrictModel):
    receipt_number: Annotated[str, Line(40)] = Field(
        min_length=1, description="The CNCCFP receipt number: unique per candidacy, given once"
    )


class DonationCancel(StrictModel):
    reason: Annotated[str, Lines(500)] = Field(min_length=3)


class DonationOut(Model):
    id: str
    kind: Literal["don", "party_contribution"] = Field(
        description="A party's contribution is recorded apart: no cap, no receipt (L52-8)"
    )
    candidacy_id: str
    election_id: str
    donor_contact_id: str
    donor_name: str
    amount_cents: int
    date: str
    method: Method
    receipt_number: str | None
    donor_attestation: bool
    status: Literal["recorded", "cancelled"]
    cancel_reason: str | None
    cancelled_at: str | None
    created_at: str


class LedgerQuery(Model):
    candidacy_id: Ulid


class LedgerDonor(Model):
    donor_contact_id: str
    donor_name: str
    total_cents: int
    receipt_numbers: list[str]


class LedgerOut(Model):
    candidacy_id: str
    dons_cents: int = Field(description="Gifts of persons, cancelled ones excluded")
    party_contributions_cents: int
    by_method: dict[str, int]
    by_month: dict[str, int] = Field(description="YYYY-MM → cents")
    donors: list[LedgerDonor]
    cancelled_count: int
    items: list[DonationOut]


def candidacy_json(c: entities.Candidacy, period: tuple[str, str] | None) -> dict[str, Any]:
    return built(
        CandidacyOut,
        c,
        id=c.candidacy_id,
        financing_period=None if period is None else {"start": period[0], "end": period[1]},
    )


def donation_json(d: entities.Donation) -> dict[str, Any]:
    return built(DonationOut, d, id=d.donation_id)


def ledger_json(candidacy_id: str, summary: Ledger, donations: list[entities.Donation]) -> dict[str, Any]:
    return {
        "candidacy_id": candidacy_id,
        "dons_cents": summary.dons_cents,
        "party_contributions_cents": summary.party_contributions_cents,
        "by_method": dict(summary.by_method),
        "by_month": dict(summary.by_month),
        "donors": [
            {
                "donor_contact_id": line.donor_contact_id,
                "donor_name": line.donor_name,
                "total_cents": line.total_cents,
                "receipt_numbers": list(line.receipt_numbers),
            }
            for line in summary.donors
        ],
        "cancelled_count": summary.cancelled_count,
        "items": [donation_json(d) for d in donations],
    }


class LimitsUpdate(StrictModel):
    values: dict[str, int] = Field(description="Amounts to record, by name (those of GET /donations/limits)")
    source: str = Field(max_length=300, description="The text that sets them: the indexation decree")


class LimitOut(Model):
    name: str
    value: int
    article: str
    source: str
    to_check: str | None = Field(description="Why the value may have changed (an indexation decree not yet checked)")


def limits_json(limits: Mapping[str, Limit]) -> dict[str, Any]:
    return {
        "items": [
            {
                "name": name,
                "value": item.value,
                "article": item.article,
                "source": item.source,
                "to_check": item.to_check,
            }
            for name, item in limits.items()
        ],
        "next_cursor": None,
    }
