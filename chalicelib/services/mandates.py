"""Mandates, functions and désignations of contacts (protocol)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain.listing import Listing
from chalicelib.domain.protocol import model
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit
from chalicelib.services import contacts as contacts_service
from chalicelib.store import mandates as store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Mandate, MandateDoc

NOT_FOUND = "Mandat introuvable."


def to_domain(doc: Mapping[str, Any]) -> model.Mandate:
    territory = doc.get("territory")

    def day(name: str) -> date | None:
        return date.fromisoformat(doc[name]) if doc.get(name) else None

    return model.Mandate(
        function=doc["function"],
        territory=model.Territory(territory["kind"], territory["code"], territory.get("name") or "")
        if territory
        else None,
        start=day("start"),
        end=day("end"),
        first_elected_on=day("first_elected_on"),
        organisation=doc.get("organisation"),
        title=doc.get("title"),
    )


def _check_territory(doc: MandateDoc) -> None:
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


def create(p: Principal, contact: Contact, doc: MandateDoc) -> Mandate:
    """`contact` is loaded by the caller (contacts.load), before the body is parsed: 404 comes before 422."""
    contact_id = contact.contact_id
    if contact.doc.get("kind") != "person":
        raise ValidationFailed([{"field": "contact_id", "message": "Seule une personne détient un mandat."}])
    _check_territory(doc)
    at = now_iso()
    mandate = Mandate(
        tenant_id=p.tenant_id, contact_id=contact_id, mandate_id=new_id(), doc=doc, created_at=at, updated_at=at
    )
    store.save(mandate, is_new=True)
    audit.record(p, "create", "mandate", mandate.mandate_id, {"contact_id": contact_id})
    return mandate


def list_for_contact(p: Principal, contact_id: str) -> list[Mandate]:
    contacts_service.load(p, contact_id)
    return store.for_contact(p.tenant_id, contact_id)


def load(p: Principal, contact_id: str, mandate_id: str) -> Mandate:
    mandate = store.get(p.tenant_id, contact_id, mandate_id) if len(contact_id) + len(mandate_id) <= 128 else None
    if mandate is None:
        raise NotFound(NOT_FOUND)
    return mandate


def update(p: Principal, mandate: Mandate, doc: MandateDoc, *, changed: list[str], version: int) -> Mandate:
    """``doc`` is the stored document with the patch applied and validated again (schemas.protocol.merged_mandate,
    after `load`: 404 before 422); ``changed`` names the fields the patch set; ``version`` is the one it was
    written against (409 when stale, after the rules' 422)."""
    _check_territory(doc)
    if version != mandate.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {mandate.version}."}])
    mandate.doc = doc
    mandate.updated_at = now_iso()
    store.save(mandate, is_new=False)
    audit.record(p, "update", "mandate", mandate.mandate_id, {"fields": sorted(changed)})
    return mandate


def delete(p: Principal, mandate: Mandate) -> None:
    store.delete(mandate)
    audit.record(p, "delete", "mandate", mandate.mandate_id, {"contact_id": mandate.contact_id})


def list_mandates(
    p: Principal,
    *,
    function: str | None = None,
    territory_code: str | None = None,
    active_on: date | None = None,
    ending_before: date | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Listing[Mandate]:
    """Mandates by function and end date; territory and the day they are active on are checked on each item."""

    def matches(m: Mandate) -> bool:
        territory = m.doc.get("territory")
        if territory_code and (territory["code"] if territory else None) != territory_code:
            return False
        return not (active_on and not to_domain(m.doc).active_on(active_on))

    return store.page(
        p.tenant_id,
        function=function,
        ending_before=ending_before.isoformat() if ending_before else None,
        accept=matches,
        cursor=cursor,
        limit=limit,
        filters=(territory_code, active_on),
    )
