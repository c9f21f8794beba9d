"""Events as rules: guest state machine, seats, reminder rules and offsets, rates, Paris time.

Ids name the behaviour, or where it comes from: CiviCRM's participant statuses, waitlist and scheduled reminders
(« civicrm-… »), Mobilize's confirm-or-cancel the day before (« mobilize-… ») and RFC 5545 §3.3.6 (durations).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.events import (
    ACTIONS,
    ANSWERED,
    DEFAULT_RULES,
    EVENT_KINDS,
    EVENT_STATUSES,
    GUEST_STATUSES,
    HOLDS_SEATS,
    OFFER_HOURS_DEFAULT,
    TRANSITIONS,
    InvalidTransition,
    ReminderRule,
    canonical_offset,
    due_at,
    offer_expires_at,
    parse_offset,
    rates,
    rule_id,
    seats,
    transition,
)
from chalicelib.domain.time import paris, parse_instant

PARIS = ZoneInfo("Europe/Paris")


def test_vocabularies() -> None:
    assert EVENT_KINDS == (
        "voeux",
        "inauguration",
        "commemoration",
        "reunion_publique",
        "conseil",
        "fete_locale",
        "autre",
    )
    assert EVENT_STATUSES == ("draft", "open", "closed", "cancelled")
    assert set(GUEST_STATUSES) == {
        "invited",
        "accepted",
        "declined",
        "represented",
        "waitlisted",
        "offered",
        "cancelled",
        "attended",
        "no_show",
    }


def test_table_is_closed_over_statuses_and_actions() -> None:
    for (status, action), target in TRANSITIONS.items():
        assert status in GUEST_STATUSES and target in GUEST_STATUSES and action in ACTIONS


# --- state machine -------------------------------------------------------------------------------------------

ALLOWED = [
    ("invited", "accept", "accepted", "rsvp-accept"),
    ("declined", "accept", "accepted", "answer-changeable-until-deadline"),
    ("represented", "accept", "accepted", "represented-then-comes-in-person"),
    ("accepted", "accept", "accepted", "change-companions"),
    ("offered", "accept", "accepted", "civicrm-pending-from-waitlist-confirmed-via-rsvp"),
    ("waitlisted", "accept", "accepted", "waitlisted-resubmits-when-seat-free"),
    ("invited", "waitlist", "waitlisted", "beyond-capacity-waitlisted"),
    ("declined", "waitlist", "waitlisted", "changes-answer-beyond-capacity"),
    ("waitlisted", "waitlist", "waitlisted", "double-submit"),
    ("invited", "decline", "declined", "rsvp-decline"),
    ("accepted", "decline", "declined", "mobilize-d1-cancel-frees-seat"),
    ("waitlisted", "decline", "declined", "leaves-the-queue"),
    ("offered", "decline", "declined", "civicrm-offer-refused"),
    ("declined", "decline", "declined", "double-submit-decline"),
    ("invited", "represent", "represented", "represente-par"),
    ("accepted", "represent", "represented", "seat-passes-to-representative"),
    ("waitlisted", "represent", "represented", "representative-gets-free-seat"),
    ("waitlisted", "offer", "offered", "civicrm-fifo-freed-seat-offered"),
    ("offered", "confirm_offer", "accepted", "confirm-within-n-hours"),
    ("offered", "offer_expired", "declined", "after-which-it-goes-to-the-next"),
    ("invited", "cancel", "cancelled", "staff-cancel-invited"),
    ("accepted", "cancel", "cancelled", "staff-cancel-accepted"),
    ("no_show", "cancel", "cancelled", "staff-cancel-no-show"),
    ("cancelled", "cancel", "cancelled", "staff-cancel-idempotent"),
    ("cancelled", "reinvite", "invited", "staff-undo-cancel"),
    ("accepted", "check_in", "attended", "checkin-marks-attended"),
    ("represented", "check_in", "attended", "representative-checked-in"),
    ("invited", "check_in", "attended", "walk-in-with-invitation"),
    ("declined", "check_in", "attended", "came-anyway"),
    ("offered", "check_in", "attended", "unconfirmed-offer-came"),
    ("no_show", "check_in", "attended", "no-show-corrected"),
    ("attended", "check_in", "attended", "qr-scanned-twice"),
    ("accepted", "mark_no_show", "no_show", "accepted-not-checked-in-become-no-show"),
    ("represented", "mark_no_show", "no_show", "nobody-came-in-their-place"),
]


@pytest.mark.parametrize(("status", "action", "expected"), [a[:3] for a in ALLOWED], ids=[a[3] for a in ALLOWED])
def test_allowed_transition(status: str, action: str, expected: str) -> None:
    assert transition(status, action) == expected


REFUSED = [
    ("cancelled", "accept", "cancelled-link-refuses-answers"),
    ("cancelled", "decline", "cancelled-link-refuses-decline"),
    ("cancelled", "represent", "cancelled-link-refuses-represent"),
    ("attended", "accept", "attended-is-final"),
    ("no_show", "accept", "after-the-event"),
    ("accepted", "waitlist", "accepted-never-demoted-to-waitlist"),
    ("represented", "waitlist", "represented-never-demoted-to-waitlist"),
    ("invited", "offer", "offer-only-from-waitlist"),
    ("accepted", "offer", "offer-only-from-waitlist-2"),
    ("waitlisted", "confirm_offer", "confirm-only-an-offer"),
    ("accepted", "offer_expired", "only-offers-expire"),
    ("attended", "cancel", "attended-is-a-fact"),
    ("cancelled", "check_in", "cancelled-refused-at-the-door"),
    ("invited", "mark_no_show", "no-answer-is-not-a-no-show"),
    ("offered", "mark_no_show", "offer-expires-instead"),
    ("waitlisted", "mark_no_show", "waitlisted-not-expected"),
    ("invited", "reinvite", "reinvite-only-cancelled"),
]


@pytest.mark.parametrize(("status", "action"), [r[:2] for r in REFUSED], ids=[r[2] for r in REFUSED])
def test_refused_transition_has_french_message(status: str, action: str) -> None:
    with pytest.raises(InvalidTransition, match=r"^Impossible de .+ depuis le statut « .+ »\.$"):
        transition(status, action)


@pytest.mark.parametrize(
    ("status", "action"),
    [("invited", "teleport"), ("unknown", "accept"), ("", ""), (None, "accept")],
    ids=["unknown-action", "unknown-status", "empty", "none-status"],
)
def test_unknown_inputs_raise_invalid_transition(status, action) -> None:
    with pytest.raises(InvalidTransition):
        transition(status, action)


def test_invalid_transition_is_a_value_error() -> None:
    assert issubclass(InvalidTransition, ValueError)


def test_message_example() -> None:
    with pytest.raises(InvalidTransition) as err:
        transition("cancelled", "accept")
    assert str(err.value) == "Impossible de accepter l'invitation depuis le statut « invitation annulée »."


# --- seats and answers -------------------------------------------------------------------------------------------


def test_holds_seats_civicrm_is_counted() -> None:
    """An offer holds its seat as CiviCRM counts « Pending from waitlist » (is_counted = 1)."""
    assert frozenset({"accepted", "represented", "offered", "attended"}) == HOLDS_SEATS


def test_answered_is_everything_but_invited_and_cancelled() -> None:
    assert set(GUEST_STATUSES) - {"invited", "cancelled"} == ANSWERED


@pytest.mark.parametrize(
    ("status", "companions", "expected"),
    [
        pytest.param("accepted", 2, 3, id="companions-counted"),
        pytest.param("offered", 1, 2, id="offer-holds-seats"),
        pytest.param("waitlisted", 2, 0, id="waitlist-holds-none"),
        pytest.param("no_show", 0, 0, id="no-show-holds-none"),
        pytest.param("represented", 0, 1, id="representative-takes-a-seat"),
    ],
)
def test_seats(status: str, companions: int, expected: int) -> None:
    assert seats(status, companions) == expected


def test_seats_refuses_negative_companions() -> None:
    with pytest.raises(ValueError):
        seats("accepted", -1)


def test_seat_holding_changes_only_where_documented() -> None:
    """Transitions that take a seat from nothing are the ones the service must guard with the seat counter."""
    takes = {
        (s, a)
        for (s, a), t in TRANSITIONS.items()
        if s not in HOLDS_SEATS and t in HOLDS_SEATS and a not in {"check_in", "offer"}
    }
    assert {a for _, a in takes} == {"accept", "represent"}


# --- offsets (RFC 5545 §3.3.6 without seconds, months, years) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("-P7D", timedelta(days=-7), id="relance-P7D"),
        pytest.param("-PT2H", timedelta(hours=-2), id="rfc5545-dur-time-hours"),
        pytest.param("P1DT2H30M", timedelta(days=1, hours=2, minutes=30), id="rfc5545-dur-date-with-time"),
        pytest.param("-P1W", timedelta(weeks=-1), id="rfc5545-dur-week"),
        pytest.param("+PT30M", timedelta(minutes=30), id="rfc5545-plus-sign"),
        pytest.param("PT90M", timedelta(minutes=90), id="minutes-over-60"),
        pytest.param("P0D", timedelta(0), id="zero-is-not-empty"),
        pytest.param("P366D", timedelta(days=366), id="up-to-366-days"),
        pytest.param("-P52W", timedelta(weeks=-52), id="52-weeks"),
    ],
)
def test_parse_offset(text: str, expected: timedelta) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("P1M", "mois", id="months-vary"),
        pytest.param("-P1Y", "années", id="years-vary"),
        pytest.param("P1Y2M3D", "mois", id="mixed-with-months"),
        pytest.param("P", "vide", id="empty-P"),
        pytest.param("-PT", "vide", id="empty-PT"),
        pytest.param("PT30S", "secondes", id="seconds-refused"),
        pytest.param("P367D", "366", id="over-366-days"),
        pytest.param("P53W", "366", id="over-366-days-weeks"),
        pytest.param("P1DT", "invalide", id="rfc5545-T-needs-a-time"),
        pytest.param("P1W2D", "invalide", id="rfc5545-week-stands-alone"),
        pytest.param("7 jours", "invalide", id="free-text"),
        pytest.param("p7d", "invalide", id="lowercase"),
        pytest.param("P1.5D", "invalide", id="fraction"),
        pytest.param("", "invalide", id="empty-string"),
        pytest.param("P9999999999D", "invalide", id="huge-number"),
    ],
)
def test_parse_offset_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_offset(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-P1W", "-P7D"), ("P1DT2H30M", "P1DT2H30M"), ("+PT90M", "PT1H30M"), ("-P0D", "P0D"), ("PT24H", "PT24H")],
)
def test_canonical_offset(text: str, expected: str) -> None:
    assert canonical_offset(text) == expected


# --- reminder rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(ReminderRule("relance", "-P7D", "email"), "relance-mP7D-email", id="relance"),
        pytest.param(ReminderRule("rappel", "-P1D"), "rappel-mP1D-auto", id="rappel-invitation-channel"),
        pytest.param(ReminderRule("relance", "-P1W", "email"), "relance-mP7D-email", id="week-is-seven-days"),
        pytest.param(ReminderRule("rappel", "PT2H", "sms"), "rappel-pPT2H-sms", id="after-is-p"),
        pytest.param(ReminderRule("offer_expiry", "PT48H"), "offer_expiry-pPT48H-auto", id="offer-window"),
    ],
)
def test_rule_id(rule: ReminderRule, expected: str) -> None:
    assert rule_id(rule) == expected


def test_rule_id_is_a_safe_key_and_distinguishes_fields() -> None:
    rules = [
        ReminderRule("relance", "-P7D"),
        ReminderRule("relance", "P7D"),
        ReminderRule("rappel", "-P7D"),
        ReminderRule("relance", "-P7D", "sms"),
        ReminderRule("relance", "-P7D", None, "relance_courte"),
        ReminderRule("relance", "-P7D", None, "relance_longue"),
    ]
    ids = [rule_id(r) for r in rules]
    assert len(set(ids)) == len(ids)
    assert all(len(i) <= 40 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
    assert rule_id(ReminderRule("relance", "-P7D", None, "relance_courte")) == ids[4]  # stable


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"kind": "relance", "offset": "-P1M"}, id="months-refused"),
        pytest.param({"kind": "sondage", "offset": "-P1D"}, id="unknown-kind"),
        pytest.param({"kind": "rappel", "offset": "-P1D", "channel": "letter"}, id="letters-are-not-reminders"),
        pytest.param({"kind": "offer_expiry", "offset": "-PT48H"}, id="offer-window-positive"),
    ],
)
def test_reminder_rule_validates(kwargs) -> None:
    with pytest.raises(ValueError):
        ReminderRule(**kwargs)


def test_default_rules_cover_every_kind() -> None:
    assert set(DEFAULT_RULES) == set(EVENT_KINDS)
    for kind, rules in DEFAULT_RULES.items():
        assert ReminderRule("rappel", "-P1D") in rules, kind  # a J-1 rappel by default
        assert len({rule_id(r) for r in rules}) == len(rules)


@pytest.mark.parametrize(
    ("kind", "has_relance"),
    [
        ("voeux", True),
        ("inauguration", True),
        ("commemoration", True),
        ("fete_locale", True),
        ("autre", True),
        ("reunion_publique", False),
        ("conseil", False),
    ],
)
def test_default_relance_per_kind(kind: str, has_relance: bool) -> None:
    assert (ReminderRule("relance", "-P7D") in DEFAULT_RULES[kind]) is has_relance


def test_offer_hours_default() -> None:
    assert OFFER_HOURS_DEFAULT == 48


# --- due times ---------------------------------------------------------------------------------------------------

START = datetime(2027, 1, 15, 18, 30, tzinfo=PARIS)  # vœux, 17:30Z
DEADLINE = datetime(2027, 1, 8, 12, 0, tzinfo=PARIS)  # 11:00Z


@pytest.mark.parametrize(
    ("rule", "deadline", "expected"),
    [
        pytest.param(ReminderRule("relance", "-P7D"), DEADLINE, datetime(2027, 1, 1, 11, 0, tzinfo=UTC), id="relance"),
        pytest.param(ReminderRule("relance", "-P7D"), None, None, id="relance-needs-a-deadline"),
        pytest.param(ReminderRule("rappel", "-P1D"), None, datetime(2027, 1, 14, 17, 30, tzinfo=UTC), id="rappel-J-1"),
        pytest.param(
            ReminderRule("rappel", "-PT2H", "sms"),
            DEADLINE,
            datetime(2027, 1, 15, 15, 30, tzinfo=UTC),
            id="mobilize-same-day-sms",
        ),
        pytest.param(ReminderRule("offer_expiry", "PT48H"), DEADLINE, None, id="offers-expire-one-by-one"),
    ],
)
def test_due_at(rule: ReminderRule, deadline: datetime | None, expected: datetime | None) -> None:
    result = due_at(rule, START, deadline)
    assert result == expected
    if result is not None:
        assert result.tzinfo is UTC


def test_due_at_days_keep_the_paris_hour_across_dst() -> None:
    """RFC 5545 §3.3.6: a day is nominal. Event Sunday 29 March 2026 11:00 CEST; J-1 is Saturday 11:00 CET."""
    start = datetime(2026, 3, 29, 11, 0, tzinfo=PARIS)
    due = due_at(ReminderRule("rappel", "-P1D"), start, None)
    assert paris(due).hour == 11 and due == datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    # hours are exact: -PT24H lands at 10:00 Paris, 24 h before
    assert due_at(ReminderRule("rappel", "-PT24H"), start, None) == start.astimezone(UTC) - timedelta(hours=24)


def test_due_at_accepts_any_offset_and_refuses_naive() -> None:
    start_utc = START.astimezone(timezone(timedelta(hours=-5)))
    assert due_at(ReminderRule("rappel", "-P1D"), start_utc, None) == datetime(2027, 1, 14, 17, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        due_at(ReminderRule("rappel", "-P1D"), datetime(2027, 1, 15, 18, 30), None)


@pytest.mark.parametrize(
    ("offered", "rules", "expected"),
    [
        pytest.param(
            datetime(2027, 1, 10, 9, 0, tzinfo=UTC), (), datetime(2027, 1, 12, 9, 0, tzinfo=UTC), id="default-48h"
        ),
        pytest.param(
            datetime(2027, 1, 10, 9, 0, tzinfo=UTC),
            (ReminderRule("rappel", "-P1D"), ReminderRule("offer_expiry", "PT12H")),
            datetime(2027, 1, 10, 21, 0, tzinfo=UTC),
            id="rule-window",
        ),
        pytest.param(
            datetime(2027, 1, 14, 9, 0, tzinfo=UTC), (), datetime(2027, 1, 15, 17, 30, tzinfo=UTC), id="capped-at-start"
        ),
    ],
)
def test_offer_expires_at(offered: datetime, rules, expected: datetime) -> None:
    assert offer_expires_at(offered, START, rules) == expected


# --- rates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        pytest.param({}, {"rsvp_rate": 0.0, "participation_rate": 0.0}, id="empty-is-zero"),
        pytest.param({"cancelled": 5}, {"rsvp_rate": 0.0, "participation_rate": 0.0}, id="only-cancelled"),
        pytest.param({"invited": 4}, {"rsvp_rate": 0.0, "participation_rate": 0.0}, id="no-answer-yet"),
        pytest.param(
            {"invited": 2, "accepted": 3, "declined": 2, "represented": 1, "waitlisted": 1, "offered": 1},
            {"rsvp_rate": 0.8, "participation_rate": 0.0},
            id="answered-over-invited",
        ),
        pytest.param(
            {"invited": 1, "declined": 1, "attended": 6, "no_show": 2, "cancelled": 10},
            {"rsvp_rate": 0.9, "participation_rate": 0.75},
            id="cancelled-not-counted",
        ),
        pytest.param(
            {"attended": 3, "seats_taken": 12}, {"rsvp_rate": 1.0, "participation_rate": 1.0}, id="other-keys-ignored"
        ),
    ],
)
def test_rates(counts: dict[str, int], expected: dict[str, float]) -> None:
    assert rates(counts) == pytest.approx(expected)


def test_rates_refuse_negative() -> None:
    with pytest.raises(ValueError):
        rates({"accepted": -1})


# --- Paris time --------------------------------------------------------------------------------------------------


def test_paris_converts() -> None:
    assert paris(datetime(2027, 1, 15, 17, 30, tzinfo=UTC)) == datetime(2027, 1, 15, 18, 30, tzinfo=PARIS)
    assert paris(datetime(2027, 7, 14, 8, 0, tzinfo=UTC)).utcoffset() == timedelta(hours=2)
    with pytest.raises(ValueError):
        paris(datetime(2027, 1, 15, 17, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2027-01-15T18:30:00+01:00", datetime(2027, 1, 15, 17, 30, tzinfo=UTC), id="offset"),
        pytest.param("2027-01-15T17:30:00Z", datetime(2027, 1, 15, 17, 30, tzinfo=UTC), id="zulu"),
        pytest.param("2027-01-15T18:30", datetime(2027, 1, 15, 17, 30, tzinfo=UTC), id="naive-is-paris-winter"),
        pytest.param("2027-07-14 10:00:00", datetime(2027, 7, 14, 8, 0, tzinfo=UTC), id="naive-is-paris-summer"),
        pytest.param(
            "2026-10-25T02:30:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), id="autumn-fold-first-occurrence"
        ),
        pytest.param("2026-10-25T02:30:00+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC), id="fold-with-offset"),
        pytest.param(
            "2027-01-15T18:30:00.250+01:00",
            datetime(2027, 1, 15, 17, 30, 0, 250000, tzinfo=UTC),
            id="fraction-of-second",
        ),
    ],
)
def test_parse_instant(text: str, expected: datetime) -> None:
    result = parse_instant(text)
    assert result == expected and result.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2026-03-29T02:30:00", "n'existe pas", id="spring-gap-nonexistent"),
        pytest.param("2027-01-15", "invalide", id="date-without-time"),
        pytest.param("15/01/2027 18:30", "invalide", id="french-format"),
        pytest.param("2027-02-30T10:00", "invalide", id="no-such-day"),
        pytest.param("2027-01-15T25:00", "invalide", id="no-such-hour"),
        pytest.param("0001-01-01T00:00+01:00", "invalide", id="overflow"),
        pytest.param("", "invalide", id="empty"),
        pytest.param("demain", "invalide", id="free-text"),
    ],
)
def test_parse_instant_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_instant(text)
