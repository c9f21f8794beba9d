"""Invitations (with the guards that make « one invitation per person » a condition) and reminder rules.

- invitations: sort key the invitation id (a public RSVP token names it: one GetItem); the GSI by-status lists an
  event's guests by status in answer order (the waitlist is first come, first served). A guard item per
  (event, contact) in the same table makes « one invitation per person » a condition, not a hope.
- reminders: one item per (event, rule), in the sparse GSI by-due while it is due: the reminders job queries what
  is due, never scans; moving an event rewrites only these items.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName, connection

GUARD_PREFIX = "~"  # guard sort keys sort after every ULID: "~{event_id}#{contact_id}"
DUE_SHARD = "due"


class _ByEventStatus(GlobalSecondaryIndex["InvitationItem"]):
    class Meta:
        index_name = "by-status"
        projection = AllProjection()

    status_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{event}#{status}"
    order_key = UnicodeAttribute(range_key=True)  # "{answered_at or created_at}#{invitation_id}"


class _ByEvent(GlobalSecondaryIndex["InvitationItem"]):
    class Meta:
        index_name = "by-event"
        projection = AllProjection()

    event_key = UnicodeAttribute(hash_key=True)  # "{tenant}#{event}"
    invitation_id = UnicodeAttribute(range_key=True)


class InvitationItem(BaseModel):
    class Meta:
        table_name = TableName("invitations")

    tenant_id = UnicodeAttribute(hash_key=True)
    invitation_id = UnicodeAttribute(range_key=True)
    event_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    status = UnicodeAttribute()
    channel = UnicodeAttribute()
    seats = NumberAttribute(default=0)  # seats this invitation holds now (guest + companions)
    doc = DocAttribute(default=dict)  # name, partner, companions, representative, history, offered_until…
    reminders = DocAttribute(default=dict)  # rule id → "sending" | "sent" | "unknown" (a native map: path conditions)
    sent_at = UnicodeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)
    event_key = UnicodeAttribute()
    status_key = UnicodeAttribute()
    order_key = UnicodeAttribute()
    version = VersionAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    by_event = _ByEvent()
    by_status = _ByEventStatus()

    def refresh_keys(self) -> None:
        self.event_key = f"{self.tenant_id}#{self.event_id}"
        self.status_key = f"{self.tenant_id}#{self.event_id}#{self.status}"
        self.order_key = f"{self.answered_at or self.created_at}#{self.invitation_id}"


class InvitationGuard(BaseModel):
    """Same table as InvitationItem: "~{event}#{contact}" exists once an invitation names the contact."""

    class Meta:
        table_name = TableName("invitations")

    tenant_id = UnicodeAttribute(hash_key=True)
    invitation_id = UnicodeAttribute(range_key=True)
    points_to = UnicodeAttribute()


class _ByDue(GlobalSecondaryIndex["ReminderItem"]):
    class Meta:
        index_name = "by-due"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)  # "due" while the rule has work ahead, absent after
    due_key = UnicodeAttribute(range_key=True)  # "{due_at UTC}#{tenant}#{event}#{rule}"


class ReminderItem(BaseModel):
    class Meta:
        table_name = TableName("reminders")

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)  # "{event_id}#{rule_id}"
    event_id = UnicodeAttribute()
    rule_id = UnicodeAttribute()
    rule = DocAttribute(default=dict)
    due_at = UnicodeAttribute(null=True)
    due_shard = UnicodeAttribute(null=True)
    due_key = UnicodeAttribute(null=True)
    done_at = UnicodeAttribute(null=True)
    history = ListAttribute[Any](default=list)  # runs: {"at", "sent", "skipped", "unknown"}

    by_due = _ByDue()


# --- invitations -------------------------------------------------------------------------------------------------


def guard_key(event_id: str, contact_id: str) -> str:
    return f"{GUARD_PREFIX}{event_id}#{contact_id}"


def existing_guards(tenant_id: str, event_id: str, contact_ids: list[str]) -> dict[str, str]:
    """contact id → invitation id, for the contacts already invited to the event."""
    keys = [(tenant_id, guard_key(event_id, cid)) for cid in dict.fromkeys(contact_ids)]
    found: dict[str, str] = {}
    for guard in InvitationGuard.batch_get(keys):
        found[guard.invitation_id.rsplit("#", 1)[1]] = guard.points_to
    return found


def create_invitation(item: InvitationItem, guarded_contacts: list[str]) -> bool:
    """The invitation and a guard per contact it names (the guest, a partner), in one transaction.
    False if one of them is already invited (a concurrent request won)."""
    item.refresh_keys()
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(item, condition=InvitationItem.invitation_id.does_not_exist())
            for contact_id in guarded_contacts:
                guard = InvitationGuard(
                    item.tenant_id, guard_key(item.event_id, contact_id), points_to=item.invitation_id
                )
                tx.save(guard, condition=InvitationGuard.invitation_id.does_not_exist())
    except TransactWriteError as exc:
        if exc.cause_response_code == "TransactionCanceledException":
            return False
        raise
    return True


def get_invitation(tenant_id: str, invitation_id: str) -> InvitationItem | None:
    if invitation_id.startswith(GUARD_PREFIX):
        return None
    try:
        return InvitationItem.get(tenant_id, invitation_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_invitation(item: InvitationItem) -> None:
    """Saved under its version: a concurrent change (a double submit) raises Conflict instead of being lost."""
    item.refresh_keys()
    try:
        item.save()
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("Cette invitation vient d'être modifiée ; rechargez la page puis réessayez.") from exc
        raise


def guests_page(
    tenant_id: str, event_id: str, status: str | None, start_key: dict[str, Any] | None, limit: int
) -> tuple[list[InvitationItem], Any]:
    if status:
        result = InvitationItem.by_status.query(
            f"{tenant_id}#{event_id}#{status}", limit=limit, last_evaluated_key=start_key
        )
    else:
        result = InvitationItem.by_event.query(f"{tenant_id}#{event_id}", limit=limit, last_evaluated_key=start_key)
    return list(result), result.last_evaluated_key


def by_status(tenant_id: str, event_id: str, status: str, limit: int | None = None) -> list[InvitationItem]:
    """Every invitation of the event in ``status``, in answer order (the waitlist's first come first)."""
    return list(InvitationItem.by_status.query(f"{tenant_id}#{event_id}#{status}", limit=limit))


def all_for_event(tenant_id: str, event_id: str) -> list[InvitationItem]:
    return list(InvitationItem.by_event.query(f"{tenant_id}#{event_id}"))


# --- for services/events and services/compliance (the events family): added at the end, nothing above changed ---


def count_for_event(tenant_id: str, event_id: str) -> int:
    """Invitations of an event, withdrawn ones excepted: one Query with Select=COUNT on the by-event index."""
    return int(
        InvitationItem.by_event.count(f"{tenant_id}#{event_id}", filter_condition=InvitationItem.status != "cancelled")
    )


def delete_all_unless_sent(tenant_id: str, event_id: str) -> bool:
    """An event deleted before anyone was told of it: its invitations with the guards they hold, and its reminder
    rule items. False, with nothing deleted, once one invitation was sent (the event is cancelled instead)."""
    invitations = list(InvitationItem.by_event.query(f"{tenant_id}#{event_id}"))
    if any(i.sent_at for i in invitations):
        return False
    for invitation in invitations:
        for contact_id in {invitation.contact_id, invitation.doc.get("partner_contact_id")} - {None}:
            InvitationGuard(tenant_id, guard_key(event_id, str(contact_id))).delete()
        invitation.delete()  # under the version read
    for reminder in ReminderItem.query(tenant_id, ReminderItem.sk.startswith(f"{event_id}#")):
        reminder.delete()
    return True


def set_due(reminder: ReminderItem, due_at: str | None) -> None:
    """A rule item due at `due_at` (UTC ISO): in the sparse by-due index while it has work ahead, out of it after."""
    if due_at is None:
        reminder.due_at = reminder.due_shard = reminder.due_key = None
        return
    reminder.due_at = due_at
    reminder.due_shard = DUE_SHARD
    reminder.due_key = f"{due_at}#{reminder.tenant_id}#{reminder.event_id}#{reminder.rule_id}"


def replace_reminders(tenant_id: str, event_id: str, wanted: dict[str, tuple[dict[str, Any], str | None]]) -> None:
    """Rewrite an event's rule items: rule id → (rule, due at in UTC ISO or None), in one Query and one batch
    write. A rule no longer wanted leaves the by-due index (its history stays); notices and the offer_expiry item
    are the events' and the waitlist's own, left as they are."""
    existing = {r.rule_id: r for r in ReminderItem.query(tenant_id, ReminderItem.sk.startswith(f"{event_id}#"))}
    with ReminderItem.batch_write() as batch:
        for rule_id, (spec, due_at) in wanted.items():
            reminder = existing.get(rule_id) or ReminderItem(
                tenant_id, f"{event_id}#{rule_id}", event_id=event_id, rule_id=rule_id, history=[]
            )
            reminder.rule = spec
            set_due(reminder, due_at)
            batch.save(reminder)
        for rule_id, reminder in existing.items():
            if rule_id not in wanted and not rule_id.startswith(("notice-", "offer_expiry")) and reminder.due_key:
                set_due(reminder, None)  # a rule removed from the event: nothing more to send
                batch.save(reminder)


def schedule_offer_expiry(tenant_id: str, event_id: str, until: str) -> None:
    """The event's offer_expiry item becomes due at the earliest offer's expiry, `until` in UTC ISO (kept if
    already earlier)."""
    from chalicelib.domain.time import instant  # here: the module's imports above are not this family's

    try:
        reminder = ReminderItem.get(tenant_id, f"{event_id}#offer_expiry")
    except DoesNotExist:
        reminder = ReminderItem(
            tenant_id, f"{event_id}#offer_expiry", event_id=event_id, rule_id="offer_expiry", history=[]
        )
        reminder.rule = {"kind": "offer_expiry"}
    if reminder.due_at and instant(reminder.due_at) <= instant(until):
        return
    set_due(reminder, until)
    reminder.save()
