"""The consultation's link → response mappings under concurrent writes (store/consultations.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.store import consultations as store
from chalicelib.store.entities import ConsultationLink

CLOSE = datetime(2027, 1, 31, 18, tzinfo=UTC)


def test_retiming_the_links_does_not_bring_back_those_purged_meanwhile(
    aws_mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The close moved while the close's purge ran: an UpdateItem without condition wrote back, for each link the
    purge had just deleted, an item with only its keys and its expiry, which the next answer read as a link."""
    for key in ("c-1", "b-2"):
        store.put_link(
            ConsultationLink(tenant_id="t", consultation_id="C1", link_key=key, response_id=f"R{key}", expires_at=CLOSE)
        )
    query = store.LinkItem.query
    purged: list[bool] = []

    def listed_then_purged(*args: Any, **kwargs: Any) -> Iterator[Any]:
        found = list(query(*args, **kwargs))
        if not purged:  # the purge deletes them between this listing and the updates
            purged.append(True)
            assert store.delete_links("t", "C1") == 2
        return iter(found)

    monkeypatch.setattr(store.LinkItem, "query", listed_then_purged)
    store.retime_links("t", "C1", CLOSE + timedelta(days=7))
    monkeypatch.undo()
    assert [store.get_link("t", "C1", key) for key in ("c-1", "b-2")] == [None, None]


def test_retiming_the_links_moves_their_expiry(aws_mock: Any) -> None:
    link = ConsultationLink(tenant_id="t", consultation_id="C1", link_key="c-1", response_id="R1", expires_at=CLOSE)
    store.put_link(link)
    store.retime_links("t", "C1", CLOSE + timedelta(days=7))
    moved = store.get_link("t", "C1", "c-1")
    assert moved is not None and (moved.response_id, moved.expires_at) == ("R1", CLOSE + timedelta(days=7))
