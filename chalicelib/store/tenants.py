"""Tenants: settings and declared custom fields, one item collection per tenant."""

from __future__ import annotations

from typing import Final, cast

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName, now_iso
from chalicelib.store.entities import CustomField, CustomFieldDoc, SenderGrantDoc, TenantSettings, TenantSettingsDoc

SETTINGS_SK: Final = "settings"
FIELD_PREFIX: Final = "field#"


class _ByKind(GlobalSecondaryIndex["TenantItem"]):
    """Sparse: only settings items carry `kind_key`, so the daily electoral job lists institutions without a Scan."""

    class Meta:
        index_name = "by-kind"
        projection = KeysOnlyProjection()

    kind_key = UnicodeAttribute(hash_key=True)  # the tenant's kind: "institution" | "political"
    tenant_id = UnicodeAttribute(range_key=True)


class TenantItem(BaseModel):
    class Meta:
        table_name = TableName("tenants")

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    data = DocAttribute(default=dict)
    version = VersionAttribute()
    position = NumberAttribute(null=True)
    updated_at = UnicodeAttribute(default=now_iso)
    kind_key = UnicodeAttribute(null=True)

    by_kind = _ByKind()


# The operator's assignment of sender domains and addresses lives in the settings item (so a send reads it with the
# settings it reads anyway), under a key that PATCH /settings cannot write: SettingsPatch forbids unknown fields.
SENDER_GRANT_KEY: Final = "sender_grant"

_STALE = "Ces données ont été modifiées entre-temps ; rechargez-les puis réessayez."


def _settings_entity(item: TenantItem) -> TenantSettings:
    return TenantSettings(
        tenant_id=item.tenant_id,
        data=cast(TenantSettingsDoc, item.data),
        version=item.version,
        updated_at=item.updated_at,
    )


def _settings_item(settings: TenantSettings) -> TenantItem:
    """The item with its by-kind key, computed from the doc (sparse: only settings carry it)."""
    item = TenantItem(
        settings.tenant_id,
        SETTINGS_SK,
        data=dict(settings.data),
        updated_at=settings.updated_at or now_iso(),
        kind_key=settings.data.get("kind"),
    )
    if settings.version is not None:  # None: never saved, PynamoDB conditions the put on no version
        item.version = settings.version
    return item


def _field_entity(item: TenantItem) -> CustomField:
    return CustomField(
        tenant_id=item.tenant_id,
        name=item.sk.removeprefix(FIELD_PREFIX),
        data=cast(CustomFieldDoc, item.data),
        version=item.version,
        updated_at=item.updated_at,
        position=item.position,
    )


def _field_item(custom_field: CustomField) -> TenantItem:
    item = TenantItem(
        custom_field.tenant_id,
        FIELD_PREFIX + custom_field.name,
        data=dict(custom_field.data),
        position=custom_field.position,
        updated_at=custom_field.updated_at or now_iso(),
    )
    if custom_field.version is not None:
        item.version = custom_field.version
    return item


def get_settings_item(tenant_id: str) -> TenantSettings | None:
    """The tenant's settings (None for an unknown tenant): every family reads them, `settings.data` the map."""
    try:
        return _settings_entity(TenantItem.get(tenant_id, SETTINGS_SK))
    except DoesNotExist:
        return None


def tenant_ids_of_kind(kind: str) -> list[str]:
    return [item.tenant_id for item in TenantItem.by_kind.query(kind)]


def _put(item: TenantItem) -> None:
    """Optimistic write: VersionAttribute makes PynamoDB add the version condition."""
    item.updated_at = now_iso()
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(_STALE) from exc
        raise


def save_settings(settings: TenantSettings, *, expected_version: int | None = None) -> None:
    """Create (version None) or replace the settings at the version they were read; the new version and time are
    written back into `settings`. A stale `expected_version` (the client's) or a concurrent write is a Conflict."""
    if expected_version is not None and settings.version != expected_version:
        raise Conflict(_STALE)
    item = _settings_item(settings)
    _put(item)
    settings.version = item.version
    settings.updated_at = item.updated_at


def list_fields(tenant_id: str) -> list[CustomField]:
    return [_field_entity(item) for item in TenantItem.query(tenant_id, TenantItem.sk.startswith(FIELD_PREFIX))]


def get_field(tenant_id: str, name: str) -> CustomField | None:
    try:
        return _field_entity(TenantItem.get(tenant_id, FIELD_PREFIX + name))
    except DoesNotExist:
        return None


def create_field(tenant_id: str, name: str, data: CustomFieldDoc) -> CustomField:
    """Declare a field once: a name already declared is a Conflict."""
    item = TenantItem(tenant_id, FIELD_PREFIX + name, data=dict(data))
    try:
        item.save(condition=TenantItem.sk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(f"Le champ « {name} » existe déjà.") from exc
        raise
    return _field_entity(item)


def save_field(custom_field: CustomField) -> None:
    """Replace a field's declaration at the version it was read (Conflict if it changed); writes the new version
    and time back into `custom_field`."""
    item = _field_item(custom_field)
    _put(item)
    custom_field.version = item.version
    custom_field.updated_at = item.updated_at


def delete_field(custom_field: CustomField) -> None:
    """Remove the declaration at the version it was read (PynamoDB adds the version condition to the delete)."""
    _field_item(custom_field).delete()


def sender_grant_doc(tenant_id: str) -> SenderGrantDoc | None:
    settings = get_settings_item(tenant_id)
    if settings is None:
        return None
    return cast(SenderGrantDoc, dict(settings.data.get(SENDER_GRANT_KEY) or {"domains": [], "addresses": []}))


def put_sender_grant(tenant_id: str, grant: SenderGrantDoc) -> bool:
    """Replace the tenant's grant (optimistic: a concurrent settings change is re-read); False if no such tenant."""
    for _ in range(5):
        settings = get_settings_item(tenant_id)
        if settings is None:
            return False
        settings.data[SENDER_GRANT_KEY] = grant
        try:
            save_settings(settings)
        except Conflict:
            continue
        return True
    raise Conflict("Les réglages de l'espace changent sans cesse : réessayez.")
