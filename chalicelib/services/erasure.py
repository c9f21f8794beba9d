"""The right to erasure (RGPD art. 17; CNIL, « Le droit à l'effacement »): `DELETE /contacts/{id}?mode=erase`.

The person is anonymised everywhere the right of access finds them (store/person_records.py), rather than deleted,
so that the figures others read stay true: an event's attendance (the invitation keeps its status and seats), a
campaign's counts (the message keeps its status and dates), an open task (it stays open, its title blanked):

- the contact: a placeholder « Personne effacée », archived (out of lists, segments, sends); its search index
  entries (names, emails, phones) move with it, so the erased name is no longer findable;
- interactions and tasks: their text blanked; mandates, consents and topic choices: deleted with the person;
- invitations (as guest or partner): names of the guest, companions and representative blanked, notes removed;
- campaign messages: address, salutation and clicked links removed;
- consultation responses naming them: kept for the results (choices count), anonymous, free text blanked;
  the marks that they answered deleted;
- letters printed for the person: the PDFs (letters and labels) deleted with every S3 version, the job kept
  without its files (other recipients' letters can be printed again); the invitation letters of the events they
  were invited to by letter likewise (those PDFs are handed over once, through a link valid one hour);
- contact exports written to S3 (the large ones) that hold the person: the file deleted with every version;
- suppression entries: the address replaced by its keyed hash (domain/erasure.point_key); replies from their
  addresses still waiting in the inbox: deleted;
- audit entries about the person: kept (accountability, art. 5 § 2), personal data in their details blanked.

What the law requires to keep (art. 17 § 3 b) is not erased: campaign-finance records, once they exist, are kept
for their legal period by their own module.

The keyed hashes of the person's emails and phones are recorded first (store/erasures.py), so that a later import
or POST /contacts carrying them says « personne ayant demandé l'effacement » (`erased_match`) instead of bringing
the person back silently. Each step is idempotent and the contact is replaced last: a failure midway leaves the
contact as it was, and a retried request does everything again. Erasing an erased contact changes nothing and
answers the same (204); it is audited again. The audit entry of an erasure names the contact's id and the counts of
records anonymised, never the data erased.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import erasure as rules
from chalicelib.services import audit, lookup
from chalicelib.settings import get_settings
from chalicelib.store import audit as audit_store
from chalicelib.store import consents as consents_store
from chalicelib.store import consultations as consultations_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import erasures as store
from chalicelib.store import exports as exports_store
from chalicelib.store import interactions as interactions_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import letters as letters_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import person_records
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact, ContactDoc

NOT_FOUND = "Contact introuvable."
EXPORT_ERASED = (
    "Fichier supprimé : une personne qu'il contenait a demandé l'effacement de ses données ; relancez l'export."
)
LETTERS_ERASED = (
    "Fichiers supprimés : un destinataire a demandé l'effacement de ses données ; relancez le publipostage."
)


def erased_match(tenant_id: str, email: str | None, phone: str | None) -> bool:
    """Whether this email or phone belongs to a person of the tenant who asked for erasure (one BatchGetItem)."""
    keyed = rules.point_keys(get_settings().erasure_key(), [email], [phone])
    return bool(store.was_erased(tenant_id, keyed.values()))


def erased_fields(tenant_id: str, doc: ContactDoc) -> list[str]:
    """The record's fields (« emails[0] », « phones[1] ») holding an email or phone of an erased person: one
    BatchGetItem."""
    return erased_fields_many(tenant_id, [doc])[0]


def erased_fields_many(tenant_id: str, docs: Sequence[ContactDoc]) -> list[list[str]]:
    """`erased_fields` of each record, for a whole chunk of an import at once (BatchGetItem, 100 keys a call)."""
    secret = get_settings().erasure_key()
    keyed: list[dict[str, str]] = []
    for doc in docs:
        keys: dict[str, str] = {}
        for n, email in enumerate(doc.get("emails") or []):
            keys[f"emails[{n}]"] = rules.point_key(secret, rules.normalised_email(email))
        for n, phone in enumerate(doc.get("phones") or []):
            keys[f"phones[{n}]"] = rules.point_key(secret, rules.normalised_phone(phone))
        keyed.append(keys)
    erased = store.was_erased(tenant_id, [k for keys in keyed for k in keys.values()])
    return [[field for field, key in keys.items() if key in erased] for keys in keyed]


def _load(p: Principal, contact_id: str) -> Contact:
    return lookup.require(contacts_store.get, p.tenant_id, contact_id, NOT_FOUND)


def erase(p: Principal, contact_id: str) -> dict[str, int]:
    """Anonymise the contact everywhere (see the module's docstring); the counts of records anonymised."""
    contact = _load(p, contact_id)
    if rules.is_erased(contact.doc):
        audit.record(p, "erase", "contact", contact_id, {"already_erased": True})
        return {}
    doc = contact.doc
    keyed = rules.point_keys(get_settings().erasure_key(), doc.get("emails") or [], doc.get("phones") or [])
    store.remember(p.tenant_id, keyed.values(), now_iso())
    counts = anonymise(contact, keyed)
    audit.record(p, "erase", "contact", contact_id, {"anonymised": counts})
    return counts


def anonymise(contact: Contact, keyed: dict[str, str], *, scrub_audit: bool = True) -> dict[str, int]:
    """Blank the person in every record that names them, the contact last (each step idempotent); the counts of
    records anonymised. ``keyed``: their normalised points → keys, for the suppression entries (erasure); retention
    passes the keys too, so that the suppression list never keeps a plain address of an anonymised person.
    ``scrub_audit``: read the tenant's recent log for entries about the person (one long Query: erasure does it;
    the retention run, anonymising many contacts whose entries hold ids and field names, does not)."""
    tenant_id, contact_id, at = contact.tenant_id, contact.contact_id, now_iso()
    doc = contact.doc
    strings = rules.personal_strings(doc)
    counts: dict[str, int] = {}

    history = person_records.interactions_of(tenant_id, contact_id)
    interactions_store.put_many(replace(i, **rules.BLANKED["interaction"]) for i in history)
    counts["interactions"] = len(history)
    tasks = person_records.tasks_of(tenant_id, contact_id)
    for task in tasks:
        interactions_store.save_task(replace(task, **rules.BLANKED["task"]))
    counts["tasks"] = len(tasks)

    invitations, _ = person_records.invitations_of(tenant_id, contact_id)
    for invitation in invitations:
        blanked: Any = rules.blanked_invitation_doc(invitation.doc)
        invitations_store.save_invitation(replace(invitation, doc=blanked))
    counts["invitations"] = len(invitations)
    # Invitation letters printed by the API (services/invitation_sending: one PDF per sending, every guest of the
    # event sent by letter at that time): each PDF of an event that printed the person's letter goes, all versions.
    printed = sorted({i.event_id for i in invitations if i.channel == "letter" and i.sent_at})
    counts["invitation_letter_files"] = sum(
        store.delete_every_version(f"letters/{tenant_id}/invitations-{event_id}-", prefix=True) for event_id in printed
    )

    messages = person_records.messages_of(tenant_id, contact_id)
    for campaign_id in messages:
        store.blank_message(tenant_id, campaign_id, contact_id)
    counts["campaign_messages"] = len(messages)

    # Consultations: the responses that name the person stay in the results, anonymous, their free text blanked;
    # the marks that they answered go.
    answered, responses = consultations_store.answered_by(tenant_id, contact_id)
    questions = {c.consultation_id: c.doc.get("questions", []) for c in answered}
    for response in responses:
        blanked_answers = rules.anonymous_answers(response.answers, questions.get(response.consultation_id, []))
        consultations_store.put_response(replace(response, contact_id=None, group=None, answers=blanked_answers))
    consultations_store.forget_participation(tenant_id, [c.consultation_id for c in answered], contact_id)
    counts["consultation_responses"] = len(responses)

    letter_ids = sorted({i.interaction_id for i in history if i.kind == "letter"})
    counts["letter_files"] = sum(_delete_letter_files(tenant_id, letter_id) for letter_id in letter_ids)

    counts["suppressions"] = store.hash_suppressions(tenant_id, keyed)
    counts["inbox_messages"] = store.delete_inbox_from(tenant_id, [point for point in keyed if "@" in point])
    counts["mandates"] = len(mandates_store.for_contact(tenant_id, contact_id))
    mandates_store.delete_all_for_contact(tenant_id, contact_id)
    counts["consents"] = len(consents_store.for_contact(tenant_id, contact_id))
    consents_store.delete_all_for_contact(tenant_id, contact_id)
    consents_store.set_declined_topics(tenant_id, contact_id, set())

    if scrub_audit:
        entries, _ = person_records.audit_about(tenant_id, contact_id)
        detailed = [e for e in entries if e.detail]
        scrubbed = [replace(e, detail=rules.scrub(e.detail, strings)) for e in detailed]
        rewritten = [after for after, before in zip(scrubbed, detailed, strict=True) if after != before]
        audit_store.write_all(rewritten)
        counts["audit_entries"] = len(rewritten)
        # Large exports written to S3 name the person: the audit of each lists the ids it wrote.
        export_ids = sorted({e.resource_id for e in entries if e.action == "export" and e.resource_type == "contacts"})
        counts["export_files"] = sum(_delete_export_file(tenant_id, export_id) for export_id in export_ids)

    erased: Any = rules.erased_doc(doc, at)
    contacts_store.update(contact, replace(contact, doc=erased, updated_at=at))
    return counts


def _delete_export_file(tenant_id: str, export_id: str) -> int:
    """Every version of an export's file; the job stays, without its file, saying why."""
    job = exports_store.get(tenant_id, export_id)
    key = job.doc.get("key") if job else None
    if job is None or not key:
        return 0
    deleted = store.delete_every_version(key)
    job.doc.pop("key", None)
    job.doc["error"] = EXPORT_ERASED
    job.updated_at = now_iso()
    exports_store.save(job)
    return deleted


def _delete_letter_files(tenant_id: str, letter_id: str) -> int:
    """Every version of a letter job's PDFs (letters, labels): they print the person's name and address. The job
    stays, without its files, saying why. How many object versions were deleted."""
    job = letters_store.get(tenant_id, letter_id)
    if job is None:
        return 0
    keys = [k for k in (job.doc.get("pdf_key"), job.doc.get("labels_key")) if k]
    deleted = sum(store.delete_every_version(key) for key in keys)
    if keys:
        job.doc.pop("pdf_key", None)
        job.doc.pop("labels_key", None)
        job.doc["error"] = LETTERS_ERASED
        job.updated_at = now_iso()
        letters_store.save(job)
    return deleted
