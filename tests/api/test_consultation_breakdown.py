"""An identified consultation's results broken down by the respondents' commune (the default), postcode, or
membership of a segment (evaluated with the segments' rules over the respondents read by BatchGetItem, never one
read per contact, never a Scan); anonymous and public consultations are never broken down."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.services import consultations as service
from chalicelib.store import contacts as contacts_store
from tests.api.test_consultation_page import FORM, path_of, post_form
from tests.api.test_consultations import consultation
from tests.support.responses import error_of, ok
from tests.support.world import World

ROUEN = {"lines": ["1 place du Marché"], "city": "Rouen", "insee_code": "76540"}


@pytest.fixture
def answered(world: World) -> dict[str, Any]:
    """Anne (76000, tag nord) and Bruno (76100) in Rouen, Chloé without an address (tag nord), who answered « Oui »,
    « Non » and « Oui » to an identified consultation; the segment « Nord » (tag nord)."""
    people = {
        "anne": {"last_name": "Anne", "address": {**ROUEN, "postcode": "76000"}, "tags": ["nord"]},
        "bruno": {"last_name": "Bruno", "address": {**ROUEN, "postcode": "76100"}},
        "chloe": {"last_name": "Chloé", "tags": ["nord"]},
    }
    ids = {k: ok(world.post("/contacts", {"kind": "person", **v}), 201)["id"] for k, v in people.items()}
    everyone = ok(world.post("/segments", {"name": "Tous", "filter": {"kind": "person"}, "shared": True}), 201)
    nord = ok(world.post("/segments", {"name": "Nord", "filter": {"tag": "nord"}, "shared": True}), 201)
    made = consultation(world, audience="segment", segment_id=everyone["id"], anonymous=False)
    for who, choice in (("anne", "Oui"), ("bruno", "Non"), ("chloe", "Oui")):
        path = path_of(service.personal_url("t-ville", made["id"], ids[who]))
        assert post_form(world, path, {**FORM, "q1": choice}).status_code == 200
    return {"consultation": made, "nord": nord, "everyone": everyone, **ids}


def _by(world: World, consultation_id: str, query: str = "") -> dict[str, list[tuple[str, int]]]:
    """group → [(option, count)] of the first question."""
    results = ok(world.get(f"/consultations/{consultation_id}/results{query}"))
    return {g["group"]: [(o["label"], o["count"]) for o in g["questions"][0]["options"]] for g in results["breakdown"]}


def test_by_commune_stays_the_default(world: World, answered: dict[str, Any]) -> None:
    cid = answered["consultation"]["id"]
    expected = {"(sans commune)": [("Oui", 1), ("Non", 0)], "Rouen (76540)": [("Oui", 1), ("Non", 1)]}
    assert _by(world, cid) == expected
    assert _by(world, cid, "?by=commune") == expected


def test_by_postcode(world: World, answered: dict[str, Any]) -> None:
    assert _by(world, answered["consultation"]["id"], "?by=postcode") == {
        "(sans code postal)": [("Oui", 1), ("Non", 0)],
        "76000": [("Oui", 1), ("Non", 0)],
        "76100": [("Oui", 0), ("Non", 1)],
    }


def test_by_segment_reads_the_respondents_in_one_batch(
    world: World, answered: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[list[str]] = []
    batch_get = contacts_store.batch_get

    def counted(tenant_id: str, contact_ids: Any) -> Any:
        batches.append(list(contact_ids))
        return batch_get(tenant_id, batches[-1])

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("one read per contact")

    monkeypatch.setattr(contacts_store, "batch_get", counted)
    monkeypatch.setattr(contacts_store, "get", refused)
    monkeypatch.setattr(contacts_store, "tenant_page", refused)  # the segment is not evaluated over everyone
    cid = answered["consultation"]["id"]
    assert _by(world, cid, f"?segment_id={answered['nord']['id']}") == {
        "Dans le segment": [("Oui", 2), ("Non", 0)],
        "Hors segment": [("Oui", 0), ("Non", 1)],
    }
    assert [sorted(b) for b in batches] == [sorted([answered["anne"], answered["bruno"], answered["chloe"]])]


def test_an_archived_or_deleted_respondent_counts_out_of_the_segment(world: World, answered: dict[str, Any]) -> None:
    anne = contacts_store.get("t-ville", answered["anne"])
    assert anne is not None
    contacts_store.update(anne, replace(anne, doc={**anne.doc, "archived": True}))
    cid = answered["consultation"]["id"]
    assert _by(world, cid, f"?segment_id={answered['nord']['id']}") == {
        "Dans le segment": [("Oui", 1), ("Non", 0)],
        "Hors segment": [("Oui", 1), ("Non", 1)],
    }
    chloe = contacts_store.get("t-ville", answered["chloe"])
    assert chloe is not None
    contacts_store.delete(chloe)
    assert _by(world, cid, f"?segment_id={answered['nord']['id']}") == {
        "Dans le segment": [("Oui", 0), ("Non", 0)],  # both groups always shown, even empty
        "Hors segment": [("Oui", 2), ("Non", 1)],
    }


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("?by=quartier", 422, "by"),
        ("?segment_id=01ARZ3NDEKTSV4RRFFQ69G5FAV", 404, "segment_id"),
        ("?by=postcode&segment_id={nord}", 422, "segment_id"),
    ],
)
def test_a_bad_breakdown_is_refused_with_its_field(
    world: World, answered: dict[str, Any], query: str, status: int, field: str
) -> None:
    cid = answered["consultation"]["id"]
    response = world.get(f"/consultations/{cid}/results{query.format(nord=answered['nord']['id'])}")
    error = error_of(response, status, "validation_error" if status == 422 else "not_found")
    assert field in [d["field"] for d in error["details"]], error


def test_another_users_private_segment_is_unknown(world: World, answered: dict[str, Any]) -> None:
    mine = ok(world.post("/segments", {"name": "À moi", "filter": {"tag": "nord"}}, role="cabinet"), 201)
    cid = answered["consultation"]["id"]
    error = error_of(world.get(f"/consultations/{cid}/results?segment_id={mine['id']}"), 404, "not_found")
    assert [d["field"] for d in error["details"]] == ["segment_id"]


def test_anonymous_and_public_consultations_are_never_broken_down(world: World, answered: dict[str, Any]) -> None:
    anonymous = consultation(world, audience="segment", segment_id=answered["everyone"]["id"])
    public = consultation(world)
    for made in (anonymous, public):
        for query in ("", "?by=postcode", f"?segment_id={answered['nord']['id']}"):
            assert ok(world.get(f"/consultations/{made['id']}/results{query}"))["breakdown"] is None
