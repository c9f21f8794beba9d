"""The consultation page in headless Chromium, on the real local stack, JavaScript off.

A respondent opens the public link, answers every kind of question (a choice, several, a scale, free text, a
ranking by rank numbers), reads the confirmation, comes back and changes their answer from the same browser, which
replaces the first; a missing required answer is explained and leads to its field. axe-core finds no serious or
critical violation on any of the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.e2e.conftest import token
from tests.support.browser import assert_accessible, open_page

pytestmark = pytest.mark.e2e

TIMEOUT = 30
TITLE = "Réaménagement de la place du Marché"
QUESTIONS = [
    {"kind": "single", "label": "Êtes-vous favorable au projet ?", "options": ["Oui", "Non"], "required": True},
    {"kind": "multiple", "label": "Comment venez-vous au marché ?", "options": ["À pied", "À vélo", "En bus"]},
    {"kind": "scale", "label": "Votre satisfaction actuelle"},
    {"kind": "text", "label": "Vos remarques"},
    {"kind": "ranking", "label": "Vos priorités", "options": ["Ombre", "Bancs", "Fontaine"]},
]
SUBMIT = "Envoyer ma réponse"


@pytest.fixture(scope="module")
def api(stack) -> tuple[str, dict[str, str]]:
    state, _, _ = stack
    return state["api_url"], {"Authorization": f"Bearer {token(state, 'ville-demo')}"}


@pytest.fixture(scope="module")
def consultation(api: tuple[str, dict[str, str]]) -> dict[str, Any]:
    url, headers = api
    now = datetime.now(UTC)
    body = {
        "title": TITLE,
        "introduction": "La commune prépare le réaménagement de la place. Donnez votre avis avant la fin du mois.",
        "questions": QUESTIONS,
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=20)).isoformat(),
        "audience": "public",
    }
    response = requests.post(f"{url}/consultations", json=body, headers=headers, timeout=TIMEOUT)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    assert made["public_url"].startswith(url + "/public/consultations/"), made["public_url"]
    return made


@pytest.fixture
def plain_page(chromium) -> Iterator[Any]:
    """A French page with JavaScript switched off."""
    with open_page(chromium, java_script_enabled=False) as page:
        yield page


def results(api: tuple[str, dict[str, str]], consultation_id: str) -> dict[str, Any]:
    url, headers = api
    response = requests.get(f"{url}/consultations/{consultation_id}/results", headers=headers, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_respondent_answers_then_changes_their_answer_without_javascript(chromium, api, consultation, plain_page):
    page = plain_page
    response = page.goto(consultation["public_url"])
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.locator("script").count() == 0
    assert_accessible(chromium, page)

    page.get_by_label("Oui", exact=True).check()
    page.get_by_label("À vélo").check()
    page.get_by_label("En bus").check()
    page.get_by_role("group", name="Votre satisfaction actuelle").get_by_label("4", exact=True).check()
    page.get_by_label("Vos remarques").fill("Plus d'arbres, s'il vous plaît.")
    for option, rank in (("Ombre", "2"), ("Bancs", "3"), ("Fontaine", "1")):
        page.get_by_label(option, exact=True).select_option(rank)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=SUBMIT).click()
    assert navigation.value.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Merci, votre réponse est enregistrée"
    assert_accessible(chromium, page)

    first = results(api, consultation["id"])
    assert first["respondents"] == 1
    single, multiple, scale, text, ranking = first["questions"]
    assert [o["count"] for o in single["options"]] == [1, 0]
    assert [o["count"] for o in multiple["options"]] == [0, 1, 1]
    assert scale["mean"] == 4.0 and text["texts"] == ["Plus d'arbres, s'il vous plaît."]
    assert [o["mean_rank"] for o in ranking["options"]] == [2.0, 3.0, 1.0]

    # Back on the link, the same browser sees its answer and changes it: the new one replaces the first.
    page.get_by_role("link", name="Revoir ou modifier ma réponse").click()
    assert "Vous avez déjà répondu" in page.get_by_role("status").inner_text()
    assert page.get_by_label("Oui", exact=True).is_checked()
    assert page.get_by_label("Vos remarques").input_value() == "Plus d'arbres, s'il vous plaît."
    assert_accessible(chromium, page)
    page.get_by_label("Non", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Modifier ma réponse").click()
    assert "remplace la précédente" in page.get_by_role("status").inner_text()
    second = results(api, consultation["id"])
    assert second["respondents"] == 1 and [o["count"] for o in second["questions"][0]["options"]] == [0, 1]


def test_a_missing_answer_is_explained_and_leads_to_its_field(chromium, consultation, plain_page):
    page = plain_page
    page.goto(consultation["public_url"])
    page.get_by_label("Vos remarques").fill("Sans avis sur le reste.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=SUBMIT).click()
    assert navigation.value.status == 422
    assert page.title().startswith(f"Erreur – {TITLE}")
    alert = page.get_by_role("alert")
    message = "Merci de répondre à la question « Êtes-vous favorable au projet ? »."
    assert message in alert.inner_text()
    assert page.get_by_label("Oui", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Vos remarques").input_value() == "Sans avis sur le reste."  # nothing typed is lost
    assert_accessible(chromium, page)
    alert.get_by_role("link", name=message).click()
    assert page.url.endswith("#q1-0")


def test_an_altered_link_gives_the_french_not_found_page(chromium, consultation, plain_page):
    page = plain_page
    base, _, link_token = consultation["public_url"].rpartition("/")
    response = page.goto(f"{base}/{link_token[:-2]}{'AA' if not link_token.endswith('AA') else 'BB'}")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Lien introuvable"
    assert TITLE not in page.content()
    assert_accessible(chromium, page)


@pytest.mark.parametrize("width", [360, 320])  # a common phone, and WCAG 1.4.10's reflow width
def test_no_sideways_scrolling_on_a_phone(chromium, consultation, width):
    # JavaScript on here, only to measure the page as a phone would lay it out.
    with open_page(chromium, viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True) as page:
        page.goto(consultation["public_url"])
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{scroll_width} px wide on a {width} px screen"
        assert page.get_by_role("button", name=SUBMIT).is_visible()
