"""/public/consultations/{token}: the respondent's page (French, accessible, no JavaScript) and their answer (a
form, or JSON). The signed token is the only key; a bad one learns nothing.

The page sets a per-browser token (a cookie, HttpOnly, SameSite=Lax) that the public link's answer needs: a second
answer from the same browser replaces the first. Limits of that protection: services/consultations.py."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any

from chalice.app import Response

from chalicelib.api.http import FORM, Api, Ctx, pages
from chalicelib.api.pages import link_target, page
from chalicelib.domain import consultations as rules
from chalicelib.errors import AgoraError, BadRequest, Conflict, RateLimited, ValidationFailed
from chalicelib.schemas.consultations import PublicAnswer, PublicAnswered
from chalicelib.schemas.forms import ConsultationForm
from chalicelib.services import consultations

api = Api(__name__, "public", public=True)
consultation_api = api.resource("/public/consultations/{token}")
COOKIE = "agora_consultation"
COOKIE_DAYS = 180
RECORDED = "Votre réponse est enregistrée. Merci de votre participation."
REPLACED = "Votre nouvelle réponse remplace la précédente. Merci de votre participation."
INVALID = (
    "Ce lien de consultation n'est pas valide. Vérifiez qu'il a été copié en entier, ou adressez-vous à "
    "l'organisateur qui vous l'a transmis."
)


def _browser(ctx: Ctx) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(ctx.header("cookie"))
    except CookieError:
        return None
    morsel = cookie.get(COOKIE)
    value = morsel.value if morsel else ""
    return value if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else None


def _cookie_header(value: str) -> dict[str, str]:
    """No Path: the cookie belongs to /public/consultations/ (whatever the stage's prefix), and to nothing else."""
    return {"Set-Cookie": f"{COOKIE}={value}; Max-Age={COOKIE_DAYS * 86400}; HttpOnly; Secure; SameSite=Lax"}


@consultation_api.get(answers=pages(200, 403, 404))  # 403: a disabled tenant's link
def consultation_page(ctx: Ctx, token: str) -> Response:
    """The consultation's page (HTML)"""
    found = link_target(consultations.resolve, token, INVALID)
    if isinstance(found, Response):
        return found
    browser = _browser(ctx)
    headers = {} if browser or found.personal else _cookie_header(consultations.new_browser_token())
    return page("consultation.html", 200, headers, errors=[], **consultations.page_context(found, browser))


def _errors(err: ValidationFailed, questions: list[dict[str, Any]]) -> list[dict[str, str]]:
    known = {q["id"] for q in questions}
    return [
        {
            "question": d["field"],
            "anchor": f"{d['field']}-0" if d["field"] in known else f"{questions[0]['id']}-0",
            "message": d["message"],
        }
        for d in err.details
    ]


@consultation_api.post(
    body=PublicAnswer,
    response=PublicAnswered,
    errors=(400, 403, 404, 409, 422, 429),  # JSON
    answers=pages(200, 400, 403, 404, 409, 422, 429),  # the form
    content_types=["application/json", FORM],
    bodies={FORM: ConsultationForm},
)
def consultation_answer(ctx: Ctx, token: str) -> Any:
    """Answer: a form (HTML page) or JSON {answers, consent}; a second answer replaces the first until the close"""
    browser = _browser(ctx)
    if ctx.media_type() == "application/json":
        body = ctx.body(PublicAnswer)
        done = consultations.answer(
            consultations.resolve(token), body.answers, consented=body.consent, browser=browser, address=ctx.source_ip()
        )
        return {
            "recorded": done.recorded,
            "replaced": done.replaced,
            "message": REPLACED if done.replaced else RECORDED,
        }
    found = link_target(consultations.resolve, token, INVALID)
    if isinstance(found, Response):
        return found
    c = found.consultation
    fields = ctx.form(500)
    typed = rules.answers_from_form(c.doc["questions"], fields)
    consented = (fields.get("consent") or [""])[0] == "oui"
    try:
        done = consultations.answer(
            found,
            typed,
            consented=consented,
            browser=browser,
            address=ctx.source_ip(),
            honeypot=(fields.get("site_web") or [""])[0],
        )
    except ValidationFailed as err:
        shown = consultations.page_context(found, browser, typed)
        shown["consented"] = consented
        return page("consultation.html", 422, errors=_errors(err, c.doc["questions"]), **shown)
    except (Conflict, RateLimited, BadRequest) as err:
        shown = consultations.page_context(found, browser)
        headers = dict(getattr(err, "headers", {}) or {})
        if isinstance(err, BadRequest) and not found.personal:  # no cookie yet: one now, so that a retry works
            headers.update(_cookie_header(consultations.new_browser_token()))
        return page("consultation.html", err.status, headers, errors=[_general(err)], **shown)
    shown = consultations.page_context(found, browser)
    return page(
        "consultation_done.html",
        message=REPLACED if done.replaced else RECORDED,
        page_url=token,
        **{k: shown[k] for k in ("tenant_name", "page_title", "closes_text", "anonymous")},
    )


def _general(err: AgoraError) -> dict[str, str]:
    return {"question": "", "anchor": "contenu", "message": err.message}
