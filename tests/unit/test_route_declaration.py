"""How a route's declaration combines what its module and its resource share (api/http.py `Api`): the OpenAPI
document, the role checks and the contract tests all read the result, so a wrong merge would misstate every route
of a module at once."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from chalicelib.api import http
from chalicelib.api.http import Api, Ctx, RouteDoc


class One(BaseModel):
    name: str


class Other(BaseModel):
    count: int


@pytest.fixture(autouse=True)
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The routes declared here stay out of the app's registry (the manifest test reads it)."""
    monkeypatch.setattr(Api, "registry", [])
    monkeypatch.setattr(Api, "views", {})
    monkeypatch.setattr(http, "_PREFLIGHT_PATHS", set())


def _declared(method: str, path: str) -> RouteDoc:
    return next(doc for doc in Api.registry if (doc.method, doc.path) == (method, path))


def test_a_resource_route_adds_its_path_and_errors_to_what_the_module_and_resource_share() -> None:
    api = Api("declaration_test", "things", roles="write", errors=(403,))
    thing = api.resource("/things/{thing_id}", response=One, errors=(404,))

    @thing.get()
    def get_thing(ctx: Ctx, thing_id: str) -> dict[str, Any]:
        """One thing"""
        return {}

    @thing.post("/count", response=Other, roles="admin", errors=(409, 422, 404))
    def count_thing(ctx: Ctx, thing_id: str) -> dict[str, Any]:
        """Count the thing's parts;
        the count is kept.

        Not in the summary: the rest of the docstring is for readers of the code."""
        return {}

    got = _declared("GET", "/things/{thing_id}")
    assert (got.response, got.roles, got.errors, got.summary, got.tag) == (
        One,
        "write",
        (403, 404),
        "One thing",
        "things",
    )
    counted = _declared("POST", "/things/{thing_id}/count")
    assert (counted.response, counted.roles, counted.errors) == (Other, "admin", (403, 404, 409, 422))
    assert counted.summary == "Count the thing's parts; the count is kept."
    assert counted.name == "count_thing" and counted.module == __name__
    assert set(Api.views) == {("GET", "/things/{thing_id}"), ("POST", "/things/{thing_id}/count")}


def test_a_route_can_answer_no_model_where_its_resource_answers_one() -> None:
    api = Api("declaration_test", "things")
    thing = api.resource("/things/{thing_id}", response=One)

    @thing.delete(status=204)
    def delete_thing(ctx: Ctx, thing_id: str) -> None:
        """Delete the thing"""

    @thing.get("/file", response=None, answers={200: ("text/csv",)})
    def thing_file(ctx: Ctx, thing_id: str) -> None:
        """The thing as a file"""

    assert _declared("DELETE", "/things/{thing_id}").response is One
    assert _declared("GET", "/things/{thing_id}/file").response is None
    assert http.declared_responses(_declared("GET", "/things/{thing_id}/file"))[200] == ("text/csv",)


def test_a_public_module_routes_have_no_role_and_no_authentication_errors() -> None:
    api = Api("declaration_test", "public", public=True)

    @api.get("/public/things/{token}", errors=(404,))
    def thing_page(ctx: Ctx, token: str) -> None:
        """A thing's public page"""

    page = _declared("GET", "/public/things/{token}")
    assert (page.public, page.roles) == (True, "any")
    assert 401 not in http.declared_responses(page)


def test_a_route_without_a_summary_or_with_a_role_it_cannot_have_is_refused() -> None:
    api = Api("declaration_test", "things")

    def undocumented(ctx: Ctx) -> None:
        pass

    with pytest.raises(ValueError, match="docstring"):
        api.get("/things")(undocumented)
    with pytest.raises(ValueError, match="roles must be one of"):
        api.get("/things", roles="owner")
    with pytest.raises(ValueError, match="a public route has no role"):
        Api("declaration_test", "public", public=True).get("/public/things", roles="admin")
    assert Api.registry == []
