"""/public/rsvp/{token}: the guest's page (French, accessible, no JavaScript), their answer (a form or JSON),
and the event's calendar file. No account: the signed token is the only key, and a bad one learns nothing."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import FORM, Api, Ctx, error_response, pages
from chalicelib.api.pages import link_target, page
from chalicelib.errors import AgoraError, Conflict, RateLimited, ValidationFailed
from chalicelib.schemas.forms import RsvpForm
from chalicelib.schemas.invitations import RsvpAnswer, RsvpStatus, answer_doc, rsvp_status_json
from chalicelib.schemas.validation import parse
from chalicelib.services import event_messages, rsvp

api = Api(__name__, "public", public=True)
rsvp_api = api.resource("/public/rsvp/{token}")
FIELD_ANCHORS = {"response": "response-accept", "companions": "companion-1", "representative": "representative-name"}
INVALID = (
    "Ce lien d'invitation n'est pas valide. Vérifiez qu'il a été copié en entier, ou contactez la mairie qui vous a "
    "invité(e)."
)


@rsvp_api.get(answers=pages(200, 403, 404))  # 403: a disabled tenant's link
def rsvp_page(ctx: Ctx, token: str) -> Response:
    """The guest's RSVP page (HTML)"""
    found = link_target(rsvp.resolve, token, INVALID)
    if isinstance(found, Response):
        return found
    return page(
        "rsvp.html",
        page_title=found.event.doc["title"],
        ics_url=f"{token}/event.ics",
        action="",
        errors=[],
        **rsvp.page_context(found),
    )


def _form(ctx: Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer for the API, and everything typed (re-shown with the errors, so nothing typed is lost)."""
    fields = ctx.form(50)
    response = (fields.get("response") or [""])[0]
    companions = [{"name": n.strip()} for n in fields.get("companion", []) if n.strip()]
    name = (fields.get("representative_name") or [""])[0].strip()
    function = (fields.get("representative_function") or [""])[0].strip()
    representative = {"name": name or None, "function": function or None}
    body: dict[str, Any] = {"response": response}
    if response == "accept":
        body["companions"] = companions
    if response == "represented":
        body["representative"] = representative
    return body, {"response": response, "companions": companions, "representative": representative}


@rsvp_api.post(
    body=RsvpAnswer,
    response=RsvpStatus,
    errors=(403, 404, 409, 422, 429),  # JSON
    answers=pages(200, 403, 404, 409, 422, 429),  # the form
    content_types=["application/json", FORM],
    bodies={FORM: RsvpForm},
)
def rsvp_answer(ctx: Ctx, token: str) -> Any:
    """Answer: a form (HTML confirmation page) or JSON {response, companions, representative}"""
    if ctx.media_type() == "application/json":
        answered = rsvp.answer(token, answer_doc(ctx.body(RsvpAnswer)))
        return rsvp_status_json(answered.invitation, answered.message)
    found = link_target(rsvp.resolve, token, INVALID)
    if isinstance(found, Response):
        return found
    body, typed = _form(ctx)
    context: dict[str, Any] = {"page_title": found.event.doc["title"], "ics_url": f"{token}/event.ics", "action": ""}
    try:
        if not body["response"]:
            raise ValidationFailed([{"field": "response", "message": "Choisissez une réponse."}])
        result = rsvp.answer(token, answer_doc(parse(RsvpAnswer, body)))
    except ValidationFailed as err:
        errors = [
            {
                "anchor": FIELD_ANCHORS.get(d["field"].split(".")[0].split("[")[0], "response-accept"),
                "message": d["message"],
            }
            for d in err.details
        ]
        shown = rsvp.page_context(found)
        shown["selected"] = typed["response"]
        shown["companions"] = [c["name"] for c in typed["companions"]]
        shown["representative"] = typed["representative"]
        return page("rsvp.html", 422, errors=errors, **context, **shown)
    except (Conflict, RateLimited) as err:
        shown = rsvp.page_context(rsvp.resolve(token))
        shown["selected"] = typed["response"] or shown["selected"]
        return page(
            "rsvp.html",
            err.status,
            err.headers,
            errors=[{"anchor": "response-accept", "message": err.message}],
            **context,
            **shown,
        )
    found = rsvp.resolve(token)
    settings = event_messages.tenant_settings(found.event.tenant_id)
    return page(
        "rsvp_done.html",
        message=result.message,
        page_url=token.rsplit("/", 1)[-1],
        companions=[c["name"] for c in found.invitation.doc.get("companions", [])],
        tenant_name=settings.get("name") or "La mairie",
        event=event_messages.event_view(found.event.doc, settings.get("timezone")),
        deadline=event_messages.deadline_text(found.event.doc, settings.get("timezone")),
        **{k: v for k, v in context.items() if k != "action"},
    )


@rsvp_api.get("/event.ics", errors=(403, 404), answers={200: ("text/calendar",)})
def rsvp_calendar(ctx: Ctx, token: str) -> Response:
    """The event as an iCalendar file"""
    try:
        found = rsvp.resolve(token)
    except AgoraError as err:
        return error_response(err)
    return Response(
        body=event_messages.ics_of(found.event, found.invitation.invitation_id),
        status_code=200,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'attachment; filename="evenement.ics"',
        },
    )
