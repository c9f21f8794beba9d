"""The right of access reads what is held on one person without a Scan: through the contact's keys, an index by
contact, the guards of (event, contact) and the keys of (campaign, contact); the audit log newest first, up to a
bound it reports."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.schemas.contacts import ContactCreate, contact_doc
from chalicelib.services import access, contacts
from chalicelib.store import audit as audit_store
from chalicelib.store import person_records
from chalicelib.store.entities import AuditEntry
from tests.support.aws_calls import dynamodb_calls


def _entry(n: int, resource_id: str, ids: list[str] | None = None) -> AuditEntry:
    at = f"2026-12-0{n}T08:00:00.000Z"
    return AuditEntry(
        tenant_id="t-svc",
        entry_id=f"{at}#{n:026d}",
        at=at,
        actor_id="u1",
        actor_email="admin@svc.test",
        action="read" if ids is None else "list",
        resource_type="contact",
        resource_id=resource_id,
        detail=None if ids is None else {"ids": ids},
    )


def test_the_audit_entries_about_a_person_and_whether_older_ones_were_left(
    aws_mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit_store.write_all(
        [
            _entry(1, "C1"),  # oldest
            _entry(2, "C2"),
            _entry(3, "page", ids=["C2", "C1"]),  # a page of GET /contacts showed C1
            _entry(4, "C2"),
            _entry(5, "C1"),  # newest
        ]
    )
    found, truncated = person_records.audit_about("t-svc", "C1")
    assert [e.entry_id[:10] for e in found] == ["2026-12-05", "2026-12-03", "2026-12-01"] and not truncated
    monkeypatch.setattr(person_records, "AUDIT_READ_LIMIT", 3)
    found, truncated = person_records.audit_about("t-svc", "C1")
    assert [e.entry_id[:10] for e in found] == ["2026-12-05", "2026-12-03"] and truncated
    assert person_records.audit_about("t-svc", "C9") == ([], True)


def test_the_person_file_never_scans(admin: Any) -> None:
    [made] = contacts.import_many(admin, [contact_doc(ContactCreate(kind="person", last_name="Martin"))])
    result, calls = dynamodb_calls(lambda: access.person_file(admin, made.contact_id))
    operations = {operation for operation, _ in calls}
    assert result.contact.contact_id == made.contact_id and result.audit_complete
    assert "Scan" not in operations and operations <= {"GetItem", "Query", "BatchGetItem", "BatchWriteItem"}
