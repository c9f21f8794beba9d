"""/letters: publipostage, one PDF with a letter per recipient and an address-label sheet, made in the background."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.letters import (
    LetterCreate,
    LetterJob,
    LetterTemplate,
    letter_job_json,
    letter_request,
    letter_template_json,
)
from chalicelib.services import letters

api = Api(__name__, "letters")


@api.post(
    "/letters", body=LetterCreate, response=LetterJob, status=202, roles="write", idempotent=True, errors=(404, 422)
)
def create_letters(ctx: Ctx) -> dict[str, Any]:
    """Start a mailing: checks the body and the recipients, then renders the letters in the background"""
    return letter_job_json(letters.start(ctx.user, letter_request(ctx.body(LetterCreate))))


@api.get("/letters/templates", response=Page[LetterTemplate])
def list_letter_templates(ctx: Ctx) -> dict[str, Any]:
    """Stored letter bodies (templates/letters) and the variables they use"""
    ctx.user  # noqa: B018  (authenticated like every non-public route)
    return whole_list([letter_template_json(*t) for t in letters.template_list()])


@api.get("/letters/{letter_id}", response=LetterJob, errors=(404,))
def get_letters(ctx: Ctx, letter_id: str) -> dict[str, Any]:
    """Progress of a mailing; once done, presigned downloads of the letters and the labels"""
    job = letters.get(ctx.user, letter_id)
    return letter_job_json(job, *letters.download_links(job))
