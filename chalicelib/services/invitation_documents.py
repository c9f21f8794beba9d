"""The printed documents of the day of an event: the émargement list and the name badges with the check-in QR code,
for the guests expected, each with the title the precedence module announces."""

from __future__ import annotations

from datetime import datetime

from chalicelib.auth import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import event_messages
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store

EXPECTED = ("accepted", "represented", "offered", "attended")


def _titles(p: Principal, event: store.EventItem) -> dict[str, str]:
    """Each coming guest's title as it will be announced (precedence module), when the tenant's place is known."""
    from chalicelib.schemas.protocol import PrecedenceRequest
    from chalicelib.schemas.validation import parse
    from chalicelib.services import events as events_service
    from chalicelib.services import protocol

    try:
        req = parse(PrecedenceRequest, events_service.ceremony_request(p, event))
        order = protocol.precedence_order(p, req)["order"]
    except (Conflict, ValidationFailed, NotFound):
        return {}
    return {x["contact_id"]: x["title"] for x in order if x["function"]}


def _expected(p: Principal, event: store.EventItem) -> list[invitations_store.InvitationItem]:
    guests = [i for status in EXPECTED for i in invitations_store.by_status(p.tenant_id, event.event_id, status)]
    return sorted(guests, key=lambda i: (i.doc.get("name") or "").split(" ", 1)[-1].casefold())


def attendance_pdf(p: Principal, event: store.EventItem) -> bytes:
    from chalicelib.printing import sheets

    titles = _titles(p, event)
    attendees = []
    for invitation in _expected(p, event):
        representative = invitation.doc.get("representative") or {}
        note = ""
        if invitation.status == "represented":
            who = ", ".join(x for x in (representative.get("name"), representative.get("function")) if x)
            note = f"représenté(e) par {who}" if who else "représenté(e)"
        elif invitation.status == "offered":
            note = "place proposée, non confirmée"
        attendees.append(
            sheets.Attendee(
                invitation.doc.get("name") or "",
                titles.get(invitation.contact_id, ""),
                tuple(c["name"] for c in invitation.doc.get("companions", [])),
                note,
            )
        )
    zone_name = event_messages.tenant_settings(p.tenant_id).get("timezone")
    starts = datetime.fromisoformat(event.doc["starts_at"])
    subtitle = f"{event.doc['title']} — {event_messages.when_text(starts, zone_name)}"
    return sheets.attendance_sheet(subtitle, attendees)


def badges_pdf(p: Principal, event: store.EventItem) -> bytes:
    from chalicelib.printing import sheets

    titles = _titles(p, event)
    cards = []
    for invitation in _expected(p, event):
        if invitation.status == "offered":
            continue
        representative = invitation.doc.get("representative") or {}
        name = invitation.doc.get("name") or ""
        title = titles.get(invitation.contact_id, "")
        if invitation.status == "represented" and representative.get("name"):
            name, title = representative["name"], representative.get("function") or f"pour {name}"
        qr = event_messages.qr_png(event_messages.token_for(p.tenant_id, invitation.invitation_id, "checkin"))
        cards.append((name, title, qr))
    return sheets.badges(cards)
