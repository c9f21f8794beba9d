"""The tenant's directory of its Cognito users: Cognito cannot list users by a custom attribute."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import BaseModel, TableName


class UserItem(BaseModel):
    class Meta:
        table_name = TableName("users")

    tenant_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)  # Cognito "sub"
    email = UnicodeAttribute()
    roles = ListAttribute[str](of=UnicodeAttribute, default=list)  # type: ignore[arg-type]  # PynamoDB's stub wants the element type
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    enabled = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def get(tenant_id: str, user_id: str) -> UserItem | None:
    try:
        return UserItem.get(tenant_id, user_id)
    except DoesNotExist:
        return None


def all_for(tenant_id: str) -> list[UserItem]:
    return list(UserItem.query(tenant_id))


def query_page(tenant_id: str, start_key: dict[str, Any] | None, limit: int) -> tuple[list[UserItem], Any]:
    result = UserItem.query(tenant_id, limit=limit, last_evaluated_key=start_key)
    items = list(result)
    return items, result.last_evaluated_key


def to_json(u: UserItem) -> dict[str, Any]:
    return {
        "id": u.user_id,
        "email": u.email,
        "roles": sorted(u.roles),
        "first_name": u.first_name,
        "last_name": u.last_name,
        "enabled": u.enabled,
        "created_at": u.created_at,
        "updated_at": u.updated_at,
    }
