"""/imports: files brought into the directory (RNE: élus and their mandates)."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.errors import PayloadTooLarge
from chalicelib.schemas.protocol import (
    ImportCreate,
    ImportStatus,
    ImportUpload,
    RneImportQuery,
    import_status_json,
    import_upload_json,
)
from chalicelib.services import rne_import

api = Api(__name__, "imports")


@api.route(
    "/imports",
    "POST",
    summary="Start a large import: returns a presigned upload URL; the upload itself starts the processing",
    body=ImportCreate,
    response=ImportUpload,
    status=201,
    roles="write",
    idempotent=True,
    errors=(422,),
)
def create_import(ctx: Ctx) -> dict[str, Any]:
    data = ctx.body(ImportCreate)
    return import_upload_json(*rne_import.create_upload(ctx.user, data.filename, data.departement))


@api.route(
    "/imports/rne",
    "POST",
    summary="Import an RNE file (CSV, ≤ 5 MB, UTF-8 or Windows-1252) in the background",
    query=RneImportQuery,
    response=ImportStatus,
    status=202,
    roles="write",
    idempotent=True,
    errors=(413, 422),
    content_types=["text/csv"],
)
def import_rne(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(RneImportQuery)
    raw = ctx.raw_bytes()
    if len(raw) > rne_import.MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus).")
    return import_status_json(rne_import.start(ctx.user, raw, query.filename, query.departement))


@api.route(
    "/imports/{import_id}", "GET", summary="Progress and outcome of an import", response=ImportStatus, errors=(404,)
)
def get_import(ctx: Ctx, import_id: str) -> dict[str, Any]:
    return import_status_json(rne_import.get(ctx.user, import_id))
