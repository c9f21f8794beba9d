"""Tenant settings and custom field declarations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit, senders
from chalicelib.services import users as users_service
from chalicelib.store import identities, tenants
from chalicelib.store.entities import (
    CustomField,
    CustomFieldDoc,
    SenderGrantDoc,
    SettingsFieldsDoc,
    TenantSettings,
    TenantSettingsDoc,
)

DEFAULT_TIMEZONE = "Europe/Paris"


def ensure_tenant(tenant_id: str, kind: str, data: SettingsFieldsDoc, *, sender_grant: SenderGrantDoc) -> bool:
    """Create the tenant's settings if absent (provisioning); True if created, never overwrites."""
    if tenants.get_settings_item(tenant_id) is not None:
        return False
    doc: TenantSettingsDoc = {"kind": kind, "timezone": DEFAULT_TIMEZONE, **data, "sender_grant": sender_grant}
    tenants.save_settings(TenantSettings(tenant_id=tenant_id, data=doc))
    return True


def _load(p: Principal) -> TenantSettings:
    settings = tenants.get_settings_item(p.tenant_id)
    if settings is None:
        raise NotFound("Espace non configuré.")
    return settings


def get_settings(p: Principal) -> TenantSettings:
    return _load(p)


def patch_settings(p: Principal, changes: SettingsFieldsDoc, *, version: int) -> TenantSettings:
    """Apply the fields the admin sent (a null empties one) at the `version` the admin read (409 when stale)."""
    settings = _load(p)
    senders.check_setting(settings.data, changes.get("sender_email"))
    settings.data = {**settings.data, **changes}
    tenants.save_settings(settings, expected_version=version)
    audit.record(p, "update", "settings", p.tenant_id, {"fields": sorted(changes)})
    return settings


def list_fields(p: Principal) -> list[CustomField]:
    return tenants.list_fields(p.tenant_id)


def create_field(p: Principal, name: str, doc: CustomFieldDoc) -> CustomField:
    custom_field = tenants.create_field(p.tenant_id, name, doc)
    audit.record(p, "create", "field", name)
    return custom_field


def load_field(p: Principal, name: str) -> CustomField:
    custom_field = tenants.get_field(p.tenant_id, name) if len(name) <= 64 else None
    if custom_field is None:
        raise NotFound("Champ personnalisé introuvable.")
    return custom_field


def patch_field(
    p: Principal, custom_field: CustomField, *, label: str | None = None, choices: list[str] | None = None
) -> CustomField:
    """Change the label or the values of a choice field (None: unchanged)."""
    changed = sorted(key for key, value in (("label", label), ("choices", choices)) if value is not None)
    if choices is not None and custom_field.data["type"] == "choice" and not choices:
        raise ValidationFailed([{"field": "choices", "message": "Un champ à choix doit lister ses valeurs."}])
    if choices is not None and custom_field.data["type"] != "choice":
        raise Conflict(
            "Seul un champ de type « choice » a des valeurs.",
            [{"field": "choices", "message": "Ce champ n'est pas à choix."}],
        )
    if label is not None:
        custom_field.data["label"] = label
    if choices is not None:
        custom_field.data["choices"] = choices
    tenants.save_field(custom_field)
    audit.record(p, "update", "field", custom_field.name, {"fields": changed})
    return custom_field


def delete_field(p: Principal, name: str) -> None:
    """Values already stored on contacts stay in their records; they are no longer declared."""
    custom_field = load_field(p, name)
    tenants.delete_field(custom_field)
    audit.record(p, "delete", "field", name)


# --- the operator's tenant administration (python -m infra.tenant) ------------------------------------------------

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
