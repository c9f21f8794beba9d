"""Contact import end to end: POST /imports/contacts (CSV or XLSX), the analysis job, the preview, the commit in
chunks through the imports queue, the counters, errors.csv; encodings, bad values, duplicates, formulas, provenance,
re-runs and the export round trip."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain import watermark
from chalicelib.printing.workbook import MEDIA_TYPE as XLSX
from chalicelib.printing.workbook import xlsx_bytes
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from tests.support.responses import ok
from tests.support.uploads import put_presigned
from tests.support.world import World

HEADER = "Civilité;Prénom;Nom;Courriel;Portable;Code postal;Ville;Date de naissance"
ANNE = "Madame;Anne;Martin;anne.martin@exemple.fr;06 12 34 56 78;76000;Rouen;03/02/1971"
PAUL = "M.;Paul;Durand;paul.durand@exemple.fr;;76600;Le Havre;12/05/1968"
BAD_DATE = "Mme;Zoé;Leroy;;;;;31/02/1970"
BAD_PHONE = "M;Luc;Petit;;12;;;"
BAD_CIVILITY = "Docteur;Marc;Roux;;;;;"
FORMULA = 'Mme;\'=HYPERLINK("http://x");Formule;;;;;'


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding)


def post_file(world: World, data: bytes, query: str = "", media: str = "text/csv", **kw: Any) -> Any:
    headers = {**world.headers(kw.pop("tenant", "ville"), kw.pop("role", "admin")), "Content-Type": media}
    return world.request("POST", f"/imports/contacts{query}", headers=headers, raw=data)


def run_imports(world: World) -> int:
    return world.drain(get_settings().imports_queue_name, "process_import")


def analysed(world: World, data: bytes, query: str = "", **kw: Any) -> dict[str, Any]:
    started = ok(post_file(world, data, query, **kw), 202)
    assert started["status"] == "analysing" and started["kind"] == "contacts"
    run_imports(world)
    return dict(ok(world.get(f"/imports/{started['id']}", tenant=kw.get("tenant", "ville"))))


def committed(world: World, import_id: str, body: dict[str, Any], tenant: str = "ville") -> dict[str, Any]:
    started = ok(world.post(f"/imports/{import_id}/commit", body, tenant=tenant), 202)
    assert started["status"] == "queued"
    run_imports(world)
    return dict(ok(world.get(f"/imports/{import_id}", tenant=tenant)))


def contacts_named(world: World, q: str) -> list[dict[str, Any]]:
    return list(ok(world.get(f"/contacts?q={q}&limit=100"))["items"])


def test_a_french_file_is_previewed_then_committed_with_errors_per_line_and_field(world: World) -> None:
    preview = analysed(world, csv_file(ANNE, PAUL, BAD_DATE, BAD_PHONE, BAD_CIVILITY, encoding="cp1252"), "?filename=x")
    assert preview["status"] == "preview" and preview["rows"] == 5
    assert preview["mapping"] == {
        "Civilité": "civility",
        "Prénom": "first_name",
        "Nom": "last_name",
        "Courriel": "email",
        "Portable": "phone",
        "Code postal": "postcode",
        "Ville": "city",
        "Date de naissance": "birth_date",
    }
    first = preview["preview"][0]
    assert first["line"] == 2
    assert first["record"]["phones"] == ["+33612345678"] and first["record"]["birth_date"] == "1971-02-03"
    assert first["record"]["civility"] == "Mme" and first["record"]["address"]["city"] == "Rouen"
    assert {(e["line"], e["field"]) for e in preview["errors"]} == {(4, "birth_date"), (5, "phone"), (6, "civility")}
    assert preview["error_count"] == 3
    assert contacts_named(world, "martin") == []  # nothing written before the commit

    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert (done["status"], done["created"], done["updated"], done["unchanged"], done["rejected_count"]) == (
        "done",
        2,
        0,
        0,
        3,
    )
    assert [r["line"] for r in done["rejected"]] == [4, 5, 6]
    anne = contacts_named(world, "anne martin")
    assert len(anne) == 1 and anne[0]["emails"] == ["anne.martin@exemple.fr"]
    # Consent: unknown, never granted by default, with source import and the file's name.
    recorded = consents_store.for_contact("t-ville", anne[0]["id"])
    assert {c: (v.status, v.source) for c, v in recorded.items()} == {
        "email": ("unknown", "import"),
        "sms": ("unknown", "import"),
    }
    assert "« x »" in str(recorded["email"].text)

    csv_headers = {**world.headers(), "Accept": "text/csv"}
    errors = world.request("GET", f"/imports/{preview['id']}/errors.csv", headers=csv_headers)
    assert errors.status_code == 200 and errors.headers["Content-Type"] == "text/csv"
    lines = errors.body.decode("utf-8-sig").splitlines()
    assert lines[0] == "ligne;champ;motif" and lines[1].startswith("4;;birth_date : Date illisible")


def test_a_re_run_of_the_same_file_changes_nothing(world: World) -> None:
    data = csv_file(ANNE, PAUL, "M;Jean;Sansrien;;;;;")
    first = committed(world, analysed(world, data)["id"], {"on_duplicate": "create"})
    assert first["created"] == 3
    before = {c["id"]: c["version"] for c in ok(world.get("/contacts?limit=100"))["items"]}
    again = analysed(world, data)
    assert {d["line"] for d in again["duplicates"]} == {2, 3, 4}
    second = committed(world, again["id"], {"on_duplicate": "create"})
    assert (second["created"], second["updated"], second["unchanged"], second["skipped"]) == (0, 0, 3, 0)
    after = {c["id"]: c["version"] for c in ok(world.get("/contacts?limit=100"))["items"]}
    assert after == before


def test_merge_fills_and_adds_but_never_erases_and_skip_and_create_do_what_they_say(world: World) -> None:
    existing = ok(
        world.post(
            "/contacts",
            {
                "kind": "person",
                "first_name": "Anne",
                "last_name": "Martin",
                "emails": ["anne.martin@exemple.fr"],
                "phones": ["02 35 00 00 00"],
                "address": {"lines": ["1 rue A"], "postcode": "76000", "city": "Rouen"},
                "tags": ["Riverain"],
            },
        ),
        201,
    )
    row = "Mme;Anne;Martin;anne.martin@exemple.fr;06 12 34 56 78;;;03/02/1971"
    preview = analysed(world, csv_file(row, PAUL))
    assert preview["duplicates"] == [
        {
            "line": 2,
            "contact_id": existing["id"],
            "duplicate_of_line": None,
            "score": preview["duplicates"][0]["score"],
            "matched": preview["duplicates"][0]["matched"],
        }
    ]
    done = committed(world, preview["id"], {"on_duplicate": "merge", "per_line": {"3": "skip"}})
    assert (done["created"], done["updated"], done["skipped"]) == (1, 1, 0)  # Paul has no duplicate: created
    merged = ok(world.get(f"/contacts/{existing['id']}"))["contact"]
    assert merged["phones"] == ["+33612345678", "+33235000000"]  # added, the imported one first
    assert merged["address"] == {"lines": ["1 rue A"], "postcode": "76000", "city": "Rouen", "insee_code": None}
    assert merged["birth_date"] == "1971-02-03" and merged["tags"] == ["Riverain"] and merged["civility"] == "Mme"

    skip = analysed(world, csv_file("Mme;Anne;Martin;anne.martin@exemple.fr;;;Dieppe;"))
    assert committed(world, skip["id"], {"on_duplicate": "skip"})["skipped"] == 1
    create = analysed(world, csv_file("Mme;Anne;Martin;anne.martin@exemple.fr;;;Dieppe;"))
    assert committed(world, create["id"], {"on_duplicate": "create"})["created"] == 1
    assert len(contacts_named(world, "anne martin")) == 2


def test_duplicate_rows_inside_the_file_across_chunks(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.services import contact_import

    monkeypatch.setattr(contact_import, "CHUNK_ROWS", 2)
    copy = "Mme;Anne;MARTIN;anne.martin@exemple.fr;;;Le Havre;"
    preview = analysed(world, csv_file(ANNE, PAUL, "M;Léo;Blanc;;;;;", copy, copy))
    assert {(d["line"], d["duplicate_of_line"]) for d in preview["duplicates"]} == {(5, 2), (6, 2)}
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert (done["status"], done["created"], done["updated"], done["unchanged"]) == ("done", 3, 1, 1)
    anne = contacts_named(world, "anne martin")
    assert len(anne) == 1 and anne[0]["address"]["city"] == "Le Havre"


def test_formulas_in_cells_are_kept_as_text_and_neutralised_again_on_export(world: World) -> None:
    preview = analysed(world, csv_file(FORMULA, "Mme;=1+1;Calcul;;;;;"))
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert done["created"] == 2
    names = {c["first_name"] for c in ok(world.get("/contacts?limit=100"))["items"]}
    assert names == {'=HYPERLINK("http://x")', "=1+1"}
    exported = world.request("GET", "/contacts/export", headers={**world.headers(), "Accept": "text/csv"})
    text = exported.body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";'=1+1;" in text


def _export(world: World, accept: str, tenant: str = "ville") -> bytes:
    query = "?format=xlsx" if accept == XLSX else ""
    response = world.request("GET", f"/contacts/export{query}", headers={**world.headers(tenant), "Accept": accept})
    assert response.status_code == 200
    return bytes(response.body)


@pytest.mark.parametrize("media", ["text/csv", XLSX], ids=["csv", "xlsx"])
def test_an_export_imported_back_is_all_unchanged(world: World, media: str) -> None:
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    for body in (
        {
            "kind": "person",
            "civility": "Mme",
            "first_name": "Hélène",
            "last_name": "=Lefèvre",
            "emails": ["h@exemple.fr", "h2@exemple.fr"],
            "phones": ["06 12 34 56 78", "+44 20 7946 0958"],
            "address": {"lines": ["12 rue du Gros-Horloge", "Bât. B"], "postcode": "76000", "city": "Rouen"},
            "birth_date": "1971-02-03",
            "tags": ["Riverain", "Vœux 2026"],
            "custom": {"quartier": "Saint-Marc"},
        },
        {"kind": "organisation", "organisation_name": "Club de voile", "emails": ["club@exemple.fr"]},
        {"kind": "person", "last_name": "Seul"},
    ):
        ok(world.post("/contacts", body), 201)
    before = {c["id"]: c["version"] for c in ok(world.get("/contacts?limit=100"))["items"]}
    preview = analysed(world, _export(world, media), media=media)
    assert preview["errors"] == [] and preview["rows"] == 3
    assert preview["mapping"]["ref"] == "ref" and preview["mapping"]["custom.quartier"] == "custom.quartier"
    assert {d["matched"][0] for d in preview["duplicates"]} == {"ref"}
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert (done["created"], done["updated"], done["unchanged"], done["rejected_count"]) == (0, 0, 3, 0)
    assert {c["id"]: c["version"] for c in ok(world.get("/contacts?limit=100"))["items"]} == before


@pytest.mark.parametrize("media", ["text/csv", XLSX], ids=["csv", "xlsx"])
def test_a_file_exported_by_a_tenant_of_the_other_kind_is_refused(world: World, media: str) -> None:
    ok(world.post("/contacts", {"kind": "person", "last_name": "Électeur"}), 201)
    data = _export(world, media)  # an institution's export…
    refused = analysed(world, data, media=media, tenant="liste")  # …into a political workspace
    assert refused["status"] == "failed" and "L52-8" in refused["error"]
    assert ok(world.get("/contacts", tenant="liste"))["items"] == []
    mark = watermark.line("t-liste", "political", "2026-12-05T08:00:00Z")
    xlsx = xlsx_bytes("Contacts", mark, ["Nom"], [["Militant"]])
    assert analysed(world, xlsx, media=XLSX)["status"] == "failed"


def test_a_zip_bomb_a_broken_or_empty_file_and_a_wrong_mapping_are_refused_clearly(world: World) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (51 * 1024 * 1024))
    bomb = analysed(world, out.getvalue(), media=XLSX)
    assert bomb["status"] == "failed" and "décompressé" in bomb["error"]
    broken = analysed(world, b"PK\x03\x04garbage", media=XLSX)
    assert broken["status"] == "failed" and broken["error"]
    assert post_file(world, b"").status_code == 422
    preview = analysed(world, csv_file(ANNE))
    wrong = world.post(f"/imports/{preview['id']}/commit", {"mapping": {"Nom": "nom"}, "on_duplicate": "merge"})
    assert wrong.status_code == 422
    assert {d["field"] for d in wrong.json_body["error"]["details"]} == {"mapping.Nom", "mapping"}
    committed(world, preview["id"], {"on_duplicate": "merge"})
    assert world.post(f"/imports/{preview['id']}/commit", {"on_duplicate": "merge"}).status_code == 409


def test_roles_and_tenants(world: World) -> None:
    for role in ("communication", "protocole", "lecteur"):
        assert post_file(world, csv_file(ANNE), role=role).status_code == 403
    preview = analysed(world, csv_file(ANNE), role="cabinet")
    assert preview["status"] == "preview"
    assert world.get(f"/imports/{preview['id']}", tenant="liste").status_code == 404
    assert world.post(f"/imports/{preview['id']}/commit", {"on_duplicate": "merge"}, tenant="liste").status_code == 404
    assert world.get(f"/imports/{preview['id']}/errors.csv", tenant="liste").status_code == 404
    assert (
        world.post(f"/imports/{preview['id']}/commit", {"on_duplicate": "merge"}, role="communication").status_code
        == 403
    )


def test_a_consent_column_and_an_xlsx_sheet_by_name(world: World) -> None:
    columns = ["Nom", "Prénom", "E-mail", "Consentement email", "Quartier"]
    rows = [["Martin", "Anne", "a@exemple.fr", "oui", "x"], ["Durand", "Paul", "p@exemple.fr", "non", "y"]]
    data = xlsx_bytes(
        "Contacts", watermark.line("t-ville", "institution", "2026-12-05T08:00:00Z"), columns, rows, sheet="Inscrits"
    )
    preview = analysed(world, data, "?sheet=Inscrits&filename=inscrits.xlsx", media=XLSX)
    assert preview["mapping"]["Consentement email"] == "consent.email" and "Quartier" not in preview["mapping"]
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert done["created"] == 2
    anne = contacts_named(world, "anne martin")[0]
    paul = contacts_named(world, "paul durand")[0]
    assert consents_store.for_contact("t-ville", anne["id"])["email"].status == "granted"
    assert consents_store.for_contact("t-ville", paul["id"])["email"].status == "withdrawn"
    missing = analysed(world, data, "?sheet=Autre", media=XLSX)
    assert missing["status"] == "failed" and "Inscrits" in missing["error"]


def test_a_large_file_goes_through_a_presigned_upload(world: World) -> None:
    created = ok(world.post("/imports", {"kind": "contacts", "filename": "contacts.csv"}), 201)
    assert created["kind"] == "contacts" and created["upload_url"].startswith("https://")
    run_imports(world)
    assert ok(world.get(f"/imports/{created['id']}"))["status"] == "analysing"
    put_presigned(created["upload_url"], csv_file(ANNE, PAUL))
    run_imports(world)  # the S3 event, then the analysis it queues
    preview = ok(world.get(f"/imports/{created['id']}"))
    assert (preview["status"], preview["rows"]) == ("preview", 2)
    assert committed(world, created["id"], {"on_duplicate": "merge"})["created"] == 2
    stored = contacts_store.tenant_page("t-ville", None, 100)[0]
    assert {c.doc.get("last_name") for c in stored} >= {"Martin", "Durand"}


def test_a_chunk_redelivered_after_its_writes_creates_nobody_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib import aws
    from chalicelib.services import contact_import

    monkeypatch.setattr(contact_import, "CHUNK_ROWS", 2)
    preview = analysed(world, csv_file(ANNE, PAUL, "M;Léo;Blanc;;;;;", "Mme;Zoé;Leroy;;;;;"))
    ok(world.post(f"/imports/{preview['id']}/commit", {"on_duplicate": "merge"}), 202)
    real_save = contact_import._save
    throttled: list[str] = []

    def save_once_throttled(job: Any) -> None:
        if job.status in ("running", "done") and not throttled:
            throttled.append(job.import_id)  # the chunk's contacts are written; its progress is not
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "PutItem")
        real_save(job)

    monkeypatch.setattr(contact_import, "_save", save_once_throttled)
    name = get_settings().imports_queue_name
    url = aws.queue_url(name)
    message = aws.sqs().receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    for attempt, failures in ((1, 1), (2, 0)):
        event = world.client.events.generate_sqs_event(message_bodies=[message["Body"]], queue_name=name)
        event["Records"][0]["attributes"]["ApproximateReceiveCount"] = str(attempt)
        payload = world.client.lambda_.invoke("process_import", event).payload
        assert len(payload["batchItemFailures"]) == failures
    aws.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    run_imports(world)
    done = ok(world.get(f"/imports/{preview['id']}"))
    assert (done["status"], done["created"], done["rejected_count"]) == ("done", 4, 0)
    assert len(ok(world.get("/contacts?limit=100"))["items"]) == 4


def test_rows_obey_the_rules_of_post_contacts_and_the_custom_fields(world: World) -> None:
    field = {"name": "quartier", "label": "Quartier", "type": "choice", "choices": ["Centre", "Nord"]}
    ok(world.post("/fields", field), 201)
    ok(world.post("/fields", {"name": "age", "label": "Âge", "type": "number"}), 201)
    data = (
        "Nom;Prénom;Courriel;Quartier;Âge;Date de naissance\r\n"
        "Martin;Anne;pas-une-adresse;Centre;42;\r\n"
        "Durand;Paul;p@exemple.fr;Sud;quarante;\r\n"
        ";Sans nom;s@exemple.fr;;;\r\n"
        "Leroy;Zoé;z@exemple.fr;Nord;7;01/01/2999\r\n"
        "Petit;Luc;l@exemple.fr;Nord;7;14/07/1962\r\n"
    ).encode()
    preview = analysed(world, data)
    assert preview["mapping"]["Quartier"] == "custom.quartier" and preview["mapping"]["Âge"] == "custom.age"
    assert {(e["line"], e["field"]) for e in preview["errors"]} == {
        (2, "email"),
        (3, "custom.quartier"),
        (3, "custom.age"),
        (4, "last_name"),
        (5, "birth_date"),
    }
    same = world.post("/contacts", {"kind": "person", "last_name": "Martin", "emails": ["pas-une-adresse"]})
    message = {e["line"]: e["message"] for e in preview["errors"]}[2]
    assert message == same.json_body["error"]["details"][0]["message"]  # the same validator, the same words
    done = committed(world, preview["id"], {"on_duplicate": "merge"})
    assert (done["created"], done["rejected_count"]) == (1, 4)
    assert contacts_named(world, "petit")[0]["custom"] == {"quartier": "Nord", "age": 7}


def test_a_person_who_asked_for_erasure_is_not_brought_back(world: World) -> None:
    """RGPD art. 17: an import names the erased person's row « personne ayant demandé l'effacement » (by the keyed
    hash of their email or phone, in any spelling) instead of silently creating them again."""
    anne = ok(
        world.post(
            "/contacts",
            {"kind": "person", "first_name": "Anne", "last_name": "Martin", "emails": ["anne.martin@exemple.fr"]},
        ),
        201,
    )
    assert world.delete(f"/contacts/{anne['id']}?mode=erase").status_code == 204
    by_phone = ok(world.post("/contacts", {"kind": "person", "last_name": "Durand", "phones": ["06 98 76 54 32"]}), 201)
    assert world.delete(f"/contacts/{by_phone['id']}?mode=erase").status_code == 204
    erased_anne = "Mme;Anne;Martin;ANNE.Martin@exemple.fr;;;;"
    erased_paul = "M.;Paul;Durand;;+33 6 98 76 54 32;;;"
    preview = analysed(world, csv_file(erased_anne, erased_paul, PAUL.replace("paul.durand", "p.durand")))
    flagged = {(e["line"], e["field"]) for e in preview["errors"] if "effacement" in e["message"]}
    assert flagged == {(2, "email"), (3, "phone")}
    done = committed(world, preview["id"], {"on_duplicate": "create"})
    assert (done["created"], done["rejected_count"]) == (1, 2)
    assert contacts_named(world, "martin") == [] and len(contacts_named(world, "durand")) == 1


class _Stopped(BaseException):
    """The Lambda stopped (timeout, memory): no `except Exception` of the app runs, nothing flushes."""


def test_a_chunk_delivered_again_after_its_writes_counts_its_merge_and_audits_it_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.schemas.contacts import imported_contact
    from chalicelib.services import audit, contact_import

    existing = ok(
        world.post(
            "/contacts",
            {"kind": "person", "first_name": "Paul", "last_name": "Durand", "emails": ["paul.durand@exemple.fr"]},
        ),
        201,
    )
    preview = analysed(world, csv_file(ANNE, PAUL))
    world.drain_audit()
    before = len(ok(world.get("/audit?limit=100"))["items"])
    ok(world.post(f"/imports/{preview['id']}/commit", {"on_duplicate": "merge"}), 202)
    message = {"tenant_id": "t-ville", "import_id": preview["id"], "step": "commit", "index": 0}

    def stopped(job: object) -> None:  # the writes went through; the Lambda stops before saving the import
        raise _Stopped()

    monkeypatch.setattr(contact_import, "_save", stopped)
    monkeypatch.setattr(audit, "flush", lambda: None)  # a stopped Lambda flushes nothing
    with pytest.raises(_Stopped):
        contact_import.process_message(message, 1, validate=imported_contact)
    monkeypatch.undo()
    contact_import.process_message(message, 2, validate=imported_contact)  # SQS delivers it again

    done = ok(world.get(f"/imports/{preview['id']}"))
    assert (done["status"], done["created"], done["updated"], done["unchanged"]) == ("done", 1, 1, 0)
    assert ok(world.get(f"/contacts/{existing['id']}"))["contact"]["address"]["city"] == "Le Havre"  # merged
    world.drain_audit()
    listed = ok(world.get("/audit?limit=100"))["items"]
    entries = listed[: len(listed) - before]  # newest first: those since the commit
    imported = sorted((e["action"], e["resource_type"]) for e in entries if e["resource_type"] == "contacts")
    assert imported == [("create", "contacts"), ("update", "contacts")]
