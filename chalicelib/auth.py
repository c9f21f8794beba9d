"""The principal (tenant, user, roles) from Cognito ID-token claims, and role checks.

In AWS, API Gateway's Cognito authorizer has verified the token and hands its claims in the
request context. In the `local` stage nothing has: chalice local and the test client do not run
Cognito authorizers (Chalice's LocalGatewayAuthorizer decodes the token without checking its
signature, and admits a request without one: « CognitoUserPoolAuthorizer is not a supported in
local mode »). So the app verifies the token itself: RS256 signature against the pool's JWKS,
issuer (the pool), audience (the app client), expiry, and `token_use == "id"` (local_auth.py,
imported only on that stage). Both paths produce the same Principal.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.roles import ALL_ROLES, can_see_confidential, can_write, is_admin
from chalicelib.errors import Forbidden, Unauthorized
from chalicelib.settings import Settings, get_settings

TENANT_CLAIM = "custom:tenant_id"
KIND_CLAIM = "custom:tenant_kind"
GROUPS_CLAIM = "cognito:groups"


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    tenant_kind: str
    user_id: str
    email: str
    roles: frozenset[str]

    @property
    def can_write(self) -> bool:
        return can_write(self.roles)

    def as_requester(self) -> dict[str, Any]:
        """Who asked, stored with a background job so that the job acts with the same tenant and rights."""
        return {
            "user_id": self.user_id,
            "email": self.email,
            "roles": sorted(self.roles),
            "tenant_kind": self.tenant_kind,
        }

    @classmethod
    def from_requester(cls, tenant_id: str, by: dict[str, Any]) -> Principal:
        return cls(tenant_id, by["tenant_kind"], by["user_id"], by.get("email") or "", frozenset(by["roles"]))

    @property
    def can_see_confidential(self) -> bool:
        return can_see_confidential(self.roles)

    @property
    def is_admin(self) -> bool:
        return is_admin(self.roles)


_current: ContextVar[Principal | None] = ContextVar("agora_principal", default=None)


def set_current(principal: Principal | None) -> None:
    _current.set(principal)


def current() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthorized("Authentification requise.")
    return principal


def current_or_none() -> Principal | None:
    return _current.get()


def require_confidential(p: Principal) -> None:
    if not p.can_see_confidential:
        raise Forbidden(
            "Les informations protocolaires confidentielles sont réservées au protocole, au cabinet "
            "et aux administrateurs."
        )


def _groups(value: Any) -> frozenset[str]:
    """API Gateway flattens list claims to strings ("admin,lecteur" or "[admin lecteur]")."""
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.strip("[]").replace(",", " ").split()
    else:
        items = []
    return frozenset(str(g) for g in items if str(g) in ALL_ROLES)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    tenant_id = claims.get(TENANT_CLAIM)
    if not tenant_id or not isinstance(tenant_id, str):
        raise Unauthorized("Ce compte n'est rattaché à aucun espace.")
    return Principal(
        tenant_id=tenant_id,
        tenant_kind=str(claims.get(KIND_CLAIM) or "institution"),
        user_id=str(claims.get("sub") or claims.get("cognito:username") or ""),
        email=str(claims.get("email") or ""),
        roles=_groups(claims.get(GROUPS_CLAIM)),
    )


def authenticate(headers: Any, request_context: dict[str, Any], settings: Settings | None = None) -> Principal:
    settings = settings or get_settings()
    if settings.verifies_tokens_itself:
        value = headers.get("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Authentification requise : en-tête « Authorization: Bearer <IdToken> ».")
        from chalicelib import local_auth  # the local stage only: its JWT libraries are not in the Lambda package

        return principal_from_claims(local_auth.verify_id_token(token.strip(), settings))
    claims = (request_context.get("authorizer") or {}).get("claims")
    if not claims:
        raise Unauthorized("Authentification requise.")
    return principal_from_claims(claims)
