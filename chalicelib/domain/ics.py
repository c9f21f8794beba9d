"""iCalendar (RFC 5545) for one event: the .ics attached to confirmations and served at GET …/event.ics.

The file is written by the `icalendar` library (escaping, parameter quoting, CRLF, folding); this module decides
what goes in, and refuses what would make the file wrong. Choices, with their RFC sections:
- Times are written in UTC ("…Z", §3.3.5 form #2), so no VTIMEZONE is needed; calendars show them in local time.
- METHOD PUBLISH, or CANCEL with STATUS:CANCELLED when the event is cancelled (RFC 5546 §3.2.1, §3.2.5); the UID
  stays the same and SEQUENCE grows with each change (§3.8.7.4) so calendars replace the earlier copy.
- TEXT values: icalendar escapes backslash, semicolon, comma and newline (§3.3.11); it lets other control characters
  through, which §3.3.11 forbids, so they are dropped here first. URL and ORGANIZER are URIs, not TEXT: they are
  written as is and refused if they contain a control character (a newline there would inject properties).
- Lines end with CRLF and are folded at 75 octets counted in UTF-8, never inside a multi-byte character (§3.1).
- Without ``ends_at`` no DTEND is written: the event then ends when it starts (§3.6.1); nothing is invented.
Pure domain code; icalendar is imported when a file is built, never by a cold start that writes none.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icalendar import vCalAddress

PRODID = "-//Agora//Agora//FR"

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CTLs but HTAB (§3.3.11 TSAFE-CHAR / §3.1 param values)
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _text(value: str) -> str:
    """A TEXT value as icalendar should escape it: any line break made one LF (written ``\\n``), other controls
    dropped (§3.3.11 allows none; icalendar would write them raw)."""
    return _CONTROL_BUT_NEWLINE.sub("", _NEWLINE.sub("\n", value))


def _utc(dt: datetime, name: str) -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} doit porter un fuseau horaire.")
    return dt.astimezone(UTC).replace(microsecond=0)


def _uri(value: str, name: str) -> str:
    if not value or _CONTROL.search(value) or "\t" in value or " " in value.strip():
        raise ValueError(f"{name} invalide pour un calendrier.")
    return value.strip()


def _organizer(organiser: str) -> vCalAddress:
    """ORGANIZER from "adresse@commune.fr" or "Mairie de X <adresse@commune.fr>" (CN quoted, §3.2.2, §3.2)."""
    from icalendar import vCalAddress, vText

    name, address = parseaddr(organiser)
    if "@" not in address or _CONTROL.search(organiser):
        raise ValueError("Organisateur invalide pour un calendrier : une adresse électronique est attendue.")
    value = vCalAddress(_uri(address if address.lower().startswith("mailto:") else f"mailto:{address}", "Organisateur"))
    cn = _CONTROL.sub("", name).replace('"', "").strip()
    if cn:
        value.params["CN"] = vText(cn)
    return value


def event_ics(
    *,
    uid: str,
    title: str,
    description: str | None,
    starts_at: datetime,
    ends_at: datetime | None,
    location: str | None,
    url: str | None,
    sequence: int,
    cancelled: bool,
    stamp: datetime,
    organiser: str | None = None,
) -> str:
    """A VCALENDAR with one VEVENT, CRLF line endings, ready to attach (text/calendar; charset=UTF-8).

    ``stamp`` is when this copy is produced (DTSTAMP); ``sequence`` is the event's revision number (≥ 0). ValueError
    (French) for a naive time, an end not after the start, a negative sequence or a URI with a control character.
    """
    from icalendar import Calendar, Event, vUri

    if not uid or _CONTROL.search(uid):
        raise ValueError("Identifiant de calendrier (UID) invalide.")
    if not isinstance(sequence, int) or sequence < 0:
        raise ValueError("Le numéro de révision (SEQUENCE) doit être un entier positif ou nul.")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp, "La date de production"))
    event.add("dtstart", _utc(starts_at, "Le début de l'événement"))
    if ends_at is not None:
        end = _utc(ends_at, "La fin de l'événement")
        if ends_at <= starts_at:
            raise ValueError("La fin de l'événement doit être postérieure à son début.")
        event.add("dtend", end)
    event.add("summary", _text(title))
    if description:
        event.add("description", _text(description))
    if location:
        event.add("location", _text(location))
    if url:
        event.add("url", vUri(_uri(url, "Adresse web")))
    if organiser:
        event.add("organizer", _organizer(organiser))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    # sorted=False keeps the order written above (PRODID first, as before); icalendar sorts by name otherwise.
    written: bytes = calendar.to_ical(sorted=False)
    return written.decode("utf-8")
