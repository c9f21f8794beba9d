"""Contact exports (CSV for Excel in France, XLSX; the file up to the direct limit, else a job and a presigned link)
and the right of access (everything held on one person, as JSON or a French page): admins only, audited."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import unquote, urlparse

import openpyxl
import pytest

from chalicelib import aws
from chalicelib.domain import watermark
from chalicelib.printing.workbook import MEDIA_TYPE as XLSX
from chalicelib.services import exports
from chalicelib.settings import get_settings
from chalicelib.store import audit as audit_store
from chalicelib.store import messages as messages_store
from chalicelib.store.entities import CampaignMessage
from tests.support.responses import error_of, ok
from tests.support.world import World

NON_ADMINS = ("cabinet", "protocole", "communication", "lecteur")
HEADER = [
    "ref",
    "civility",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "address_line",
    "postcode",
    "city",
    "kind",
    "organisation_name",
    "other_emails",
    "other_phones",
    "tags",
    "custom.quartier",
]


def contact(world: World, last_name: str, tenant: str = "ville", **fields: Any) -> str:
    body = {"kind": "person", "first_name": "Test", "last_name": last_name, **fields}
    return str(ok(world.post("/contacts", body, tenant=tenant), 201)["id"])


def export(world: World, query: str = "", accept: str = "text/csv", role: str = "admin", tenant: str = "ville") -> Any:
    headers = {**world.headers(tenant, role), "Accept": accept}
    return world.request("GET", f"/contacts/export{query}", headers=headers)


def rows_of(body: bytes) -> tuple[str, list[list[str]]]:
    """The watermark line and the CSV rows after it (header first)."""
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    first, rest = text.split("\r\n", 1)
    return first, list(csv.reader(io.StringIO(rest, newline=""), delimiter=";"))


def exported_ids(bodies: list[str], export_type: str = "contacts") -> list[str]:
    entries = [e for body in bodies for e in json.loads(body)]
    return [
        i for e in entries if e["action"] == "export" and e["resource_type"] == export_type for i in e["detail"]["ids"]
    ]


@pytest.fixture
def directory(world: World) -> dict[str, str]:
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    made = {
        "martin": contact(
            world,
            "Martin",
            civility="Mme",
            first_name="Hélène",
            emails=["helene@example.fr", "h.martin@example.fr"],
            phones=["06 12 34 56 78"],
            birth_date="1970-03-01",
            address={"lines": ["12 rue du Gros-Horloge", "Bât. B"], "postcode": "76000", "city": "Rouen"},
            tags=["Riverain", "Vœux"],
            custom={"quartier": "Saint-Marc"},
        ),
        "formule": contact(world, '=HYPERLINK("http://x.example";"clic")', first_name="+33 1", tags=["-bénévole"]),
        "archive": contact(world, "Archivé"),
    }
    ok(world.patch(f"/contacts/{made['archive']}", {"version": 1, "archived": True}))
    world.drain_audit()
    return made


def test_a_small_export_is_a_csv_for_excel_in_france(world: World, directory: dict[str, str]) -> None:
    response = export(world, "?format=csv")
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="contacts-')
    line, rows = rows_of(response.body)
    mark = watermark.find(response.body[:400])
    assert mark is not None and (mark.tenant_id, mark.kind) == ("t-ville", "institution")
    assert line.startswith("# agora-export v1; tenant=t-ville; kind=institution; exported=")
    assert rows[0] == HEADER
    by_ref = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_ref) == {directory["martin"], directory["formule"]}  # never the archived contact
    martin = by_ref[directory["martin"]]
    assert martin | {"ref": ""} == {
        "ref": "",
        "civility": "Mme",
        "first_name": "Hélène",
        "last_name": "Martin",
        "email": "helene@example.fr",
        "phone": "06 12 34 56 78",  # stored in E.164, written as dialled in France (no « + » to neutralise)
        "birth_date": "1970-03-01",
        "address_line": "12 rue du Gros-Horloge, Bât. B",
        "postcode": "76000",
        "city": "Rouen",
        "kind": "person",
        "organisation_name": "",
        "other_emails": "h.martin@example.fr",
        "other_phones": "",
        "tags": martin["tags"],
        "custom.quartier": "Saint-Marc",
    }
    assert "Riverain" in martin["tags"]
    formule = by_ref[directory["formule"]]
    # A cell a spreadsheet would run as a formula is written as text (a leading apostrophe).
    assert formule["last_name"] == '\'=HYPERLINK("http://x.example";"clic")'
    assert formule["first_name"] == "'+33 1"
    assert formule["tags"].startswith("'-")
    # Audited with the ids written.
    assert sorted(exported_ids(world.drain_audit())) == sorted(by_ref)


def test_an_xlsx_reads_back_and_carries_the_watermark(world: World, directory: dict[str, str]) -> None:
    response = export(world, "?format=xlsx", accept=XLSX)
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.body))
    mark = watermark.find(book.custom_doc_props["agora-export"].value.encode())
    assert mark is not None and (mark.tenant_id, mark.kind) == ("t-ville", "institution")
    rows = [[cell.value or "" for cell in row] for row in book.active.iter_rows()]
    assert rows[0] == HEADER
    by_ref = {row[0]: row for row in rows[1:]}
    assert set(by_ref) == {directory["martin"], directory["formule"]}
    assert by_ref[directory["formule"]][3] == '\'=HYPERLINK("http://x.example";"clic")'
    assert all(cell.data_type == "s" for row in book.active.iter_rows() for cell in row if cell.value)
    assert sorted(exported_ids(world.drain_audit())) == sorted(by_ref)


def test_a_segment_exports_its_members_only(world: World, directory: dict[str, str]) -> None:
    segment = ok(world.post("/segments", {"name": "Riverains", "filter": {"tag": "riverain"}, "shared": True}), 201)
    _, rows = rows_of(export(world, f"?segment_id={segment['id']}").body)
    assert [row[0] for row in rows[1:]] == [directory["martin"]]
    # Another workspace's segment does not exist here.
    other = ok(world.post("/segments", {"name": "Tous", "filter": {"kind": "person"}}, tenant="liste"), 201)
    error_of(export(world, f"?segment_id={other['id']}"), 404, "not_found")


def test_the_client_names_the_format_it_accepts_and_the_query_is_checked(world: World) -> None:
    # API Gateway returns a binary body only to a client whose Accept header names its type.
    error_of(export(world, "?format=csv", accept="application/json"), 406, "not_acceptable")
    error_of(export(world, "?format=xlsx", accept="text/csv"), 406, "not_acceptable")
    details = error_of(export(world, "?format=pdf"), 422, "validation_error")["details"]
    assert [d["field"] for d in details] == ["format"]
    details = error_of(export(world, "?segment_id=nope"), 422, "validation_error")["details"]
    assert [d["field"] for d in details] == ["segment_id"]


def download(url: str) -> bytes:
    """The object behind a presigned URL (moto in-process has no HTTP endpoint to fetch it from)."""
    parsed = urlparse(url)
    assert "Signature=" in parsed.query or "X-Amz-Signature=" in parsed.query
    bucket = get_settings().files_bucket
    key = unquote(parsed.path.lstrip("/").removeprefix(f"{bucket}/"))
    return bytes(aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())


def test_above_the_direct_limit_a_job_writes_the_file_and_a_link_expires(
    world: World, directory: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    job = ok(export(world, "?format=csv"), 202)
    assert (job["status"], job["format"], job["url"], job["segment_id"]) == ("queued", "csv", None, None)
    assert ok(world.get(f"/exports/{job['id']}"))["status"] == "queued"
    assert world.drain(get_settings().queue_name("exports"), "export_contacts") == 1
    done = ok(world.get(f"/exports/{job['id']}"))
    assert (done["status"], done["total"], done["error"]) == ("done", 2, None)
    assert "Expires=3600" in done["url"] or "X-Amz-Expires=3600" in done["url"]
    _, rows = rows_of(download(done["url"]))
    assert rows[0] == HEADER and {row[0] for row in rows[1:]} == {directory["martin"], directory["formule"]}
    # The job audited the ids it wrote, under the export's id.
    entries = [e for e in audit_store.page("t-ville", None, 100).items if e.resource_id == job["id"]]
    assert {e.action for e in entries} == {"export"}
    assert sorted(i for e in entries for i in (e.detail or {})["ids"]) == sorted(rows_ids := [r[0] for r in rows[1:]])
    assert len(rows_ids) == 2
    # A redelivered message finds the job done and writes nothing again.
    assert world.drain(get_settings().queue_name("exports"), "export_contacts") == 0


def test_a_file_too_large_for_a_response_goes_through_the_job(
    world: World, directory: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "MAX_DIRECT_BYTES", 100)  # two contacts, but more bytes than a response may carry
    job = ok(export(world, "?format=xlsx", accept=XLSX), 202)
    assert exported_ids(world.drain_audit()) == []  # nothing handed over yet
    assert world.drain(get_settings().queue_name("exports"), "export_contacts") == 1
    done = ok(world.get(f"/exports/{job['id']}"))
    assert (done["status"], done["format"], done["total"]) == ("done", "xlsx", 2)
    book = openpyxl.load_workbook(io.BytesIO(download(done["url"])))
    assert book.custom_doc_props["agora-export"].value.startswith("# agora-export v1; tenant=t-ville;")


def test_a_job_whose_segment_was_deleted_fails_with_a_reason(
    world: World, directory: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 0)
    segment = ok(world.post("/segments", {"name": "Riverains", "filter": {"tag": "riverain"}, "shared": True}), 201)
    job = ok(export(world, f"?segment_id={segment['id']}"), 202)
    assert world.delete(f"/segments/{segment['id']}").status_code == 204
    world.drain(get_settings().queue_name("exports"), "export_contacts")
    failed = ok(world.get(f"/exports/{job['id']}"))
    assert failed["status"] == "failed" and failed["url"] is None and "supprimé" in failed["error"]


@pytest.fixture
def held(world: World) -> dict[str, Any]:
    """One person with a record of each kind, and another person's records beside."""
    person = contact(world, "<script>alert(1)</script>", first_name="Zoé", emails=["zoe@example.fr"])
    other = contact(world, "Autre", emails=["autre@example.fr"])
    mandate = world.mandate(person, {"function": "maire", "territory": {"kind": "commune", "code": "76540"}})
    interaction = world.interaction(
        person, {"kind": "meeting", "date": "2026-11-02", "summary": "Rendez-vous", "follow_up": {"title": "Rappeler"}}
    )
    world.interaction(other, {"kind": "call", "date": "2026-11-02", "summary": "Autre"})
    event = ok(world.post("/events", {"title": "Vœux", "kind": "voeux", "starts_at": "2030-01-09T18:30:00"}), 201)
    invited = world.invite(event["id"], [person, other], channel="email")
    campaign = ok(
        world.post("/campaigns", {"subject": "Lettre de la ville", "body": "Bonjour", "contact_ids": [person]}), 201
    )
    messages_store.write_planned(
        [
            CampaignMessage(
                tenant_id="t-ville",
                campaign_id=campaign["id"],
                contact_id=person,
                status="sent",
                address="zoe@example.fr",
                sent_at="2026-12-01T09:00:00.000Z",
            )
        ]
    )
    body = {"status": "granted", "source": "form", "text": "J'accepte de recevoir la lettre."}
    ok(world.request("PUT", f"/contacts/{person}/consents/email", body))
    ok(world.get(f"/contacts/{person}"))  # a read of the full record: audited
    world.drain_audit()
    return {
        "person": person,
        "other": other,
        "mandate": mandate["id"],
        "interaction": interaction["id"],
        "task": interaction["task"]["id"],
        "event": event["id"],
        "invitations": invited,
        "campaign": campaign["id"],
    }


def test_the_access_export_holds_each_kind_of_record(world: World, held: dict[str, Any]) -> None:
    person = held["person"]
    data = ok(world.get(f"/contacts/{person}/export"))
    assert data["controller"] == "Ville test"
    assert data["contact"]["id"] == person and data["contact"]["last_name"] == "<script>alert(1)</script>"
    assert [m["id"] for m in data["mandates"]] == [held["mandate"]]
    assert [i["id"] for i in data["interactions"]] == [held["interaction"]]
    assert [t["id"] for t in data["tasks"]] == [held["task"]]
    [invitation] = data["invitations"]
    assert (invitation["contact_id"], invitation["event_id"], invitation["event_title"]) == (
        person,
        held["event"],
        "Vœux",
    )
    assert invitation["rsvp_url"] is None
    [message] = data["messages"]
    assert (message["campaign_id"], message["subject"], message["status"]) == (
        held["campaign"],
        "Lettre de la ville",
        "sent",
    )
    assert [(c["channel"], c["status"]) for c in data["consents"]] == [("email", "granted")]
    about = {(e["action"], e["resource_type"]) for e in data["audit"]}
    assert {("create", "contact"), ("read", "contact")} <= about
    assert all(e["resource_id"] == person or person in (e["detail"] or {}).get("ids", []) for e in data["audit"])
    assert data["audit_complete"] is True
    # The export itself is audited.
    entries = [e for body in world.drain_audit() for e in json.loads(body)]
    assert [(e["action"], e["resource_id"], e["detail"]) for e in entries] == [("export", person, {"kind": "access"})]


def test_the_access_export_as_a_readable_escaped_page(world: World, held: dict[str, Any]) -> None:
    headers = {**world.headers(), "Accept": "text/html"}
    response = world.request("GET", f"/contacts/{held['person']}/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    page = response.body.decode()
    assert '<html lang="fr">' in page and "Vos données personnelles" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "Lettre de la ville" in page and "Vœux" in page and "Rendez-vous" in page


def test_exports_are_for_admins_only(world: World, held: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 0)
    job = ok(export(world), 202)
    world.drain_audit()
    for role in NON_ADMINS:
        error_of(export(world, role=role), 403, "forbidden")
        error_of(world.get(f"/exports/{job['id']}", role=role), 403, "forbidden")
        error_of(world.get(f"/contacts/{held['person']}/export", role=role), 403, "forbidden")
    assert world.drain_audit() == []  # nothing was exported, nothing read


def test_another_workspaces_records_are_not_found(
    world: World, held: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 0)
    job = ok(export(world), 202)
    error_of(world.get(f"/contacts/{held['person']}/export", tenant="liste"), 404, "not_found")
    error_of(world.get(f"/exports/{job['id']}", tenant="liste"), 404, "not_found")
    # The other workspace's export holds its own contacts only, under its own watermark.
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 5000)
    militant = contact(world, "Militant", tenant="liste")
    response = export(world, tenant="liste")
    line, rows = rows_of(response.body)
    assert "tenant=t-liste; kind=political" in line
    assert [row[0] for row in rows[1:]] == [militant]
