"""Contact import benchmark: the commit's throughput against a plain BatchWrite of the same rows, on moto.

    .venv/bin/python -m bench.contact_import [--rows N] [--small]

A French contact file of N rows (default 5,000; --small: 300), about 2 % of them repeating an earlier row and 1 %
with a bad date, is generated in Windows-1252 and imported through the real HTTP path (chalice.test.Client, stage
`local`, Cognito ID token): POST /imports/contacts, the analysis job, POST /imports/{id}/commit, the chunks, each
through the imports queue into the `process_import` handler as Lambda would. The same rows, validated by the same
contact model, are then written with `store.contacts.create_many` alone (BatchWriteItem of the contacts and their
index entries) into another tenant: the floor any import has to pay.

Printed: wall time and DynamoDB calls of the commit and of the plain batch write, their ratios (commit / batch),
then the analysis (reading, checking, duplicates) on its own, and a second run of the same file (which must change
nothing). Ratios of figures measured in this one run; exits 1 if an outcome is not the one generated.
"""

from __future__ import annotations

import random
import sys

from bench.report import BenchFailure, Column, Table, heading, notes, options, ratio, run_bench, stopwatch
from bench.rne import moto_queries_by_partition
from bench.run import (
    AwsMeter,
    login,
    moto_transactions_without_backups,
    moto_world,
    seed_admin_tenant,
    use_bench_environment,
)

TENANT = "bench-import"
FLOOR_TENANT = "bench-floor"
FIRST = ["Anne", "Paul", "Hélène", "Luc", "Zoé", "Jean-Pierre", "Marie", "Léo", "Chloé", "Noël", "Inès", "Hugo"]
LAST = ["Martin", "Bernard", "Lefèvre", "Dubois", "Moreau", "Laurent", "Garçon", "Roux", "Fontaine", "Leroy"]
CITIES = [("76000", "Rouen"), ("76600", "Le Havre"), ("76200", "Dieppe"), ("27000", "Évreux")]
HEADER = "Civilité;Prénom;Nom;Courriel;Portable;Adresse;Code postal;Ville;Date de naissance"


def generate(rows: int, seed: int = 7) -> tuple[bytes, int, int]:
    """(file, repeated rows, rows with a bad date): every other row a distinct person."""
    rnd = random.Random(seed)
    lines = [HEADER]
    repeated = bad = 0
    for n in range(rows):
        if n > 10 and rnd.random() < 0.02:
            lines.append(lines[rnd.randrange(1, len(lines))])
            repeated += 1
            continue
        postcode, city = rnd.choice(CITIES)
        born = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1940, 2004)}"
        if rnd.random() < 0.01:
            born, bad = "31/02/1970", bad + 1
        lines.append(
            ";".join(
                [
                    rnd.choice(["M.", "Mme", "Madame", "Monsieur"]),
                    rnd.choice(FIRST),
                    f"{rnd.choice(LAST)}-{n}",
                    f"personne{n}@exemple.fr",
                    f"06 {n // 1000000 % 100:02d} {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d}",
                    f"{rnd.randint(1, 120)} rue de la République",
                    postcode,
                    city,
                    born,
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252"), repeated, bad


def _drain(client: object, meter: AwsMeter) -> int:
    from chalicelib import aws
    from chalicelib.settings import get_settings

    name = get_settings().imports_queue_name
    sqs, url = aws.sqs(), aws.queue_url(name)
    delivered = 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
        event = client.events.generate_sqs_event(message_bodies=[messages[0]["Body"]], queue_name=name)  # type: ignore[attr-defined]
        result = client.lambda_.invoke("process_import", event)  # type: ignore[attr-defined]
        if result.payload != {"batchItemFailures": []}:
            raise BenchFailure(f"process_import failed: {result.payload}")
        sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        delivered += 1
    return delivered


def in_process(rows: int) -> None:
    data, repeated, bad = generate(rows)
    meter = AwsMeter()
    meter.install()
    with moto_world(), moto_transactions_without_backups(), moto_queries_by_partition():
        seed_admin_tenant(TENANT, "Bench import")
        seed_admin_tenant(FLOOR_TENANT, "Bench plancher")
        token = login(f"admin@{TENANT}.test")
        from chalice.test import Client

        from app import app
        from chalicelib.services import contact_import
        from chalicelib.store.base import all_models

        for model in all_models():  # PynamoDB describes a table on its first use: not part of what is measured
            model._get_connection().describe_table()
        contact_import.MAX_DIRECT_BYTES = max(contact_import.MAX_DIRECT_BYTES, len(data))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
        json_headers = {**headers, "Content-Type": "application/json"}
        with Client(app, stage_name="local") as client:

            def status(import_id: str) -> dict[str, object]:
                return dict(client.http.get(f"/imports/{import_id}", headers=json_headers).json_body)

            def run(label: str, data: bytes = data) -> tuple[dict[str, object], float, float, object, object]:
                with meter.measure() as analysis_calls, stopwatch() as analysis:
                    started = client.http.post("/imports/contacts?filename=bench.csv", headers=headers, body=data)
                    if started.status_code != 202:
                        raise BenchFailure(f"{label}: POST /imports/contacts answered {started.status_code}")
                    import_id = started.json_body["id"]
                    _drain(client, meter)
                if status(import_id)["status"] != "preview":
                    raise BenchFailure(f"{label}: analysis ended {status(import_id)}")
                with meter.measure() as commit_calls, stopwatch() as commit:
                    body = b'{"on_duplicate": "merge"}'
                    answer = client.http.post(f"/imports/{import_id}/commit", headers=json_headers, body=body)
                    if answer.status_code != 202:
                        raise BenchFailure(f"{label}: commit answered {answer.status_code} {answer.body!r}")
                    _drain(client, meter)
                return status(import_id), analysis.seconds, commit.seconds, analysis_calls, commit_calls

            # Every client, model and code path used once before anything is timed (botocore loads its service
            # descriptions on a client's first call, PynamoDB describes each table on its first use).
            run("warm-up", generate(5, seed=1)[0].replace(b"exemple.fr", b"warm.exemple.fr"))
            first, first_analysis, first_commit, first_analysis_calls, first_calls = run("first import")
            distinct = rows - repeated - bad
            expected = {"created": distinct, "rejected_count": bad, "status": "done"}
            got = {k: first.get(k) for k in expected}
            # A repeated row may repeat a rejected one: rejected then, not unchanged.
            if (
                got["status"] != "done"
                or int(str(got["created"])) > distinct
                or int(str(got["created"])) < distinct - 5
            ):
                raise BenchFailure(f"first import: {got}, expected about {expected}")
            again, _, again_commit, _, again_calls = run("same file again")
            if again.get("created") or again.get("updated"):
                raise BenchFailure(f"same file again changed something: {again}")

            # The floor: the same validated rows written by a plain batch write into another tenant.
            from chalicelib.domain import contact_import as rules
            from chalicelib.errors import ValidationFailed
            from chalicelib.schemas.contacts import imported_contact
            from chalicelib.store import contacts as contacts_store
            from chalicelib.store.base import new_id, now_iso
            from chalicelib.store.entities import Contact

            table = rules.read_table(data)
            mapping = rules.suggest_mapping(table.columns)
            docs = []
            for row in table.rows:
                cells = {mapping[c]: v for c, v in zip(table.columns, row, strict=True) if c in mapping}
                flat, errors = rules.flat_of(cells)
                try:
                    doc = imported_contact(rules.body_of(rules.record_fields(flat)))
                except ValidationFailed:
                    continue
                if not errors:
                    docs.append(doc)
            docs = docs[: int(str(first["created"]))]
            at = now_iso()
            contacts = [
                Contact(tenant_id=FLOOR_TENANT, contact_id=new_id(), doc=d, created_at=at, updated_at=at) for d in docs
            ]
            with meter.measure() as floor_calls, stopwatch() as floor:
                contacts_store.create_many(contacts)

    created = int(str(first["created"]))
    heading("Contact import: commit throughput vs a plain BatchWrite of the same rows (moto in-process)")
    print(
        f"file: {rows} rows, {len(data) / 1e6:.2f} MB in Windows-1252, {repeated} repeated rows, {bad} bad dates; "
        f"chunks of {contact_import.CHUNK_ROWS} rows"
    )
    table_out = Table("", 34, Column("seconds", 9, ".2f"), Column("rows/s", 9, ".0f"), Column("DynamoDB", 9))
    table_out.header()

    print(table_out.line("commit (first import)", first_commit, created / first_commit, first_calls.dynamodb))  # type: ignore[attr-defined]
    print(
        table_out.line("plain BatchWrite (create_many)", floor.seconds, created / floor.seconds, floor_calls.dynamodb)
    )  # type: ignore[attr-defined]
    print(
        table_out.line("analysis (first import)", first_analysis, rows / first_analysis, first_analysis_calls.dynamodb)
    )  # type: ignore[attr-defined]
    print(table_out.line("commit (same file again)", again_commit, rows / again_commit, again_calls.dynamodb))  # type: ignore[attr-defined]
    print()
    print(f"commit / plain batch write, time: {ratio(first_commit, floor.seconds)}")
    print(f"commit / plain batch write, DynamoDB calls: {ratio(first_calls.dynamodb, floor_calls.dynamodb)}")  # type: ignore[attr-defined]
    print(
        f"outcome: created {first['created']}, updated {first['updated']}, unchanged {first['unchanged']}, "
        f"rejected {first['rejected_count']}; again: unchanged {again['unchanged']}, created {again['created']}"
    )
    notes(
        "notes",
        [
            "the commit also writes two consent records per created contact (email, SMS: unknown, source import), "
            "reads the tenant's contacts once for the duplicates, and re-reads the stored table each chunk",
            "the plain batch write validates nothing at write time (the rows were validated before the stopwatch)",
            "wall times are moto's, not DynamoDB's (moto patched as bench.rne patches it: no per-transaction "
            "table backup, Query by partition); the call counts are the app's",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.contact_import", __doc__, "CI size: 300 rows")
    parser.add_argument("--rows", type=int, help="rows of the file (default 5,000; 300 with --small)")
    args = parser.parse_args(argv)
    rows = args.rows or (300 if args.small else 5000)
    use_bench_environment()
    return run_bench(lambda: in_process(rows))


if __name__ == "__main__":
    sys.exit(main())
