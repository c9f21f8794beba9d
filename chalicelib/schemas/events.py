"""Events, invitations, guests and public RSVP answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Field, PlainValidator, ValidationInfo, model_validator

from chalicelib.domain import events as rules
from chalicelib.domain.time import parse_instant
from chalicelib.schemas.common import NOT_NULL, Line, Lines, ListQuery, StrictModel, Ulid, raise_field

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


class ReminderRuleOut(BaseModel):
    id: str
    kind: str
    offset: str
    channel: str | None
    template: str | None
    due_at: str | None


class ComplianceSummary(BaseModel):
    level: Literal["ok", "warning", "blocking"]
    applies: bool
    assessed_at: str
    overridden: bool


class SendRequest(StrictModel):
    acknowledge_warnings: bool = Field(
        default=False, description="Required true when the event's L52-1 assessment has warnings"
    )


class Event(BaseModel):
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


class InvitationCreate(StrictModel):
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=1000)]
    channel: Channel


class SkippedContact(BaseModel):
    contact_id: str
    reason: str


class Companion(StrictModel):
    name: Annotated[str, Line(150)]


class Representative(StrictModel):
    name: Annotated[str, Line(150)] | None = None
    function: Annotated[str, Line(150)] | None = None
    contact_id: Ulid | None = None

    @model_validator(mode="after")
    def _someone(self) -> Representative:
        if not self.name and not self.contact_id:
            raise_field("representative.name", "Indiquez le nom de la personne qui vous représentera.")
        return self


class HistoryEntry(BaseModel):
    at: str
    status: str
    by: str
    note: str | None = None


class Guest(BaseModel):
    invitation_id: str
    contact_id: str
    partner_contact_id: str | None
    name: str
    channel: Channel
    status: GuestStatus
    companions: list[dict[str, str]]
    representative: dict[str, Any] | None
    seats: int
    rsvp_url: str | None = Field(description="The guest's answer link; null for roles that cannot write to the event")
    sent_at: str | None
    answered_at: str | None
    offered_until: str | None
    history: list[HistoryEntry]


class InvitationsCreated(BaseModel):
    created: list[Guest]
    skipped: list[SkippedContact]


class GuestQuery(ListQuery):
    status: GuestStatus | None = None


class PreviewQuery(BaseModel):
    contact_id: Ulid


class Preview(BaseModel):
    channel: Channel
    to: str | None
    subject: str | None
    text: str
    html: str | None


class SendResult(BaseModel):
    sent: int
    failed: list[SkippedContact]
    remaining: int = Field(description="Unsent invitations left: call again to send the next batch")
    letters_url: str | None = Field(description="Presigned PDF of the letter invitations of this batch")
    compliance: dict[str, Any] | None = Field(
        description="The L52-1 warnings acknowledged, or the blocking findings overridden, for this batch"
    )


class RsvpAnswer(StrictModel):
    response: Literal["accept", "decline", "represented"]
    companions: Annotated[list[Companion], Field(max_length=20)] = []
    representative: Representative | None = None

    @model_validator(mode="after")
    def _coherent(self) -> RsvpAnswer:
        if self.response == "represented" and self.representative is None:
            raise_field("representative", "Indiquez qui vous représentera.")
        if self.response != "accept" and self.companions:
            raise_field("companions", "Les accompagnants ne concernent qu'une réponse positive.")
        return self


class StaffAnswer(RsvpAnswer):
    """An answer staff record for a guest (by phone, at the counter): the guest's answer plus two choices."""

    override_deadline: bool = Field(
        default=False, description="Record it after the RSVP deadline (cabinet, protocole or admin only)"
    )
    notify: bool = Field(default=True, description="Send the guest the confirmation they would get answering")


class RsvpStatus(BaseModel):
    status: GuestStatus
    message: str


class CheckIn(StrictModel):
    invitation_id: Ulid | None = None
    token: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _one(self) -> CheckIn:
        if (self.invitation_id is None) == (self.token is None):
            raise_field("invitation_id", "Donnez soit invitation_id, soit token.")
        return self


class EventStats(BaseModel):
    invited: int
    answered: int
    accepted: int
    declined: int
    represented: int
    waitlisted: int
    offered: int
    attended: int
    no_show: int
    cancelled: int
    seats_taken: int
    capacity: int | None
    rsvp_rate: float
    participation_rate: float
    unknown_sends: list[dict[str, str]] = Field(
        description="Reminders whose outcome is unknown after a crash: not resent, for staff to check"
    )
