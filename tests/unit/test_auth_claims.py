"""The principal from Cognito ID-token claims (tenant, kind, roles): the same object
whether API Gateway's authorizer or the app itself verified the token."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.http import require_role
from chalicelib.auth import (
    GROUPS_CLAIM,
    KIND_CLAIM,
    TENANT_CLAIM,
    Principal,
    authenticate,
    principal_from_claims,
    require_confidential,
)
from chalicelib.errors import Forbidden, Unauthorized
from chalicelib.settings import Settings

BASE = {TENANT_CLAIM: "t-ville", KIND_CLAIM: "institution", "sub": "u-1", "email": "jean@ville.test"}


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        pytest.param(["admin", "lecteur"], {"admin", "lecteur"}, id="list-from-id-token"),
        pytest.param("admin,lecteur", {"admin", "lecteur"}, id="comma-string-api-gateway"),
        pytest.param("admin, lecteur", {"admin", "lecteur"}, id="comma-space-string"),
        pytest.param("[admin lecteur]", {"admin", "lecteur"}, id="bracketed-string-api-gateway"),
        pytest.param("[protocole]", {"protocole"}, id="bracketed-single"),
        pytest.param("cabinet", {"cabinet"}, id="single-string"),
        pytest.param(["admin", "superuser", "Admin"], {"admin"}, id="unknown-groups-dropped"),
        pytest.param("[]", set(), id="empty-brackets"),
        pytest.param("", set(), id="empty-string"),
        pytest.param(None, set(), id="absent"),
        pytest.param(42, set(), id="wrong-type"),
        pytest.param([1, None], set(), id="list-of-non-strings"),
    ],
)
def test_groups_become_roles(groups: Any, roles: set[str]) -> None:
    claims = {**BASE, GROUPS_CLAIM: groups} if groups is not None else dict(BASE)
    assert principal_from_claims(claims).roles == frozenset(roles)


def test_principal_fields() -> None:
    p = principal_from_claims({**BASE, GROUPS_CLAIM: ["communication"]})
    assert p == Principal("t-ville", "institution", "u-1", "jean@ville.test", frozenset({"communication"}))


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        pytest.param({TENANT_CLAIM: "t-1"}, ("t-1", "institution", "", ""), id="defaults"),
        pytest.param(
            {TENANT_CLAIM: "t-1", KIND_CLAIM: "political", "cognito:username": "u-9"},
            ("t-1", "political", "u-9", ""),
            id="username-when-no-sub",
        ),
        pytest.param(
            {TENANT_CLAIM: "t-1", "sub": "s", "cognito:username": "u"}, ("t-1", "institution", "s", ""), id="sub-first"
        ),
    ],
)
def test_principal_defaults(claims: dict[str, Any], expected: tuple[str, str, str, str]) -> None:
    p = principal_from_claims(claims)
    assert (p.tenant_id, p.tenant_kind, p.user_id, p.email) == expected


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": "u-1"}, id="no-tenant"),
        pytest.param({TENANT_CLAIM: "", "sub": "u-1"}, id="empty-tenant"),
        pytest.param({TENANT_CLAIM: ["t-1"], "sub": "u-1"}, id="list-tenant"),
        pytest.param({TENANT_CLAIM: 7, "sub": "u-1"}, id="number-tenant"),
    ],
)
def test_a_user_without_tenant_is_unauthorized(claims: dict[str, Any]) -> None:
    with pytest.raises(Unauthorized) as caught:
        principal_from_claims(claims)
    assert caught.value.status == 401
    assert caught.value.code == "unauthorized"


@pytest.mark.parametrize(
    ("role", "writer", "confidential", "admin"),
    [
        pytest.param("admin", True, True, True, id="admin"),
        pytest.param("cabinet", True, True, False, id="cabinet"),
        pytest.param("protocole", True, True, False, id="protocole"),
        pytest.param("communication", True, False, False, id="communication"),
        pytest.param("lecteur", False, False, False, id="lecteur-reads-only"),
    ],
)
def test_role_rules(role: str, writer: bool, confidential: bool, admin: bool) -> None:
    p = principal_from_claims({**BASE, GROUPS_CLAIM: [role]})
    assert (p.can_write, p.can_see_confidential, p.is_admin) == (writer, confidential, admin)
    checks = (
        (writer, lambda p: require_role(p, "write")),  # the route wrapper's check (chalicelib/api/http.py)
        (confidential, require_confidential),
        (admin, lambda p: require_role(p, "admin")),
    )
    for allowed, check in checks:
        if allowed:
            check(p)
        else:
            with pytest.raises(Forbidden):
                check(p)


def test_lecteur_with_another_role_gets_the_union() -> None:
    p = principal_from_claims({**BASE, GROUPS_CLAIM: "lecteur,protocole"})
    assert p.can_write and p.can_see_confidential and not p.is_admin


def test_no_role_at_all_reads_only() -> None:
    p = principal_from_claims(dict(BASE))
    assert not p.can_write and not p.can_see_confidential and not p.is_admin


def test_in_aws_the_authorizer_claims_are_used_as_they_come() -> None:
    """API Gateway's Cognito authorizer flattens list claims to strings."""
    settings = Settings(stage="prod", user_pool_id="pool", user_pool_client_id="client")
    context = {"authorizer": {"claims": {**BASE, GROUPS_CLAIM: "[admin cabinet]"}}}
    p = authenticate({}, context, settings)
    assert p.tenant_id == "t-ville" and p.roles == frozenset({"admin", "cabinet"})
    with pytest.raises(Unauthorized):
        authenticate({"authorization": "Bearer forged"}, {}, settings)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="absent"),
        pytest.param("", id="empty"),
        pytest.param("Bearer", id="scheme-only"),
        pytest.param("Bearer    ", id="blank-token"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic"),
        pytest.param("Token abc", id="other-scheme"),
    ],
)
def test_local_stage_needs_a_bearer_header(header: str | None) -> None:
    settings = Settings(stage="local", user_pool_id="pool", user_pool_client_id="client")
    headers = {} if header is None else {"authorization": header}
    with pytest.raises(Unauthorized, match="Authorization: Bearer"):
        authenticate(headers, {"authorizer": {"claims": BASE}}, settings)
