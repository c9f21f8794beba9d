"""Opaque pagination cursors.

A cursor is DynamoDB's LastEvaluatedKey plus a fingerprint of the query it belongs to,
base64url-encoded JSON: a cursor replayed against another query is rejected (400), not
silently misapplied. The fingerprint is no secret, so the key itself is checked too
(`valid`: exactly the attributes the query's start key has, inside its partition and range; every value one a key
can hold): a start key DynamoDB refuses would otherwise fail the request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.models import Model

from chalicelib.errors import BadRequest

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# Given the key as {attribute: string value}, whether it can resume the query.
KeyCheck = Callable[[dict[str, str]], bool]


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


def encode(key: dict[str, Any], query_fingerprint: str) -> str:
    raw = json.dumps({"k": key, "f": query_fingerprint}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def fingerprint_of(cursor: str) -> str | None:
    """The fingerprint a cursor claims, unchecked: lets a query recover how its first page was read."""
    try:
        data = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        return str(data["f"]) if isinstance(data, dict) else None
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


# DynamoDB refuses a key attribute that is empty or longer than this in UTF-8 (a sort key's limit; a partition
# key's is 2,048, and none of ours comes near either).
MAX_KEY_BYTES = 1024


def _key_value(value: Any) -> bool:
    """Whether a start key's value is a string DynamoDB takes as a key: not empty, at most MAX_KEY_BYTES in UTF-8
    (a lone surrogate, which JSON can carry and UTF-8 cannot, raises UnicodeEncodeError: refused with the rest)."""
    return isinstance(value, str) and 0 < len(value.encode("utf-8")) <= MAX_KEY_BYTES


def decode(cursor: str | None, query_fingerprint: str, valid: KeyCheck | None = None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key = data["k"]
        ok = (
            data["f"] == query_fingerprint
            and isinstance(key, dict)
            and all(
                isinstance(k, str) and isinstance(v, dict) and set(v) == {"S"} and _key_value(v["S"])
                for k, v in key.items()
            )
        )
        if ok and valid is not None:
            ok = valid({k: v["S"] for k, v in key.items()})
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise BadRequest(
            "Curseur de pagination invalide.",
            [{"field": "cursor", "message": "Curseur invalide ou issu d'une autre recherche."}],
        )
    return dict(key)


def page_of(
    fetch: Callable[[dict[str, Any] | None, int], tuple[list[T], Any]],
    key: Callable[[T], dict[str, Any]],
    cursor: str | None,
    limit: int,
    query_fingerprint: str,
    valid: KeyCheck | None = None,
) -> tuple[list[T], str | None]:
    """An exact page: asks for one item more than the page, and gives a cursor only if it exists.

    DynamoDB returns a LastEvaluatedKey whenever it stops on the limit, even with nothing
    after it; relying on it would hand the client an empty last page.
    """
    items, _ = fetch(decode(cursor, query_fingerprint, valid), limit + 1)
    page = items[:limit]
    next_cursor = encode(key(page[-1]), query_fingerprint) if len(items) > limit else None
    return page, next_cursor


def filtered_page(
    fetch: Callable[[dict[str, Any] | None, int], tuple[list[T], Any]],
    accept: Callable[[T], bool],
    key: Callable[[T], dict[str, Any]],
    cursor: str | None,
    limit: int,
    query_fingerprint: str,
    valid: KeyCheck | None = None,
    *,
    batch: int | None = None,
    first: tuple[list[T], Any] | None = None,
) -> tuple[list[T], str | None]:
    """An exact page of the items `accept` keeps, read from a key range in batches.

    Reads until one accepted item beyond the page is found (then the cursor points at the
    page's last item) or the range ends (no cursor): never an empty page with a cursor.
    `first` is a batch already read from the start of the range (a probe), used before reading on.
    """
    start = decode(cursor, query_fingerprint, valid)
    wanted = limit + 1
    batch = batch or min(max(limit * 2, 25), 250)
    accepted: list[T] = []
    while len(accepted) < wanted:
        items, last = first or fetch(start, batch)
        first = None
        for item in items:
            if accept(item):
                accepted.append(item)
                if len(accepted) == wanted:
                    break
        if last is None:
            break
        start = last
    page = accepted[:limit]
    next_cursor = encode(key(page[-1]), query_fingerprint) if len(accepted) > limit else None
    return page, next_cursor


def partition_page(
    model: type[M],
    hash_key: str,
    cursor: str | None,
    limit: int,
    query_fingerprint: str,
    *,
    prefix: str = "",
    newest_first: bool = False,
) -> tuple[list[M], str | None]:
    """An exact page (`page_of`) of one partition of a table, by range key (descending if `newest_first`), of the
    range keys starting with `prefix` if given: one Query a page. A cursor must name a key of that partition and
    range."""
    attributes = model.get_attributes()
    hash_name = next(name for name, a in attributes.items() if a.is_hash_key)
    range_name = next(name for name, a in attributes.items() if a.is_range_key)
    condition = attributes[range_name].startswith(prefix) if prefix else None

    def fetch(start_key: dict[str, Any] | None, size: int) -> tuple[list[M], Any]:
        result = model.query(
            hash_key,
            condition,
            scan_index_forward=False if newest_first else None,
            limit=size,
            last_evaluated_key=start_key,
        )
        return list(result), result.last_evaluated_key

    return page_of(
        fetch,
        lambda item: {hash_name: {"S": getattr(item, hash_name)}, range_name: {"S": getattr(item, range_name)}},
        cursor,
        limit,
        query_fingerprint,
        lambda k: k.keys() == {hash_name, range_name} and k[hash_name] == hash_key and k[range_name].startswith(prefix),
    )
