"""The reminders job: due work read by due time, each (rule, invitation) sent at most once, nothing lost
when an event moves, an unknown outcome never resent, offers that lapse, no-shows after the event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.services import event_messages, reminders
from chalicelib.store import invitations as invitations_store
from tests.api.test_events_api import ACK, answer, new_event, person, token_of
from tests.support.responses import ok
from tests.support.sent_messages import plain_text, sent_emails
from tests.support.world import World


def run_job(world: World) -> dict[str, int]:
    """The scheduled handler, invoked with a generated CloudWatch event as EventBridge would."""
    event = world.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=["arn:aws:events:eu-west-3:1:rule/x"]
    )
    return world.client.lambda_.invoke("send_reminders", event).payload


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def people(world: World) -> dict[str, str]:
    return {
        name: person(world, name.title(), emails=[f"{name}@exemple.fr"])
        for name in ("alice", "bertrand", "claire", "denis")
    }


def invite_and_send(world: World, event: dict[str, Any], ids: list[str]) -> None:
    world.invite(event["id"], ids)
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))


def subjects(prefix: str) -> list[str]:
    return sorted(m["To"] for m in sent_emails() if m["Subject"].startswith(prefix))


def test_relance_goes_once_to_those_who_did_not_answer(world, people):
    deadline = datetime.now(UTC) + timedelta(days=2)  # relance due 5 days ago: due now
    event = new_event(world, rsvp_deadline=iso(deadline))
    invite_and_send(world, event, list(people.values()))
    ok(answer(world, token_of(world, event["id"], people["alice"]), {"response": "accept"}))
    first = run_job(world)
    assert first["sent"] == 3 and first["rules"] >= 1
    assert subjects("Votre réponse est attendue") == ["bertrand@exemple.fr", "claire@exemple.fr", "denis@exemple.fr"]
    second = run_job(world)  # the next run, an overlap or a redelivery
    assert second["sent"] == 0
    assert len(subjects("Votre réponse est attendue")) == 3
    history = ok(world.get(f"/contacts/{people['bertrand']}/interactions"))["items"]
    assert any("relance" in i["summary"] for i in history)


def test_the_job_reads_only_what_is_due(world, people):
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=20)))
    invite_and_send(world, event, [people["alice"]])
    assert run_job(world)["sent"] == 0  # relance due in 13 days, rappel in 29
    due = reminders.due_rules(datetime.now(UTC) + timedelta(days=14))
    assert [r.rule["kind"] for r in due if r.event_id == event["id"]] == ["relance"]


def test_rappel_to_accepted_guests_with_a_confirm_or_cancel_link(world, people):
    event = new_event(world, starts_at=iso(datetime.now(UTC) + timedelta(hours=12)))
    invite_and_send(world, event, [people["alice"], people["bertrand"]])
    ok(answer(world, token_of(world, event["id"], people["alice"]), {"response": "accept"}))
    assert run_job(world)["sent"] == 1
    [rappel] = [m for m in sent_emails() if m["Subject"].startswith("Rappel")]
    assert rappel["To"] == "alice@exemple.fr"
    assert "Confirmer ou annuler" in plain_text(rappel)


def test_moving_an_event_rewrites_its_rules_and_loses_nothing(world, people):
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=20)))
    invite_and_send(world, event, [people["alice"]])
    moved = ok(
        world.patch(
            f"/events/{event['id']}", {"version": 1, "rsvp_deadline": iso(datetime.now(UTC) + timedelta(days=3))}
        )
    )
    assert next(r for r in moved["reminders"] if r["kind"] == "relance")["due_at"] < iso(datetime.now(UTC))
    assert run_job(world)["sent"] == 1  # due now after the move: sent, not lost
    ok(
        world.patch(
            f"/events/{event['id']}", {"version": 2, "rsvp_deadline": iso(datetime.now(UTC) + timedelta(days=4))}
        )
    )
    assert run_job(world)["sent"] == 0  # moved again: the same relance is not sent twice


def test_a_send_whose_outcome_is_unknown_is_not_resent_and_shows_in_the_stats(world, people, monkeypatch):
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=2)))
    invite_and_send(world, event, [people["alice"]])

    def crash(*args: Any, **kwargs: Any) -> str:
        raise SystemExit("the Lambda died mid-call")  # not an Exception: nothing records the outcome

    monkeypatch.setattr(event_messages, "deliver", crash)
    with pytest.raises(SystemExit):
        reminders.run()
    monkeypatch.undo()
    before = len(sent_emails())
    assert reminders.run()["unknown"] == 1
    assert len(sent_emails()) == before
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert [u["state"] for u in stats["unknown_sends"]] == ["unknown"]
    assert reminders.run()["sent"] == 0


def test_an_offer_that_lapses_goes_to_the_next_guest(world, people):
    event = new_event(world, capacity=1)
    invite_and_send(world, event, [people["alice"], people["bertrand"], people["claire"]])
    tokens = {name: token_of(world, event["id"], people[name]) for name in ("alice", "bertrand", "claire")}
    ok(answer(world, tokens["alice"], {"response": "accept"}))
    ok(answer(world, tokens["bertrand"], {"response": "accept"}))  # waitlisted first
    ok(answer(world, tokens["claire"], {"response": "accept"}))  # waitlisted second
    ok(answer(world, tokens["alice"], {"response": "decline"}))  # bertrand is offered the seat
    assert [g["contact_id"] for g in ok(world.get(f"/events/{event['id']}/guests?status=offered"))["items"]] == [
        people["bertrand"]
    ]
    later = datetime.now(UTC) + timedelta(hours=49)
    outcome = reminders.run(later)
    assert outcome["changed"] == 1
    guests = {g["contact_id"]: g["status"] for g in ok(world.get(f"/events/{event['id']}/guests"))["items"]}
    assert guests[people["bertrand"]] == "declined" and guests[people["claire"]] == "offered"
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 1


def test_after_the_event_expected_guests_not_checked_in_are_no_show(world, people):
    event = new_event(world)
    invite_and_send(world, event, [people["alice"], people["bertrand"]])
    for name in ("alice", "bertrand"):
        ok(answer(world, token_of(world, event["id"], people[name]), {"response": "accept"}))
    alice = next(
        g for g in ok(world.get(f"/events/{event['id']}/guests"))["items"] if g["contact_id"] == people["alice"]
    )
    ok(world.post(f"/events/{event['id']}/checkin", {"invitation_id": alice["invitation_id"]}))
    reminders.run(datetime.now(UTC) + timedelta(days=31))
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert (stats["attended"], stats["no_show"], stats["participation_rate"]) == (1, 1, 0.5)


def test_a_change_of_time_notifies_accepted_guests_once(world, people):
    event = new_event(world)
    invite_and_send(world, event, [people["alice"], people["bertrand"]])
    ok(answer(world, token_of(world, event["id"], people["alice"]), {"response": "accept"}))
    ok(world.patch(f"/events/{event['id']}", {"version": 1, "place": "Hôtel de Ville, salle des mariages"}))
    run_job(world)
    run_job(world)
    assert subjects("Changement") == ["alice@exemple.fr"]
    ok(world.patch(f"/events/{event['id']}", {"version": 2, "status": "cancelled"}))
    run_job(world)
    notices = [m for m in sent_emails() if m["Subject"].startswith("Changement")]
    assert len(notices) == 2 and "annulé" in plain_text(notices[-1])


def test_rule_items_are_keyed_by_due_time(world):
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=20)))
    items = list(
        invitations_store.ReminderItem.query("t-ville", invitations_store.ReminderItem.sk.startswith(f"{event['id']}#"))
    )
    due = {i.rule_id: i.due_key for i in items if i.due_key}
    assert all(key.startswith(i.due_at) for i in items if i.due_key for key in [i.due_key])
    assert {"close"} <= set(due) and any(r.startswith("relance") for r in due)


def test_a_run_that_overlaps_a_move_keeps_the_new_schedule(world, people):
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=2)))
    invite_and_send(world, event, [people["alice"]])
    [stale] = [r for r in reminders.due_rules(datetime.now(UTC)) if r.rule["kind"] == "relance"]
    # Meanwhile staff move the deadline: the relance is rescheduled to the future.
    ok(
        world.patch(
            f"/events/{event['id']}", {"version": 1, "rsvp_deadline": iso(datetime.now(UTC) + timedelta(days=20))}
        )
    )
    reminders.process(stale, datetime.now(UTC))  # the run that read the rule before the move finishes
    [fresh] = [
        r
        for r in invitations_store.ReminderItem.query(
            "t-ville", invitations_store.ReminderItem.sk.startswith(f"{event['id']}#")
        )
        if r.rule_id == stale.rule_id
    ]
    assert fresh.due_at and fresh.due_at > iso(datetime.now(UTC) + timedelta(days=12)), "the new due time survives"
