"""Contact directory use cases: create, read (360° view), update, delete, list and search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from chalicelib.auth import Principal, require_confidential
from chalicelib.domain import contacts as rules
from chalicelib.domain import search
from chalicelib.domain.custom_fields import check_values
from chalicelib.domain.erasure import ERASED_MESSAGE, is_erased
from chalicelib.domain.listing import Listing
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.services import audit, erasure, lookup
from chalicelib.store import consents, cursors, interactions, mandates, merges, search_index, tenants
from chalicelib.store import contacts as store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, ContactDoc, ContactOverview

NOT_FOUND = "Contact introuvable."
RECENT_INTERACTIONS = 20


def _check_references(p: Principal, contact_id: str, doc: ContactDoc) -> None:
    """Partner and affiliated organisations must be contacts of this tenant, of the right kind."""
    partner = doc.get("partner_contact_id")
    org_ids = [a["organisation_id"] for a in doc.get("affiliations") or []]
    wanted = ([partner] if partner else []) + org_ids
    if not wanted:
        return
    found = store.batch_get(p.tenant_id, wanted)
    errors: list[dict[str, str]] = []
    if partner:
        other = found.get(partner)
        if partner == contact_id:
            errors.append({"field": "partner_contact_id", "message": "Un contact ne peut être son propre conjoint."})
        elif other is None:
            errors.append({"field": "partner_contact_id", "message": "Contact introuvable."})
        elif other.doc["kind"] != "person":
            errors.append({"field": "partner_contact_id", "message": "Le conjoint doit être une personne."})
    for n, org_id in enumerate(org_ids):
        org = found.get(org_id)
        if org is None:
            errors.append({"field": f"affiliations[{n}].organisation_id", "message": "Organisation introuvable."})
        elif org.doc["kind"] != "organisation":
            errors.append(
                {"field": f"affiliations[{n}].organisation_id", "message": "Ce contact n'est pas une organisation."}
            )
    if errors:
        raise ValidationFailed(errors)


def require_field_access(p: Principal, body: Any) -> None:
    """Sending a confidential field at all (even null or invalid) needs protocole, cabinet or admin."""
    if isinstance(body, dict) and any(name in body for name in rules.CONFIDENTIAL_FIELDS):
        require_confidential(p)


def _check_custom(p: Principal, doc: ContactDoc) -> ContactDoc:
    """The record with its custom values checked against the tenant's declared fields (and cleaned)."""
    if not doc.get("custom"):
        return doc
    declared = {f.name: dict(f.data) for f in tenants.list_fields(p.tenant_id)}
    cleaned, errors = check_values(doc["custom"], declared)
    if errors:
        raise ValidationFailed(errors)
    checked = doc.copy()
    checked["custom"] = cleaned
    return checked


def _checked(
    p: Principal, contact_id: str, doc: ContactDoc, *, touches_confidential: bool, touches_custom: bool
) -> ContactDoc:
    """The rules a record checks beyond its shape (validated by the request's model): the confidential field's
    role, the declared custom fields, the contacts it refers to."""
    if touches_confidential:
        require_confidential(p)
    if touches_custom:
        # Only values being written are checked: a field deleted since must not block other edits.
        doc = _check_custom(p, doc)
    _check_references(p, contact_id, doc)
    return doc


ERASED_FIELD = "Personne ayant demandé l'effacement."
ERASED_RECORD = "Ce contact a été effacé à la demande de la personne : il ne peut plus être modifié."
OVERRIDE_FORBIDDEN = "Seul un administrateur peut recréer une personne ayant demandé l'effacement de ses données."


def _refuse_erased(p: Principal, doc: ContactDoc, override_erasure: bool) -> None:
    """A person who asked for erasure (RGPD art. 17) is not brought back by a new record carrying their email or
    phone (409), unless an administrator says the person asked for it themselves (`override_erasure`, audited)."""
    if override_erasure and not p.is_admin:
        raise Forbidden(OVERRIDE_FORBIDDEN)
    fields = erasure.erased_fields(p.tenant_id, doc)
    if fields and not override_erasure:
        raise Conflict(ERASED_MESSAGE, [{"field": f, "message": ERASED_FIELD} for f in fields])


def create(p: Principal, doc: ContactDoc, *, override_erasure: bool = False) -> Contact:
    """A new contact from a validated record (`schemas.contacts.contact_doc`)."""
    contact_id = new_id()
    doc = _checked(p, contact_id, doc, touches_confidential=doc.get("protocol_notes") is not None, touches_custom=True)
    _refuse_erased(p, doc, override_erasure)
    at = now_iso()
    contact = Contact(tenant_id=p.tenant_id, contact_id=contact_id, doc=doc, created_at=at, updated_at=at)
    store.create(contact)
    audit.record(p, "create", "contact", contact_id, {"override_erasure": True} if override_erasure else None)
    return contact


def import_many(
    p: Principal, docs: Sequence[ContactDoc], ids: Sequence[str] | None = None, at: str | None = None
) -> list[Contact]:
    """Create many contacts from validated records with the same checks as `create`, written in bulk
    (BatchWriteItem).

    References (partner, organisations) must point to contacts that already exist. A job that may run again (a
    redelivered chunk) passes the `ids` and the moment `at` it derives from its work: running again rewrites the
    same contacts and the same audit entries (services/audit.record).
    """
    stamp = at or now_iso()
    created = []
    for n, doc in enumerate(docs):
        contact_id = ids[n] if ids is not None else new_id()
        checked = _checked(
            p, contact_id, doc, touches_confidential=doc.get("protocol_notes") is not None, touches_custom=True
        )
        created.append(
            Contact(tenant_id=p.tenant_id, contact_id=contact_id, doc=checked, created_at=stamp, updated_at=stamp)
        )
    store.create_many(created)
    for contact in created:
        audit.record(p, "create", "contact", contact.contact_id, {"import": True}, at=at)
    return created


def load(p: Principal, contact_id: str) -> Contact:
    contact = lookup.find(store.get, p.tenant_id, contact_id)
    if contact is None:
        raise NotFound(NOT_FOUND, _merged_hint(p, contact_id) if len(contact_id) <= lookup.MAX_KEY else None)
    return contact


def _merged_hint(p: Principal, contact_id: str) -> list[dict[str, Any]] | None:
    """Where a contact merged into another went (store/merges.py leaves its address): the 404 says so."""
    found = merges.pointer(p.tenant_id, contact_id)
    if found is None:
        return None
    keep_id, merge_id, at = found
    day = f"{at[8:10]}/{at[5:7]}/{at[:4]}"
    message = f"Ce contact a été fusionné le {day} dans le contact {keep_id} (fusion {merge_id})."
    return [{"field": "merged_into", "message": message, "key": keep_id}]


def update(p: Principal, contact: Contact, doc: ContactDoc, fields: list[str], version: int) -> Contact:
    """Write `doc`, the record after a PATCH (`schemas.contacts.merged_contact`), which sent `fields`.

    `contact` is the record as loaded, before the body was parsed (404 before 422); `version` the one the client
    read (409 when stale, after the checks of the record).
    """
    if is_erased(contact.doc):
        raise Conflict(ERASED_RECORD)
    edited = [f for f in fields if f != "archived"]
    if edited:
        doc = _checked(
            p,
            contact.contact_id,
            doc,
            touches_confidential="protocol_notes" in edited,
            touches_custom="custom" in edited,
        )
    if version != contact.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {contact.version}."}])
    updated = replace(contact, doc=doc, updated_at=now_iso())
    store.update(contact, updated)
    archiving = ["archived"] if updated.archived != contact.archived else []
    audit.record(p, "update", "contact", contact.contact_id, {"fields": sorted({*edited, *archiving})})
    return updated


def delete(p: Principal, contact_id: str) -> None:
    contact = load(p, contact_id)
    store.delete(contact)
    # The contact is gone (and invisible) first; what hangs off it follows. A failure here leaves
    # orphans that no route shows under the contact, and a retried DELETE answers 404.
    interactions.delete_all_for_contact(p.tenant_id, contact_id)
    mandates.delete_all_for_contact(p.tenant_id, contact_id)
    consents.delete_all_for_contact(p.tenant_id, contact_id)  # the suppression list keeps its addresses
    audit.record(p, "delete", "contact", contact_id)


def view(p: Principal, contact_id: str) -> ContactOverview:
    """The 360° view in four reads: the contact, its latest interactions, its open tasks, its mandates."""
    contact = load(p, contact_id)
    recent = interactions.recent_for_contact(p.tenant_id, contact_id, RECENT_INTERACTIONS)
    open_tasks = interactions.open_tasks_for_contact(p.tenant_id, contact_id)
    held = mandates.for_contact(p.tenant_id, contact_id)
    audit.record(p, "read", "contact", contact_id)
    return ContactOverview(contact=contact, interactions=recent, open_tasks=open_tasks, mandates=held)


PROBE = 100  # index entries read per probe of a query word's range


def _fingerprint(p: Principal, sp: search.SearchPlan) -> str:
    return cursors.fingerprint(p.tenant_id, sp.partition, sp.prefix, sp.other_words, sp.tag, sp.kind)


def _choose_driver(
    p: Principal, q: str | None, tag: str | None, kind: str | None, archived: bool, cursor: str | None
) -> tuple[str | None, search_index.Batch | None]:
    """(driver word, its first batch already read) for a query of several words.

    A next page resumes with the driver of the first (the cursor's fingerprint names it).
    A first page probes the words' ranges longest first and drives with the first range read
    to its end: that range holds every candidate, so nothing more is read.
    """
    candidates = search.driver_candidates(q)
    if len(candidates) < 2:
        return None, None
    if cursor:
        wanted = cursors.fingerprint_of(cursor)
        for word in candidates:
            if _fingerprint(p, search.plan(q, tag, kind, word, archived=archived)) == wanted:
                return word, None
        return None, None  # decode() rejects the cursor
    first: tuple[str, search_index.Batch] | None = None
    for word in candidates:
        batch = search_index.probe_word(p.tenant_id, word, archived, PROBE)
        if batch[1] is None:
            return word, batch
        first = first or (word, batch)
    return first if first else (None, None)


def list_contacts(
    p: Principal,
    *,
    q: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    archived: bool = False,
    cursor: str | None = None,
    limit: int = 25,
) -> Listing[Contact]:
    """One page of contacts, exact: `next_cursor` is set only when another match exists."""
    driver, prefetched = _choose_driver(p, q, tag, kind, archived, cursor)
    sp = search.plan(q, tag, kind, driver, archived=archived)
    if sp.is_empty:
        return Listing()
    page = search_index.matching_page(p.tenant_id, sp, cursor, limit, _fingerprint(p, sp), first=prefetched)
    found = store.batch_get(p.tenant_id, (e.contact_id for e in page.items))
    items = [found[e.contact_id] for e in page.items if e.contact_id in found]
    if items:  # full records (emails, phones, address, birth date) were read: audited like GET /contacts/{id}
        criteria: dict[str, str | bool] = {k: v for k, v in (("q", q), ("tag", tag), ("kind", kind)) if v}
        if archived:
            criteria["archived"] = True
        audit.record(p, "list", "contact", "page", {"ids": [c.contact_id for c in items], "query": criteria})
    return Listing(items, page.next_cursor)
