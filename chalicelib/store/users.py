"""The tenant's directory of its Cognito users: Cognito cannot list users by a custom attribute."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, ListAttribute, UnicodeAttribute

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, TableName, entity_of, get_entity, item_of
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


def get(tenant_id: str, user_id: str) -> User | None:
    return get_entity(User, UserItem, tenant_id, user_id)


def all_for(tenant_id: str) -> list[User]:
    return [entity_of(User, item) for item in UserItem.query(tenant_id)]


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[User]:
    """One page of the tenant's users, in `user_id` order, and the opaque cursor of the next one."""
    items, next_cursor = cursors.partition_page(
        UserItem, tenant_id, cursor, limit, cursors.fingerprint(tenant_id, "users")
    )
    return Listing([entity_of(User, item) for item in items], next_cursor)


def put(user: User) -> None:
    """Write the entry as it is (no version: Cognito holds the identity, this table only lists it)."""
    item_of(UserItem, user).save()


def delete(user: User) -> None:
    item_of(UserItem, user).delete()
