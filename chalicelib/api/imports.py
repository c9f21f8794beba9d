"""/imports: files brought into the directory (RNE: élus and their mandates)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from chalicelib.api.http import Api, Ctx
from chalicelib.errors import PayloadTooLarge
from chalicelib.schemas.common import DEPARTEMENT_CODE, Line, StrictModel
from chalicelib.services import rne_import

api = Api(__name__, "imports")


class RneImportQuery(BaseModel):
    filename: Annotated[str, Line(200)] | None = None
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE)] | None = None


class ImportRejected(BaseModel):
    line: int
    reason: str


class ImportStatus(BaseModel):
    id: str
    kind: str
    status: str
    filename: str | None
    departement: str | None
    file_kind: str | None
    rows: int
    created: int
    updated: int
    unchanged: int
    ended: int
    rejected: list[ImportRejected]
    rejected_count: int
    error: str | None
    created_at: str
    updated_at: str


class ImportCreate(StrictModel):
    kind: Literal["rne"]
    filename: Annotated[str, Line(200)]
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE)] | None = None


class ImportUpload(ImportStatus):
    upload_url: str = Field(description="Presigned S3 PUT (Content-Type: text/csv), valid one hour")


@api.route(
    "/imports",
    "POST",
    summary="Start a large import: returns a presigned upload URL; the upload itself starts the processing",
    body=ImportCreate,
    response=ImportUpload,
    status=201,
    roles="write",
    errors=(422,),
)
def create_import(ctx: Ctx) -> dict[str, Any]:
    data = ctx.body(ImportCreate)
    return rne_import.create_upload(ctx.user, data.filename, data.departement)


@api.route(
    "/imports/rne",
    "POST",
    summary="Import an RNE file (CSV, ≤ 5 MB, UTF-8 or Windows-1252) in the background",
    query=RneImportQuery,
    response=ImportStatus,
    status=202,
    roles="write",
    errors=(413, 422),
    content_types=["text/csv"],
)
def import_rne(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(RneImportQuery)
    raw = ctx.raw_bytes()
    if len(raw) > rne_import.MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus).")
    return rne_import.start(ctx.user, raw, query.filename, query.departement)


@api.route(
    "/imports/{import_id}", "GET", summary="Progress and outcome of an import", response=ImportStatus, errors=(404,)
)
def get_import(ctx: Ctx, import_id: str) -> dict[str, Any]:
    return rne_import.get(ctx.user, import_id)
