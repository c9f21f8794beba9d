"""The right of access (RGPD art. 15; CNIL, « Le droit d'accès ») : everything the workspace holds on one person,
for an administrator to hand over (JSON, or a readable French page), within a month of the request (art. 12 § 3).

What it gathers: the record; mandates; every interaction and task; invitations (as guest or partner) with their
events; campaign messages (what was sent, opened, clicked); consents with their history; the audit entries about
the person (who read, changed or exported the record). How each is read without a Scan: store/person_records.py.
The protocol notes are included: art. 15 covers every datum held, confidential remarks too.
"""

from __future__ import annotations

from chalicelib.auth import Principal
from chalicelib.services import audit, contacts
from chalicelib.store import campaigns as campaigns_store
from chalicelib.store import consents as consents_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import person_records, tenants
from chalicelib.store.base import now_iso
from chalicelib.store.entities import PersonFile


def person_file(p: Principal, contact_id: str) -> PersonFile:
    """Everything held on the contact (404 if it is not the tenant's); audited as an export."""
    contact = contacts.load(p, contact_id)
    invitations, events = person_records.invitations_of(p.tenant_id, contact_id)
    messages = person_records.messages_of(p.tenant_id, contact_id)
    found = {cid: c for cid in messages if (c := campaigns_store.get(p.tenant_id, cid)) is not None}
    entries, truncated = person_records.audit_about(p.tenant_id, contact_id)
    settings = tenants.get_settings_item(p.tenant_id)
    result = PersonFile(
        contact=contact,
        mandates=mandates_store.for_contact(p.tenant_id, contact_id),
        interactions=person_records.interactions_of(p.tenant_id, contact_id),
        tasks=person_records.tasks_of(p.tenant_id, contact_id),
        invitations=invitations,
        events=events,
        messages=[messages[cid] for cid in sorted(messages)],
        campaigns=found,
        consents=sorted(consents_store.for_contact(p.tenant_id, contact_id).values(), key=lambda c: c.channel),
        audit=entries,
        audit_complete=not truncated,
        tenant_name=str(settings.data.get("name") or "") if settings else "",
        generated_at=now_iso(),
    )
    audit.record(p, "export", "contact", contact_id, {"kind": "access"})
    return result
