"""The reminders job (EventBridge every 15 minutes): relances, rappels, notices of a change, waitlist
offers that lapse, and no-shows after the event.

It reads only what is due: one Query of the reminders index for rule items whose due time has come (never a
Scan), then, for each, that event's invitations in the statuses the rule concerns (a Query of the by-status
index). Each (rule, invitation) is sent at most once: the invitation's reminder entry is set to « sending » by a
conditional write before the call and to « sent » after it; a second run, an overlap or a redelivery finds the
entry and skips. An entry still « sending » when a later run comes is a send whose outcome is unknown (a crash
mid-call): it becomes « unknown », is never resent blindly, and shows in the event's stats for staff to check.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, cast

from chalicelib.domain.time import instant, utc_text
from chalicelib.errors import Conflict
from chalicelib.messaging.outbound import SendOutcomeUnknown
from chalicelib.services import event_messages, invitation_sending, invitations, rsvp, tenant_access
from chalicelib.services.events import schedule_offer_expiry
from chalicelib.store import contacts as contacts_store
from chalicelib.store import events as store
from chalicelib.store import invitations as invitations_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import (
    Contact,
    Event,
    Invitation,
    Reminder,
    ReminderEntryDoc,
    ReminderRunDoc,
    ReminderState,
)

logger = logging.getLogger("agora.reminders")

# Who each kind of rule writes to. A represented guest's representative is not a contact: the rappel goes to
# accepted guests only; a notice of change goes to everyone who holds a seat.
AUDIENCE: dict[str, tuple[str, ...]] = {
    "relance": ("invited",),
    "rappel": ("accepted",),
    "notice": ("accepted", "represented", "offered"),
}
RUN_BY = "relances automatiques"


def due_rules(now: datetime) -> list[Reminder]:
    """Rule items due at ``now``: their key starts with the due time, so « ≤ now » is a key condition."""
    return invitations_store.due_reminders(utc_text(now))


def run(now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    totals = {"rules": 0, "sent": 0, "skipped": 0, "unknown": 0, "failed": 0, "changed": 0, "disabled": 0}
    settings: dict[str, dict[str, Any]] = {}  # each tenant's settings, read once per run
    for reminder in due_rules(now):
        totals["rules"] += 1
        if reminder.tenant_id not in settings:
            settings[reminder.tenant_id] = event_messages.tenant_settings(reminder.tenant_id)
        if tenant_access.disabled_in(settings[reminder.tenant_id]):
            # A disabled tenant sends nothing; its rules stay due and run when the operator opens it again.
            totals["disabled"] += 1
            continue
        try:
            outcome = process(reminder, now, settings[reminder.tenant_id])
        except Exception:  # one event's trouble must not starve the others; the rule stays due for the next run
            logger.exception("reminder %s of tenant %s failed", _name(reminder), reminder.tenant_id)
            continue
        for key, value in outcome.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def _name(reminder: Reminder) -> str:
    return f"{reminder.event_id}#{reminder.rule_id}"


def _finish(reminder: Reminder, outcome: dict[str, int], next_due: datetime | None = None) -> None:
    """Record the run and the rule's next due time, on the condition that nobody rescheduled it meanwhile: an
    event moved during the run (its rule items rewritten) or an overlapping run keeps its own, newer state."""
    read_due_at = reminder.due_at
    run: ReminderRunDoc = {
        "at": now_iso(),
        "sent": outcome["sent"],
        "skipped": outcome["skipped"],
        "unknown": outcome["unknown"],
        "failed": outcome["failed"],
        "changed": outcome["changed"],
    }
    reminder.history = [*reminder.history, run][-50:]
    reminder.due_at = utc_text(next_due)
    if next_due is None:
        reminder.done_at = now_iso()
    if not invitations_store.save_reminder_run(reminder, read_due_at=read_due_at):
        logger.info("rule %s of tenant %s was rescheduled during the run", _name(reminder), reminder.tenant_id)


def process(reminder: Reminder, now: datetime, settings: dict[str, Any] | None = None) -> dict[str, int]:
    event = store.get_event(reminder.tenant_id, reminder.event_id)
    kind = reminder.rule.get("kind")
    outcome = {"sent": 0, "skipped": 0, "unknown": 0, "failed": 0, "changed": 0}
    if event is None:
        _finish(reminder, outcome)
        return outcome
    if kind == "offer_expiry":
        next_due = _expire_offers(event, now, outcome)
        _finish(reminder, outcome, next_due)
        return outcome
    if kind == "close":
        _close(event, outcome)
        _finish(reminder, outcome)
        return outcome
    status = event.doc["status"]
    # A relance or rappel found due once the event has begun (a run held back: tenant disabled, job down) is moot.
    moot = kind in ("relance", "rappel") and (status != "open" or instant(event.doc["starts_at"]) <= now)
    skip = moot or (kind == "relance" and event.doc.get("regrets_only"))
    if kind in AUDIENCE and not skip:
        channel = reminder.rule.get("channel")
        message_kind = "notice" if kind == "notice" else kind
        settings = settings if settings is not None else event_messages.tenant_settings(event.tenant_id)
        for guest_status in AUDIENCE[kind]:
            concerned = [
                i
                for i in invitations_store.invitations_in_status(event.tenant_id, event.event_id, guest_status)
                if kind != "relance" or i.sent_at  # never invited yet: a relance would be the first message
            ]
            contacts = contacts_store.batch_get(event.tenant_id, [i.contact_id for i in concerned])
            emailed = [
                contacts[i.contact_id]
                for i in concerned
                if (channel or i.channel) == "email" and i.contact_id in contacts
            ]
            suppressed = event_messages.suppressed(event.tenant_id, emailed)
            for invitation in concerned:
                contact = contacts.get(invitation.contact_id)
                result = send_once(
                    event, reminder.rule_id, invitation, contact, message_kind, channel, settings, suppressed
                )
                outcome[result] += 1
    _finish(reminder, outcome)
    return outcome


# --- at most once per (rule, invitation) ----------------------------------------------------------------------------


def _entry(state: ReminderState, channel: str) -> ReminderEntryDoc:
    return {"state": state, "at": now_iso(), "channel": channel}


def send_once(
    event: Event,
    rule_id: str,
    invitation: Invitation,
    contact: Contact | None,
    kind: str,
    channel: str | None,
    settings: dict[str, Any],
    suppressed: frozenset[str] = frozenset(),  # contact ids whose email address is on the suppression list
) -> str:
    """ "sent", "skipped" (already done, not reachable, a letter, an address on the suppression list), "unknown"
    (an earlier send's outcome is not known: not resent) or "failed" (the provider refused: recorded, not retried
    blindly)."""
    existing = invitation.reminders.get(rule_id)
    if existing:
        if existing.get("state") == "sending" and invitations_store.settle_reminder_mark(
            invitation, rule_id, {**existing, "state": "unknown"}
        ):
            return "unknown"
        return "skipped"
    channel = channel or invitation.channel
    if channel == "letter":
        return "skipped"  # letters are printed by staff, not sent by a job
    if contact is None or event_messages.reachable(contact.doc, channel)[0] is None:
        return "skipped"
    if channel == "email" and contact.contact_id in suppressed:
        return "skipped"
    if not invitations_store.mark_reminder_sending(invitation, rule_id, at=now_iso(), channel=channel):
        return "skipped"  # another run got there first
    try:
        composed = event_messages.compose(
            cast(event_messages.Kind, kind),
            event,
            invitation,
            contact,
            channel=channel,
            settings=settings,
        )
        provider_id = event_messages.deliver(event, composed, kind, settings)
    except SendOutcomeUnknown as exc:  # perhaps sent: never resent blindly, listed in the stats for staff
        logger.warning("reminder %s to invitation %s: outcome unknown: %s", rule_id, invitation.invitation_id, exc)
        invitations_store.settle_reminder_mark(invitation, rule_id, _entry("unknown", channel))
        return "unknown"
    except Exception as exc:  # a known refusal: recorded as failed, listed in the stats
        logger.warning("reminder %s to invitation %s failed: %s", rule_id, invitation.invitation_id, exc)
        invitations_store.settle_reminder_mark(invitation, rule_id, _entry("failed", channel))
        return "failed"
    sent = _entry("sent", channel)
    sent["provider_message_id"] = provider_id
    invitations_store.settle_reminder_mark(invitation, rule_id, sent)
    invitation_sending.record_interaction(event.tenant_id, invitation, event.doc["title"], kind, channel)
    return "sent"


# --- offers and the end of the event --------------------------------------------------------------------------------


def _expire_offers(event: Event, now: datetime, outcome: dict[str, int]) -> datetime | None:
    """Offers whose time is up go to the next on the waitlist; returns when the next pending offer lapses."""
    freed = 0
    pending: list[datetime] = []
    for invitation in invitations_store.invitations_in_status(event.tenant_id, event.event_id, "offered"):
        until = instant(invitation.doc.get("offered_until"))
        if until and until > now:
            pending.append(until)
            continue
        seats = invitation.seats
        try:
            invitations.apply(invitation, "offer_expired", RUN_BY)
            invitation.seats = 0
            invitation.doc = {**invitation.doc, "offered_until": None}
            invitation.updated_at = now_iso()
            invitations_store.save_invitation(invitation)
        except Conflict:
            continue  # the guest answered meanwhile
        store.release_seats(event.tenant_id, event.event_id, seats)
        freed += seats
        outcome["changed"] += 1
    if freed:
        rsvp.offer_freed_seats(event)
        pending += [
            expires
            for i in invitations_store.invitations_in_status(event.tenant_id, event.event_id, "offered")
            if (expires := instant(i.doc.get("offered_until")))
        ]
    later = [p for p in pending if p > now]
    if later:
        schedule_offer_expiry(event.tenant_id, event.event_id, min(later))
    return min(later) if later else None


def _close(event: Event, outcome: dict[str, int]) -> None:
    """After the event: guests expected and not checked in become no_show (a step of every open event, not a rule)."""
    if event.doc["status"] == "cancelled":
        return
    for status in ("accepted", "represented"):
        for invitation in invitations_store.invitations_in_status(event.tenant_id, event.event_id, status):
            try:
                invitations.apply(invitation, "mark_no_show", RUN_BY)
                invitation.updated_at = now_iso()
                invitations_store.save_invitation(invitation)
                outcome["changed"] += 1
            except Conflict:
                continue
