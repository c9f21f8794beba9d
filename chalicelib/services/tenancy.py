"""Tenant settings and custom field declarations."""

from __future__ import annotations

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit, lookup, senders
from chalicelib.store import tenants
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
    return lookup.require(tenants.get_field, p.tenant_id, name, "Champ personnalisé introuvable.")


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
