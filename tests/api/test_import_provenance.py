"""Imports refuse a file exported from a tenant of the other kind (L52-8, CNIL; domain/watermark.py).

The files are made by hand, as a user could bring them: an Agora export's watermark line, then an RNE file.
`ville` is an institution tenant (t-ville), `liste` a political one (t-liste).
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.settings import get_settings
from chalicelib.store.imports import ImportItem
from tests.api.test_rne_import_api import BAD, ROUEN, maires, post_csv, run_queue
from tests.support.responses import ok
from tests.support.uploads import put_presigned
from tests.support.world import World

FROM_VILLE = b"# agora-export v1; tenant=t-ville; kind=institution; exported=2026-11-22T08:00:00Z\n"
FROM_ANOTHER_COMMUNE = b'"# Agora-Export v1 ; tenant=t-autre-commune ; kind=institution"\n'


def stored_keys(prefix: str) -> list[str]:
    listed = aws.client("s3").list_objects_v2(Bucket=get_settings().files_bucket, Prefix=prefix)
    return [o["Key"] for o in listed.get("Contents", [])]


def queued_messages() -> int:
    url = aws.queue_url(get_settings().imports_queue_name)
    attributes = aws.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def refusals(world: World, tenant: str) -> list[dict[str, Any]]:
    world.drain_audit()
    return [e for e in ok(world.get("/audit?limit=100", tenant=tenant))["items"] if e["action"] == "refuse"]


def upload(world: World, data: bytes, tenant: str) -> dict[str, Any]:
    """The presigned path: POST /imports, PUT the file, then the S3 event (and any chunk) through the queue."""
    created = ok(world.post("/imports", {"kind": "rne", "filename": "export.csv"}, tenant=tenant), 201)
    run_queue(world)  # S3's test event, if any
    put_presigned(created["upload_url"], data)
    return created


def test_an_institution_export_posted_by_a_political_tenant_is_refused_and_audited(world):
    run_queue(world)
    refused = post_csv(world, FROM_VILLE + maires(ROUEN), "?filename=export-mairie.csv", tenant="liste")
    assert refused.status_code == 422, refused.body
    (detail,) = refused.json_body["error"]["details"]
    assert detail["field"] == "body" and "L52-8" in detail["message"] and "CNIL" in detail["message"]

    assert stored_keys("imports/t-liste/") == [] and stored_keys("uploads/t-liste/") == []
    assert list(ImportItem.query("t-liste")) == []
    assert queued_messages() == 0
    (entry,) = refusals(world, "liste")
    assert (entry["resource_type"], entry["actor_email"]) == ("import", world.user("liste").email)
    assert entry["detail"] == {
        "kind": "rne",
        "source_tenant_id": "t-ville",
        "source_kind": "institution",
        "exported_at": "2026-11-22T08:00:00Z",
    }
    assert refusals(world, "ville") == []


def test_the_same_file_without_its_watermark_is_accepted_from_the_political_tenant(world):
    started = ok(post_csv(world, maires(ROUEN), tenant="liste"), 202)
    run_queue(world)
    assert ok(world.get(f"/imports/{started['id']}", tenant="liste"))["created"] == 1


def test_an_institution_may_import_an_institution_export_the_watermark_line_skipped(world):
    for data in (FROM_VILLE, FROM_ANOTHER_COMMUNE):
        started = ok(post_csv(world, data + maires(ROUEN, BAD)), 202)
        assert started["file_kind"] == "maires"
        run_queue(world)
        done = ok(world.get(f"/imports/{started['id']}"))
        # Read past its watermark; 1 row of 2 rejected fails the import, which ends no mandate (Rouen is in).
        assert (done["status"], done["rows"], done["rejected_count"]) == ("failed", 2, 1)
        assert done["error"].startswith("1 ligne rejetée sur 2")
        assert done["rejected"][0]["line"] == 4  # the file's own numbering: mark 1, header 2, Rouen 3
    assert refusals(world, "ville") == []


def test_a_political_export_is_refused_to_an_institution(world):
    mark = b"# agora-export v1; tenant=t-liste; kind=political; exported=2026-11-22T08:00:00Z\n"
    refused = post_csv(world, mark + maires(ROUEN))
    assert refused.status_code == 422 and "Cloisonnez" in refused.json_body["error"]["details"][0]["message"]
    assert stored_keys("imports/t-ville/") == []


def test_an_uploaded_institution_export_fails_the_political_import_without_queuing_a_chunk(world):
    created = upload(world, FROM_VILLE + maires(ROUEN), "liste")
    assert run_queue(world) == 1  # the S3 event alone: no chunk was queued
    failed = ok(world.get(f"/imports/{created['id']}", tenant="liste"))
    assert failed["status"] == "failed" and "L52-8" in failed["error"] and failed["rows"] == 0
    (entry,) = refusals(world, "liste")
    assert entry["resource_id"] == created["id"] and entry["actor_email"] == world.user("liste").email
    assert ok(world.get("/contacts", tenant="liste"))["items"] == []


def test_an_uploaded_own_export_is_imported_from_the_line_after_its_watermark(world):
    created = upload(world, FROM_VILLE + maires(ROUEN, BAD), "ville")
    run_queue(world)
    done = ok(world.get(f"/imports/{created['id']}"))
    # 1 row of 2 rejected fails the import (it ends no mandate); Rouen is imported all the same.
    assert (done["status"], done["created"], done["rejected_count"]) == ("failed", 1, 1)
    assert done["rejected"][0]["line"] == 4
