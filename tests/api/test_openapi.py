"""API documentation: /openapi.json is OpenAPI 3.1 built from the pydantic models and
routes, and lists every route; /docs serves Swagger UI from an installed package's assets."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.support.world import World


@pytest.fixture
def document(world: World) -> dict[str, Any]:
    response = world.get("/openapi.json", headers={})
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json_body


def app_routes() -> set[tuple[str, str]]:
    from app import app

    return {
        (path, method.lower())
        for path, methods in app.routes.items()
        if not re.fullmatch(r"(/\{fallback\d+\})+", path)
        for method in methods
        if method != "OPTIONS"  # CORS preflights, answered for every path (api/cors.py), are not operations
    }


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_validator_would_catch_a_broken_document(document: dict[str, Any]) -> None:
    """Control: the validation above is not vacuous."""
    broken = {**document, "paths": {"/contacts": {"get": {"responses": "not-an-object"}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_route_and_method_is_documented(document: dict[str, Any]) -> None:
    routes = app_routes()
    assert ("/contacts", "post") in routes and ("/contacts/{contact_id}", "patch") in routes
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    missing = routes - documented
    assert not missing, f"routes missing from /openapi.json: {sorted(missing)}"
    phantom = documented - routes
    assert not phantom, f"documented routes the app does not have: {sorted(phantom)}"
    assert not any("fallback" in path for path in document["paths"])


def test_operations_describe_bodies_errors_and_security(document: dict[str, Any]) -> None:
    paths = document["paths"]
    schemas = document["components"]["schemas"]
    create = paths["/contacts"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref == "#/components/schemas/ContactCreate"
    assert set(schemas["ContactCreate"]["properties"]) >= {"kind", "emails", "phones", "address", "custom"}
    assert "201" in create["responses"] and "422" in create["responses"]
    assert create["security"] == [{"cognito": []}]
    assert paths["/health"]["get"]["security"] == []
    assert paths["/contacts/{contact_id}"]["patch"]["responses"].keys() >= {"200", "401", "403", "404", "409", "422"}
    assert paths["/contacts/{contact_id}"]["delete"]["responses"].keys() >= {"204", "404"}
    parameters = {p["name"]: p for p in paths["/contacts"]["get"]["parameters"]}
    assert set(parameters) >= {"limit", "cursor", "q", "tag", "kind"}
    assert all(p["in"] == "query" for p in parameters.values())
    assert parameters["limit"]["schema"]["maximum"] == 100
    path_parameters = paths["/contacts/{contact_id}"]["get"]["parameters"]
    assert path_parameters[0] == {"name": "contact_id", "in": "path", "required": True, "schema": {"type": "string"}}
    error = schemas["ErrorResponse"]
    assert error["properties"]["error"]["$ref"] == "#/components/schemas/ErrorInfo"
    assert set(schemas["ErrorInfo"]["properties"]) == {"code", "message", "details"}
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    refs: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    refs.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    names = set(document["components"]["schemas"])
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in names, ref


def test_swagger_ui_is_served_from_installed_assets(world: World) -> None:
    page = world.get("/docs", headers={})
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert 'src="docs/swagger-ui-bundle.js"' in html
    assert 'href="docs/swagger-ui.css"' in html
    assert 'url: "openapi.json"' in html
    assert "https://" not in html and "http://" not in html  # nothing fetched from the internet

    bundle = world.get("/docs/swagger-ui-bundle.js", headers={})
    assert bundle.status_code == 200
    assert bundle.headers["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in bundle.body
    assert len(bundle.body) > 100_000
    css = world.get("/docs/swagger-ui.css", headers={})
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    unknown = world.get("/docs/secrets.txt", headers={})
    assert unknown.status_code == 404
    assert unknown.json_body["error"]["code"] == "not_found"


def test_the_test_client_checks_every_response_against_its_declared_model() -> None:
    """tests/support/contract.py runs on every World request: drift from the declared models fails the test."""
    from tests.support.contract import ContractViolation, check

    headers = {"Content-Type": "application/json"}
    good = {"status": "accepted", "message": "Merci."}
    check("POST", "/public/rsvp/abc", 200, headers, json.dumps(good).encode())
    for bad in ({**good, "extra": 1}, {"status": "accepted"}, {**good, "status": None}):
        with pytest.raises(ContractViolation):
            check("POST", "/public/rsvp/abc", 200, headers, json.dumps(bad).encode())
    with pytest.raises(ContractViolation):  # errors have one shape
        check("GET", "/events/X", 404, headers, json.dumps({"message": "introuvable"}).encode())
    check("GET", "/events/X", 404, headers, json.dumps({"error": {"code": "not_found", "message": "x"}}).encode())


def test_every_list_route_answers_the_one_list_shape() -> None:
    """{"items": [...], "next_cursor": ... | null}: no route answers a bare list."""
    import typing

    from chalicelib.api.routes import all_routes

    bare = [f"{r.method} {r.path}" for r in all_routes() if typing.get_origin(r.response) is list]
    assert bare == []
