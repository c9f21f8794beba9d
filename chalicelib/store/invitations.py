"""Invitations (with the guards that make « one invitation per person » a condition) and reminder rules.

- invitations: sort key the invitation id (a public RSVP token names it: one GetItem); the GSI by-status lists an
  event's guests by status in answer order (the waitlist is first come, first served). A guard item per
  (event, contact) in the same table makes « one invitation per person » a condition, not a hope. Each invitation
  carries a mark per reminder rule, set by one conditional update before a send and after it (at most once).
- reminders: one item per (event, rule), in the sparse GSI by-due while it is due: the reminders job queries what
  is due, never scans; moving an event rewrites only these items.

Services read and write `Invitation` and `Reminder` (store/entities.py); the items below stay here.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib import aws
from chalicelib.domain.listing import Listing
from chalicelib.domain.time import instant
from chalicelib.errors import Conflict
from chalicelib.store.base import (
    BaseModel,
    VersionedRepository,
    cause_code,
    connection,
    delete_versioned,
    entity_of,
    get_item,
    index,
    item_of,
    put_if,
)
from chalicelib.store.cursors import fingerprint, page_of
from chalicelib.store.entities import Invitation, Reminder, ReminderEntryDoc
from chalicelib.store.transactions import conflicted, raced

GUARD_PREFIX = "~"  # guard sort keys sort after every ULID: "~{event_id}#{contact_id}"
DUE_SHARD = "due"
STALE = "Cette invitation vient d'être modifiée ; rechargez la page puis réessayez."
SEATS_BUSY = "D'autres réponses sont enregistrées au même instant : veuillez renvoyer la vôtre dans un moment."
GUEST_CHANGED = "Une invitation de cet événement vient d'être modifiée ; rechargez la page puis réessayez."


class InvitationItem(BaseModel, entity=Invitation, table="invitations", keys=("tenant_id", "invitation_id")):
    event_key = UnicodeAttribute()  # "{tenant}#{event}"
    status_key = UnicodeAttribute()  # "{tenant}#{event}#{status}"
    order_key = UnicodeAttribute()  # "{answered_at or created_at}#{invitation_id}"

    by_event: GlobalSecondaryIndex[InvitationItem] = index("by-event", "event_key", "invitation_id")
    by_status: GlobalSecondaryIndex[InvitationItem] = index("by-status", "status_key", "order_key")

    def refresh_keys(self) -> None:
        self.event_key = f"{self.tenant_id}#{self.event_id}"
        self.status_key = f"{self.tenant_id}#{self.event_id}#{self.status}"
        self.order_key = f"{self.answered_at or self.created_at}#{self.invitation_id}"


class InvitationGuard(BaseModel, table="invitations", keys=("tenant_id", "invitation_id")):
    """Same table as InvitationItem: "~{event}#{contact}" exists once an invitation names the contact."""

    points_to = UnicodeAttribute()


class ReminderItem(BaseModel, entity=Reminder, table="reminders", keys=("tenant_id", "sk")):
    # sk: "{event_id}#{rule_id}"
    due_shard = UnicodeAttribute(null=True)  # "due" while the rule has work ahead, absent after
    due_key = UnicodeAttribute(null=True)  # "{due_at UTC}#{tenant}#{event}#{rule}"

    by_due: GlobalSecondaryIndex[ReminderItem] = index("by-due", "due_shard", "due_key")

    def refresh_keys(self) -> None:
        """In the sparse by-due index while the rule has a due time (work ahead), out of it after."""
        self.due_key = _due_key(self.tenant_id, self.event_id, self.rule_id, self.due_at)
        self.due_shard = DUE_SHARD if self.due_key else None


# --- invitations -------------------------------------------------------------------------------------------------


_repo = VersionedRepository(Invitation, InvitationItem, STALE)
# The item under the entity's version, its index keys computed (bench/reminders.py builds its items with it).
_item = _repo.item


def guard_key(event_id: str, contact_id: str) -> str:
    return f"{GUARD_PREFIX}{event_id}#{contact_id}"


def existing_guards(tenant_id: str, event_id: str, contact_ids: list[str]) -> dict[str, str]:
    """contact id → invitation id, for the contacts already invited to the event."""
    keys = [(tenant_id, guard_key(event_id, cid)) for cid in dict.fromkeys(contact_ids)]
    found: dict[str, str] = {}
    for guard in InvitationGuard.batch_get(keys):
        found[guard.invitation_id.rsplit("#", 1)[1]] = guard.points_to
    return found


def create_invitation(invitation: Invitation, guarded_contacts: list[str]) -> bool:
    """The invitation and a guard per contact it names (the guest, a partner), in one transaction.
    False if one of them is already invited (a concurrent request won)."""
    item = _item(invitation)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(item, condition=InvitationItem.invitation_id.does_not_exist())
            for contact_id in guarded_contacts:
                guard = InvitationGuard(
                    item.tenant_id, guard_key(item.event_id, contact_id), points_to=item.invitation_id
                )
                tx.save(guard, condition=InvitationGuard.invitation_id.does_not_exist())
    except TransactWriteError as exc:
        if cause_code(exc) == "TransactionCanceledException":
            return False
        raise
    invitation.version = item.version
    return True


def get_invitation(tenant_id: str, invitation_id: str) -> Invitation | None:
    if invitation_id.startswith(GUARD_PREFIX):
        return None
    return _repo.get(tenant_id, invitation_id, consistent=True)


def save_invitation(invitation: Invitation) -> None:
    """Under its version: a concurrent change (a double submit) is Conflict(STALE), not lost; so is a write landing
    while a guest's answer is written in a transaction (`save_versioned`)."""
    _repo.save(invitation)


def save_answer(invitation: Invitation, seats: int, *, limited: bool) -> bool:
    """The invitation as answered and the event's seats moved by `seats` (taken when positive, given back when
    negative), in one TransactWriteItems: both or neither. Apart, an answer whose request died between them (or
    whose answer was lost and that the guest sent again) took its seats twice, or kept seats nobody holds. False,
    nothing written, when a limited event has not that many seats free; Conflict(STALE) when the invitation changed
    since it was read or is being written at once (a double submit: the first one stands); Conflict(SEATS_BUSY)
    when other answers' transactions held the seat counter at that moment."""
    from chalicelib.store.events import SeatsItem

    item = _item(invitation)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(item)  # on the version read
            if seats:
                counter = SeatsItem(invitation.tenant_id, invitation.event_id)
                if limited:
                    enough = SeatsItem.free >= seats if seats > 0 else SeatsItem.free.exists()
                    tx.update(
                        counter, actions=[SeatsItem.taken.add(seats), SeatsItem.free.add(-seats)], condition=enough
                    )
                else:  # an unlimited event has no `free` to move
                    tx.update(counter, actions=[SeatsItem.taken.add(seats)], condition=SeatsItem.free.does_not_exist())
    except TransactWriteError as exc:
        if cause_code(exc) != "TransactionCanceledException":
            raise
        reasons = exc.cancellation_reasons or []
        if reasons and raced(reasons[0]):
            raise Conflict(STALE) from exc
        if len(reasons) > 1 and conflicted(reasons[1]):  # other answers moving the seats at that very moment
            raise Conflict(SEATS_BUSY) from exc
        if len(reasons) > 1 and reasons[1] is not None and reasons[1].code == "ConditionalCheckFailed":
            return False
        raise
    invitation.version = item.version
    return True


def guests_page(
    tenant_id: str, event_id: str, status: str | None, *, limit: int, cursor: str | None
) -> Listing[Invitation]:
    """A page of the event's guests: by invitation id, or in one status in answer order."""
    index_key = "status_key" if status else "event_key"
    range_key = "order_key" if status else "invitation_id"
    index_hash = f"{tenant_id}#{event_id}#{status}" if status else f"{tenant_id}#{event_id}"

    def fetch(start: dict[str, Any] | None, n: int) -> tuple[list[InvitationItem], Any]:
        if status:
            result = InvitationItem.by_status.query(index_hash, limit=n, last_evaluated_key=start)
        else:
            result = InvitationItem.by_event.query(index_hash, limit=n, last_evaluated_key=start)
        return list(result), result.last_evaluated_key

    items, next_cursor = page_of(
        fetch,
        lambda i: {
            "tenant_id": {"S": i.tenant_id},
            "invitation_id": {"S": i.invitation_id},
            index_key: {"S": getattr(i, index_key)},
            range_key: {"S": getattr(i, range_key)},
        },
        cursor,
        limit,
        fingerprint("guests", tenant_id, event_id, status),
        lambda key: (
            key.keys() == {"tenant_id", "invitation_id", index_key, range_key}
            and key["tenant_id"] == tenant_id
            and key[index_key] == index_hash
        ),
    )
    return Listing([entity_of(Invitation, i) for i in items], next_cursor)


def invitations_in_status(tenant_id: str, event_id: str, status: str) -> list[Invitation]:
    """Every invitation of the event in ``status``, in answer order (the waitlist's first come first)."""
    return [entity_of(Invitation, i) for i in InvitationItem.by_status.query(f"{tenant_id}#{event_id}#{status}")]


def invitations_of_event(tenant_id: str, event_id: str) -> list[Invitation]:
    return [entity_of(Invitation, i) for i in InvitationItem.by_event.query(f"{tenant_id}#{event_id}")]


# --- at most one send per (rule, invitation): the invitation's marks -----------------------------------------------


def mark_reminder_sending(invitation: Invitation, rule_id: str, *, at: str, channel: str) -> bool:
    """Claim the send of ``rule_id`` to the invitation: its mark becomes « sending » if it has none. False if it
    has one (another run, an overlap or a redelivery got there first)."""
    return _set_mark(invitation, rule_id, {"state": "sending", "at": at, "channel": channel}, None)


def settle_reminder_mark(invitation: Invitation, rule_id: str, entry: ReminderEntryDoc) -> bool:
    """Record how a send marked « sending » ended (sent, failed, unknown): only while the mark is still « sending »;
    False otherwise."""
    return _set_mark(invitation, rule_id, entry, "sending")


def _set_mark(invitation: Invitation, rule_id: str, entry: ReminderEntryDoc, only_if: str | None) -> bool:
    """Set the invitation's mark for ``rule_id`` in one conditional write, bumping the version so that a concurrent
    save of a stale copy fails instead of erasing the mark. ``only_if``: None = the mark must not exist; a state =
    the mark must be in that state. The entity is left as read."""
    client = aws.client("dynamodb")
    condition = "attribute_not_exists(#rem.#rule)" if only_if is None else "#rem.#rule.#state = :expected"
    values: dict[str, Any] = {
        ":entry": {"M": {k: {"S": str(v)} for k, v in entry.items() if v is not None}},
        ":one": {"N": "1"},
    }
    names = {"#rem": "reminders", "#rule": rule_id, "#v": "version"}
    if only_if is not None:
        values[":expected"] = {"S": only_if}
        names["#state"] = "state"
    key = {"tenant_id": {"S": invitation.tenant_id}, "invitation_id": {"S": invitation.invitation_id}}
    table = InvitationItem.Meta.table_name
    try:
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #rem.#rule = :entry, #v = #v + :one",
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        return True
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        if code == "ConditionalCheckFailedException":
            return False
        if code != "ValidationException":
            raise
    # The invitation has no reminders map yet (an empty map is not stored): create it, then try again.
    try:
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #rem = :empty",
            ConditionExpression="attribute_not_exists(#rem)",
            ExpressionAttributeNames={"#rem": "reminders"},
            ExpressionAttributeValues={":empty": {"M": {}}},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    return _set_mark(invitation, rule_id, entry, only_if)


# --- reminder rules ----------------------------------------------------------------------------------------------


def _due_key(tenant_id: str, event_id: str, rule_id: str, due_at: str | None) -> str | None:
    return f"{due_at}#{tenant_id}#{event_id}#{rule_id}" if due_at else None


def _reminder_item(reminder: Reminder) -> ReminderItem:
    """Keyed `{event}#{rule}`, so that an event's rules are one Query (refresh_keys adds the by-due keys)."""
    return item_of(ReminderItem, reminder, sk=f"{reminder.event_id}#{reminder.rule_id}")


def due_reminders(until: str) -> list[Reminder]:
    """Rule items due at ``until`` (UTC ISO) or before: their key starts with the due time, so « ≤ until » is a key
    condition (one Query of the sparse index, never a Scan)."""
    upper = f"{until}#\uffff"
    return [entity_of(Reminder, i) for i in ReminderItem.by_due.query(DUE_SHARD, ReminderItem.due_key <= upper)]


def save_reminder_run(reminder: Reminder, *, read_due_at: str | None) -> bool:
    """Save the rule item after a run, on the condition that its due time is still the one the run read
    (``read_due_at``): an event moved during the run (its rule items rewritten) or an overlapping run keeps its own,
    newer state. False if it was rescheduled meanwhile (nothing written)."""
    read_due_key = _due_key(reminder.tenant_id, reminder.event_id, reminder.rule_id, read_due_at)
    return put_if(_reminder_item(reminder), ReminderItem.due_key == read_due_key)


# --- for services/events and services/compliance: counts, deletion, due times, offers ---


def count_for_event(tenant_id: str, event_id: str) -> int:
    """Invitations of an event, withdrawn ones excepted: one Query with Select=COUNT on the by-event index."""
    return int(
        InvitationItem.by_event.count(f"{tenant_id}#{event_id}", filter_condition=InvitationItem.status != "cancelled")
    )


def delete_all_unless_sent(tenant_id: str, event_id: str) -> bool:
    """An event deleted before anyone was told of it: its invitations with the guards they hold, and its reminder
    rule items. False, with nothing deleted, once one invitation was sent (the event is cancelled instead).
    Each invitation goes under the version read, before its guards: one changed meanwhile (an answer, a send, an
    edit) is Conflict(GUEST_CHANGED), and it stays with its guards (those deleted before it are gone)."""
    invitations = list(InvitationItem.by_event.query(f"{tenant_id}#{event_id}"))
    if any(i.sent_at for i in invitations):
        return False
    for invitation in invitations:
        delete_versioned(invitation, GUEST_CHANGED)
        for contact_id in {invitation.contact_id, invitation.doc.get("partner_contact_id")} - {None}:
            InvitationGuard(tenant_id, guard_key(event_id, str(contact_id))).delete()
    for reminder in ReminderItem.query(tenant_id, ReminderItem.sk.startswith(f"{event_id}#")):
        reminder.delete()
    return True


def _set_due(reminder: ReminderItem, due_at: str | None) -> None:
    """A rule item due at `due_at` (UTC ISO): in the sparse by-due index while it has work ahead, out of it after."""
    reminder.due_at = due_at
    reminder.refresh_keys()


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
            _set_due(reminder, due_at)
            batch.save(reminder)
        for rule_id, reminder in existing.items():
            if rule_id not in wanted and not rule_id.startswith(("notice-", "offer_expiry")) and reminder.due_key:
                _set_due(reminder, None)  # a rule removed from the event: nothing more to send
                batch.save(reminder)


def schedule_offer_expiry(tenant_id: str, event_id: str, until: str) -> None:
    """The event's offer_expiry item becomes due at the earliest offer's expiry, `until` in UTC ISO (kept if
    already earlier)."""
    reminder = get_item(ReminderItem, tenant_id, f"{event_id}#offer_expiry")
    if reminder is None:
        reminder = ReminderItem(
            tenant_id, f"{event_id}#offer_expiry", event_id=event_id, rule_id="offer_expiry", history=[]
        )
        reminder.rule = {"kind": "offer_expiry"}
    if reminder.due_at and instant(reminder.due_at) <= instant(until):
        return
    _set_due(reminder, until)
    reminder.save()
