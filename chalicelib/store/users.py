"""The tenant's directory of its Cognito users: Cognito cannot list users by a custom attribute."""

from __future__ import annotations

from typing import Literal

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.listing import Listing
from chalicelib.domain.roles import Role
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, Repository, cause_code, connection, entity_of
from chalicelib.store.entities import User
from chalicelib.store.transactions import conflicted, raced

# What a guarded write of an entry did: written; the entry is gone (deleted meanwhile); the admin it relied on is no
# longer an enabled admin; another transaction was writing one of the two at that moment.
Outcome = Literal["written", "gone", "no_admin", "busy"]


class UserItem(BaseModel, entity=User, table="users", keys=("tenant_id", "user_id")):
    """The sort key user_id is the user's Cognito "sub"."""


_repo = Repository(User, UserItem, None)  # no version: Cognito holds the identity, this table only lists it
get = _repo.get  # (tenant_id, user_id)
all_for = _repo.all_of_tenant


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[User]:
    """One page of the tenant's users, in `user_id` order, and the opaque cursor of the next one."""
    items, next_cursor = cursors.partition_page(
        UserItem, tenant_id, cursor, limit, cursors.fingerprint(tenant_id, "users")
    )
    return Listing([entity_of(User, item) for item in items], next_cursor)


def put(user: User) -> None:
    """Write the entry as it is (no version, no condition): a new user's."""
    _repo.item(user).save()


def _guarded(user: User, keeping_admin: str | None, write: Literal["save", "delete"]) -> Outcome:
    """Write or delete the entry, which must still be there, in one TransactWriteItems with, when `keeping_admin`
    is given, the check that this other user is still an enabled admin. Two admins removing each other at once then
    cannot both succeed: whichever transaction comes second finds the admin it relied on removed (or the other
    transaction under way) and writes nothing, so the space always keeps an admin."""
    item = _repo.item(user)
    try:
        with TransactWrite(connection=connection()) as tx:
            if write == "save":
                tx.save(item, condition=UserItem.user_id.exists())
            else:
                tx.delete(item, condition=UserItem.user_id.exists())
            if keeping_admin is not None:
                still_admin = (UserItem.enabled == True) & UserItem.roles.contains(Role.ADMIN.value)  # noqa: E712  (a DynamoDB condition)
                tx.condition_check(UserItem, user.tenant_id, keeping_admin, condition=still_admin)
    except TransactWriteError as exc:
        if cause_code(exc) != "TransactionCanceledException":
            raise
        reasons = list(exc.cancellation_reasons or [])
        if not reasons:
            raise
        if any(conflicted(r) for r in reasons):
            return "busy"
        # PynamoDB sends a transaction's condition checks before its writes: the admin's check, if any, comes first
        *check, written = reasons
        if raced(written):
            return "gone"
        if check and raced(check[0]):
            return "no_admin"
        raise
    return "written"


def update(user: User, *, keeping_admin: str | None = None) -> Outcome:
    """Write a changed entry: never bringing back one deleted meanwhile (`_guarded`)."""
    return _guarded(user, keeping_admin, "save")


def remove(user: User, *, keeping_admin: str | None = None) -> Outcome:
    """Delete the entry (`_guarded`)."""
    return _guarded(user, keeping_admin, "delete")
