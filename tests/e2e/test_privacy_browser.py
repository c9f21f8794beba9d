"""The public privacy form in headless Chromium, on the real local stack: with JavaScript off, a person sends a
request with a mistake, reads the error linked to its field, corrects it and is told to check their mailbox; the
emailed link confirms it with its deadline. axe-core finds no serious or critical violation on any of these pages,
and the admins' queue then lists the request."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
import requests

from chalicelib.domain import tokens
from tests.e2e.conftest import LOCAL_LINK_KEY, token
from tests.support.browser import assert_accessible, open_page

pytestmark = pytest.mark.e2e

TIMEOUT = 30


def test_a_person_asks_for_their_data_without_javascript(stack, chromium: Any) -> None:
    state, _, _ = stack
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    address = f"acces.{uuid4().hex[:8]}@exemple.fr"
    with open_page(chromium, java_script_enabled=False) as page:
        response = page.goto(f"{state['api_url']}/public/privacy/ville-demo")
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.get_by_role("heading", level=1).inner_text() == "Exercer vos droits sur vos données"
        assert_accessible(chromium, page)

        page.get_by_label("Obtenir une copie de mes données (droit d'accès)").check()
        page.get_by_label("Votre adresse électronique *").fill("pas-une-adresse")
        with page.expect_navigation():
            page.get_by_role("button", name="Envoyer ma demande").click()
        assert page.title().startswith("Erreur – ")
        assert (
            page.get_by_role("alert")
            .get_by_role("link")
            .inner_text()
            .startswith("Cette adresse électronique n'est pas valide")
        )
        assert page.get_by_label("Votre adresse électronique *").get_attribute("aria-invalid") == "true"
        assert page.get_by_label("Obtenir une copie de mes données (droit d'accès)").is_checked()  # kept
        assert_accessible(chromium, page)

        page.get_by_label("Votre adresse électronique *").fill(address)
        with page.expect_navigation():
            page.get_by_role("button", name="Envoyer ma demande").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre messagerie"
        assert_accessible(chromium, page)

        pending = requests.get(
            f"{state['api_url']}/privacy-requests?status=pending_verification&limit=100",
            headers=headers,
            timeout=TIMEOUT,
        )
        (request,) = [r for r in pending.json()["items"] if r["email"] == address]
        link = tokens.sign(LOCAL_LINK_KEY, "ville-demo", request["id"], "privacy")
        response = page.goto(f"{state['api_url']}/public/privacy/verify/{link}")
        assert response is not None and response.status == 200
        assert page.get_by_role("heading", level=1).inner_text() == "Votre demande est confirmée"
        assert "au plus tard le" in page.locator("main").inner_text()
        assert_accessible(chromium, page)

    listed = requests.get(
        f"{state['api_url']}/privacy-requests?status=open&limit=100", headers=headers, timeout=TIMEOUT
    )
    (opened,) = [r for r in listed.json()["items"] if r["email"] == address]
    assert opened["kind"] == "access" and opened["deadline"] and opened["overdue"] is False
