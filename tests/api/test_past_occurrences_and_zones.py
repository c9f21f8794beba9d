"""Earlier occurrences recorded after the fact, and the tenant's own time zone.

A commune starting on Agora records last year's vœux (status closed, a past date, its figures) so that the L52-1
criteria can compare with them (Code électoral L52-1 al. 2: antériorité, identité); nothing is ever sent for such a
record. An overseas commune types and reads its own wall clock (/settings `timezone`): events, reminders, letters'
dates and the day an electoral window opens are its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain import time as clock
from tests.api.test_events_api import ACK, new_event, person
from tests.api.test_letters_api import ADDRESS, download, drain, flat
from tests.api.test_reminders_job import run_job
from tests.support.responses import ok
from tests.support.world import World


def record_past(world: World, year: int, **fields: Any) -> dict[str, Any]:
    body = {
        "title": f"Vœux du maire {year}",
        "kind": "voeux",
        "series": "Vœux du maire",
        "starts_at": f"{year}-01-10T18:30:00",
        "status": "closed",
        "capacity": 100,
        "budget_cents": 300_000,
        "invited_count": 120,
        "attendance": 90,
        **fields,
    }
    return ok(world.post("/events", body), 201)


def test_l52_1_an_earlier_occurrence_is_recorded_with_its_figures(world: World) -> None:
    past = record_past(world, 2025)
    assert past["past_occurrence"] is True and past["status"] == "closed"
    assert past["invited_count"] == 120 and past["attendance"] == 90
    assert past["reminders"] == []  # no relance, rappel or closing rule
    assert past["starts_at"] == "2025-01-10T18:30:00+01:00"
    # Its figures can be corrected; it stays in the past and closed.
    fixed = ok(world.patch(f"/events/{past['id']}", {"version": past["version"], "attendance": 95}))
    assert fixed["attendance"] == 95
    reopened = world.patch(f"/events/{past['id']}", {"version": fixed["version"], "status": "open"})
    assert reopened.status_code == 409
    moved = world.patch(f"/events/{past['id']}", {"version": fixed["version"], "starts_at": "2031-01-10T18:30:00"})
    assert moved.status_code == 422 and moved.json_body["error"]["details"][0]["field"] == "starts_at"
    assert ok(world.get(f"/events/{past['id']}"))["status"] == "closed"


def test_nothing_can_be_sent_for_an_earlier_occurrence(world: World) -> None:
    past = record_past(world, 2025)
    guest = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    invited = world.post(f"/events/{past['id']}/invitations", {"contact_ids": [guest], "channel": "email"})
    assert invited.status_code == 409
    assert world.post(f"/events/{past['id']}/invitations/send", ACK).status_code == 409
    assert run_job(world)["rules"] == 0  # no rule item was written for it
    assert ok(world.get(f"/events/{past['id']}/guests"))["items"] == []


def test_only_a_past_closed_event_carries_past_figures(world: World) -> None:
    for body in (
        {"starts_at": "2031-01-10T18:30:00", "status": "closed", "invited_count": 10},  # closed but to come
        {"starts_at": "2031-01-10T18:30:00", "attendance": 10},
    ):
        response = world.post("/events", {"title": "Vœux", "kind": "voeux", **body})
        assert response.status_code == 422, body
        assert response.json_body["error"]["details"][0]["field"] in ("invited_count", "attendance")
    # A past date is refused for anything but the record of an earlier occurrence, as before.
    response = world.post("/events", {"title": "Vœux", "kind": "voeux", "starts_at": "2025-01-10T18:30:00"})
    assert response.status_code == 422 and response.json_body["error"]["details"][0]["field"] == "starts_at"
    event = new_event(world)
    response = world.patch(f"/events/{event['id']}", {"version": event["version"], "attendance": 3})
    assert response.status_code == 422


def test_l52_1_identite_compares_with_the_recorded_figures(world: World) -> None:
    """Antériorité from occurrences held before the window opened (2026-10-01 for the 2027 presidential
    election); identité: a room twice the size of earlier ones is an amplification (× 1.3 by default)."""
    for year in (2024, 2025, 2026):
        record_past(world, year)
    bigger = new_event(world, starts_at="2027-01-09T18:30:00", capacity=250, budget_cents=310_000, status="draft")
    report = ok(world.get(f"/events/{bigger['id']}/compliance"))
    levels = {f["rule"]: f["level"] for f in report["findings"]}
    assert levels["anteriorite"] == "ok", report
    assert levels["identite"] == "warning", report
    identite = next(f for f in report["findings"] if f["rule"] == "identite")
    assert "jauge" in identite["message"]
    same = new_event(world, starts_at="2027-01-09T18:30:00", capacity=100, budget_cents=300_000, status="draft")
    report = ok(world.get(f"/events/{same['id']}/compliance"))
    assert {f["rule"]: f["level"] for f in report["findings"]}["identite"] == "ok", report


# --- the tenant's time zone -------------------------------------------------------------------------------------


def set_zone(world: World, zone: str, **extra: Any) -> None:
    settings = ok(world.get("/settings"))
    ok(world.patch("/settings", {"version": settings["version"], "timezone": zone, **extra}))


def test_event_times_are_typed_and_shown_on_the_tenants_clock(world: World) -> None:
    set_zone(world, "Indian/Reunion")
    event = new_event(world, starts_at="2027-03-10T18:30:00", rsvp_deadline="2027-03-05T12:00:00")
    assert event["starts_at"] == "2027-03-10T18:30:00+04:00"
    assert event["rsvp_deadline"] == "2027-03-05T12:00:00+04:00"
    rappel = next(r for r in event["reminders"] if r["kind"] == "rappel")
    assert rappel["due_at"].endswith("18:30:00+04:00")  # the day before at the same wall-clock time
    listed = next(e for e in ok(world.get("/events"))["items"] if e["id"] == event["id"])
    assert listed["starts_at"] == event["starts_at"]
    guest = person(world, "Payet", emails=["marie.payet@exemple.re"])
    world.invite(event["id"], [guest])
    preview = ok(world.get(f"/events/{event['id']}/invitations/preview?contact_id={guest}"))
    assert "mercredi 10 mars 2027 à 18 h 30" in preview["text"]
    # An offset typed explicitly is kept as given, and shown on the tenant's clock.
    moved = ok(
        world.patch(f"/events/{event['id']}", {"version": event["version"], "starts_at": "2027-03-10T15:30:00+01:00"})
    )
    assert moved["starts_at"] == "2027-03-10T18:30:00+04:00"


def test_a_time_that_does_not_exist_on_the_tenants_clock_is_refused(world: World) -> None:
    # 02:30 on 28 March 2027 does not exist in Paris (summer time), and exists in La Réunion (no DST).
    gap = {"title": "Marché de nuit", "kind": "autre", "starts_at": "2027-03-28T02:30:00"}
    refused = world.post("/events", gap)
    assert refused.status_code == 422
    assert "n'existe pas à Paris" in refused.json_body["error"]["details"][0]["message"]
    set_zone(world, "Indian/Reunion")
    assert ok(world.post("/events", gap), 201)["starts_at"] == "2027-03-28T02:30:00+04:00"


@pytest.fixture
def late_on_30_september(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """21:30 UTC on 30 September 2026: 23:30 in Paris, already 1 October (01:30) in La Réunion."""
    moment = datetime(2026, 9, 30, 21, 30, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def test_l52_1_a_window_opens_on_the_tenants_day(world: World, late_on_30_september: datetime) -> None:
    """The 2027 presidential window opens on 1 October 2026 (L52-1: six months before the first round's month)."""
    paris = {w["election_id"]: w for w in ok(world.get("/elections/windows"))["items"]}
    assert paris["presidentielle-2027"]["active"] is False
    set_zone(world, "Indian/Reunion", departement="974")
    reunion = {w["election_id"]: w for w in ok(world.get("/elections/windows"))["items"]}
    assert reunion["presidentielle-2027"]["active"] is True


def test_a_letter_is_dated_on_the_tenants_day(world: World, late_on_30_september: datetime) -> None:
    set_zone(world, "Indian/Reunion", name="Saint-Denis")
    contact = person(world, "Payet", address=ADDRESS)
    job = ok(world.post("/letters", {"contact_ids": [contact], "body": "Bonjour.", "subject": "Objet"}), 202)
    drain(world)
    done = ok(world.get(f"/letters/{job['id']}"))
    text = flat(download(done["pdf_url"]).pages[0].extract_text())
    assert "le 1er octobre 2026" in text, text
