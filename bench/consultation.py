"""Consultation benchmark: DynamoDB calls of one answer and of the results, with 100 vs 5,000 responses.

    .venv/bin/python -m bench.consultation [--small]

Two worlds in one fresh moto state (mock_aws, in-process), one institution tenant each, one public and one
segment consultation each (five questions, one of each kind): world A holds 100 responses, world B 5,000
(--small: 1,000), written through store.put_response. Then, every AWS call counted on botocore's ``before-call``
event (bench.run.AwsMeter):

- a first answer through the public link (resolve the link, the address's hourly counter, the browser's link item,
  the response, the new link item), and a second from the same browser (which replaces the first);
- a first answer through a personal link of the anonymous segment consultation, and a second;
- the results (every response read in Query pages, tallied in pure code);
- an identified segment consultation answered by as many contacts: its results broken down by postcode and by
  membership of a segment (the respondents read by BatchGetItem, 100 a call, never one read each, never a Scan);
- the hourly purge of closed consultations' link mappings, with one consultation just closed: one Query of the
  sparse by-close index, whatever the number of consultations.

An answer and the purge must cost the same at both sizes (B/A = 1.00); the results' reads grow with the responses,
one Query page per 1 MB, and the breakdowns' with the respondents, one BatchGetItem per 100. Prints the calls and
B/A, never an absolute time alone. Exits 1 if an answer is not recorded, or replaced, as it should be, if a
breakdown misses a respondent, or if the purge leaves a mapping.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.report import BenchFailure, heading, notes, options, ratio, run_bench, stopwatch
from bench.run import AwsMeter, Calls, moto_world, seed_admin_tenant, use_bench_environment

QUESTIONS = [
    {"kind": "single", "label": "Favorable au projet ?", "options": ["Oui", "Non"], "required": True},
    {"kind": "multiple", "label": "Usages", "options": ["Vélo", "Marche", "Bus"]},
    {"kind": "scale", "label": "Note"},
    {"kind": "text", "label": "Remarques"},
    {"kind": "ranking", "label": "Priorités", "options": ["Parc", "École", "Voirie"]},
]
ANSWER = {"q1": "Oui", "q2": ["Vélo"], "q3": "4", "q4": "Des bancs", "q5": ["Parc", "École", "Voirie"]}


def _world(tenant_id: str, responses: int) -> dict[str, Any]:
    from chalicelib.services import consultations as service
    from chalicelib.services import contacts as contacts_service
    from chalicelib.services import segments as segments_service
    from chalicelib.store import consultations as store
    from chalicelib.store import contacts as contacts_store
    from chalicelib.store.entities import ConsultationResponse, Contact
    from infra.seed import principal_for

    tenant = seed_admin_tenant(tenant_id, f"Commune {tenant_id}")
    p = principal_for(tenant, tenant.users[0])
    now = datetime.now(UTC)
    dates = {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=10)}
    base = {"title": "Place du Marché", "introduction": None, "questions": QUESTIONS, "consent_text": None}
    public = service.create(p, {**base, **dates, "audience": "public", "segment_id": None, "anonymous": True})
    segment = segments_service.create(p, name="Tous", filter_={"kind": "person"}, shared=True)
    person = contacts_service.create(p, {"kind": "person", "last_name": "Martin"})
    personal = service.create(
        p, {**base, **dates, "audience": "segment", "segment_id": segment.segment_id, "anonymous": True}
    )
    for n in range(responses):
        store.put_response(
            ConsultationResponse(
                tenant_id=tenant_id,
                consultation_id=public.consultation_id,
                response_id=f"seed{n:06d}",
                answers={"q1": "Oui" if n % 3 else "Non", "q3": 1 + n % 5, "q4": f"Remarque {n}"},
            )
        )
    identified = service.create(
        p, {**base, **dates, "audience": "segment", "segment_id": segment.segment_id, "anonymous": False}
    )
    nord = segments_service.create(p, name="Nord", filter_={"tag": "nord"}, shared=True)
    at = now.isoformat()
    people = [
        Contact(
            tenant_id=tenant_id,
            contact_id=f"resp{n:06d}",
            doc={
                "kind": "person",
                "last_name": f"Habitant {n}",
                "tags": ["nord"] if n % 2 else [],
                "address": {"lines": ["1 rue"], "postcode": f"7600{n % 3}", "city": "Rouen"},
            },
            created_at=at,
            updated_at=at,
        )
        for n in range(responses)
    ]
    contacts_store.create_many(people)
    for n, c in enumerate(people):
        store.put_response(
            ConsultationResponse(
                tenant_id=tenant_id,
                consultation_id=identified.consultation_id,
                response_id=c.contact_id,
                answers={"q1": "Oui" if n % 3 else "Non"},
                contact_id=c.contact_id,
                group="Rouen (76540)",
            )
        )
    public_token = service.link_url(tenant_id, public.consultation_id).rsplit("/", 1)[1]
    personal_token = service.personal_url(tenant_id, personal.consultation_id, person.contact_id).rsplit("/", 1)[1]
    return {
        "p": p,
        "public": public,
        "public_token": public_token,
        "personal_token": personal_token,
        "identified": identified,
        "nord": nord.segment_id,
        "personal": personal,
        "person": person.contact_id,
    }


def _measure(meter: AwsMeter, world: dict[str, Any], responses: int) -> dict[str, Calls]:
    from chalicelib.services import consultations as service
    from chalicelib.store import consultations as store

    measured: dict[str, Calls] = {}
    for label, token, browser in (
        ("public answer, first", "public_token", "browser-token-of-the-bench-0001"),
        ("public answer, again", "public_token", "browser-token-of-the-bench-0001"),
        ("personal answer, first", "personal_token", None),
        ("personal answer, again", "personal_token", None),
    ):
        with meter.measure() as calls:
            done = service.answer(service.resolve(world[token]), ANSWER, browser=browser, address="192.0.2.7")
        if not done.recorded or done.replaced != label.endswith("again"):
            raise BenchFailure(f"{label}: recorded {done.recorded}, replaced {done.replaced}")
        measured[label] = calls
    with meter.measure() as calls:
        results = service.results(world["p"], world["public"])
    if results.respondents != responses + 1:
        raise BenchFailure(f"results: {results.respondents} respondents, {responses + 1} expected")
    measured["results"] = calls
    if sum(1 for _ in store.responses(world["p"].tenant_id, world["public"].consultation_id)) != responses + 1:
        raise BenchFailure("a second answer from the same browser was not a replacement")
    for label, query in (("results by postcode", {"by": "postcode"}), ("results by segment", {"segment_id": "nord"})):
        if "segment_id" in query:
            query = {"segment_id": world["nord"]}
        with meter.measure() as calls:
            shown = service.results(world["p"], world["identified"], **query)
        groups = {g: ts[0].answered for g, ts in (shown.breakdown or {}).items()}
        if sum(groups.values()) != responses:
            raise BenchFailure(f"{label}: {groups}, {responses} respondents expected")
        measured[label] = calls
    closed = world["personal"]  # answered once above: one link mapping to delete
    closed.doc["closes_at"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    store.save(closed)
    with meter.measure() as calls:
        purged = service.purge_closed()
    mapping = store.get_link(closed.tenant_id, closed.consultation_id, f"c-{world['person']}")
    if purged != 1 or mapping is not None:
        raise BenchFailure(f"hourly purge: {purged} consultations purged, 1 expected")
    measured["hourly purge"] = calls
    return measured


def _total(calls: Calls) -> int:
    return sum(calls.operations.values())


def _ops(calls: Calls) -> str:
    counted: Counter[str] = Counter({op: n for (_, op), n in calls.operations.items()})
    return ", ".join(f"{op} {n}" for op, n in sorted(counted.items()))


def main(big: int) -> None:
    meter = AwsMeter()
    meter.install()  # before any client exists
    use_bench_environment()
    sizes = {"A": 100, "B": big}
    measured: dict[str, dict[str, Calls]] = {}
    with moto_world(), stopwatch() as seeding:
        worlds = {name: _world(f"bench-consult-{name.lower()}", n) for name, n in sizes.items()}
        measured = {name: _measure(meter, worlds[name], n) for name, n in sizes.items()}
    heading(f"Consultation: DynamoDB calls with {sizes['A']:,} (A) vs {sizes['B']:,} (B) responses (moto)")
    print(f"  {'what':<26}{'A':>6}{'B':>6}{'B/A':>7}   operations in B")
    for label in measured["A"]:
        a, b = _total(measured["A"][label]), _total(measured["B"][label])
        print(f"  {label:<26}{a:>6}{b:>6}{ratio(b, a):>7}   {_ops(measured['B'][label])}")
    scans = sum(n for m in measured.values() for c in m.values() for (_, op), n in c.operations.items() if op == "Scan")
    notes(
        "notes",
        [
            "an answer's calls do not depend on how many answered: B/A 1.00 expected for the four answers",
            "the results read every response (Query pages of about 1 MB); the tally is pure code",
            "a breakdown by postcode or segment adds one BatchGetItem per 100 respondents (the segment's tenant-wide "
            "facts, if its filter needs any, once); the hourly purge: B/A 1.00 expected",
            f"Scans: {scans} (none expected)",
            f"seeding and measuring took {seeding.seconds:.0f} s on this machine (orientation only)",
        ],
    )
    if scans:
        raise BenchFailure("a Scan on the consultation path")


if __name__ == "__main__":
    args = options("bench.consultation", __doc__, "1,000 responses in world B instead of 5,000").parse_args()
    sys.exit(run_bench(lambda: main(1_000 if args.small else 5_000)))
