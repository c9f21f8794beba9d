"""Idempotency-Key on the POSTs that start work: a retry gets the first answer and starts nothing; the same key with
another body is a 422, a key is the user's and the route's own, an error answer is not kept."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import aws
from chalicelib.settings import get_settings
from tests.support.responses import error_of, ok
from tests.support.world import World


def letters_queued() -> int:
    sqs = aws.sqs()
    url = aws.queue_url(get_settings().queue_name("letters"))
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def post(world: World, path: str, body: Any, key: str | None, role: str = "admin") -> Any:
    headers = world.headers(role=role)
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return world.request("POST", path, body, headers=headers)


@pytest.fixture
def letter(world: World) -> dict[str, Any]:
    contact = ok(world.post("/contacts", {"kind": "person", "last_name": "Martin"}), 201)
    return {"contact_ids": [contact["id"]], "template": "voeux"}


def test_a_retried_request_gets_the_first_answer_and_starts_nothing(world: World, letter: dict[str, Any]) -> None:
    first = post(world, "/letters", letter, "lettres-2026-12-05-1")
    assert first.status_code == 202
    again = post(world, "/letters", letter, "lettres-2026-12-05-1")
    assert again.status_code == 202 and again.json_body == first.json_body
    assert letters_queued() == 1
    # without a key, or with another one, it is a new request
    assert post(world, "/letters", letter, None).json_body["id"] != first.json_body["id"]
    assert post(world, "/letters", letter, "lettres-2026-12-05-2").json_body["id"] != first.json_body["id"]
    assert letters_queued() == 3


def test_the_same_key_with_another_body_is_refused(world: World, letter: dict[str, Any]) -> None:
    ok(post(world, "/letters", letter, "cle-unique"), 202)
    other = post(world, "/letters", {**letter, "subject": "Autre objet"}, "cle-unique")
    assert error_of(other, 422, "validation_error")["details"][0]["field"] == "Idempotency-Key"
    assert letters_queued() == 1


def test_a_key_belongs_to_its_user_and_its_route(world: World, letter: dict[str, Any]) -> None:
    mine = ok(post(world, "/letters", letter, "ma-cle"), 202)
    theirs = ok(post(world, "/letters", letter, "ma-cle", role="cabinet"), 202)
    assert theirs["id"] != mine["id"]  # another user: another request
    assert letters_queued() == 2


def test_an_error_is_not_kept_and_a_bad_key_is_refused(world: World, letter: dict[str, Any]) -> None:
    wrong = post(world, "/letters", {**letter, "template": "inconnu"}, "essai")
    assert wrong.status_code == 422
    assert post(world, "/letters", letter, "essai").status_code == 202  # corrected, same key: it runs
    for key in ("", " ", "é", "x" * 256):
        response = post(world, "/letters", letter, key)
        if key == "":
            assert response.status_code == 202  # no key at all
        else:
            assert error_of(response, 400, "bad_request")["details"][0]["field"] == "Idempotency-Key"


def test_every_post_that_starts_work_says_it_honours_the_key(world: World) -> None:
    document = ok(world.get("/openapi.json"))
    honoured = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method, op in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
    }
    assert honoured == {
        ("POST", "/letters"),
        ("POST", "/imports"),
        ("POST", "/imports/rne"),
        ("POST", "/imports/contacts"),
        ("POST", "/imports/{import_id}/commit"),
        ("POST", "/events/{event_id}/invitations/send"),
        ("POST", "/campaigns/{campaign_id}/send"),
    }
