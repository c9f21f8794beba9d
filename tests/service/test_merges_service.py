"""Merges at the service level: a record the kept contact already has the like of stays with the merged contact and
comes back with it; a partner invitation moves with its guard; a record deleted after the merge stays gone; a
consent recorded on the kept contact after the merge is the person's latest word."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.domain import merges as merge_rules
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.schemas.contacts import ContactCreate, contact_doc
from chalicelib.services import contacts, merges
from chalicelib.store import campaigns as campaigns_store
from chalicelib.store import consents as consents_store
from chalicelib.store import events as events_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import messages as messages_store
from chalicelib.store import person_records
from chalicelib.store.base import new_id
from chalicelib.store.entities import Campaign, CampaignMessage, Consent, Event, Invitation, Mandate
from tests.support.aws_calls import dynamodb_calls

AT = "2026-12-01T09:00:00.000Z"


def _people(p: Any, n: int) -> list[str]:
    made = contacts.import_many(p, [contact_doc(ContactCreate(kind="person", last_name="Martin")) for _ in range(n)])
    return [c.contact_id for c in made]


def _event(p: Any) -> str:
    event = Event(tenant_id=p.tenant_id, event_id=new_id(), doc={"title": "Vœux", "kind": "voeux", "starts_at": AT})
    events_store.save_event(event, is_new=True)
    return event.event_id


def _invite(p: Any, event_id: str, guest: str, partner: str | None = None) -> str:
    invitation = Invitation(
        tenant_id=p.tenant_id,
        invitation_id=new_id(),
        event_id=event_id,
        contact_id=guest,
        status="invited",
        channel="letter",
        doc={
            "name": "M. Martin",
            "partner_contact_id": partner,
            "companions": [],
            "representative": None,
            "history": [],
        },
        created_at=AT,
        updated_at=AT,
    )
    assert invitations_store.create_invitation(invitation, [guest, *([partner] if partner else [])])
    return invitation.invitation_id


def _guests(p: Any, contact_id: str) -> list[tuple[str, str, str | None]]:
    found, _ = person_records.invitations_of(p.tenant_id, contact_id)
    return [(i.invitation_id, i.contact_id, i.doc["partner_contact_id"]) for i in found]


def test_what_cannot_move_stays_and_comes_back(admin: Any) -> None:
    keep, dup, guest = _people(admin, 3)
    event = _event(admin)
    mine, theirs = _invite(admin, event, keep), _invite(admin, event, dup)  # both invited: the kept one already is
    other_event = _event(admin)
    partnered = _invite(admin, other_event, guest, partner=dup)
    campaign = new_id()
    campaign_doc: Any = {"content": {"subject": "Lettre"}, "by": {}}
    campaigns_store.save(Campaign(tenant_id=admin.tenant_id, campaign_id=campaign, channel="email", doc=campaign_doc))
    messages_store.write_planned(
        [
            CampaignMessage(tenant_id=admin.tenant_id, campaign_id=campaign, contact_id=cid, status="sent")
            for cid in (keep, dup)
        ]
    )

    record, _ = merges.merge(admin, keep, [dup])

    assert sorted((e["kind"], e["old_key"]) for e in record.doc["not_moved"]) == [
        ("invitation", theirs),
        ("message", f"{campaign}#{dup}"),
    ]
    assert sorted(_guests(admin, keep)) == sorted([(mine, keep, None), (partnered, guest, keep)])
    assert person_records.messages_of(admin.tenant_id, dup)[campaign].status == "sent"  # left under the old id

    record, _, restored = merges.undo(admin, record.merge_id)

    assert [c.contact_id for c in restored] == [dup] and record.doc["stayed"] == []
    assert sorted(_guests(admin, dup)) == sorted([(theirs, dup, None), (partnered, guest, dup)])
    assert _guests(admin, keep) == [(mine, keep, None)]
    assert set(person_records.messages_of(admin.tenant_id, keep)) == {campaign}


def test_a_record_deleted_after_the_merge_stays_gone(admin: Any) -> None:
    keep, dup = _people(admin, 2)
    mandate = Mandate(tenant_id=admin.tenant_id, contact_id=dup, mandate_id=new_id(), doc={"function": "maire"})
    mandates_store.save(mandate, is_new=True)
    record, _ = merges.merge(admin, keep, [dup])
    [moved] = mandates_store.for_contact(admin.tenant_id, keep)
    mandates_store.delete(moved)

    record, _, _ = merges.undo(admin, record.merge_id)

    assert [(e["kind"], e["new_key"]) for e in record.doc["stayed"]] == [("mandate", f"{keep}#{mandate.mandate_id}")]
    assert mandates_store.for_contact(admin.tenant_id, dup) == []
    with pytest.raises(Conflict):
        merges.undo(admin, record.merge_id)


def _consent(p: Any, contact_id: str, channel: str, status: str, at: str = AT) -> None:
    consents_store.save(
        Consent(
            tenant_id=p.tenant_id,
            contact_id=contact_id,
            channel=channel,
            status=status,
            lawful_basis="consent",
            source="form",
            at=at,
            by="u1",
        )
    )


def _statuses(p: Any, contact_id: str) -> dict[str, str]:
    return {ch: c.status for ch, c in consents_store.for_contact(p.tenant_id, contact_id).items()}


def test_a_consent_recorded_after_the_merge_is_the_persons_latest_word(admin: Any) -> None:
    keep, dup = _people(admin, 2)
    _consent(admin, dup, "email", "granted")
    _consent(admin, dup, "sms", "granted")
    record, _ = merges.merge(admin, keep, [dup])
    assert _statuses(admin, keep) == {"email": "granted", "sms": "granted"}
    assert _statuses(admin, dup) == {}
    email = consents_store.for_contact(admin.tenant_id, keep)["email"]
    later = replace(email, status="withdrawn", source="unsubscribe", at="2099-01-01T00:00:00.000Z")
    consents_store.save(later)  # the person unsubscribes after the merge

    merges.undo(admin, record.merge_id)

    assert _statuses(admin, keep) == {"email": "withdrawn"}  # the merge's SMS consent leaves, the refusal stays
    assert _statuses(admin, dup) == {"email": "withdrawn", "sms": "granted"}


def test_each_record_moves_in_one_transaction_and_nothing_scans(admin: Any) -> None:
    keep, dup = _people(admin, 2)
    for _ in range(3):
        mandate = Mandate(tenant_id=admin.tenant_id, contact_id=dup, mandate_id=new_id(), doc={"function": "maire"})
        mandates_store.save(mandate, is_new=True)

    (record, _), calls = dynamodb_calls(lambda: merges.merge(admin, keep, [dup]))

    assert len(record.doc["moved"]) == 3
    assert calls[("TransactWriteItems", "mandates")] == 3
    assert not any(op == "Scan" for op, _ in calls)


def test_a_merge_moving_too_many_records_is_refused_before_anything_moves(
    admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_rules, "MAX_MOVED", 1)
    keep, dup = _people(admin, 2)
    for _ in range(2):
        mandate = Mandate(tenant_id=admin.tenant_id, contact_id=dup, mandate_id=new_id(), doc={"function": "maire"})
        mandates_store.save(mandate, is_new=True)
    with pytest.raises(ValidationFailed) as refused:
        merges.merge(admin, keep, [dup])
    assert refused.value.details[0]["field"] == "merge_ids" and "au plus 1" in refused.value.details[0]["message"]
    assert len(mandates_store.for_contact(admin.tenant_id, dup)) == 2


def test_a_merge_that_failed_midway_is_resumed_and_nothing_is_lost(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, dup = _people(admin, 2)
    ids = []
    for _ in range(4):
        mandate = Mandate(tenant_id=admin.tenant_id, contact_id=dup, mandate_id=new_id(), doc={"function": "maire"})
        mandates_store.save(mandate, is_new=True)
        ids.append(mandate.mandate_id)
    _consent(admin, dup, "email", "withdrawn")
    written: list[str] = []
    real_put, real_move = merges.store.put, merges.store.move

    def put(record: Any, *, status_was: str | None) -> bool:
        written.append(record.merge_id)
        return real_put(record, status_was=status_was)

    def failing_move(*args: Any) -> bool:
        if len(mandates_store.for_contact(admin.tenant_id, keep)) == 2:
            raise RuntimeError("Lambda timed out")
        return real_move(*args)

    monkeypatch.setattr(merges.store, "put", put)
    monkeypatch.setattr(merges.store, "move", failing_move)
    with pytest.raises(RuntimeError):
        merges.merge(admin, keep, [dup])
    merge_id = written[0]
    assert merges.get(admin, merge_id).status == "running"
    assert len(mandates_store.for_contact(admin.tenant_id, dup)) == 2  # half moved, nothing lost
    with pytest.raises(Conflict):
        merges.undo(admin, merge_id)  # not finished: nothing to undo yet

    monkeypatch.setattr(merges.store, "move", real_move)
    record, _ = merges.resume(admin, merge_id)

    assert record.status == "done" and len(record.doc["moved"]) == 4 and record.doc["not_moved"] == []
    assert sorted(m.mandate_id for m in mandates_store.for_contact(admin.tenant_id, keep)) == sorted(ids)
    assert _statuses(admin, keep) == {"email": "withdrawn"}
    with pytest.raises(Conflict):
        merges.resume(admin, merge_id)
    merges.undo(admin, merge_id)
    assert sorted(m.mandate_id for m in mandates_store.for_contact(admin.tenant_id, dup)) == sorted(ids)
    assert _statuses(admin, dup) == {"email": "withdrawn"} and _statuses(admin, keep) == {}
