"""When an SMS may be sent: weekday windows in the tenant's time zone, never on a public holiday of its territory.

No statute sets hours for political or institutional SMS. The default applies by analogy the hours the Code de la
consommation sets for telephone canvassing, art. D223-9 (décret n° 2022-1313 du 13 octobre 2022): Monday to Friday,
10:00–13:00 and 14:00–20:00, never on a public holiday. A tenant may set its own windows (`windows_from_doc`).

Public holidays come from the `holidays` package's France calendar with the territory's subdivision: Alsace and
Moselle keep Good Friday and 26 December (local law, Code du travail art. L3134-13), and each overseas département
the day of the abolition of slavery (loi n° 83-550 du 30 juin 1983, décret n° 83-1003 du 23 novembre 1983) and
its own days. The package names them: "57" (Moselle), "6AE" (Bas-Rhin and Haut-Rhin), "971"–"974", "976".
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from chalicelib.domain.electoral.calendar import departement_of_commune

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_WINDOWS_PER_DAY: Final = 4
# Holidays never fill a year: a search that finds no window in this many days has none to find.
_HORIZON_DAYS: Final = 400


@dataclass(frozen=True, order=True)
class Window:
    """A span of one day, [start, end) in wall-clock time of the tenant's zone."""

    start: time
    end: time


Windows = Mapping[int, Sequence[Window]]  # weekday (0 = Monday) → its windows, ordered, not overlapping

DEFAULT_WINDOWS: Final[Windows] = {
    day: (Window(time(10), time(13)), Window(time(14), time(20))) for day in range(5)
}  # Code de la consommation art. D223-9, applied by analogy


# Département (COG code) → the `holidays` package's France subdivision, where it has days of its own.
SUBDIVISIONS: Final = {
    "57": "57",  # Moselle: Good Friday, Saint-Étienne (26 December)
    "67": "6AE",  # Bas-Rhin: the same, as "Alsace"
    "68": "6AE",  # Haut-Rhin
    "971": "971",  # Guadeloupe
    "972": "972",  # Martinique
    "973": "973",  # Guyane
    "974": "974",  # La Réunion
    "976": "976",  # Mayotte
}


def subdivision_of(departement: str | None) -> str | None:
    """The holiday subdivision of a département (COG code), None for the national calendar alone."""
    return SUBDIVISIONS.get(departement or "")


@dataclass(frozen=True)
class SendingHours:
    """A tenant's rules: its zone, its holiday subdivision (None: national days only) and its windows."""

    timezone: str = "Europe/Paris"
    subdivision: str | None = None
    windows: Windows = field(default_factory=lambda: DEFAULT_WINDOWS)

    def __post_init__(self) -> None:
        problems = window_problems(self.windows)
        if problems:
            raise ValueError("; ".join(f"{where}: {what}" for where, what in problems))


@functools.lru_cache(maxsize=64)
def _holidays(subdivision: str | None, year: int) -> frozenset[date]:
    # Imported here: only a send reads holidays, so the package's 250 country modules stay out of every other
    # cold start (settings validation, previews).
    import holidays

    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=year).keys())


def is_public_holiday(day: date, subdivision: str | None) -> bool:
    return day in _holidays(subdivision, day.year)


def _local(instant: datetime, hours: SendingHours) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("an aware datetime is needed: a naive one names no instant")
    return instant.astimezone(ZoneInfo(hours.timezone))


def allowed(instant: datetime, hours: SendingHours) -> bool:
    """Whether an SMS may leave at this instant: inside a window of its local weekday, not on a public holiday."""
    local = _local(instant, hours)
    if is_public_holiday(local.date(), hours.subdivision):
        return False
    now = local.time().replace(tzinfo=None)
    return any(w.start <= now < w.end for w in hours.windows.get(local.weekday(), ()))


def next_allowed(instant: datetime, hours: SendingHours) -> datetime:
    """`instant` itself when allowed, else the start of the next window (in `instant`'s zone): a campaign started
    outside the hours waits until then. A window start that the clock skips (a change to summer time) is read as
    the wall time after the jump and kept only if still inside its window."""
    if allowed(instant, hours):
        return instant
    zone = ZoneInfo(hours.timezone)
    local = _local(instant, hours)
    for offset in range(_HORIZON_DAYS):
        day = local.date() + timedelta(days=offset)
        if is_public_holiday(day, hours.subdivision):
            continue
        for window in sorted(hours.windows.get(day.weekday(), ())):
            start = datetime.combine(day, window.start, tzinfo=zone)
            start = start.astimezone(ZoneInfo("UTC")).astimezone(zone)  # a skipped wall time moves past the gap
            if start > local and allowed(start, hours):
                return start.astimezone(instant.tzinfo)
    raise ValueError("no sending window in the coming year: the rules allow no time at all")


def window_problems(windows: Windows) -> list[tuple[str, str]]:
    """(where, what) for each rule a tenant's windows break, in French for the settings' 422; [] when sound."""
    problems: list[tuple[str, str]] = []
    for day, spans in sorted(windows.items()):
        if day not in range(7):
            problems.append((str(day), "Jour inconnu."))
            continue
        name = WEEKDAYS[day]
        if len(spans) > MAX_WINDOWS_PER_DAY:
            problems.append((name, f"{MAX_WINDOWS_PER_DAY} plages au plus par jour."))
        for index, window in enumerate(spans):
            if window.start >= window.end:
                problems.append((f"{name}[{index}]", "L'heure de fin doit suivre l'heure de début."))
        ordered = sorted(spans)
        for before, after in itertools.pairwise(ordered):
            if after.start < before.end:
                problems.append((name, "Des plages se chevauchent."))
                break
    if not problems and not any(windows.values()):
        problems.append(("", "Au moins une plage horaire dans la semaine est nécessaire."))
    return problems


def windows_from_doc(doc: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[int, tuple[Window, ...]]:
    """The windows of a settings document ({"monday": [{"start": "10:00", "end": "13:00"}], …}; a day left out has
    none). ValueError on a malformed time; `window_problems` judges the rest."""
    windows: dict[int, tuple[Window, ...]] = {}
    for name, spans in doc.items():
        if name not in WEEKDAYS:
            raise ValueError(f"unknown day {name!r}")
        windows[WEEKDAYS.index(name)] = tuple(
            sorted(Window(_clock(span["start"]), _clock(span["end"])) for span in spans)
        )
    return windows


def _clock(value: str) -> time:
    """Parse « HH:MM » (00:00–23:59), or « 24:00 » for the end of the day."""
    if value == "24:00":
        return time.max
    hour, sep, minute = value.partition(":")
    if not (sep and len(hour) == 2 and len(minute) == 2 and hour.isdigit() and minute.isdigit()):
        raise ValueError(f"not a time HH:MM: {value!r}")
    return time(int(hour), int(minute))


def sending_hours(settings: Mapping[str, Any]) -> SendingHours:
    """A tenant's rules from its settings: zone, département (given, or read from its commune's code), windows
    (`sms_hours`, the default when absent or null)."""
    departement = settings.get("departement") or departement_of_commune(settings.get("commune_insee"))
    doc = settings.get("sms_hours")
    return SendingHours(
        timezone=settings.get("timezone") or "Europe/Paris",
        subdivision=subdivision_of(departement),
        windows=windows_from_doc(doc) if doc is not None else DEFAULT_WINDOWS,
    )
