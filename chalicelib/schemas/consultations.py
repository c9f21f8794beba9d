"""Consultations (POST/GET/PATCH /consultations, their results, and a public answer in JSON)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from chalicelib.schemas.common import NOT_NULL, Line, Lines, Model, StrictModel, raise_field
from chalicelib.schemas.elections import Compliance, assessment_json
from chalicelib.schemas.events import Instant
from chalicelib.store import entities

QuestionKind = Literal["single", "multiple", "scale", "text", "ranking"]
Audience = Literal["public", "segment"]


class Question(StrictModel):
    id: str | None = Field(default=None, description="a-z, 0-9, _ or -; numbered q1, q2… when omitted")
    kind: QuestionKind = Field(description="single, multiple (choices), scale (1–5), text (free), ranking")
    label: Annotated[str, Line(300)]
    required: bool = False
    options: list[Annotated[str, Line(150)]] = Field(
        default=[], max_length=20, description="2 to 20 for single, multiple and ranking; none otherwise"
    )


class ConsultationCreate(StrictModel):
    title: Annotated[str, Line(200)]
    introduction: Annotated[str, Lines(5000)] | None = None
    questions: list[Question] = Field(min_length=1, max_length=50)
    opens_at: Instant
    closes_at: Instant
    audience: Audience = Field(description="public: one link for anyone; segment: a personal link per contact")
    segment_id: str | None = Field(default=None, max_length=64, description="Required for audience segment")
    anonymous: bool = Field(default=True, description="Answers never linked to a contact in the results")
    consent_text: Annotated[str, Lines(1000)] | None = Field(
        default=None,
        description="Identified consultations: the follow-up consent the respondent may tick; only then do answers "
        "feed the contact's history and interests",
    )

    @model_validator(mode="after")
    def _segment(self) -> ConsultationCreate:
        if self.audience == "segment" and not self.segment_id:
            raise ValueError("segment_id est requis pour une consultation adressée à un segment.")
        return self


class ConsultationPatch(StrictModel):
    title: Annotated[Annotated[str, Line(200)] | None, NOT_NULL] = None
    introduction: Annotated[str, Lines(5000)] | None = None
    questions: Annotated[list[Question] | None, NOT_NULL] = Field(default=None, min_length=1, max_length=50)
    opens_at: Annotated[Instant | None, NOT_NULL] = None
    closes_at: Annotated[Instant | None, NOT_NULL] = None
    audience: Annotated[Audience | None, NOT_NULL] = None
    segment_id: str | None = Field(default=None, max_length=64)
    anonymous: Annotated[bool | None, NOT_NULL] = None
    consent_text: Annotated[str, Lines(1000)] | None = None
    version: int = Field(ge=1, description="The version read; a stale one gives 409.")


class QuestionOut(Model):
    id: str
    kind: QuestionKind
    label: str
    required: bool
    options: list[str]


class ConsultationOut(Model):
    id: str
    title: str
    introduction: str | None
    questions: list[QuestionOut]
    opens_at: str
    closes_at: str
    state: Literal["scheduled", "open", "closed"]
    audience: Audience
    segment_id: str | None
    anonymous: bool
    consent_text: str | None
    public_url: str | None = Field(description="The public link (audience public); personal links go by campaign")
    compliance: Compliance | None = Field(
        default=None, description="An institution's: its texts against L52-1 when it is open during a window"
    )
    published: bool = Field(
        description="False while its L52-1 findings await a clearance (POST /consultations/{id}/publish; a blocking "
        "one needs an admin's override first): its links take no answer meanwhile"
    )
    owner_id: str
    version: int
    created_at: str
    updated_at: str


class ConsultationPublish(StrictModel):
    acknowledge_warnings: bool = Field(
        default=False, description="Go ahead despite the L52-1 warnings shown by a previous 409"
    )


class OptionResult(Model):
    label: str
    count: int
    percent: float | None = Field(description="Of the respondents who answered the question; null when none did")
    mean_rank: float | None = Field(default=None, description="Ranking questions: 1 is first place")


class QuestionResult(Model):
    id: str
    kind: QuestionKind
    label: str
    answered: int
    options: list[OptionResult]
    mean: float | None = Field(default=None, description="Scale questions")
    texts: list[str] = Field(default=[], description="Free-text answers")


class ResultsQuery(Model):
    """How an identified consultation's results are broken down; query strings ignore unknown parameters."""

    by: Literal["commune", "postcode"] | None = Field(
        default=None, description="The respondents' commune (the default) or postcode"
    )
    segment_id: str | None = Field(
        default=None,
        max_length=64,
        description="Instead of `by`: « Dans le segment » / « Hors segment », by the respondents' membership now",
    )

    @model_validator(mode="after")
    def _one(self) -> ResultsQuery:
        if self.by is not None and self.segment_id is not None:
            raise_field("segment_id", "Donnez soit « by », soit « segment_id », pas les deux.")
        return self


class GroupResult(Model):
    group: str = Field(
        description="The respondents' commune or postcode, or « Dans le segment » / « Hors segment » (identified "
        "consultations)"
    )
    questions: list[QuestionResult]


class ConsultationResults(Model):
    id: str
    state: str
    respondents: int
    questions: list[QuestionResult]
    breakdown: list[GroupResult] | None = Field(
        description="By commune (default), postcode or segment membership, for identified consultations only"
    )
    limits: str | None = Field(
        description="How answers through a public link are limited (and what that does not stop)"
    )


class PublicAnswer(StrictModel):
    answers: dict[str, Any] = Field(description="question id → the answer (option, options, 1–5, text, ranking)")
    consent: bool = False


class PublicAnswered(Model):
    recorded: bool
    replaced: bool
    message: str


def consultation_json(c: entities.Consultation, state: str, public_url: str | None, published: bool) -> dict[str, Any]:
    d = c.doc
    return {
        "id": c.consultation_id,
        "title": d["title"],
        "introduction": d.get("introduction"),
        "questions": d["questions"],
        "opens_at": d["opens_at"],
        "closes_at": d["closes_at"],
        "state": state,
        "audience": d["audience"],
        "segment_id": d.get("segment_id"),
        "anonymous": d["anonymous"],
        "consent_text": d.get("consent_text"),
        "public_url": public_url,
        "compliance": assessment_json(d["compliance"]) if d.get("compliance") else None,
        "published": published,
        "owner_id": c.owner_id,
        "version": c.version,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _question_json(t: Any) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "label": t.label,
        "answered": t.answered,
        "options": [
            {"label": o.label, "count": o.count, "percent": o.percent, "mean_rank": o.mean_rank} for o in t.options
        ],
        "mean": t.mean,
        "texts": list(t.texts),
    }


def results_json(c: entities.Consultation, state: str, r: Any) -> dict[str, Any]:
    return {
        "id": c.consultation_id,
        "state": state,
        "respondents": r.respondents,
        "questions": [_question_json(t) for t in r.questions],
        "breakdown": None
        if r.breakdown is None
        else [{"group": g, "questions": [_question_json(t) for t in ts]} for g, ts in r.breakdown.items()],
        "limits": r.limits,
    }


def fields_of(body: ConsultationCreate | ConsultationPatch) -> dict[str, Any]:
    """The fields (a PATCH: those given), questions as plain dicts (checked again by the domain)."""
    data = body.model_dump(exclude_unset=isinstance(body, ConsultationPatch), exclude={"version"})
    if "questions" in data and data["questions"] is not None:
        data["questions"] = [{k: v for k, v in q.items() if v is not None} for q in data["questions"]]
    return data
