"""The retention policy: its settings (CNIL defaults, validation field by field), the preview (admins, paginated,
with each reason), the weekly run anonymising exactly what the preview listed, never a contact with an open task,
a future invitation or a legal hold, each action audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.domain.erasure import PLACEHOLDER
from chalicelib.services import retention
from chalicelib.store import audit as audit_store
from tests.api.test_events_api import later
from tests.support.responses import error_of, ok
from tests.support.world import World

T = "liste"
FOUR_YEARS_ON = date.today() + timedelta(days=4 * 366)


@pytest.fixture
def four_years_on(monkeypatch: pytest.MonkeyPatch) -> date:
    """The run and the preview judge as if four years had passed (every contact made now is inactive by then)."""
    monkeypatch.setattr(retention, "_today", lambda tenant_id: FOUR_YEARS_ON)
    return FOUR_YEARS_ON


def person(world: World, last_name: str, tenant: str = T, **fields: Any) -> str:
    body = {"kind": "person", "first_name": "Anne", "last_name": last_name, "emails": [f"{last_name}@exemple.fr"]}
    return str(ok(world.post("/contacts", {**body, **fields}, tenant=tenant), 201)["id"])


@pytest.fixture
def directory(world: World) -> dict[str, str]:
    made = {name: person(world, name) for name in ("Ancien", "Oublie", "Tache", "Invite", "Garde", "Dernier")}
    world.interaction(
        made["Tache"],
        {"kind": "call", "date": "2026-11-30", "summary": "Appel", "follow_up": {"title": "Rappeler"}},
        tenant=T,
    )
    event = ok(
        world.post(
            "/events",
            {"title": "Réunion publique", "kind": "reunion_publique", "starts_at": later(30), "status": "open"},
            tenant=T,
        ),
        201,
    )
    world.invite(event["id"], [made["Invite"]], tenant=T)
    held = ok(world.request("PUT", f"/contacts/{made['Garde']}/legal-hold", {"legal_hold": True}, tenant=T))
    assert held["legal_hold"] is True
    return made


def _preview_all(world: World, limit: int = 1) -> list[dict[str, Any]]:
    """Every page of the preview (one action a page: the cursor is exercised)."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(world.get(f"/retention/preview?limit={limit}" + (f"&cursor={cursor}" if cursor else ""), tenant=T))
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def _run(world: World) -> Any:
    event = world.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    return world.client.lambda_.invoke("apply_retention", event).payload


def test_the_policy_has_the_cnil_defaults_and_is_checked_field_by_field(world: World) -> None:
    policy = ok(world.get("/settings/retention", tenant=T))
    assert policy["enabled"] is False and policy["version"] is None
    assert (policy["inactive_months"], policy["prospect_months"], policy["after_election_months"]) == (36, 2, 1)
    assert "CNIL" in policy["rules"]["prospect_months"]["source"]
    bad = {"version": None, "inactive_months": 0, "prospect_months": 99, "election_id": "inconnue-2099"}
    details = error_of(world.request("PUT", "/settings/retention", bad, tenant=T), 422, "validation_error")["details"]
    assert {d["field"] for d in details} == {"inactive_months", "prospect_months"}
    unknown = {"version": None, "election_id": "inconnue-2099"}
    details = error_of(world.request("PUT", "/settings/retention", unknown, tenant=T), 422, "validation_error")
    assert details["details"] == [{"field": "election_id", "message": "Élection inconnue (voir GET /elections)."}]
    wrong_kind = {"version": None, "prospect_months": 3}
    details = error_of(world.request("PUT", "/settings/retention", wrong_kind), 422, "validation_error")["details"]
    assert details[0]["field"] == "prospect_months" and "politiques" in details[0]["message"]
    typed = world.request("PUT", "/settings/retention", {"version": None, "inactive_months": "trois"}, tenant=T)
    assert error_of(typed, 422, "validation_error")["details"][0]["field"] == "inactive_months"
    saved = ok(world.request("PUT", "/settings/retention", {"version": None, "enabled": True}, tenant=T))
    assert saved["enabled"] is True and saved["version"] == 1
    stale = world.request("PUT", "/settings/retention", {"version": None, "enabled": False}, tenant=T)
    assert error_of(stale, 409, "conflict")
    assert ok(world.get("/settings/retention", tenant=T))["enabled"] is True
    assert ok(world.get("/settings/retention"))["enabled"] is False  # per tenant


def test_only_admins_see_or_change_the_policy_and_its_preview(world: World, directory: dict[str, str]) -> None:
    for role in ("cabinet", "protocole", "communication", "lecteur"):
        assert error_of(world.get("/settings/retention", tenant=T, role=role), 403, "forbidden")
        assert error_of(world.get("/retention/preview", tenant=T, role=role), 403, "forbidden")
        put = world.request("PUT", "/settings/retention", {"version": None, "enabled": True}, tenant=T, role=role)
        assert error_of(put, 403, "forbidden")
        hold = world.request("PUT", f"/contacts/{directory['Ancien']}/legal-hold", {"legal_hold": True}, role=role)
        assert error_of(hold, 403, "forbidden")
    other = world.request("PUT", f"/contacts/{directory['Ancien']}/legal-hold", {"legal_hold": True})
    assert error_of(other, 404, "not_found")  # another tenant's contact


def test_nothing_is_due_today(world: World, directory: dict[str, str]) -> None:
    assert _preview_all(world) == []


def test_the_run_anonymises_exactly_what_the_preview_listed(
    world: World, directory: dict[str, str], four_years_on: date
) -> None:
    kept = {name: ok(world.get(f"/contacts/{directory[name]}", tenant=T))["contact"] for name in directory}
    listed = _preview_all(world)
    expected = {directory[name] for name in ("Ancien", "Oublie", "Dernier")}
    assert {a["contact_id"] for a in listed} == expected and len(listed) == 3
    assert all(a["rule"] == "inactive" and a["reason"].startswith("Aucun échange depuis le") for a in listed)
    assert {a["name"] for a in listed} == {"Anne Ancien", "Anne Oublie", "Anne Dernier"}
    # the policy is off: the run does nothing
    assert _run(world) == {"t-ville": 0, "t-liste": 0}
    ok(world.request("PUT", "/settings/retention", {"version": None, "enabled": True}, tenant=T))
    assert _run(world) == {"t-ville": 0, "t-liste": 3}
    for name, before in kept.items():
        after = ok(world.get(f"/contacts/{directory[name]}", tenant=T))["contact"]
        if directory[name] in expected:
            assert after["last_name"] == PLACEHOLDER and not after.get("emails") and after["erased_at"], name
        else:  # open task, future invitation, legal hold: untouched
            assert after == before, name
    entries = [e for e in audit_store.page("t-liste", None, 100).items if e.action == "retention"]
    assert sorted(e.resource_id for e in entries) == sorted(expected)
    assert all(e.actor_id == retention.RUN_ACTOR and e.detail and e.detail["rule"] == "inactive" for e in entries)
    assert all("exemple.fr" not in str(e.detail) and "Ancien" not in str(e.detail) for e in entries)
    # a second run (or a run resumed) finds nothing more; the persons may come back through an import
    assert _preview_all(world) == [] and _run(world) == {"t-ville": 0, "t-liste": 0}
    again = {"kind": "person", "last_name": "Ancien", "emails": ["Ancien@exemple.fr"]}
    assert world.post("/contacts", again, tenant=T).status_code == 201


def test_lifting_a_legal_hold_makes_the_contact_due_again(
    world: World, directory: dict[str, str], four_years_on: date
) -> None:
    garde = directory["Garde"]
    assert garde not in {a["contact_id"] for a in _preview_all(world, limit=10)}
    lifted = ok(world.request("PUT", f"/contacts/{garde}/legal-hold", {"legal_hold": False}, tenant=T))
    assert lifted["legal_hold"] is False
    assert garde in {a["contact_id"] for a in _preview_all(world, limit=10)}
