"""The unsubscribe link of a campaign email in headless Chromium, on the real local stack: with JavaScript off, a
person stops the emails and the SMS in one click, and axe-core finds no serious or critical violation on the
page or its confirmation; the contact's consents then say so through the API."""

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


def test_a_person_unsubscribes_from_emails_and_sms_without_javascript(stack, chromium: Any) -> None:
    state, _, _ = stack
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    suffix = uuid4().hex[:8]
    created = requests.post(
        state["api_url"] + "/contacts",
        json={
            "kind": "person",
            "first_name": "Inès",
            "last_name": f"Désinscription{suffix}",
            "emails": [f"ines.{suffix}@exemple.fr"],
            "phones": ["06 11 22 33 44"],
        },
        headers=headers,
        timeout=TIMEOUT,
    )
    assert created.status_code == 201, created.text
    contact_id = created.json()["id"]
    link = f"{state['api_url']}/public/unsubscribe/{tokens.sign(LOCAL_LINK_KEY, 'ville-demo', contact_id, 'unsub')}"
    with open_page(chromium, java_script_enabled=False) as page:
        response = page.goto(link)
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.get_by_role("heading", level=1).inner_text() == "Se désinscrire"
        assert_accessible(chromium, page)
        page.get_by_label("Les SMS d'information").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Me désinscrire").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Vous êtes désinscrit(e)"
        assert "les courriels et les SMS" in page.get_by_role("status").inner_text()
        assert_accessible(chromium, page)
    consents = requests.get(f"{state['api_url']}/contacts/{contact_id}/consents", headers=headers, timeout=TIMEOUT)
    by_channel = {c["channel"]: c for c in consents.json()["items"]}
    assert by_channel["email"]["status"] == by_channel["sms"]["status"] == "withdrawn"
    assert by_channel["email"]["source"] == "unsubscribe"
