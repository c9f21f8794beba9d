"""Segments: a named filter, private to its author or shared; its preview and its contacts page by page, read in
Query pages of the tenant's contacts with only the facts the filter needs."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.services import segments as segments_service
from chalicelib.store import segments as segments_store
from tests.support.responses import error_of, ok
from tests.support.world import World


def contact(world: World, last_name: str, **fields: Any) -> dict[str, Any]:
    body = {"kind": "person", "first_name": "Test", "last_name": last_name, **fields}
    return dict(ok(world.post("/contacts", body), 201))


def segment(world: World, filter_: dict[str, Any], role: str = "admin", **fields: Any) -> dict[str, Any]:
    body = {"name": "Segment", "filter": filter_, **fields}
    return dict(ok(world.post("/segments", body, role=role), 201))


def names(items: list[dict[str, Any]]) -> set[str]:
    return {c["last_name"] for c in items}


@pytest.fixture
def residents(world: World) -> dict[str, dict[str, Any]]:
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    address = {"lines": ["1 rue Jeanne d'Arc"], "postcode": "76000", "city": "Rouen", "insee_code": "76540"}
    made = {
        "martin": contact(world, "Martin", tags=["Riverain"], address=address, custom={"quartier": "Saint-Marc"}),
        "durand": contact(world, "Durand", tags=["riverain", "commerçant"], emails=["durand@example.fr"]),
        "petit": contact(world, "Petit", tags=["commerçant"], custom={"quartier": "Gare"}),
        "mairie": contact(world, "Lemaire"),
    }
    world.mandate(made["mairie"]["id"], {"function": "maire", "territory": {"kind": "commune", "code": "76540"}})
    ok(
        world.request(
            "PUT", f"/contacts/{made['durand']['id']}/consents/email", {"status": "withdrawn", "source": "staff"}
        )
    )
    return made


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"tag": "riverain"}, {"Martin", "Durand"}),
        ({"and": [{"tag": "riverain"}, {"not": {"tag": "commerçant"}}]}, {"Martin"}),
        ({"or": [{"postcode": "76000"}, {"field": "custom.quartier", "value": "Gare"}]}, {"Martin", "Petit"}),
        ({"commune": "76540"}, {"Martin"}),
        ({"function": "maire", "active": True}, {"Lemaire"}),
        ({"and": [{"tag": "riverain"}, {"consent": "email"}]}, {"Martin"}),  # Durand withdrew
        ({"field": "custom.quartier", "op": "empty"}, {"Durand", "Lemaire"}),
    ],
)
def test_the_preview_counts_who_the_filter_holds(
    world: World, residents: dict[str, Any], filter_: dict[str, Any], expected: set[str]
) -> None:
    made = segment(world, filter_)
    preview = ok(world.get(f"/segments/{made['id']}/preview"))
    assert preview["count"] == len(expected)
    assert names(preview["items"]) == expected


def test_contacts_come_a_page_at_a_time_and_archived_ones_never(world: World, residents: dict[str, Any]) -> None:
    extra = [contact(world, f"Voisin{n}", tags=["riverain"]) for n in range(5)]
    archived = extra.pop()
    ok(world.patch(f"/contacts/{archived['id']}", {"version": 1, "archived": True}))
    made = segment(world, {"tag": "riverain"})
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(10):
        path = f"/segments/{made['id']}/contacts?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = ok(world.get(path))
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert names(seen) == {"Martin", "Durand"} | {c["last_name"] for c in extra}
    assert len(seen) == len({c["id"] for c in seen})  # no contact twice
    assert ok(world.get(f"/segments/{made['id']}/preview"))["count"] == len(seen)


def test_a_cursor_belongs_to_its_segment_and_version(world: World, residents: dict[str, Any]) -> None:
    made = segment(world, {"kind": "person"})
    page = ok(world.get(f"/segments/{made['id']}/contacts?limit=1"))
    assert page["next_cursor"]
    changed = ok(world.patch(f"/segments/{made['id']}", {"version": 1, "filter": {"tag": "riverain"}}))
    assert changed["version"] == 2
    stale = world.get(f"/segments/{made['id']}/contacts?limit=1&cursor={page['next_cursor']}")
    assert error_of(stale, 400, "bad_request")["details"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"colour": "red"}, "filter.colour"),
        ({"and": [{"tag": "a"}, {"function": "sultan"}]}, "filter.and[1].function"),
        ({"not": {"not": {"not": {"not": {"not": {"tag": "x"}}}}}}, "filter.not.not.not.not.not"),
    ],
)
def test_a_bad_filter_is_refused_with_its_path(world: World, filter_: dict[str, Any], field: str) -> None:
    response = world.post("/segments", {"name": "Mauvais", "filter": filter_})
    assert field in [d["field"] for d in error_of(response, 422, "validation_error")["details"]]
    assert ok(world.get("/segments"))["items"] == []


def test_a_private_segment_is_its_authors_only(world: World, residents: dict[str, Any]) -> None:
    private = segment(world, {"tag": "riverain"}, role="communication")
    shared = segment(world, {"tag": "commerçant"}, role="communication", shared=True)
    assert {s["id"] for s in ok(world.get("/segments", role="communication"))["items"]} == {
        private["id"],
        shared["id"],
    }
    assert {s["id"] for s in ok(world.get("/segments", role="cabinet"))["items"]} == {shared["id"]}
    assert world.get(f"/segments/{private['id']}", role="cabinet").status_code == 404
    assert world.get(f"/segments/{private['id']}/preview", role="cabinet").status_code == 404
    # A shared segment is changed by its author or an admin only.
    refused = world.patch(f"/segments/{shared['id']}", {"version": 1, "name": "Pris"}, role="cabinet")
    error_of(refused, 403, "forbidden")
    assert ok(world.patch(f"/segments/{shared['id']}", {"version": 1, "name": "Commerces"}))["name"] == "Commerces"
    stale = world.patch(f"/segments/{shared['id']}", {"version": 1, "name": "Vieux"}, role="communication")
    error_of(stale, 409, "conflict")
    assert world.delete(f"/segments/{private['id']}", role="communication").status_code == 204
    assert world.get(f"/segments/{private['id']}", role="communication").status_code == 404


def test_reading_a_segments_contacts_is_audited(world: World, residents: dict[str, Any]) -> None:
    made = segment(world, {"tag": "riverain"})
    ok(world.get(f"/segments/{made['id']}/contacts"))
    bodies = world.drain_audit()
    assert any(made["id"] in body and '"list"' in body for body in bodies)


def test_deleting_a_segment_changed_meanwhile_gives_409_and_keeps_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = segment(world, {"tag": "riverain"}, shared=True)
    load = segments_service.load

    def load_then_renamed(p: Any, segment_id: str) -> Any:
        read = load(p, segment_id)
        other = load(p, segment_id)  # another user's rename, saved between this request's read and its delete
        other.name = "Riverains du centre"
        segments_store.save(other)
        return read

    monkeypatch.setattr(segments_service, "load", load_then_renamed)
    refused = error_of(world.delete(f"/segments/{made['id']}"), 409, "conflict")
    assert "modifié entre-temps" in refused["message"]
    monkeypatch.undo()
    assert ok(world.get(f"/segments/{made['id']}"))["name"] == "Riverains du centre"
