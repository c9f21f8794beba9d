"""The contact directory over HTTP: CRUD, PATCH semantics, references, custom fields,
exact pagination, search, the 360° view and the audit trail of reads."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest

from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from tests.support.faults import Fault, injected, transaction_conflict
from tests.support.responses import error_of, ok
from tests.support.world import CONTACT_FIELDS, World


def new_person(world: World, first: str | None, last: str, **fields: Any) -> dict[str, Any]:
    return ok(world.post("/contacts", {"kind": "person", "first_name": first, "last_name": last, **fields}), 201)


def new_organisation(world: World, name: str, **fields: Any) -> dict[str, Any]:
    return ok(world.post("/contacts", {"kind": "organisation", "organisation_name": name, **fields}), 201)


def search(world: World, query: str, **kw: Any) -> list[dict[str, Any]]:
    return ok(world.get(f"/contacts?{query}", **kw))["items"]


def names(items: list[dict[str, Any]]) -> list[str]:
    return [c["organisation_name"] or f"{c['first_name'] or ''} {c['last_name']}".strip() for c in items]


def all_pages(world: World, query: str) -> list[dict[str, Any]]:
    pages = []
    body = ok(world.get(f"/contacts?{query}"))
    pages.append(body)
    while body["next_cursor"]:
        body = ok(world.get(f"/contacts?{query}&cursor={body['next_cursor']}"))
        pages.append(body)
        assert len(pages) < 50
    return pages


# --- CRUD ---------------------------------------------------------------------------------------


def test_create_returns_the_full_contact(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    assert set(created) == CONTACT_FIELDS | {"possible_duplicates"}
    assert created.pop("possible_duplicates") == []  # the first of its name; the create response only
    assert created["version"] == 1
    assert len(created["id"]) == 26
    assert created["created_at"] == created["updated_at"]
    assert created["created_at"].endswith("Z")
    assert created["emails"] == ["Helene.Lefevre@exemple.fr"]
    assert created["phones"] == ["+33612345678"]
    assert created["tags"] == ["Riverain", "Vœux 2026"]
    assert created["address"] == {
        "lines": ["12 rue du Gros-Horloge"],
        "postcode": "76000",
        "city": "Rouen",
        "insee_code": "76540",
    }
    assert created["custom"] == {} and created["affiliations"] == [] and created["partner_contact_id"] is None
    view = ok(world.get(f"/contacts/{created['id']}"))
    assert view["contact"] == created


def test_create_organisation_and_person_with_honorific(world: World) -> None:
    org = new_organisation(world, "Préfecture de la Seine-Maritime", tags=["institution"])
    assert org["kind"] == "organisation" and org["last_name"] is None
    bishop = new_person(
        world,
        "Dominique",
        "Lebrun",
        civility="M",
        honorific="Monseigneur",
        address_form="traditional",
        nationality="FR",
    )
    assert (bishop["honorific"], bishop["address_form"], bishop["nationality"]) == (
        "Monseigneur",
        "traditional",
        "FR",
    )


def test_patch_replaces_given_fields_and_lists_whole(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", {**person, "interests": ["culture", "sport"]}), 201)
    patched = ok(
        world.patch(
            f"/contacts/{created['id']}",
            {"version": 1, "tags": ["Presse"], "emails": ["nouvelle@exemple.fr"], "first_name": "Hélèna"},
        )
    )
    assert patched["version"] == 2
    assert patched["tags"] == ["Presse"]
    assert patched["emails"] == ["nouvelle@exemple.fr"]
    assert patched["first_name"] == "Hélèna"
    # Fields not given are kept as they were.
    assert patched["phones"] == created["phones"]
    assert patched["interests"] == ["culture", "sport"]
    assert patched["address"] == created["address"]
    assert patched["created_at"] == created["created_at"]
    assert patched["updated_at"] >= created["updated_at"]
    # An empty list clears, null clears an optional field, and the stored record agrees.
    cleared = ok(world.patch(f"/contacts/{created['id']}", {"version": 2, "phones": [], "address": None}))
    assert cleared["phones"] == [] and cleared["address"] is None and cleared["version"] == 3
    assert ok(world.get(f"/contacts/{created['id']}"))["contact"] == cleared
    # The search index followed: old tag gone, new tag there, old first name gone.
    assert search(world, "tag=Riverain") == []
    assert [c["id"] for c in search(world, "tag=presse")] == [created["id"]]
    assert search(world, "q=helene") == []
    assert [c["id"] for c in search(world, "q=helena")] == [created["id"]]


def test_distinctions_are_stored_validated_and_patched_whole(world: World, person: dict[str, Any]) -> None:
    grand_officier = {"order": "legion_honneur", "grade": "grand_officier"}
    merite = {"order": "ordre_national_merite", "grade": "commandeur"}
    created = ok(world.post("/contacts", {**person, "distinctions": [grand_officier, merite]}), 201)
    assert created["distinctions"] == [grand_officier, merite]
    kept = ok(world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Hélèna"}))
    assert kept["distinctions"] == [grand_officier, merite]
    replaced = ok(world.patch(f"/contacts/{created['id']}", {"version": 2, "distinctions": [merite]}))
    assert replaced["distinctions"] == [merite]
    bad = world.patch(
        f"/contacts/{created['id']}", {"version": 3, "distinctions": [{"order": "liberation", "grade": "chevalier"}]}
    )
    assert bad.status_code == 422
    assert bad.json_body["error"]["details"][0]["field"] == "distinctions[0].grade"
    cleared = ok(world.patch(f"/contacts/{created['id']}", {"version": 3, "distinctions": []}))
    assert cleared["distinctions"] == [] and cleared["version"] == 4
    assert ok(world.get(f"/contacts/{created['id']}"))["contact"] == cleared


def test_a_record_stored_before_distinctions_existed_reads_with_none(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    item = contacts_store.ContactItem.get(world.tenants["ville"].id, created["id"])  # the stored item, rewritten
    assert item is not None
    item.doc = {k: v for k, v in item.doc.items() if k != "distinctions"}
    item.save()
    contact = ok(world.get(f"/contacts/{created['id']}"))["contact"]
    assert set(contact) == CONTACT_FIELDS and contact["distinctions"] == []


def test_patch_with_only_a_version_changes_nothing_but_the_version(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    del created["possible_duplicates"]  # the create response only
    patched = ok(world.patch(f"/contacts/{created['id']}", {"version": 1}))
    assert {k: v for k, v in patched.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in created.items() if k not in ("version", "updated_at")
    }


def test_patch_keeps_the_record_complete(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    del created["possible_duplicates"]  # the create response only
    response = world.patch(f"/contacts/{created['id']}", {"version": 1, "last_name": None})
    assert response.status_code == 422
    assert response.json_body["error"]["details"] == [
        {"field": "last_name", "message": "Le nom est obligatoire pour une personne."}
    ]
    response = world.patch(f"/contacts/{created['id']}", {"version": 1, "kind": "organisation"})
    assert response.status_code == 422
    assert {d["field"] for d in response.json_body["error"]["details"]} == {"organisation_name"}
    assert ok(world.get(f"/contacts/{created['id']}"))["contact"] == created


def test_version_is_required_and_stale_gives_409(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    missing = world.patch(f"/contacts/{created['id']}", {"first_name": "Anne"})
    assert missing.status_code == 422
    assert missing.json_body["error"]["details"] == [{"field": "version", "message": "Ce champ est obligatoire."}]
    ok(world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Anne"}))
    # A second writer still holding version 1 loses.
    stale = world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Marie"})
    assert stale.status_code == 409
    error = stale.json_body["error"]
    assert error["code"] == "conflict"
    assert error["details"] == [{"field": "version", "message": "Version actuelle : 2."}]
    future = world.patch(f"/contacts/{created['id']}", {"version": 5, "first_name": "Marie"})
    assert future.status_code == 409
    stored = ok(world.get(f"/contacts/{created['id']}"))["contact"]
    assert (stored["first_name"], stored["version"]) == ("Anne", 2)
    assert [c["first_name"] for c in search(world, "q=marie")] == []


def test_a_transaction_racing_on_the_contact_gives_409_and_changes_nothing(
    world: World, person: dict[str, Any]
) -> None:
    """Two writes of one contact at the same moment: DynamoDB cancels one transaction (TransactionConflict), which
    is the « modifié entre-temps » of an edit, not an error."""
    created = ok(world.post("/contacts", person), 201)
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        patched = world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Marie"})
    assert "modifié entre-temps" in error_of(patched, 409, "conflict")["message"]
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        deleted = world.delete(f"/contacts/{created['id']}")
    assert "modifié entre-temps" in error_of(deleted, 409, "conflict")["message"]
    stored = ok(world.get(f"/contacts/{created['id']}"))["contact"]
    assert (stored["first_name"], stored["version"]) == (person["first_name"], 1)


def test_deleting_a_contact_changed_meanwhile_gives_409_and_keeps_it(
    world: World, person: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services import contacts as contacts_service

    created = ok(world.post("/contacts", person), 201)
    load = contacts_service.load

    def load_then_edited(p: Any, contact_id: str) -> Any:
        read = load(p, contact_id)
        monkeypatch.setattr(contacts_service, "load", load)
        ok(world.patch(f"/contacts/{contact_id}", {"version": 1, "first_name": "Marie"}))  # another user's edit
        return read

    monkeypatch.setattr(contacts_service, "load", load_then_edited)
    assert "modifié entre-temps" in error_of(world.delete(f"/contacts/{created['id']}"), 409, "conflict")["message"]
    monkeypatch.undo()
    stored = ok(world.get(f"/contacts/{created['id']}"))["contact"]
    assert (stored["first_name"], stored["version"]) == ("Marie", 2)


def test_delete_then_404_everywhere(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    other = ok(world.post("/contacts", {**person, "first_name": "Paul"}), 201)
    world.interaction(created["id"], {"kind": "call", "date": "2026-11-02", "summary": "x"})
    deleted = world.delete(f"/contacts/{created['id']}")
    assert deleted.status_code == 204
    assert deleted.body in (b"", None)
    for response in (
        world.get(f"/contacts/{created['id']}"),
        world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "X"}),
        world.delete(f"/contacts/{created['id']}"),
        world.get(f"/contacts/{created['id']}/interactions"),
        world.post(f"/contacts/{created['id']}/interactions", {"kind": "call", "date": "2026-11-02", "summary": "x"}),
    ):
        assert response.status_code == 404, response.body
        assert response.json_body["error"]["code"] == "not_found"
    # Gone from every list and search, the other contact untouched.
    for query in ("", "q=lefevre", "tag=riverain", "kind=person"):
        assert [c["id"] for c in search(world, query)] == [other["id"]], query


# --- References and custom fields --------------------------------------------------------------


def test_partner_and_affiliations_are_validated(world: World) -> None:
    org = new_organisation(world, "Harmonie municipale")
    spouse = new_person(world, "Jean", "Martin")
    married = new_person(
        world,
        "Anne",
        "Martin",
        partner_contact_id=spouse["id"],
        affiliations=[{"organisation_id": org["id"], "role": "Cheffe de chœur", "start": "2020-09-01"}],
    )
    assert married["partner_contact_id"] == spouse["id"]
    assert married["affiliations"] == [
        {"organisation_id": org["id"], "role": "Cheffe de chœur", "start": "2020-09-01", "end": None}
    ]

    unknown = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    response = world.post(
        "/contacts",
        {
            "kind": "person",
            "last_name": "Durand",
            "partner_contact_id": org["id"],
            "affiliations": [
                {"organisation_id": org["id"]},
                {"organisation_id": unknown},
                {"organisation_id": spouse["id"]},
            ],
        },
    )
    assert response.status_code == 422
    assert response.json_body["error"]["details"] == [
        {"field": "partner_contact_id", "message": "Le conjoint doit être une personne."},
        {"field": "affiliations[1].organisation_id", "message": "Organisation introuvable."},
        {"field": "affiliations[2].organisation_id", "message": "Ce contact n'est pas une organisation."},
    ]
    response = world.patch(f"/contacts/{married['id']}", {"version": 1, "partner_contact_id": married["id"]})
    assert response.status_code == 422
    assert response.json_body["error"]["details"] == [
        {"field": "partner_contact_id", "message": "Un contact ne peut être son propre conjoint."}
    ]
    response = world.patch(f"/contacts/{married['id']}", {"version": 1, "partner_contact_id": unknown})
    assert response.json_body["error"]["details"] == [
        {"field": "partner_contact_id", "message": "Contact introuvable."}
    ]
    assert ok(world.get(f"/contacts/{married['id']}"))["contact"]["partner_contact_id"] == spouse["id"]
    assert [c["last_name"] for c in search(world, "q=durand")] == []


def test_custom_fields_are_checked_against_declarations(world: World) -> None:
    ok(
        world.post(
            "/fields", {"name": "quartier", "label": "Quartier", "type": "choice", "choices": ["Centre", "Nord"]}
        ),
        201,
    )
    ok(world.post("/fields", {"name": "enfants", "label": "Enfants", "type": "number"}), 201)
    ok(world.post("/fields", {"name": "arrivee", "label": "Arrivée", "type": "date"}), 201)
    ok(world.post("/fields", {"name": "lettre", "label": "Lettre", "type": "bool"}), 201)
    ok(world.post("/fields", {"name": "remarque", "label": "Remarque", "type": "text"}), 201)
    created = new_person(
        world,
        "Jean",
        "Dupont",
        custom={"quartier": "Nord", "enfants": 2, "arrivee": "2020-09-01", "lettre": True, "remarque": " ok "},
    )
    assert created["custom"] == {
        "quartier": "Nord",
        "enfants": 2,
        "arrivee": "2020-09-01",
        "lettre": True,
        "remarque": "ok",
    }
    response = world.post(
        "/contacts",
        {
            "kind": "person",
            "last_name": "X",
            "custom": {"quartier": "Sud", "enfants": "deux", "arrivee": "01/09/2020", "lettre": "oui", "age": 3},
        },
    )
    assert response.status_code == 422
    assert {d["field"]: d["message"] for d in response.json_body["error"]["details"]} == {
        "custom.quartier": "Valeur non autorisée ; valeurs possibles : Centre, Nord.",
        "custom.enfants": "Doit être un nombre.",
        "custom.arrivee": "Date invalide (format attendu AAAA-MM-JJ).",
        "custom.lettre": "Doit être vrai ou faux.",
        "custom.age": "Champ personnalisé non déclaré (voir /fields).",
    }
    # Numbers DynamoDB cannot hold are refused field by field, not with a 500.
    for value in (10**40, 1e300, 1e-300):
        response = world.patch(f"/contacts/{created['id']}", {"version": 1, "custom": {"enfants": value}})
        assert response.status_code == 422, value
        assert response.json_body["error"]["details"][0]["field"] == "custom.enfants"
    # PATCH replaces custom whole; null values clear.
    patched = ok(
        world.patch(f"/contacts/{created['id']}", {"version": 1, "custom": {"quartier": "Centre", "enfants": None}})
    )
    assert patched["custom"] == {"quartier": "Centre"}
    # A field deleted since does not block edits of other fields, but can no longer be written.
    assert world.delete("/fields/quartier").status_code == 204
    assert ok(world.patch(f"/contacts/{created['id']}", {"version": 2, "first_name": "Jeannot"}))["custom"] == {
        "quartier": "Centre"
    }
    response = world.patch(f"/contacts/{created['id']}", {"version": 3, "custom": {"quartier": "Nord"}})
    assert response.status_code == 422
    assert response.json_body["error"]["details"][0]["field"] == "custom.quartier"


# --- Pagination ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        pytest.param(7, [3, 3, 1], id="7-by-3"),
        pytest.param(6, [3, 3], id="6-by-3-no-empty-page"),
        pytest.param(3, [3], id="3-by-3-single-page"),
    ],
)
def test_pages_are_exact(world: World, count: int, sizes: list[int]) -> None:
    created = [new_person(world, "Jean", f"Dupont{n:02d}", tags=["riverain"]) for n in range(count)]
    new_person(world, "Autre", "Martin")  # not in the tag or word ranges
    for query in ("limit=3&tag=riverain", "limit=3&q=dupont", "limit=3&q=jean%20dupont"):
        pages = all_pages(world, query)
        assert [len(p["items"]) for p in pages] == sizes, query
        assert pages[-1]["next_cursor"] is None
        assert all(p["next_cursor"] for p in pages[:-1])
        seen = [c["id"] for p in pages for c in p["items"]]
        assert sorted(seen) == sorted(c["id"] for c in created), query
    everyone = all_pages(world, "limit=3")
    assert [len(p["items"]) for p in everyone] == [3] * ((count + 1) // 3) + (
        [(count + 1) % 3] if (count + 1) % 3 else []
    )
    # The plain list is in directory order: last name, then first name.
    listed = [c["last_name"] for p in everyone for c in p["items"]]
    assert listed == sorted(listed)


def test_default_and_maximum_limits(world: World) -> None:
    for n in range(3):
        new_person(world, None, f"Nom{n}")
    assert len(search(world, "")) == 3
    assert ok(world.get("/contacts?limit=100"))["next_cursor"] is None
    for bad in ("limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5"):
        response = world.get(f"/contacts?{bad}")
        assert response.status_code == 422, bad
        assert response.json_body["error"]["details"][0]["field"] == "limit"


def test_bad_cursor_gives_400(world: World) -> None:
    for n in range(3):
        new_person(world, "Jean", f"Dupont{n}")
    cursor = ok(world.get("/contacts?limit=1"))["next_cursor"]
    for bad in (
        "not-base64!",
        "eyJ9",
        "e30",
        quote(cursor[:-3]),
        cursor + "AAAA",
        quote(json.dumps({"k": {}, "f": "0"})),
        quote("\u00e9\u00e9"),
        "%00",
    ):
        response = world.get(f"/contacts?limit=1&cursor={bad}")
        assert response.status_code == 400, (bad, response.body)
        error = response.json_body["error"]
        assert error["code"] == "bad_request"
        assert error["details"] == [{"field": "cursor", "message": "Curseur invalide ou issu d'une autre recherche."}]
    too_long = world.get(f"/contacts?limit=1&cursor={'x' * 3000}")
    assert too_long.status_code == 422
    assert too_long.json_body["error"]["details"] == [{"field": "cursor", "message": "Au plus 2048 caractères."}]
    # A cursor belongs to its query: replayed against another search it is refused.
    for other in ("limit=1&q=jean", "limit=1&tag=x", "limit=1&kind=person"):
        response = world.get(f"/contacts?{other}&cursor={cursor}")
        assert response.status_code == 400, other
        assert response.json_body["error"]["code"] == "bad_request"


def test_forged_cursor_with_the_right_fingerprint_gives_400(world: World) -> None:
    """The fingerprint is no secret: a key outside the query's range must be refused, not sent to DynamoDB."""

    def forge(real: str, key: dict[str, Any]) -> str:
        data = json.loads(base64.urlsafe_b64decode(real + "=" * (-len(real) % 4)))
        return base64.urlsafe_b64encode(json.dumps({"k": key, "f": data["f"]}).encode()).decode().rstrip("=")

    for n in range(3):
        new_person(world, "Jean", f"Dupont{n}")
    tenant, other = world.tenants["ville"].id, world.tenants["liste"].id
    for query, good_key in (
        ("limit=1", {"pk": {"S": f"{tenant}#all"}, "sk": {"S": "a"}}),
        ("limit=1&q=dupont", {"pk": {"S": f"{tenant}#w#d"}, "sk": {"S": "dupont#0"}}),
    ):
        real = ok(world.get(f"/contacts?{query}"))["next_cursor"]
        # Control: the forging is right, a key inside the range is accepted.
        assert world.get(f"/contacts?{query}&cursor={forge(real, good_key)}").status_code == 200
        pk, sk = good_key["pk"]["S"], good_key["sk"]["S"]
        for key in (
            {"pk": {"S": pk}},
            {"sk": {"S": sk}},
            {},
            {"pk": {"S": pk}, "sk": {"S": sk}, "extra": {"S": "x"}},
            {"pk": {"S": pk.replace(tenant, other)}, "sk": {"S": sk}},
            {"pk": {"S": f"{tenant}#w#x"}, "sk": {"S": sk}},
            {"pk": {"S": pk}, "sk": {"N": "1"}},
        ):
            response = world.get(f"/contacts?{query}&cursor={forge(real, key)}")
            assert response.status_code == 400, (query, key, response.body)
            assert response.json_body["error"]["details"][0]["field"] == "cursor"
    real = ok(world.get("/contacts?limit=1&q=dupont"))["next_cursor"]
    outside_prefix = forge(real, {"pk": {"S": f"{tenant}#w#d"}, "sk": {"S": "durand#0"}})
    assert world.get(f"/contacts?limit=1&q=dupont&cursor={outside_prefix}").status_code == 400
    # The same holds for the other lists.
    world.drain_audit()
    for path, key in (
        ("/users?limit=1", {"tenant_id": {"S": other}, "user_id": {"S": "0"}}),
        ("/users?limit=1", {"tenant_id": {"S": tenant}}),
        ("/audit?limit=1", {"tenant_id": {"S": other}, "entry_id": {"S": "0"}}),
    ):
        real = ok(world.get(path))["next_cursor"]
        assert real, path
        response = world.get(f"{path}&cursor={forge(real, key)}")
        assert response.status_code == 400, (path, key, response.body)


# --- Search -------------------------------------------------------------------------------------


@pytest.fixture
def directory(world: World) -> dict[str, dict[str, Any]]:
    return {
        "helene": new_person(world, "Hélène", "Lefèvre-Dubois", tags=["Riverain"]),
        "jean_pierre": new_person(world, "Jean", "Pierre", tags=["Presse"]),
        "jp_hyphen": new_person(world, "Jean-Pierre", "Martin", tags=["Riverain"]),
        "jeanneau": new_person(world, "Jean", "Jeanneau", tags=["Riverain", "Presse"]),
        "oeuvray": new_person(world, "Loïc", "Œuvray"),
        "ndiaye": new_person(world, "Aurélie", "N'Diaye"),
        "restos": new_organisation(world, "Les Restos du Cœur", tags=["Riverain"]),
        "lefevre_org": new_organisation(world, "Lefèvre et fils"),
    }


# (case, query, contacts expected): one directory, many searches.
SEARCHES = [
    ("accents-and-two-words", "helene lefevre", {"helene"}),
    ("hyphenated-query", "jean-pierre", {"jean_pierre", "jp_hyphen"}),
    ("case-and-accents", "HÉLÈNE", {"helene"}),
    ("person-and-organisation", "Lefevre", {"helene", "lefevre_org"}),
    ("second-part-of-hyphenated-name", "dubois", {"helene"}),
    ("prefixes", "lef dub", {"helene"}),
    ("every-word-must-match", "helene martin", set()),
    ("no-duplicates-shared-prefix", "jean", {"jean_pierre", "jp_hyphen", "jeanneau"}),
    ("repeated-word", "jean jean", {"jean_pierre", "jp_hyphen", "jeanneau"}),
    ("ligature", "oeuvray", {"oeuvray"}),
    ("ligature-in-query", "œuv", {"oeuvray"}),
    ("apostrophe", "diaye", {"ndiaye"}),
    ("organisation-word", "coeur", {"restos"}),
    ("infix-is-not-a-match", "evre", set()),
    ("punctuation-only", "!!!", set()),
    ("emoji", "%F0%9F%8E%89", set()),
]


def test_search(world: World, directory: dict[str, dict[str, Any]]) -> None:
    for case, query, expected in SEARCHES:
        items = search(world, f"q={query.replace(' ', '%20')}")
        ids = [c["id"] for c in items]
        assert len(ids) == len(set(ids)), f"{case}: a contact is listed twice"
        assert set(ids) == {directory[k]["id"] for k in expected}, case


def test_search_with_tag_and_kind(world: World, directory: dict[str, dict[str, Any]]) -> None:
    def found(query: str) -> set[str]:
        ids = [c["id"] for c in search(world, query)]
        assert len(ids) == len(set(ids))
        return {k for k, v in directory.items() if v["id"] in ids}

    assert found("tag=riverain") == {"helene", "jp_hyphen", "jeanneau", "restos"}
    assert found("tag=RIVERAIN") == {"helene", "jp_hyphen", "jeanneau", "restos"}
    assert found("tag=presse") == {"jean_pierre", "jeanneau"}
    assert found("tag=inconnu") == set()
    assert found("kind=organisation") == {"restos", "lefevre_org"}
    assert found("kind=person") == set(directory) - {"restos", "lefevre_org"}
    assert found("q=jean&tag=riverain") == {"jp_hyphen", "jeanneau"}
    assert found("q=jean&tag=presse&kind=person") == {"jean_pierre", "jeanneau"}
    assert found("q=lefevre&kind=organisation") == {"lefevre_org"}
    assert found("tag=riverain&kind=organisation") == {"restos"}
    assert found("q=jean&kind=organisation") == set()
    # Pages stay exact under filters.
    pages = all_pages(world, "q=jean&tag=riverain&limit=1")
    assert [len(p["items"]) for p in pages] == [1, 1]


def test_search_follows_renames(world: World) -> None:
    created = new_person(world, "Jean", "Jeanneau")
    ok(world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Paul"}))
    assert [c["id"] for c in search(world, "q=jean")] == [created["id"]]  # still "Jeanneau"
    assert [c["id"] for c in search(world, "q=paul")] == [created["id"]]
    ok(world.patch(f"/contacts/{created['id']}", {"version": 2, "last_name": "Martin"}))
    assert search(world, "q=jean") == []
    assert search(world, "q=jeanneau") == []


# --- 360° view and audit ------------------------------------------------------------------------


def test_360_view(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    other = ok(world.post("/contacts", {**person, "first_name": "Autre"}), 201)
    for n in range(22):
        body: dict[str, Any] = {"kind": "call", "date": f"2026-10-{n + 1:02d}", "summary": f"Échange {n}"}
        if n in (3, 21):
            body["follow_up"] = {"title": f"Suite {n}", "due": f"2026-12-{n + 1:02d}"}
        world.interaction(created["id"], body)
    world.interaction(
        other["id"], {"kind": "visit", "date": "2026-10-01", "summary": "x", "follow_up": {"title": "Autre"}}
    )
    view = ok(world.get(f"/contacts/{created['id']}"))
    assert set(view) >= {"contact", "interactions", "open_tasks"}
    assert view["contact"]["id"] == created["id"]
    summaries = [i["summary"] for i in view["interactions"]]
    assert summaries == [f"Échange {n}" for n in range(21, 1, -1)]  # latest 20, newest first
    assert {i["contact_id"] for i in view["interactions"]} == {created["id"]}
    assert sorted(t["title"] for t in view["open_tasks"]) == ["Suite 21", "Suite 3"]
    assert {t["contact_id"] for t in view["open_tasks"]} == {created["id"]}
    admin = world.user("ville", "admin")
    first = view["interactions"][0]
    assert first["author"] == {"id": admin.user_id, "email": admin.email}
    assert first["task_id"] in {t["id"] for t in view["open_tasks"]}


def test_reading_a_contact_is_audited_through_the_queue(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    world.drain_audit()
    reader = world.user("ville", "communication")
    ok(world.get(f"/contacts/{created['id']}", role="communication"))
    bodies = world.drain_audit()
    queued = [entry for body in bodies for entry in json.loads(body)]
    assert [(e["action"], e["resource_id"], e["actor_id"]) for e in queued] == [("read", created["id"], reader.user_id)]
    entries = ok(world.get("/audit"))["items"]
    read = [e for e in entries if e["action"] == "read"]
    assert len(read) == 1
    assert read[0]["resource_type"] == "contact"
    assert read[0]["resource_id"] == created["id"]
    assert read[0]["actor_id"] == reader.user_id
    assert read[0]["actor_email"] == reader.email
    assert read[0]["at"].endswith("Z")
    creation = [e for e in entries if e["action"] == "create"]
    assert [(e["resource_id"], e["actor_email"]) for e in creation] == [(created["id"], world.user().email)]
    # Newest first.
    assert [e["action"] for e in entries] == ["read", "create"]


def test_writes_are_audited_and_so_are_listed_pages(world: World, person: dict[str, Any]) -> None:
    # A listed page returns full records (emails, phones, address, birth date): it is a read of personal data like
    # GET /contacts/{id}, and is audited too (it used to be asserted absent here: the hole this closes).
    created = ok(world.post("/contacts", person), 201)
    ok(world.patch(f"/contacts/{created['id']}", {"version": 1, "tags": ["Presse"], "first_name": "Anne"}))
    ok(world.get("/contacts"))
    ok(world.get("/contacts?q=anne"))
    ok(world.get("/contacts?q=personne"))  # an empty page reads nobody: nothing to record
    assert world.delete(f"/contacts/{created['id']}").status_code == 204
    world.patch(f"/contacts/{created['id']}", {"version": 2})  # 404: nothing happened, nothing recorded
    world.drain_audit()
    entries = ok(world.get("/audit"))["items"]
    assert [(e["action"], e["resource_id"]) for e in entries] == [
        ("delete", created["id"]),
        ("list", "page"),
        ("list", "page"),
        ("update", created["id"]),
        ("create", created["id"]),
    ]
    assert entries[1]["detail"] == {"ids": [created["id"]], "query": {"q": "anne"}}
    assert entries[2]["detail"] == {"ids": [created["id"]], "query": {}}
    assert entries[3]["detail"] == {"fields": ["first_name", "tags"]}


def test_each_listed_page_is_audited_through_the_queue(world: World) -> None:
    ids = [ok(world.post("/contacts", {"kind": "person", "last_name": f"Durand{n}"}), 201)["id"] for n in range(5)]
    world.drain_audit()
    reader = world.user("ville", "lecteur")
    pages, cursor = [], None
    while True:
        page = ok(world.get("/contacts?limit=2" + (f"&cursor={cursor}" if cursor else ""), role="lecteur"))
        pages.append([c["id"] for c in page["items"]])
        if not (cursor := page["next_cursor"]):
            break
    bodies = world.drain_audit()  # written asynchronously, through the audit queue like every read
    queued = [entry for body in bodies for entry in json.loads(body)]
    assert [(e["action"], e["actor_id"], e["detail"]["ids"]) for e in queued] == [
        ("list", reader.user_id, page) for page in pages
    ]
    assert sorted(i for page in pages for i in page) == sorted(ids)


def test_audit_message_redelivery_is_idempotent(world: World, person: dict[str, Any]) -> None:
    created = ok(world.post("/contacts", person), 201)
    bodies = world.drain_audit()
    event = world.client.events.generate_sqs_event(message_bodies=bodies, queue_name=get_settings().audit_queue_name)
    world.client.lambda_.invoke("write_audit", event)
    assert [e["resource_id"] for e in ok(world.get("/audit"))["items"]] == [created["id"]]
    # A bad message fails alone (partial batch response); the good one beside it is stored.
    good = json.dumps([{**json.loads(bodies[0])[0], "entry_id": "2000-01-01T00:00:00.000Z#X", "action": "read"}])
    mixed = world.client.events.generate_sqs_event(message_bodies=["{not json", good])
    mixed["Records"][0]["messageId"] = "bad-one"
    result = world.client.lambda_.invoke("write_audit", mixed)
    assert result.payload == {"batchItemFailures": [{"itemIdentifier": "bad-one"}]}
    assert [e["action"] for e in ok(world.get("/audit"))["items"]] == ["create", "read"]
