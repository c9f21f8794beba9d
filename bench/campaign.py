"""Campaign benchmark: a 10,000-recipient email campaign on the local stack against a bare SendRawEmail loop.

    .venv/bin/python -m bench.campaign [--small]

The local stack's moto server (infra/local_stack.start_moto: on threads of this process, 127.0.0.1, one request at
a time), provisioned as `make run` provisions it; an institution tenant with N contacts (10,000; --small: 1,000)
tagged « lettre », a shared segment on that tag, and a campaign to it, started as POST /campaigns/{id}/send
starts one. Measured in the same run, over HTTP to the same server:

- the bare loop: one SendRawEmail per recipient of the very message the campaign sends them (composed and
  serialised before the clock starts), with the configuration set and tags the campaign uses: what SES alone
  costs;
- the campaign: the plan, then every chunk, delivered from the campaigns queue to
  services/campaign_delivery.process_message as Lambda would (one at a time: moto's server serves one request at
  a time, so a second worker would only wait), every AWS call of the app counted (the harness's own SQS receives
  and deletes are Lambda's, not counted).

Prints AWS calls per recipient against the minimum (one SendRawEmail each; the rest is the plan, a conditional
mark per chunk of 50, outcomes written 25 at a time, the counters), and the campaign's wall time against the bare
loop's (targets: at most 1.5×, and within 60 s for
10,000). The local outbox (a local-stage S3 copy of every email, which AWS does not have) and the send rate's
pacing (AGORA_SEND_RATE: the machine's speed is what is measured) are off for both. Exits 1 if a recipient gets no
message or two.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

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

TENANT = "bench-campagne"
TARGET_RATIO = 1.5
TARGET_SECONDS = 60.0  # for 10,000 recipients


def seed_campaign(
    tenant: str, channel: str, body: str, tag: str, contacts: list[dict[str, Any]], subject: str = ""
) -> str:
    """A tenant whose contacts (these docs, tagged `tag`) make a shared segment, and a campaign to it with status
    sending, as /send leaves it; the campaign id. Shared by the email and SMS campaign benches."""
    from bench.run import seed_admin_tenant
    from chalicelib.store import contacts as contacts_store
    from chalicelib.store import segments as segments_store
    from chalicelib.store.base import new_id, now_iso
    from chalicelib.store.entities import Contact, Segment
    from tests.support.campaigns import started_campaign

    seed_admin_tenant(tenant, "Commune du banc d'essai")
    at = now_iso()
    contacts_store.create_many(
        [
            Contact(
                tenant_id=tenant,
                contact_id=new_id(),
                doc={"kind": "person", **doc, "tags": [tag]},
                created_at=at,
                updated_at=at,
            )
            for doc in contacts
        ]
    )
    segment = Segment(
        tenant_id=tenant,
        segment_id=new_id(),
        name=tag.capitalize(),
        filter={"tag": tag},
        shared=True,
        owner_id="bench",
        created_at=at,
        updated_at=at,
    )
    segments_store.save(segment)
    by = {"user_id": "bench", "email": f"admin@{tenant}.test", "roles": ["admin"], "tenant_kind": "institution"}
    return started_campaign(tenant, channel, by, at, subject=subject, body=body, segment_id=segment.segment_id)


def _seed(n: int) -> tuple[str, list[str]]:
    addresses = [f"habitant{k}@exemple-banc.fr" for k in range(n)]
    campaign_id = seed_campaign(
        TENANT,
        "email",
        "Bonjour {{ contact.last_name }},\n\nLes nouvelles de {{ tenant.name }} : https://exemple.fr/a",
        "lettre",
        [{"last_name": f"Habitant {k}", "emails": [a]} for k, a in enumerate(addresses)],
        subject="La lettre du mois",
    )
    return campaign_id, addresses


def _bare_loop(campaign_id: str, addresses: list[str]) -> float:
    """SendRawEmail once per recipient of the very emails the campaign sends (composed and serialised before the
    clock starts, with the configuration set and tags the campaign uses), nothing else: what SES alone costs for
    these messages. The size of a message weighs on moto's answer (it parses each one), so the loop sends the same
    bytes the campaign does, not a stand-in."""
    from chalicelib import aws
    from chalicelib.messaging import outbound
    from chalicelib.services import campaign_mail
    from chalicelib.settings import get_settings
    from chalicelib.store import campaigns as campaigns_store
    from chalicelib.store import contacts as contacts_store

    campaign = campaigns_store.get(TENANT, campaign_id)
    assert campaign is not None
    prepared = campaign_mail.prepare(campaign, "institution")
    by_address: dict[str, Any] = {}
    start: Any = None
    while True:
        page, start = contacts_store.tenant_page(TENANT, start, 1000)
        by_address.update((c.doc["emails"][0], c) for c in page)
        if not start:
            break
    raws = []
    for address in addresses:
        contact = by_address[address]
        email = campaign_mail.compose(
            prepared,
            to=address,
            contact_id=contact.contact_id,
            contact_doc=contact.doc,
            appel=None,
            consent_source=None,
        )
        raws.append(outbound.build_mime(email).as_bytes())
    ses, configuration_set = aws.client("ses"), get_settings().ses_configuration_set
    tags = [{"Name": "tenant", "Value": TENANT}, {"Name": "campaign", "Value": campaign_id}]
    with stopwatch() as elapsed:
        for raw in raws:
            ses.send_raw_email(RawMessage={"Data": raw}, Tags=tags, ConfigurationSetName=configuration_set)
    return elapsed.seconds


def run_campaign(tenant: str, campaign_id: str, meter: AwsMeter, calls: Calls) -> tuple[float, int]:
    """The plan, then each chunk as the queue delivers it, the app's calls counted into `calls`; the wall time and
    the messages delivered. Shared by the email and SMS campaign benches."""
    from chalicelib import aws
    from chalicelib.services import campaign_delivery
    from chalicelib.settings import get_settings

    sqs, url = aws.sqs(), aws.queue_url(get_settings().queue_name("campaigns"))
    plan = json.dumps({"kind": "plan", "tenant_id": tenant, "campaign_id": campaign_id})
    delivered = 0
    with stopwatch() as elapsed:
        with meter.counting(calls):
            campaign_delivery.process_message(plan)
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for m in messages:
                with meter.counting(calls):
                    campaign_delivery.process_message(m["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                delivered += 1
    return elapsed.seconds, delivered


def _check(campaign_id: str, addresses: list[str], sent_to: Counter[str]) -> None:
    from chalicelib.store import campaigns as campaigns_store

    done = campaigns_store.get(TENANT, campaign_id)
    if done is None or (done.status, done.sent) != ("sent", len(addresses)):
        got = (done.status, done.sent) if done else None
        raise BenchFailure(f"campaign ended as {got}, not ('sent', {len(addresses)})")
    if set(sent_to) != set(addresses) or set(sent_to.values()) != {1}:
        twice = sum(1 for n in sent_to.values() if n > 1)
        raise BenchFailure(f"{len(set(addresses) - set(sent_to))} recipients got nothing, {twice} got two")


def main(n: int) -> None:
    meter = AwsMeter()
    meter.install()  # before any client exists
    import os

    from infra import local_stack as ls

    with moto_transactions_without_backups():
        server, endpoint = ls.start_moto()
        try:
            env = ls.configure_environment(endpoint)
            env["AGORA_SEND_RATE"] = "1000000"  # no pacing: the machine's speed is measured
            env["AGORA_PUBLIC_BASE_URL"] = "http://127.0.0.1:8000"  # the links signed in each email
            os.environ.update(env)
            ls.provision_into(env)
            from chalicelib.messaging import outbound

            outbound._record = lambda *args, **kwargs: None  # type: ignore[assignment]  # no local outbox copy
            campaign_id, addresses = _seed(n)

            sent_to: Counter[str] = Counter()
            original = outbound.call_once

            def counting_send(operation: Any, **kwargs: Any) -> dict[str, Any]:
                raw = kwargs.get("RawMessage", {}).get("Data", b"")
                to = next((line[4:].decode() for line in raw.splitlines() if line.startswith(b"To: ")), "")
                sent_to[to] += 1
                return original(operation, **kwargs)

            outbound.call_once = counting_send  # type: ignore[assignment]
            bare = _bare_loop(campaign_id, addresses)
            calls = Calls()
            wall, delivered = run_campaign(TENANT, campaign_id, meter, calls)
            _check(campaign_id, addresses, sent_to)
        finally:
            server.shutdown()

    per = {f"{s}.{op}": count / n for (s, op), count in sorted(calls.operations.items())}
    total = sum(calls.operations.values())
    minimum = n  # one SendRawEmail per recipient: everything else is the app's overhead
    heading(f"Email campaign to {n:,} recipients on the local stack (moto server, HTTP, 127.0.0.1)")
    table = Table("AWS calls", 34, Column("calls", 8), Column("per recipient", 14, ".3f"))
    table.header()
    for (service, op), count in sorted(calls.operations.items()):
        table.row(f"{service}.{op}", count, count / n)
    table.rule()
    table.row("total", total, total / n)
    print(f"  {against_minimum(total, minimum)} (minimum: one SendRawEmail per recipient)")
    print(f"  SendRawEmail per recipient: {per.get('ses.SendRawEmail', 0):.3f} (exactly 1 expected)")
    print()
    times = Table("wall time", 34, Column("seconds", 8, ".1f"), Column("vs bare loop", 14))
    times.header()
    times.row("bare SendRawEmail loop", bare, "1.00")
    times.row(f"campaign ({delivered} queue messages)", wall, ratio(wall, bare))
    for service in sorted(calls.seconds, key=lambda name: -calls.seconds[name]):
        times.row(f"  of which inside {service} calls", calls.seconds[service], ratio(calls.seconds[service], bare))
    own = wall - sum(calls.seconds.values())
    times.row("  of which the app's own work", own, ratio(own, bare))
    goal = TARGET_SECONDS * n / 10_000
    print(
        f"  target ≤ {TARGET_RATIO}× the bare loop: {'met' if wall <= TARGET_RATIO * bare else 'NOT met'}; "
        f"within {goal:.0f} s ({TARGET_SECONDS:.0f} s for 10,000): {'met' if wall <= goal else 'NOT met'}"
    )
    notes(
        "notes",
        [
            "one process, one request at a time on moto's server: a chunk's DynamoDB calls wait for SES's calls",
            "moto answers a SendRawEmail in a few ms and a BatchGetItem of 50 contacts in tens: on moto the reads "
            "weigh more against the sends than on AWS (not measured here)",
            "the campaign's time inside SES calls is the bare loop's: what it adds is DynamoDB's answers (each contact "
            "read twice, by the plan and by its chunk; outcomes and counters written) and the work the loop did "
            "before its clock (composing each email)",
            "the outbox and the pacing are off for both runs; the loop sends the campaign's own messages, composed "
            "before its clock",
            f"wall times are the machine's ({show_seconds(bare + wall)} in all), the ratio is what compares",
        ],
    )


if __name__ == "__main__":
    args = options("bench.campaign", __doc__, "1,000 recipients instead of 10,000").parse_args()
    sys.exit(run_bench(lambda: main(1_000 if args.small else 10_000)))
