"""Cognito identities of the tenants' users: the password, the groups (roles, which the ID token carries), and the
`custom:tenant_id` and `custom:tenant_kind` attributes that scope every token.

An identity is named by its email (the pool's username); the tenant's directory (store/users.py) lists them, since
Cognito cannot filter users by a custom attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import aws
from chalicelib.auth import KIND_CLAIM, TENANT_CLAIM
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.settings import get_settings


def _pool() -> str:
    return get_settings().user_pool_id


def create_identity(
    tenant_id: str, tenant_kind: str, email: str, roles: Iterable[str], password: str | None, *, invite: bool
) -> str:
    """Create the identity in the tenant and kind, then add it to each role's group; returns its `sub`.

    `invite` has Cognito email the invitation; otherwise none is sent. `password` is the temporary one (Cognito
    chooses it when None). An address already in the pool is a Conflict, one Cognito refuses a 422 on `email`.
    """
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


def delete_identity(email: str) -> None:
    aws.cognito().admin_delete_user(UserPoolId=_pool(), Username=email)


def is_tenants_identity(tenant_id: str, email: str, sub: str) -> bool:
    """Whether the identity named `email` is this tenant's user with this `sub` (its own `custom:tenant_id`); False
    when it is gone. A directory entry naming another tenant's identity (stale after a failed deletion, the address
    reused elsewhere) must never let this tenant's admin change or delete that identity."""
    try:
        found = aws.cognito().admin_get_user(UserPoolId=_pool(), Username=email)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "UserNotFoundException":
            return False
        raise
    attributes = {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])}
    return attributes.get(TENANT_CLAIM) == tenant_id and attributes.get("sub") == sub


def identity_exists(email: str) -> bool:
    try:
        aws.cognito().admin_get_user(UserPoolId=_pool(), Username=email)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "UserNotFoundException":
            return False
        raise
    return True


def add_to_groups(email: str, roles: Iterable[str]) -> None:
    """One call per role: the identity's next ID token carries them."""
    cognito = aws.cognito()
    for role in roles:
        cognito.admin_add_user_to_group(UserPoolId=_pool(), Username=email, GroupName=role)


def remove_from_groups(email: str, roles: Iterable[str]) -> None:
    cognito = aws.cognito()
    for role in roles:
        cognito.admin_remove_user_from_group(UserPoolId=_pool(), Username=email, GroupName=role)


def enable_sign_in(email: str) -> None:
    aws.cognito().admin_enable_user(UserPoolId=_pool(), Username=email)


def disable_sign_in(email: str) -> None:
    aws.cognito().admin_disable_user(UserPoolId=_pool(), Username=email)
