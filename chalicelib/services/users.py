"""Tenant administrators manage their users: identities in Cognito, the tenant's directory in DynamoDB.

Cognito holds the password and the groups (roles, which the ID token carries); the users
table lists a tenant's users, which Cognito cannot filter by custom attribute.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import replace

from chalicelib.auth import Principal
from chalicelib.domain.listing import Listing
from chalicelib.domain.roles import Role
from chalicelib.errors import Conflict, NotFound
from chalicelib.services import audit, lookup
from chalicelib.settings import get_settings
from chalicelib.store import identities, users
from chalicelib.store.base import now_iso
from chalicelib.store.entities import User, UserChanges

LAST_ADMIN = "L'espace doit garder au moins un administrateur actif."
ADMIN_CHANGED = (
    "Un autre administrateur vient d'être modifié : rechargez la liste des utilisateurs puis réessayez "
    "(l'espace doit garder au moins un administrateur actif)."
)
GONE = "Utilisateur introuvable."
BUSY = "Cet utilisateur est modifié au même instant par une autre personne : réessayez dans un moment."


def temporary_password() -> str:
    """Meets Cognito's default policy: 8+ chars with upper, lower, digit and symbol."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(14))
    return f"{core}Aa1!"


def list_users(p: Principal, *, cursor: str | None, limit: int) -> Listing[User]:
    return users.page(p.tenant_id, cursor, limit)


def create_user(
    p: Principal, *, email: str, roles: list[str], first_name: str | None = None, last_name: str | None = None
) -> tuple[User, str | None]:
    """The new user and, on the local stage only, its temporary password (elsewhere Cognito emails it)."""
    # Locally no invitation email leaves the machine: the admin gets the temporary password instead.
    local = get_settings().stage == "local"
    password = temporary_password() if local else None
    roles = sorted(set(roles))
    sub = identities.create_identity(p.tenant_id, p.tenant_kind, email, roles, password, invite=not local)
    at = now_iso()
    user = User(
        tenant_id=p.tenant_id,
        user_id=sub,
        email=email,
        roles=roles,
        first_name=first_name,
        last_name=last_name,
        enabled=True,
        created_at=at,
        updated_at=at,
    )
    try:
        users.put(user)
    except Exception:
        # Compensate: an identity without its directory entry would be invisible to the admins.
        identities.delete_identity(email)
        raise
    audit.record(p, "create", "user", sub, {"roles": roles})
    return user, password


def load(p: Principal, user_id: str) -> User:
    return lookup.require(users.get, p.tenant_id, user_id, GONE)


def get_user(p: Principal, user_id: str) -> User:
    return load(p, user_id)


def _owned_identity(p: Principal, user: User) -> bool:
    """Whether the Cognito identity the entry names is this tenant's user (False when it is gone)."""
    return identities.is_tenants_identity(p.tenant_id, user.email, user.user_id)


def _another_enabled_admin(p: Principal, user_id: str) -> str | None:
    """One enabled admin other than `user_id`, whom the write then checks is still one (`users.update`)."""
    others = (u for u in users.all_for(p.tenant_id) if u.user_id != user_id and u.enabled and Role.ADMIN in u.roles)
    return next((u.user_id for u in others), None)


def _written(outcome: users.Outcome) -> None:
    if outcome == "gone":
        raise NotFound(GONE)
    if outcome == "no_admin":
        raise Conflict(ADMIN_CHANGED)
    if outcome == "busy":
        raise Conflict(BUSY)


def patch_user(p: Principal, user: User, changes: UserChanges) -> User:
    """Apply the fields the admin named: roles (Cognito groups), enabled (sign-in), names (null empties one).

    The entry is written first, on the condition that it still exists and, when the user loses the admin role,
    that another admin still has it (one transaction); Cognito follows, and its failure puts the entry back."""
    if not _owned_identity(p, user):
        raise NotFound(GONE)
    before = replace(user, roles=list(user.roles))
    new_roles: list[str] = sorted(set(changes["roles"])) if "roles" in changes else list(user.roles)
    enabled = changes.get("enabled", user.enabled)
    keeping = None
    if Role.ADMIN in user.roles and (Role.ADMIN not in new_roles or not enabled):
        keeping = _another_enabled_admin(p, user.user_id)
        if keeping is None:
            raise Conflict(LAST_ADMIN)
    user.roles = new_roles
    user.enabled = enabled
    if "first_name" in changes:
        user.first_name = changes["first_name"]
    if "last_name" in changes:
        user.last_name = changes["last_name"]
    user.updated_at = now_iso()
    _written(users.update(user, keeping_admin=keeping))
    try:
        identities.add_to_groups(user.email, set(new_roles) - set(before.roles))
        identities.remove_from_groups(user.email, set(before.roles) - set(new_roles))
        if enabled != before.enabled:
            if enabled:
                identities.enable_sign_in(user.email)
            else:
                identities.disable_sign_in(user.email)
    except Exception:
        users.update(before)  # the entry says again what Cognito still holds
        raise
    audit.record(p, "update", "user", user.user_id, {"fields": sorted(changes), "roles": new_roles})
    return user


def delete_user(p: Principal, user_id: str) -> None:
    """Delete the identity and its entry; an admin's only while another admin keeps the role (`users.remove`)."""
    user = load(p, user_id)
    if user_id == p.user_id:
        raise Conflict("Vous ne pouvez pas supprimer votre propre compte.")
    keeping = None
    if Role.ADMIN in user.roles:
        keeping = _another_enabled_admin(p, user_id)
        if keeping is None:
            raise Conflict(LAST_ADMIN)
    if _owned_identity(p, user):
        _written(users.remove(user, keeping_admin=keeping))
        try:
            identities.delete_identity(user.email)
        except Exception:
            users.put(user)  # the identity is still there: so is its entry
            raise
    elif identities.identity_exists(user.email):
        raise NotFound(GONE)  # another tenant's identity: neither it nor the entry is touched
    else:
        _written(users.remove(user, keeping_admin=keeping))  # the entry alone: nothing left to sign in with
    audit.record(p, "delete", "user", user_id)
