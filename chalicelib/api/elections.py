"""/elections: the election calendar, its corrections (admin, audited) and the tenant's pre-electoral windows."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.elections import (
    Election,
    ElectionCreate,
    ElectionList,
    ElectionPatch,
    ElectoralWindow,
    WindowsQuery,
    election_changes,
    election_doc,
    election_json,
    election_list_json,
    electoral_window_json,
)
from chalicelib.services import elections

api = Api(__name__, "elections")


def _json(entry: elections.CalendarEntry) -> dict[str, Any]:
    return election_json(entry.spec, entry.source, entry.stored)


@api.route(
    "/elections",
    "GET",
    summary="The election calendar: bundled reference, then deployment and tenant corrections",
    response=ElectionList,
)
def list_elections(ctx: Ctx) -> dict[str, Any]:
    return election_list_json([_json(entry) for entry in elections.list_elections(ctx.user)])


@api.route(
    "/elections",
    "POST",
    summary="Add an election (admin; scope deployment for the operator's admins only), audited",
    body=ElectionCreate,
    response=Election,
    status=201,
    roles="admin",
    errors=(409, 422),
)
def create_election(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body(ElectionCreate)
    return _json(elections.create(ctx.user, election_doc(body), body.scope))


@api.route(
    "/elections/windows",
    "GET",
    summary="Pre-electoral windows (L52-1, L52-4) of the tenant's territory: active on a day, or opening in 24 months",
    query=WindowsQuery,
    response=Page[ElectoralWindow],
    errors=(422,),
)
def list_windows(ctx: Ctx) -> dict[str, Any]:
    windows = elections.windows(ctx.user.tenant_id, ctx.query(WindowsQuery).on)
    return whole_list([electoral_window_json(w) for w in windows])


@api.route("/elections/{election_id}", "GET", summary="One election of the calendar", response=Election, errors=(404,))
def get_election(ctx: Ctx, election_id: str) -> dict[str, Any]:
    return _json(elections.get_election(ctx.user, election_id))


@api.route(
    "/elections/{election_id}",
    "PATCH",
    summary="Correct an election (admin; version 0 for a bundled entry not yet corrected), audited",
    body=ElectionPatch,
    response=Election,
    roles="admin",
    errors=(404, 409, 422),
)
def patch_election(ctx: Ctx, election_id: str) -> dict[str, Any]:
    body = ctx.body(ElectionPatch)
    return _json(elections.patch(ctx.user, election_id, election_changes(body), body.scope, body.version))
