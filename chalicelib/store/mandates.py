"""Mandates, functions and désignations held by contacts.

Sort key "{contact id}#{mandate id}": a contact's mandates are one Query. Two GSIs serve
`GET /mandates`: by function, and across functions; both sorted by end date (open-ended
mandates last), so "every mandate ending before D" is a key condition, not a filter.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName

OPEN_END = "9999-12-31"
STALE = "Ce mandat a été modifié entre-temps ; rechargez-le puis réessayez."


class _ByFunction(GlobalSecondaryIndex["MandateItem"]):
    class Meta:
        index_name = "by-function"
        projection = AllProjection()

    function_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{function}"
    end_key = UnicodeAttribute(range_key=True)  # "{end or 9999-12-31}#{mandate id}"


class _ByEnd(GlobalSecondaryIndex["MandateItem"]):
    class Meta:
        index_name = "by-end"
        projection = AllProjection()

    tenant_key = UnicodeAttribute(hash_key=True)  # "{tenant}#mandates"
    end_key = UnicodeAttribute(range_key=True)


class MandateItem(BaseModel):
    class Meta:
        table_name = TableName("mandates")

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)  # "{contact_id}#{mandate_id}"
    contact_id = UnicodeAttribute()
    mandate_id = UnicodeAttribute()
    doc = DocAttribute(default=dict)
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    # RNE imports: which file kind created the mandate and the last import that saw it (for end-dating), with the
    # line of that import's file that saw it first and what it did then (created, updated, unchanged): a chunk
    # redelivered after its writes went through counts the same outcome again instead of "unchanged".
    rne_kind = UnicodeAttribute(null=True)
    import_id = UnicodeAttribute(null=True)
    import_line = NumberAttribute(null=True)
    import_outcome = UnicodeAttribute(null=True)
    function_key = UnicodeAttribute()
    tenant_key = UnicodeAttribute()
    end_key = UnicodeAttribute()

    by_function = _ByFunction()
    by_end = _ByEnd()

    def refresh_keys(self) -> None:
        """Derived index keys, recomputed on every write so the GSIs agree with the document."""
        self.function_key = f"{self.tenant_id}#{self.doc['function']}"
        self.tenant_key = f"{self.tenant_id}#mandates"
        self.end_key = f"{self.doc.get('end') or OPEN_END}#{self.mandate_id}"


def mandate_json(item: MandateItem) -> dict[str, Any]:
    return {
        "id": item.mandate_id,
        "contact_id": item.contact_id,
        **item.doc,
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def delete_all_for_contact(tenant_id: str, contact_id: str) -> None:
    with MandateItem.batch_write() as batch:
        for item in for_contact(tenant_id, contact_id):
            batch.delete(item)


def for_contact(tenant_id: str, contact_id: str) -> list[MandateItem]:
    return list(MandateItem.query(tenant_id, MandateItem.sk.startswith(f"{contact_id}#")))


def for_contacts(tenant_id: str, contact_ids: list[str]) -> dict[str, list[MandateItem]]:
    """One Query per contact (a ceremony lists tens of people, not thousands)."""
    return {cid: for_contact(tenant_id, cid) for cid in dict.fromkeys(contact_ids)}


def get(tenant_id: str, contact_id: str, mandate_id: str) -> MandateItem | None:
    try:
        return MandateItem.get(tenant_id, f"{contact_id}#{mandate_id}")
    except DoesNotExist:
        return None


def save(item: MandateItem, *, is_new: bool) -> None:
    item.refresh_keys()
    try:
        if is_new:
            item.save(condition=MandateItem.sk.does_not_exist())
        else:
            item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(STALE) from exc
        raise


def write_batch(items: list[MandateItem]) -> None:
    """Bulk writes (imports): BatchWriteItem by 25, each item's version bumped by hand (no condition)."""
    with MandateItem.batch_write() as batch:
        for item in items:
            item.refresh_keys()
            item.version = (item.version or 0) + 1
            batch.save(item)


def delete(item: MandateItem) -> None:
    try:
        item.delete()
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(STALE) from exc
        raise


def open_for_function(tenant_id: str, function: str) -> list[MandateItem]:
    """Mandates of a function with no end date (their end key sorts last)."""
    return list(
        MandateItem.by_function.query(f"{tenant_id}#{function}", MandateItem.end_key.startswith(f"{OPEN_END}#"))
    )


def page(
    tenant_id: str, function: str | None, ending_before: str | None, start_key: dict[str, Any] | None, limit: int
) -> tuple[list[MandateItem], Any]:
    condition = MandateItem.end_key < f"{ending_before}#" if ending_before else None
    if function:
        result = MandateItem.by_function.query(
            f"{tenant_id}#{function}", condition, limit=limit, last_evaluated_key=start_key
        )
    else:
        result = MandateItem.by_end.query(f"{tenant_id}#mandates", condition, limit=limit, last_evaluated_key=start_key)
    items = list(result)
    return items, result.last_evaluated_key
