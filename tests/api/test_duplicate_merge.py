"""Merging duplicate contacts: every record moves to the kept contact, consents keep the most protective status,
the merged contact forwards to the kept one; an undo within 30 days puts everything back."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain import time as clock
from chalicelib.settings import get_settings
from chalicelib.store import audit as audit_store
from chalicelib.store import messages as messages_store
from chalicelib.store.entities import CampaignMessage
from tests.support.responses import error_of, ok
from tests.support.world import World

MAIRE = {"function": "maire", "territory": {"kind": "commune", "code": "76540"}}
ADDRESS = {"lines": ["12 rue des Carmes"], "postcode": "76000", "city": "Rouen"}


def contact(world: World, last_name: str, tenant: str = "ville", **fields: Any) -> str:
    body = {"kind": "person", "first_name": "Zoé", "last_name": last_name, **fields}
    return str(ok(world.post("/contacts", body, tenant=tenant), 201)["id"])


def held(world: World, person: str) -> dict[str, Any]:
    """What the right of access finds on a person: one record of each kind."""
    return dict(ok(world.get(f"/contacts/{person}/export")))


def merge(world: World, keep: str, merged: list[str], **kw: Any) -> Any:
    return world.post("/duplicates/merge", {"keep_id": keep, "merge_ids": merged}, **kw)


def consent(world: World, person: str, channel: str, status: str) -> None:
    body = {"status": status, "source": "form", "text": "Texte présenté."}
    ok(world.request("PUT", f"/contacts/{person}/consents/{channel}", body))


@pytest.fixture
def pair(world: World) -> dict[str, Any]:
    """A kept contact and its duplicate, the duplicate holding one record of each kind."""
    keep = contact(world, "Martin", emails=["zoe@example.fr"], tags=["riverain"])
    dup = contact(
        world,
        "Martin",
        emails=["Zoe@example.fr"],
        birth_date="1970-05-04",
        phones=["06 11 22 33 44"],
        address=ADDRESS,
        tags=["vœux"],
    )
    mandate = world.mandate(dup, MAIRE)
    body = {"kind": "meeting", "date": "2026-11-02", "summary": "Rendez-vous", "follow_up": {"title": "Rappeler"}}
    interaction = world.interaction(dup, body)
    event = ok(world.post("/events", {"title": "Vœux", "kind": "voeux", "starts_at": "2030-01-09T18:30:00"}), 201)
    world.invite(event["id"], [dup], channel="letter")
    campaign = ok(world.post("/campaigns", {"subject": "Lettre", "body": "Bonjour", "contact_ids": [dup]}), 201)
    message = CampaignMessage(
        tenant_id="t-ville", campaign_id=campaign["id"], contact_id=dup, status="sent", address="zoe@example.fr"
    )
    messages_store.write_planned([message])
    letter = ok(world.post("/letters", {"contact_ids": [dup], "template": "voeux", "date": "2027-01-02"}), 202)
    assert world.drain(get_settings().letters_queue_name, "render_letters") == 1
    consent(world, keep, "email", "granted")
    consent(world, dup, "email", "withdrawn")  # the duplicate refused: the refusal wins
    consent(world, dup, "sms", "granted")  # only the duplicate speaks of SMS: it becomes the kept contact's
    consent(world, keep, "post", "withdrawn")
    consent(world, dup, "post", "granted")  # the kept contact refused: its refusal stays
    ok(world.get(f"/contacts/{dup}"))  # an audited read
    world.drain_audit()
    records = held(world, dup)
    assert len(records["interactions"]) == 2  # the meeting and the letter
    return {
        "keep": keep,
        "dup": dup,
        "mandate": mandate["id"],
        "interactions": sorted(i["id"] for i in records["interactions"]),
        "task": interaction["task"]["id"],
        "event": event["id"],
        "campaign": campaign["id"],
        "letter": letter["id"],
    }


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {c["channel"]: c["status"] for c in data["consents"]}


def test_a_merge_moves_every_record_and_its_undo_puts_them_back(world: World, pair: dict[str, Any]) -> None:
    keep, dup = pair["keep"], pair["dup"]
    assert [p["contact_ids"] for p in ok(world.get("/duplicates"))["items"]] == [sorted([keep, dup])]

    merged = ok(merge(world, keep, [dup], role="cabinet"))

    kept = merged["contact"]
    assert kept["id"] == keep and kept["last_name"] == "Martin"
    assert kept["emails"] == ["zoe@example.fr"]  # the kept contact's own fields stay
    assert (kept["birth_date"], kept["address"]["city"]) == ("1970-05-04", "Rouen")  # its empty ones are filled
    assert kept["tags"] == ["riverain", "vœux"]
    assert merged["moved"] == {"interaction": 2, "invitation": 1, "mandate": 1, "message": 1, "task": 1}
    assert merged["not_moved"] == []
    now = held(world, keep)
    assert [m["id"] for m in now["mandates"]] == [pair["mandate"]]
    assert pair["interactions"] <= sorted(i["id"] for i in now["interactions"])
    assert [i["kind"] for i in now["interactions"]].count("merge") == 1  # the merge is in the kept history
    assert [t["id"] for t in now["tasks"]] == [pair["task"]]
    assert [(i["event_id"], i["contact_id"]) for i in now["invitations"]] == [(pair["event"], keep)]
    assert [m["campaign_id"] for m in now["messages"]] == [pair["campaign"]]
    assert statuses(now) == {"email": "withdrawn", "sms": "granted", "post": "withdrawn"}
    # Audit entries are never rewritten: the read of the duplicate stays about it.
    log = audit_store.page("t-ville", None, 100).items
    assert any(e.action == "read" and e.resource_id == dup for e in log)
    # The duplicate is gone, and says where it went; its pairs leave the list.
    gone = error_of(world.get(f"/contacts/{dup}"), 404, "not_found")
    assert gone["details"][0]["field"] == "merged_into" and keep in gone["details"][0]["message"]
    assert all(dup not in p["contact_ids"] for p in ok(world.get("/duplicates"))["items"])
    entries = [e for body in world.drain_audit() for e in json.loads(body)]
    [audited] = [e for e in entries if e["action"] == "merge"]
    assert (audited["resource_id"], audited["detail"]["ids"]) == (keep, [keep, dup])
    assert "merge" in {e["action"] for e in held(world, keep)["audit"]}  # the kept contact's access finds it
    # The 360° view of the kept contact shows the merge.
    view = ok(world.get(f"/contacts/{keep}"))
    assert view["interactions"][0]["kind"] == "merge" and "Zoé Martin" in view["interactions"][0]["summary"]

    undone = ok(world.post(f"/duplicates/merges/{merged['merge_id']}/undo", role="admin"))

    assert undone["status"] == "undone" and undone["stayed"] == []
    assert [c["id"] for c in undone["restored"]] == [dup]
    assert undone["contact"]["birth_date"] is None and undone["contact"].get("address") is None
    assert undone["contact"]["tags"] == ["riverain"]
    back = held(world, dup)
    assert back["contact"]["birth_date"] == "1970-05-04"
    assert [m["id"] for m in back["mandates"]] == [pair["mandate"]]
    assert sorted(i["id"] for i in back["interactions"]) == pair["interactions"]
    assert [t["id"] for t in back["tasks"]] == [pair["task"]]
    assert [(i["event_id"], i["contact_id"]) for i in back["invitations"]] == [(pair["event"], dup)]
    assert [m["campaign_id"] for m in back["messages"]] == [pair["campaign"]]
    assert statuses(back) == {"email": "withdrawn", "sms": "granted", "post": "granted"}
    mine = held(world, keep)
    assert mine["mandates"] == [] and mine["tasks"] == [] and mine["invitations"] == [] and mine["messages"] == []
    assert [i["kind"] for i in mine["interactions"]] == ["merge", "merge"]  # the merge and its undo, in its history
    assert statuses(mine) == {"email": "granted", "post": "withdrawn"}
    # The invitation's guard moved back too: inviting the duplicate again finds it already invited.
    again = world.invite(pair["event"], [dup], channel="letter")
    assert again["created"] == [] and "Déjà invité" in again["skipped"][0]["reason"]
    assert world.invite(pair["event"], [keep], channel="email")["created"] != []  # the kept one is free again
    error_of(world.post(f"/duplicates/merges/{merged['merge_id']}/undo"), 409, "conflict")


def test_a_merge_is_validated_field_by_field(world: World) -> None:
    keep = contact(world, "Martin")
    other = contact(world, "Martin")
    cases = [
        ({"keep_id": keep, "merge_ids": []}, "merge_ids", "au moins un"),
        ({"keep_id": keep, "merge_ids": [keep]}, "merge_ids", "conservé"),
        ({"keep_id": keep, "merge_ids": [f"01J{n:023d}" for n in range(11)]}, "merge_ids", "au plus 10"),
    ]
    for body, field, words in cases:
        error = error_of(world.post("/duplicates/merge", body), 422, "validation_error")
        assert error["details"][0]["field"] == field and words in error["details"][0]["message"]
    error = error_of(merge(world, keep, [other, "01J00000000000000000000000"]), 404, "not_found")
    assert error["details"][0]["field"] == "merge_ids"
    error = error_of(merge(world, "01J00000000000000000000000", [other]), 404, "not_found")
    assert error["details"][0]["field"] == "keep_id"
    organisation = ok(world.post("/contacts", {"kind": "organisation", "organisation_name": "Martin SA"}), 201)
    error_of(merge(world, keep, [organisation["id"]]), 422, "validation_error")
    assert ok(world.get(f"/contacts/{other}"))["contact"]["id"] == other  # nothing merged


def test_merging_is_for_cabinet_and_admins(world: World) -> None:
    keep, other = contact(world, "Martin"), contact(world, "Martin")
    for role in ("protocole", "communication", "lecteur"):
        error_of(merge(world, keep, [other], role=role), 403, "forbidden")
    merged = ok(merge(world, keep, [other], role="admin"))
    for role in ("protocole", "communication", "lecteur"):
        error_of(world.post(f"/duplicates/merges/{merged['merge_id']}/undo", role=role), 403, "forbidden")


def test_another_tenants_contacts_and_merges_are_not_found(world: World) -> None:
    keep, other = contact(world, "Martin"), contact(world, "Martin")
    theirs = contact(world, "Martin", tenant="liste")
    error_of(merge(world, keep, [theirs]), 404, "not_found")
    error_of(merge(world, theirs, [other]), 404, "not_found")
    merged = ok(merge(world, keep, [other]))
    error_of(world.post(f"/duplicates/merges/{merged['merge_id']}/undo", tenant="liste"), 404, "not_found")
    error_of(world.get(f"/contacts/{other}", tenant="liste"), 404, "not_found")


def test_a_merge_is_undone_within_30_days_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, other = contact(world, "Martin"), contact(world, "Martin")
    merged = ok(merge(world, keep, [other]))
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=30, minutes=1))
    error = error_of(world.post(f"/duplicates/merges/{merged['merge_id']}/undo"), 409, "conflict")
    assert "30 jours" in error["message"]
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=29, hours=23))
    ok(world.post(f"/duplicates/merges/{merged['merge_id']}/undo"))
    assert ok(world.get(f"/contacts/{other}"))["contact"]["id"] == other
    error_of(world.post("/duplicates/merges/01J00000000000000000000000/undo"), 404, "not_found")
