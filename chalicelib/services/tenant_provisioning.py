"""The operator's tenant administration (`python -m infra.tenant create`, `list`, `disable`, `enable`): never on a
request path.

A new deployment has no tenant and no user; the operator creates each tenant and its first admin with the
credentials that deploy the stack. As the operator's sender assignment, no route or job imports this module (a test
checks it): the API's role has no access to the tenants' by-kind index it lists them with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit, tenant_access
from chalicelib.services import users as users_service
from chalicelib.services.tenancy import ensure_tenant
from chalicelib.store import identities, tenants, users
from chalicelib.store.base import now_iso
from chalicelib.store.entities import SettingsFieldsDoc, TenantSettings

TENANT_ID = re.compile(r"^[a-z0-9-]{3,36}$")
KINDS = ("institution", "political")


@dataclass(frozen=True)
class Provisioned:
    """What `provision_tenant` did: whether the tenant and its admin were created or found, and the admin's
    temporary password on the local stage (elsewhere Cognito emails the invitation)."""

    tenant_created: bool
    admin_created: bool
    temporary_password: str | None


def provision_tenant(
    tenant_id: str,
    *,
    kind: str,
    name: str,
    admin_email: str,
    territory: SettingsFieldsDoc,
) -> Provisioned:
    """Create a tenant and its first admin, or bring an existing one's name and territory up to date. A re-run is
    harmless: the kind never changes (data never moves between kinds, Code électoral art. L52-8) and an existing
    admin is left as it is."""
    errors = _provisioning_errors(tenant_id, kind, name)
    if errors:
        raise ValidationFailed(errors)
    settings = tenants.get_settings_item(tenant_id)
    created = settings is None
    if settings is None:
        ensure_tenant(tenant_id, kind, {"name": name, **territory}, sender_grant={"domains": [], "addresses": []})
    else:
        if settings.data.get("kind") != kind:
            raise Conflict(f"L'espace {tenant_id} est de type « {settings.data.get('kind')} » : il ne change jamais.")
        settings.data = {**settings.data, "name": name, **territory}
        tenants.save_settings(settings)
    operator = Principal(tenant_id, kind, "operator", "", frozenset({"admin"}))
    if identities.identity_exists(admin_email):
        return Provisioned(created, False, None)
    _, password = users_service.create_user(operator, email=admin_email, roles=["admin"])
    audit.record(operator, "create", "tenant", tenant_id, {"admin_created": True, "tenant_created": created})
    return Provisioned(created, True, password)


def _provisioning_errors(tenant_id: str, kind: str, name: str) -> list[dict[str, str]]:
    errors = []
    if not TENANT_ID.match(tenant_id):
        errors.append({"field": "id", "message": "3 à 36 caractères parmi a-z, 0-9 et « - »."})
    if kind not in KINDS:
        errors.append({"field": "kind", "message": f"Type inconnu ; types possibles : {', '.join(KINDS)}."})
    if not name.strip() or len(name) > 200:
        errors.append({"field": "name", "message": "Nom obligatoire, 200 caractères au plus."})
    return errors


def all_tenants() -> list[TenantSettings]:
    """Every tenant's settings, institutions then political tenants (the by-kind index, one Query per kind)."""
    found = [tenants.get_settings_item(t) for kind in KINDS for t in tenants.tenant_ids_of_kind(kind)]
    return [s for s in found if s is not None]


@dataclass(frozen=True)
class Switched:
    """What `disable_tenant` or `enable_tenant` did: the users whose sign-in it changed, those it left as they were
    (an identity that is gone or belongs elsewhere; on `enable`, a user the tenant's admin had disabled)."""

    changed: tuple[str, ...]
    left: tuple[str, ...]


def disable_tenant(tenant_id: str) -> Switched:
    """Close a tenant's space: marked disabled first (the API then refuses its calls, api/http.py), then each of its
    users' sign-in disabled in Cognito. The users' directory keeps their own `enabled`, which `enable_tenant`
    restores. A re-run is harmless."""
    settings = _settings(tenant_id)
    tenants.set_disabled(tenant_id, tenant_access.disabled_since(settings.data) or now_iso())
    tenant_access.forget(tenant_id)
    changed, left = [], []
    for user in users.all_for(tenant_id):
        if identities.is_tenants_identity(tenant_id, user.email, user.user_id):
            identities.disable_sign_in(user.email)
            changed.append(user.email)
        else:
            left.append(user.email)
    audit.record(_operator(settings), "disable", "tenant", tenant_id, {"users_disabled": len(changed)})
    return Switched(tuple(changed), tuple(left))


def enable_tenant(tenant_id: str) -> Switched:
    """Open a disabled space again: the sign-in of each user its admin had left enabled, then the mark removed."""
    settings = _settings(tenant_id)
    changed, left = [], []
    for user in users.all_for(tenant_id):
        if user.enabled and identities.is_tenants_identity(tenant_id, user.email, user.user_id):
            identities.enable_sign_in(user.email)
            changed.append(user.email)
        else:
            left.append(user.email)
    tenants.set_disabled(tenant_id, None)
    tenant_access.forget(tenant_id)
    audit.record(_operator(settings), "enable", "tenant", tenant_id, {"users_enabled": len(changed)})
    return Switched(tuple(changed), tuple(left))


def _settings(tenant_id: str) -> TenantSettings:
    settings = tenants.get_settings_item(tenant_id) if TENANT_ID.match(tenant_id) else None
    if settings is None:
        raise NotFound(f"Aucun espace « {tenant_id} ».")
    return settings


def _operator(settings: TenantSettings) -> Principal:
    return Principal(settings.tenant_id, str(settings.data.get("kind", "institution")), "operator", "", frozenset())
