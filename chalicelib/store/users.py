"""The tenant's directory of its Cognito users: Cognito cannot list users by a custom attribute."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, TableName
from chalicelib.store.entities import User


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


def _entity(item: UserItem) -> User:
    return User(
        tenant_id=item.tenant_id,
        user_id=item.user_id,
        email=item.email,
        roles=list(item.roles),
        first_name=item.first_name,
        last_name=item.last_name,
        enabled=item.enabled,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _item(user: User) -> UserItem:
    return UserItem(
        user.tenant_id,
        user.user_id,
        email=user.email,
        roles=list(user.roles),
        first_name=user.first_name,
        last_name=user.last_name,
        enabled=user.enabled,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def get(tenant_id: str, user_id: str) -> User | None:
    try:
        return _entity(UserItem.get(tenant_id, user_id))
    except DoesNotExist:
        return None


def all_for(tenant_id: str) -> list[User]:
    return [_entity(item) for item in UserItem.query(tenant_id)]


def _query_page(tenant_id: str, start_key: dict[str, Any] | None, limit: int) -> tuple[list[UserItem], Any]:
    result = UserItem.query(tenant_id, limit=limit, last_evaluated_key=start_key)
    items = list(result)
    return items, result.last_evaluated_key


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[User]:
    """One page of the tenant's users, in `user_id` order, and the opaque cursor of the next one."""
    items, next_cursor = cursors.page_of(
        lambda start, n: _query_page(tenant_id, start, n),
        lambda u: {"tenant_id": {"S": u.tenant_id}, "user_id": {"S": u.user_id}},
        cursor,
        limit,
        cursors.fingerprint(tenant_id, "users"),
        lambda k: k.keys() == {"tenant_id", "user_id"} and k["tenant_id"] == tenant_id,
    )
    return Listing([_entity(item) for item in items], next_cursor)


def put(user: User) -> None:
    """Write the entry as it is (no version: Cognito holds the identity, this table only lists it)."""
    _item(user).save()


def delete(user: User) -> None:
    _item(user).delete()
