"""Tenants: settings and declared custom fields, one item collection per tenant."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName, now_iso

SETTINGS_SK = "settings"
FIELD_PREFIX = "field#"


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


def get_settings_item(tenant_id: str) -> TenantItem | None:
    try:
        return TenantItem.get(tenant_id, SETTINGS_SK)
    except DoesNotExist:
        return None


def tenant_ids_of_kind(kind: str) -> list[str]:
    return [item.tenant_id for item in TenantItem.by_kind.query(kind)]


def save(item: TenantItem, *, expected_version: int | None = None) -> None:
    """Optimistic write: VersionAttribute makes PynamoDB add the version condition."""
    item.updated_at = now_iso()
    if item.sk == SETTINGS_SK:
        item.kind_key = item.data.get("kind")
    if expected_version is not None and item.version != expected_version:
        raise Conflict("Ces données ont été modifiées entre-temps ; rechargez-les puis réessayez.")
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("Ces données ont été modifiées entre-temps ; rechargez-les puis réessayez.") from exc
        raise


def list_fields(tenant_id: str) -> list[TenantItem]:
    return list(TenantItem.query(tenant_id, TenantItem.sk.startswith(FIELD_PREFIX)))


def get_field(tenant_id: str, name: str) -> TenantItem | None:
    try:
        return TenantItem.get(tenant_id, FIELD_PREFIX + name)
    except DoesNotExist:
        return None


def create_field(tenant_id: str, name: str, data: dict[str, Any]) -> TenantItem:
    item = TenantItem(tenant_id, FIELD_PREFIX + name, data=data)
    try:
        item.save(condition=TenantItem.sk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(f"Le champ « {name} » existe déjà.") from exc
        raise
    return item


# The operator's assignment of sender domains and addresses lives in the settings item (so a send reads it with the
# settings it reads anyway), under a key that PATCH /settings cannot write: SettingsPatch forbids unknown fields.
SENDER_GRANT_KEY = "sender_grant"


def sender_grant_doc(tenant_id: str) -> dict[str, list[str]] | None:
    item = get_settings_item(tenant_id)
    if item is None:
        return None
    return dict(item.data.get(SENDER_GRANT_KEY) or {"domains": [], "addresses": []})


def put_sender_grant(tenant_id: str, grant: dict[str, list[str]]) -> bool:
    """Replace the tenant's grant (optimistic: a concurrent settings change is re-read); False if no such tenant."""
    for _ in range(5):
        item = get_settings_item(tenant_id)
        if item is None:
            return False
        item.data = {**item.data, SENDER_GRANT_KEY: grant}
        try:
            save(item)
        except Conflict:
            continue
        return True
    raise Conflict("Les réglages de l'espace changent sans cesse : réessayez.")
