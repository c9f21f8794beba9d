"""The tenant's SMS settings: sender ID, price per segment, sending hours; a bad window is a 422 naming it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.quiet_hours import DEFAULT_WINDOWS, sending_hours
from chalicelib.services import tenancy
from tests.support.responses import error_of, ok
from tests.support.world import World

SATURDAY_MORNING = {"saturday": [{"start": "09:00", "end": "12:00"}]}


def test_sms_settings_round_trip_and_feed_the_sending_hours(world: World) -> None:
    settings = ok(world.get("/settings"))
    assert (settings.get("sms_sender_id"), settings.get("sms_hours")) == (None, None)
    assert sending_hours(settings).windows == DEFAULT_WINDOWS
    body = {
        "version": 1,
        "sms_sender_id": "MairieRouen",
        "sms_price_cents_per_segment": 6.5,
        "sms_hours": {**SATURDAY_MORNING, "friday": [{"start": "14:00", "end": "24:00"}]},
    }
    patched = ok(world.patch("/settings", body))
    assert (patched["sms_sender_id"], patched["sms_price_cents_per_segment"]) == ("MairieRouen", 6.5)
    assert patched["sms_hours"]["saturday"] == [{"start": "09:00", "end": "12:00"}]
    assert patched["sms_hours"]["monday"] == []
    stored = tenancy.get_settings(world.principal()).data  # what a send will read
    hours = sending_hours(stored)
    assert sorted(d for d, spans in hours.windows.items() if spans) == [4, 5]
    assert hours.subdivision is None  # Seine-Maritime: national days only
    reset = ok(world.patch("/settings", {"version": 2, "sms_hours": None}))
    assert reset["sms_hours"] is None
    assert sending_hours(tenancy.get_settings(world.principal()).data).windows == DEFAULT_WINDOWS


# (case, change, field reported)
INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("sender-too-long", {"sms_sender_id": "MairieDeRouen"}, "sms_sender_id"),
    ("message-type-unknown", {"sms_message_type": "Urgent"}, "sms_message_type"),
    ("sender-too-short", {"sms_sender_id": "MR"}, "sms_sender_id"),
    ("sender-digits-only", {"sms_sender_id": "76540"}, "sms_sender_id"),
    ("sender-space", {"sms_sender_id": "Mairie 76"}, "sms_sender_id"),
    ("sender-accent", {"sms_sender_id": "Mairié"}, "sms_sender_id"),
    ("price-negative", {"sms_price_cents_per_segment": -1}, "sms_price_cents_per_segment"),
    ("price-text", {"sms_price_cents_per_segment": "cheap"}, "sms_price_cents_per_segment"),
    ("hours-unknown-day", {"sms_hours": {"lundi": []}}, "sms_hours.lundi"),
    ("hours-bad-time", {"sms_hours": {"monday": [{"start": "9:00", "end": "12:00"}]}}, "sms_hours.monday[0].start"),
    ("hours-25h", {"sms_hours": {"monday": [{"start": "09:00", "end": "25:00"}]}}, "sms_hours.monday[0].end"),
    (
        "hours-end-before-start",
        {"sms_hours": {"monday": [{"start": "10:00", "end": "09:00"}]}},
        "sms_hours.monday[0]",
    ),
    (
        "hours-overlap",
        {"sms_hours": {"monday": [{"start": "10:00", "end": "13:00"}, {"start": "12:00", "end": "14:00"}]}},
        "sms_hours.monday",
    ),
    ("hours-none-in-the-week", {"sms_hours": {"monday": []}}, "sms_hours"),
    (
        "hours-five-a-day",
        {"sms_hours": {"monday": [{"start": f"0{h}:00", "end": f"0{h}:30"} for h in range(5)]}},
        "sms_hours.monday",
    ),
    ("hours-not-a-list", {"sms_hours": {"monday": "10:00-12:00"}}, "sms_hours.monday"),
]


@pytest.mark.parametrize(("change", "field"), [(c, f) for _, c, f in INVALID], ids=[i for i, _, _ in INVALID])
def test_invalid_sms_settings(world: World, change: dict[str, Any], field: str) -> None:
    error = error_of(world.patch("/settings", {"version": 1, **change}), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert all(d["message"] for d in error["details"])
    settings = ok(world.get("/settings"))
    assert settings["version"] == 1 and settings.get("sms_hours") is None and settings.get("sms_sender_id") is None
