"""/events/{id}/invitations, guests, check-in, figures and the documents of the day (protocol sheets, badges)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalice.app import Response
from pydantic import Field

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.api.protocol import seating_answer, speaking_order_answer
from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.schemas.common import Model, Page, listing_json
from chalicelib.schemas.invitations import (
    CheckIn,
    EventStats,
    Guest,
    GuestQuery,
    InvitationCreate,
    InvitationsCreated,
    Preview,
    PreviewQuery,
    SendRequest,
    SendResult,
    StaffAnswer,
    answer_doc,
    event_stats_json,
    guest_json,
    invitations_created_json,
    preview_json,
    send_result_json,
)
from chalicelib.schemas.protocol import (
    LayoutIn,
    OrderOut,
    PrecedenceRequest,
    SeatingOut,
    SeatingRequest,
    SpeakingOrderRequest,
    ceremony_of,
    order_json,
    representations_of,
)
from chalicelib.schemas.validation import parse
from chalicelib.services import events, invitation_documents, invitation_sending, invitations, protocol, rsvp
from chalicelib.store import entities

api = Api(__name__, "events", errors=(404,))
event_api = api.resource("/events/{event_id}")


@event_api.post(
    "/invitations", body=InvitationCreate, response=InvitationsCreated, status=201, roles="write", errors=(409, 422)
)
def invite(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Invite contacts on a channel (one invitation per person; unreachable ones skipped with the reason)"""
    item = events.load(ctx.user, event_id)
    data = ctx.body(InvitationCreate)
    result = invitations.create(ctx.user, item, data.contact_ids, data.channel)
    return invitations_created_json(result.created, result.skipped, _link(ctx.user))


@event_api.get("/invitations/preview", query=PreviewQuery, response=Preview, errors=(422,))
def preview_invitation(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """The invitation as this guest will receive it"""
    item = events.load(ctx.user, event_id)
    composed = invitation_sending.preview(ctx.user, item, ctx.query(PreviewQuery).contact_id)
    return preview_json(composed.channel, composed.to, composed.subject, composed.text, composed.html)


@event_api.post(
    "/invitations/send", body=SendRequest, response=SendResult, roles="write", idempotent=True, errors=(409, 422)
)
def send_invitations(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Send the next batch of unsent invitations; call again while `remaining` > 0 (L52-1 checked first)"""
    data = ctx.body(SendRequest) if ctx.request.raw_body else SendRequest()
    report = invitation_sending.send(ctx.user, events.load(ctx.user, event_id), data.acknowledge_warnings)
    return send_result_json(report.sent, report.failed, report.remaining, report.letters_url, report.compliance)


@event_api.get("/guests", query=GuestQuery, response=Page[Guest])
def list_guests(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """The guest list, by status, with each guest's link and history"""
    item = events.load(ctx.user, event_id)
    query = ctx.query(GuestQuery)
    listing = invitations.guests(ctx.user, item, status=query.status, limit=query.limit, cursor=query.cursor)
    link = _link(ctx.user)
    return listing_json(listing, lambda i: guest_json(i, link(i)))


@event_api.post(
    "/guests/{invitation_id}/answer", body=StaffAnswer, response=Guest, roles="write", errors=(403, 409, 422)
)
def answer_for_guest(ctx: Ctx, event_id: str, invitation_id: str) -> dict[str, Any]:
    """Record a guest's answer given to staff (by phone…): the guest's rules, in your name, audited"""
    item = events.load(ctx.user, event_id)
    data = ctx.body(StaffAnswer)
    invitation = rsvp.answer_for_guest(
        ctx.user, item, invitation_id, answer_doc(data), override_deadline=data.override_deadline, notify=data.notify
    )
    return guest_json(invitation, invitations.rsvp_link(ctx.user, invitation))


@event_api.post("/checkin", body=CheckIn, response=Guest, roles="write", errors=(409, 422))
def check_in(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Mark a guest present (invitation id, or the token of the QR code)"""
    item = events.load(ctx.user, event_id)
    data = ctx.body(CheckIn)
    invitation = invitations.check_in(ctx.user, item, data.invitation_id, data.token)
    return guest_json(invitation, invitations.rsvp_link(ctx.user, invitation))


@event_api.get("/stats", response=EventStats)
def event_stats(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Answers, seats and rates"""
    figures = invitations.stats(ctx.user, events.load(ctx.user, event_id))
    return event_stats_json(figures.counts, figures.seats_taken, figures.capacity, figures.unknown_sends)


def _link(p: Principal) -> Callable[[entities.Invitation], str | None]:
    """Each guest's RSVP link as this user may see it (none for readers: whoever holds it answers as the guest)."""
    return lambda invitation: invitations.rsvp_link(p, invitation)


PDF = "application/pdf"


class WelcomeQuery(Model):
    welcome_contact_id: str | None = Field(default=None, max_length=26, description="Who speaks first to welcome")


class LayoutQuery(Model):
    kind: str = Field(default="row", description="row | two_blocks | table_francaise")
    seats_per_row: int = Field(default=10, ge=1, le=200)
    host_contact_id: str | None = Field(default=None, max_length=26)
    cohost_contact_id: str | None = Field(default=None, max_length=26)


@event_api.get("/speaking-order", query=WelcomeQuery, response=OrderOut, errors=(409, 422), produces=(PDF,))
def event_speaking_order(ctx: Ctx, event_id: str) -> dict[str, Any] | Response:
    """Speaking order of the guests who are coming (art. 19); Accept: application/pdf for the sheet"""
    item = events.load(ctx.user, event_id)
    welcome = ctx.query(WelcomeQuery).welcome_contact_id
    req = parse(SpeakingOrderRequest, events.ceremony_request(ctx.user, item, {"welcome_contact_id": welcome}))
    return speaking_order_answer(ctx, req)


@event_api.get("/seating", query=LayoutQuery, response=SeatingOut, errors=(409, 422), produces=(PDF,))
def event_seating(ctx: Ctx, event_id: str) -> dict[str, Any] | Response:
    """Seating plan of the guests who are coming (art. 16); Accept: application/pdf for the sheet"""
    item = events.load(ctx.user, event_id)
    layout = parse(LayoutIn, ctx.query(LayoutQuery).model_dump(exclude_none=True))
    req = parse(SeatingRequest, events.ceremony_request(ctx.user, item, {"layout": layout.model_dump()}))
    return seating_answer(ctx, req)


@event_api.get("/attendance-sheet", errors=(406,), answers={200: (PDF,)})
def attendance_sheet(ctx: Ctx, event_id: str) -> Response:
    """Printable émargement list of the guests expected (PDF; send Accept: application/pdf)"""
    return _day_document(ctx, event_id, invitation_documents.attendance_pdf, "emargement.pdf")


@event_api.get("/badges", errors=(406,), answers={200: (PDF,)})
def name_badges(ctx: Ctx, event_id: str) -> Response:
    """Name badges with the check-in QR code, 8 per A4 sheet (PDF; send Accept: application/pdf)"""
    return _day_document(ctx, event_id, invitation_documents.badges_pdf, "badges.pdf")


def _day_document(
    ctx: Ctx, event_id: str, render: Callable[[Principal, entities.Event, Mapping[str, str]], bytes], filename: str
) -> Response:
    """A printed document of the day (PDF only), with each coming guest's title as it will be announced."""
    item = events.load(ctx.user, event_id)
    ctx.require_accept(PDF)
    titles = _titles(ctx.user, lambda: events.ceremony_request(ctx.user, item))
    return file_response(render(ctx.user, item, titles), PDF, filename)


def _titles(p: Principal, ceremony: Callable[[], dict[str, Any]]) -> dict[str, str]:
    """Each coming guest's title as it will be announced (precedence module) for the documents of the day; none
    when the tenant's place is not known or nobody has confirmed yet."""
    try:
        req = parse(PrecedenceRequest, ceremony())
        order = protocol.precedence_of(p, req.contact_ids, ceremony_of(req), representations_of(req))
    except (Conflict, ValidationFailed, NotFound):
        return {}
    return {x["contact_id"]: x["title"] for x in order_json(order)["order"] if x["function"]}
