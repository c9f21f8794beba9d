"""One of the tenant's items by the id (or name) a request gives, or the 404 that the caller words.

A key longer than any Agora issues (ULIDs are 26 characters, custom field names 40) is not looked up: it cannot
name an item, so the read is spared, and however long the path's segment, the answer is a 404, never a read that
DynamoDB refuses (a sort key holds at most 1,024 bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chalicelib.errors import NotFound

T = TypeVar("T")

MAX_KEY = 64


def find(get: Callable[[str, str], T | None], tenant_id: str, key: str) -> T | None:
    """The item, or None when there is none (or the key cannot be one of ours)."""
    return get(tenant_id, key) if len(key) <= MAX_KEY else None


def require(get: Callable[[str, str], T | None], tenant_id: str, key: str, missing: str) -> T:
    """The item; NotFound(missing) when there is none."""
    found = find(get, tenant_id, key)
    if found is None:
        raise NotFound(missing)
    return found
