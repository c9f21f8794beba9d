"""The duplicates scan reads a tenant in Query pages, never a Scan; the check of a new contact reads what its names
lead to, whatever the size of the tenant."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.schemas.contacts import ContactCreate, contact_doc
from chalicelib.services import contacts, duplicates
from tests.support.aws_calls import dynamodb_calls


def _people(p: Any, rows: list[dict[str, Any]]) -> list[str]:
    made = contacts.import_many(p, [contact_doc(ContactCreate(kind="person", **row)) for row in rows])
    return [c.contact_id for c in made]


def test_the_scan_reads_the_tenant_a_query_page_at_a_time(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "PAGE", 3)
    rows = [{"first_name": f"Prénom{chr(97 + n)}", "last_name": f"Nom{chr(97 + n)}"} for n in range(8)]
    a, b = _people(admin, [{"first_name": "Luc", "last_name": "Morel", "emails": ["luc@exemple.fr"]}] * 2)
    _people(admin, rows)

    result, calls = dynamodb_calls(lambda: duplicates.scan_tenant(admin.tenant_id))

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

    found, calls = dynamodb_calls(lambda: duplicates.check_new(admin, new))

    assert [contact_id for contact_id, _ in found] == [original]
    assert calls[("Query", "index")] == len(duplicates._prefixes(duplicates.rules.profile("x", new.doc)))  # type: ignore[arg-type]
    assert calls[("BatchGetItem", "contacts")] <= 3
    assert sum(calls.values()) <= 8
