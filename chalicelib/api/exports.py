"""/contacts/export, /exports/{id}: contact files for a spreadsheet; /contacts/{id}/export: the right of access.
Administrators only (exports take personal data out of Agora); every export is audited."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.api.pages import HTML_HEADERS
from chalicelib.messaging import templates
from chalicelib.schemas.exports import (
    ExportJob,
    ExportQuery,
    PersonExport,
    export_job_json,
    person_export_json,
)
from chalicelib.services import access, exports

api = Api(__name__, "exports", roles="admin", errors=(404,))

HTML = "text/html"


@api.get(
    "/contacts/export",
    query=ExportQuery,
    response=ExportJob,
    status=202,
    errors=(406, 422),
    answers={200: tuple(exports.MEDIA_TYPES.values())},  # the file itself, when small enough
)
def export_contacts(ctx: Ctx) -> dict[str, Any] | Response:
    """Export contacts (a segment's, or all not archived) as CSV or XLSX: the file up to 5,000 contacts, else 202 and
    GET /exports/{id}; send Accept: text/csv or the XLSX media type"""
    query = ctx.query(ExportQuery)
    ctx.require_accept(exports.MEDIA_TYPES[query.format])
    result = exports.export_contacts(ctx.user, query.segment_id, query.format)
    if isinstance(result, exports.ExportFile):
        return file_response(result.data, result.media_type, result.filename)
    return export_job_json(result)


@api.get("/exports/{export_id}", response=ExportJob)
def get_export(ctx: Ctx, export_id: str) -> dict[str, Any]:
    """Progress of a large contact export; once done, a presigned download that expires"""
    job = exports.get(ctx.user, export_id)
    return export_job_json(job, exports.download_link(job))


@api.get("/contacts/{contact_id}/export", response=PersonExport, produces=(HTML,))
def export_person(ctx: Ctx, contact_id: str) -> dict[str, Any] | Response:
    """Everything held on a person (right of access, GDPR art. 15): JSON; Accept: text/html for a page"""
    data = person_export_json(access.person_file(ctx.user, contact_id), ctx.user.tenant_kind)
    if ctx.accepts(HTML):
        page = templates.files().get_template("exports/person.html").render(data=data)
        return Response(body=page, status_code=200, headers=dict(HTML_HEADERS))
    return data
