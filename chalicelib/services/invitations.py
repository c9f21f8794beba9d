"""Invitations: one per person (a couple gets one for two), on the guest's channel; the guest list, check-in and
the event's figures. Every status change goes through the domain's state machine and is written in the
invitation's history. Sending is in invitation_sending.py, the printed documents of the day in
invitation_documents.py.
"""

from __future__ import annotations

from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import events as rules
from chalicelib.domain import tokens
from chalicelib.domain.contacts import formal_name
from chalicelib.errors import Conflict, NotFound
from chalicelib.services import audit, event_messages
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.cursors import fingerprint, page_of


def record(invitation: invitations_store.InvitationItem, status: str, by: str, note: str | None = None) -> None:
    """The status change, in the invitation's history (the state machine's transitions, in order)."""
    history = list(invitation.doc.get("history", []))
    history.append({"at": now_iso(), "status": status, "by": by, "note": note})
    invitation.doc = {**invitation.doc, "history": history[-200:]}
    invitation.status = status


def apply(invitation: invitations_store.InvitationItem, action: str, by: str, note: str | None = None) -> str:
    """Move the invitation through the state machine (domain/events.TRANSITIONS) and record it."""
    try:
        new_status = rules.transition(invitation.status, action)
    except rules.InvalidTransition as exc:
        raise Conflict(str(exc)) from exc
    record(invitation, new_status, by, note)
    return new_status


def guest_json(item: invitations_store.InvitationItem, *, with_link: bool = True) -> dict[str, Any]:
    """``with_link``: the guest's RSVP link, for users who may answer for the guest (writers); null for others, since
    whoever holds the link answers as the guest."""
    doc = item.doc
    return {
        "invitation_id": item.invitation_id,
        "contact_id": item.contact_id,
        "partner_contact_id": doc.get("partner_contact_id"),
        "name": doc.get("name", ""),
        "channel": item.channel,
        "status": item.status,
        "companions": doc.get("companions", []),
        "representative": doc.get("representative"),
        "seats": int(item.seats or 0),
        "rsvp_url": event_messages.rsvp_url(item.tenant_id, item.invitation_id) if with_link else None,
        "sent_at": item.sent_at,
        "answered_at": item.answered_at,
        "offered_until": doc.get("offered_until"),
        "history": doc.get("history", []),
    }


def _new(
    p: Principal, event: store.EventItem, contact: contacts_store.ContactItem, channel: str, partner: str | None
) -> invitations_store.InvitationItem:
    at = now_iso()
    name = formal_name(contact.doc)
    item = invitations_store.InvitationItem(
        p.tenant_id,
        new_id(),
        event_id=event.event_id,
        contact_id=contact.contact_id,
        status="invited",
        channel=channel,
        seats=0,
        doc={"name": name, "partner_contact_id": partner, "companions": [], "representative": None, "history": []},
        reminders={},
        created_at=at,
        updated_at=at,
    )
    record(item, "invited", p.email or p.user_id)
    return item


def create(p: Principal, event: store.EventItem, contact_ids: list[str], channel: str) -> dict[str, Any]:
    if event.doc["status"] == "cancelled":
        raise Conflict("Cet événement est annulé : il n'accepte plus d'invitations.")
    if event.doc.get("past_occurrence"):
        raise Conflict("Occurrence passée, enregistrée pour mémoire : on n'y invite personne (invited_count).")
    ids = list(dict.fromkeys(contact_ids))
    found = contacts_store.batch_get(p.tenant_id, ids)
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise NotFound(f"Contact introuvable : {', '.join(missing[:5])}.")
    partner_ids = {cid: found[cid].doc.get("partner_contact_id") for cid in ids}
    already = invitations_store.existing_guards(
        p.tenant_id, event.event_id, ids + [x for x in partner_ids.values() if x]
    )
    created: list[invitations_store.InvitationItem] = []
    skipped: list[dict[str, str]] = []
    covered: set[str] = set()
    for cid in ids:
        if cid in already:
            skipped.append({"contact_id": cid, "reason": "Déjà invité(e) à cet événement."})
            continue
        if cid in covered:
            skipped.append({"contact_id": cid, "reason": "Invité(e) avec son conjoint : une invitation pour deux."})
            continue
        _, why_not = event_messages.reachable(found[cid].doc, channel)
        if why_not:
            skipped.append({"contact_id": cid, "reason": why_not})
            continue
        partner = partner_ids[cid] if partner_ids[cid] and partner_ids[cid] not in already else None
        item = _new(p, event, found[cid], channel, partner)
        if not invitations_store.create_invitation(item, [cid] + ([partner] if partner else [])):
            skipped.append({"contact_id": cid, "reason": "Déjà invité(e) à cet événement."})
            continue
        created.append(item)
        covered.update(x for x in (cid, partner) if x)
    if created:
        audit.record(p, "create", "invitations", event.event_id, {"count": len(created), "channel": channel})
    return {"created": [guest_json(i) for i in created], "skipped": skipped}


def copy_guest_list(p: Principal, event: store.EventItem, guests: list[invitations_store.InvitationItem]) -> None:
    """The guests of another event invited again, unsent (POST /events/{id}/copy); deleted contacts are left out."""
    found = contacts_store.batch_get(p.tenant_id, [g.contact_id for g in guests])
    for guest in guests:
        contact = found.get(guest.contact_id)
        if contact is None:
            continue
        partner = guest.doc.get("partner_contact_id")
        item = _new(p, event, contact, guest.channel, partner)
        invitations_store.create_invitation(item, [guest.contact_id] + ([partner] if partner else []))


def load_invitation(p: Principal, event: store.EventItem, invitation_id: str) -> invitations_store.InvitationItem:
    item = invitations_store.get_invitation(p.tenant_id, invitation_id) if len(invitation_id) <= 64 else None
    if item is None or item.event_id != event.event_id:
        raise NotFound("Invitation introuvable.")
    return item


def guests(p: Principal, event: store.EventItem, status: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    index_key = "status_key" if status else "event_key"
    range_key = "order_key" if status else "invitation_id"
    items, next_cursor = page_of(
        lambda start, n: invitations_store.guests_page(p.tenant_id, event.event_id, status, start, n),
        lambda i: {
            "tenant_id": {"S": i.tenant_id},
            "invitation_id": {"S": i.invitation_id},
            index_key: {"S": getattr(i, index_key)},
            range_key: {"S": getattr(i, range_key)},
        },
        cursor,
        limit,
        fingerprint("guests", p.tenant_id, event.event_id, status),
        lambda key: (
            key.get("tenant_id") == p.tenant_id and key.get(index_key, "").startswith(f"{p.tenant_id}#{event.event_id}")
        ),
    )
    return {"items": [guest_json(i, with_link=p.can_write) for i in items], "next_cursor": next_cursor}


def check_in(p: Principal, event: store.EventItem, invitation_id: str | None, token: str | None) -> dict[str, Any]:
    if token is not None:
        verified = tokens.verify(get_settings().link_keys(), token, "checkin")
        if verified is None or verified[0] != p.tenant_id:
            raise NotFound("Code d'accueil inconnu.")
        invitation_id = verified[1]
    invitation = load_invitation(p, event, invitation_id or "")
    if invitation.status == "attended":
        return guest_json(invitation)  # scanned twice at the door: nothing changes
    apply(invitation, "check_in", p.email or p.user_id)
    invitation.updated_at = now_iso()
    invitations_store.save_invitation(invitation)
    return guest_json(invitation)


def stats(p: Principal, event: store.EventItem) -> dict[str, Any]:
    counts = {status: 0 for status in rules.GUEST_STATUSES}
    unknown: list[dict[str, str]] = []
    for invitation in invitations_store.all_for_event(p.tenant_id, event.event_id):
        counts[invitation.status] += 1
        for rule_id, entry in (invitation.reminders or {}).items():
            if entry.get("state") in ("sending", "unknown", "failed"):
                unknown.append(
                    {
                        "invitation_id": invitation.invitation_id,
                        "contact_id": invitation.contact_id,
                        "rule": rule_id,
                        "state": entry["state"],
                    }
                )
    rates = rules.rates(counts)
    seats = store.get_seats(p.tenant_id, event.event_id)
    return {
        "invited": sum(n for s, n in counts.items() if s != "cancelled"),
        "answered": sum(n for s, n in counts.items() if s in rules.ANSWERED),
        **{
            s: counts[s]
            for s in (
                "accepted",
                "declined",
                "represented",
                "waitlisted",
                "offered",
                "attended",
                "no_show",
                "cancelled",
            )
        },
        "seats_taken": int(seats.taken or 0),
        "capacity": event.doc.get("capacity"),
        "rsvp_rate": rates["rsvp_rate"],
        "participation_rate": rates["participation_rate"],
        "unknown_sends": unknown,
    }
