from __future__ import annotations

import pytest
from chalice.test import Client

from tests.support.world import World, build_world


@pytest.fixture
def world(aws_mock) -> World:
    from app import app

    with Client(app, stage_name="local") as client:
        yield build_world(client)


@pytest.fixture
def no_send_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed sends retried at once: the attempts are what tests count, the waits between them only slow them."""
    from chalicelib.messaging import outbound

    monkeypatch.setattr(outbound, "_sleep", lambda attempt: None)


@pytest.fixture
def person() -> dict:
    return {
        "kind": "person",
        "civility": "Mme",
        "first_name": "Hélène",
        "last_name": "Lefèvre-Dubois",
        "emails": ["Helene.Lefevre@Exemple.FR"],
        "phones": ["06 12 34 56 78"],
        "address": {"lines": ["12 rue du Gros-Horloge"], "postcode": "76000", "city": "Rouen", "insee_code": "76540"},
        "tags": ["Riverain", "Vœux 2026"],
    }
