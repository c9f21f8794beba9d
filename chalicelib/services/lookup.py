"""One of the tenant's items by the id (or name) a request gives, or the 404 that the caller words.

An id longer than any Agora issues (ULIDs, field names: `MAX_KEY` characters at most) is not looked up: the read
could only miss, and a key beyond DynamoDB's size limit would fail the read itself (a 500 instead of a 404).
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
