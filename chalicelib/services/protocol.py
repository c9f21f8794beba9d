"""Protocol use cases: the function catalogue, precedence, speaking order and seating of a ceremony.

The rules live in chalicelib/domain/protocol; this module loads the people (contacts and
their mandates), supplies geography and the tenant's EPCI, and maps rule errors to 422s.
A ceremony comes as domain values: the contact ids attending (in the order given), the ceremony, the
representations; the sheets also print the ceremony's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from chalicelib.auth import Principal
from chalicelib.domain.contacts import formal_name
from chalicelib.domain.protocol import communes, geography, precedence, seating
from chalicelib.domain.protocol.function_def import FunctionDef
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Ceremony, Distinction, Person, Placed, Representation, Territory
from chalicelib.domain.typography import french_date
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.services.mandates import to_domain
from chalicelib.store import contacts as contacts_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import tenants
from chalicelib.store.entities import Contact, Mandate

if TYPE_CHECKING:  # fpdf, imported with the printing modules, costs most of a cold start: only a PDF needs it
    from chalicelib.printing import sheets


def functions_catalogue() -> list[FunctionDef]:
    return list(FUNCTIONS.values())


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


def person_of(item: Contact, held: Sequence[Mandate]) -> Person:
    doc = item.doc
    birth = doc.get("birth_date")
    return Person(
        contact_id=item.contact_id,
        civility=doc.get("civility"),
        first_name=doc.get("first_name"),
        last_name=doc.get("last_name"),
        honorific=doc.get("honorific"),
        birth_date=date.fromisoformat(birth) if birth else None,
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


def _settings(p: Principal) -> dict[str, Any]:
    settings_item = tenants.get_settings_item(p.tenant_id)
    return dict(settings_item.data) if settings_item else {}


def _inputs(
    p: Principal, contact_ids: Sequence[str], ceremony: Ceremony, representations: Sequence[Representation]
) -> dict[str, Any]:
    represented_ids = [r.represents_contact_id for r in representations]
    people = load_people(p, list(contact_ids) + represented_ids)
    errors = [
        {"field": f"representations[{n}].contact_id", "message": "La personne qui représente doit être listée."}
        for n, r in enumerate(representations)
        if r.contact_id not in contact_ids
    ]
    inviting = ceremony.inviting_contact_id
    if inviting and inviting not in contact_ids:
        errors.append({"field": "ceremony.inviting_contact_id", "message": "L'autorité invitante doit être listée."})
    if errors:
        raise ValidationFailed(errors)
    settings = _settings(p)

    def epci_of(commune_insee: str) -> str | None:
        return settings.get("epci_siren") if commune_insee == settings.get("commune_insee") else None

    return {
        "people": [people[cid] for cid in contact_ids],
        "ceremony": ceremony,
        "representations": list(representations),
        "region_of": geography.region_of,
        "represented": {cid: people[cid] for cid in represented_ids},
        "epci_of": epci_of if settings.get("epci_siren") else None,
        "territory_label": territory_label,
    }


def precedence_of(
    p: Principal, contact_ids: Sequence[str], ceremony: Ceremony, representations: Sequence[Representation] = ()
) -> list[Placed]:
    """The order of precedence of the people attending (décret 89-655)."""
    return precedence.precedence(**_inputs(p, contact_ids, ceremony, representations))


def _speaking_order(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation],
    welcome_contact_id: str | None,
) -> tuple[list[Placed], dict[str, Any]]:
    if welcome_contact_id and welcome_contact_id not in contact_ids:
        raise ValidationFailed(
            [{"field": "welcome_contact_id", "message": "La personne qui accueille doit être listée."}]
        )
    inputs = _inputs(p, contact_ids, ceremony, representations)
    return precedence.speaking_order(welcome_contact_id=welcome_contact_id, **inputs), inputs


def speaking_order_of(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation] = (),
    *,
    welcome_contact_id: str | None = None,
) -> list[Placed]:
    """The speaking order: the highest authority last (art. 19), the welcome first."""
    return _speaking_order(p, contact_ids, ceremony, representations, welcome_contact_id)[0]


def _display_name(person: Person) -> str:
    return formal_name({"civility": person.civility, "first_name": person.first_name, "last_name": person.last_name})


def _seats(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation],
    layout: seating.Layout,
) -> tuple[list[seating.Seat], dict[str, str]]:
    inputs = _inputs(p, contact_ids, ceremony, representations)
    order = [x.contact_id for x in precedence.precedence(**inputs)]
    try:
        seats = seating.seat(order, layout)
    except ValueError as exc:
        raise ValidationFailed([{"field": "layout", "message": str(exc)}]) from exc
    names = {person.contact_id: _display_name(person) for person in inputs["people"]}
    return seats, names


def seating_of(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation],
    layout: seating.Layout,
) -> tuple[list[seating.Seat], str]:
    """The seats (art. 16) and their drawing (SVG)."""
    seats, names = _seats(p, contact_ids, ceremony, representations, layout)
    return seats, seating.svg(seats, names, layout)


# --- printable sheets (PDF) --------------------------------------------------------------------------------------


def _subtitle(p: Principal, ceremony: Ceremony, name: str | None) -> str:
    """« Cérémonie du 11 Novembre — mercredi 11 novembre 2026 — Ville-Démo (Seine-Maritime) »."""
    settings = _settings(p)
    place = ""
    if ceremony.commune_insee:
        own = settings.get("name") if ceremony.commune_insee == settings.get("commune_insee") else None
        place = str(own or f"commune {ceremony.commune_insee}")
    departement = geography.departement(ceremony.departement)
    if departement:
        place = f"{place} ({departement.name})" if place else departement.name
    return " — ".join(x for x in (name, french_date(ceremony.date, weekday=True), place) if x)


def _lines(order: list[Placed], inputs: dict[str, Any]) -> list[sheets.Line]:
    from chalicelib.printing import sheets

    names = {person.contact_id: _display_name(person) for person in inputs["people"]}
    return [sheets.Line(x.rank, names.get(x.contact_id, x.contact_id), x.title, x.reason) for x in order]


def precedence_sheet(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation] = (),
    *,
    name: str | None = None,
) -> bytes:
    """The order of precedence as a PDF, headed by the ceremony's ``name``, date and place."""
    from chalicelib.printing import sheets

    inputs = _inputs(p, contact_ids, ceremony, representations)
    return sheets.precedence_sheet(_subtitle(p, ceremony, name), _lines(precedence.precedence(**inputs), inputs))


def speaking_order_sheet(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation] = (),
    *,
    welcome_contact_id: str | None = None,
    name: str | None = None,
) -> bytes:
    from chalicelib.printing import sheets

    order, inputs = _speaking_order(p, contact_ids, ceremony, representations, welcome_contact_id)
    return sheets.speaking_order_sheet(_subtitle(p, ceremony, name), _lines(order, inputs))


def seating_sheet(
    p: Principal,
    contact_ids: Sequence[str],
    ceremony: Ceremony,
    representations: Sequence[Representation],
    layout: seating.Layout,
    *,
    name: str | None = None,
) -> bytes:
    from chalicelib.printing import sheets

    seats, names = _seats(p, contact_ids, ceremony, representations, layout)
    return sheets.seating_sheet(_subtitle(p, ceremony, name), seating.plan(seats, names, layout))


def place_cards(
    p: Principal, contact_ids: Sequence[str], ceremony: Ceremony, representations: Sequence[Representation] = ()
) -> bytes:
    """One tent card per person, in precedence order (the order they are usually laid out in)."""
    from chalicelib.printing import sheets

    inputs = _inputs(p, contact_ids, ceremony, representations)
    lines = _lines(precedence.precedence(**inputs), inputs)
    return sheets.place_cards([(line.name, line.title if line.title != line.name else "") for line in lines])
