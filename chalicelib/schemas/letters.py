"""Letters (publipostage): the request and the job's progress."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import Field, model_validator

from chalicelib.schemas.common import Line, Lines, Model, PlausibleDate, StrictModel, Ulid, raise_field
from chalicelib.store import entities

MAX_RECIPIENTS = 2000  # one PDF of 2,000 pages renders in well under a minute; bigger mailings are split


class LetterCreate(StrictModel):
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=MAX_RECIPIENTS)]
    template: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")] | None = Field(
        default=None, description="A stored body (GET /letters/templates); or give `body`"
    )
    body: Annotated[str, Lines(20000)] | None = Field(
        default=None, description="The body as a Jinja2 template; paragraphs separated by a blank line"
    )
    subject: Annotated[str, Line(200)] | None = None
    sender_function: Annotated[str, Field(max_length=60)] | None = Field(
        default=None, description="Function code of the signatory; default: the signatory in /settings"
    )
    date: PlausibleDate | None = Field(default=None, description="Date printed on the letters; default: today")
    labels: bool = Field(default=True, description="Also print the address labels (A4, 3 × 8, 70 × 36 mm)")

    @model_validator(mode="after")
    def _one_body(self) -> LetterCreate:
        if (self.template is None) == (self.body is None):
            raise_field("body", "Donnez soit « template » (un modèle enregistré), soit « body » (votre texte).")
        if len(set(self.contact_ids)) != len(self.contact_ids):
            raise_field("contact_ids", "Chaque destinataire n'est listé qu'une fois.")
        return self


def letter_request(body: LetterCreate) -> entities.LetterRequestDoc:
    return cast(entities.LetterRequestDoc, body.model_dump(mode="json"))


class Skipped(Model):
    contact_id: str
    reason: str


class LetterJob(Model):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    done: int = Field(description="Recipients processed so far (letters printed + skipped)")
    printed: int
    skipped: list[Skipped]
    pages: int
    pdf_url: str | None = Field(description="Presigned download of the letters (valid one hour), once done")
    labels_url: str | None = Field(description="Presigned download of the label sheet, once done")
    error: str | None
    created_at: str
    updated_at: str


def letter_job_json(
    job: entities.LetterJob, pdf_url: str | None = None, labels_url: str | None = None
) -> dict[str, Any]:
    """The job's progress; the presigned downloads of its documents are given once it is done
    (services.letters.download_links)."""
    doc = job.doc
    return {
        "id": job.letter_id,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "printed": int(doc.get("printed", 0)),
        "skipped": doc.get("skipped", []),
        "pages": int(doc.get("pages", 0)),
        "pdf_url": pdf_url,
        "labels_url": labels_url,
        "error": doc.get("error"),
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


class LetterTemplate(Model):
    name: str
    label: str
    variables: list[str]


def letter_template_json(name: str, label: str, variables: list[str]) -> dict[str, Any]:
    return {"name": name, "label": label, "variables": variables}
