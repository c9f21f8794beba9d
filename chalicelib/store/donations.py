"""Candidacies and their ledger of gifts, in one table keyed (tenant, sort key):

- `candidacy#{id}`: a candidacy, versioned;
- `donation#{id}`: a gift; `ledger_key` = "{candidacy}#{donation}" puts it in the `by-ledger` local index, which lists
  a candidacy's gifts in one Query (oldest first);
- `donor-total#{election}#{contact}`: what a donor gave for an election, over all the tenant's candidacies in it;
- `cash-total#{candidacy}`: the cash a candidacy received;
- `receipt#{candidacy}#{number}`: a CNCCFP receipt number taken (kept when the gift is cancelled: the numbered form is
  voided, not reused).

L52-8 caps are enforced by the write itself: the gift is put in one TransactWriteItems with the running totals' ADD
conditioned on `total <= cap - amount`, so two concurrent gifts by one donor cannot together pass the cap (DynamoDB
runs transactions atomically; one of them is cancelled).
"""

from __future__ import annotations

from typing import Literal

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import LocalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.store.base import (
    BaseModel,
    VersionedRepository,
    connection,
    entity_of,
    get_entity,
    get_item,
    index,
    item_of,
)
from chalicelib.store.entities import Candidacy, Donation
from chalicelib.store.transactions import conflict_if_busy

STALE = "Cette candidature a été modifiée entre-temps ; rechargez-la puis réessayez."
# Another gift, cancellation or receipt number writing the same totals or gift at that very moment (DynamoDB's
# TransactionConflict): nothing was written, and the same request sent again is judged afresh.
BUSY = "D'autres opérations sur ces dons sont enregistrées au même instant : veuillez réessayer dans un moment."
CANDIDACY, DONATION = "candidacy#", "donation#"

Outcome = Literal["recorded", "donor_cap", "cash_share", "receipt_taken"]


class CandidacyItem(BaseModel, entity=Candidacy, table="donations", keys=("tenant_id", "sk")):
    pass


class DonationItem(BaseModel, entity=Donation, table="donations", keys=("tenant_id", "sk")):
    ledger_key = UnicodeAttribute()  # "{candidacy}#{donation}"
    by_ledger: LocalSecondaryIndex[DonationItem] = index("by-ledger", "tenant_id", "ledger_key", local=True)


class TotalItem(BaseModel, table="donations", keys=("tenant_id", "sk")):
    """A running total (a donor's for an election, a candidacy's cash), written only inside transactions."""

    total_cents = NumberAttribute(null=True)


class ReceiptItem(BaseModel, table="donations", keys=("tenant_id", "sk")):
    """A receipt number taken in a candidacy: its existence is the uniqueness."""

    donation_id = UnicodeAttribute()


def _donor_total_key(election_id: str, contact_id: str) -> str:
    return f"donor-total#{election_id}#{contact_id}"


def _cash_total_key(candidacy_id: str) -> str:
    return f"cash-total#{candidacy_id}"


def _receipt_key(candidacy_id: str, number: str) -> str:
    return f"receipt#{candidacy_id}#{number}"


# --- candidacies ----------------------------------------------------------------------------------------------


_candidacies = VersionedRepository(Candidacy, CandidacyItem, STALE, keys=lambda c: {"sk": CANDIDACY + c.candidacy_id})


def get_candidacy(tenant_id: str, candidacy_id: str) -> Candidacy | None:
    return _candidacies.get(tenant_id, CANDIDACY + candidacy_id)


def candidacies(tenant_id: str) -> list[Candidacy]:
    """A tenant's candidacies (a handful): one Query on the sort-key prefix."""
    query = CandidacyItem.query(tenant_id, CandidacyItem.sk.startswith(CANDIDACY))
    return [entity_of(Candidacy, item) for item in query]


save_candidacy = _candidacies.save  # under the version read (a new one: only if it does not exist yet)


# --- totals ---------------------------------------------------------------------------------------------------


def _total(tenant_id: str, key: str) -> int:
    item = get_item(TotalItem, tenant_id, key, consistent_read=True)
    return int(item.total_cents or 0) if item else 0


def donor_total(tenant_id: str, election_id: str, contact_id: str) -> int:
    """What the donor gave for the election (gifts not cancelled), read consistently."""
    return _total(tenant_id, _donor_total_key(election_id, contact_id))


def cash_total(tenant_id: str, candidacy_id: str) -> int:
    return _total(tenant_id, _cash_total_key(candidacy_id))


def _bounded(amount: int, cap: int) -> Condition:
    """`total + amount <= cap`, written `total <= cap - amount` (a missing total counts as zero)."""
    within = TotalItem.total_cents <= cap - amount
    return (TotalItem.total_cents.does_not_exist() | within) if amount <= cap else within


# --- gifts ----------------------------------------------------------------------------------------------------


def get_donation(tenant_id: str, donation_id: str) -> Donation | None:
    return get_entity(Donation, DonationItem, tenant_id, DONATION + donation_id)


def ledger(tenant_id: str, candidacy_id: str) -> list[Donation]:
    """A candidacy's gifts, oldest first: one Query on the by-ledger index (all its pages)."""
    query = DonationItem.by_ledger.query(tenant_id, DonationItem.ledger_key.startswith(f"{candidacy_id}#"))
    return [entity_of(Donation, item) for item in query]


def _donation_item(donation: Donation) -> DonationItem:
    return item_of(
        DonationItem,
        donation,
        sk=DONATION + donation.donation_id,
        ledger_key=f"{donation.candidacy_id}#{donation.donation_id}",
    )


def record(donation: Donation, *, donor_cap: int | None, cash_cap: int | None) -> Outcome:
    """Put the gift and add it to the running totals in one transaction: the donor's total for the election
    (bounded by `donor_cap`; None: a party's contribution, outside the totals), the candidacy's cash total (bounded
    by `cash_cap` when given), and take its receipt number. Nothing is written unless every condition holds; the
    answer names the first that did not."""
    # PynamoDB sends a transaction's operations grouped by type (condition checks, deletes, puts, then updates):
    # the cancellation reasons come back in that order, so each kind is labelled in its own list.
    puts: list[Outcome] = []
    updates: list[Outcome] = []
    amount = donation.amount_cents
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(_donation_item(donation), condition=DonationItem.sk.does_not_exist())
            puts.append("recorded")
            if donation.receipt_number:
                receipt = ReceiptItem(
                    donation.tenant_id,
                    _receipt_key(donation.candidacy_id, donation.receipt_number),
                    donation_id=donation.donation_id,
                )
                tx.save(receipt, condition=ReceiptItem.sk.does_not_exist())
                puts.append("receipt_taken")
            if donor_cap is not None:
                total = TotalItem(donation.tenant_id, _donor_total_key(donation.election_id, donation.donor_contact_id))
                tx.update(total, [TotalItem.total_cents.add(amount)], condition=_bounded(amount, donor_cap))
                updates.append("donor_cap")
                if donation.method == "especes":
                    cash = TotalItem(donation.tenant_id, _cash_total_key(donation.candidacy_id))
                    condition = None if cash_cap is None else _bounded(amount, cash_cap)
                    tx.update(cash, [TotalItem.total_cents.add(amount)], condition=condition)
                    updates.append("cash_share")
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        for step, reason in zip([*puts, *updates], reasons, strict=False):
            if reason is not None and reason.code == "ConditionalCheckFailed" and step != "recorded":
                return step
        conflict_if_busy(exc, BUSY)
        raise
    return "recorded"


def cancel(donation: Donation, reason: str, at: str) -> bool:
    """Mark the gift cancelled and take it off the running totals, in one transaction conditioned on its being
    recorded still (False: it was already cancelled; nothing written). Its receipt number stays taken."""
    amount = donation.amount_cents
    try:
        with TransactWrite(connection=connection()) as tx:
            item = DonationItem(donation.tenant_id, DONATION + donation.donation_id)
            tx.update(
                item,
                [
                    DonationItem.status.set("cancelled"),
                    DonationItem.cancel_reason.set(reason),
                    DonationItem.cancelled_at.set(at),
                ],
                condition=DonationItem.status == "recorded",
            )
            if donation.kind == "don":
                key = _donor_total_key(donation.election_id, donation.donor_contact_id)
                tx.update(TotalItem(donation.tenant_id, key), [TotalItem.total_cents.add(-amount)])
                if donation.method == "especes":
                    cash = TotalItem(donation.tenant_id, _cash_total_key(donation.candidacy_id))
                    tx.update(cash, [TotalItem.total_cents.add(-amount)])
    except TransactWriteError as exc:
        first = (exc.cancellation_reasons or [None])[0]
        if first is not None and first.code == "ConditionalCheckFailed":
            return False
        conflict_if_busy(exc, BUSY)
        raise
    donation.status, donation.cancel_reason, donation.cancelled_at = "cancelled", reason, at
    return True


def assign_receipt(donation: Donation, number: str) -> Literal["assigned", "receipt_taken", "not_assignable"]:
    """Give a recorded gift without receipt number its number, taking the number in the same transaction:
    "receipt_taken" when the candidacy already used it, "not_assignable" when the gift has one or was cancelled."""
    receipt = ReceiptItem(
        donation.tenant_id, _receipt_key(donation.candidacy_id, number), donation_id=donation.donation_id
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(receipt, condition=ReceiptItem.sk.does_not_exist())  # puts come first in the request
            tx.update(
                DonationItem(donation.tenant_id, DONATION + donation.donation_id),
                [DonationItem.receipt_number.set(number)],
                condition=(DonationItem.status == "recorded") & DonationItem.receipt_number.does_not_exist(),
            )
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            return "receipt_taken"
        if len(reasons) > 1 and reasons[1] is not None and reasons[1].code == "ConditionalCheckFailed":
            return "not_assignable"
        conflict_if_busy(exc, BUSY)
        raise
    donation.receipt_number = number
    return "assigned"
