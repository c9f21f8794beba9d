"""Possible duplicate contacts and the pairs users said are two people, in one table per tenant partition.

    sk = "pair#{a}#{b}"       a proposed pair (a < b): score, matched fields (domain/duplicates.py Pair)
    sk = "dismissed#{a}#{b}"  a pair a user dismissed: never proposed again

Lists are one Query per page of the tenant's partition, by range key (the contacts' ids, oldest first); the scan job
replaces the proposed pairs of a tenant as a whole with batch writes (25 items a call).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.domain.duplicates import Pair
from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, DocAttribute

PAIR = "pair#"
DISMISSED = "dismissed#"


class DuplicateItem(BaseModel, table="duplicates", keys=("tenant_id", "sk")):
    score = NumberAttribute(null=True)
    matched = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]  # PynamoDB's stub wants the element type
    doc = DocAttribute(default=dict)  # a dismissal: who, when
    created_at = UnicodeAttribute()


def _key(prefix: str, a: str, b: str) -> str:
    low, high = sorted((a, b))
    return f"{prefix}{low}#{high}"


def _ids(sk: str) -> tuple[str, str]:
    _, a, b = sk.split("#", 2)
    return a, b


def _pair(item: DuplicateItem) -> Pair:
    a, b = _ids(item.sk)
    return Pair(a, b, float(item.score or 0), tuple(item.matched or ()))


def _item(tenant_id: str, pair: Pair, at: str) -> DuplicateItem:
    return DuplicateItem(
        tenant_id, _key(PAIR, pair.a, pair.b), score=pair.score, matched=list(pair.matched), created_at=at
    )


def page(tenant_id: str, cursor: str | None, limit: int) -> Listing[Pair]:
    """One exact page of the tenant's proposed pairs (one Query)."""
    items, next_cursor = cursors.partition_page(
        DuplicateItem, tenant_id, cursor, limit, cursors.fingerprint("duplicates", tenant_id), prefix=PAIR
    )
    return Listing([_pair(item) for item in items], next_cursor)


def _all(tenant_id: str, prefix: str) -> list[DuplicateItem]:
    return list(DuplicateItem.query(tenant_id, DuplicateItem.sk.startswith(prefix)))


def pairs(tenant_id: str) -> list[Pair]:
    """Every proposed pair of the tenant (the scan job compares them with what it found): Query pages."""
    return [_pair(item) for item in _all(tenant_id, PAIR)]


def dismissed(tenant_id: str) -> set[tuple[str, str]]:
    """The pairs (a < b) the tenant's users dismissed: Query pages of its partition's « dismissed# » range."""
    return {_ids(item.sk) for item in _all(tenant_id, DISMISSED)}


def add(tenant_id: str, found: Iterable[Pair], at: str) -> None:
    """Proposed pairs written (or rewritten with their new score): BatchWriteItem, 25 a call."""
    with DuplicateItem.batch_write() as batch:
        for pair in found:
            batch.save(_item(tenant_id, pair, at))


def replace(tenant_id: str, found: list[Pair], at: str) -> dict[str, int]:
    """The tenant's proposed pairs become `found`: new and changed ones written, vanished ones deleted."""
    before = {(p.a, p.b): p for p in pairs(tenant_id)}
    after = {(p.a, p.b): p for p in found}
    written = [p for key, p in after.items() if before.get(key) != p]
    gone = [key for key in before if key not in after]
    with DuplicateItem.batch_write() as batch:
        for pair in written:
            batch.save(_item(tenant_id, pair, at))
        for a, b in gone:
            batch.delete(DuplicateItem(tenant_id, _key(PAIR, a, b)))
    return {"written": len(written), "deleted": len(gone)}


def delete_pairs(tenant_id: str, keys: Iterable[tuple[str, str]]) -> None:
    with DuplicateItem.batch_write() as batch:
        for a, b in keys:
            batch.delete(DuplicateItem(tenant_id, _key(PAIR, a, b)))


def dismiss(tenant_id: str, a: str, b: str, doc: dict[str, Any], at: str) -> None:
    """Remember that `a` and `b` are two people, and drop their proposed pair: one BatchWriteItem."""
    with DuplicateItem.batch_write() as batch:
        batch.save(DuplicateItem(tenant_id, _key(DISMISSED, a, b), doc=doc, created_at=at))
        batch.delete(DuplicateItem(tenant_id, _key(PAIR, a, b)))
