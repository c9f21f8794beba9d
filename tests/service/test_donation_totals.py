"""The L52-8 caps held by the write itself: two gifts that each fit the donor's total read before either is written
cannot together pass it (the second transaction is cancelled, nothing of it written); cancelling gives the amount
back; a receipt number is taken once per candidacy."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.store import donations as store
from chalicelib.store.entities import Donation

CAP = 460_000
TENANT = "t-liste"


def gift(donation_id: str, amount: int, *, method: str = "cheque", receipt: str | None = None, **kw: str) -> Donation:
    return Donation(
        tenant_id=TENANT,
        donation_id=donation_id,
        candidacy_id=kw.get("candidacy_id", "C1"),
        election_id="presidentielle-2027",
        kind="don",
        donor_contact_id="D1",
        donor_name="Jeanne Martin",
        amount_cents=amount,
        date="2027-01-10",
        method=method,
        receipt_number=receipt,
        created_by="u",
        created_at="2027-01-10T10:00:00.000Z",
    )


def test_two_gifts_of_3000_read_before_either_is_written_one_is_refused(aws_mock) -> None:
    # Both requests read the donor's total (0) and found 3 000 € within 4 600 €: the conditional ADD decides. (Not
    # two threads: moto's in-process transactions are not atomic, so a threaded test would prove nothing of DynamoDB
    # and could fail at random; the interleaving that matters, both reads before both writes, is played here.)
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == 0
    first = store.record(gift("G1", 300_000), donor_cap=CAP, cash_cap=None)
    second = store.record(gift("G2", 300_000, candidacy_id="C2"), donor_cap=CAP, cash_cap=None)
    assert (first, second) == ("recorded", "donor_cap")
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == 300_000
    assert store.get_donation(TENANT, "G2") is None
    assert [d.donation_id for d in store.ledger(TENANT, "C1")] == ["G1"]
    assert store.ledger(TENANT, "C2") == []


def test_cap_reached_exactly_then_one_cent_more(aws_mock) -> None:
    assert store.record(gift("G1", 400_000), donor_cap=CAP, cash_cap=None) == "recorded"
    assert store.record(gift("G2", 60_001), donor_cap=CAP, cash_cap=None) == "donor_cap"
    assert store.record(gift("G3", 60_000), donor_cap=CAP, cash_cap=None) == "recorded"
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == CAP


def test_cash_total_bounded_and_given_back_on_cancel(aws_mock) -> None:
    assert store.record(gift("G1", 15_000, method="especes"), donor_cap=CAP, cash_cap=20_000) == "recorded"
    assert store.record(gift("G2", 5_001, method="especes"), donor_cap=CAP, cash_cap=20_000) == "cash_share"
    assert store.cash_total(TENANT, "C1") == 15_000
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == 15_000  # the refused gift left no trace
    first = store.get_donation(TENANT, "G1")
    assert first is not None
    assert store.cancel(first, "Chèque sans provision", "2027-01-11T10:00:00.000Z") is True
    assert store.cancel(first, "Deux fois", "2027-01-11T10:00:00.000Z") is False  # already cancelled
    assert store.cash_total(TENANT, "C1") == 0
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == 0
    kept = store.get_donation(TENANT, "G1")
    assert kept is not None and (kept.status, kept.cancel_reason) == ("cancelled", "Chèque sans provision")


def test_receipt_number_unique_per_candidacy(aws_mock) -> None:
    assert store.record(gift("G1", 1_000, receipt="A-0001"), donor_cap=CAP, cash_cap=None) == "recorded"
    assert store.record(gift("G2", 1_000, receipt="A-0001"), donor_cap=CAP, cash_cap=None) == "receipt_taken"
    assert store.donor_total(TENANT, "presidentielle-2027", "D1") == 1_000
    other = replace(gift("G3", 1_000, receipt="A-0001"), candidacy_id="C2")
    assert store.record(other, donor_cap=CAP, cash_cap=None) == "recorded"


def test_party_contribution_outside_the_totals(aws_mock) -> None:
    party = replace(gift("P1", 5_000_000), kind="party_contribution", donor_contact_id="PARTY")
    assert store.record(party, donor_cap=None, cash_cap=None) == "recorded"
    assert store.donor_total(TENANT, "presidentielle-2027", "PARTY") == 0
