"""Tenant administrators manage their users: identities in Cognito, the tenant's directory in DynamoDB.

Cognito holds the password and the groups (roles, which the ID token carries); the users
table lists a tenant's users, which Cognito cannot filter by custom attribute.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import aws
from chalicelib.auth import KIND_CLAIM, TENANT_CLAIM, Principal
from chalicelib.domain.roles import Role
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.common import ListQuery
from chalicelib.schemas.tenancy import UserCreate, UserPatch
from chalicelib.services import audit
from chalicelib.settings import get_settings
from chalicelib.store import cursors, users
from chalicelib.store.base import now_iso


def temporary_password() -> str:
    """Meets Cognito's default policy: 8+ chars with upper, lower, digit and symbol."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(14))
    return f"{core}Aa1!"


def _pool() -> str:
    return get_settings().user_pool_id


def list_users(p: Principal, query: ListQuery) -> dict[str, Any]:
    items, next_cursor = cursors.page_of(
        lambda start, limit: users.query_page(p.tenant_id, start, limit),
        lambda u: {"tenant_id": {"S": u.tenant_id}, "user_id": {"S": u.user_id}},
        query.cursor,
        query.limit,
        cursors.fingerprint(p.tenant_id, "users"),
        lambda k: k.keys() == {"tenant_id", "user_id"} and k["tenant_id"] == p.tenant_id,
    )
    return {"items": [users.to_json(u) for u in items], "next_cursor": next_cursor}


def create_cognito_user(
    tenant_id: str, tenant_kind: str, email: str, roles: list[str], password: str | None, *, invite: bool
) -> str:
    """Create the identity and its groups; returns the Cognito `sub`."""
    cognito = aws.cognito()
    kwargs: dict[str, Any] = {
        "UserPoolId": _pool(),
        "Username": email,
        "UserAttributes": [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": TENANT_CLAIM, "Value": tenant_id},
            {"Name": KIND_CLAIM, "Value": tenant_kind},
        ],
    }
    if invite:
        kwargs["DesiredDeliveryMediums"] = ["EMAIL"]
    else:
        kwargs["MessageAction"] = "SUPPRESS"
    if password:
        kwargs["TemporaryPassword"] = password
    try:
        created = cognito.admin_create_user(**kwargs)["User"]
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        if code in ("UsernameExistsException", "AliasExistsException"):
            raise Conflict(
                "Un compte existe déjà avec cette adresse.", [{"field": "email", "message": "Adresse déjà utilisée."}]
            ) from exc
        if code == "InvalidParameterException":  # an address email-validator accepts and Cognito does not (josé@…)
            message = "Adresse refusée par le service d'authentification : utilisez une adresse sans accent ni espace."
            raise ValidationFailed([{"field": "email", "message": message}]) from exc
        raise
    sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    for role in roles:
        cognito.admin_add_user_to_group(UserPoolId=_pool(), Username=email, GroupName=role)
    return str(sub)


def create_user(p: Principal, data: UserCreate) -> dict[str, Any]:
    # Locally no invitation email leaves the machine: the admin gets the temporary password instead.
    local = get_settings().stage == "local"
    password = temporary_password() if local else None
    email = str(data.email)
    roles: list[str] = sorted(set(data.roles))
    sub = create_cognito_user(p.tenant_id, p.tenant_kind, email, roles, password, invite=not local)
    at = now_iso()
    item = users.UserItem(
        p.tenant_id,
        sub,
        email=email,
        roles=roles,
        first_name=data.first_name,
        last_name=data.last_name,
        enabled=True,
        created_at=at,
        updated_at=at,
    )
    try:
        item.save()
    except Exception:
        # Compensate: an identity without its directory entry would be invisible to the admins.
        aws.cognito().admin_delete_user(UserPoolId=_pool(), Username=email)
        raise
    audit.record(p, "create", "user", sub, {"roles": roles})
    return {**users.to_json(item), "temporary_password": password}


def load(p: Principal, user_id: str) -> users.UserItem:
    item = users.get(p.tenant_id, user_id) if len(user_id) <= 64 else None
    if item is None:
        raise NotFound("Utilisateur introuvable.")
    return item


def get_user(p: Principal, user_id: str) -> dict[str, Any]:
    return users.to_json(load(p, user_id))


def _owned_identity(p: Principal, item: users.UserItem) -> bool:
    """Whether the Cognito identity the entry names is this tenant's user: its own custom:tenant_id and sub. False
    when it is gone. An entry naming another tenant's identity (stale after a failed deletion, the address reused
    elsewhere) must never let this tenant's admin change or delete that identity."""
    try:
        found = aws.cognito().admin_get_user(UserPoolId=_pool(), Username=item.email)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "UserNotFoundException":
            return False
        raise
    attributes = {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])}
    return attributes.get(TENANT_CLAIM) == p.tenant_id and attributes.get("sub") == item.user_id


def _identity_exists(email: str) -> bool:
    try:
        aws.cognito().admin_get_user(UserPoolId=_pool(), Username=email)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "UserNotFoundException":
            return False
        raise
    return True


def _other_enabled_admins(p: Principal, user_id: str) -> int:
    return sum(1 for u in users.all_for(p.tenant_id) if u.user_id != user_id and u.enabled and Role.ADMIN in u.roles)


def patch_user(p: Principal, item: users.UserItem, patch: UserPatch) -> dict[str, Any]:
    if not _owned_identity(p, item):
        raise NotFound("Utilisateur introuvable.")
    changes = patch.model_fields_set
    new_roles: list[str] = sorted(set(patch.roles)) if patch.roles is not None else list(item.roles)
    enabled = patch.enabled if patch.enabled is not None else item.enabled
    loses_admin = Role.ADMIN in item.roles and (Role.ADMIN not in new_roles or not enabled)
    if loses_admin and _other_enabled_admins(p, item.user_id) == 0:
        raise Conflict("L'espace doit garder au moins un administrateur actif.")
    cognito = aws.cognito()
    for role in set(new_roles) - set(item.roles):
        cognito.admin_add_user_to_group(UserPoolId=_pool(), Username=item.email, GroupName=role)
    for role in set(item.roles) - set(new_roles):
        cognito.admin_remove_user_from_group(UserPoolId=_pool(), Username=item.email, GroupName=role)
    if enabled != item.enabled:
        if enabled:
            cognito.admin_enable_user(UserPoolId=_pool(), Username=item.email)
        else:
            cognito.admin_disable_user(UserPoolId=_pool(), Username=item.email)
    item.roles = new_roles
    item.enabled = enabled
    if "first_name" in changes:
        item.first_name = patch.first_name
    if "last_name" in changes:
        item.last_name = patch.last_name
    item.updated_at = now_iso()
    item.save()
    audit.record(p, "update", "user", item.user_id, {"fields": sorted(changes), "roles": new_roles})
    return users.to_json(item)


def delete_user(p: Principal, user_id: str) -> None:
    item = load(p, user_id)
    if user_id == p.user_id:
        raise Conflict("Vous ne pouvez pas supprimer votre propre compte.")
    if Role.ADMIN in item.roles and _other_enabled_admins(p, user_id) == 0:
        raise Conflict("L'espace doit garder au moins un administrateur actif.")
    if _owned_identity(p, item):
        aws.cognito().admin_delete_user(UserPoolId=_pool(), Username=item.email)
    elif _identity_exists(item.email):
        raise NotFound("Utilisateur introuvable.")  # another tenant's identity: neither it nor the entry is touched
    item.delete()  # the entry alone when its identity is gone: nothing left to sign in with
    audit.record(p, "delete", "user", user_id)
