"""The tenant's directory of its Cognito users: Cognito cannot list users by a custom attribute."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, Repository, TableName, entity_of
from chalicelib.store.entities import User


class UserItem(BaseModel, entity=User):
    class Meta:
        table_name = TableName("users")

    tenant_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)  # Cognito "sub"


_repo = Repository(User, UserItem, None)  # no version: Cognito holds the identity, this table only lists it
get = _repo.get  # (tenant_id, user_id)
all_for = _repo.all_of_tenant
delete = _repo.delete


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[User]:
    """One page of the tenant's users, in `user_id` order, and the opaque cursor of the next one."""
    items, next_cursor = cursors.partition_page(
        UserItem, tenant_id, cursor, limit, cursors.fingerprint(tenant_id, "users")
    )
    return Listing([entity_of(User, item) for item in items], next_cursor)


def put(user: User) -> None:
    """Write the entry as it is (no version, no condition)."""
    _repo.item(user).save()
