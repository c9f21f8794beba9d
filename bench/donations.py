"""Donations benchmark: DynamoDB calls per gift recorded, and the ledger's cost as the ledger grows.

    .venv/bin/python -m bench.donations [--small]

In-process moto (mock_aws), a political tenant, one candidacy for the 2027 presidential election, D donors (50;
--small: 10) each giving G gifts of 100 € (10), through services/donations.py as the route calls it (audit entries
kept in memory, as a request buffers them). Every AWS call is counted on botocore's `before-call` event.

Prints the calls per gift against the minimum the design allows (GetItem of the candidacy, of the donor, of the
donor's total and of the cash total, then one TransactWriteItems: 5; the calendar's corrections are two Queries
more),
and the ledger's calls at a tenth of the gifts and at all of them: one Query a page of 1 MB, so B/A stays near 1
while the items read grow tenfold. Then a gift that would pass the cap while the check read a stale total (the race
of two requests): refused by the transaction, nothing written. Exits 1 if a total is wrong.
"""

from __future__ import annotations

import sys
from datetime import date

from bench.report import BenchFailure, Column, Table, against_minimum, heading, notes, options, ratio, run_bench
from bench.run import AwsMeter, Calls

TENANT = "bench-dons"
MINIMUM_PER_GIFT = 5


def main(donors: int, gifts: int) -> None:
    meter = AwsMeter()
    meter.install()
    from moto import mock_aws

    from bench.run import QUIET
    from tests.support.environment import use_local_stage

    use_local_stage({"AGORA_LOG_LEVEL": "WARNING", **QUIET})
    with mock_aws():
        from chalicelib.auth import Principal
        from chalicelib.domain import donations as rules
        from chalicelib.services import audit, contacts, donations
        from chalicelib.settings import reset_settings
        from chalicelib.store import donations as store
        from chalicelib.store.base import all_models
        from chalicelib.store.entities import Donation

        reset_settings()
        for model in all_models():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        audit.begin()  # entries buffered as during a request, never flushed here
        p = Principal(TENANT, "political", "bench", "bench@example.fr", frozenset({"admin"}))
        person = {"kind": "person", "nationality": "FR"}
        candidate = contacts.create(p, {**person, "last_name": "Candidate"})  # type: ignore[typeddict-item]
        candidacy = donations.create_candidacy(
            p,
            election_id="presidentielle-2027",
            candidate_contact_id=candidate.contact_id,
            mandataire_contact_id=candidate.contact_id,
            ceiling_cents=1_500_000,
            commune_population=None,
            account_filed_on=None,
        )
        ids = [contacts.create(p, {**person, "last_name": f"Donateur {k}"}).contact_id for k in range(donors)]  # type: ignore[typeddict-item]
        per_gift = Calls()
        ledger_calls: dict[str, Calls] = {}
        total = donors * gifts
        recorded = 0
        for _ in range(gifts):
            for donor in ids:
                with meter.counting(per_gift):
                    donations.record(
                        p,
                        candidacy_id=candidacy.candidacy_id,
                        donor_contact_id=donor,
                        amount_cents=10_000,
                        day=date(2026, 11, 15),
                        method="cheque",
                        receipt_number=None,
                        donor_attestation=False,
                    )
                recorded += 1
                if recorded in (total // 10, total):
                    label = f"{recorded} gifts"
                    with meter.measure() as calls:
                        view = donations.ledger(p, candidacy)
                    ledger_calls[label] = calls
                    if view.summary.dons_cents != recorded * 10_000:
                        raise BenchFailure(f"ledger total {view.summary.dons_cents} after {recorded} gifts")
        # The race: a check that read a total before another gift was written; the transaction decides.
        stale = Donation(
            tenant_id=TENANT,
            donation_id="RACE",
            candidacy_id=candidacy.candidacy_id,
            election_id=candidacy.election_id,
            kind=rules.DON,
            donor_contact_id=ids[0],
            donor_name="Donateur 0",
            amount_cents=rules.limit("donor_cap_cents") - gifts * 10_000 + 1,
            date="2026-11-15",
            method="cheque",
        )
        with meter.measure() as race_calls:
            outcome = store.record(stale, donor_cap=rules.limit("donor_cap_cents"), cash_cap=None)
        if outcome != "donor_cap" or store.get_donation(TENANT, "RACE") is not None:
            raise BenchFailure(f"a gift over the cap was {outcome}")
        if store.donor_total(TENANT, candidacy.election_id, ids[0]) != gifts * 10_000:
            raise BenchFailure("the donor's running total is wrong")

    heading(f"Donations: {total:,} gifts ({donors} donors × {gifts}) under in-process moto")
    table = Table("DynamoDB calls per gift recorded", 34, Column("calls", 8), Column("per gift", 10, ".2f"))
    table.header()
    for (_, op), count in sorted(per_gift.operations.items()):
        table.row(op, count, count / total)
    table.rule()
    all_calls = sum(per_gift.operations.values())
    table.row("total", all_calls, all_calls / total)
    print(f"  {against_minimum(all_calls / total, MINIMUM_PER_GIFT)} (minimum: 4 GetItem + 1 TransactWriteItems)")
    print()
    (a_label, a), (b_label, b) = ledger_calls.items()
    a_n, b_n = sum(a.operations.values()), sum(b.operations.values())
    print(f"  ledger at {a_label}: {a.describe(True)}")
    print(f"  ledger at {b_label}: {b.describe(True)}")
    print(f"  ledger calls B/A {ratio(b_n, a_n)} for {ratio(b.items['Query'], a.items['Query'])}× the items")
    print(f"  stale-total race: refused by the transaction ({race_calls.describe(True)}), nothing written")
    notes(
        "notes",
        [
            "the 2 Queries per gift read the calendar's corrections, deployment's and tenant's (services/elections)",
            "moto copies a table on each TransactWriteItems (its rollback): wall time is not DynamoDB's, not shown",
        ],
    )


if __name__ == "__main__":
    args = options("bench.donations", __doc__, "10 donors instead of 50").parse_args()
    sys.exit(run_bench(lambda: main(10 if args.small else 50, 10)))
