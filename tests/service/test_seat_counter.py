"""The seat counter of an event (store/events.py): seats move only by conditional updates on it. An UpdateItem
creates the item it names when it is missing, so a move racing the event's deletion must not bring back a counter
of an event that no longer exists."""

from __future__ import annotations

import pytest

from chalicelib.store import events
from chalicelib.store.events import SeatsItem


def _counter(event_id: str) -> tuple[int, int | None] | None:
    item = next(iter(SeatsItem.query("t", SeatsItem.event_id == event_id)), None)
    return None if item is None else (item.taken, item.free)


@pytest.mark.parametrize("capacity", [10, None], ids=["limited", "unlimited"])
def test_seats_move_on_the_counter_of_a_live_event(aws_mock: object, capacity: int | None) -> None:
    events.init_seats("t", "e1", capacity)
    assert events.take_seats("t", "e1", 3)
    assert _counter("e1") == (3, None if capacity is None else 7)
    events.release_seats("t", "e1", 2)
    assert _counter("e1") == (1, None if capacity is None else 9)
    if capacity:  # 20 more do not fit in the 9 free: nothing taken
        assert not events.take_seats("t", "e1", 20)
        assert _counter("e1") == (1, 9)
    else:
        assert events.take_seats("t", "e1", 20)
        assert _counter("e1") == (21, None)


@pytest.mark.parametrize("capacity", [10, None], ids=["limited", "unlimited"])
def test_no_seat_moves_on_an_event_deleted_meanwhile(aws_mock: object, capacity: int | None) -> None:
    events.init_seats("t", "gone", capacity)
    events.delete_seats("t", "gone")  # the event's deletion, between an answer's read and its seats
    assert not events.take_seats("t", "gone", 2)
    events.release_seats("t", "gone", 2)
    assert _counter("gone") is None
