"""The operator's tenant administration (`python -m infra.tenant create` and `list`): never on a request path.

A new deployment has no tenant and no user; the operator creates each tenant and its first admin with the
credentials that deploy the stack. As the operator's sender assignment, no route or job imports this module (a test
checks it): the API's role has no access to the tenants' by-kind index it lists them with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.services import audit
from chalicelib.services import users as users_service
from chalicelib.services.tenancy import ensure_tenant
from chalicelib.store import identities, tenants
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
