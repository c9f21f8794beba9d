"""The duplicates scan reads a tenant in Query pages, never a Scan; the check of a new contact reads what its names
lead to, whatever the size of the tenant."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import botocore.client
import pytest

from chalicelib.schemas.contacts import ContactCreate, contact_doc
from chalicelib.services import contacts, duplicates


def _people(p: Any, rows: list[dict[str, Any]]) -> list[str]:
    made = contacts.import_many(p, [contact_doc(ContactCreate(kind="person", **row)) for row in rows])
    return [c.contact_id for c in made]


def _dynamodb_calls(fn: Callable[[], Any]) -> tuple[Any, Counter[tuple[str, str]]]:
    """fn's result and its DynamoDB calls by (operation, table)."""
    calls: Counter[tuple[str, str]] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            tables = params.get("TableName") or ",".join(params.get("RequestItems", {}))
            calls[(operation, tables.split("-")[-1])] += 1
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting
    try:
        return fn(), calls
    finally:
        botocore.client.BaseClient._make_api_call = original


def test_the_scan_reads_the_tenant_a_query_page_at_a_time(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "PAGE", 3)
    rows = [{"first_name": f"Prénom{chr(97 + n)}", "last_name": f"Nom{chr(97 + n)}"} for n in range(8)]
    a, b = _people(admin, [{"first_name": "Luc", "last_name": "Morel", "emails": ["luc@exemple.fr"]}] * 2)
    _people(admin, rows)

    result, calls = _dynamodb_calls(lambda: duplicates.scan_tenant(admin.tenant_id))

    assert result == {"contacts": 10, "pairs": 1, "written": 1, "deleted": 0}
    assert calls[("Query", "contacts")] == 4  # 10 contacts, 3 a page
    assert not any(op == "Scan" for op, _ in calls)
    assert [(x.a, x.b) for x in duplicates.store.pairs(admin.tenant_id)] == [tuple(sorted((a, b)))]


def test_checking_a_new_contact_reads_what_its_names_lead_to(admin: Any) -> None:
    """A tenant of 150 « Martin »: the check reads a capped range per name prefix and compares at most
    MAX_CANDIDATES, never the whole tenant."""
    _people(admin, [{"first_name": f"P{n:03d}", "last_name": "Martin"} for n in range(150)])
    [original] = _people(admin, [{"first_name": "Jeanne", "last_name": "Roux", "phones": ["06 12 34 56 78"]}])
    new = contacts.create(admin, contact_doc(ContactCreate(kind="person", first_name="Jeanne", last_name="ROUX",
                                                           phones=["+33612345678"])))  # fmt: skip

    found, calls = _dynamodb_calls(lambda: duplicates.check_new(admin, new))

    assert [contact_id for contact_id, _ in found] == [original]
    assert calls[("Query", "index")] == len(duplicates._prefixes(duplicates.rules.profile("x", new.doc)))  # type: ignore[arg-type]
    assert calls[("BatchGetItem", "contacts")] <= 3
    assert sum(calls.values()) <= 8
