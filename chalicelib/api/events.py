"""/events: events themselves, their copies and their L52-1 compliance (guests: api/guests.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json
from chalicelib.schemas.elections import Compliance, OverrideCreate, compliance_json
from chalicelib.schemas.events import (
    Event,
    EventCopy,
    EventCreate,
    EventPatch,
    event_doc,
    event_json,
    merged_event,
)
from chalicelib.services import (
    compliance,
    events,
)

api = Api(__name__, "events")
event_api = api.resource("/events/{event_id}", errors=(404,))


def _shown(ctx: Ctx, state: events.EventState) -> dict[str, Any]:
    return event_json(
        state.event,
        seats_taken=state.seats_taken,
        assessment=state.assessment,
        schedule=state.schedule,
        zone_name=state.zone,
        confidential=ctx.user.can_see_confidential,
    )


@api.post("/events", body=EventCreate, response=Event, status=201, roles="write", errors=(422,))
def create_event(ctx: Ctx) -> dict[str, Any]:
    """Create an event (times in ISO 8601; without an offset, Paris time)"""
    events.require_field_access(ctx.user, ctx.peek_json())
    tenant = events.writing_context(ctx.user.tenant_id)
    body = ctx.body(EventCreate, context={"zone": tenant.zone})
    return _shown(ctx, events.create(ctx.user, event_doc(body), tenant))


@api.get("/events", query=ListQuery, response=Page[Event])
def list_events(ctx: Ctx) -> dict[str, Any]:
    """Events, newest first"""
    query = ctx.query(ListQuery)
    return listing_json(events.list_events(ctx.user, query.limit, query.cursor), lambda state: _shown(ctx, state))


@event_api.get(response=Event)
def get_event(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """One event"""
    return _shown(ctx, events.get(ctx.user, event_id))


@event_api.patch(body=EventPatch, response=Event, roles="write", errors=(409, 422))
def update_event(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Change an event; moving it notifies the guests who accepted"""
    events.require_field_access(ctx.user, ctx.peek_json())
    event = events.load(ctx.user, event_id)
    tenant = events.writing_context(ctx.user.tenant_id)
    patch = ctx.body(EventPatch, context={"zone": tenant.zone})
    doc, fields = merged_event(event.doc, patch)
    return _shown(ctx, events.update(ctx.user, event, doc, fields, patch.version, tenant))


@event_api.delete(status=204, roles="write", errors=(409,))
def delete_event(ctx: Ctx, event_id: str) -> None:
    """Delete an event nobody was invited to (otherwise cancel it)"""
    events.delete(ctx.user, events.load(ctx.user, event_id))


@event_api.post("/copy", body=EventCopy, response=Event, status=201, roles="write", errors=(422,))
def copy_event(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Copy an event (e.g. last year's vœux) with its guest list as new, unsent invitations"""
    event = events.load(ctx.user, event_id)
    tenant = events.writing_context(ctx.user.tenant_id)
    starts_at = ctx.body(EventCopy, context={"zone": tenant.zone}).starts_at
    return _shown(ctx, events.copy(ctx.user, event, starts_at, tenant))


@event_api.get("/compliance", response=Compliance)
def get_compliance(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Assess the event against L52-1 now (antériorité, régularité, identité, neutralité)"""
    return compliance_json(compliance.assess_and_store(events.load(ctx.user, event_id)))


@event_api.post("/compliance/override", body=OverrideCreate, response=Compliance, roles="admin", errors=(409, 422))
def override_compliance(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """Lift the blocking L52-1 findings of now with a written justification (admin), audited"""
    data = ctx.body(OverrideCreate)
    return compliance_json(compliance.override(ctx.user, events.load(ctx.user, event_id), data.justification))
