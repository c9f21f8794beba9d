"""CORS for the hosted frontend: preflights answered for every route, the allowed origin echoed, others never."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from chalicelib.settings import Settings, reset_settings
from tests.support.world import World

FRONTEND = "https://crm.ville-demo.fr"
DEV_SERVER = "http://localhost:5173"


@pytest.fixture
def origins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AGORA_CORS_ORIGINS", f"{FRONTEND},{DEV_SERVER}")
    reset_settings()
    yield
    monkeypatch.delenv("AGORA_CORS_ORIGINS")
    reset_settings()


def preflight(world: World, path: str, origin: str, method: str = "GET") -> object:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return world.client.http.request("OPTIONS", path, headers=headers, body=b"")


def test_a_preflight_from_an_allowed_origin_gets_what_the_route_allows(world: World, origins: None) -> None:
    response = preflight(world, "/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV", FRONTEND, "PATCH")
    assert response.status_code == 204
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == FRONTEND
    assert set(headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "PATCH", "DELETE", "OPTIONS"}
    assert set(headers["Access-Control-Allow-Headers"].split(", ")) == {
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "If-Match",
    }
    assert int(headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in headers["Vary"]


def test_every_route_answers_its_preflight_without_a_token(world: World, origins: None) -> None:
    from app import app

    paths = [p for p in app.routes if not re.fullmatch(r"(/\{fallback\d+\})+", p)]
    assert len(paths) > 40
    for path in paths:
        concrete = re.sub(r"{\w+}", "01ARZ3NDEKTSV4RRFFQ69G5FAV", path)
        response = preflight(world, concrete, DEV_SERVER)
        assert response.status_code == 204, (path, response.body)
        assert response.headers["Access-Control-Allow-Origin"] == DEV_SERVER, path


def test_an_origin_not_listed_gets_no_cors_header(world: World, origins: None) -> None:
    for origin in ("https://evil.example", "https://crm.ville-demo.fr.evil.example", "null", FRONTEND + "/"):
        answer = preflight(world, "/contacts", origin)
        assert answer.status_code == 403
        assert "Access-Control-Allow-Origin" not in answer.headers
        listed = world.get("/contacts", headers={**world.headers(), "Origin": origin})
        assert listed.status_code == 200
        assert "Access-Control-Allow-Origin" not in listed.headers
        assert "Origin" in listed.headers["Vary"]


def test_answers_echo_the_allowed_origin_errors_included(world: World, origins: None) -> None:
    ok = world.get("/contacts", headers={**world.headers(), "Origin": FRONTEND})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert ok.headers["Access-Control-Expose-Headers"] == "Location, Retry-After, Content-Disposition"
    unauthenticated = world.get("/contacts", headers={"Origin": FRONTEND})
    assert unauthenticated.status_code == 401  # the frontend can read why, and send the user to log in
    assert unauthenticated.headers["Access-Control-Allow-Origin"] == FRONTEND
    missing = world.get("/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV", headers={**world.headers(), "Origin": FRONTEND})
    assert missing.status_code == 404 and missing.headers["Access-Control-Allow-Origin"] == FRONTEND
    public = world.get("/health", headers={"Origin": DEV_SERVER})
    assert public.headers["Access-Control-Allow-Origin"] == DEV_SERVER


def test_no_origin_is_allowed_by_default(world: World) -> None:
    assert preflight(world, "/contacts", DEV_SERVER).status_code == 403
    answer = world.get("/contacts", headers={**world.headers(), "Origin": DEV_SERVER})
    assert "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.parametrize(
    "value", ["*", "https://crm.ville-demo.fr/", "crm.ville-demo.fr", "https://crm.ville-demo.fr/app", "ftp://x.fr"]
)
def test_a_setting_that_is_not_a_list_of_origins_refuses_to_start(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGORA_CORS_ORIGINS", value)
    with pytest.raises(ValidationError, match="AGORA_CORS_ORIGINS"):
        Settings()
