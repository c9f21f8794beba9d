"""iCalendar (RFC 5545) for one event: the .ics attached to confirmations and served at GET …/event.ics.

Choices, with their RFC sections:
- Times are written in UTC ("…Z", §3.3.5 form #2), so no VTIMEZONE is needed; calendars show them in local time.
- METHOD PUBLISH, or CANCEL with STATUS:CANCELLED when the event is cancelled (RFC 5546 §3.2.1, §3.2.5); the UID
  stays the same and SEQUENCE grows with each change (§3.8.7.4) so calendars replace the earlier copy.
- TEXT values escape backslash, semicolon, comma and newline (§3.3.11); other control characters are dropped.
  URL and ORGANIZER are URIs, not TEXT: they are written as is and refused if they contain a control character
  (a newline there would inject properties).
- Lines end with CRLF and are folded at 75 octets counted in UTF-8, never inside a multi-byte character (§3.1).
- Without ``ends_at`` no DTEND is written: the event then ends when it starts (§3.6.1); nothing is invented.
Pure domain code.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parseaddr

PRODID = "-//Agora//Agora//FR"
MAX_OCTETS = 75  # RFC 5545 §3.1, excluding the CRLF
CRLF = "\r\n"

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CTLs but HTAB (§3.3.11 TSAFE-CHAR / §3.1 param values)
_NEWLINE = re.compile(r"\r\n|\r|\n")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): ``\\`` → ``\\\\``, ``;`` → ``\\;``, ``,`` → ``\\,``, newline → ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _NEWLINE.sub("\\\\n", value))


def fold(line: str) -> str:
    """One content line folded into physical lines of at most 75 octets (RFC 5545 §3.1), joined by CRLF + space.

    The leading space of a continuation line counts in its 75 octets; characters are never split.
    """
    out: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += n
    out.append("".join(current))
    return (CRLF + " ").join(out)


def _utc(dt: datetime, name: str) -> str:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} doit porter un fuseau horaire.")
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uri(value: str, name: str) -> str:
    if not value or _CONTROL.search(value) or "\t" in value or " " in value.strip():
        raise ValueError(f"{name} invalide pour un calendrier.")
    return value.strip()


def _organizer(organiser: str) -> str:
    """ORGANIZER from "adresse@commune.fr" or "Mairie de X <adresse@commune.fr>" (CN quoted, §3.2.2, §3.2)."""
    name, address = parseaddr(organiser)
    if "@" not in address or _CONTROL.search(organiser):
        raise ValueError("Organisateur invalide pour un calendrier : une adresse électronique est attendue.")
    value = _uri(address if address.lower().startswith("mailto:") else f"mailto:{address}", "Organisateur")
    cn = _CONTROL.sub("", name).replace('"', "").strip()
    return f'ORGANIZER;CN="{cn}":{value}' if cn else f"ORGANIZER:{value}"


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
    if not uid or _CONTROL.search(uid):
        raise ValueError("Identifiant de calendrier (UID) invalide.")
    if not isinstance(sequence, int) or sequence < 0:
        raise ValueError("Le numéro de révision (SEQUENCE) doit être un entier positif ou nul.")
    start = _utc(starts_at, "Le début de l'événement")
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"DTSTAMP:{_utc(stamp, 'La date de production')}",
        f"DTSTART:{start}",
    ]
    if ends_at is not None:
        end = _utc(ends_at, "La fin de l'événement")
        if ends_at <= starts_at:
            raise ValueError("La fin de l'événement doit être postérieure à son début.")
        lines.append(f"DTEND:{end}")
    lines.append(f"SUMMARY:{escape_text(title)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{_uri(url, 'Adresse web')}")
    if organiser:
        lines.append(_organizer(organiser))
    lines += [
        f"SEQUENCE:{sequence}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
