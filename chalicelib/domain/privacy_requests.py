"""A person's own privacy request (right of access, right to erasure) made through a tenant's public form.

Deadline. GDPR art. 12(3): the controller answers « without undue delay and in any event within one month of receipt
of the request », extendable by two further months where necessary. Decision (ours): the month runs from the day the
request is *verified* (the person followed the link sent to the address given), not from the form's submission:
before that, nobody knows the request comes from the holder of that address, and art. 12(6) lets the controller ask
for what confirms an identity it doubts. An unverified form is not a request yet, and is purged after
`UNVERIFIED_DAYS`. The person is told so on the form and in the email.

The month is counted as Regulation (EEC, Euratom) No 1182/71 counts periods (art. 3(1): the day of receipt is not
counted; art. 3(2)(c): a period in months ends on the same date of the last month, or on that month's last day when
it has no such date), as the EDPB Guidelines 01/2022 on the right of access do: a request verified on 15 March ends
on 15 April, one verified on 31 January on 28 (or 29) February. The day of receipt is the date in the tenant's zone.
Art. 3(4) of that regulation moves an end falling on a weekend or public holiday to the next working day; Agora
shows the earlier, stricter date (never a later one).

Status: pending_verification → open (verified) → done | refused. A refusal states its reasons: art. 12(4) requires
the controller to tell the person why, and that they may complain to the CNIL. Pure domain code.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Final, Literal

Kind = Literal["access", "erasure"]
Status = Literal["pending_verification", "open", "done", "refused"]

KINDS: Final[tuple[Kind, ...]] = ("access", "erasure")
STATUSES: Final[tuple[Status, ...]] = ("pending_verification", "open", "done", "refused")
CLOSED: Final[frozenset[str]] = frozenset({"done", "refused"})
KIND_LABELS: Final[dict[str, str]] = {
    "access": "droit d'accès à vos données",
    "erasure": "droit à l'effacement de vos données",
}

LINK_HOURS: Final = 48  # the verification link's life
UNVERIFIED_DAYS: Final = 7  # an unverified form is deleted after this (the item's TTL)
ANSWER_MONTHS: Final = 1  # GDPR art. 12(3)


def add_months(start: date, months: int) -> date:
    """The same date ``months`` calendar months later, or the last day of that month when it has no such date
    (Regulation 1182/71 art. 3(2)(c)): 31 January + 1 month = 28 (or 29) February."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def deadline(received: date) -> date:
    """The last day to answer a request received (verified) on ``received``: GDPR art. 12(3), one month."""
    return add_months(received, ANSWER_MONTHS)


def days_left(due: date, today: date) -> int:
    """Days until the deadline: 0 on its last day, negative once passed."""
    return (due - today).days


def overdue(due: date, today: date, status: str) -> bool:
    """An open request whose last day is past; a closed one is never overdue."""
    return status == "open" and today > due


def link_expired(hours_since: float) -> bool:
    """Whether a verification link sent ``hours_since`` hours ago may no longer be used."""
    return hours_since > LINK_HOURS


def purge_after(created_epoch: int) -> int:
    """The TTL (epoch seconds) of an unverified request: `UNVERIFIED_DAYS` after its creation."""
    return created_epoch + int(timedelta(days=UNVERIFIED_DAYS).total_seconds())


# Public form submissions, per tenant, in fixed windows: (submissions allowed, window in seconds). Per client IP, so
# that one machine cannot flood a tenant's queue; per email address, so that the form cannot be used to bombard a
# mailbox with verification emails (each accepted submission sends one). README, « Limits ».
RATE_LIMITS: Final[dict[str, tuple[int, int]]] = {"ip": (5, 3600), "email": (3, 86400)}


def window(now_epoch: int, seconds: int) -> tuple[int, int]:
    """(start of the fixed window holding ``now_epoch``, seconds until it ends: the Retry-After of a 429)."""
    start = now_epoch - now_epoch % seconds
    return start, start + seconds - now_epoch


def can_close(status: str) -> bool:
    """Only an open (verified) request is answered: an unverified one is not a request yet, a closed one stays so."""
    return status == "open"
