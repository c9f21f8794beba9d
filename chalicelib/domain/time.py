"""Instants and the tenant's time zone: stored in UTC, shown and typed in the tenant's zone.

A commune of La Réunion or Guyane lives at UTC+4 or UTC−3: its events, reminders, letters' dates and the day an
electoral window opens are its own wall clock, not Paris's. `/settings` `timezone` (an IANA name, Europe/Paris by
default) names the zone; a name that is not one falls back to Paris. Pure domain code.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Paris"
PARIS = ZoneInfo(DEFAULT_ZONE)

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?")
# How a zone is named in a message to users (« à Paris », « à La Réunion »); other zones by their IANA name.
ZONE_LABELS = {
    "Europe/Paris": "Paris",
    "Indian/Reunion": "La Réunion",
    "Indian/Mayotte": "Mayotte",
    "America/Cayenne": "Guyane",
    "America/Guadeloupe": "Guadeloupe",
    "America/Martinique": "Martinique",
    "America/Miquelon": "Saint-Pierre-et-Miquelon",
    "Pacific/Noumea": "Nouméa",
    "Pacific/Tahiti": "Tahiti",
}


@cache
def zone(name: str | None) -> ZoneInfo:
    """The zone of an IANA name; Paris for None or an unknown name (settings validate it on the way in)."""
    try:
        return ZoneInfo(name) if name else PARIS
    except (ZoneInfoNotFoundError, ValueError):
        return PARIS


def _aware(dt: datetime, name: str) -> None:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} doit porter un fuseau horaire.")


def local(dt: datetime, zone_name: str | None = None) -> datetime:
    """``dt`` (timezone-aware) on the tenant's wall clock."""
    _aware(dt, "La date")
    return dt.astimezone(zone(zone_name))


def paris(dt: datetime) -> datetime:
    """``dt`` on Paris time: the default zone."""
    return local(dt, DEFAULT_ZONE)


def now() -> datetime:
    """The current instant: the one clock the date rules read (tests set it)."""
    return datetime.now(UTC)


def today(zone_name: str | None = None, at: datetime | None = None) -> date:
    """The tenant's date now: a letter written at 23:30 UTC in La Réunion is dated the next day."""
    return local(at or now(), zone_name).date()


@overload
def utc_text(moment: datetime) -> str: ...
@overload
def utc_text(moment: None) -> None: ...
@overload
def utc_text(moment: datetime | None) -> str | None: ...
def utc_text(moment: datetime | None) -> str | None:
    """How instants are stored: UTC ISO 8601 with "Z" (DESIGN: stored in UTC), so text order is time order."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


@overload
def instant(text: str) -> datetime: ...
@overload
def instant(text: None) -> None: ...
@overload
def instant(text: str | None) -> datetime | None: ...
def instant(text: str | None) -> datetime | None:
    """A stored instant (utc_text) back as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def parse_instant(text: str, zone_name: str | None = None) -> datetime:
    """An instant from ISO 8601 text, as an aware UTC datetime.

    With an offset or "Z", that offset is used. Without one it is a wall-clock time of the tenant's zone (Paris by
    default): a time in a spring gap (e.g. 02:30 on the last Sunday of March in Paris) does not exist and is
    refused; an autumn time that occurs twice is the first occurrence (fold=0).
    """
    if not isinstance(text, str) or not _INSTANT.fullmatch(text.strip()):
        raise ValueError("Date et heure invalides : format ISO 8601 attendu (ex. 2027-01-15T18:30:00+01:00).")
    where = zone(zone_name)
    try:
        value = datetime.fromisoformat(text.strip().replace(",", "."))
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        utc = value.replace(tzinfo=where, fold=0).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(
            f"Date et heure invalides : « {text.strip()[:40]} » (ex. 2027-01-15T18:30:00+01:00)."
        ) from None
    if utc.astimezone(where).replace(tzinfo=None) != value:
        label = ZONE_LABELS.get(where.key, where.key)
        raise ValueError(
            f"L'heure {value:%H:%M} du {value:%d/%m/%Y} n'existe pas à {label} (passage à l'heure d'été) : "
            "choisissez une autre heure."
        )
    return utc
