"""Tenants: settings and declared custom fields, one item collection per tenant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, cast

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.errors import Conflict
from chalicelib.store.base import (
    BaseModel,
    DocAttribute,
    delete_versioned,
    entity_of,
    get_entity,
    index,
    item_of,
    now_iso,
    save_versioned,
)
from chalicelib.store.entities import CustomField, CustomFieldDoc, SenderGrantDoc, TenantSettings

SETTINGS_SK: Final = "settings"
FIELD_PREFIX: Final = "field#"


class TenantItem(BaseModel, table="tenants", keys=("tenant_id", "sk")):
    data = DocAttribute(default=dict)
    version = VersionAttribute()
    position = NumberAttribute(null=True)
    updated_at = UnicodeAttribute(default=now_iso)
    kind_key = UnicodeAttribute(null=True)  # the tenant's kind: "institution" | "political"

    # Sparse: only settings items carry `kind_key`, so the daily electoral job lists institutions without a Scan.
    by_kind: GlobalSecondaryIndex[TenantItem] = index("by-kind", "kind_key", "tenant_id", keys_only=True)


# The operator's assignment of sender domains and addresses lives in the settings item (so a send reads it with the
# settings it reads anyway), under a key that PATCH /settings cannot write: SettingsPatch forbids unknown fields.
SENDER_GRANT_KEY: Final = "sender_grant"

# The operator's `disable` marks the settings item too (every path that checks it reads the settings), under a key
# PATCH /settings cannot write either: a tenant's admin can neither disable nor re-open the space.
DISABLED_KEY: Final = "disabled_at"

_STALE = "Ces données ont été modifiées entre-temps ; rechargez-les puis réessayez."


def _field_item(custom_field: CustomField) -> TenantItem:
    """Keyed `field#{name}` in the tenant's collection, next to its settings."""
    return item_of(
        TenantItem, custom_field, sk=FIELD_PREFIX + custom_field.name, updated_at=custom_field.updated_at or now_iso()
    )


def get_settings_item(tenant_id: str) -> TenantSettings | None:
    """The tenant's settings (None for an unknown tenant): every family reads them, `settings.data` the map."""
    return get_entity(TenantSettings, TenantItem, tenant_id, SETTINGS_SK)


def tenant_ids_of_kind(kind: str) -> list[str]:
    return [item.tenant_id for item in TenantItem.by_kind.query(kind)]


def _put(
    item: TenantItem, record: TenantSettings | CustomField, stale: str = _STALE, condition: Condition | None = None
) -> None:
    """Optimistic write (Conflict when stale), stamped now; the new version and time are written back."""
    item.updated_at = now_iso()
    save_versioned(item, record, stale, condition=condition)
    record.updated_at = item.updated_at


def save_settings(settings: TenantSettings, *, expected_version: int | None = None) -> None:
    """Create (version None) or replace the settings at the version they were read; the new version and time are
    written back into `settings`. A stale `expected_version` (the client's) or a concurrent write is a Conflict."""
    if expected_version is not None and settings.version != expected_version:
        raise Conflict(_STALE)
    # The by-kind key comes from the doc (sparse: only settings carry it).
    item = item_of(TenantItem, settings, sk=SETTINGS_SK, kind_key=settings.data.get("kind"))
    _put(item, settings)


def _field_entity(item: TenantItem) -> CustomField:
    """The field's name is its sort key's, after `field#`."""
    return entity_of(CustomField, item, name=item.sk.removeprefix(FIELD_PREFIX))


def list_fields(tenant_id: str) -> list[CustomField]:
    return [_field_entity(item) for item in TenantItem.query(tenant_id, TenantItem.sk.startswith(FIELD_PREFIX))]


def get_field(tenant_id: str, name: str) -> CustomField | None:
    return get_entity(CustomField, TenantItem, tenant_id, FIELD_PREFIX + name, name=name)


def create_field(tenant_id: str, name: str, data: CustomFieldDoc) -> CustomField:
    """Declare a field once: a name already declared is a Conflict."""
    custom_field = CustomField(tenant_id=tenant_id, name=name, data=CustomFieldDoc(**data))
    _put(_field_item(custom_field), custom_field, f"Le champ « {name} » existe déjà.", TenantItem.sk.does_not_exist())
    return custom_field


def save_field(custom_field: CustomField) -> None:
    """Replace a field's declaration at the version it was read (Conflict if it changed); writes the new version
    and time back into `custom_field`."""
    _put(_field_item(custom_field), custom_field)


def delete_field(custom_field: CustomField) -> None:
    """Remove the declaration at the version it was read (PynamoDB adds the version condition to the delete):
    Conflict if it changed meanwhile."""
    delete_versioned(_field_item(custom_field), _STALE)


def sender_grant_doc(tenant_id: str) -> SenderGrantDoc | None:
    settings = get_settings_item(tenant_id)
    if settings is None:
        return None
    return cast(SenderGrantDoc, dict(settings.data.get(SENDER_GRANT_KEY) or {"domains": [], "addresses": []}))


def put_sender_grant(tenant_id: str, grant: SenderGrantDoc) -> bool:
    """Replace the tenant's grant (optimistic: a concurrent settings change is re-read); False if no such tenant."""

    def change(settings: TenantSettings) -> None:
        settings.data[SENDER_GRANT_KEY] = grant

    return _change_settings(tenant_id, change)


def set_disabled(tenant_id: str, at: str | None) -> bool:
    """Mark the tenant disabled since `at`, or open again (None); False if no such tenant."""

    def change(settings: TenantSettings) -> None:
        data = cast(dict[str, Any], settings.data)
        if at is None:
            data.pop(DISABLED_KEY, None)
        else:
            data[DISABLED_KEY] = at

    return _change_settings(tenant_id, change)


def _change_settings(tenant_id: str, change: Callable[[TenantSettings], None]) -> bool:
    """Apply an operator's change to the settings item, re-read and re-applied when a concurrent write wins."""
    for _ in range(5):
        settings = get_settings_item(tenant_id)
        if settings is None:
            return False
        change(settings)
        try:
            save_settings(settings)
        except Conflict:
            continue
        return True
    raise Conflict("Les réglages de l'espace changent sans cesse : réessayez.")
