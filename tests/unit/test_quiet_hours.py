"""SMS sending hours: Monday–Friday 10:00–13:00 and 14:00–20:00 in the tenant's zone, never on a public holiday of its
territory (default by analogy with Code de la consommation art. D223-9; Alsace-Moselle days: Code du travail art.
L3134-13; overseas abolition days: loi n° 83-550 and décret n° 83-1003)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.quiet_hours import (
    DEFAULT_WINDOWS,
    SendingHours,
    Window,
    allowed,
    is_public_holiday,
    next_allowed,
    sending_hours,
    subdivision_of,
    window_problems,
    windows_from_doc,
)

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
ROUEN = SendingHours(subdivision=subdivision_of("76"))
METZ = SendingHours(subdivision=subdivision_of("57"))
STRASBOURG = SendingHours(subdivision=subdivision_of("67"))


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        pytest.param(paris(2026, 3, 10, 9, 59), False, id="tuesday-09h59"),
        pytest.param(paris(2026, 3, 10, 10, 0), True, id="tuesday-10h00"),
        pytest.param(paris(2026, 3, 10, 12, 59), True, id="tuesday-12h59"),
        pytest.param(paris(2026, 3, 10, 13, 0), False, id="tuesday-13h00-lunch"),
        pytest.param(paris(2026, 3, 10, 14, 0), True, id="tuesday-14h00"),
        pytest.param(paris(2026, 3, 10, 19, 59), True, id="tuesday-19h59"),
        pytest.param(paris(2026, 3, 10, 20, 0), False, id="tuesday-20h00"),
        pytest.param(paris(2026, 3, 14, 11, 0), False, id="saturday"),
        pytest.param(paris(2026, 3, 15, 11, 0), False, id="sunday"),
        pytest.param(paris(2026, 7, 14, 11, 0), False, id="tuesday-14-july"),
        pytest.param(datetime(2026, 3, 10, 9, 30, tzinfo=UTC), True, id="utc-instant-read-in-paris"),
    ],
)
def test_default_hours(instant: datetime, expected: bool) -> None:
    assert allowed(instant, ROUEN) is expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        pytest.param(paris(2026, 3, 10, 11, 0), paris(2026, 3, 10, 11, 0), id="inside-is-now"),
        pytest.param(paris(2026, 3, 10, 8, 0), paris(2026, 3, 10, 10, 0), id="morning"),
        pytest.param(paris(2026, 3, 10, 13, 30), paris(2026, 3, 10, 14, 0), id="lunch"),
        pytest.param(paris(2026, 3, 10, 21, 0), paris(2026, 3, 11, 10, 0), id="evening"),
        pytest.param(paris(2026, 3, 13, 20, 0), paris(2026, 3, 16, 10, 0), id="friday-evening-to-monday"),
        pytest.param(paris(2026, 7, 13, 20, 30), paris(2026, 7, 15, 10, 0), id="over-14-july"),
    ],
)
def test_next_allowed(instant: datetime, expected: datetime) -> None:
    assert next_allowed(instant, ROUEN) == expected


def test_christmas_weekend_differs_between_rouen_and_metz() -> None:
    """Thursday 25 December 2025: Rouen sends on Friday 26; Moselle keeps 26 December, then the weekend."""
    christmas = paris(2025, 12, 25, 11, 0)
    assert next_allowed(christmas, ROUEN) == paris(2025, 12, 26, 10, 0)
    assert next_allowed(christmas, METZ) == paris(2025, 12, 29, 10, 0)
    assert next_allowed(christmas, STRASBOURG) == paris(2025, 12, 29, 10, 0)


def test_good_friday_only_in_alsace_moselle() -> None:
    thursday_evening = paris(2026, 4, 2, 20, 15)  # then Good Friday, the weekend, Easter Monday
    assert next_allowed(thursday_evening, ROUEN) == paris(2026, 4, 3, 10, 0)
    assert next_allowed(thursday_evening, METZ) == paris(2026, 4, 7, 10, 0)


def test_reunion_in_its_own_zone_and_calendar() -> None:
    """Friday 20 December 2024 is the abolition day in La Réunion (décret n° 83-1003), not in Rouen."""
    hours = sending_hours({"departement": "974", "timezone": "Indian/Reunion"})
    friday = datetime(2024, 12, 20, 6, 0, tzinfo=UTC)  # 10:00 in Saint-Denis, 07:00 in Paris
    assert not allowed(friday, hours)
    assert next_allowed(friday, hours) == datetime(2024, 12, 23, 6, 0, tzinfo=UTC)  # Monday 10:00 +04:00
    assert next_allowed(friday, ROUEN) == datetime(2024, 12, 20, 9, 0, tzinfo=UTC)  # 10:00 +01:00
    assert next_allowed(friday, hours).astimezone(REUNION).time() == time(10)


def test_daylight_saving_change_keeps_wall_clock_hours() -> None:
    """Friday 27 March 2026 after 20:00 (+01:00) waits until Monday 30 10:00, which is +02:00: 08:00 UTC."""
    friday_evening = datetime(2026, 3, 27, 19, 30, tzinfo=UTC)  # 20:30 in Paris
    monday = next_allowed(friday_evening, ROUEN)
    assert monday == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert monday.tzinfo is UTC
    autumn = next_allowed(datetime(2026, 10, 23, 18, 30, tzinfo=UTC), ROUEN)  # Friday 20:30 +02:00
    assert autumn == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # Monday 10:00 +01:00


def test_a_window_starting_in_the_skipped_hour_opens_after_the_jump() -> None:
    """Sunday 29 March 2026 02:00 → 03:00 in Paris: 02:30 never shows on the clock; the window opens at 03:30."""
    hours = SendingHours(windows={6: (Window(time(2, 30), time(4, 0)),)})
    opened = next_allowed(paris(2026, 3, 28, 23, 0), hours)
    assert opened == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert allowed(opened, hours)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError):
        allowed(datetime(2026, 3, 10, 11, 0), ROUEN)


@pytest.mark.parametrize(
    ("departement", "subdivision"),
    [
        ("57", "57"),
        ("67", "6AE"),
        ("68", "6AE"),
        ("971", "971"),
        ("972", "972"),
        ("973", "973"),
        ("974", "974"),
        ("976", "976"),
        ("76", None),
        ("2A", None),
        (None, None),
    ],
)
def test_subdivisions(departement: str | None, subdivision: str | None) -> None:
    assert subdivision_of(departement) == subdivision


@pytest.mark.parametrize(
    ("day", "subdivision", "holiday"),
    [
        pytest.param(date(2026, 5, 22), "972", True, id="martinique-22-may"),
        pytest.param(date(2026, 5, 22), None, False, id="metropole-22-may"),
        pytest.param(date(2026, 5, 27), "971", True, id="guadeloupe-27-may"),
        pytest.param(date(2026, 6, 10), "973", True, id="guyane-10-june"),
        pytest.param(date(2026, 5, 25), None, True, id="pentecost-monday"),
        pytest.param(date(2026, 11, 11), None, True, id="armistice"),
    ],
)
def test_overseas_and_national_days(day: date, subdivision: str | None, holiday: bool) -> None:
    assert is_public_holiday(day, subdivision) is holiday


def test_subdivision_from_the_commune_when_no_departement() -> None:
    assert sending_hours({"commune_insee": "57463"}).subdivision == "57"  # Metz
    assert sending_hours({"commune_insee": "67482"}).subdivision == "6AE"  # Strasbourg
    assert sending_hours({"commune_insee": "76540"}).subdivision is None  # Rouen
    assert sending_hours({}).windows == DEFAULT_WINDOWS


def test_tenant_windows_from_settings() -> None:
    hours = sending_hours(
        {"departement": "76", "sms_hours": {"saturday": [{"start": "09:00", "end": "12:00"}]}, "timezone": "UTC"}
    )
    assert hours.windows == {5: (Window(time(9), time(12)),)}
    assert hours.timezone == "UTC"
    assert next_allowed(datetime(2026, 3, 10, 11, 0, tzinfo=UTC), hours) == datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def test_end_of_day() -> None:
    windows = windows_from_doc({"monday": [{"start": "18:00", "end": "24:00"}]})
    hours = SendingHours(windows=windows)
    assert allowed(paris(2026, 3, 9, 23, 59), hours)


@pytest.mark.parametrize("value", ["9:00", "25:00", "10h00", "10:60", "", "24:01"])
def test_malformed_times(value: str) -> None:
    with pytest.raises(ValueError):
        windows_from_doc({"monday": [{"start": value, "end": "23:00"}]})


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (
            {"monday": [{"start": "13:00", "end": "10:00"}]},
            ("monday[0]", "L'heure de fin doit suivre l'heure de début."),
        ),
        (
            {"monday": [{"start": "10:00", "end": "10:00"}]},
            ("monday[0]", "L'heure de fin doit suivre l'heure de début."),
        ),
        (
            {"friday": [{"start": "10:00", "end": "13:00"}, {"start": "12:00", "end": "14:00"}]},
            ("friday", "Des plages se chevauchent."),
        ),
        ({"friday": []}, ("", "Au moins une plage horaire dans la semaine est nécessaire.")),
        ({}, ("", "Au moins une plage horaire dans la semaine est nécessaire.")),
        (
            {"monday": [{"start": f"0{h}:00", "end": f"0{h}:30"} for h in range(5)]},
            ("monday", "4 plages au plus par jour."),
        ),
    ],
)
def test_window_problems(doc: dict[str, list[dict[str, str]]], problem: tuple[str, str]) -> None:
    assert problem in window_problems(windows_from_doc(doc))
    with pytest.raises(ValueError):
        SendingHours(windows=windows_from_doc(doc))


def test_default_windows_are_sound() -> None:
    assert window_problems(DEFAULT_WINDOWS) == []
