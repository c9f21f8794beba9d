"""Contact directory use cases: create, read (360° view), update, delete, list and search."""

from __future__ import annotations

from typing import Any

from chalicelib.auth import Principal, require_confidential
from chalicelib.domain import contacts as rules
from chalicelib.domain import search
from chalicelib.domain.custom_fields import check_values
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.contacts import ContactCreate, ContactListQuery, ContactPatch
from chalicelib.schemas.validation import parse
from chalicelib.services import audit
from chalicelib.store import contacts as store
from chalicelib.store import cursors, interactions, mandates, search_index, tenants
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.search_index import IndexedContact

NOT_FOUND = "Contact introuvable."
RECENT_INTERACTIONS = 20


def to_json(item: store.ContactItem, p: Principal) -> dict[str, Any]:
    doc = rules.redact(item.doc, p.can_see_confidential)
    return {
        "id": item.contact_id,
        "distinctions": [],  # records stored before the field existed
        **doc,
        "archived": bool(doc.get("archived")),
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _indexed(contact_id: str, doc: dict[str, Any]) -> IndexedContact:
    return IndexedContact(
        contact_id=contact_id,
        kind=doc["kind"],
        sort_name=rules.sort_name(doc),
        words=tuple(rules.name_words(doc)),
        tags=tuple(rules.tag_slugs(doc)),
        identity=rules.identity(doc),
        archived=bool(doc.get("archived")),
    )


def _check_references(p: Principal, contact_id: str, doc: dict[str, Any]) -> None:
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


def _check_custom(p: Principal, doc: dict[str, Any]) -> None:
    if not doc.get("custom"):
        return
    declared = {f.sk.removeprefix(tenants.FIELD_PREFIX): dict(f.data) for f in tenants.list_fields(p.tenant_id)}
    cleaned, errors = check_values(doc["custom"], declared)
    if errors:
        raise ValidationFailed(errors)
    doc["custom"] = cleaned


def _validated_doc(
    p: Principal, contact_id: str, data: ContactCreate, touches_confidential: bool, touches_custom: bool
) -> dict[str, Any]:
    if touches_confidential:
        require_confidential(p)
    doc = data.model_dump(mode="json")
    if touches_custom:
        # Only values being written are checked: a field deleted since must not block other edits.
        _check_custom(p, doc)
    _check_references(p, contact_id, doc)
    return doc


def create(p: Principal, data: ContactCreate) -> dict[str, Any]:
    contact_id = new_id()
    doc = _validated_doc(p, contact_id, data, data.protocol_notes is not None, touches_custom=True)
    at = now_iso()
    item = store.ContactItem(p.tenant_id, contact_id, doc=doc, created_at=at, updated_at=at)
    store.write(item, search_index.entries_for(p.tenant_id, _indexed(contact_id, doc)), [], is_new=True)
    audit.record(p, "create", "contact", contact_id)
    return to_json(item, p)


def import_many(p: Principal, batch: list[ContactCreate]) -> list[dict[str, Any]]:
    """Create many contacts with the same checks as `create`, written in bulk (BatchWriteItem).

    References (partner, organisations) must point to contacts that already exist.
    """
    at = now_iso()
    rows = []
    for data in batch:
        contact_id = new_id()
        doc = _validated_doc(p, contact_id, data, data.protocol_notes is not None, touches_custom=True)
        item = store.ContactItem(p.tenant_id, contact_id, doc=doc, created_at=at, updated_at=at)
        rows.append((item, search_index.entries_for(p.tenant_id, _indexed(contact_id, doc))))
    store.write_new_batch(rows)
    for item, _ in rows:
        audit.record(p, "create", "contact", item.contact_id, {"import": True})
    return [to_json(item, p) for item, _ in rows]


def load(p: Principal, contact_id: str) -> store.ContactItem:
    item = store.get(p.tenant_id, contact_id) if len(contact_id) <= 64 else None
    if item is None:
        raise NotFound(NOT_FOUND)
    return item


def update(p: Principal, item: store.ContactItem, patch: ContactPatch) -> dict[str, Any]:
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version"})
    stored = dict(item.doc)
    was_archived = bool(stored.get("archived"))
    archived = bool(changes.pop("archived", was_archived))
    editable = {k: v for k, v in stored.items() if k != "archived"}  # the record's fields, as ContactCreate has them
    merged = parse(ContactCreate, {**editable, **changes}) if changes else None
    if merged is None:
        doc = editable
    else:
        doc = _validated_doc(p, item.contact_id, merged, "protocol_notes" in changes, "custom" in changes)
    if archived:
        doc = {**doc, "archived": True}
    if patch.version != item.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {item.version}."}])
    old_entries = search_index.entries_for(p.tenant_id, _indexed(item.contact_id, stored))
    new_entries = search_index.entries_for(p.tenant_id, _indexed(item.contact_id, doc))
    puts, deletes = search_index.diff(old_entries, new_entries)
    item.doc = doc
    item.updated_at = now_iso()
    store.write(item, puts, deletes, is_new=False)
    fields = sorted({*changes, *(["archived"] if archived != was_archived else [])})
    audit.record(p, "update", "contact", item.contact_id, {"fields": fields})
    return to_json(item, p)


def delete(p: Principal, contact_id: str) -> None:
    item = load(p, contact_id)
    store.delete(item, search_index.entries_for(p.tenant_id, _indexed(contact_id, dict(item.doc))))
    # The contact is gone (and invisible) first; what hangs off it follows. A failure here leaves
    # orphans that no route shows under the contact, and a retried DELETE answers 404.
    interactions.delete_all_for_contact(p.tenant_id, contact_id)
    mandates.delete_all_for_contact(p.tenant_id, contact_id)
    audit.record(p, "delete", "contact", contact_id)


def view(p: Principal, contact_id: str) -> dict[str, Any]:
    """The 360° view in four reads: the contact, its latest interactions, its open tasks, its mandates."""
    item = load(p, contact_id)
    recent = interactions.recent_for_contact(p.tenant_id, contact_id, RECENT_INTERACTIONS)
    open_tasks = interactions.open_tasks_for_contact(p.tenant_id, contact_id)
    held = mandates.for_contact(p.tenant_id, contact_id)
    audit.record(p, "read", "contact", contact_id)
    return {
        "contact": to_json(item, p),
        "interactions": [interactions.interaction_json(i) for i in recent],
        "open_tasks": [interactions.task_json(t) for t in open_tasks],
        "mandates": [mandates.mandate_json(m) for m in held],
    }


PROBE = 100  # index entries read per probe of a query word's range


def _fingerprint(p: Principal, sp: search.SearchPlan) -> str:
    return cursors.fingerprint(p.tenant_id, sp.partition, sp.prefix, sp.other_words, sp.tag, sp.kind)


def _choose_driver(p: Principal, query: ContactListQuery) -> tuple[str | None, Any]:
    """(driver word, its first batch already read) for a query of several words.

    A next page resumes with the driver of the first (the cursor's fingerprint names it).
    A first page probes the words' ranges longest first and drives with the first range read
    to its end: that range holds every candidate, so nothing more is read.
    """
    candidates = search.driver_candidates(query.q)
    if len(candidates) < 2:
        return None, None
    if query.cursor:
        wanted = cursors.fingerprint_of(query.cursor)
        for word in candidates:
            if _fingerprint(p, search.plan(query.q, query.tag, query.kind, word, archived=query.archived)) == wanted:
                return word, None
        return None, None  # decode() rejects the cursor
    first: tuple[str, Any] | None = None
    for word in candidates:
        partition = search_index.word_partition(p.tenant_id, word, query.archived)
        batch = search_index.query_page(partition, word, None, PROBE)
        if batch[1] is None:
            return word, batch
        first = first or (word, batch)
    return first if first else (None, None)


def list_contacts(p: Principal, query: ContactListQuery) -> dict[str, Any]:
    """One page of contacts, exact: `next_cursor` is set only when another match exists."""
    driver, prefetched = _choose_driver(p, query)
    sp = search.plan(query.q, query.tag, query.kind, driver, archived=query.archived)
    if sp.is_empty:
        return {"items": [], "next_cursor": None}
    pk = f"{p.tenant_id}#{sp.partition}"
    page, next_cursor = cursors.filtered_page(
        lambda start, size: search_index.query_page(pk, sp.prefix, start, size),
        lambda e: search.accepts(sp, e.sk, e.words, e.tags, e.kind),
        search_index.key_of,
        query.cursor,
        query.limit,
        _fingerprint(p, sp),
        lambda k: k.keys() == {"pk", "sk"} and k["pk"] == pk and k["sk"].startswith(sp.prefix),
        batch=query.limit + 1 if sp.accepts_everything else None,
        first=prefetched,
    )
    found = store.batch_get(p.tenant_id, (e.contact_id for e in page))
    items = [to_json(found[e.contact_id], p) for e in page if e.contact_id in found]
    if items:  # full records (emails, phones, address, birth date) were read: audited like GET /contacts/{id}
        criteria: dict[str, str | bool] = {
            k: v for k, v in (("q", query.q), ("tag", query.tag), ("kind", query.kind)) if v
        }
        if query.archived:
            criteria["archived"] = True
        audit.record(p, "list", "contact", "page", {"ids": [i["id"] for i in items], "query": criteria})
    return {"items": items, "next_cursor": next_cursor}
