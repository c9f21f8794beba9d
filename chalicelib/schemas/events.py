"""Events, their reminder rules and compliance summary (guests and answers: schemas/invitations.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import ConfigDict, Field, PlainValidator, ValidationInfo, model_validator

from chalicelib.domain import events as rules
from chalicelib.domain.time import instant, local, parse_instant, utc_text
from chalicelib.errors import ValidationFailed
from chalicelib.schemas.common import NOT_NULL, FieldError, Line, Lines, Model, StrictModel, Ulid, built, raise_field
from chalicelib.store import entities

EventKind = Literal["voeux", "inauguration", "commemoration", "reunion_publique", "conseil", "fete_locale", "autre"]
EventStatus = Literal["draft", "open", "closed", "cancelled"]
GuestStatus = Literal[
    "invited", "accepted", "declined", "represented", "waitlisted", "offered", "cancelled", "attended", "no_show"
]
Channel = Literal["email", "sms", "letter"]
assert set(get_args(EventKind)) == set(rules.EVENT_KINDS)
assert set(get_args(EventStatus)) == set(rules.EVENT_STATUSES)
assert set(get_args(GuestStatus)) == set(rules.GUEST_STATUSES)

_INSTANT_ERROR = (
    "Date et heure invalides (ISO 8601, ex. 2027-01-09T18:30:00+01:00 ; sans fuseau : l'heure locale de la "
    "collectivité, celle de /settings)."
)


def _instant(value: Any, info: ValidationInfo) -> datetime:
    """Without an offset, a wall-clock time of the tenant's zone: the caller passes it as validation context."""
    zone_name = (info.context or {}).get("zone")
    if isinstance(value, datetime):
        text_value = value.isoformat()
    elif isinstance(value, str) and len(value) <= 40:
        text_value = value
    else:
        raise ValueError(_INSTANT_ERROR)
    try:
        parsed = parse_instant(text_value, zone_name)
    except ValueError as exc:
        message = str(exc) if "heure" in str(exc).lower() or "fuseau" in str(exc).lower() else _INSTANT_ERROR
        raise ValueError(message) from None
    if not 2000 <= parsed.year <= 2200:
        raise ValueError("Date hors des limites (2000–2200).")
    return parsed


Instant = Annotated[datetime, PlainValidator(_instant, json_schema_input_type=str)]


def _offset(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("Durée ISO 8601 attendue, ex. -P7D.")
    rules.parse_offset(value)  # ValueError with a French message
    return value


Offset = Annotated[str, PlainValidator(_offset, json_schema_input_type=str)]


class ReminderRuleIn(StrictModel):
    kind: Literal["relance", "rappel", "offer_expiry"]
    offset: Offset = Field(description="ISO 8601 duration: relance from rsvp_deadline, rappel from starts_at")
    channel: Literal["email", "sms"] | None = Field(default=None, description="Default: the invitation's channel")
    template: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")] | None = None


class EventFields(StrictModel):
    title: Annotated[Annotated[str, Line(200)] | None, NOT_NULL] = None
    description: Annotated[str, Lines(5000)] | None = None
    kind: Annotated[EventKind | None, NOT_NULL] = None
    series: Annotated[str, Line(200)] | None = None
    starts_at: Annotated[Instant | None, NOT_NULL] = None
    ends_at: Instant | None = None
    place: Annotated[str, Line(200)] | None = None
    address: Annotated[str, Line(300)] | None = None
    capacity: Annotated[int, Field(ge=0, le=100_000)] | None = None
    companions_max: Annotated[Annotated[int, Field(ge=0, le=20)] | None, NOT_NULL] = None
    rsvp_deadline: Instant | None = None
    regrets_only: Annotated[bool | None, NOT_NULL] = None
    status: Annotated[EventStatus | None, NOT_NULL] = None
    budget_cents: Annotated[int, Field(ge=0, le=10_000_000_000)] | None = None
    organiser_contact_id: Ulid | None = None
    protocol_notes: Annotated[str, Lines(5000)] | None = None
    invitation_text: Annotated[str, Lines(2000)] | None = Field(
        default=None, description="A word from the host printed in the invitation (checked for L52-1 neutrality)"
    )
    reminders: Annotated[list[ReminderRuleIn], Field(max_length=10)] | None = Field(
        default=None, description="Null: the defaults of the event's kind"
    )
    invited_count: Annotated[int, Field(ge=0, le=1_000_000)] | None = Field(
        default=None, description="An earlier occurrence's guests (only with status closed and a past starts_at)"
    )
    attendance: Annotated[int, Field(ge=0, le=1_000_000)] | None = Field(
        default=None, description="How many came to an earlier occurrence (only with status closed and a past date)"
    )


class EventCreate(EventFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Cérémonie des vœux du maire",
                    "kind": "voeux",
                    "starts_at": "2027-01-15T18:30:00+01:00",
                    "ends_at": "2027-01-15T21:00:00+01:00",
                    "place": "Salle des fêtes",
                    "address": "1 place de la Mairie, 69001 Lyon",
                    "capacity": 300,
                    "companions_max": 1,
                    "rsvp_deadline": "2027-01-08T23:59:00+01:00",
                }
            ]
        }
    )

    title: Annotated[str, Line(200)]
    kind: EventKind
    starts_at: Instant

    @model_validator(mode="after")
    def _times(self) -> EventCreate:
        check_times(self.starts_at, self.ends_at, self.rsvp_deadline)
        return self


def check_times(starts_at: datetime | None, ends_at: datetime | None, rsvp_deadline: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise_field("ends_at", "La fin doit suivre le début de l'événement.")
    if starts_at and rsvp_deadline and rsvp_deadline > starts_at:
        raise_field("rsvp_deadline", "La date limite de réponse doit précéder le début de l'événement.")


class EventPatch(EventFields):
    version: int = Field(ge=1)


class EventCopy(StrictModel):
    starts_at: Instant


class ReminderRuleOut(Model):
    id: str
    kind: str
    offset: str
    channel: str | None
    template: str | None
    due_at: str | None


class ComplianceSummary(Model):
    level: Literal["ok", "warning", "blocking"]
    applies: bool
    assessed_at: str
    overridden: bool


class Event(Model):
    id: str
    title: str
    description: str | None
    kind: EventKind
    series: str | None
    starts_at: str = Field(description="ISO 8601 with the offset of the tenant's time zone (/settings)")
    ends_at: str | None
    place: str | None
    address: str | None
    capacity: int | None
    companions_max: int
    rsvp_deadline: str | None
    regrets_only: bool
    status: EventStatus
    budget_cents: int | None
    organiser_contact_id: str | None
    protocol_notes: str | None = Field(default=None, description="Only for protocole, cabinet and admin")
    invitation_text: str | None
    reminders: list[ReminderRuleOut]
    invited_count: int | None
    attendance: int | None
    past_occurrence: bool = Field(description="The record of an earlier occurrence: nothing is sent for it")
    seats_taken: int
    compliance: ComplianceSummary | None = Field(
        description="The latest L52-1 assessment (GET /events/{id}/compliance for the findings)"
    )
    version: int
    created_at: str
    updated_at: str


# --- the stored record of a request, and the response from an event -------------------------------------------------

# What an event holds of a field the request left out, and what an older record without it shows.
DEFAULTS: dict[str, Any] = {
    "description": None,
    "series": None,
    "ends_at": None,
    "place": None,
    "address": None,
    "capacity": None,
    "companions_max": 0,
    "rsvp_deadline": None,
    "regrets_only": False,
    "status": "draft",
    "budget_cents": None,
    "organiser_contact_id": None,
    "protocol_notes": None,
    "invitation_text": None,
    "reminders": None,
    "invited_count": None,
    "attendance": None,
}
TIMES = ("starts_at", "ends_at", "rsvp_deadline")


def _given(body: EventFields) -> dict[str, Any]:
    """The fields the request names, as stored: times in UTC, reminder rules as plain maps."""
    given: dict[str, Any] = {}
    for name in body.model_fields_set - {"version"}:
        value = getattr(body, name)
        if name in TIMES:
            given[name] = utc_text(value)
        elif name == "reminders":
            given[name] = None if value is None else [r.model_dump(mode="json") for r in value]
        else:
            given[name] = value
    return given


def event_doc(body: EventCreate) -> entities.EventDoc:
    """A new event's record: the defaults, then the fields of the request."""
    return cast(entities.EventDoc, {**DEFAULTS, **_given(body)})


def merged_event(stored: entities.EventDoc, patch: EventPatch) -> tuple[entities.EventDoc, list[str]]:
    """The event after the patch and the fields the patch names; its times are checked together (422)."""
    doc = cast(entities.EventDoc, {**stored, **_given(patch)})
    try:
        check_times(instant(doc["starts_at"]), instant(doc.get("ends_at")), instant(doc.get("rsvp_deadline")))
    except FieldError as exc:
        raise ValidationFailed([{"field": exc.field, "message": str(exc)}]) from exc
    return doc, sorted(patch.model_fields_set - {"version"})


def shown(value: str | None, zone_name: str | None = None) -> str | None:
    """A stored UTC instant as the API shows it: with the offset of the tenant's zone."""
    moment = instant(value)
    return local(moment, zone_name).isoformat() if moment else None


def reminder_rule_json(rule: rules.ReminderRule, due: datetime | None, zone_name: str | None) -> dict[str, Any]:
    return built(
        ReminderRuleOut, rule, id=rules.rule_id(rule), due_at=local(due, zone_name).isoformat() if due else None
    )


def compliance_summary_json(assessment: entities.Assessment | None) -> dict[str, Any] | None:
    """What an event carries of its assessment: level, whether L52-1 applies, when, and whether overridden."""
    if assessment is None:
        return None
    doc = assessment.doc
    return {
        "level": doc["level"],
        "applies": doc["applies"],
        "assessed_at": doc["assessed_at"],
        "overridden": doc.get("override") is not None,
    }


def event_json(
    event: entities.Event,
    *,
    seats_taken: int,
    assessment: entities.Assessment | None,
    schedule: Sequence[tuple[rules.ReminderRule, datetime | None]],
    zone_name: str | None,
    confidential: bool,
) -> dict[str, Any]:
    """The event on the tenant's clock (`zone_name`), with its rules' due times (`schedule`); its protocol notes
    only for those who may read them (`confidential`)."""
    doc: Mapping[str, Any] = event.doc
    return {
        "id": event.event_id,
        **{k: doc.get(k, DEFAULTS.get(k)) for k in ("title", "kind", *DEFAULTS)},
        "starts_at": shown(doc["starts_at"], zone_name),
        "ends_at": shown(doc.get("ends_at"), zone_name),
        "rsvp_deadline": shown(doc.get("rsvp_deadline"), zone_name),
        "past_occurrence": bool(doc.get("past_occurrence")),
        "protocol_notes": doc.get("protocol_notes") if confidential else None,
        "reminders": [reminder_rule_json(rule, due, zone_name) for rule, due in schedule],
        "seats_taken": seats_taken,
        "compliance": compliance_summary_json(assessment),
        "version": event.version,
        "created_at": event.created_at,
        "updated_at": event.updated_at,
    }
