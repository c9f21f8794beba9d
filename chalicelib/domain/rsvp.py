"""A guest's answer through their link: when it changes anything, and how often it may.

An answer equal to the one recorded is a reload or a double click: it changes nothing and sends nothing. A guest (or
whoever holds their link) flipping between « oui » and « non » would otherwise send a confirmation each time and
re-offer seats to the waitlist each time; past ANSWER_CHANGES_PER_HOUR effective changes in a rolling hour the
answer is refused until the oldest leaves the window (HTTP 429 with Retry-After, RFC 9110 §10.2.3). Staff answering
for a guest are not counted: they are accountable users, audited. Pure domain code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

ANSWER_CHANGES_PER_HOUR = 10
WINDOW = timedelta(hours=1)


def _names(companions: Iterable[Mapping[str, Any]]) -> list[str]:
    return [_folded(c.get("name")) for c in companions]


def _folded(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _person(representative: Mapping[str, Any] | None) -> tuple[str, str, str]:
    r = representative or {}
    return _folded(r.get("name")), _folded(r.get("function")), _folded(r.get("contact_id"))


def same_companions(companions: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> bool:
    return _names(companions) == _names(new)


def same_answer(
    status: str,
    companions: Sequence[Mapping[str, Any]],
    representative: Mapping[str, Any] | None,
    response: str,
    new_companions: Sequence[Mapping[str, Any]],
    new_representative: Mapping[str, Any] | None,
) -> bool:
    """Whether ``response`` would leave the invitation as it is. A waitlisted guest accepting again is not the same
    answer (a seat may have freed since), nor is an offered guest accepting (that confirms the offer)."""
    if response == "accept":
        return status == "accepted" and same_companions(companions, new_companions)
    if response == "decline":
        return status == "declined"
    if response == "represented":
        return status == "represented" and _person(representative) == _person(new_representative)
    return False


def recent_changes(times: Iterable[str], now: datetime) -> list[str]:
    """The ISO instants of the changes still inside the rolling window, oldest first."""
    return sorted(t for t in times if now - datetime.fromisoformat(t) < WINDOW)


def retry_after(times: Iterable[str], now: datetime, limit: int = ANSWER_CHANGES_PER_HOUR) -> int | None:
    """Seconds until one more change is allowed, or None if it is allowed now."""
    recent = recent_changes(times, now)
    if len(recent) < limit:
        return None
    oldest_that_must_leave = datetime.fromisoformat(recent[len(recent) - limit])
    return max(1, math.ceil((oldest_that_must_leave + WINDOW - now).total_seconds()))
