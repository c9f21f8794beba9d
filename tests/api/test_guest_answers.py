"""Who may answer for a guest, and how often a link may change an answer.

A guest's RSVP link is the key to their answer: a read-only user must not get it (the guest list and the preview mask
it), staff who take an answer by phone record it in their own name through the API, and the public link cannot be
used to flood the guest with confirmations or churn the waitlist.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.rsvp import ANSWER_CHANGES_PER_HOUR
from tests.api.test_events_api import answer, answer_form, later, new_event, person, token_of
from tests.support.faults import Fault, injected, read_timeout
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails
from tests.support.world import World


@pytest.fixture
def invited(world: World) -> dict[str, Any]:
    """An open event with one guest invited by email (not yet sent)."""
    event = new_event(world, companions_max=2, rsvp_deadline=later(10))
    anne = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [anne])
    guest = ok(world.get(f"/events/{event['id']}/guests"))["items"][0]
    return {"event": event, "contact_id": anne, "invitation_id": guest["invitation_id"]}


def guest(world: World, event_id: str) -> dict[str, Any]:
    return ok(world.get(f"/events/{event_id}/guests"))["items"][0]


def confirmations() -> list[Any]:
    return [m for m in sent_emails() if m["Subject"].startswith("Votre réponse")]


def staff_answer(world: World, invited: dict[str, Any], body: dict[str, Any], role: str = "communication") -> Any:
    path = f"/events/{invited['event']['id']}/guests/{invited['invitation_id']}/answer"
    return world.post(path, body, role=role)


# --- read-only users never see a guest's link -------------------------------------------------------------------


def test_a_reader_gets_no_rsvp_link_in_the_guest_list_or_the_preview(world: World, invited: dict[str, Any]) -> None:
    event_id = invited["event"]["id"]
    token = token_of(world, event_id, invited["contact_id"])  # as admin: the link is there
    for role in ("admin", "cabinet", "protocole", "communication"):
        [item] = ok(world.get(f"/events/{event_id}/guests", role=role))["items"]
        assert item["rsvp_url"].endswith(token), role
    for query in ("", "?status=invited"):
        [item] = ok(world.get(f"/events/{event_id}/guests{query}", role="lecteur"))["items"]
        assert item["rsvp_url"] is None
    preview_path = f"/events/{event_id}/invitations/preview?contact_id={invited['contact_id']}"
    preview = ok(world.get(preview_path, role="lecteur"))
    assert token not in preview["text"] and token not in preview["html"]
    assert "lien-personnel-masque" in preview["text"]
    assert token in ok(world.get(preview_path, role="communication"))["text"]


# --- staff answer for a guest -----------------------------------------------------------------------------------


def test_staff_record_an_answer_in_their_own_name(world: World, invited: dict[str, Any]) -> None:
    body = {"response": "accept", "companions": [{"name": "Paul Martin"}]}
    answered = ok(staff_answer(world, invited, body))
    assert answered["status"] == "accepted" and answered["seats"] == 2
    assert answered["companions"] == [{"name": "Paul Martin"}]
    assert answered["history"][-1]["by"] == "communication@ville.test"
    assert answered["rsvp_url"]  # a writer's view of the guest
    [confirmation] = confirmations()  # the guest is told, as when answering themselves
    assert confirmation["To"] == "anne.martin@exemple.fr"
    world.drain_audit()
    entries = ok(world.get("/audit?limit=100"))["items"]
    [entry] = [e for e in entries if e["action"] == "answer"]
    assert entry["resource_id"] == invited["invitation_id"] and entry["actor_email"] == "communication@ville.test"
    assert entry["detail"]["response"] == "accept" and entry["detail"]["notify"] is True
    stats = ok(world.get(f"/events/{invited['event']['id']}/stats"))
    assert stats["accepted"] == 1 and stats["seats_taken"] == 2


def test_staff_may_answer_without_telling_the_guest(world: World, invited: dict[str, Any]) -> None:
    answered = ok(staff_answer(world, invited, {"response": "decline", "notify": False}))
    assert answered["status"] == "declined"
    assert confirmations() == []


def test_staff_answers_follow_the_guests_rules(world: World, invited: dict[str, Any]) -> None:
    too_many = {"response": "accept", "companions": [{"name": n} for n in ("A", "B", "C")]}
    response = staff_answer(world, invited, too_many)
    assert response.status_code == 422 and response.json_body["error"]["details"][0]["field"] == "companions"
    response = staff_answer(world, invited, {"response": "represented"})
    assert response.status_code == 422
    assert staff_answer(world, invited, {"response": "accept"}, role="lecteur").status_code == 403
    other = dict(invited, invitation_id="01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert staff_answer(world, other, {"response": "accept"}).status_code == 404
    assert staff_answer(world, invited, {"response": "accept"}, role="admin").status_code == 200
    # Not counted against the guest's rate: staff are accountable users, audited.
    for n in range(ANSWER_CHANGES_PER_HOUR + 2):
        response = staff_answer(world, invited, {"response": "decline" if n % 2 == 0 else "accept", "notify": False})
        assert response.status_code == 200, (n, response.body)


def test_after_the_deadline_only_the_services_that_settle_the_list_may_answer(world: World) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = new_event(world, rsvp_deadline=yesterday)
    anne = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [anne])
    invited = {"event": event, "invitation_id": guest(world, event["id"])["invitation_id"]}
    refused = staff_answer(world, invited, {"response": "accept"})
    assert refused.status_code == 409 and "date limite" in refused.json_body["error"]["message"]
    late = {"response": "accept", "override_deadline": True}
    assert staff_answer(world, invited, late, role="communication").status_code == 403
    for role in ("protocole", "cabinet", "admin"):
        answered = staff_answer(world, invited, late, role=role)
        assert answered.status_code == 200, (role, answered.body)
    assert guest(world, event["id"])["status"] == "accepted"
    # The guest's own link still refuses: the deadline holds for them.
    token = token_of(world, event["id"], anne)
    assert answer(world, token, {"response": "decline"}).status_code == 409


def test_nobody_answers_once_the_event_has_started(world: World) -> None:
    event = new_event(world, starts_at=later(1))
    anne = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [anne])
    invited = {"event": event, "invitation_id": guest(world, event["id"])["invitation_id"]}
    ok(world.patch(f"/events/{event['id']}", {"version": event["version"], "status": "closed"}))
    response = staff_answer(world, invited, {"response": "accept", "override_deadline": True}, role="admin")
    assert response.status_code == 409


# --- the public link cannot flood a guest ------------------------------------------------------------------------


def test_the_same_answer_again_changes_nothing_and_sends_nothing(world: World, invited: dict[str, Any]) -> None:
    event_id = invited["event"]["id"]
    token = token_of(world, event_id, invited["contact_id"])
    body = {"response": "accept", "companions": [{"name": "Paul Martin"}]}
    first = ok(answer(world, token, body))
    before = guest(world, event_id)
    history = ok(world.get(f"/contacts/{invited['contact_id']}/interactions"))["items"]
    for _ in range(3):  # reloads, double clicks, a script
        assert ok(answer(world, token, body)) == first
        assert ok(answer(world, token, {**body, "companions": [{"name": " paul  MARTIN "}]})) == first
    assert guest(world, event_id) == before
    assert len(confirmations()) == 1
    assert ok(world.get(f"/contacts/{invited['contact_id']}/interactions"))["items"] == history
    # A real change is one.
    assert ok(answer(world, token, {"response": "decline"}))["status"] == "declined"
    assert len(confirmations()) == 2


def test_an_answer_whose_reply_was_lost_takes_its_seats_once_and_is_confirmed_once(
    world: World, invited: dict[str, Any]
) -> None:
    """The answer and its seats are one write: the request that dies after it (here its reply lost), sent again by
    the guest, finds the answer recorded, takes no seat twice, and sends the confirmation the first never sent."""
    event_id = invited["event"]["id"]
    token = token_of(world, event_id, invited["contact_id"])
    body = {"response": "accept", "companions": [{"name": "Paul Martin"}]}
    lost = Fault("dynamodb", "TransactWriteItems", read_timeout, after=True, times=1)
    with injected(lost):
        assert answer(world, token, body).status_code == 500
    assert lost.raised == 1 and confirmations() == []
    assert ok(answer(world, token, body))["status"] == "accepted"
    assert ok(world.get(f"/events/{event_id}/stats"))["seats_taken"] == 2
    assert len(confirmations()) == 1
    assert ok(answer(world, token, body))["status"] == "accepted"  # and again: nothing more
    assert len(confirmations()) == 1


def test_more_than_ten_changes_an_hour_are_refused_with_retry_after(world: World, invited: dict[str, Any]) -> None:
    event_id = invited["event"]["id"]
    token = token_of(world, event_id, invited["contact_id"])
    for n in range(ANSWER_CHANGES_PER_HOUR):
        ok(answer(world, token, {"response": "accept" if n % 2 == 0 else "decline"}))
    state = guest(world, event_id)
    refused = answer(world, token, {"response": "accept"})
    assert refused.status_code == 429
    assert refused.json_body["error"]["code"] == "rate_limited"
    assert "réessayer" in refused.json_body["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    form = answer_form(world, token, b"response=accept")
    assert form.status_code == 429 and form.headers["Content-Type"].startswith("text/html")
    assert 1 <= int(form.headers["Retry-After"]) <= 3600
    assert "réessayer" in form.body.decode()
    assert guest(world, event_id) == state
    assert len(confirmations()) == ANSWER_CHANGES_PER_HOUR
    # The same answer as the current one still answers 200 (it changes nothing), and staff can still answer.
    assert ok(answer(world, token, {"response": "decline"}))["status"] == "declined"
    assert ok(staff_answer(world, invited, {"response": "accept", "notify": False}))["status"] == "accepted"


def test_flipping_cannot_churn_the_waitlist(world: World) -> None:
    event = new_event(world, capacity=1)
    ids = [person(world, name, emails=[f"{name.lower()}@exemple.fr"]) for name in ("Martin", "Petit", "Roux")]
    world.invite(event["id"], ids)
    tokens = [token_of(world, event["id"], cid) for cid in ids]
    ok(answer(world, tokens[0], {"response": "accept"}))
    assert ok(answer(world, tokens[1], {"response": "accept"}))["status"] == "waitlisted"
    before = len(sent_emails())
    for _ in range(3):  # the waitlisted guest reloads: still waiting, nothing sent, not counted
        assert ok(answer(world, tokens[1], {"response": "accept"}))["status"] == "waitlisted"
    assert len(sent_emails()) == before
    offers = 0
    for n in range(ANSWER_CHANGES_PER_HOUR + 5):
        response = answer(world, tokens[0], {"response": "decline" if n % 2 == 0 else "accept"})
        if response.status_code == 429:
            break
        offers += n % 2 == 0
    assert response.status_code == 429
    offered = [m for m in sent_emails() if m["Subject"].startswith("Une place s'est libérée")]
    assert len(offered) <= offers <= ANSWER_CHANGES_PER_HOUR
