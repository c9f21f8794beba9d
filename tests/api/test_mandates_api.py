"""Mandates, functions and désignations through the API."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.services import mandates as mandates_service
from chalicelib.store import mandates as mandates_store
from tests.support.cursors import forged, key_of
from tests.support.faults import Fault, busy_item, injected
from tests.support.responses import error_of, ok
from tests.support.world import World


def person(world: World, last: str, **fields: Any) -> dict[str, Any]:
    return ok(world.post("/contacts", {"kind": "person", "last_name": last, **fields}), 201)


MAIRE = {
    "function": "maire",
    "territory": {"kind": "commune", "code": "76540", "name": "Rouen"},
    "start": "2020-07-03",
    "first_elected_on": "2014-03-30",
}
DEPUTE = {
    "function": "depute",
    "territory": {"kind": "circonscription", "code": "7601"},
    "start": "2022-06-19",
    "end": "2027-06-30",
    "first_elected_on": "2017-06-18",
}


def test_mandates_are_created_listed_patched_and_deleted(world):
    c = person(world, "Lefèvre", first_name="Camille", civility="Mme")
    maire = world.mandate(c["id"], MAIRE)
    assert (maire["function"], maire["kind"], maire["source"], maire["version"]) == ("maire", "mandate", "manual", 1)
    depute = world.mandate(c["id"], DEPUTE)
    listed = ok(world.get(f"/contacts/{c['id']}/mandates"))["items"]
    assert {m["id"] for m in listed} == {maire["id"], depute["id"]}
    view = ok(world.get(f"/contacts/{c['id']}"))
    assert {m["function"] for m in view["mandates"]} == {"maire", "depute"}

    patched = ok(world.patch(f"/contacts/{c['id']}/mandates/{maire['id']}", {"version": 1, "end": "2026-03-22"}))
    assert (patched["end"], patched["version"]) == ("2026-03-22", 2)
    stale = world.patch(f"/contacts/{c['id']}/mandates/{maire['id']}", {"version": 1, "notes": "x"})
    assert stale.status_code == 409 and stale.json_body["error"]["code"] == "conflict"

    assert world.delete(f"/contacts/{c['id']}/mandates/{maire['id']}").status_code == 204
    assert world.get(f"/contacts/{c['id']}/mandates/{maire['id']}").status_code in (404, 405)
    assert [m["id"] for m in ok(world.get(f"/contacts/{c['id']}/mandates"))["items"]] == [depute["id"]]


def test_mandate_validation_names_each_field_in_french(world):
    c = person(world, "Durand")
    bad = world.post(
        f"/contacts/{c['id']}/mandates",
        {"function": "roi", "start": "2020-13-01", "territory": {"kind": "planete", "code": "x"}},
    )
    assert bad.status_code == 422
    fields = {d["field"] for d in bad.json_body["error"]["details"]}
    assert fields == {"function", "start", "territory.kind", "territory.code"}
    assert any("Fonction inconnue" in d["message"] for d in bad.json_body["error"]["details"])

    missing_territory = world.post(f"/contacts/{c['id']}/mandates", {"function": "maire"})
    assert missing_territory.status_code == 422
    assert missing_territory.json_body["error"]["details"][0]["field"] == "territory"
    wrong_kind = world.post(
        f"/contacts/{c['id']}/mandates", {"function": "maire", "territory": {"kind": "departement", "code": "76"}}
    )
    assert wrong_kind.json_body["error"]["details"][0]["field"] == "territory.kind"
    backwards = world.post(f"/contacts/{c['id']}/mandates", {**MAIRE, "end": "2019-01-01"})
    assert backwards.json_body["error"]["details"] == [
        {"field": "end", "message": "La date de fin précède la date de début."}
    ]
    designation = world.post(
        f"/contacts/{c['id']}/mandates", {"kind": "designation", "function": "conseiller_municipal"}
    )
    assert {d["field"] for d in designation.json_body["error"]["details"]} == {"organisation"}
    org = ok(world.post("/contacts", {"kind": "organisation", "organisation_name": "SIVOM"}), 201)
    assert world.post(f"/contacts/{org['id']}/mandates", MAIRE).status_code == 422
    assert ok(world.get(f"/contacts/{c['id']}/mandates"))["items"] == []


def test_a_designation_to_an_outside_body_is_recorded_with_its_deliberation(world):
    c = person(world, "Saint-Aubin", first_name="Médéric")
    d = world.mandate(
        c["id"],
        {
            "kind": "designation",
            "function": "conseiller_municipal",
            "title": "Délégué titulaire",
            "organisation": "Syndicat intercommunal d'assainissement",
            "body_kind": "syndicat",
            "deliberation_date": "2020-07-10",
            "territory": {"kind": "commune", "code": "76540"},
        },
    )
    assert (d["kind"], d["deliberation_date"], d["body_kind"]) == ("designation", "2020-07-10", "syndicat")


def test_mandates_are_listed_by_function_territory_activity_and_end(world):
    a = person(world, "Alpha")
    b = person(world, "Bravo")
    world.mandate(a["id"], DEPUTE)
    world.mandate(b["id"], {**DEPUTE, "territory": {"kind": "circonscription", "code": "7602"}, "end": "2032-06-30"})
    world.mandate(b["id"], MAIRE)

    def ids(query: str) -> list[str]:
        return [m["contact_id"] for m in ok(world.get(f"/mandates?{query}"))["items"]]

    assert ids("function=depute") == [a["id"], b["id"]]  # sorted by end date
    assert ids("function=depute&ending_before=2027-09-01") == [a["id"]]
    assert ids("function=depute&territory_code=7602") == [b["id"]]
    assert ids("active_on=2021-01-01") == [b["id"]]  # only the maire's mandate had started
    assert sorted(ids("")) == sorted([a["id"], b["id"], b["id"]])
    first = ok(world.get("/mandates?limit=2"))
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = ok(world.get(f"/mandates?limit=2&cursor={first['next_cursor']}"))
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert world.get(f"/mandates?function=maire&cursor={first['next_cursor']}").status_code == 400


def test_mandates_are_tenant_scoped_and_read_only_for_lecteur(world):
    c = person(world, "Zulu")
    m = world.mandate(c["id"], MAIRE)
    assert world.get(f"/contacts/{c['id']}/mandates", tenant="liste").status_code == 404
    assert world.patch(f"/contacts/{c['id']}/mandates/{m['id']}", {"version": 1}, tenant="liste").status_code == 404
    assert world.delete(f"/contacts/{c['id']}/mandates/{m['id']}", tenant="liste").status_code == 404
    assert ok(world.get("/mandates", tenant="liste"))["items"] == []
    assert world.post(f"/contacts/{c['id']}/mandates", MAIRE, role="lecteur").status_code == 403
    assert world.delete(f"/contacts/{c['id']}/mandates/{m['id']}", role="lecteur").status_code == 403
    assert len(ok(world.get(f"/contacts/{c['id']}/mandates", role="lecteur"))["items"]) == 1


def test_deleting_a_contact_removes_its_mandates_history_and_tasks(world):
    c = person(world, "Yankee")
    world.mandate(c["id"], MAIRE)
    world.interaction(
        c["id"], {"kind": "call", "date": "2026-11-02", "summary": "Appel", "follow_up": {"title": "Rappeler"}}
    )
    assert world.delete(f"/contacts/{c['id']}").status_code == 204
    assert ok(world.get("/mandates"))["items"] == []
    assert ok(world.get("/tasks"))["items"] == []


def test_a_forged_mandate_cursor_outside_the_end_bound_gives_400(world: World) -> None:
    """A start key past ``ending_before`` is outside the Query's key condition, which DynamoDB refuses: a 400 on
    the cursor, never a Query that fails."""
    for last in ("Alpha", "Bravo"):
        ok(world.post(f"/contacts/{person(world, last)['id']}/mandates", DEPUTE), 201)
    for function in ("", "&function=depute"):
        path = f"/mandates?limit=1&ending_before=2027-09-01{function}"
        real = ok(world.get(path))["next_cursor"]
        good = key_of(real)
        assert world.get(f"{path}&cursor={forged(real, good)}").status_code == 200  # control: the forging is right
        for end_key in ("2027-09-01#", "2031-01-01#x", "\uffff"):
            response = world.get(f"{path}&cursor={forged(real, {**good, 'end_key': {'S': end_key}})}")
            assert error_of(response, 400, "bad_request")["details"][0]["field"] == "cursor", (function, end_key)


def test_removing_a_mandate_changed_meanwhile_gives_409_and_keeps_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = person(world, "Alpha")
    made = ok(world.post(f"/contacts/{holder['id']}/mandates", DEPUTE), 201)
    load = mandates_service.load

    def load_then_edited(p: Any, contact_id: str, mandate_id: str) -> Any:
        read = load(p, contact_id, mandate_id)
        other = load(p, contact_id, mandate_id)  # a colleague's correction, saved between the read and the delete
        other.doc = {**other.doc, "end": "2027-07-01"}
        mandates_store.save(other, is_new=False)
        return read

    monkeypatch.setattr(mandates_service, "load", load_then_edited)
    refused = error_of(world.delete(f"/contacts/{holder['id']}/mandates/{made['id']}"), 409, "conflict")
    assert "modifié entre-temps" in refused["message"]
    monkeypatch.undo()
    assert [m["end"] for m in ok(world.get(f"/contacts/{holder['id']}/mandates"))["items"]] == ["2027-07-01"]


@pytest.mark.parametrize(("method", "operation"), [("PATCH", "PutItem"), ("DELETE", "DeleteItem")])
def test_a_mandate_a_merge_is_moving_at_that_moment_gives_409_and_stays_as_it_was(
    world: World, method: str, operation: str
) -> None:
    """A merge moves a contact's mandates in a transaction; DynamoDB refuses a single write to an item a
    transaction is writing (TransactionConflictException, which botocore does not retry). To the user it is the
    same race as a version read stale: 409 « modifié entre-temps », nothing written; not a 500."""
    holder = person(world, "Alpha")
    made = ok(world.post(f"/contacts/{holder['id']}/mandates", DEPUTE), 201)
    path = f"/contacts/{holder['id']}/mandates/{made['id']}"
    with injected(Fault("dynamodb", operation, busy_item)) as (busy,):
        if method == "PATCH":
            refused = world.patch(path, {"end": "2027-07-01", "version": made["version"]})
        else:
            refused = world.delete(path)
    assert busy.raised == 1
    assert "modifié entre-temps" in error_of(refused, 409, "conflict")["message"]
    [kept] = ok(world.get(f"/contacts/{holder['id']}/mandates"))["items"]
    assert (kept["id"], kept["end"], kept["version"]) == (made["id"], made["end"], made["version"])
