"""/consultations: writing a consultation, and its results (JSON; CSV and SVG by Accept). The public page is in
api/public_consultations.py."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.consultations import (
    ConsultationCreate,
    ConsultationOut,
    ConsultationPatch,
    ConsultationPublish,
    ConsultationResults,
    ResultsQuery,
    consultation_json,
    fields_of,
    results_json,
)
from chalicelib.schemas.elections import Compliance, OverrideCreate, assessment_json
from chalicelib.services import consultations

api = Api(__name__, "consultations", roles="campaign")
consultation_api = api.resource("/consultations/{consultation_id}", response=ConsultationOut, errors=(404,))

SVG = "image/svg+xml"
CSV = "text/csv"
ROLES_TEXT = "Les consultations sont réservées aux rôles communication, cabinet et administrateur."


def _out(c: Any) -> dict[str, Any]:
    return consultation_json(c, consultations.state(c), consultations.public_url(c), consultations.published(c))


@api.post(
    "/consultations",
    body=ConsultationCreate,
    response=ConsultationOut,
    status=201,
    forbidden=ROLES_TEXT,
    errors=(403, 422),
)
def create_consultation(ctx: Ctx) -> dict[str, Any]:
    """Create a consultation: questions, dates, audience (public link or a segment), anonymity, consent text"""
    zone = consultations.zone_of(ctx.user.tenant_id)
    body = ctx.body(ConsultationCreate, context={"zone": zone})
    return _out(consultations.create(ctx.user, fields_of(body)))


@api.get("/consultations", response=Page[ConsultationOut], forbidden=ROLES_TEXT, errors=(403,))
def list_consultations(ctx: Ctx) -> dict[str, Any]:
    """The tenant's consultations, newest first"""
    return whole_list([_out(c) for c in consultations.listed(ctx.user)])


@consultation_api.get(forbidden=ROLES_TEXT, errors=(403,))
def get_consultation(ctx: Ctx, consultation_id: str) -> dict[str, Any]:
    """One consultation"""
    return _out(consultations.load(ctx.user, consultation_id))


@consultation_api.patch(body=ConsultationPatch, forbidden=ROLES_TEXT, errors=(403, 409, 422))
def patch_consultation(ctx: Ctx, consultation_id: str) -> dict[str, Any]:
    """Change a consultation (questions, audience and anonymity only before it opens); version required"""
    found = consultations.load(ctx.user, consultation_id)
    body = ctx.body(ConsultationPatch, context={"zone": consultations.zone_of(ctx.user.tenant_id)})
    return _out(consultations.update(ctx.user, found, fields_of(body), body.version))


@consultation_api.post("/publish", body=ConsultationPublish, forbidden=ROLES_TEXT, errors=(403, 409, 422))
def publish_consultation(ctx: Ctx, consultation_id: str) -> dict[str, Any]:
    """Publish a consultation its L52-1 assessment held back (institutions, during a pre-electoral window): warnings
    acknowledged, blocking findings lifted by an admin's override"""
    found = consultations.load(ctx.user, consultation_id)
    body = ctx.body(ConsultationPublish)
    return _out(consultations.publish(ctx.user, found, body.acknowledge_warnings))


@consultation_api.post(
    "/compliance/override", body=OverrideCreate, response=Compliance, roles="admin", errors=(409, 422)
)
def override_consultation_compliance(ctx: Ctx, consultation_id: str) -> dict[str, Any]:
    """Lift the blocking L52-1 findings of now with a written justification (admin), audited"""
    data = ctx.body(OverrideCreate)
    found = consultations.load(ctx.user, consultation_id)
    return assessment_json(consultations.override(ctx.user, found, data.justification))


@consultation_api.get(
    "/results",
    query=ResultsQuery,
    response=ConsultationResults,
    forbidden=ROLES_TEXT,
    errors=(403, 422),
    produces=(SVG, CSV),
)
def consultation_results(ctx: Ctx, consultation_id: str) -> dict[str, Any] | Response:
    """Results: JSON (identified consultations broken down by commune, postcode or a segment); Accept: text/csv for
    every response (formula-safe), image/svg+xml for a bar chart per question"""
    found = consultations.load(ctx.user, consultation_id)
    if ctx.accepts(CSV):
        return file_response(consultations.results_csv(ctx.user, found), CSV, f"consultation-{consultation_id}.csv")
    if ctx.accepts(SVG):
        return Response(
            body=consultations.results_svg(ctx.user, found),
            status_code=200,
            headers={"Content-Type": f"{SVG}; charset=utf-8"},
        )
    query = ctx.query(ResultsQuery)
    shown = consultations.results(ctx.user, found, by=query.by or "commune", segment_id=query.segment_id)
    return results_json(found, consultations.state(found), shown)
