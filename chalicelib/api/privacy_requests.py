"""/public/privacy/{tenant_id}: a person's request of access or erasure (RGPD art. 15, 17), a French form with no
script and no account, verified by a link sent by email (/public/privacy/verify/{token}); /privacy-requests: the
admins' queue, with the one-month deadline of art. 12(3), and their answer.

The form's answer is the same page whether or not the address is known to the tenant, and a filled trap field
(a robot) gets that page too, with nothing recorded or sent."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import FORM, Api, Ctx, pages
from chalicelib.api.pages import notice, page
from chalicelib.errors import BadRequest, NotFound, RateLimited
from chalicelib.schemas.common import Page, listing_json
from chalicelib.schemas.forms import PrivacyRequestForm
from chalicelib.schemas.privacy_requests import (
    PrivacyRequestOut,
    PrivacyRequestPatch,
    PrivacyRequestQuery,
    parse_form,
    privacy_request_json,
)
from chalicelib.services import privacy_requests

api = Api(__name__, "privacy", roles="admin")
form_api = api.resource("/public/privacy/{tenant_id}", public=True)  # a tenant's public form

FORM_TYPES = [FORM]
PAGE_TITLE = "Exercer vos droits sur vos données"
FIELD_ANCHORS = {"kind": "kind-access", "email": "email", "name": "name", "message": "message"}
SENT = (
    "Merci. Si l'adresse indiquée est valide, un courriel vient d'y être envoyé avec un lien pour confirmer votre "
    "demande. Ce lien est valable 48 heures."
)
SENT_DETAILS = (
    "Votre demande ne sera transmise qu'une fois confirmée. Pensez à regarder dans vos courriers indésirables.",
    "Si vous ne recevez rien dans les prochaines minutes, vérifiez l'adresse saisie et recommencez, ou écrivez "
    "directement à {tenant}.",
)


def _not_found() -> Response:
    return notice(
        404,
        "Page introuvable",
        "Cette adresse ne correspond à aucun formulaire. Vérifiez qu'elle a été copiée en entier, ou adressez votre "
        "demande directement à l'organisme concerné.",
        "link_invalid.html",
    )


def _form_page(space: privacy_requests.Space, status: int = 200, **context: Any) -> Response:
    shown: dict[str, Any] = {"errors": [], "typed": {"kind": "", "email": "", "name": "", "message": ""}}
    return page(
        "privacy_form.html",
        status,
        context.pop("headers", None),
        tenant_name=space.name,
        page_title=PAGE_TITLE,
        anchors=FIELD_ANCHORS,
        **{**shown, **context},
    )


@form_api.get(answers=pages(200, 404))
def privacy_form(ctx: Ctx, tenant_id: str) -> Response:
    """The public form of a request of access or erasure (HTML, French, no script)"""
    try:
        space = privacy_requests.space(tenant_id)
    except NotFound:
        return _not_found()
    return _form_page(space)


def _fields(ctx: Ctx) -> dict[str, list[str]]:
    try:
        return ctx.form(20)
    except BadRequest:
        return {}


@form_api.post(answers=pages(200, 404, 422, 429), content_types=FORM_TYPES, bodies={FORM: PrivacyRequestForm})
def privacy_submit(ctx: Ctx, tenant_id: str) -> Response:
    """Send the form: the same page whether or not the address is known; a link to confirm goes to it"""
    try:
        space = privacy_requests.space(tenant_id)
    except NotFound:
        return _not_found()
    result = parse_form(_fields(ctx))
    if result.form is None:
        return _form_page(space, 422, errors=result.errors, typed=result.typed)
    if not result.robot:
        form = result.form
        try:
            privacy_requests.submit(
                space,
                kind=form.kind,
                email=form.email,
                name=form.name,
                message=form.message,
                client_ip=ctx.source_ip(),
            )
        except RateLimited as err:
            return page(
                "privacy_done.html",
                429,
                err.headers,
                tenant_name=space.name,
                page_title="Trop de demandes",
                message=err.message,
                details=[],
            )
    return page(
        "privacy_done.html",
        tenant_name=space.name,
        page_title="Vérifiez votre messagerie",
        message=SENT,
        details=[line.format(tenant=space.name) for line in SENT_DETAILS],
    )


@api.get("/public/privacy/verify/{token}", public=True, answers=pages(200, 404, 410))
def privacy_verify(ctx: Ctx, token: str) -> Response:
    """Confirm a request from the emailed link (idempotent); the page shows the deadline (HTML, French)"""
    try:
        verified = privacy_requests.verify(token)
    except NotFound:
        return notice(
            404,
            "Lien introuvable",
            "Ce lien de confirmation n'est pas valide. Vérifiez qu'il a été copié en entier ; une demande non "
            "confirmée est supprimée au bout de sept jours : vous pouvez en faire une nouvelle.",
            "link_invalid.html",
        )
    name = verified.tenant.name
    if verified.request is None:
        return page(
            "privacy_done.html",
            410,
            tenant_name=name,
            page_title="Lien expiré",
            message="Ce lien de confirmation a expiré (il est valable 48 heures) : votre demande n'a pas été "
            "transmise.",
            details=[f"Vous pouvez refaire votre demande sur le formulaire de {name}."],
            form_url=f"../{verified.tenant.tenant_id}",
        )
    request = verified.request
    what = "la copie de vos données" if request.kind == "access" else "l'effacement de vos données"
    return page(
        "privacy_done.html",
        tenant_name=name,
        page_title="Votre demande est confirmée",
        message=f"Merci : votre demande concernant {what} est confirmée et a été transmise à {name}.",
        details=[
            f"Une réponse doit vous être apportée au plus tard le {verified.deadline_text} (un mois à compter "
            "de la confirmation, RGPD article 12). Ce délai peut être prolongé de deux mois si la demande est "
            "complexe : vous en seriez alors informé(e) avant cette date.",
            "La réponse vous parviendra à l'adresse électronique que vous avez indiquée.",
        ],
    )


@api.get("/privacy-requests", query=PrivacyRequestQuery, response=Page[PrivacyRequestOut], errors=(400, 422))
def list_privacy_requests(ctx: Ctx) -> dict[str, Any]:
    """The requests of access and erasure made through the public form, oldest first, with their deadline"""
    query = ctx.query(PrivacyRequestQuery)
    today = privacy_requests.today(ctx.user)
    found = privacy_requests.listing(ctx.user, query.status, query.cursor, query.limit)
    return listing_json(found, lambda r: privacy_request_json(r, today))


@api.patch(
    "/privacy-requests/{request_id}", body=PrivacyRequestPatch, response=PrivacyRequestOut, errors=(403, 404, 409, 422)
)
def close_privacy_request(ctx: Ctx, request_id: str) -> dict[str, Any]:
    """Close a verified request: done (answered) or refused (a note with the reasons is required); audited"""
    privacy_requests.load(ctx.user, request_id)  # 404 before the body's 400/422
    body = ctx.body(PrivacyRequestPatch)
    closed = privacy_requests.close(ctx.user, request_id, body.status, body.note)
    return privacy_request_json(closed, privacy_requests.today(ctx.user))
