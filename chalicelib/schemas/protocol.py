"""Mandates and désignations; protocol requests (precedence, speaking order, seating, forms of address); RNE
imports. The builders of the responses, from entities and protocol values, stand next to their models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import AfterValidator, Field, model_validator

from chalicelib.domain.protocol import seating
from chalicelib.domain.protocol.address_forms import FUNCTION_FORMS, AddressForms
from chalicelib.domain.protocol.function_def import FunctionDef
from chalicelib.domain.protocol.model import TERRITORY_KINDS, Ceremony, Placed, Representation
from chalicelib.schemas.common import (
    DEPARTEMENT_CODE,
    NOT_NULL,
    Line,
    Lines,
    ListQuery,
    Model,
    PlausibleDate,
    StrictModel,
    Ulid,
    built,
    raise_field,
)
from chalicelib.schemas.validation import parse
from chalicelib.store import entities

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


def mandate_doc(body: MandateCreate) -> entities.MandateDoc:
    return cast(entities.MandateDoc, body.model_dump(mode="json"))


def merged_mandate(stored: entities.MandateDoc, patch: MandatePatch) -> tuple[entities.MandateDoc, list[str]]:
    """The stored mandate with the patch's fields, validated again as a whole (422), and the fields it sets."""
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version"})
    doc = mandate_doc(parse(MandateCreate, {**stored, **changes})) if changes else stored
    return doc, sorted(changes)


def mandate_json(m: entities.Mandate) -> dict[str, Any]:
    return {
        "id": m.mandate_id,
        "contact_id": m.contact_id,
        **m.doc,
        "version": m.version,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


class MandateListQuery(ListQuery):
    function: Annotated[str, Field(max_length=60)] | None = None
    territory_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{1,9}$")] | None = None
    active_on: date | None = None
    ending_before: date | None = None


class FunctionInfo(Model):
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


def function_info_json(f: FunctionDef) -> dict[str, Any]:
    forms = FUNCTION_FORMS.get(f.code)
    return {
        "code": f.code,
        "title_m": f.title_m,
        "title_f": f.title_f,
        "rank_departement": f.rank_departement,
        "rank_paris": f.rank_paris,
        "territory_kind": f.territory_kind,
        "appel_m": forms.appel_m if forms else None,
        "appel_f": forms.appel_f if forms else None,
        "source": f.source,
        "confirmed": f.confirmed,
    }


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


def ceremony_of(req: PrecedenceRequest) -> Ceremony:
    c = req.ceremony
    return Ceremony(
        departement=c.departement,
        date=c.date,
        commune_insee=c.commune_insee,
        arrondissement=c.arrondissement,
        inviting_contact_id=c.inviting_contact_id,
        prescribed_by_government=c.prescribed_by_government,
    )


def representations_of(req: PrecedenceRequest) -> list[Representation]:
    return [Representation(r.contact_id, r.represents_contact_id, r.capacity) for r in req.representations]


class SpeakingOrderRequest(PrecedenceRequest):
    welcome_contact_id: Ulid | None = None


class LayoutIn(StrictModel):
    kind: Literal["row", "two_blocks", "table_francaise"]
    seats_per_row: int = Field(ge=1, le=200)
    host_contact_id: Ulid | None = None
    cohost_contact_id: Ulid | None = None


class SeatingRequest(PrecedenceRequest):
    layout: LayoutIn


def layout_of(req: SeatingRequest) -> seating.Layout:
    return seating.Layout(
        kind=req.layout.kind,
        seats_per_row=req.layout.seats_per_row,
        host_contact_id=req.layout.host_contact_id,
        cohost_contact_id=req.layout.cohost_contact_id,
    )


class PlacedOut(Model):
    contact_id: str
    rank: int
    category_rank: float | None
    function: str | None
    title: str
    reason: str


class OrderOut(Model):
    order: list[PlacedOut]


def order_json(order: Sequence[Placed]) -> dict[str, Any]:
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


class SeatOut(Model):
    contact_id: str
    row: int
    seat: int
    side: str


class SeatingOut(Model):
    seats: list[SeatOut]
    svg: str


def seating_json(seats: Sequence[seating.Seat], svg: str) -> dict[str, Any]:
    return {
        "seats": [{"contact_id": s.contact_id, "row": s.row, "seat": s.seat, "side": s.side} for s in seats],
        "svg": svg,
    }


class AddressFormsQuery(Model):
    sender_function: Annotated[str, Field(max_length=60)] | None = None


class AddressFormsOut(Model):
    appel: str
    closing: str
    address_block: list[str]
    envelope: list[str]


def address_forms_json(forms: AddressForms) -> dict[str, Any]:
    return built(AddressFormsOut, forms)


# --- RNE imports -------------------------------------------------------------------------------------------------


class RneImportQuery(Model):
    filename: Annotated[str, Line(200)] | None = None
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE)] | None = None


class ImportRejected(Model):
    line: int
    reason: str


class ImportRowError(Model):
    line: int
    field: str
    message: str


class ImportDuplicate(Model):
    line: int
    contact_id: str | None = Field(description="The tenant's contact this line may be")
    duplicate_of_line: int | None = Field(description="Else the earlier line of the file it repeats")
    score: float
    matched: list[str]


class ImportPreviewRow(Model):
    line: int
    record: dict[str, Any] = Field(description="The contact as it will be stored")


class ImportStatus(Model):
    id: str
    kind: str = Field(description="rne | contacts")
    status: str = Field(description="contacts: analysing → preview → queued → running → done (or failed)")
    filename: str | None
    departement: str | None
    file_kind: str | None
    rows: int
    created: int
    updated: int
    unchanged: int
    ended: int
    skipped: int = 0
    rejected: list[ImportRejected]
    rejected_count: int
    error: str | None
    created_at: str
    updated_at: str
    # A contact import's preview, then its choices (absent for an RNE import).
    sheet: str | None = None
    columns: list[str] | None = None
    mapping: dict[str, str] | None = Field(default=None, description="Column → field: suggested, then chosen")
    preview: list[ImportPreviewRow] | None = None
    errors: list[ImportRowError] | None = Field(
        default=None, description="The first 300 errors per line and field (error_count: all)"
    )
    error_count: int | None = None
    duplicates: list[ImportDuplicate] | None = None
    duplicate_count: int | None = None
    on_duplicate: str | None = None


def import_status_json(job: entities.ImportJob) -> dict[str, Any]:
    d = job.doc
    out: dict[str, Any] = {
        "id": job.import_id,
        "kind": job.kind,
        "status": job.status,
        "filename": d.get("filename"),
        "departement": d.get("departement"),
        "file_kind": d.get("file_kind"),
        "rows": d.get("rows", 0),
        "created": d.get("created", 0),
        "updated": d.get("updated", 0),
        "unchanged": d.get("unchanged", 0),
        "ended": d.get("ended", 0),
        "skipped": d.get("skipped", 0),
        "rejected": d.get("rejected", []),
        "rejected_count": d.get("rejected_count", 0),
        "error": d.get("error"),
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }
    if job.kind == "contacts":
        out |= {
            "sheet": d.get("sheet"),
            "columns": d.get("columns"),
            "mapping": d.get("mapping"),
            "preview": d.get("preview"),
            "errors": d.get("errors"),
            "error_count": d.get("error_count"),
            "duplicates": d.get("duplicates"),
            "duplicate_count": d.get("duplicate_count"),
            "on_duplicate": d.get("on_duplicate"),
        }
    return out


class ImportCreate(StrictModel):
    kind: Literal["rne", "contacts"]
    filename: Annotated[str, Line(200)]
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE)] | None = None
    sheet: Annotated[str, Line(100)] | None = Field(default=None, description="contacts, XLSX: the sheet to read")


class ContactImportQuery(Model):
    filename: Annotated[str, Line(200)] | None = None
    sheet: Annotated[str, Line(100)] | None = Field(default=None, description="XLSX: the sheet (else the first)")


OnDuplicate = Literal["merge", "skip", "create"]


class ImportCommit(StrictModel):
    mapping: dict[Annotated[str, Line(200)], Annotated[str, Line(120)]] | None = Field(
        default=None, description="Column → field; absent: the suggested mapping"
    )
    on_duplicate: OnDuplicate = Field(
        description="merge: the non-empty cells update the contact; skip: the line is left; create: a new contact"
    )
    per_line: dict[int, OnDuplicate] = Field(
        default_factory=dict, max_length=50_000, description="Line → choice, overriding on_duplicate"
    )


class ImportUpload(ImportStatus):
    upload_url: str = Field(
        description="Presigned S3 PUT, valid one hour (Content-Type: text/csv, or the XLSX media type for a "
        "contacts file named .xlsx)"
    )


def import_upload_json(job: entities.ImportJob, upload_url: str) -> dict[str, Any]:
    return {**import_status_json(job), "upload_url": upload_url}
