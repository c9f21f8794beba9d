"""Contact JSON (field names fixed: the frontend depends on them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from chalicelib.domain import rne
from chalicelib.domain.contact_points import normalise_email, normalise_phone
from chalicelib.domain.contacts import redact
from chalicelib.domain.protocol.distinctions import GRADES
from chalicelib.schemas.common import (
    NOT_NULL,
    Line,
    Lines,
    ListQuery,
    Model,
    PlausibleDate,
    StrictModel,
    Ulid,
    raise_field,
)
from chalicelib.schemas.duplicates import PossibleDuplicate, possible_json
from chalicelib.schemas.interactions import interaction_json, task_json
from chalicelib.schemas.protocol import mandate_json
from chalicelib.schemas.validation import parse
from chalicelib.store import entities

ContactKind = Literal["person", "organisation"]
Civility = Literal["M", "Mme"]

# French messages (pydantic's EmailStr answers in English); also used by schemas/tenancy.py.
Email = Annotated[
    Annotated[str, Line(254)], AfterValidator(normalise_email), Field(json_schema_extra={"format": "email"})
]
Phone = Annotated[Annotated[str, Line(40)], AfterValidator(normalise_phone)]


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _not_in_future(value: date | None) -> date | None:
    if value is not None and value > date.today():
        raise ValueError("La date de naissance ne peut pas être dans le futur.")
    return value


class Address(StrictModel):
    lines: Annotated[list[Annotated[str, Line(120)]], Field(max_length=4)] = []
    postcode: Annotated[str, Field(pattern=r"^\d{5}$", description="French code postal")] | None = None
    city: Annotated[str, Line(100)] | None = None
    insee_code: Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$", description="INSEE COG commune code")] | None = (
        None
    )


class Affiliation(StrictModel):
    organisation_id: Ulid
    role: Annotated[str, Line(100)] | None = None
    start: PlausibleDate | None = None
    end: PlausibleDate | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Affiliation:
        if self.start and self.end and self.end < self.start:
            raise ValueError("La date de fin précède la date de début.")
        return self


DistinctionOrder = Literal["legion_honneur", "liberation", "ordre_national_merite"]
DistinctionGrade = Literal["chevalier", "officier", "commandeur", "grand_officier", "grand_croix", "compagnon"]
assert set(get_args(DistinctionOrder)) == set(GRADES)
assert set(get_args(DistinctionGrade)) == {g for grades in GRADES.values() for g in grades}


class Distinction(StrictModel):
    """A grade or dignity in a national order: not a function (precedence reads the dignities, art. 3, 11°)."""

    order: DistinctionOrder
    grade: DistinctionGrade

    @model_validator(mode="after")
    def _grade_of_the_order(self) -> Distinction:
        if self.grade not in GRADES[self.order]:
            allowed = ", ".join(GRADES[self.order])
            raise_field("grade", f"Grade inconnu dans cet ordre ; grades possibles : {allowed}.")
        return self


def _one_per_order(values: list[Distinction]) -> list[Distinction]:
    orders = [d.order for d in values]
    if len(set(orders)) != len(orders):
        raise ValueError("Un seul grade par ordre : on ne garde que le plus élevé.")
    return values


class ContactFields(StrictModel):
    """Every writable field, all optional: creation adds the rules of a complete record."""

    kind: Annotated[ContactKind | None, NOT_NULL] = None
    civility: Civility | None = None
    honorific: Annotated[str, Line(40)] | None = Field(default=None, examples=["Maître", "Docteur", "Monseigneur"])
    first_name: Annotated[str, Line(100)] | None = None
    last_name: Annotated[str, Line(100)] | None = None
    organisation_name: Annotated[str, Line(200)] | None = None
    emails: Annotated[list[Email], Field(max_length=10), AfterValidator(_dedupe)] = []
    phones: Annotated[list[Phone], Field(max_length=10), AfterValidator(_dedupe)] = []
    address: Address | None = None
    birth_date: Annotated[PlausibleDate | None, AfterValidator(_not_in_future)] = None
    nationality: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")] | None = None
    is_political_party: bool | None = Field(
        default=None,
        description="Organisations only: a party or political group, the one legal person that may finance a "
        "campaign (Code électoral L52-8)",
    )
    tags: Annotated[list[Annotated[str, Line(50)]], Field(max_length=25), AfterValidator(_dedupe)] = []
    interests: Annotated[list[Annotated[str, Line(100)]], Field(max_length=50), AfterValidator(_dedupe)] = []
    custom: dict[str, Any] = Field(default_factory=dict, description="Values of the tenant's declared fields (/fields)")
    affiliations: Annotated[list[Affiliation], Field(max_length=20)] = []
    partner_contact_id: Ulid | None = None
    address_form: Literal["traditional"] | None = None
    distinctions: Annotated[
        list[Distinction],
        Field(max_length=len(GRADES), description="National orders: one grade per order"),
        AfterValidator(_one_per_order),
    ] = []
    protocol_notes: Annotated[str, Lines(5000)] | None = Field(
        default=None, description="Confidential: read and written by protocole, cabinet and admin only."
    )


class ContactCreate(ContactFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "person",
                    "civility": "Mme",
                    "first_name": "Claire",
                    "last_name": "Martin",
                    "emails": ["claire.martin@exemple.fr"],
                    "phones": ["+33612345678"],
                    "address": {"lines": ["12 rue de la Mairie"], "postcode": "69001", "city": "Lyon"},
                    "tags": ["conseil de quartier"],
                },
                {"kind": "organisation", "organisation_name": "Comité des fêtes", "emails": ["contact@comite.fr"]},
            ]
        }
    )

    kind: ContactKind

    @model_validator(mode="after")
    def _names_for_kind(self) -> ContactCreate:
        if self.kind == "person" and not self.last_name:
            raise_field("last_name", "Le nom est obligatoire pour une personne.")
        if self.kind == "organisation" and not self.organisation_name:
            raise_field("organisation_name", "Le nom de l'organisation est obligatoire.")
        if self.kind == "organisation" and (self.civility or self.birth_date or self.partner_contact_id):
            raise_field("kind", "Une organisation n'a ni civilité, ni date de naissance, ni conjoint.")
        if self.kind == "person" and self.is_political_party:
            raise_field("is_political_party", "Seule une organisation peut être un parti ou groupement politique.")
        return self


class ContactPatch(ContactFields):
    version: int = Field(ge=1, description="The version read; a stale one gives 409.")
    archived: Annotated[bool | None, NOT_NULL] = Field(
        default=None, description="true hides the contact from lists and sends (undo with false); deleting is admin's"
    )


class Contact(ContactCreate):
    model_config = ConfigDict(json_schema_extra=None)  # ContactCreate's examples lack the stored fields

    id: str
    archived: bool = Field(description="Hidden from lists and sends; listed with GET /contacts?archived=true")
    erased_at: datetime | None = Field(
        description="When the person's data was erased (DELETE ?mode=erase): the record is a placeholder since"
    )
    legal_hold: bool = Field(description="A legal hold: the retention policy never anonymises the contact")
    version: int
    created_at: datetime
    updated_at: datetime


class ContactCreated(Contact):
    """POST /contacts: the contact, and the contacts that may be the same person (checked on creation)."""

    possible_duplicates: list[PossibleDuplicate] = Field(
        description="Contacts that may be this person, best first (GET /duplicates lists them; "
        "POST /duplicates/dismiss if they are two people)"
    )


class ContactListQuery(ListQuery):
    q: Annotated[str, Line(200)] | None = None
    tag: Annotated[str, Line(50)] | None = None
    kind: ContactKind | None = None
    archived: bool = Field(default=False, description="true: the archived contacts only")


class ContactView(Model):
    """GET /contacts/{id}: the 360° view."""

    contact: Contact
    interactions: list[dict[str, Any]]
    open_tasks: list[dict[str, Any]]
    mandates: list[dict[str, Any]]


def contact_doc(body: ContactCreate) -> entities.ContactDoc:
    """The record a validated create body stores."""
    return cast(entities.ContactDoc, body.model_dump(mode="json"))


def merged_contact(stored: entities.ContactDoc, patch: ContactPatch) -> tuple[entities.ContactDoc, list[str]]:
    """(the record after the PATCH, the fields it sends): the record's fields re-validated as a whole against the
    create model (lists are replaced whole), `archived` kept unless sent."""
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version"})
    fields = sorted(changes)
    archived = bool(changes.pop("archived", stored.get("archived")))
    editable = {k: v for k, v in stored.items() if k != "archived"}  # the record's fields, as ContactCreate has them
    doc = contact_doc(parse(ContactCreate, {**editable, **changes})) if changes else cast(entities.ContactDoc, editable)
    if archived:
        doc["archived"] = True
    return doc, fields


def contact_json(c: entities.Contact, can_see_confidential: bool) -> dict[str, Any]:
    """`Contact`: the record, its confidential fields hidden from roles that may not read them."""
    doc = redact(c.doc, can_see_confidential)
    return {
        "id": c.contact_id,
        "distinctions": [],  # records stored before the field existed
        **doc,
        "archived": bool(doc.get("archived")),
        "erased_at": doc.get("erased_at"),
        "legal_hold": bool(doc.get("legal_hold")),
        "version": c.version,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def contact_created_json(
    c: entities.Contact, can_see_confidential: bool, possible: list[tuple[str, float]]
) -> dict[str, Any]:
    """`ContactCreated`."""
    return {**contact_json(c, can_see_confidential), "possible_duplicates": possible_json(possible)}


def contact_view_json(view: entities.ContactOverview, can_see_confidential: bool) -> dict[str, Any]:
    """`ContactView`."""
    return {
        "contact": contact_json(view.contact, can_see_confidential),
        "interactions": [interaction_json(i) for i in view.interactions],
        "open_tasks": [task_json(t) for t in view.open_tasks],
        "mandates": [mandate_json(m) for m in view.mandates],
    }


def rne_person(row: rne.RneRow) -> entities.ContactDoc:
    """The contact an RNE row brings when nobody in the directory has its names and birth date: validated as any
    new contact is. Passed to the import by its job (jobs/import_worker.py): services do not read the HTTP contract.
    """
    return contact_doc(
        ContactCreate(
            kind="person",
            civility=row.civility,
            first_name=row.first_name,
            last_name=row.last_name,
            birth_date=row.birth_date,
            tags=["élu"],
        )
    )


def imported_contact(body: dict[str, Any]) -> entities.ContactDoc:
    """A contact file's row (services/contact_import.admit_row) validated exactly as POST /contacts validates its
    body; ValidationFailed field by field. Passed to the import by its job (jobs/import_worker.py)."""
    return contact_doc(parse(ContactCreate, body))
