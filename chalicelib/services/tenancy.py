"""Tenant settings and custom field declarations."""

from __future__ import annotations

from typing import Any

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.tenancy import FieldCreate, FieldPatch, SettingsPatch
from chalicelib.services import audit, senders
from chalicelib.store import tenants
from chalicelib.store.base import now_iso

DEFAULT_TIMEZONE = "Europe/Paris"


def ensure_tenant(tenant_id: str, kind: str, data: dict[str, Any]) -> bool:
    """Create the tenant's settings item if absent (provisioning); True if created, never overwrites."""
    if tenants.get_settings_item(tenant_id) is not None:
        return False
    item = tenants.TenantItem(tenant_id, tenants.SETTINGS_SK, data={"kind": kind, "timezone": DEFAULT_TIMEZONE, **data})
    tenants.save(item)
    return True


def settings_json(item: tenants.TenantItem) -> dict[str, Any]:
    grant = item.data.get(tenants.SENDER_GRANT_KEY) or {"domains": [], "addresses": []}
    return {
        "id": item.tenant_id,
        **item.data,
        tenants.SENDER_GRANT_KEY: grant,
        "version": item.version,
        "updated_at": item.updated_at,
    }


def _load(p: Principal) -> tenants.TenantItem:
    item = tenants.get_settings_item(p.tenant_id)
    if item is None:
        raise NotFound("Espace non configuré.")
    return item


def get_settings(p: Principal) -> dict[str, Any]:
    return settings_json(_load(p))


def patch_settings(p: Principal, patch: SettingsPatch) -> dict[str, Any]:
    item = _load(p)
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version"})
    senders.check_setting(item.data, changes.get("sender_email"))
    item.data = {**item.data, **changes}
    tenants.save(item, expected_version=patch.version)
    audit.record(p, "update", "settings", p.tenant_id, {"fields": sorted(changes)})
    return settings_json(item)


def field_json(item: tenants.TenantItem) -> dict[str, Any]:
    return {"name": item.sk.removeprefix(tenants.FIELD_PREFIX), **item.data}


def list_fields(p: Principal) -> list[dict[str, Any]]:
    return [field_json(f) for f in tenants.list_fields(p.tenant_id)]


def create_field(p: Principal, data: FieldCreate) -> dict[str, Any]:
    item = tenants.create_field(p.tenant_id, data.name, data.model_dump(mode="json", exclude={"name"}))
    audit.record(p, "create", "field", data.name)
    return field_json(item)


def load_field(p: Principal, name: str) -> tenants.TenantItem:
    item = tenants.get_field(p.tenant_id, name) if len(name) <= 64 else None
    if item is None:
        raise NotFound("Champ personnalisé introuvable.")
    return item


def patch_field(p: Principal, item: tenants.TenantItem, patch: FieldPatch) -> dict[str, Any]:
    changes = patch.model_dump(mode="json", include=patch.model_fields_set, exclude_none=True)
    if "choices" in changes and item.data["type"] == "choice" and not changes["choices"]:
        raise ValidationFailed([{"field": "choices", "message": "Un champ à choix doit lister ses valeurs."}])
    if "choices" in changes and item.data["type"] != "choice":
        raise Conflict(
            "Seul un champ de type « choice » a des valeurs.",
            [{"field": "choices", "message": "Ce champ n'est pas à choix."}],
        )
    item.data = {**item.data, **changes}
    item.updated_at = now_iso()
    tenants.save(item)
    audit.record(p, "update", "field", field_json(item)["name"], {"fields": sorted(changes)})
    return field_json(item)


def delete_field(p: Principal, name: str) -> None:
    """Values already stored on contacts stay in their records; they are no longer declared."""
    item = load_field(p, name)
    item.delete()
    audit.record(p, "delete", "field", name)
