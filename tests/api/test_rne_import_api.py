"""RNE import end to end through the API and the queue handler."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import aws
from chalicelib.domain.rne import HEADERS, RneFileKind
from chalicelib.settings import get_settings
from tests.support.responses import ok
from tests.support.uploads import put_presigned
from tests.support.world import World

H_MAI = ";".join(HEADERS[RneFileKind.MAIRES])


def maires(*lines: str) -> bytes:
    return ("\n".join([H_MAI, *lines]) + "\n").encode("utf-8")


ROUEN = "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE-DUBOIS;Hélène;F;03/02/1971;33;Cadre;03/07/2020;04/07/2020"
HAVRE = "76;Seine-Maritime;;;76351;Le Havre;DURAND;Paul;M;12/05/1968;;;03/07/2020;04/07/2020"
AJACCIO = "2A;Corse-du-Sud;;;2A004;Ajaccio;CASANOVA;Pèire;M;1965-11-30;23;Chef d'entreprise;2020-06-28;2020-07-04"
BAD = "76;Seine-Maritime;;;76001;Allouville;MARTIN;Zoé;F;31/02/1970;;;03/07/2020;04/07/2020"


def run_queue(world: World) -> int:
    """Deliver the imports queue's messages to `process_import` until it is empty, as Lambda would."""
    sqs = aws.sqs()
    url = aws.queue_url(get_settings().imports_queue_name)
    delivered = 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
        event = world.client.events.generate_sqs_event(
            message_bodies=[messages[0]["Body"]], queue_name=get_settings().imports_queue_name
        )
        assert world.client.lambda_.invoke("process_import", event).payload == {"batchItemFailures": []}
        sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        delivered += 1
    return delivered


def post_csv(world: World, data: bytes, query: str = "", **kw: Any) -> Any:
    headers = {**world.headers(kw.pop("tenant", "ville"), kw.pop("role", "admin")), "Content-Type": "text/csv"}
    return world.client.http.post(f"/imports/rne{query}", headers=headers, body=data)


def test_an_rne_file_creates_people_and_mandates_once(world):
    started = ok(post_csv(world, maires(ROUEN, HAVRE, AJACCIO, BAD), "?filename=maires.csv"), 202)
    assert (started["status"], started["file_kind"]) == ("queued", "maires")
    assert run_queue(world) >= 1
    done = ok(world.get(f"/imports/{started['id']}"))
    # 1 row of 4 rejected, more than 1 %: the import fails and ends nothing, but its 3 valid rows are in.
    assert (done["status"], done["rows"], done["created"], done["rejected_count"]) == ("failed", 4, 3, 1)
    assert done["rejected"][0]["line"] == 5
    assert done["error"].startswith("1 ligne rejetée sur 4 (plus de 1\u00a0%)")

    helene = ok(world.get("/contacts?q=helene lefevre"))["items"]
    assert len(helene) == 1 and helene[0]["birth_date"] == "1971-02-03" and helene[0]["civility"] == "Mme"
    mandates = ok(world.get("/mandates?function=maire"))["items"]
    assert {(m["territory"]["code"], m["source"]) for m in mandates} == {
        ("76540", "rne"),
        ("76351", "rne"),
        ("2A004", "rne"),
    }

    # The same release again: nobody duplicated, nothing changed.
    again = ok(post_csv(world, maires(ROUEN, HAVRE, AJACCIO)), 202)
    run_queue(world)
    second = ok(world.get(f"/imports/{again['id']}"))
    assert (second["created"], second["updated"], second["unchanged"], second["ended"]) == (0, 0, 3, 0)
    assert len(ok(world.get("/contacts?q=helene lefevre"))["items"]) == 1


def test_a_newer_release_end_dates_vanished_mandates_within_its_filter(world):
    ok(post_csv(world, maires(ROUEN, HAVRE, AJACCIO)), 202)
    run_queue(world)
    newer = ok(post_csv(world, maires(ROUEN), "?departement=76"), 202)
    run_queue(world)
    done = ok(world.get(f"/imports/{newer['id']}"))
    assert (done["unchanged"], done["ended"]) == (1, 1)  # Le Havre ended; Ajaccio is outside the filter
    ends = {m["territory"]["code"]: m["end"] for m in ok(world.get("/mandates?function=maire"))["items"]}
    assert ends["76351"] is not None and ends["76540"] is None and ends["2A004"] is None


def test_a_windows_1252_file_keeps_its_accents(world):
    started = ok(post_csv(world, maires(ROUEN).decode().encode("cp1252")), 202)
    run_queue(world)
    assert ok(world.get(f"/imports/{started['id']}"))["created"] == 1
    assert ok(world.get("/contacts?q=lefevre"))["items"][0]["last_name"] == "LEFÈVRE-DUBOIS"


def test_bad_files_and_roles_are_refused_clearly(world):
    unknown = post_csv(world, b"nom;prenom\nA;B\n")
    assert unknown.status_code == 422 and unknown.json_body["error"]["details"][0]["field"] == "body"
    assert post_csv(world, b"").status_code == 422
    assert post_csv(world, maires(ROUEN), "?departement=20").status_code == 422
    assert post_csv(world, maires(ROUEN), role="lecteur").status_code == 403
    started = ok(post_csv(world, maires(ROUEN)), 202)
    assert world.get(f"/imports/{started['id']}", tenant="liste").status_code == 404
    assert world.get("/imports/01ARZ3NDEKTSV4RRFFQ69G5FAV").status_code == 404


def _many(n: int) -> list[str]:
    return [
        f"76;Seine-Maritime;;;76{n:03d};Commune {n};NOM{n};Prénom;M;01/01/1960;;;03/07/2020;04/07/2020"
        for n in range(n)
    ]


def test_a_file_is_processed_in_chunks_one_message_each(world, monkeypatch):
    from chalicelib.services import rne_import

    monkeypatch.setattr(rne_import, "CHUNK_BYTES", 300)
    started = ok(post_csv(world, maires(*_many(12))), 202)
    assert run_queue(world) > 3
    done = ok(world.get(f"/imports/{started['id']}"))
    assert (done["status"], done["rows"], done["created"], done["rejected_count"]) == ("done", 12, 12, 0)
    assert len(ok(world.get("/mandates?function=maire&limit=100"))["items"]) == 12


def test_a_redelivered_chunk_is_not_counted_twice(world, monkeypatch):
    from chalicelib.services import rne_import

    monkeypatch.setattr(rne_import, "CHUNK_BYTES", 300)
    started = ok(post_csv(world, maires(*_many(6))), 202)
    sqs = aws.sqs()
    url = aws.queue_url(get_settings().imports_queue_name)
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]
    for _ in range(2):  # the same message twice, as SQS may deliver it
        event = world.client.events.generate_sqs_event(
            message_bodies=[first["Body"]], queue_name=get_settings().imports_queue_name
        )
        world.client.lambda_.invoke("process_import", event)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    run_queue(world)
    done = ok(world.get(f"/imports/{started['id']}"))
    assert (done["status"], done["rows"], done["created"]) == ("done", 6, 6)


def test_a_large_file_goes_through_a_presigned_upload_that_starts_the_import(world):
    created = ok(world.post("/imports", {"kind": "rne", "filename": "elus-maires.csv"}), 201)
    assert created["status"] == "queued" and created["upload_url"].startswith("https://")
    assert run_queue(world) >= 0  # nothing to do before the upload (S3's test event is ignored)
    assert ok(world.get(f"/imports/{created['id']}"))["rows"] == 0
    put_presigned(created["upload_url"], maires(ROUEN, HAVRE))
    run_queue(world)  # the S3 event, then the chunk it queues
    done = ok(world.get(f"/imports/{created['id']}"))
    assert (done["status"], done["created"]) == ("done", 2)


def test_an_upload_that_is_not_an_rne_file_fails_the_import_with_the_reason(world):
    created = ok(world.post("/imports", {"kind": "rne", "filename": "autre.csv"}), 201)
    put_presigned(created["upload_url"], b"a;b\n1;2\n")
    run_queue(world)
    failed = ok(world.get(f"/imports/{created['id']}"))
    assert failed["status"] == "failed" and failed["error"]
    bad = world.post("/imports", {"kind": "autre", "filename": ""})
    assert {d["field"] for d in bad.json_body["error"]["details"]} == {"kind", "filename"}


class _Stopped(BaseException):
    """The Lambda stopped (timeout, memory): no `except Exception` of the app runs."""


def test_a_chunk_whose_lambda_stops_after_its_writes_creates_and_audits_each_person_once(world, monkeypatch):
    from chalicelib.schemas.contacts import rne_person
    from chalicelib.services import audit, rne_import
    from chalicelib.store import contacts as contacts_store

    started = ok(post_csv(world, maires(ROUEN, HAVRE)), 202)
    sqs, url = aws.sqs(), aws.queue_url(get_settings().imports_queue_name)
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in messages]
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)]
        )
    body = next(b for b in bodies if "import_id" in b)  # not S3's test event
    world.drain_audit()
    real_create_many = contacts_store.create_many

    def index_only(contacts: list[Any]) -> None:  # the index entries went, the Lambda stopped before the contacts
        from chalicelib.store.contacts import IndexItem, _entries

        with IndexItem.batch_write() as batch:
            for contact in contacts:
                for entry in _entries(contact):
                    batch.save(entry)
        raise _Stopped()

    monkeypatch.setattr(contacts_store, "create_many", index_only)
    with pytest.raises(_Stopped):
        rne_import.process_message(body, 1, person=rne_person)
    monkeypatch.setattr(contacts_store, "create_many", real_create_many)

    def stopped() -> None:  # everything written, the Lambda stops before the audit entries leave
        raise _Stopped()

    monkeypatch.setattr(audit, "flush", stopped)
    with pytest.raises(_Stopped):
        rne_import.process_message(body, 2, person=rne_person)
    monkeypatch.undo()
    rne_import.process_message(body, 3, person=rne_person)  # SQS's last delivery
    run_queue(world)

    done = ok(world.get(f"/imports/{started['id']}"))
    assert (done["status"], done["rows"], done["created"]) == ("done", 2, 2)
    assert len(ok(world.get("/contacts?q=helene lefevre"))["items"]) == 1
    assert len(ok(world.get("/mandates?function=maire"))["items"]) == 2
    world.drain_audit()
    entries = ok(world.get("/audit?limit=100"))["items"]
    imported = sorted(
        (e["action"], e["resource_type"]) for e in entries if e["action"] == "create" and e["resource_type"] != "import"
    )
    assert imported == [("create", "contact")] * 2 + [("create", "mandate")] * 2
