"""Mandates and désignations; protocol requests (precedence, speaking order, seating, forms of address)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, Field, model_validator

from chalicelib.domain.protocol.model import TERRITORY_KINDS
from chalicelib.schemas.common import (
    DEPARTEMENT_CODE,
    NOT_NULL,
    Line,
    Lines,
    ListQuery,
    PlausibleDate,
    StrictModel,
    Ulid,
    raise_field,
)

TerritoryKind = Literal[
    "commune", "epci", "canton", "arrondissement", "circonscription", "departement", "region", "europe", "nation"
]
assert set(get_args(TerritoryKind)) == set(TERRITORY_KINDS)

BodyKind = Literal["syndicat", "sem", "etablissement_scolaire", "association", "epci", "autre"]


def _known_function(code: str) -> str:
    from chalicelib.domain.protocol.functions import FUNCTIONS

    if code not in FUNCTIONS:
        raise ValueError("Fonction inconnue (voir GET /protocol/functions).")
    return code


FunctionCode = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(_known_function)]


class Territory(StrictModel):
    kind: TerritoryKind
    code: Annotated[str, Field(pattern=r"^[0-9A-Z]{1,9}$", description="INSEE COG code, as text")]
    name: Annotated[str, Line(200)] | None = None


class MandateFields(StrictModel):
    kind: Annotated[Literal["mandate", "designation"] | None, NOT_NULL] = None
    function: Annotated[FunctionCode | None, NOT_NULL] = None
    title: Annotated[str, Line(200)] | None = Field(
        default=None, description="Free title: required for function `autre`"
    )
    territory: Territory | None = None
    organisation: Annotated[str, Line(200)] | None = Field(
        default=None, description="Body (for a désignation: the outside body)"
    )
    body_kind: BodyKind | None = Field(default=None, description="Désignations: kind of outside body")
    start: PlausibleDate | None = None
    end: PlausibleDate | None = None
    first_elected_on: PlausibleDate | None = None
    deliberation_date: PlausibleDate | None = Field(default=None, description="Désignations: date of the deliberation")
    source: Annotated[Literal["manual", "rne"] | None, NOT_NULL] = None
    notes: Annotated[str, Lines(2000)] | None = None


class MandateCreate(MandateFields):
    kind: Literal["mandate", "designation"] = "mandate"
    function: FunctionCode
    source: Literal["manual", "rne"] = "manual"

    @model_validator(mode="after")
    def _coherent(self) -> MandateCreate:
        if self.start and self.end and self.end < self.start:
            raise_field("end", "La date de fin précède la date de début.")
        if self.first_elected_on and self.start and self.first_elected_on > self.start:
            raise_field("first_elected_on", "La première élection ne peut pas suivre le début du mandat.")
        if self.function == "autre" and not self.title:
            raise_field("title", "Un intitulé est obligatoire pour une fonction « autre ».")
        if self.kind == "designation":
            if not self.organisation:
                raise_field("organisation", "Une désignation nomme l'organisme extérieur.")
            if not self.deliberation_date:
                raise_field("deliberation_date", "Une désignation porte la date de la délibération.")
        return self


class MandatePatch(MandateFields):
    version: int = Field(ge=1)


class Mandate(MandateCreate):
    id: str
    contact_id: str
    version: int
    created_at: str
    updated_at: str


class MandateListQuery(ListQuery):
    function: Annotated[str, Field(max_length=60)] | None = None
    territory_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{1,9}$")] | None = None
    active_on: date | None = None
    ending_before: date | None = None


class FunctionInfo(BaseModel):
    code: str
    title_m: str
    title_f: str
    rank_departement: float | None
    rank_paris: float | None
    territory_kind: str | None
    appel_m: str | None = None
    appel_f: str | None = None
    source: str
    confirmed: bool


class CeremonyIn(StrictModel):
    name: Annotated[str, Line(200)] | None = None  # printed at the top of the PDF sheets: « Cérémonie du 11 Novembre »
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE)]
    commune_insee: Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$")] | None = None
    arrondissement: Annotated[str, Field(pattern=r"^[0-9AB]{2,4}$")] | None = None
    inviting_contact_id: Ulid | None = None
    prescribed_by_government: bool = False
    date: PlausibleDate


class RepresentationIn(StrictModel):
    contact_id: Ulid
    represents_contact_id: Ulid
    capacity: Literal["adjoint", "vice_president", "other"]


class PrecedenceRequest(StrictModel):
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=300)]
    ceremony: CeremonyIn
    representations: Annotated[list[RepresentationIn], Field(max_length=100)] = []

    @model_validator(mode="after")
    def _distinct(self) -> PrecedenceRequest:
        if len(set(self.contact_ids)) != len(self.contact_ids):
            raise_field("contact_ids", "Chaque personne n'est listée qu'une fois.")
        return self


class SpeakingOrderRequest(PrecedenceRequest):
    welcome_contact_id: Ulid | None = None


class LayoutIn(StrictModel):
    kind: Literal["row", "two_blocks", "table_francaise"]
    seats_per_row: int = Field(ge=1, le=200)
    host_contact_id: Ulid | None = None
    cohost_contact_id: Ulid | None = None


class SeatingRequest(PrecedenceRequest):
    layout: LayoutIn


class PlacedOut(BaseModel):
    contact_id: str
    rank: int
    category_rank: float | None
    function: str | None
    title: str
    reason: str


class OrderOut(BaseModel):
    order: list[PlacedOut]


class SeatOut(BaseModel):
    contact_id: str
    row: int
    seat: int
    side: str


class SeatingOut(BaseModel):
    seats: list[SeatOut]
    svg: str


class AddressFormsQuery(BaseModel):
    sender_function: Annotated[str, Field(max_length=60)] | None = None


class AddressFormsOut(BaseModel):
    appel: str
    closing: str
    address_block: list[str]
    envelope: list[str]
