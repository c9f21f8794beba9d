"""Events and invitations as rules: the guest state machine, seats, reminder rules, rates, Paris time.

Sources: how CiviCRM and Mobilize handle RSVPs and reminders, reduced to what a commune's events need.
- Statuses follow CiviCRM's participant classes (Positive / Pending / Waiting / Negative, each with an ``is_counted``
  flag deciding whether it uses up capacity; civicrm/civicrm-core,
  sql/civicrm_data/civicrm_participant_status_type.sqldata.php) with a protocol layer on top (« représenté par »), and
  CiviCRM's first-in-first-out waitlist whose pending offers expire (CRM-4319, CRM-4324).
- Reminder rules are CiviCRM's scheduled reminders reduced to what a commune uses: an offset relative to a reference
  date (the RSVP deadline for a relance, the start for a rappel), a channel and a template (CiviCRM user guide,
  « Scheduled reminders »); the J-1 rappel carries Mobilize's confirm-or-cancel link (help.mobilize.us, « Automated
  event notifications sequence »), so a freed seat can be offered to the waitlist.
- Offsets are RFC 5545 §3.3.6 durations (the grammar of a VALARM trigger) without seconds, months or years.
Pure domain code.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from chalicelib.domain.time import _aware, local

EVENT_KINDS = ("voeux", "inauguration", "commemoration", "reunion_publique", "conseil", "fete_locale", "autre")
EVENT_STATUSES = ("draft", "open", "closed", "cancelled")
GUEST_STATUSES = (
    "invited",
    "accepted",
    "declined",
    "represented",
    "waitlisted",
    "offered",
    "cancelled",
    "attended",
    "no_show",
)
ACTIONS = (
    "accept",
    "waitlist",
    "decline",
    "represent",
    "offer",
    "confirm_offer",
    "offer_expired",
    "cancel",
    "reinvite",
    "check_in",
    "mark_no_show",
)

# French labels for messages shown to staff and guests.
STATUS_LABELS = {
    "invited": "invité",
    "accepted": "accepté",
    "declined": "décliné",
    "represented": "représenté",
    "waitlisted": "en liste d'attente",
    "offered": "place proposée",
    "cancelled": "invitation annulée",
    "attended": "présent",
    "no_show": "absent",
}
ACTION_LABELS = {
    "accept": "accepter l'invitation",
    "waitlist": "inscrire en liste d'attente",
    "decline": "décliner l'invitation",
    "represent": "se faire représenter",
    "offer": "proposer une place libérée",
    "confirm_offer": "confirmer la place proposée",
    "offer_expired": "clore la proposition de place",
    "cancel": "annuler l'invitation",
    "reinvite": "rétablir l'invitation",
    "check_in": "enregistrer l'arrivée",
    "mark_no_show": "marquer absent",
}

_ANSWERING = ("invited", "declined", "accepted", "represented", "waitlisted", "offered")


def _rows(action: str, sources: Iterable[str], target: str) -> dict[tuple[str, str], str]:
    return {(source, action): target for source in sources}


# The guest state machine: (status, action) → new status. Anything absent is refused (InvalidTransition).
TRANSITIONS: dict[tuple[str, str], str] = {
    # A guest's answer that got a seat (the service took it on the seat counter, or already held it). Re-accepting
    # from accepted changes the companions; from offered it is the same as confirm_offer; from waitlisted it
    # happens only when a seat is free and not held by an offer. A cancelled, attended or no_show guest cannot.
    **_rows("accept", _ANSWERING, "accepted"),
    # The same answer when no seat was free. Only from statuses holding no seat: an accepted guest asking for more
    # companions than there are seats keeps their seat and is refused the change (the service says why), never
    # demoted to the waitlist. waitlisted → waitlisted is a double submit.
    **_rows("waitlist", ("invited", "declined", "waitlisted"), "waitlisted"),
    # Declining is always possible while the invitation stands, and frees any seat held (accepted, represented,
    # offered) or queue position (waitlisted).
    **_rows("decline", _ANSWERING, "declined"),
    # « Représenté(e) par »: the representative takes a seat, so from invited/declined/waitlisted it needs one
    # (else "waitlist"); from accepted/offered the guest's seat goes to the representative.
    **_rows("represent", _ANSWERING, "represented"),
    # A freed seat is offered to the first in the queue (CiviCRM « Pending from waitlist »), who confirms it …
    ("waitlisted", "offer"): "offered",
    ("offered", "confirm_offer"): "accepted",
    # … or not in time: the offer goes to the next person and this guest leaves the queue as declined (CiviCRM
    # moves them to « Expired », a negative status). Putting them back on the waitlist would re-offer them the next
    # seat and stall the queue on someone who does not answer; as declined they can still answer again through
    # their link before the deadline, and then join the end of the queue like anyone else.
    ("offered", "offer_expired"): "declined",
    # Staff withdraw an invitation (sent by mistake, deceased, duplicate …): from any status but attended, which is
    # a fact. The guest's link then refuses every answer; staff alone can reinvite.
    **_rows("cancel", [s for s in GUEST_STATUSES if s != "attended"], "cancelled"),
    ("cancelled", "reinvite"): "invited",
    # Check-in records a fact at the door: whoever holds a valid invitation and is let in is present, whatever
    # they answered (walk-in from invited, declined, waitlisted, an unconfirmed offer, or a no_show corrected after
    # the event). attended → attended is a second scan of the same QR code. A cancelled invitation is refused so
    # that the door staff see it.
    **_rows("check_in", [s for s in GUEST_STATUSES if s != "cancelled"], "attended"),
    # After the event, those who were expected and did not come: accepted guests and represented ones (nobody came
    # in their place). An unconfirmed offer is not an expected guest: it expires instead.
    **_rows("mark_no_show", ("accepted", "represented"), "no_show"),
}

# Statuses whose guest (or representative) and companions occupy seats (CiviCRM ``is_counted``). An offer holds the
# freed seat until it expires, as CiviCRM counts « Pending from waitlist »: otherwise another answer could take it
# between the offer and its confirmation. no_show holds none (the event is over).
HOLDS_SEATS = frozenset({"accepted", "represented", "offered", "attended"})

# Statuses counting as an answer for rsvp_rate: every status but invited (no answer yet) and cancelled (not
# counted at all). waitlisted and offered guests answered « yes »; attended/no_show ones answered, by deed or before.
ANSWERED = frozenset({"accepted", "declined", "represented", "waitlisted", "offered", "attended", "no_show"})


class InvalidTransition(ValueError):
    """An action that the guest state machine refuses from the current status."""


def transition(status: str, action: str) -> str:
    """The status after ``action``, or InvalidTransition with a French message."""
    try:
        return TRANSITIONS[(status, action)]
    except (KeyError, TypeError):
        pass
    if action not in ACTIONS:
        raise InvalidTransition(f"Action inconnue : {action!r}.")
    label = STATUS_LABELS.get(status, repr(status)) if isinstance(status, str) else repr(status)
    raise InvalidTransition(f"Impossible de {ACTION_LABELS[action]} depuis le statut « {label} ».")


def seats(status: str, companions: int = 0) -> int:
    """Seats used by a guest in ``status`` with ``companions``: 1 + companions if the status holds seats, else 0."""
    if companions < 0:
        raise ValueError("Le nombre d'accompagnants ne peut pas être négatif.")
    return 1 + companions if status in HOLDS_SEATS else 0


# --- Reminder rules -------------------------------------------------------------------------------------------

RULE_KINDS = ("relance", "rappel", "offer_expiry")
CHANNELS = ("email", "sms")
OFFER_HOURS_DEFAULT = 48  # a freed seat is held this long for the guest it is offered to, then goes to the next
MAX_OFFSET_DAYS = 366

_DURATION = re.compile(
    r"(?P<sign>[+-])?P(?:(?P<weeks>\d{1,3})W|(?:(?P<days>\d{1,3})D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d{1,4})H)?(?:(?P<minutes>\d{1,6})M)?)?)"
)


@dataclass(frozen=True)
class ReminderRule:
    """One automatic message of an event.

    ``offset`` is relative to the RSVP deadline (relance, sent to non-respondents), to the start (rappel, sent to
    accepted and represented guests with a confirm-or-cancel link), or is the validity of a waitlist offer
    (offer_expiry, positive, e.g. "PT48H"). ``channel`` None means the invitation's channel.
    """

    kind: Literal["relance", "rappel", "offer_expiry"]
    offset: str
    channel: Literal["email", "sms"] | None = None
    template: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"Type de rappel inconnu : {self.kind!r} (relance, rappel ou offer_expiry).")
        if self.channel is not None and self.channel not in CHANNELS:
            raise ValueError(f"Canal inconnu : {self.channel!r} (email ou sms).")
        delta = parse_offset(self.offset)
        if self.kind == "offer_expiry" and delta <= timedelta(0):
            raise ValueError("La durée d'une proposition de place doit être positive (ex. PT48H).")


def _split(text: str) -> tuple[int, int, int]:
    """(sign, nominal days, exact seconds) of an offset; weeks are 7 nominal days (RFC 5545 §3.3.6)."""
    if not isinstance(text, str):
        raise ValueError("Décalage invalide : une durée ISO 8601 est attendue (ex. -P7D, -PT2H, P1DT2H30M).")
    match = _DURATION.fullmatch(text)
    if match is None or not any(match.group(k) for k in ("weeks", "days", "hours", "minutes")):
        if re.fullmatch(r"[+-]?PT?", text):
            raise ValueError(f"Décalage « {text} » vide : indiquez au moins une durée (ex. -P7D).")
        if re.fullmatch(r"[+-]?P[^T]*\d[YM].*", text):
            raise ValueError(
                f"Décalage « {text} » refusé : les mois et les années ont une durée variable ; "
                "utilisez des semaines, jours, heures ou minutes."
            )
        if re.fullmatch(r"[+-]?P.*T.*\dS", text):
            raise ValueError(f"Décalage « {text} » refusé : les secondes ne sont pas prises en charge.")
        raise ValueError(
            f"Décalage « {text} » invalide : une durée ISO 8601 est attendue (ex. -P7D, -PT2H, P1DT2H30M, -P1W)."
        )
    parts = match.groupdict()
    sign = -1 if parts["sign"] == "-" else 1
    days = 7 * int(parts["weeks"] or 0) + int(parts["days"] or 0)
    seconds = 3600 * int(parts["hours"] or 0) + 60 * int(parts["minutes"] or 0)
    if timedelta(days=days, seconds=seconds) > timedelta(days=MAX_OFFSET_DAYS):
        raise ValueError(f"Décalage « {text} » trop long : {MAX_OFFSET_DAYS} jours au plus.")
    return sign, days, seconds


def parse_offset(text: str) -> timedelta:
    """A signed duration in weeks, days, hours and minutes ("-P7D", "-PT2H", "P1DT2H30M", "-P1W"), at most 366 days.

    Months and years are refused: their length varies. A day here is 24 h; ``due_at`` counts days on the Paris
    calendar instead (RFC 5545 §3.3.6), so a J-1 rappel keeps its wall-clock hour across a DST change.
    """
    sign, days, seconds = _split(text)
    return sign * timedelta(days=days, seconds=seconds)


def canonical_offset(text: str) -> str:
    """The offset in one spelling ("-P1W" → "-P7D", "PT24H" stays "PT24H": hours are exact, days are nominal)."""
    sign, days, seconds = _split(text)
    hours, minutes = divmod(seconds // 60, 60)
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    body = (f"{days}D" if days or not time else "") + (f"T{time}" if time else "")
    return ("-" if sign < 0 and (days or seconds) else "") + "P" + body


def rule_id(rule: ReminderRule) -> str:
    """A stable short key for a rule, e.g. "relance-mP7D-email", "rappel-mP1D-auto", "offer_expiry-pPT48H-sms-1a2b3c4d".

    The offset is canonical (so "-P1W" and "-P7D" give one id), signed "m" (before) or "p" (after) to stay in
    ``[A-Za-z0-9_-]``; "auto" is the invitation's channel; a template adds 8 hex digits of its SHA-256.
    """
    offset = canonical_offset(rule.offset)
    signed = "m" + offset[1:] if offset.startswith("-") else "p" + offset
    parts = [rule.kind, signed, rule.channel or "auto"]
    if rule.template:
        parts.append(hashlib.sha256(rule.template.encode()).hexdigest()[:8])
    return "-".join(parts)


_RELANCE = ReminderRule("relance", "-P7D")
_RAPPEL = ReminderRule("rappel", "-P1D")

# Default rules per event kind. A relance 7 days before the RSVP deadline and a rappel J-1 with confirm-or-cancel
# everywhere a head count matters (seating, catering, protocol order), except:
# - reunion_publique: open to everyone, the answer is a courtesy; pressing citizens to answer is unwelcome (and
#   in a political tenant close to an election every extra message is campaign communication). Rappel only.
# - conseil: élus are convened by law (CGCT L2121-10) and excuse themselves through the convocation and proxies,
#   not an RSVP relance. Rappel only.
DEFAULT_RULES: dict[str, tuple[ReminderRule, ...]] = {
    "voeux": (_RELANCE, _RAPPEL),
    "inauguration": (_RELANCE, _RAPPEL),
    "commemoration": (_RELANCE, _RAPPEL),  # the order of the gerbes depends on which authorities come
    "reunion_publique": (_RAPPEL,),
    "conseil": (_RAPPEL,),
    "fete_locale": (_RELANCE, _RAPPEL),  # e.g. the repas des aînés: the caterer needs the count
    "autre": (_RELANCE, _RAPPEL),
}


def due_at(
    rule: ReminderRule, starts_at: datetime, rsvp_deadline: datetime | None, zone_name: str | None = None
) -> datetime | None:
    """When the rule fires, in UTC: relance = rsvp_deadline + offset (None without a deadline), rappel = starts_at
    + offset, offer_expiry = None (each offer expires on its own, see ``offer_expires_at``).

    Days move the tenant's wall clock (Paris by default: a rappel -P1D for 18:30 is at 18:30 the day before, DST or
    not); hours and minutes are exact. A wall-clock time that does not exist is read with the offset in force
    before the change.
    """
    if rule.kind == "offer_expiry":
        return None
    anchor = rsvp_deadline if rule.kind == "relance" else starts_at
    if anchor is None:
        return None
    _aware(anchor, "La date de référence")
    sign, days, seconds = _split(rule.offset)
    wall = local(anchor, zone_name)
    moved = (wall + sign * timedelta(days=days)).replace(fold=0)  # wall-clock arithmetic (same tzinfo)
    return moved.astimezone(UTC) + sign * timedelta(seconds=seconds)


def offer_expires_at(offered_at: datetime, starts_at: datetime, rules: Iterable[ReminderRule] = ()) -> datetime:
    """When a waitlist offer made at ``offered_at`` lapses, in UTC: after the event's offer_expiry rule's duration
    (OFFER_HOURS_DEFAULT hours without one), and never after the event starts."""
    _aware(offered_at, "La date de la proposition")
    _aware(starts_at, "Le début de l'événement")
    window = next(
        (parse_offset(r.offset) for r in rules if r.kind == "offer_expiry"), timedelta(hours=OFFER_HOURS_DEFAULT)
    )
    return min(offered_at + window, starts_at).astimezone(UTC)


# --- Figures ---------------------------------------------------------------------------------------------------


def rates(counts: Mapping[str, int]) -> dict[str, float]:
    """rsvp_rate and participation_rate, each in 0..1 (0.0 when the denominator is 0).

    - rsvp_rate = answered / invited_total, where answered sums the ANSWERED statuses and invited_total sums every
      status but cancelled (invited + all the answered ones).
    - participation_rate = attended / (attended + no_show): among guests whose presence is settled, those who came
      (walk-ins checked in from invited count as attended).
    Keys that are not guest statuses (e.g. "seats_taken") are ignored; a negative count is a ValueError.
    """
    known = {s: counts.get(s, 0) for s in GUEST_STATUSES}
    if any(n < 0 for n in known.values()):
        raise ValueError("Un effectif ne peut pas être négatif.")
    invited_total = sum(n for s, n in known.items() if s != "cancelled")
    answered = sum(known[s] for s in ANSWERED)
    settled = known["attended"] + known["no_show"]
    return {
        "rsvp_rate": answered / invited_total if invited_total else 0.0,
        "participation_rate": known["attended"] / settled if settled else 0.0,
    }
