"""Query strings of erasure (RGPD art. 17): the mode of DELETE /contacts/{id}, the override of POST /contacts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ContactDeleteQuery(BaseModel):
    mode: Literal["delete", "erase"] = Field(
        default="delete",
        description="delete (default): the contact and its history go for good. erase (RGPD art. 17): the person "
        "is anonymised everywhere, figures stay (attendance, campaign counts), and a later import or creation "
        "with the same email or phone is refused as « personne ayant demandé l'effacement ». Idempotent.",
    )


class ContactCreateQuery(BaseModel):
    override_erasure: bool = Field(
        default=False,
        description="true (admin only, audited): create the contact even though its email or phone belongs to a "
        "person who asked for erasure (the person asked to be recorded again)",
    )
