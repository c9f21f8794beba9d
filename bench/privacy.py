"""Public privacy requests benchmark: AWS calls of the form, the link and the admins' queue, and whether the form's
calls betray a known address.

    .venv/bin/python -m bench.privacy [--small]

In-process moto (mock_aws), one institution tenant with an admin and a contact whose address is « connue@… »;
every request goes through the real HTTP path (chalice.test.Client, stage `local`), every AWS call counted on
botocore's `before-call` event of every client (bench.run.AwsMeter). Measured in the same run:

- a form submission with the known address and one with an unknown address: the sequence of AWS operations must
  be the same (no enumeration through the calls made: the contacts are looked up only at verification);
- the verification of each (the link followed once, then again: idempotent, no write the second time);
- a page of 25 of the admins' queue with A = 30 and B = 300 (--small: 100) verified requests: the same calls at
  both sizes (B/A ≈ 1: one Query per page, never a read of the whole queue), at most one batch of items read.

Prints calls against the minimum the design implies; exits 1 if the form's calls differ by address, if a second
verification writes, or if a page reads more at B than at A.
"""

from __future__ import annotations

import sys
from urllib.parse import urlencode

from bench.report import BenchFailure, Column, Table, against_minimum, heading, notes, options, ratio, run_bench
from bench.run import AwsMeter, Calls, login, moto_world, seed_admin_tenant, use_bench_environment

TENANT = "bench-privacy"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# The fewest calls each step allows: submission: the tenant's settings, the suppression list, two rate counters,
# the request, the email; verification: the settings (to name the tenant), the request, the contacts with its
# address, its write; a page: the settings (the tenant's date) and one Query.
MINIMUM = {"submit": 6, "verify": 4, "page": 2}
PAGE_READ = 50  # store/cursors.filtered_page reads a page of 25 in batches of 50


def _sequence(calls: Calls) -> list[tuple[str, str]]:
    return sorted(calls.operations.elements())


def main(size_b: int) -> None:
    use_bench_environment()
    meter = AwsMeter()
    meter.install()
    from chalice.test import Client

    with moto_world():
        from app import app
        from chalicelib.services import privacy_requests
        from chalicelib.store import privacy_requests as store

        seed_admin_tenant(TENANT, "Commune de Banc")
        admin = {"Authorization": f"Bearer {login(f'admin@{TENANT}.test')}", "Content-Type": "application/json"}
        with Client(app, stage_name="local") as client:
            created = client.http.post(
                "/contacts",
                headers=admin,
                body=b'{"kind": "person", "last_name": "Connue", "emails": ["connue@exemple.fr"]}',
            )
            if created.status_code != 201:
                raise BenchFailure(f"contact not created: {created.body!r}")

            def submit(address: str) -> Calls:
                body = urlencode({"kind": "access", "email": address, "website": ""}).encode()
                with meter.measure() as calls:
                    response = client.http.post(f"/public/privacy/{TENANT}", headers=FORM, body=body)
                if response.status_code != 200:
                    raise BenchFailure(f"form answered {response.status_code}")
                return calls

            def verify(address: str) -> tuple[Calls, Calls]:
                (request,) = [
                    r
                    for r in store.page(TENANT, frozenset({"pending_verification"}), None, 100).items
                    if r.email == address
                ]
                path = "/public/privacy/verify/" + privacy_requests.verification_url(request).rsplit("/", 1)[1]
                measured = []
                for _ in range(2):
                    with meter.measure() as calls:
                        response = client.http.get(path)
                    if response.status_code != 200:
                        raise BenchFailure(f"verification answered {response.status_code}")
                    measured.append(calls)
                return measured[0], measured[1]

            known, unknown = submit("connue@exemple.fr"), submit("inconnue@exemple.fr")
            if _sequence(known) != _sequence(unknown):
                raise BenchFailure(f"the form's calls differ by address: {known.operations} vs {unknown.operations}")
            first, again = verify("connue@exemple.fr")
            if any(op in ("PutItem", "UpdateItem") for _, op in again.operations):
                raise BenchFailure(f"a second verification writes: {again.operations}")

            def page_at(size: int) -> Calls:
                have = len(store.page(TENANT, frozenset({"open"}), None, 1000).items)
                for n in range(have, size):
                    client_ip = f"10.0.{n // 250}.{n % 250}"  # the form's per-IP limit is per tenant and hour
                    from chalice.local import LambdaEventConverter

                    LambdaEventConverter.LOCAL_SOURCE_IP = client_ip  # type: ignore[attr-defined]
                    submit(f"personne{n}@exemple.fr")
                    verify(f"personne{n}@exemple.fr")
                client.http.get("/privacy-requests?limit=1", headers=admin)  # the space's state, cached 30 s
                with meter.measure() as calls:
                    response = client.http.get("/privacy-requests?limit=25", headers=admin)
                if response.status_code != 200 or len(response.json_body["items"]) != 25:
                    raise BenchFailure(f"queue page: {response.status_code}")
                return calls

            page_a, page_b = page_at(30), page_at(size_b)
            if page_b.dynamodb > page_a.dynamodb or page_b.items["Query"] > PAGE_READ:
                raise BenchFailure(f"a page reads more at {size_b}: {page_b.operations} vs {page_a.operations}")

    heading("Public privacy requests: AWS calls per step (moto, in process, HTTP path)")
    table = Table("step", 44, Column("calls", 6), Column("vs minimum", 27), Column("operations", 60))
    table.header()
    for label, calls, minimum in (
        ("submit, known address", known, MINIMUM["submit"]),
        ("submit, unknown address", unknown, MINIMUM["submit"]),
        ("verify (first)", first, MINIMUM["verify"]),
        ("verify (again)", again, 2),  # the settings and the request: nothing to write
        ("queue page of 25, A = 30 requests", page_a, MINIMUM["page"]),
        (f"queue page of 25, B = {size_b} requests", page_b, MINIMUM["page"]),
    ):
        total = sum(calls.operations.values())
        app_calls = total - calls.operations[("s3", "PutObject")]  # the local outbox's copy is no app call
        described = ", ".join(f"{op} {n}" for (_, op), n in sorted(calls.operations.items()))
        table.row(label, total, against_minimum(app_calls, minimum), described)
    print()
    print(f"  queue page B/A (DynamoDB calls): {ratio(page_b.dynamodb, page_a.dynamodb)}")
    print(
        f"  queue page items queried: A {page_a.items['Query']}, B {page_b.items['Query']} "
        f"(at most {PAGE_READ}, any size)"
    )
    notes(
        "notes",
        [
            "known and unknown addresses make the same operations (checked): the answer and its cost reveal nothing",
            "PutObject is the local stage's outbox copy of the email (stage local only), not counted in the minimum",
            "a second verification reads and writes nothing more than the first's reads (checked)",
            "the list filters by status in memory over the tenant's req# range: a queue mostly closed would read "
            "more items per page than it shows (filtered_page reads on until the page is full)",
        ],
    )


if __name__ == "__main__":
    args = options("bench.privacy", __doc__, "100 requests at size B instead of 300").parse_args()
    sys.exit(run_bench(lambda: main(100 if args.small else 300)))
