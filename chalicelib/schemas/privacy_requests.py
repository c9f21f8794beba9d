"""Privacy requests: the public form's fields, the admins' list and their answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.domain import privacy_requests as rules
from chalicelib.domain.contact_points import normalise_email
from chalicelib.schemas.common import Lines, ListQuery, Model, StrictModel, _no_control_chars, _one_line
from chalicelib.store import entities

Kind = Literal["access", "erasure"]
Status = Literal["pending_verification", "open", "done", "refused"]

NAME_MAX = 150
MESSAGE_MAX = 2000
EMAIL_MAX = 254
HONEYPOT = "website"  # the form's trap field, hidden from people (templates/public/privacy_form.html)


@dataclass(frozen=True)
class PrivacyForm:
    """A valid submission of the public form."""

    kind: Kind
    email: str  # normalised
    name: str | None
    message: str | None


@dataclass(frozen=True)
class FormResult:
    """What a submission gives: the request (None while invalid), the errors by field, what was typed (shown back
    with the errors so that nothing is lost), and whether the trap field was filled (a robot)."""

    form: PrivacyForm | None
    errors: list[dict[str, str]]
    typed: dict[str, str]
    robot: bool


def _text(value: str, field: str, max_length: int, one_line: bool, errors: list[dict[str, str]]) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        errors.append({"field": field, "message": f"Ce champ ne doit pas dépasser {max_length} caractères."})
        return None
    try:
        (_one_line if one_line else _no_control_chars)(value)
    except ValueError:
        errors.append({"field": field, "message": "Ce champ contient des caractères non autorisés."})
        return None
    return value


def parse_form(fields: dict[str, list[str]]) -> FormResult:
    """The form's fields (application/x-www-form-urlencoded) checked one by one, with French messages for a person
    (not for a developer): each names what to do."""

    def first(name: str) -> str:
        return (fields.get(name) or [""])[0]

    typed = {name: first(name) for name in ("kind", "email", "name", "message")}
    errors: list[dict[str, str]] = []
    kind = typed["kind"]
    if kind not in rules.KINDS:
        errors.append({"field": "kind", "message": "Choisissez le droit que vous souhaitez exercer."})
    email = typed["email"].strip()
    normalised = None
    if not email:
        errors.append({"field": "email", "message": "Indiquez votre adresse électronique."})
    elif len(email) > EMAIL_MAX:
        errors.append({"field": "email", "message": f"L'adresse ne doit pas dépasser {EMAIL_MAX} caractères."})
    else:
        try:
            normalised = normalise_email(email)
        except ValueError:
            errors.append(
                {
                    "field": "email",
                    "message": "Cette adresse électronique n'est pas valide : vérifiez-la "
                    "(par exemple : prenom.nom@exemple.fr).",
                }
            )
    name = _text(typed["name"], "name", NAME_MAX, True, errors)
    message = _text(typed["message"], "message", MESSAGE_MAX, False, errors)
    robot = bool(first(HONEYPOT).strip())
    if errors or normalised is None:
        return FormResult(None, errors, typed, robot)
    return FormResult(PrivacyForm(kind, normalised, name, message), [], typed, robot)  # type: ignore[arg-type]  # kind in KINDS: no error


class PrivacyRequestQuery(ListQuery):
    status: Status | None = Field(
        default=None, description="Only requests in this status; without it, every verified one (oldest first)"
    )


class PrivacyRequestOut(Model):
    id: str
    kind: Kind
    status: Status
    email: str
    name: str | None
    message: str | None
    contact_ids: list[str] = Field(description="The tenant's contacts with this email address, found at verification")
    created_at: str
    verified_at: str | None
    deadline: str | None = Field(description="Last day to answer (RGPD art. 12(3): one month from the verification)")
    days_left: int | None = Field(
        description="Days to the deadline in the tenant's zone (0 on its last day, negative once passed); null unless "
        "open"
    )
    overdue: bool
    note: str | None
    closed_at: str | None
    closed_by: str | None
    version: int


class PrivacyRequestPatch(StrictModel):
    status: Literal["done", "refused"]
    note: Annotated[str, Lines(MESSAGE_MAX)] | None = Field(
        default=None, description="The answer given; required for a refusal (its reasons, RGPD art. 12(4))"
    )


def privacy_request_json(request: entities.PrivacyRequest, today: date) -> dict[str, Any]:
    due = date.fromisoformat(request.deadline) if request.deadline else None
    doc = request.doc
    return {
        "id": request.request_id,
        "kind": request.kind,
        "status": request.status,
        "email": request.email,
        "name": doc.get("name"),
        "message": doc.get("message"),
        "contact_ids": list(doc.get("contact_ids") or []),
        "created_at": request.created_at,
        "verified_at": request.verified_at,
        "deadline": request.deadline,
        "days_left": rules.days_left(due, today) if due and request.status == "open" else None,
        "overdue": rules.overdue(due, today, request.status) if due else False,
        "note": doc.get("note"),
        "closed_at": doc.get("closed_at"),
        "closed_by": doc.get("closed_by"),
        "version": request.version or 0,
    }
