"""Short links: what the code of a link sent by SMS stands for (domain/short_codes.py), the `short-links` table.

Hash key the tenant, range key the code; a link is followed without a tenant, so the global index by-code (keyed
on the code itself) finds the item, which names its tenant and contact. Written in batches by the campaign workers
before their sends (the same code for the same contact each time: a rewrite is harmless); never expires, since an
opt-out link must keep working as long as someone may read the message.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.store.base import BaseModel, entity_of, index, item_of
from chalicelib.store.entities import ShortLink


class ShortLinkItem(BaseModel, entity=ShortLink, table="short-links", keys=("tenant_id", "code")):
    by_code: GlobalSecondaryIndex[ShortLinkItem] = index("by-code", "code")


def put_all(links: Iterable[ShortLink]) -> None:
    """BatchWriteItem, 25 a call."""
    with ShortLinkItem.batch_write() as batch:
        for link in links:
            batch.save(item_of(ShortLinkItem, link))


def by_code(code: str) -> ShortLink | None:
    """The link a code stands for, whatever its tenant (by-code: one Query)."""
    item = next(iter(ShortLinkItem.by_code.query(code, limit=1)), None)
    return entity_of(ShortLink, item) if item else None
