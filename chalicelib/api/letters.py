"""/letters: publipostage, one PDF with a letter per recipient and an address-label sheet, made in the background."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.letters import LetterCreate, LetterJob, LetterTemplate
from chalicelib.services import letters

api = Api(__name__, "letters")


@api.route(
    "/letters",
    "POST",
    summary="Start a mailing: checks the body and the recipients, then renders the letters in the background",
    body=LetterCreate,
    response=LetterJob,
    status=202,
    roles="write",
    errors=(404, 422),
)
def create_letters(ctx: Ctx) -> dict[str, Any]:
    return letters.start(ctx.user, ctx.body(LetterCreate))


@api.route(
    "/letters/templates",
    "GET",
    summary="Stored letter bodies (templates/letters) and the variables they use",
    response=Page[LetterTemplate],
)
def list_letter_templates(ctx: Ctx) -> dict[str, Any]:
    ctx.user  # noqa: B018  (authenticated like every non-public route)
    return whole_list(letters.template_list())


@api.route(
    "/letters/{letter_id}",
    "GET",
    summary="Progress of a mailing; once done, presigned downloads of the letters and the labels",
    response=LetterJob,
    errors=(404,),
)
def get_letters(ctx: Ctx, letter_id: str) -> dict[str, Any]:
    return letters.get(ctx.user, letter_id)
