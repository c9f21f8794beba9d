"""/imports: files brought into the directory (RNE: élus and their mandates; contact files, CSV or XLSX)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.domain.contact_import import XLSX_MEDIA_TYPE
from chalicelib.errors import PayloadTooLarge
from chalicelib.schemas.protocol import (
    ContactImportQuery,
    ImportCommit,
    ImportCreate,
    ImportStatus,
    ImportUpload,
    RneImportQuery,
    import_status_json,
    import_upload_json,
)
from chalicelib.services import contact_import, rne_import

api = Api(__name__, "imports", roles="write")
import_api = api.resource("/imports/{import_id}", response=ImportStatus, errors=(404,))

CSV = "text/csv"
# The raw files these routes take (no multipart: the body is the file), as /openapi.json describes them.
RNE_CSV = {
    "type": "string",
    "contentMediaType": CSV,
    "description": "A file of the Répertoire national des élus (data.gouv.fr), as published: « ; »-separated, "
    "UTF-8 or Windows-1252, 5 MB at most (larger: POST /imports)",
}
CONTACTS_CSV = {
    "type": "string",
    "contentMediaType": CSV,
    "description": "Contacts, one a line under a header line; « ; », « , » or tab; UTF-8 or Windows-1252; 5 MB at most",
}
CONTACTS_XLSX = {"type": "string", "format": "binary", "description": "An Excel workbook (?sheet= names the sheet)"}


@api.post("/imports", body=ImportCreate, response=ImportUpload, status=201, idempotent=True, errors=(422,))
def create_import(ctx: Ctx) -> dict[str, Any]:
    """Start a large import: returns a presigned upload URL; the upload itself starts the processing"""
    data = ctx.body(ImportCreate)
    if data.kind == "contacts":
        return import_upload_json(*contact_import.create_upload(ctx.user, data.filename, data.sheet))
    return import_upload_json(*rne_import.create_upload(ctx.user, data.filename, data.departement))


@api.post(
    "/imports/rne",
    query=RneImportQuery,
    response=ImportStatus,
    status=202,
    idempotent=True,
    errors=(413, 422),
    content_types=[CSV],
    bodies={CSV: RNE_CSV},
)
def import_rne(ctx: Ctx) -> dict[str, Any]:
    """Import an RNE file (CSV, ≤ 5 MB, UTF-8 or Windows-1252) in the background"""
    query = ctx.query(RneImportQuery)
    raw = ctx.raw_bytes()
    if len(raw) > rne_import.MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus).")
    return import_status_json(rne_import.start(ctx.user, raw, query.filename, query.departement))


@api.post(
    "/imports/contacts",
    query=ContactImportQuery,
    response=ImportStatus,
    status=202,
    idempotent=True,
    errors=(413, 422),
    content_types=[CSV, XLSX_MEDIA_TYPE],
    bodies={CSV: CONTACTS_CSV, XLSX_MEDIA_TYPE: CONTACTS_XLSX},
)
def import_contacts(ctx: Ctx) -> dict[str, Any]:
    """Import contacts from a CSV (UTF-8 or Windows-1252; « ; », « , » or tab) or XLSX file (≤ 5 MB, 50,000 rows):
    analysed in the background, then previewed (GET /imports/{id}) before any write; admin and cabinet"""
    query = ctx.query(ContactImportQuery)
    raw = ctx.raw_bytes()
    if len(raw) > contact_import.MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus) : utilisez POST /imports.")
    return import_status_json(contact_import.start(ctx.user, raw, query.filename, query.sheet))


@import_api.post("/commit", body=ImportCommit, status=202, idempotent=True, errors=(409, 422))
def commit_import(ctx: Ctx, import_id: str) -> dict[str, Any]:
    """Write a previewed contact import: the mapping (else the suggested one) and, per duplicate, merge, skip or create;
    processed in chunks, progress at GET /imports/{id}"""
    data = ctx.body(ImportCommit)
    job = contact_import.commit(ctx.user, import_id, data.mapping, data.on_duplicate, data.per_line)
    return import_status_json(job)


@import_api.get("/errors.csv", response=None, answers={200: (CSV,)}, roles="any")
def import_errors(ctx: Ctx, import_id: str) -> Response:
    """A contact import's rejected lines with the reason (CSV for Excel in France)"""
    data, filename = contact_import.errors_csv(ctx.user, import_id)
    return file_response(data, CSV, filename)


@import_api.get(roles="any")
def get_import(ctx: Ctx, import_id: str) -> dict[str, Any]:
    """Progress and outcome of an import"""
    return import_status_json(rne_import.get(ctx.user, import_id))
