"""infra/backfill_contact_points: contacts saved before replies get the email and phone entries replies look up."""

from __future__ import annotations

from chalicelib.store import contacts, search_index
from chalicelib.store.base import new_id, now_iso
from infra.backfill_contact_points import backfill


def test_old_contacts_become_findable_by_email_and_phone(tenant) -> None:
    at = now_iso()
    doc = {"kind": "person", "last_name": "Ancien", "emails": ["Ancien@Exemple.fr"], "phones": ["+33612345678"]}
    old = contacts.ContactItem(tenant.id, new_id(), doc=doc, created_at=at, updated_at=at)
    old.save()  # straight to the table, as before the contact index had email and phone entries
    assert search_index.contacts_with_email(tenant.id, "ancien@exemple.fr") == []
    assert search_index.contacts_with_phone("+33612345678") == []

    assert backfill() == {"contacts": 1, "entries": 2}
    assert search_index.contacts_with_email(tenant.id, "ANCIEN@exemple.fr") == [old.contact_id]
    assert search_index.contacts_with_phone("+33612345678") == [(tenant.id, old.contact_id)]
    assert backfill() == {"contacts": 1, "entries": 2}  # the same items again
    assert search_index.contacts_with_phone("+33612345678") == [(tenant.id, old.contact_id)]
