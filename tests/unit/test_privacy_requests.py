"""The deadline of a person's privacy request (RGPD art. 12(3)), counted as Regulation 1182/71 counts months, and
the form's rate windows."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain import privacy_requests as rules


@pytest.mark.parametrize(
    ("received", "due"),
    [
        pytest.param(date(2026, 3, 15), date(2026, 4, 15), id="art-12-3-same-date-next-month"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), id="reg-1182-71-art-3-2-c-no-31-february"),
        pytest.param(date(2028, 1, 31), date(2028, 2, 29), id="reg-1182-71-leap-year"),
        pytest.param(date(2026, 3, 31), date(2026, 4, 30), id="reg-1182-71-no-31-april"),
        pytest.param(date(2026, 12, 15), date(2027, 1, 15), id="art-12-3-over-the-year-end"),
        pytest.param(date(2026, 2, 28), date(2026, 3, 28), id="art-12-3-not-the-end-of-march"),
    ],
)
def test_deadline_is_one_calendar_month_clamped_to_the_end_of_month(received: date, due: date) -> None:
    assert rules.deadline(received) == due


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 3, date(2026, 11, 30)),  # the two-month extension of art. 12(3) counts the same way
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 10, 31), 4, date(2027, 2, 28)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("today", "status", "left", "late"),
    [
        (date(2026, 4, 14), "open", 1, False),
        (date(2026, 4, 15), "open", 0, False),  # the last day still counts
        (date(2026, 4, 16), "open", -1, True),
        (date(2026, 4, 16), "done", -1, False),  # answered: never overdue
        (date(2026, 4, 16), "refused", -1, False),
    ],
)
def test_days_left_and_overdue(today: date, status: str, left: int, late: bool) -> None:
    due = date(2026, 4, 15)
    assert rules.days_left(due, today) == left
    assert rules.overdue(due, today, status) is late


def test_only_an_open_request_is_closed() -> None:
    assert [s for s in rules.STATUSES if rules.can_close(s)] == ["open"]


def test_link_lives_48_hours_and_an_unverified_form_a_week() -> None:
    assert not rules.link_expired(48.0)
    assert rules.link_expired(48.01)
    assert rules.purge_after(1_000_000) == 1_000_000 + 7 * 86_400


@pytest.mark.parametrize(
    ("now", "seconds", "expected"),
    [
        (7200, 3600, (7200, 3600)),
        (7201, 3600, (7200, 3599)),
        (10799, 3600, (7200, 1)),
        (90_000, 86_400, (86_400, 82_800)),
    ],
)
def test_fixed_windows_and_retry_after(now: int, seconds: int, expected: tuple[int, int]) -> None:
    assert rules.window(now, seconds) == expected
