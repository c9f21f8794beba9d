"""Events, invitations, public RSVP, capacity and waitlist, check-in and figures through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import tokens
from chalicelib.services import events as events_service
from chalicelib.settings import get_settings
from chalicelib.store import electoral
from chalicelib.store import events as events_store
from chalicelib.store import invitations as invitations_store
from tests.support.cursors import forged, key_of
from tests.support.faults import Fault, busy_item, injected, transaction_conflict
from tests.support.responses import error_of, ok
from tests.support.sent_messages import plain_text, sent_emails, sms_sent
from tests.support.world import World

# These events have no series: inside an L52-1 window (the 2027 presidential one runs until May 2027) their
# antériorité is a warning, which sending must acknowledge (test_electoral_compliance.py).
ACK = {"acknowledge_warnings": True}


def later(days: int, hour: int = 18) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def person(world: World, last: str, **fields: Any) -> str:
    body = {"kind": "person", "civility": "Mme", "first_name": "Anne", "last_name": last, **fields}
    return ok(world.post("/contacts", body), 201)["id"]


def new_event(world: World, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Vœux du maire 2027",
        "kind": "voeux",
        "series": "Vœux du maire",
        "starts_at": later(30),
        "place": "Salle des fêtes",
        "address": "1 place de la Mairie, 76000 Rouen",
        "status": "open",
        **fields,
    }
    return ok(world.post("/events", body), 201)


def token_of(world: World, event_id: str, contact_id: str) -> str:
    guests = ok(world.get(f"/events/{event_id}/guests?limit=100"))["items"]
    url = next(g["rsvp_url"] for g in guests if g["contact_id"] == contact_id)
    return url.rsplit("/", 1)[1]


def answer(world: World, token: str, body: dict[str, Any]) -> Any:
    return world.request("POST", f"/public/rsvp/{token}", body, headers={"Content-Type": "application/json"})


def answer_form(world: World, token: str, form: bytes) -> Any:
    """The RSVP page's form posted as a browser without JavaScript posts it (URL-encoded): the page answered."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return world.request("POST", f"/public/rsvp/{token}", headers=headers, raw=form)


@pytest.fixture
def guests(world: World) -> dict[str, str]:
    return {
        "anne": person(world, "Martin", emails=["anne.martin@exemple.fr"]),
        "bruno": person(world, "Petit", first_name="Bruno", civility="M", emails=["bruno.petit@exemple.fr"]),
        "chloe": person(world, "Roux", first_name="Chloé", phones=["06 12 34 56 78"]),
        "nomail": person(world, "Sansmail"),
    }


def test_event_crud_shows_paris_time_and_default_reminders(world):
    event = new_event(world, starts_at="2027-01-09T18:30:00", rsvp_deadline="2027-01-02T12:00:00+01:00")
    assert event["starts_at"] == "2027-01-09T18:30:00+01:00"
    assert event["status"] == "open" and event["version"] == 1 and event["seats_taken"] == 0
    kinds = {r["kind"] for r in event["reminders"]}
    assert {"relance", "rappel"} <= kinds
    relance = next(r for r in event["reminders"] if r["kind"] == "relance")
    assert relance["due_at"].startswith("2026-12-26")  # 7 days before the deadline
    moved = ok(world.patch(f"/events/{event['id']}", {"version": 1, "starts_at": "2027-07-09T18:30:00"}))
    assert moved["starts_at"] == "2027-07-09T18:30:00+02:00"  # summer time
    stale = world.patch(f"/events/{event['id']}", {"version": 1, "title": "x"})
    assert stale.status_code == 409
    assert [e["id"] for e in ok(world.get("/events"))["items"]] == [event["id"]]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"starts_at": "2020-01-01T10:00:00"}, "starts_at"),
        ({"ends_at": later(29)}, "ends_at"),
        ({"rsvp_deadline": later(31)}, "rsvp_deadline"),
        ({"capacity": -1}, "capacity"),
        ({"kind": "bal"}, "kind"),
        ({"starts_at": "2027-03-28T02:30:00"}, "starts_at"),  # the spring-forward gap in Paris
    ],
)
def test_bad_event_input_is_refused_field_by_field(world, patch, field):
    body = {"title": "Fête", "kind": "fete_locale", "starts_at": later(30), **patch}
    response = world.post("/events", body)
    assert response.status_code == 422, response.body
    assert field in [d["field"] for d in response.json_body["error"]["details"]]


def test_invitations_one_per_person_couples_and_unreachable_guests(world, guests):
    event = new_event(world)
    partner = person(world, "Martin", first_name="Paul", civility="M", emails=["paul.martin@exemple.fr"])
    ok(world.patch(f"/contacts/{guests['anne']}", {"version": 1, "partner_contact_id": partner}))
    result = world.invite(event["id"], [guests["anne"], partner, guests["bruno"], guests["nomail"]])
    assert [g["contact_id"] for g in result["created"]] == [guests["anne"], guests["bruno"]]
    assert result["created"][0]["partner_contact_id"] == partner
    reasons = {s["contact_id"]: s["reason"] for s in result["skipped"]}
    assert "conjoint" in reasons[partner] and "adresse électronique" in reasons[guests["nomail"]]
    again = world.invite(event["id"], [guests["anne"]])
    assert again["created"] == [] and "Déjà invité" in again["skipped"][0]["reason"]
    assert sent_emails() == []  # nothing is sent yet


def test_send_preview_and_public_rsvp_with_a_companion(world, guests):
    event = new_event(world, companions_max=1, capacity=10)
    world.invite(event["id"], [guests["anne"]])
    preview = ok(world.get(f"/events/{event['id']}/invitations/preview?contact_id={guests['anne']}"))
    assert preview["subject"] == "Invitation : Vœux du maire 2027" and "Madame," in preview["text"]
    sent = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert {k: sent[k] for k in ("sent", "failed", "remaining", "letters_url")} == {
        "sent": 1,
        "failed": [],
        "remaining": 0,
        "letters_url": None,
    }
    assert ok(world.post(f"/events/{event['id']}/invitations/send", ACK))["sent"] == 0  # never twice
    [invitation] = sent_emails()
    assert invitation["To"] == "anne.martin@exemple.fr" and invitation["Subject"] == "Invitation : Vœux du maire 2027"
    token = token_of(world, event["id"], guests["anne"])
    assert token in plain_text(invitation)

    page = world.request("GET", f"/public/rsvp/{token}", headers={})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Vœux du maire 2027" in page.body.decode() and 'lang="fr"' in page.body.decode()
    result = ok(answer(world, token, {"response": "accept", "companions": [{"name": "Paul Martin"}]}))
    assert result["status"] == "accepted"
    guest = ok(world.get(f"/events/{event['id']}/guests?status=accepted"))["items"][0]
    assert guest["companions"] == [{"name": "Paul Martin"}] and guest["seats"] == 2
    assert [h["status"] for h in guest["history"]] == ["invited", "accepted"]
    confirmation = sent_emails()[-1]
    assert confirmation["Subject"] == "Votre réponse : Vœux du maire 2027"
    types = [part.get_content_type() for part in confirmation.walk()]
    assert "text/calendar" in types and "image/png" in types  # the .ics and the check-in QR code
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert (stats["accepted"], stats["seats_taken"], stats["rsvp_rate"]) == (1, 2, 1.0)


def test_form_answers_without_javascript_and_errors_in_french(world, guests):
    event = new_event(world, companions_max=1)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    empty = answer_form(world, token, b"")
    assert empty.status_code == 422 and "Choisissez une réponse" in empty.body.decode()
    done = answer_form(world, token, b"response=accept&companion=L%C3%A9a+Martin")
    assert done.status_code == 200, done.body
    assert "Votre présence est confirmée" in done.body.decode() and "Léa Martin" in done.body.decode()
    too_many = answer_form(world, token, b"response=accept&companion=A&companion=B")
    assert too_many.status_code == 422 and "accompagnant" in too_many.body.decode()


def test_capacity_waitlist_offer_and_decline(world, guests):
    event = new_event(world, capacity=1)
    world.invite(event["id"], [guests["anne"], guests["bruno"]])
    anne, bruno = (token_of(world, event["id"], guests[g]) for g in ("anne", "bruno"))
    assert ok(answer(world, anne, {"response": "accept"}))["status"] == "accepted"
    assert ok(answer(world, bruno, {"response": "accept"}))["status"] == "waitlisted"
    assert ok(answer(world, anne, {"response": "decline"}))["status"] == "declined"
    offered = ok(world.get(f"/events/{event['id']}/guests?status=offered"))["items"]
    assert [g["contact_id"] for g in offered] == [guests["bruno"]] and offered[0]["offered_until"]
    offers = [m for m in sent_emails() if m["Subject"] == "Une place s'est libérée : Vœux du maire 2027"]
    assert [m["To"] for m in offers] == ["bruno.petit@exemple.fr"]
    assert ok(answer(world, bruno, {"response": "accept"}))["status"] == "accepted"
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 1


def test_a_seat_freed_while_other_answers_hold_the_counter_is_still_offered(
    world: World, guests: dict[str, str]
) -> None:
    """Anne's decline frees her seat, then offers it to the waitlist (an UpdateItem of the seat counter). Another
    guest's answer holding the counter in a transaction at that moment refused it (TransactionConflictException):
    Anne, whose decline was recorded, got a 500, and Bruno no offer. The counter's moves are retried."""
    event = new_event(world, capacity=1)
    world.invite(event["id"], [guests["anne"], guests["bruno"]])
    anne, bruno = (token_of(world, event["id"], guests[g]) for g in ("anne", "bruno"))
    ok(answer(world, anne, {"response": "accept"}))
    ok(answer(world, bruno, {"response": "accept"}))
    with injected(Fault("dynamodb", "UpdateItem", busy_item)) as (busy,):
        assert ok(answer(world, anne, {"response": "decline"}))["status"] == "declined"
    assert busy.raised == 1
    offered = ok(world.get(f"/events/{event['id']}/guests?status=offered"))["items"]
    assert [g["contact_id"] for g in offered] == [guests["bruno"]]
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 1


def test_capacity_zero_waitlists_everyone(world, guests):
    event = new_event(world, capacity=0)
    world.invite(event["id"], [guests["anne"]])
    assert (
        ok(answer(world, token_of(world, event["id"], guests["anne"]), {"response": "accept"}))["status"]
        == "waitlisted"
    )


def test_bad_tokens_learn_nothing(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = tokens.sign(b"another key", "t-ville", "01J00000000000000000000000")
    for bad in (altered, forged, "x", "a" * 300):
        page = world.request("GET", f"/public/rsvp/{bad}", headers={})
        assert page.status_code == 404 and "Anne" not in page.body.decode()
        assert answer(world, bad, {"response": "accept"}).status_code == 404


def test_answers_after_the_deadline_or_for_a_cancelled_event_are_refused_politely(world, guests):
    event = new_event(world, rsvp_deadline=later(10))
    world.invite(event["id"], [guests["anne"], guests["bruno"]])
    token = token_of(world, event["id"], guests["anne"])
    ok(answer(world, token, {"response": "accept"}))
    cancelled = ok(world.patch(f"/events/{event['id']}", {"version": 1, "status": "cancelled"}))
    assert cancelled["status"] == "cancelled"
    refused = answer(world, token, {"response": "decline"})
    assert refused.status_code == 409 and "annulé" in refused.json_body["error"]["message"]
    page = world.request("GET", f"/public/rsvp/{token}", headers={}).body.decode()
    assert "annulé" in page and "<form" not in page


def test_check_in_by_qr_token_and_stats(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    invitation_id = ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["invitation_id"]
    ok(answer(world, token_of(world, event["id"], guests["anne"]), {"response": "accept"}))
    qr = tokens.sign(get_settings().link_keys()[0], "t-ville", invitation_id, "checkin")
    assert ok(world.post(f"/events/{event['id']}/checkin", {"token": qr}))["status"] == "attended"
    assert ok(world.post(f"/events/{event['id']}/checkin", {"invitation_id": invitation_id}))["status"] == "attended"
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert stats["attended"] == 1 and stats["participation_rate"] == 1.0
    rsvp_qr = tokens.sign(get_settings().link_keys()[0], "t-ville", invitation_id, "rsvp")
    assert world.post(f"/events/{event['id']}/checkin", {"token": rsvp_qr}).status_code == 404


def test_a_guest_scanned_at_two_doors_at_once_is_present_once(
    world: World, guests: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two scanners read the guest's QR code at the same moment: the second one's write finds the invitation
    changed by the first. The guest is present: the second scan answers so too, not « modifiée »."""
    from chalicelib.services import invitations as invitations_service

    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    invitation_id = ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["invitation_id"]
    load = invitations_service.load_invitation

    def read_then_scanned_elsewhere(p: Any, ev: Any, invitation_id: str) -> Any:
        read = load(p, ev, invitation_id)
        other = load(p, ev, invitation_id)  # the other door's scan, saved first
        invitations_service.apply(other, "check_in", "porte-b@ville.test")
        invitations_store.save_invitation(other)
        return read

    monkeypatch.setattr(invitations_service, "load_invitation", read_then_scanned_elsewhere)
    assert ok(world.post(f"/events/{event['id']}/checkin", {"invitation_id": invitation_id}))["status"] == "attended"
    monkeypatch.undo()
    assert ok(world.get(f"/events/{event['id']}/stats"))["attended"] == 1


def test_a_check_in_while_the_guest_answers_gives_409_and_changes_nothing(world: World, guests: dict[str, str]) -> None:
    """The guest's answer is written in a transaction: a check-in landing while it is under way is refused by
    DynamoDB (TransactionConflictException), which is the « modifiée » of a race, not an error."""
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    invitation_id = ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["invitation_id"]
    with injected(Fault("dynamodb", "PutItem", busy_item)):
        refused = world.post(f"/events/{event['id']}/checkin", {"invitation_id": invitation_id})
    assert "rechargez" in error_of(refused, 409, "conflict")["message"]
    assert ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["status"] == "invited"
    assert ok(world.post(f"/events/{event['id']}/checkin", {"invitation_id": invitation_id}))["status"] == "attended"


def test_sms_invitations_and_letters(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["chloe"]], "sms")
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    [(number, text)] = sms_sent()
    assert number == "+33612345678" and "/public/rsvp/" in text


def test_copy_last_years_event_with_its_guests(world, guests):
    event = new_event(world, starts_at="2027-01-09T18:30:00", rsvp_deadline="2027-01-02T12:00:00")
    world.invite(event["id"], [guests["anne"], guests["bruno"]])
    copy = ok(world.post(f"/events/{event['id']}/copy", {"starts_at": "2028-01-08T18:30:00"}), 201)
    assert copy["status"] == "draft" and copy["rsvp_deadline"] == "2028-01-01T12:00:00+01:00"
    copied = ok(world.get(f"/events/{copy['id']}/guests"))["items"]
    assert sorted(g["contact_id"] for g in copied) == sorted([guests["anne"], guests["bruno"]])
    assert all(g["status"] == "invited" and g["sent_at"] is None for g in copied)


def test_delete_only_before_anything_was_sent(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert world.delete(f"/events/{event['id']}").status_code == 409
    draft = new_event(world, status="draft")
    assert electoral.get_assessment("t-ville", draft["id"]) is not None  # assessed on creation
    assert world.delete(f"/events/{draft['id']}").status_code == 204
    assert world.get(f"/events/{draft['id']}").status_code == 404
    assert electoral.get_assessment("t-ville", draft["id"]) is None  # nothing of it left behind


def _changed_meanwhile(tenant_id: str, event_id: str) -> None:
    """Another user's edit of the event, saved between this request's read and its delete."""
    stored = events_store.get_event(tenant_id, event_id)
    assert stored is not None
    stored.doc = {**stored.doc, "title": "Vœux du maire 2027 (modifié)"}
    events_store.save_event(stored, is_new=False)


def test_deleting_an_event_changed_meanwhile_is_a_conflict_and_deletes_nothing(
    world: World, guests: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])  # not sent: a delete would remove the guest list
    load = events_service.load

    def load_then_edited(p: Any, event_id: str) -> Any:
        read = load(p, event_id)
        _changed_meanwhile(p.tenant_id, event_id)
        return read

    monkeypatch.setattr(events_service, "load", load_then_edited)
    assert error_of(world.delete(f"/events/{event['id']}"), 409, "conflict")["message"]
    monkeypatch.undo()
    assert ok(world.get(f"/events/{event['id']}"))["title"] == "Vœux du maire 2027 (modifié)"
    guests_left = ok(world.get(f"/events/{event['id']}/guests"))["items"]
    assert [g["contact_id"] for g in guests_left] == [guests["anne"]]


def test_an_edit_landing_while_the_event_is_deleted_is_a_conflict_not_an_error(
    world: World, guests: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = new_event(world)
    forget = electoral.forget_event

    def forget_then_edited(tenant_id: str, event_id: str) -> None:
        forget(tenant_id, event_id)
        _changed_meanwhile(tenant_id, event_id)

    monkeypatch.setattr(electoral, "forget_event", forget_then_edited)
    assert error_of(world.delete(f"/events/{event['id']}"), 409, "conflict")["message"]
    assert ok(world.get(f"/events/{event['id']}"))["title"] == "Vœux du maire 2027 (modifié)"


def test_a_guest_changed_while_the_event_is_deleted_is_a_conflict_and_keeps_that_guest(
    world: World, guests: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])  # not sent: the event may still be deleted
    by_event = invitations_store.InvitationItem.by_event
    query = by_event.query

    def read_then_changed(*args: Any, **kwargs: Any) -> Any:
        read = list(query(*args, **kwargs))  # the deletion's read of the guest list
        for item in read:  # a colleague's edit of the guest, saved between that read and the deletion
            stored = invitations_store.get_invitation(item.tenant_id, item.invitation_id)
            assert stored is not None
            stored.doc = {**stored.doc, "note": "Vient avec son adjoint"}
            invitations_store.save_invitation(stored)
        monkeypatch.setattr(by_event, "query", query)
        return iter(read)

    monkeypatch.setattr(by_event, "query", read_then_changed)
    assert error_of(world.delete(f"/events/{event['id']}"), 409, "conflict")["message"]
    monkeypatch.undo()
    assert ok(world.get(f"/events/{event['id']}"))["id"] == event["id"]
    guests_left = ok(world.get(f"/events/{event['id']}/guests"))["items"]
    assert [g["contact_id"] for g in guests_left] == [guests["anne"]]
    again = world.invite(event["id"], [guests["anne"]])  # her guard kept: invited once, not twice
    assert again["created"] == [] and [s["contact_id"] for s in again["skipped"]] == [guests["anne"]]


def test_a_guest_whose_contact_was_deleted(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    assert world.delete(f"/contacts/{guests['anne']}").status_code == 204
    refused = answer(world, token, {"response": "accept"})
    assert refused.status_code in (404, 409)


def test_protocol_notes_are_confidential(world):
    assert (
        world.post(
            "/events",
            {"title": "x", "kind": "autre", "starts_at": later(3), "protocol_notes": "x"},
            role="communication",
        ).status_code
        == 403
    )
    event = new_event(world, protocol_notes="Préfète au premier rang")
    assert ok(world.get(f"/events/{event['id']}", role="communication"))["protocol_notes"] is None
    assert ok(world.get(f"/events/{event['id']}", role="protocole"))["protocol_notes"] == "Préfète au premier rang"


def test_the_calendar_file(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    ics = world.request("GET", f"/public/rsvp/{token}/event.ics", headers={})
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.body and "Vœux".encode() in ics.body


def test_speaking_order_and_seating_of_the_guests_who_are_coming(world, guests):
    from tests.api.test_protocol_api import holder

    settings = ok(world.get("/settings"))
    ok(world.patch("/settings", {"version": settings["version"], "departement": "76", "commune_insee": "76540"}))
    prefete = holder(
        world,
        "Beaulieu",
        "Mme",
        {"function": "prefet", "territory": {"kind": "departement", "code": "76"}},
        emails=["prefete@exemple.fr"],
    )
    event = new_event(world)
    nobody = world.get(f"/events/{event['id']}/speaking-order")
    assert nobody.status_code == 409  # no guest has said they are coming yet
    ids = [prefete, guests["anne"], guests["bruno"]]
    world.invite(event["id"], ids)
    for contact_id in (prefete, guests["anne"]):
        ok(answer(world, token_of(world, event["id"], contact_id), {"response": "accept"}))
    order = ok(world.get(f"/events/{event['id']}/speaking-order"))["order"]
    assert [x["contact_id"] for x in order] == [guests["anne"], prefete]  # the highest authority speaks last
    seating = ok(world.get(f"/events/{event['id']}/seating?kind=row&seats_per_row=5"))
    assert seating["seats"][0]["contact_id"] == prefete and seating["svg"].startswith("<svg")
    pdf = world.request(
        "GET",
        f"/events/{event['id']}/seating?kind=row&seats_per_row=5",
        headers={**world.headers(), "Accept": "application/pdf"},
    )
    assert pdf.status_code == 200 and pdf.body[:5] == b"%PDF-"
    bad = world.get(f"/events/{event['id']}/seating?kind=cercle&seats_per_row=5")
    assert bad.status_code == 422


def test_letter_invitations_come_back_as_one_pdf(world):
    event = new_event(world)
    contact = person(world, "Lettre", address={"lines": ["3 rue Jeanne d'Arc"], "postcode": "76000", "city": "Rouen"})
    world.invite(event["id"], [contact], "letter")
    sent = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert (sent["sent"] == 1 and "Signature=" in sent["letters_url"]) or "X-Amz-Signature=" in sent["letters_url"]
    assert sent_emails() == []


def test_a_double_submit_changes_nothing(world, guests):
    event = new_event(world, capacity=5, companions_max=1)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    body = {"response": "accept", "companions": [{"name": "Paul"}]}
    assert ok(answer(world, token, body))["status"] == "accepted"
    assert ok(answer(world, token, body))["status"] == "accepted"
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 2
    assert ok(answer(world, token, {"response": "accept"}))["status"] == "accepted"  # the companion stays home
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 1


def test_an_answer_racing_another_gives_409_and_changes_nothing(world: World, guests: dict[str, str]) -> None:
    """A guest's two submits at the same moment: DynamoDB cancels one transaction (TransactionConflict). That one
    answers « rechargez la page », as a double submit read stale does, not an error page."""
    event = new_event(world, capacity=5)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        raced = answer(world, token, {"response": "accept"})
    assert "rechargez la page" in error_of(raced, 409, "conflict")["message"]
    assert ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["status"] == "invited"
    assert ok(world.get(f"/events/{event['id']}/stats"))["seats_taken"] == 0
    assert ok(answer(world, token, {"response": "accept"}))["status"] == "accepted"  # sent again, it is recorded


def test_an_event_cannot_be_moved_into_the_past(world):
    event = new_event(world)
    moved = world.patch(f"/events/{event['id']}", {"version": 1, "starts_at": "2020-01-09T18:30:00"})
    assert moved.status_code == 422 and moved.json_body["error"]["details"][0]["field"] == "starts_at"
    assert ok(world.get(f"/events/{event['id']}"))["version"] == 1


def test_a_capacity_change_while_answers_move_the_seats_gives_409(world: World, guests: dict[str, str]) -> None:
    """Guests' answers move the seat counter in transactions: a capacity change landing while one is under way is
    refused by DynamoDB (TransactionConflictException). The event and its counter are as they were."""
    event = new_event(world, capacity=5)
    with injected(Fault("dynamodb", "UpdateItem", busy_item)):
        refused = world.patch(f"/events/{event['id']}", {"version": 1, "capacity": 8})
    assert "réessayer" in error_of(refused, 409, "conflict")["message"]
    assert ok(world.get(f"/events/{event['id']}"))["capacity"] == 5
    assert events_store.get_seats("t-ville", event["id"]).free == 5
    assert ok(world.patch(f"/events/{event['id']}", {"version": 1, "capacity": 8}))["capacity"] == 8


def test_capacity_cannot_drop_below_the_seats_taken(world, guests):
    event = new_event(world, capacity=5, companions_max=1)
    world.invite(event["id"], [guests["anne"]])
    ok(
        answer(
            world, token_of(world, event["id"], guests["anne"]), {"response": "accept", "companions": [{"name": "P"}]}
        )
    )
    refused = world.patch(f"/events/{event['id']}", {"version": 1, "capacity": 1})
    assert refused.status_code == 422 and refused.json_body["error"]["details"][0]["field"] == "capacity"
    assert ok(world.patch(f"/events/{event['id']}", {"version": 1, "capacity": 2}))["capacity"] == 2


def test_the_local_outbox_shows_what_was_sent(world, guests):
    event = new_event(world)
    world.invite(event["id"], [guests["anne"]])
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    [message] = ok(world.request("GET", "/dev/outbox", headers={}))["items"]
    assert message["to"] == "anne.martin@exemple.fr" and message["channel"] == "email"
    assert message["headers"]["Message-ID"].startswith("<")  # the tenant has no sender: no Reply-To to name
    view = world.request("GET", message["view_url"], headers={})
    assert view.status_code == 200 and "Répondre à l'invitation" in view.body.decode()
    assert world.request("GET", "/dev/outbox/nope", headers={}).status_code == 404


def test_the_outbox_exists_only_on_the_local_stage() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "AGORA_STAGE": "dev"}
    code = (
        "import app, json; from chalicelib.api.openapi import document as b; "
        "print(json.dumps([sorted(r for r in app.app.routes if r.startswith('/dev')), "
        "sorted(p for p in b()['paths'] if p.startswith('/dev'))]))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[[], []]"


def test_emargement_list_and_badges_for_the_day(world, guests):
    from io import BytesIO

    from pypdf import PdfReader

    event = new_event(world, companions_max=1)
    world.invite(event["id"], [guests["anne"], guests["bruno"]])
    ok(
        answer(
            world,
            token_of(world, event["id"], guests["anne"]),
            {"response": "accept", "companions": [{"name": "Léa Martin"}]},
        )
    )
    rep = {"response": "represented", "representative": {"name": "Claire Dubois", "function": "Adjointe"}}
    ok(answer(world, token_of(world, event["id"], guests["bruno"]), rep))
    pdf = {**world.headers(role="lecteur"), "Accept": "application/pdf"}
    sheet = world.request("GET", f"/events/{event['id']}/attendance-sheet", headers=pdf)
    assert sheet.status_code == 200 and sheet.headers["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(BytesIO(sheet.body)).pages[0].extract_text().split())
    assert "Liste d'émargement" in text and "Mme Anne Martin" in text and "Léa Martin" in text
    assert "représenté(e) par Claire Dubois, Adjointe" in text and "2 invité(s) attendu(s)" in text
    badges = world.request("GET", f"/events/{event['id']}/badges", headers=pdf)
    reader = PdfReader(BytesIO(badges.body))
    page = reader.pages[0]
    badge_text = " ".join(page.extract_text().split())
    assert "Claire Dubois Adjointe" in badge_text and "Mme Anne Martin" in badge_text
    assert len(page.images) == 2  # one check-in QR code per badge
    assert world.get(f"/events/{event['id']}/badges").status_code == 406


def test_answers_after_the_deadline_are_refused_and_the_page_says_so(world, guests):
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = new_event(world, rsvp_deadline=yesterday)
    world.invite(event["id"], [guests["anne"]])
    token = token_of(world, event["id"], guests["anne"])
    refused = answer(world, token, {"response": "accept"})
    assert refused.status_code == 409 and "date limite" in refused.json_body["error"]["message"]
    page = world.request("GET", f"/public/rsvp/{token}", headers={}).body.decode()
    assert "date limite de réponse est passée" in page and "<form" not in page
    form = answer_form(world, token, b"response=accept")
    assert form.status_code == 409 and "date limite" in form.body.decode()
    assert ok(world.get(f"/events/{event['id']}/guests"))["items"][0]["status"] == "invited"


def test_guests_and_events_page_with_cursors(world):
    ids = [person(world, f"Invité{n}", emails=[f"invite{n}@exemple.fr"]) for n in range(5)]
    event = new_event(world)
    world.invite(event["id"], ids)
    for status in ("", "&status=invited"):
        seen, cursor = [], None
        while True:
            page = ok(
                world.get(f"/events/{event['id']}/guests?limit=2{status}" + (f"&cursor={cursor}" if cursor else ""))
            )
            seen += [g["contact_id"] for g in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(ids), status
    for _ in range(2):
        new_event(world)
    first = ok(world.get("/events?limit=2"))
    second = ok(world.get(f"/events?limit=2&cursor={first['next_cursor']}"))
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    other = world.get(f"/events/{event['id']}/guests?limit=2&status=accepted&cursor={first['next_cursor']}")
    assert other.status_code == 400  # a cursor of another query


def test_forged_guest_cursors_give_400(world: World) -> None:
    """The fingerprint is no secret: a start key DynamoDB would refuse (another index partition, a key attribute
    missing or added, a value no key can hold) is a 400 on the cursor, never a Query that fails."""
    ids = [person(world, f"Invité{n}", emails=[f"invite{n}@exemple.fr"]) for n in range(3)]
    event, other = new_event(world), new_event(world)
    world.invite(event["id"], ids)
    for status in ("", "&status=invited"):
        path = f"/events/{event['id']}/guests?limit=1{status}"
        real = ok(world.get(path))["next_cursor"]
        good = key_of(real)
        assert world.get(f"{path}&cursor={forged(real, good)}").status_code == 200  # control: the forging is right
        hash_name = "status_key" if status else "event_key"
        range_name = "order_key" if status else "invitation_id"
        forgeries = {
            "no table range key": {k: v for k, v in good.items() if k != "invitation_id"},
            "no index range key": {k: v for k, v in good.items() if k != range_name},
            "an added attribute": {**good, "extra": {"S": "x"}},
            "another event": {**good, hash_name: {"S": good[hash_name]["S"].replace(event["id"], other["id"])}},
            "longer index key": {**good, hash_name: {"S": good[hash_name]["S"] + "#x"}},
            "empty range key": {**good, range_name: {"S": ""}},
            "range key too long": {**good, "invitation_id": {"S": "x" * 1100}},
            "lone surrogate": {**good, "invitation_id": {"S": "\ud800"}},
        }
        for case, key in forgeries.items():
            response = world.get(f"{path}&cursor={forged(real, key)}")
            assert error_of(response, 400, "bad_request")["details"][0]["field"] == "cursor", (status, case)
