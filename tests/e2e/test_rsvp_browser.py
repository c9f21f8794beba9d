"""The guest's RSVP page in headless Chromium, on the real local stack.

The link staff hand out opens in a browser with JavaScript off (the page must work without it), the guest
accepts with a companion and reads the confirmation; axe-core finds no serious or critical violation on
any of the pages, an altered link gives the French 404 page, and a phone-sized screen needs no sideways
scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
import requests

from tests.e2e.conftest import token
from tests.support.browser import assert_accessible, open_page

pytestmark = pytest.mark.e2e

TIMEOUT = 30
TITLE = "Inauguration de la médiathèque Simone-Veil"
COMPANION = "Léa Martin-Dubois"
ACCEPT = "Je serai présent(e)"
COMPANION_FIELD = "Nom et prénom de l'accompagnant(e) 1"
SUBMIT = "Enregistrer ma réponse"


@dataclass
class Api:
    url: str
    headers: dict[str, str]

    def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = requests.request(method, self.url + path, headers=self.headers, timeout=TIMEOUT, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()


@dataclass
class Guest:
    contact_id: str
    rsvp_url: str
    last_name: str


@pytest.fixture(scope="module")
def api(stack) -> Api:
    state, _, _ = stack
    return Api(state["api_url"], {"Authorization": f"Bearer {token(state, 'ville-demo')}"})


@pytest.fixture(scope="module")
def event_id(api: Api) -> str:
    now = datetime.now(UTC)
    event = api.call(
        "POST",
        "/events",
        201,
        json={
            "title": TITLE,
            "kind": "inauguration",
            "description": "Visite des lieux puis verre de l'amitié dans le hall.",
            "starts_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT11:00:00"),
            "rsvp_deadline": (now + timedelta(days=20)).strftime("%Y-%m-%dT12:00:00"),
            "place": "Médiathèque Simone-Veil",
            "address": "12 rue des Écoles, 76130 Mont-Saint-Aignan",
            "status": "open",
            "capacity": 100,
            "companions_max": 1,
        },
    )
    return event["id"]


@pytest.fixture
def guest(api: Api, event_id: str) -> Guest:
    """A newly invited person with an email address; their link, as staff read it in the guest list."""
    suffix = uuid4().hex[:8]
    contact = api.call(
        "POST",
        "/contacts",
        201,
        json={
            "kind": "person",
            "civility": "Mme",
            "first_name": "Hélène",
            "last_name": f"Navigateur{suffix}",
            "emails": [f"helene.{suffix}@exemple.fr"],
            "tags": ["e2e"],
        },
    )
    invited = api.call(
        "POST", f"/events/{event_id}/invitations", 201, json={"contact_ids": [contact["id"]], "channel": "email"}
    )
    assert len(invited["created"]) == 1, invited
    return Guest(contact["id"], invited["created"][0]["rsvp_url"], contact["last_name"])


@pytest.fixture
def plain_page(chromium) -> Iterator[Any]:
    """A French page with JavaScript switched off."""
    with open_page(chromium, java_script_enabled=False) as page:
        yield page


def _accept_with_companion(page: Any) -> None:
    page.get_by_label(ACCEPT, exact=True).check()
    page.get_by_label(COMPANION_FIELD).fill(COMPANION)
    with page.expect_navigation():
        page.get_by_role("button", name=SUBMIT).click()


def test_the_link_points_at_this_stack(stack, guest):
    state, _, _ = stack
    assert guest.rsvp_url.startswith(state["api_url"] + "/public/rsvp/"), guest.rsvp_url


def test_a_guest_accepts_with_a_companion_without_javascript(chromium, api, event_id, guest, plain_page):
    page = plain_page
    response = page.goto(guest.rsvp_url)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title().startswith(TITLE)
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.locator("script").count() == 0
    assert f"Bonjour Madame {guest.last_name}," in page.locator("main").inner_text()  # « Madame Navigateur… »
    assert_accessible(chromium, page)
    page.keyboard.press("Tab")  # the first stop is the skip link to the content
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#contenu"

    _accept_with_companion(page)

    assert page.url == guest.rsvp_url  # the form posts back to the link itself
    assert page.get_by_role("heading", level=1).inner_text() == "Merci, votre réponse est enregistrée"
    assert "Votre présence est confirmée" in page.get_by_role("status").inner_text()
    assert COMPANION in page.locator("main").inner_text()
    assert_accessible(chromium, page)

    accepted = api.call("GET", f"/events/{event_id}/guests", params={"status": "accepted", "limit": 100})["items"]
    mine = next(g for g in accepted if g["contact_id"] == guest.contact_id)
    assert (mine["status"], mine["seats"], mine["companions"]) == ("accepted", 2, [{"name": COMPANION}])
    assert [h["status"] for h in mine["history"]] == ["invited", "accepted"]

    # Back on the link, the page shows the answer given, ready to be changed.
    page.goto(guest.rsvp_url)
    assert "Votre présence est confirmée" in page.get_by_role("status").inner_text()
    assert page.get_by_label(ACCEPT, exact=True).is_checked()
    assert page.get_by_label(COMPANION_FIELD).input_value() == COMPANION
    assert_accessible(chromium, page)


def test_an_answer_without_a_choice_is_explained_then_corrected(chromium, guest, plain_page):
    page = plain_page
    page.goto(guest.rsvp_url)
    page.get_by_label(COMPANION_FIELD).fill(COMPANION)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=SUBMIT).click()
    assert navigation.value.status == 422
    assert page.title().startswith(f"Erreur – {TITLE}")
    alert = page.get_by_role("alert")
    assert "Votre réponse n'a pas pu être enregistrée" in alert.inner_text()
    assert "Choisissez une réponse." in alert.inner_text()
    accept = page.get_by_label(ACCEPT, exact=True)
    assert accept.get_attribute("aria-invalid") == "true"
    assert_accessible(chromium, page)

    alert.get_by_role("link", name="Choisissez une réponse.").click()  # the message leads to the field
    assert page.url.endswith("#response-accept")
    _accept_with_companion(page)
    assert page.title().startswith("Réponse enregistrée – ")
    assert "Votre présence est confirmée" in page.get_by_role("status").inner_text()


def test_an_altered_link_gives_the_french_not_found_page(chromium, guest, plain_page):
    page = plain_page
    base, _, link_token = guest.rsvp_url.rpartition("/")
    altered = link_token[:-2] + ("AA" if not link_token.endswith("AA") else "BB")
    response = page.goto(f"{base}/{altered}")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Lien introuvable"
    text = page.locator("main").inner_text()
    assert "Ce lien d'invitation n'est pas valide" in text
    assert "Hélène" not in page.content() and TITLE not in page.content()
    assert_accessible(chromium, page)


@pytest.mark.parametrize("width", [360, 320])  # a common phone, and WCAG 1.4.10's reflow width
def test_no_sideways_scrolling_on_a_phone(chromium, guest, width):
    # JavaScript on here, only to measure the page as a phone would lay it out.
    viewport = {"width": width, "height": 740}
    with open_page(chromium, viewport=viewport, is_mobile=True, has_touch=True) as page:

        def assert_fits() -> None:
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{page.url}: {scroll_width} px wide on a {width} px screen"

        page.goto(guest.rsvp_url)
        assert_fits()
        _accept_with_companion(page)
        assert "Votre présence est confirmée" in page.get_by_role("status").inner_text()
        assert_fits()
        page.goto(guest.rsvp_url.rsplit("/", 1)[0] + "/inconnu")
        assert page.get_by_role("heading", level=1).inner_text() == "Lien introuvable"
        assert_fits()
