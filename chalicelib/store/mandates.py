"""Mandates, functions and désignations held by contacts.

Sort key "{contact id}#{mandate id}": a contact's mandates are one Query. Two GSIs serve
`GET /mandates`: by function, and across functions; both sorted by end date (open-ended
mandates last), so "every mandate ending before D" is a key condition, not a filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.domain.listing import Listing
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, VersionedRepository, entity_of, index
from chalicelib.store.entities import Mandate

OPEN_END = "9999-12-31"
STALE = "Ce mandat a été modifié entre-temps ; rechargez-le puis réessayez."


class MandateItem(BaseModel, entity=Mandate, table="mandates", keys=("tenant_id", "sk")):
    # sk: "{contact_id}#{mandate_id}"
    function_key = UnicodeAttribute()  # "{tenant}#{function}"
    tenant_key = UnicodeAttribute()  # "{tenant}#mandates"
    end_key = UnicodeAttribute()  # "{end or 9999-12-31}#{mandate id}"

    by_function: GlobalSecondaryIndex[MandateItem] = index("by-function", "function_key", "end_key")
    by_end: GlobalSecondaryIndex[MandateItem] = index("by-end", "tenant_key", "end_key")

    def refresh_keys(self) -> None:
        """Derived index keys, recomputed on every write so the GSIs agree with the document."""
        self.function_key = f"{self.tenant_id}#{self.doc['function']}"
        self.tenant_key = f"{self.tenant_id}#mandates"
        self.end_key = _end_key(self.doc, self.mandate_id)


def _end_key(doc: Mapping[str, Any], mandate_id: str) -> str:
    """The by-function and by-end sort key: open-ended mandates sort last."""
    return f"{doc.get('end') or OPEN_END}#{mandate_id}"


def _keys(m: Mandate) -> dict[str, Any]:
    """Keyed `{contact}#{mandate}`, so that a contact's mandates are one Query (refresh_keys adds the index keys)."""
    return {"sk": f"{m.contact_id}#{m.mandate_id}"}


_repo = VersionedRepository(Mandate, MandateItem, STALE, keys=_keys)


def _items_of_contact(tenant_id: str, contact_id: str) -> list[MandateItem]:
    return list(MandateItem.query(tenant_id, MandateItem.sk.startswith(f"{contact_id}#")))


def delete_all_for_contact(tenant_id: str, contact_id: str) -> None:
    with MandateItem.batch_write() as batch:
        for item in _items_of_contact(tenant_id, contact_id):
            batch.delete(item)


def for_contact(tenant_id: str, contact_id: str) -> list[Mandate]:
    return [entity_of(Mandate, item) for item in _items_of_contact(tenant_id, contact_id)]


def for_contacts(tenant_id: str, contact_ids: list[str]) -> dict[str, list[Mandate]]:
    """One Query per contact (a ceremony lists tens of people, not thousands)."""
    return {cid: for_contact(tenant_id, cid) for cid in dict.fromkeys(contact_ids)}


def get(tenant_id: str, contact_id: str, mandate_id: str) -> Mandate | None:
    return _repo.get(tenant_id, f"{contact_id}#{mandate_id}")


def save(m: Mandate, *, is_new: bool) -> None:
    """Write the mandate if nobody changed it since it was read (its version), or if new, if its key is free;
    409 otherwise. The new version is written back into ``m``."""
    _repo.save(m, condition=MandateItem.sk.does_not_exist() if is_new else None)


def write_batch(mandates: list[Mandate]) -> None:
    """Bulk writes (imports): BatchWriteItem by 25, each mandate's version bumped by hand (no condition)."""
    items = []
    with MandateItem.batch_write() as batch:
        for m in mandates:
            item = _repo.item(m)
            item.version = (item.version or 0) + 1
            batch.save(item)
            items.append(item)
    for m, item in zip(mandates, items, strict=True):
        m.version = item.version


delete = _repo.delete  # if nobody changed it since it was read (its version); 409 otherwise


def open_for_function(tenant_id: str, function: str) -> list[Mandate]:
    """Mandates of a function with no end date (their end key sorts last)."""
    return [
        entity_of(Mandate, item)
        for item in MandateItem.by_function.query(
            f"{tenant_id}#{function}", MandateItem.end_key.startswith(f"{OPEN_END}#")
        )
    ]


def page(
    tenant_id: str,
    *,
    function: str | None,
    ending_before: str | None,
    accept: Callable[[Mandate], bool],
    cursor: str | None,
    limit: int,
    filters: tuple[Any, ...] = (),
) -> Listing[Mandate]:
    """An exact page of the mandates ``accept`` keeps, by function (or across functions) and end date, ending
    before ``ending_before`` when given: read from the index in batches. ``filters`` are what ``accept`` checks,
    part of the cursor's fingerprint, so that a cursor is refused by another query."""
    condition = MandateItem.end_key < f"{ending_before}#" if ending_before else None
    index_hash = f"{tenant_id}#{function}" if function else f"{tenant_id}#mandates"
    hash_name = "function_key" if function else "tenant_key"

    def fetch(start_key: dict[str, Any] | None, batch: int) -> tuple[list[Mandate], Any]:
        if function:
            result = MandateItem.by_function.query(index_hash, condition, limit=batch, last_evaluated_key=start_key)
        else:
            result = MandateItem.by_end.query(index_hash, condition, limit=batch, last_evaluated_key=start_key)
        items = [entity_of(Mandate, item) for item in result]
        return items, result.last_evaluated_key

    def key(m: Mandate) -> dict[str, Any]:
        return {
            "tenant_id": {"S": m.tenant_id},
            "sk": {"S": f"{m.contact_id}#{m.mandate_id}"},
            hash_name: {"S": index_hash},
            "end_key": {"S": _end_key(m.doc, m.mandate_id)},
        }

    items, next_cursor = cursors.filtered_page(
        fetch,
        accept,
        key,
        cursor,
        limit,
        cursors.fingerprint(index_hash, ending_before, *filters),
        lambda k: (
            k.keys() == {"tenant_id", "sk", hash_name, "end_key"}
            and k["tenant_id"] == tenant_id
            and k[hash_name] == index_hash
            and (ending_before is None or k["end_key"] < f"{ending_before}#")  # inside the key condition
        ),
    )
    return Listing(items, next_cursor)


def all_of_tenant(tenant_id: str) -> Iterator[Mandate]:
    """Every mandate of the tenant (the by-end index's partition, read page by page as consumed)."""
    return (entity_of(Mandate, item) for item in MandateItem.by_end.query(f"{tenant_id}#mandates"))
