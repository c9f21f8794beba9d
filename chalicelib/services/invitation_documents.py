"""The printed documents of the day of an event: the émargement list and the name badges with the check-in QR code,
for the guests expected, each with the title the precedence module announces (``titles``: contact id → title, read
by the route from the precedence module; empty when the tenant's place is not known)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from chalicelib.auth import Principal
from chalicelib.services import event_messages
from chalicelib.store import invitations as invitations_store
from chalicelib.store.entities import Event, Invitation

EXPECTED = ("accepted", "represented", "offered", "attended")


def _expected(p: Principal, event: Event) -> list[Invitation]:
    guests = [
        i for status in EXPECTED for i in invitations_store.invitations_in_status(p.tenant_id, event.event_id, status)
    ]
    return sorted(guests, key=lambda i: (i.doc.get("name") or "").split(" ", 1)[-1].casefold())


def _representative(invitation: Invitation) -> tuple[str | None, str | None]:
    """The name and function of whoever stands in for the guest, when they said so."""
    representative = invitation.doc.get("representative")
    return (representative.get("name"), representative.get("function")) if representative else (None, None)


def attendance_pdf(p: Principal, event: Event, titles: Mapping[str, str]) -> bytes:
    from chalicelib.printing import sheets

    attendees = []
    for invitation in _expected(p, event):
        name, function = _representative(invitation)
        note = ""
        if invitation.status == "represented":
            who = ", ".join(x for x in (name, function) if x)
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


def badges_pdf(p: Principal, event: Event, titles: Mapping[str, str]) -> bytes:
    from chalicelib.printing import sheets

    cards = []
    for invitation in _expected(p, event):
        if invitation.status == "offered":
            continue
        representative, function = _representative(invitation)
        name = invitation.doc.get("name") or ""
        title = titles.get(invitation.contact_id, "")
        if invitation.status == "represented" and representative:
            name, title = representative, function or f"pour {name}"
        qr = event_messages.qr_png(event_messages.token_for(p.tenant_id, invitation.invitation_id, "checkin"))
        cards.append((name, title, qr))
    return sheets.badges(cards)
