"""Possible duplicates: checked on creation (through the name index), found over the whole directory by the scan job
(reading the tenant's contacts in Query pages), listed page by page, dismissed for good."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import aws
from chalicelib.services import contacts as contact_service
from chalicelib.settings import get_settings
from chalicelib.store.entities import ContactDoc
from tests.support.responses import error_of, ok
from tests.support.world import World

HOME = {"lines": ["12 rue du Gros-Horloge"], "postcode": "76000", "city": "Rouen"}


def person(first: str, last: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "person", "first_name": first, "last_name": last, **fields}


def create(world: World, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return dict(ok(world.post("/contacts", body, **kw), 201))


def pairs(world: World, **kw: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(world.get("/duplicates?limit=2" + (f"&cursor={cursor}" if cursor else ""), **kw))
        found += page["items"]
        if not (cursor := page["next_cursor"]):
            return found


def ids(found: list[dict[str, Any]]) -> set[frozenset[str]]:
    return {frozenset(p["contact_ids"]) for p in found}


def scan(world: World, role: str = "cabinet") -> None:
    body = ok(world.post("/duplicates/scan", role=role), 202)
    assert body["status"] == "queued"
    assert world.drain(get_settings().queue_name("duplicates"), "scan_duplicates") == 1


def import_(world: World, docs: list[dict[str, Any]], tenant: str = "ville") -> list[str]:
    """Contacts written in bulk, as an import does: no check on creation, only the scan finds their pairs."""
    made = contact_service.import_many(world.principal(tenant), [ContactDoc(**d) for d in docs])  # type: ignore[typeddict-item]
    return [c.contact_id for c in made]


def test_a_new_contact_comes_with_its_possible_duplicates(world: World) -> None:
    first = create(world, person("Hélène", "Lefèvre-Dubois", emails=["helene@exemple.fr"], address=HOME))
    household = create(world, person("Paul", "Lefèvre-Dubois", civility="M", address=HOME, phones=["02 35 00 00 01"]))
    assert household["possible_duplicates"] == []

    again = create(world, person("HELENE", "LEFEVRE DUBOIS", emails=["Helene@exemple.fr"]), role="communication")

    assert [d["id"] for d in again["possible_duplicates"]] == [first["id"]]
    assert 0.76 <= again["possible_duplicates"][0]["score"] <= 1
    [pair] = pairs(world)
    assert set(pair["contact_ids"]) == {first["id"], again["id"]}
    assert pair["contact_ids"] == sorted(pair["contact_ids"])
    assert {"first_name", "last_name", "email"} <= set(pair["matched"])


def test_inverted_names_and_birth_name_are_found_on_creation(world: World) -> None:
    marie = create(world, person("Marie", "Martin née Dubois", birth_date="1961-03-02", civility="Mme"))
    jean = create(world, person("Jean", "Dupont", phones=["06 11 22 33 44"]))

    assert [
        d["id"] for d in create(world, person("Marie", "Dubois", birth_date="1961-03-02"))["possible_duplicates"]
    ] == [marie["id"]]
    assert [
        d["id"] for d in create(world, person("DUPONT", "Jean", phones=["+33611223344"]))["possible_duplicates"]
    ] == [jean["id"]]


def test_homonyms_are_not_proposed(world: World) -> None:
    create(world, person("Jean", "Martin", birth_date="1950-01-01", address=HOME))
    son = create(world, person("Jean", "Martin", birth_date="1980-05-05", address=HOME))
    assert son["possible_duplicates"] == []
    assert pairs(world) == []


def test_the_scan_finds_pairs_over_the_whole_directory(world: World) -> None:
    a, b, wife, anne, other_anne = import_(
        world,
        [
            person("Jean-Pierre", "de La Fontaine", emails=["jp@exemple.fr"], address=HOME),
            person("Jean Pierre", "Lafontaine", address={**HOME, "lines": ["12, r. du Gros Horloge"]}),
            person("Jeanne", "de La Fontaine", civility="Mme", address=HOME),  # household
            person("Anne", "Roux", birth_date="1970-01-01"),
            person("Anne", "Roux", birth_date="1990-01-01"),  # homonym
        ],
    )
    ok(world.post("/duplicates/scan", role="communication"), 403)
    assert pairs(world) == []

    scan(world)

    found = pairs(world)
    assert ids(found) == {frozenset({a, b})}
    assert not ids(found) & {frozenset({a, wife}), frozenset({anne, other_anne})}  # household, homonyms
    assert found[0]["matched"] == ["first_name", "last_name", "address"]
    # The other tenant sees none of it.
    assert pairs(world, tenant="liste") == []


def test_the_scan_message_names_the_tenant_and_a_rescan_changes_nothing(world: World) -> None:
    import_(
        world, [person("Luc", "Morel", emails=["luc@exemple.fr"]), person("Luc", "Morel", emails=["luc@exemple.fr"])]
    )
    ok(world.post("/duplicates/scan", role="admin"), 202)
    url = aws.queue_url(get_settings().queue_name("duplicates"))
    [message] = aws.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    assert json.loads(message["Body"])["tenant_id"] == world.tenants["ville"].id
    assert world.drain(get_settings().queue_name("duplicates"), "scan_duplicates") == 1
    before = pairs(world)

    scan(world)

    assert pairs(world) == before and len(before) == 1


def test_a_dismissed_pair_is_never_proposed_again(world: World) -> None:
    a, b = import_(
        world, [person("Luc", "Morel", emails=["luc@exemple.fr"]), person("Luc", "Morel", emails=["luc@exemple.fr"])]
    )
    scan(world)
    assert ids(pairs(world)) == {frozenset({a, b})}

    body = ok(world.post("/duplicates/dismiss", {"contact_ids": [b, a]}, role="communication"))

    assert body == {"contact_ids": sorted([a, b]), "dismissed": True}
    assert pairs(world) == []
    scan(world)
    assert pairs(world) == []
    ok(world.post("/duplicates/dismiss", {"contact_ids": [a, b]}, role="lecteur"), 403)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"contact_ids": ["x"]}, 422, "validation_error"),
        ({"contact_ids": ["same", "same"]}, 422, "validation_error"),
        ({"contact_ids": ["a", "b"], "extra": 1}, 422, "validation_error"),
    ],
)
def test_dismiss_checks_its_body(world: World, body: dict[str, Any], status: int, code: str) -> None:
    error = error_of(world.post("/duplicates/dismiss", body), status, code)
    assert error["details"][0]["field"].startswith("contact_ids") or error["details"][0]["field"] == "extra"


def test_dismiss_needs_two_contacts_of_the_tenant(world: World) -> None:
    mine = create(world, person("Luc", "Morel"))
    theirs = create(world, person("Luc", "Morel"), tenant="liste")
    error = error_of(world.post("/duplicates/dismiss", {"contact_ids": [mine["id"], theirs["id"]]}), 404, "not_found")
    assert error["details"][0]["field"] == "contact_ids"


def test_a_deleted_contact_leaves_the_list(world: World) -> None:
    first = create(world, person("Luc", "Morel", emails=["luc@exemple.fr"]))
    second = create(world, person("Luc", "Morel", emails=["luc@exemple.fr"]))
    assert len(pairs(world)) == 1
    ok(world.delete(f"/contacts/{second['id']}"), 204)
    assert pairs(world) == []
    assert first["possible_duplicates"] == []


def test_reading_the_pairs_needs_a_writer_and_a_good_cursor(world: World) -> None:
    ok(world.get("/duplicates", role="lecteur"), 403)
    error_of(world.get("/duplicates?cursor=abc"), 400, "bad_request")
    for n in range(3):
        import_(world, [person("Luc", f"Morel{'x' * n}", emails=[f"luc{n}@exemple.fr"])] * 2)
    scan(world)
    first = ok(world.get("/duplicates?limit=2"))
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert len(pairs(world)) == 3
