"""The OpenAPI document is exact: every status a route answers is declared with its body's media types (pages,
files, errors), non-JSON request bodies are described, `servers` names the stage's address, and the main create
bodies carry examples. The contract check (tests/support/contract.py) holds every test's responses to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from chalicelib.api import openapi
from chalicelib.settings import reset_settings, use_request_base_url
from tests.support.contract import ContractViolation, check, route_for
from tests.support.world import World

JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
ERROR = json.dumps({"error": {"code": "not_found", "message": "x", "details": []}}).encode()


@pytest.fixture
def document(world: World) -> dict[str, Any]:
    response = world.get("/openapi.json", headers={})
    assert response.status_code == 200, response.body
    return response.json_body


def test_a_status_the_route_does_not_declare_fails_the_contract() -> None:
    check("GET", "/events/X", 404, JSON, ERROR)
    with pytest.raises(ContractViolation, match="does not declare"):
        check("GET", "/events/X", 410, JSON, ERROR)
    with pytest.raises(ContractViolation, match="does not declare"):  # a success status other than the declared one
        check("POST", "/contacts", 200, JSON, b"{}")
    with pytest.raises(ContractViolation, match="does not declare"):  # no body does not excuse the status
        check("DELETE", "/contacts/X", 200, {}, b"")
    check("DELETE", "/contacts/X", 204, {}, b"")


def test_a_media_type_not_declared_for_the_status_fails_the_contract() -> None:
    page = b"<!doctype html><p>Lien introuvable</p>"
    check("GET", "/public/rsvp/abc", 404, HTML, page)
    check("GET", "/public/rsvp/abc", 200, HTML, page)
    with pytest.raises(ContractViolation, match="not declared"):  # the page answers HTML, never JSON
        check("GET", "/public/rsvp/abc", 200, JSON, b"{}")
    with pytest.raises(ContractViolation, match="not declared"):  # an authenticated route's 404 is JSON
        check("GET", "/events/X", 404, HTML, page)
    with pytest.raises(ContractViolation, match="not declared"):
        check("GET", "/events/X/badges", 200, {"Content-Type": "text/csv"}, b"a;b")
    check("GET", "/events/X/badges", 200, {"Content-Type": "application/pdf"}, b"%PDF-1.7")
    # The form's answer is a page; its JSON answer is checked against the model, as before.
    check("POST", "/public/rsvp/abc", 422, HTML, page)
    with pytest.raises(ContractViolation):
        check("POST", "/public/rsvp/abc", 200, JSON, json.dumps({"status": "accepted"}).encode())


def test_the_errors_of_the_route_kind_are_declared_once_by_the_wrapper() -> None:
    from chalicelib.api.http import declared_responses

    create = route_for("POST", "/contacts")
    assert create is not None
    assert set(declared_responses(create)) >= {201, 400, 401, 403, 413, 415, 422, 429}
    health = route_for("GET", "/health")
    assert health is not None
    assert set(declared_responses(health)) == {200, 429, 500}  # public, no body: nothing of the authenticated kind
    listing = route_for("GET", "/contacts")
    assert listing is not None and set(declared_responses(listing)) >= {400, 422}  # a bad cursor, a bad limit


def test_pages_files_and_errors_are_in_the_document(document: dict[str, Any]) -> None:
    paths = document["paths"]
    page = paths["/public/rsvp/{token}"]["get"]["responses"]
    assert set(page) >= {"200", "403", "404"}
    assert list(page["200"]["content"]) == ["text/html"] and list(page["404"]["content"]) == ["text/html"]
    answer = paths["/public/rsvp/{token}"]["post"]["responses"]
    assert set(answer["422"]["content"]) == {"application/json", "text/html"}
    assert answer["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/RsvpStatus"}
    assert answer["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    receipt = paths["/donations/{donation_id}/receipt"]["get"]["responses"]
    assert list(receipt["200"]["content"]) == ["application/pdf"]
    assert receipt["406"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    export = paths["/contacts/export"]["get"]["responses"]
    assert list(export["202"]["content"]) == ["application/json"]  # the job; the file itself is a 200
    assert set(export["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert list(paths["/public/rsvp/{token}/event.ics"]["get"]["responses"]["200"]["content"]) == ["text/calendar"]
    assert "content" not in paths["/contacts/{contact_id}"]["delete"]["responses"]["204"]


def test_request_bodies_other_than_json_are_described(document: dict[str, Any]) -> None:
    paths = document["paths"]
    schemas = document["components"]["schemas"]
    rne = paths["/imports/rne"]["post"]["requestBody"]
    assert rne["required"] is True
    assert list(rne["content"]) == ["text/csv"]
    assert rne["content"]["text/csv"]["schema"]["contentMediaType"] == "text/csv"
    assert "Répertoire national des élus" in rne["content"]["text/csv"]["schema"]["description"]
    contacts = paths["/imports/contacts"]["post"]["requestBody"]["content"]
    assert set(contacts) == {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    forms = {
        ("/public/rsvp/{token}", "RsvpForm"): {"response", "companion", "representative_name"},
        ("/public/unsubscribe/{token}", "UnsubscribeForm"): {"List-Unsubscribe", "action", "channel", "topic"},
        ("/public/consultations/{token}", "ConsultationForm"): {"consent", "site_web"},
        ("/public/privacy/{tenant_id}", "PrivacyRequestForm"): {"kind", "email", "name", "website"},
    }
    for (path, name), fields in forms.items():
        content = paths[path]["post"]["requestBody"]["content"]
        form = content["application/x-www-form-urlencoded"]["schema"]
        assert form == {"$ref": f"#/components/schemas/{name}"}, path
        assert set(schemas[name]["properties"]) >= fields, name
    rsvp = paths["/public/rsvp/{token}"]["post"]["requestBody"]["content"]
    assert rsvp["application/json"]["schema"] == {"$ref": "#/components/schemas/RsvpAnswer"}
    assert schemas["ConsultationForm"]["additionalProperties"] is True  # one field per question, named by its id


def test_the_form_fields_are_those_the_pages_post() -> None:
    """The form models document the templates' fields: a field renamed in a template fails here."""
    import re
    from pathlib import Path

    from chalicelib.schemas import forms

    templates = Path(__file__).resolve().parents[2] / "templates" / "public"
    pairs = {
        "rsvp.html": forms.RsvpForm,
        "unsubscribe.html": forms.UnsubscribeForm,
        "privacy_form.html": forms.PrivacyRequestForm,
        "consultation.html": forms.ConsultationForm,
    }
    for template, model in pairs.items():
        posted = set(re.findall(r'name="([A-Za-z_-]+)"', (templates / template).read_text()))
        documented = {field.alias or name for name, field in model.model_fields.items()}
        assert posted == documented, template


def test_servers_name_the_stage_address(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    document = world.get("/openapi.json", headers={}).json_body
    assert [s["url"] for s in document["servers"]] == ["http://127.0.0.1:8000"]  # the local stack's URL
    monkeypatch.setenv("AGORA_PUBLIC_BASE_URL", "")
    reset_settings()
    try:
        use_request_base_url("https://abc.execute-api.eu-west-3.amazonaws.com/api")
        assert openapi.servers()[0]["url"] == "https://abc.execute-api.eu-west-3.amazonaws.com/api"
        use_request_base_url(None)
        assert openapi.servers()[0]["url"] == "/"  # no address known: the paths start at the document's root
    finally:
        use_request_base_url(None)
        monkeypatch.undo()
        reset_settings()


@pytest.mark.parametrize("name", ["ContactCreate", "EventCreate", "CampaignCreate"])
def test_main_bodies_carry_examples_that_their_model_accepts(document: dict[str, Any], name: str) -> None:
    from chalicelib.schemas import campaigns, contacts, events

    model: type[BaseModel] = {
        "ContactCreate": contacts.ContactCreate,
        "EventCreate": events.EventCreate,
        "CampaignCreate": campaigns.CampaignCreate,
    }[name]
    examples = document["components"]["schemas"][name]["examples"]
    assert examples
    for example in examples:
        model.model_validate(example)
    assert "examples" not in document["components"]["schemas"].get("Contact", {})  # not inherited by the answer
