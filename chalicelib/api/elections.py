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
election_api = api.resource("/elections/{election_id}", response=Election, errors=(404,))


def _json(entry: elections.CalendarEntry) -> dict[str, Any]:
    return election_json(entry.spec, entry.source, entry.stored)


@api.get("/elections", response=ElectionList)
def list_elections(ctx: Ctx) -> dict[str, Any]:
    """The election calendar: bundled reference, then deployment and tenant corrections"""
    return election_list_json([_json(entry) for entry in elections.list_elections(ctx.user)])


@api.post("/elections", body=ElectionCreate, response=Election, status=201, roles="admin", errors=(409, 422))
def create_election(ctx: Ctx) -> dict[str, Any]:
    """Add an election (admin; scope deployment for the operator's admins only), audited"""
    body = ctx.body(ElectionCreate)
    return _json(elections.create(ctx.user, election_doc(body), body.scope))


@api.get("/elections/windows", query=WindowsQuery, response=Page[ElectoralWindow], errors=(422,))
def list_windows(ctx: Ctx) -> dict[str, Any]:
    """Pre-electoral windows (L52-1, L52-4) of the tenant's territory: active on a day, or opening in 24 months"""
    windows = elections.windows(ctx.user.tenant_id, ctx.query(WindowsQuery).on)
    return whole_list([electoral_window_json(w) for w in windows])


@election_api.get()
def get_election(ctx: Ctx, election_id: str) -> dict[str, Any]:
    """One election of the calendar"""
    return _json(elections.get_election(ctx.user, election_id))


@election_api.patch(body=ElectionPatch, roles="admin", errors=(409, 422))
def patch_election(ctx: Ctx, election_id: str) -> dict[str, Any]:
    """Correct an election (admin; version 0 for a bundled entry not yet corrected), audited"""
    body = ctx.body(ElectionPatch)
    return _json(elections.patch(ctx.user, election_id, election_changes(body), body.scope, body.version))
