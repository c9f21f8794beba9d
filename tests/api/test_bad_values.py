"""Bad values are refused with a 422 naming the field; they are never written over good ones.

A null for a field that cannot be empty, a line break in a one-line field (it ends up in an email header: the
subject, the sender's name), an address Cognito refuses: each used to be stored or to end in a 500.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_events_api import ACK, new_event, person
from tests.api.test_mandates_api import MAIRE
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails
from tests.support.world import World


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.body
    assert field in [d["field"] for d in response.json_body["error"]["details"]], response.body


EVENT_NON_NULL = ("title", "kind", "starts_at", "status", "companions_max", "regrets_only")


@pytest.mark.parametrize("field", EVENT_NON_NULL)
def test_a_null_never_empties_an_event_field_that_cannot_be_empty(world: World, field: str) -> None:
    event = new_event(world)
    refused(world.patch(f"/events/{event['id']}", {"version": event["version"], field: None}), field)
    assert ok(world.get(f"/events/{event['id']}")) == event
    # The fields that may be empty still can be.
    cleared = ok(world.patch(f"/events/{event['id']}", {"version": event["version"], "place": None}))
    assert cleared["place"] is None and cleared["status"] == event["status"]


def test_a_null_never_empties_a_required_field_elsewhere(world: World) -> None:
    contact = ok(world.post("/contacts", {"kind": "person", "last_name": "Martin"}), 201)
    refused(world.patch(f"/contacts/{contact['id']}", {"version": contact["version"], "kind": None}), "kind")
    mandate = world.mandate(contact["id"], MAIRE)
    path = f"/contacts/{contact['id']}/mandates/{mandate['id']}"
    for field in ("kind", "function", "source"):
        refused(world.patch(path, {"version": mandate["version"], field: None}), field)
    interaction = {"kind": "call", "date": "2026-11-02", "summary": "Appel", "follow_up": {"title": "Rappeler"}}
    task = world.interaction(contact["id"], interaction)["task"]
    for field in ("title", "status"):
        refused(world.patch(f"/tasks/{task['id']}", {field: None}), field)
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    refused(world.patch("/fields/quartier", {"label": None}), "label")
    user = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    for field in ("roles", "enabled"):
        refused(world.patch(f"/users/{user['id']}", {field: None}), field)
    settings = ok(world.get("/settings"))
    refused(world.patch("/settings", {"version": settings["version"], "timezone": None}), "timezone")
    for field in ("kind", "rounds", "territory", "sources", "general", "confirmed"):
        refused(world.patch("/elections/presidentielle-2027", {"version": 0, field: None}), field)
    assert ok(world.get("/settings"))["timezone"] == "Europe/Paris"
    assert ok(world.get(f"/contacts/{contact['id']}"))["contact"]["kind"] == "person"
    assert ok(world.get(f"/users/{user['id']}"))["roles"] == ["lecteur"]


ONE_LINE = ["Vœux\nBcc: tous@exemple.fr", "Vœux\r\nX: y", "Vœux\u2028suite", "Vœux\u0085suite", "Vœux\tdu maire"]


@pytest.mark.parametrize("value", ONE_LINE, ids=["lf", "crlf", "u2028", "nel", "tab"])
def test_one_line_fields_refuse_line_breaks_and_control_characters(world: World, value: str) -> None:
    event = new_event(world)
    refused(world.patch(f"/events/{event['id']}", {"version": event["version"], "title": value}), "title")
    refused(world.post("/events", {"title": value, "kind": "voeux", "starts_at": "2027-01-09T18:30:00"}), "title")
    settings = ok(world.get("/settings"))
    refused(world.patch("/settings", {"version": settings["version"], "sender_name": value}), "sender_name")
    refused(world.post("/contacts", {"kind": "person", "last_name": value}), "last_name")
    contact = person(world, "Martin")
    refused(world.post("/letters", {"contact_ids": [contact], "body": "Bonjour", "subject": value}), "subject")
    assert ok(world.get(f"/events/{event['id']}"))["title"] == event["title"]


def test_multi_line_fields_keep_their_lines(world: World) -> None:
    event = new_event(
        world, description="Programme :\n- discours\n- verre de l'amitié", invitation_text="Ligne 1\nLigne 2"
    )
    assert event["description"].count("\n") == 2 and event["invitation_text"] == "Ligne 1\nLigne 2"
    settings = ok(world.get("/settings"))
    patched = ok(world.patch("/settings", {"version": settings["version"], "letterhead": "Mairie\nHôtel de Ville"}))
    assert patched["letterhead"] == "Mairie\nHôtel de Ville"
    refused(
        world.patch(f"/events/{event['id']}", {"version": event["version"], "description": "a\x00b"}), "description"
    )


def test_a_sender_name_with_an_address_in_it_stays_a_name(world: World) -> None:
    settings = ok(world.get("/settings"))
    body = {"version": settings["version"], "sender_email": "mairie@rouen.fr", "sender_name": "Maire <x@evil.fr>"}
    ok(world.patch("/settings", body))
    event = new_event(world)
    guest = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [guest])
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    [message] = sent_emails()
    assert [a.addr_spec for a in message["From"].addresses] == ["mairie@rouen.fr"]
    assert message["From"].addresses[0].display_name == "Maire <x@evil.fr>"


def test_an_address_cognito_refuses_is_a_422_not_a_500(world: World) -> None:
    before = ok(world.get("/users?limit=100"))["items"]
    response = world.post("/users", {"email": "josé@exemple.fr", "roles": ["lecteur"]})
    refused(response, "email")
    assert ok(world.get("/users?limit=100"))["items"] == before
