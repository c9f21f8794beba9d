"""Invitations, guests, public RSVP answers, check-in and an event's figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal, cast

from pydantic import Field, model_validator

from chalicelib.domain import events as rules
from chalicelib.schemas.common import Line, ListQuery, Model, StrictModel, Ulid, raise_field
from chalicelib.schemas.events import Channel, GuestStatus
from chalicelib.store.entities import Invitation, RsvpAnswerDoc


class InvitationCreate(StrictModel):
    contact_ids: Annotated[list[Ulid], Field(min_length=1, max_length=1000)]
    channel: Channel


class SendRequest(StrictModel):
    acknowledge_warnings: bool = Field(
        default=False, description="Required true when the event's L52-1 assessment has warnings"
    )


class SkippedContact(Model):
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


class HistoryEntry(Model):
    at: str
    status: str
    by: str
    note: str | None = None


class Guest(Model):
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


def guest_json(invitation: Invitation, rsvp_url: str | None) -> dict[str, Any]:
    """``rsvp_url``: the guest's answer link for users who may answer for the guest, else None
    (services.invitations.rsvp_link)."""
    doc = invitation.doc
    return {
        "invitation_id": invitation.invitation_id,
        "contact_id": invitation.contact_id,
        "partner_contact_id": doc.get("partner_contact_id"),
        "name": doc.get("name", ""),
        "channel": invitation.channel,
        "status": invitation.status,
        "companions": doc.get("companions", []),
        "representative": doc.get("representative"),
        "seats": invitation.seats,
        "rsvp_url": rsvp_url,
        "sent_at": invitation.sent_at,
        "answered_at": invitation.answered_at,
        "offered_until": doc.get("offered_until"),
        "history": doc.get("history", []),
    }


def skipped_json(skipped: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """(contact id, reason) pairs as SkippedContact."""
    return [{"contact_id": contact_id, "reason": reason} for contact_id, reason in skipped]


class InvitationsCreated(Model):
    created: list[Guest]
    skipped: list[SkippedContact]


def invitations_created_json(
    created: Sequence[Invitation],
    skipped: Sequence[tuple[str, str]],
    rsvp_url: Callable[[Invitation], str | None],
) -> dict[str, Any]:
    return {"created": [guest_json(i, rsvp_url(i)) for i in created], "skipped": skipped_json(skipped)}


class GuestQuery(ListQuery):
    status: GuestStatus | None = None


class PreviewQuery(Model):
    contact_id: Ulid


class Preview(Model):
    channel: Channel
    to: str | None
    subject: str | None
    text: str
    html: str | None


def preview_json(channel: str, to: str | None, subject: str | None, text: str, html: str | None) -> dict[str, Any]:
    return {"channel": channel, "to": to, "subject": subject, "text": text, "html": html}


class SendResult(Model):
    sent: int
    failed: list[SkippedContact]
    remaining: int = Field(description="Unsent invitations left: call again to send the next batch")
    letters_url: str | None = Field(description="Presigned PDF of the letter invitations of this batch")
    compliance: dict[str, Any] | None = Field(
        description="The L52-1 warnings acknowledged, or the blocking findings overridden, for this batch"
    )


def send_result_json(
    sent: int,
    failed: Sequence[tuple[str, str]],
    remaining: int,
    letters_url: str | None,
    compliance: Mapping[str, Any] | None,
) -> dict[str, Any]:
    return {
        "sent": sent,
        "failed": skipped_json(failed),
        "remaining": remaining,
        "letters_url": letters_url,
        "compliance": compliance,
    }


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


def answer_doc(body: RsvpAnswer) -> RsvpAnswerDoc:
    """The answer as services take it (a StaffAnswer's own choices are left out: they are keyword arguments)."""
    return cast(RsvpAnswerDoc, body.model_dump(mode="json", include={"response", "companions", "representative"}))


class StaffAnswer(RsvpAnswer):
    """An answer staff record for a guest (by phone, at the counter): the guest's answer plus two choices."""

    override_deadline: bool = Field(
        default=False, description="Record it after the RSVP deadline (cabinet, protocole or admin only)"
    )
    notify: bool = Field(default=True, description="Send the guest the confirmation they would get answering")


class RsvpStatus(Model):
    status: GuestStatus
    message: str


def rsvp_status_json(invitation: Invitation, message: str) -> dict[str, Any]:
    return {"status": invitation.status, "message": message}


class CheckIn(StrictModel):
    invitation_id: Ulid | None = None
    token: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _one(self) -> CheckIn:
        if (self.invitation_id is None) == (self.token is None):
            raise_field("invitation_id", "Donnez soit invitation_id, soit token.")
        return self


class EventStats(Model):
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


STATUS_FIGURES = ("accepted", "declined", "represented", "waitlisted", "offered", "attended", "no_show", "cancelled")


def event_stats_json(
    counts: Mapping[str, int],
    seats_taken: int,
    capacity: int | None,
    unknown_sends: Sequence[tuple[Invitation, str, str]],
) -> dict[str, Any]:
    """``counts``: guests by status; ``unknown_sends``: (invitation, rule id, state) of each send to check."""
    rates = rules.rates(counts)
    return {
        "invited": sum(n for s, n in counts.items() if s != "cancelled"),
        "answered": sum(n for s, n in counts.items() if s in rules.ANSWERED),
        **{s: counts[s] for s in STATUS_FIGURES},
        "seats_taken": seats_taken,
        "capacity": capacity,
        "rsvp_rate": rates["rsvp_rate"],
        "participation_rate": rates["participation_rate"],
        "unknown_sends": [
            {"invitation_id": i.invitation_id, "contact_id": i.contact_id, "rule": rule, "state": state}
            for i, rule, state in unknown_sends
        ],
    }
