"""SMS campaign benchmark: a 10,000-recipient SMS campaign on the local stack against a bare SNS Publish loop, and
its preview.

    .venv/bin/python -m bench.sms_campaign [--small]

The local stack's moto server (as bench/campaign.py: 127.0.0.1, one request at a time), an institution tenant with
N contacts (10,000; --small: 1,000) with a mobile number, tagged « alerte », a shared segment on that tag and an
SMS campaign to it, inside the sending hours (the clock the hours read is set to a Tuesday at 11:00 in Paris).
Measured in the same run, over HTTP to the same server:

- the bare loop: one Publish per number of a text of the same length, with the sender ID and type the campaign
  uses: what SNS alone costs;
- the preview (services/campaigns.preview): the plan without writes, SNS's opt-out list, every text rendered;
- the campaign: the plan, then every chunk from the campaigns queue, every AWS call of the app counted.

Prints AWS calls per recipient against the minimum (one Publish each; the rest is the plan, the opt-out list read
once, a mark per chunk of 50, the short links written 25 at a time, outcomes 25 at a time, the counters), and the
wall times of the campaign and of the preview against the bare loop's. Exits 1 if a number gets no SMS or two.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bench.campaign import run_campaign, seed_campaign
from bench.report import (
    BenchFailure,
    Column,
    Table,
    against_minimum,
    heading,
    notes,
    options,
    ratio,
    run_bench,
    stopwatch,
)
from bench.report import seconds as show_seconds
from bench.run import AwsMeter, Calls, moto_transactions_without_backups

TENANT = "bench-sms"
BODY = (
    "Alerte de la commune : coupure d'eau rue {{ contact.last_name }} demain de 9h à 12h. Merci de votre compréhension."
)
TUESDAY_11 = datetime(2026, 12, 8, 11, tzinfo=ZoneInfo("Europe/Paris"))  # no public holiday


def _seed(n: int) -> tuple[str, list[str]]:
    numbers = [f"+3361{k:07d}" for k in range(n)]
    contacts = [{"last_name": f"Habitant {k}", "phones": [p]} for k, p in enumerate(numbers)]
    return seed_campaign(TENANT, "sms", BODY, "alerte", contacts), numbers


def _bare_loop(numbers: list[str]) -> float:
    from chalicelib import aws

    text = (
        BODY.replace("{{ contact.last_name }}", "Habitant 1234") + "\nSTOP : http://127.0.0.1:8000/public/s/AbCdEf1234"
    )
    sns = aws.client("sns")
    attributes = {
        "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Promotional"},
        "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "Commune"},
    }
    with stopwatch() as elapsed:
        for number in numbers:
            sns.publish(PhoneNumber=number, Message=text, MessageAttributes=attributes)
    return elapsed.seconds


def _preview(campaign_id: str, meter: AwsMeter, calls: Calls) -> tuple[float, Any]:
    from chalicelib.services import campaign_delivery, campaigns
    from chalicelib.store import campaigns as campaigns_store

    campaign = campaigns_store.get(TENANT, campaign_id)
    assert campaign is not None
    with stopwatch() as elapsed, meter.counting(calls):
        estimate = campaigns.preview(campaign_delivery._principal(campaign), campaign)
    return elapsed.seconds, estimate


def main(n: int) -> None:
    meter = AwsMeter()
    meter.install()
    import os

    from infra import local_stack as ls

    with moto_transactions_without_backups():
        server, endpoint = ls.start_moto()
        try:
            env = ls.configure_environment(endpoint)
            env["AGORA_PUBLIC_BASE_URL"] = "http://127.0.0.1:8000"
            os.environ.update(env)
            ls.provision_into(env)
            from chalicelib.domain import time as clock
            from chalicelib.messaging import outbound

            clock.now = lambda: TUESDAY_11  # inside the default sending hours
            outbound._record = lambda *args, **kwargs: None  # type: ignore[assignment]  # no local outbox copy
            campaign_id, numbers = _seed(n)
            sent_to: Counter[str] = Counter()
            original = outbound.call_once

            def counting_send(operation: Any, **kwargs: Any) -> dict[str, Any]:
                sent_to[kwargs.get("PhoneNumber", "")] += 1
                return original(operation, **kwargs)

            outbound.call_once = counting_send  # type: ignore[assignment]
            bare = _bare_loop(numbers)
            preview_calls = Calls()
            preview_wall, estimate = _preview(campaign_id, meter, preview_calls)
            calls = Calls()
            wall, delivered = run_campaign(TENANT, campaign_id, meter, calls)
            if set(sent_to) != set(numbers) or set(sent_to.values()) != {1}:
                raise BenchFailure(f"{len(set(numbers) - set(sent_to))} numbers got nothing or some got two")
        finally:
            server.shutdown()

    total = sum(calls.operations.values())
    heading(f"SMS campaign to {n:,} recipients on the local stack (moto server, HTTP, 127.0.0.1)")
    table = Table("AWS calls (campaign)", 34, Column("calls", 8), Column("per recipient", 14, ".3f"))
    table.header()
    for (service, op), count in sorted(calls.operations.items()):
        table.row(f"{service}.{op}", count, count / n)
    table.rule()
    table.row("total", total, total / n)
    print(f"  {against_minimum(total, n)} (minimum: one Publish per recipient)")
    print()
    preview_total = sum(preview_calls.operations.values())
    print(f"  preview: {preview_total} AWS calls ({preview_total / n:.3f} per recipient), writes none; {estimate}")
    print()
    times = Table("wall time", 34, Column("seconds", 8, ".1f"), Column("vs bare loop", 14))
    times.header()
    times.row("bare Publish loop", bare, "1.00")
    times.row("preview (plan + every text)", preview_wall, ratio(preview_wall, bare))
    times.row(f"campaign ({delivered} queue messages)", wall, ratio(wall, bare))
    notes(
        "notes",
        [
            "one process, one request at a time on moto's server; no pacing for SMS (SNS throttling defers)",
            f"wall times are the machine's ({show_seconds(bare + wall + preview_wall)} in all), ratios compare",
        ],
    )


if __name__ == "__main__":
    args = options("bench.sms_campaign", __doc__, "1,000 recipients instead of 10,000").parse_args()
    sys.exit(run_bench(lambda: main(1_000 if args.small else 10_000)))
