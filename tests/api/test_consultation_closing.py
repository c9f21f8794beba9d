"""At the close, the link → response mappings go (CNIL: an anonymous answer must not be joinable to a person): an
hourly job finds the consultations closed and not yet purged through a sparse index (never a Scan), of every
tenant, and deletes their mappings; the first read after the close still purges too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.services import consultations as service
from chalicelib.store import consultations as store
from tests.api.test_consultation_page import FORM, path_of, post_form, residents  # noqa: F401 (a fixture)
from tests.api.test_consultations import consultation
from tests.support.world import World


def _close(consultation_id: str, at: datetime) -> None:
    c = store.get("t-ville", consultation_id)
    assert c is not None
    c.doc["closes_at"] = at.isoformat().replace("+00:00", "Z")
    store.save(c)


def _run_job(world: World) -> Any:
    event = world.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    return world.client.lambda_.invoke("purge_consultation_links", event).payload


def test_the_hourly_job_deletes_the_mappings_of_consultations_closed_and_only_those(
    world: World,
    residents: dict[str, Any],  # noqa: F811
) -> None:
    segment = residents["segment"]["id"]
    martin = residents["martin"]["id"]
    closed = consultation(world, audience="segment", segment_id=segment)
    still_open = consultation(world, audience="segment", segment_id=segment)
    for made in (closed, still_open):
        assert post_form(world, path_of(service.personal_url("t-ville", made["id"], martin)), FORM).status_code == 200
        assert store.get_link("t-ville", made["id"], f"c-{martin}") is not None
    _close(closed["id"], datetime.now(UTC) - timedelta(hours=1))

    assert _run_job(world) == {"purged": 1}
    assert store.get_link("t-ville", closed["id"], f"c-{martin}") is None
    assert store.get("t-ville", closed["id"]).links_purged is True  # type: ignore[union-attr]
    assert store.get_link("t-ville", still_open["id"], f"c-{martin}") is not None
    assert store.get("t-ville", still_open["id"]).links_purged is False  # type: ignore[union-attr]
    assert len(list(store.responses("t-ville", closed["id"]))) == 1  # the answer stays, joined to nobody
    assert store.participants("t-ville", closed["id"]) == {martin}  # reminders still skip them

    assert _run_job(world) == {"purged": 0}  # a re-run finds nothing: purged ones left the index
    assert store.get_link("t-ville", still_open["id"], f"c-{martin}") is not None


def test_the_index_follows_the_close_and_holds_only_what_is_left_to_purge(
    world: World,
    residents: dict[str, Any],  # noqa: F811
) -> None:
    made = consultation(world, audience="segment", segment_id=residents["segment"]["id"])
    closes = datetime.fromisoformat(made["closes_at"])
    assert [c.consultation_id for c in store.closed_unpurged(closes + timedelta(seconds=1))] == [made["id"]]
    assert store.closed_unpurged(closes - timedelta(seconds=1)) == []
    later = (closes + timedelta(days=7)).isoformat()
    world.patch(f"/consultations/{made['id']}", {"version": 1, "closes_at": later})
    assert store.closed_unpurged(closes + timedelta(days=1)) == []  # moved: the job waits for the new close
    assert service.purge_closed(closes + timedelta(days=8)) == 1
    assert store.closed_unpurged(closes + timedelta(days=30)) == []


def test_the_lazy_purge_stays_a_second_safety(world: World, residents: dict[str, Any]) -> None:  # noqa: F811
    made = consultation(world, audience="segment", segment_id=residents["segment"]["id"])
    martin = residents["martin"]["id"]
    post_form(world, path_of(service.personal_url("t-ville", made["id"], martin)), FORM)
    _close(made["id"], datetime.now(UTC) - timedelta(minutes=5))
    world.get(f"/consultations/{made['id']}")  # a read after the close, before the job
    assert store.get_link("t-ville", made["id"], f"c-{martin}") is None
    assert store.closed_unpurged(datetime.now(UTC)) == []
    assert _run_job(world) == {"purged": 0}
