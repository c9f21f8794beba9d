"""Possible duplicates (GET /duplicates, POST /duplicates/scan, POST /duplicates/dismiss) and the create
response's `possible_duplicates`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from chalicelib.domain.duplicates import Pair
from chalicelib.schemas.common import Model, StrictModel

ContactId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class DuplicatePair(Model):
    contact_ids: list[str] = Field(min_length=2, max_length=2, description="The two contacts, older id first")
    score: float = Field(ge=0, le=1, description="How sure the detection is that they are one person")
    matched: list[str] = Field(
        description="The fields that agree: first_name, last_name, email, phone, birth_date, address"
    )


class ScanQueued(Model):
    status: Literal["queued"]
    requested_at: str


class DismissBody(StrictModel):
    contact_ids: list[ContactId] = Field(min_length=2, max_length=2, description="Two contacts that are two people")


class Dismissed(Model):
    contact_ids: list[str]
    dismissed: Literal[True]


class PossibleDuplicate(Model):
    id: str
    score: float = Field(ge=0, le=1)


def pair_json(pair: Pair) -> dict[str, Any]:
    return {"contact_ids": [pair.a, pair.b], "score": pair.score, "matched": list(pair.matched)}


def possible_json(found: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"id": contact_id, "score": score} for contact_id, score in found]
