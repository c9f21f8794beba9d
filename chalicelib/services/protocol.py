"""Protocol use cases: the function catalogue, precedence, speaking order and seating of a ceremony.

The rules live in chalicelib/domain/protocol; this module loads the people (contacts and
their mandates), supplies geography and the tenant's EPCI, and maps rule errors to 422s.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain.contacts import formal_name
from chalicelib.domain.protocol import communes, geography, precedence, seating
from chalicelib.domain.protocol.address_forms import FUNCTION_FORMS
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Ceremony, Distinction, Person, Placed, Representation, Territory
from chalicelib.domain.typography import french_date
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.printing import sheets
from chalicelib.schemas.protocol import PrecedenceRequest, SeatingRequest, SpeakingOrderRequest
from chalicelib.services.mandates import to_domain
from chalicelib.store import contacts as contacts_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import tenants


def functions_catalogue() -> list[dict[str, Any]]:
    catalogue = []
    for f in FUNCTIONS.values():
        forms = FUNCTION_FORMS.get(f.code)
        appel_m, appel_f = (forms.appel_m, forms.appel_f) if forms else (None, None)
        catalogue.append(
            {
                "code": f.code,
                "title_m": f.title_m,
                "title_f": f.title_f,
                "rank_departement": f.rank_departement,
                "rank_paris": f.rank_paris,
                "territory_kind": f.territory_kind,
                "appel_m": appel_m,
                "appel_f": appel_f,
                "source": f.source,
                "confirmed": f.confirmed,
            }
        )
    return catalogue


def territory_label(territory: Territory) -> str | None:
    """« de la Seine-Maritime », « de Normandie », « du Havre »: the territory as a title ends."""
    if territory.kind == "departement" and (d := geography.departement(territory.code)):
        return d.name_with_article
    if territory.kind == "region" and (r := geography.region(territory.code)):
        return r.name_with_article
    if territory.kind == "commune":
        # « du Havre », « des Andelys »: the COG article of the table, else a rule on the stored name.
        return communes.with_article(territory.code, territory.name)
    return None


def person_of(item: contacts_store.ContactItem, held: list[mandates_store.MandateItem]) -> Person:
    doc = item.doc
    return Person(
        contact_id=item.contact_id,
        civility=doc.get("civility"),
        first_name=doc.get("first_name"),
        last_name=doc.get("last_name"),
        honorific=doc.get("honorific"),
        birth_date=date.fromisoformat(doc["birth_date"]) if doc.get("birth_date") else None,
        address_form=doc.get("address_form"),
        mandates=tuple(to_domain(m.doc) for m in held),
        distinctions=tuple(Distinction(d["order"], d["grade"]) for d in doc.get("distinctions") or []),
    )


def load_people(p: Principal, contact_ids: list[str]) -> dict[str, Person]:
    found = contacts_store.batch_get(p.tenant_id, contact_ids)
    missing = [cid for cid in contact_ids if cid not in found]
    if missing:
        raise NotFound(f"Contact introuvable : {', '.join(missing[:5])}.")
    held = mandates_store.for_contacts(p.tenant_id, list(found))
    return {cid: person_of(found[cid], held[cid]) for cid in dict.fromkeys(contact_ids)}


def _ceremony(req: PrecedenceRequest) -> Ceremony:
    c = req.ceremony
    return Ceremony(
        departement=c.departement,
        date=c.date,
        commune_insee=c.commune_insee,
        arrondissement=c.arrondissement,
        inviting_contact_id=c.inviting_contact_id,
        prescribed_by_government=c.prescribed_by_government,
    )


def _inputs(p: Principal, req: PrecedenceRequest) -> dict[str, Any]:
    represented_ids = [r.represents_contact_id for r in req.representations]
    people = load_people(p, list(req.contact_ids) + represented_ids)
    errors = [
        {"field": f"representations[{n}].contact_id", "message": "La personne qui représente doit être listée."}
        for n, r in enumerate(req.representations)
        if r.contact_id not in req.contact_ids
    ]
    inviting = req.ceremony.inviting_contact_id
    if inviting and inviting not in req.contact_ids:
        errors.append({"field": "ceremony.inviting_contact_id", "message": "L'autorité invitante doit être listée."})
    if errors:
        raise ValidationFailed(errors)
    settings_item = tenants.get_settings_item(p.tenant_id)
    settings = settings_item.data if settings_item else {}

    def epci_of(commune_insee: str) -> str | None:
        return settings.get("epci_siren") if commune_insee == settings.get("commune_insee") else None

    return {
        "people": [people[cid] for cid in req.contact_ids],
        "ceremony": _ceremony(req),
        "representations": [
            Representation(r.contact_id, r.represents_contact_id, r.capacity) for r in req.representations
        ],
        "region_of": geography.region_of,
        "represented": {cid: people[cid] for cid in represented_ids},
        "epci_of": epci_of if settings.get("epci_siren") else None,
        "territory_label": territory_label,
    }


def _json(order: list[Placed]) -> dict[str, Any]:
    return {
        "order": [
            {
                "contact_id": x.contact_id,
                "rank": x.rank,
                "category_rank": x.category_rank,
                "function": x.function,
                "title": x.title,
                "reason": x.reason,
            }
            for x in order
        ]
    }


def precedence_order(p: Principal, req: PrecedenceRequest) -> dict[str, Any]:
    return _json(precedence.precedence(**_inputs(p, req)))


def _speaking_order(p: Principal, req: SpeakingOrderRequest) -> tuple[list[Placed], dict[str, Any]]:
    if req.welcome_contact_id and req.welcome_contact_id not in req.contact_ids:
        raise ValidationFailed(
            [{"field": "welcome_contact_id", "message": "La personne qui accueille doit être listée."}]
        )
    inputs = _inputs(p, req)
    return precedence.speaking_order(welcome_contact_id=req.welcome_contact_id, **inputs), inputs


def speaking_order(p: Principal, req: SpeakingOrderRequest) -> dict[str, Any]:
    return _json(_speaking_order(p, req)[0])


def _display_name(person: Person) -> str:
    return formal_name({"civility": person.civility, "first_name": person.first_name, "last_name": person.last_name})


def _seats(p: Principal, req: SeatingRequest) -> tuple[list[seating.Seat], dict[str, str], seating.Layout]:
    inputs = _inputs(p, req)
    order = [x.contact_id for x in precedence.precedence(**inputs)]
    layout = seating.Layout(
        kind=req.layout.kind,
        seats_per_row=req.layout.seats_per_row,
        host_contact_id=req.layout.host_contact_id,
        cohost_contact_id=req.layout.cohost_contact_id,
    )
    try:
        seats = seating.seat(order, layout)
    except ValueError as exc:
        raise ValidationFailed([{"field": "layout", "message": str(exc)}]) from exc
    names = {person.contact_id: _display_name(person) for person in inputs["people"]}
    return seats, names, layout


def seating_plan(p: Principal, req: SeatingRequest) -> dict[str, Any]:
    seats, names, layout = _seats(p, req)
    return {
        "seats": [{"contact_id": s.contact_id, "row": s.row, "seat": s.seat, "side": s.side} for s in seats],
        "svg": seating.svg(seats, names, layout),
    }


# --- printable sheets (PDF) --------------------------------------------------------------------------------------


def _subtitle(p: Principal, req: PrecedenceRequest) -> str:
    """« Cérémonie du 11 Novembre — mercredi 11 novembre 2026 — Ville-Démo (Seine-Maritime) »."""
    c = req.ceremony
    settings_item = tenants.get_settings_item(p.tenant_id)
    settings = settings_item.data if settings_item else {}
    place = ""
    if c.commune_insee:
        own = settings.get("name") if c.commune_insee == settings.get("commune_insee") else None
        place = str(own or f"commune {c.commune_insee}")
    departement = geography.departement(c.departement)
    if departement:
        place = f"{place} ({departement.name})" if place else departement.name
    return " — ".join(x for x in (c.name, french_date(c.date, weekday=True), place) if x)


def _lines(order: list[Placed], inputs: dict[str, Any]) -> list[sheets.Line]:
    names = {person.contact_id: _display_name(person) for person in inputs["people"]}
    return [sheets.Line(x.rank, names.get(x.contact_id, x.contact_id), x.title, x.reason) for x in order]


def precedence_pdf(p: Principal, req: PrecedenceRequest) -> bytes:
    inputs = _inputs(p, req)
    return sheets.precedence_sheet(_subtitle(p, req), _lines(precedence.precedence(**inputs), inputs))


def speaking_order_pdf(p: Principal, req: SpeakingOrderRequest) -> bytes:
    order, inputs = _speaking_order(p, req)
    return sheets.speaking_order_sheet(_subtitle(p, req), _lines(order, inputs))


def seating_pdf(p: Principal, req: SeatingRequest) -> bytes:
    seats, names, layout = _seats(p, req)
    return sheets.seating_sheet(_subtitle(p, req), seating.plan(seats, names, layout))


def place_cards_pdf(p: Principal, req: PrecedenceRequest) -> bytes:
    """One tent card per person, in precedence order (the order they are usually laid out in)."""
    inputs = _inputs(p, req)
    lines = _lines(precedence.precedence(**inputs), inputs)
    return sheets.place_cards([(line.name, line.title if line.title != line.name else "") for line in lines])
