"""Mandates, functions and désignations of contacts (protocol)."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Mandate, Territory
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.protocol import MandateCreate, MandateListQuery, MandatePatch
from chalicelib.schemas.validation import parse
from chalicelib.services import audit
from chalicelib.services import contacts as contacts_service
from chalicelib.store import cursors
from chalicelib.store import mandates as store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.contacts import ContactItem

NOT_FOUND = "Mandat introuvable."


def to_domain(doc: dict[str, Any]) -> Mandate:
    territory = doc.get("territory")

    def day(name: str) -> date | None:
        return date.fromisoformat(doc[name]) if doc.get(name) else None

    return Mandate(
        function=doc["function"],
        territory=Territory(territory["kind"], territory["code"], territory.get("name") or "") if territory else None,
        start=day("start"),
        end=day("end"),
        first_elected_on=day("first_elected_on"),
        organisation=doc.get("organisation"),
        title=doc.get("title"),
    )


def _check_territory(doc: dict[str, Any]) -> None:
    """A territorial function names its territory, of the function's kind (a maire's is a commune) or of one of
    its other accepted kinds (a conseiller départemental's canton, a departmental chef de service's département)."""
    fdef = FUNCTIONS[doc["function"]]
    expected = fdef.territory_kind
    territory = doc.get("territory")
    if doc.get("kind") == "designation" or expected in (None, "nation"):
        return
    if territory is None:
        raise ValidationFailed(
            [{"field": "territory", "message": "Le territoire est obligatoire pour cette fonction."}]
        )
    if territory["kind"] != expected and territory["kind"] not in fdef.also_kinds:
        kinds = " ou ".join(f"« {kind} »" for kind in (expected, *fdef.also_kinds))
        raise ValidationFailed(
            [
                {
                    "field": "territory.kind",
                    "message": f"Cette fonction s'exerce sur un territoire de type {kinds}.",
                }
            ]
        )


def create(p: Principal, contact: ContactItem, data: MandateCreate) -> dict[str, Any]:
    """`contact` is loaded by the caller (contacts.load), before the body is parsed: 404 comes before 422."""
    contact_id = contact.contact_id
    if contact.doc.get("kind") != "person":
        raise ValidationFailed([{"field": "contact_id", "message": "Seule une personne détient un mandat."}])
    doc = data.model_dump(mode="json")
    _check_territory(doc)
    at = now_iso()
    mandate_id = new_id()
    item = store.MandateItem(
        p.tenant_id,
        f"{contact_id}#{mandate_id}",
        contact_id=contact_id,
        mandate_id=mandate_id,
        doc=doc,
        created_at=at,
        updated_at=at,
    )
    store.save(item, is_new=True)
    audit.record(p, "create", "mandate", mandate_id, {"contact_id": contact_id})
    return store.mandate_json(item)


def list_for_contact(p: Principal, contact_id: str) -> list[dict[str, Any]]:
    contacts_service.load(p, contact_id)
    return [store.mandate_json(m) for m in store.for_contact(p.tenant_id, contact_id)]


def load(p: Principal, contact_id: str, mandate_id: str) -> store.MandateItem:
    item = store.get(p.tenant_id, contact_id, mandate_id) if len(contact_id) + len(mandate_id) <= 128 else None
    if item is None:
        raise NotFound(NOT_FOUND)
    return item


def update(p: Principal, item: store.MandateItem, patch: MandatePatch) -> dict[str, Any]:
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version"})
    doc = parse(MandateCreate, {**item.doc, **changes}).model_dump(mode="json") if changes else item.doc
    _check_territory(doc)
    if patch.version != item.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {item.version}."}])
    item.doc = doc
    item.updated_at = now_iso()
    store.save(item, is_new=False)
    audit.record(p, "update", "mandate", item.mandate_id, {"fields": sorted(changes)})
    return store.mandate_json(item)


def delete(p: Principal, item: store.MandateItem) -> None:
    store.delete(item)
    audit.record(p, "delete", "mandate", item.mandate_id, {"contact_id": item.contact_id})


def _matches(query: MandateListQuery, doc: dict[str, Any]) -> bool:
    if query.territory_code and (doc.get("territory") or {}).get("code") != query.territory_code:
        return False
    return not (query.active_on and not to_domain(doc).active_on(query.active_on))


def list_mandates(p: Principal, query: MandateListQuery) -> dict[str, Any]:
    """Mandates by function and end date; territory and the day they are active on are checked on each item."""
    ending_before = query.ending_before.isoformat() if query.ending_before else None
    index_hash = f"{p.tenant_id}#{query.function}" if query.function else f"{p.tenant_id}#mandates"
    hash_name = "function_key" if query.function else "tenant_key"
    items, next_cursor = cursors.filtered_page(
        lambda start, limit: store.page(p.tenant_id, query.function, ending_before, start, limit),
        lambda m: _matches(query, m.doc),
        lambda m: {
            "tenant_id": {"S": m.tenant_id},
            "sk": {"S": m.sk},
            hash_name: {"S": index_hash},
            "end_key": {"S": m.end_key},
        },
        query.cursor,
        query.limit,
        cursors.fingerprint(index_hash, ending_before, query.territory_code, query.active_on),
        lambda k: k.get(hash_name) == index_hash and k.keys() == {"tenant_id", "sk", hash_name, "end_key"},
    )
    return {"items": [store.mandate_json(m) for m in items], "next_cursor": next_cursor}
