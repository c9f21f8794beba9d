"""An institution's consultation open during an L52-1 window (art. L52-1 al. 2 du Code électoral): its texts are
assessed as events' and campaigns' are, the finding is stored with it, and as long as a warning is not acknowledged
or a blocking finding not lifted by an admin's written override, it is not published: its links take no answer.

The window is a general municipal election of the tenant's commune added to its calendar three months from today,
so that these tests run whatever the date (the bundled calendar's windows come and go)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain import time as clock
from chalicelib.store import consultations as store
from tests.api.test_campaigns import campaign, contact
from tests.api.test_consultation_page import FORM, get_page, path_of, post_form
from tests.api.test_consultations import consultation
from tests.api.test_electoral_compliance import PARTISAN, audit_entries
from tests.support.responses import error_of, ok
from tests.support.world import World

WARNING = "Le bureau de vote sera ouvert le dimanche de l'élection."  # a reference to read: a warning
JUSTIFICATION = "Citation d'un discours historique de 1945, sans lien avec l'élection : validé par le DGS."


@pytest.fixture
def window(world: World) -> str:
    day = clock.today() + timedelta(days=90)
    body = {
        "id": f"municipales-test-{day.year}",
        "kind": "municipales",
        "general": True,
        "territory": {"communes": ["76540"]},
        "rounds": [{"date": day.isoformat()}],
        "sources": ["Élection de test"],
    }
    election = ok(world.post("/elections", body), 201)
    ids = [w["election_id"] for w in ok(world.get("/elections/windows"))["items"]]
    assert election["id"] in ids  # today is inside its window
    return str(election["id"])


def _answer(world: World, made: dict[str, Any]) -> Any:
    path = path_of(made["public_url"])
    cookie = get_page(world, path).headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    return post_form(world, path, FORM, cookie)


def test_a_neutral_consultation_in_a_window_is_published_at_once(world: World, window: str) -> None:
    made = consultation(world)
    assert made["compliance"]["applies"] is True and made["compliance"]["level"] == "ok"
    assert window in [w["election_id"] for w in made["compliance"]["windows"]]
    assert made["published"] is True
    [finding] = made["compliance"]["findings"]  # worded for a consultation, not an event's invitation
    assert "le titre, l'introduction, les questions et le texte de consentement ne contiennent" in finding["message"]
    assert _answer(world, made).status_code == 200


def test_warnings_need_an_acknowledgement_before_anyone_answers(world: World, window: str) -> None:
    made = consultation(world, introduction=WARNING)
    assert made["compliance"]["level"] == "warning" and made["published"] is False
    refused = _answer(world, made)
    assert refused.status_code == 409 and "pas encore ouverte" in refused.body.decode()
    assert list(store.responses("t-ville", made["id"])) == []

    publish = f"/consultations/{made['id']}/publish"
    error = error_of(world.post(publish, {}, role="communication"), 409, "compliance_warnings_unacknowledged")
    assert "compliance.neutralite" in [d["field"] for d in error["details"]]
    published = ok(world.post(publish, {"acknowledge_warnings": True}, role="communication"))
    assert published["published"] is True and published["compliance"]["level"] == "warning"
    assert store.get("t-ville", made["id"]).doc["clearance"]["covers"]  # type: ignore[union-attr]
    [entry] = [e for e in audit_entries(world) if e["resource_type"] == "consultation_compliance"]
    assert (entry["action"], entry["resource_id"]) == ("acknowledge", made["id"])
    assert _answer(world, made).status_code == 200
    assert len(list(store.responses("t-ville", made["id"]))) == 1


def test_a_blocking_finding_needs_the_admins_override_then_publishing(world: World, window: str) -> None:
    made = consultation(world, introduction=PARTISAN)
    assert made["compliance"]["level"] == "blocking" and made["published"] is False
    publish = f"/consultations/{made['id']}/publish"
    error = error_of(world.post(publish, {"acknowledge_warnings": True}), 409, "compliance_override_required")
    assert "POST /consultations/{id}/compliance/override" in error["message"]

    override = f"/consultations/{made['id']}/compliance/override"
    error_of(world.post(override, {"justification": JUSTIFICATION}, role="cabinet"), 403, "forbidden")
    lifted = ok(world.post(override, {"justification": JUSTIFICATION}))
    assert lifted["override"]["justification"] == JUSTIFICATION and lifted["level"] == "blocking"
    stored = store.get("t-ville", made["id"])
    assert stored is not None and stored.doc["override"]["justification"] == JUSTIFICATION
    assert stored.doc["compliance"]["override"]["justification"] == JUSTIFICATION
    assert ok(world.get(f"/consultations/{made['id']}"))["published"] is False  # lifted, not yet published
    entries = [e for e in audit_entries(world) if e["resource_type"] == "consultation_compliance"]
    assert [e["action"] for e in entries] == ["override"]
    assert entries[0]["detail"]["justification"] == JUSTIFICATION

    published = ok(world.post(publish, {"acknowledge_warnings": True}))
    assert published["published"] is True
    assert published["compliance"]["override"]["justification"] == JUSTIFICATION
    assert _answer(world, made).status_code == 200


def test_nothing_to_lift_is_a_conflict(world: World, window: str) -> None:
    made = consultation(world)
    override = f"/consultations/{made['id']}/compliance/override"
    error = error_of(world.post(override, {"justification": JUSTIFICATION}), 409, "conflict")
    assert "cette consultation" in error["message"]


def test_new_words_after_publishing_need_a_new_clearance(world: World, window: str) -> None:
    made = consultation(world, introduction=WARNING)
    ok(world.post(f"/consultations/{made['id']}/publish", {"acknowledge_warnings": True}))
    changed = ok(world.patch(f"/consultations/{made['id']}", {"version": 2, "introduction": PARTISAN}))
    assert changed["compliance"]["level"] == "blocking" and changed["published"] is False
    assert _answer(world, made).status_code == 409
    neutral = ok(world.patch(f"/consultations/{made['id']}", {"version": 3, "introduction": "Donnez votre avis."}))
    assert neutral["compliance"]["level"] == "ok" and neutral["published"] is True


def test_a_political_tenants_consultation_is_never_held(world: World, window: str) -> None:
    body = {
        "title": "Votre avis",
        "introduction": PARTISAN,
        "questions": [{"kind": "text", "label": "Remarques"}],
        "opens_at": (clock.now() - timedelta(days=1)).isoformat(),
        "closes_at": (clock.now() + timedelta(days=10)).isoformat(),
        "audience": "public",
    }
    made = ok(world.post("/consultations", body, tenant="liste"), 201)
    assert made["compliance"] is None and made["published"] is True
    assert ok(world.post(f"/consultations/{made['id']}/publish", {}, tenant="liste"))["published"] is True


def test_a_campaign_inviting_to_a_held_consultation_waits_for_its_publication(world: World, window: str) -> None:
    """Its recipients would find a page that takes no answer: the campaign is refused until the consultation is
    published (the campaign's own texts are then assessed as any campaign's)."""
    made = consultation(world, introduction=WARNING)
    guest = contact(world, "Martin", tenant="ville", emails=["martin@example.fr"])
    invitation = campaign(
        world,
        tenant="ville",
        contact_ids=[guest],
        consultation_id=made["id"],
        body="Donnez votre avis : {{ consultation_url }}",
    )
    send = f"/campaigns/{invitation['id']}/send"
    error = error_of(world.post(send, {"acknowledge_warnings": True}, tenant="ville"), 409, "conflict")
    assert error["details"][0]["field"] == "consultation_id" and "POST /consultations/{id}/publish" in error["message"]
    ok(world.post(f"/consultations/{made['id']}/publish", {"acknowledge_warnings": True}))
    sent = world.post(send, {"acknowledge_warnings": True}, tenant="ville")
    assert sent.status_code == 202, sent.body
