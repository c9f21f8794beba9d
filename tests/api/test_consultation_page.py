"""The public consultation page: one answer per personal link, replaced by a second one until the close; a public
link limited per browser (cookie), per network address and by a honeypot; anonymous answers joined to nobody."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.domain import consultations as rules
from chalicelib.services import consultations as service
from chalicelib.store import consultations as store
from chalicelib.store import contacts as contacts_store
from tests.api.test_consultations import QUESTIONS, consultation, when
from tests.support.responses import error_of, ok
from tests.support.world import World

FORM = {"q1": "Oui", "q2": ["Vélo", "Bus"], "q3": "4", "q4": "Plus de bancs", "q5.0": "2", "q5.1": "1", "q5.2": "3"}


def path_of(url: str) -> str:
    return url[url.index("/public/") :]


def personal_path(consultation_id: str, contact_id: str) -> str:
    """The path of a contact's personal link to a consultation of tenant "ville"."""
    return path_of(service.personal_url("t-ville", consultation_id, contact_id))


def post_form(world: World, path: str, form: dict[str, Any], cookie: str | None = None) -> Any:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = f"agora_consultation={cookie}"
    return world.client.http.request("POST", path, headers=headers, body=urlencode(form, doseq=True).encode())


def post_json(world: World, path: str, body: bytes) -> Any:
    """An answer sent as JSON, as the page's script sends it."""
    return world.client.http.request("POST", path, headers={"Content-Type": "application/json"}, body=body)


def get_page(world: World, path: str, cookie: str | None = None) -> Any:
    headers = {"Cookie": f"agora_consultation={cookie}"} if cookie else {}
    return world.client.http.request("GET", path, headers=headers)


def cookie_of(response: Any) -> str:
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Secure" in set_cookie
    return str(set_cookie.split(";")[0].split("=", 1)[1])


def responses(consultation_id: str) -> list[Any]:
    return list(store.responses("t-ville", consultation_id))


def html(response: Any) -> str:
    return str(response.body.decode("utf-8"))


def test_the_public_page_is_french_and_sets_a_browser_token(world: World) -> None:
    made = consultation(world)
    response = get_page(world, path_of(made["public_url"]))
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    body = html(response)
    assert '<html lang="fr">' in body and "Réaménagement de la place du Marché" in body
    assert 'name="site_web"' in body and "<script" not in body
    assert cookie_of(response)
    again = get_page(world, path_of(made["public_url"]), cookie="x" * 32)
    assert "Set-Cookie" not in again.headers


def test_a_public_answer_needs_the_cookie_and_a_second_one_replaces_the_first(world: World) -> None:
    made = consultation(world)
    path = path_of(made["public_url"])
    refused = post_form(world, path, FORM)
    assert refused.status_code == 400 and "cookies" in html(refused) and responses(made["id"]) == []
    cookie = cookie_of(refused)  # the error page gives one, so that a retry works
    first = post_form(world, path, FORM, cookie)
    assert first.status_code == 200 and "Merci, votre réponse est enregistrée" in html(first)
    (stored,) = responses(made["id"])
    assert stored.answers == {
        "q1": "Oui",
        "q2": ["Vélo", "Bus"],
        "q3": 4,
        "q4": "Plus de bancs",
        "q5": ["École", "Parc", "Voirie"],
    }
    assert stored.contact_id is None and stored.group is None and stored.submitted_at is None
    assert "Vous avez déjà répondu" in html(get_page(world, path, cookie))
    second = post_form(world, path, {**FORM, "q1": "Non"}, cookie)
    assert "remplace la précédente" in html(second)
    (replaced,) = responses(made["id"])
    assert replaced.response_id == stored.response_id and replaced.answers["q1"] == "Non"
    post_form(world, path, FORM, "y" * 32)  # another browser: another response
    assert sorted(r.answers["q1"] for r in responses(made["id"])) == ["Non", "Oui"]


def test_ballot_stuffing_on_a_public_link_is_limited_as_documented(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "PUBLIC_ANSWERS_PER_HOUR", 3)
    made = consultation(world)
    path = path_of(made["public_url"])
    for n in range(3):
        assert post_form(world, path, FORM, f"browser-{n:02d}-{'z' * 20}").status_code == 200
    stuffed = post_form(world, path, FORM, f"browser-99-{'z' * 20}")
    assert stuffed.status_code == 429 and int(stuffed.headers["Retry-After"]) > 0
    assert "Trop de réponses" in html(stuffed)
    assert len(responses(made["id"])) == 3
    results = ok(world.get(f"/consultations/{made['id']}/results"))
    assert "une réponse par navigateur" in results["limits"] and "par heure" in results["limits"]


def test_a_robot_filling_the_honeypot_is_thanked_and_dropped(world: World) -> None:
    made = consultation(world)
    response = post_form(world, path_of(made["public_url"]), {**FORM, "site_web": "http://spam"}, "r" * 32)
    assert response.status_code == 200 and responses(made["id"]) == []


def test_a_bad_answer_shows_the_form_again_with_what_was_typed(world: World) -> None:
    made = consultation(world)
    response = post_form(world, path_of(made["public_url"]), {**FORM, "q1": "", "q5.1": "2"}, "e" * 32)
    assert response.status_code == 422
    body = html(response)
    assert "Merci de répondre à la question « Êtes-vous favorable au projet ? »" in body
    assert 'href="#q1-0"' in body and 'aria-invalid="true"' in body and "Plus de bancs</textarea>" in body
    assert responses(made["id"]) == []


def test_a_bad_link_and_a_personal_link_to_a_public_consultation_are_404(world: World) -> None:
    made = consultation(world)
    assert get_page(world, "/public/consultations/consult.abc.def.ghi").status_code == 404
    contact = ok(world.post("/contacts", {"kind": "person", "last_name": "Martin"}), 201)
    assert get_page(world, personal_path(made["id"], contact["id"])).status_code == 404


@pytest.fixture
def residents(world: World) -> dict[str, Any]:
    address = {"lines": ["1 place du Marché"], "postcode": "76000", "city": "Rouen", "insee_code": "76540"}
    martin = ok(world.post("/contacts", {"kind": "person", "last_name": "Martin", "address": address}), 201)
    durand = ok(world.post("/contacts", {"kind": "person", "last_name": "Durand"}), 201)
    segment = ok(world.post("/segments", {"name": "Tous", "filter": {"kind": "person"}, "shared": True}), 201)
    return {"martin": martin, "durand": durand, "segment": segment}


def for_residents(world: World, residents: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A consultation open to the residents' segment only, each with a personal link (`fields` over the defaults)."""
    return consultation(world, audience="segment", segment_id=residents["segment"]["id"], **fields)


@pytest.fixture
def martins_link(world: World, residents: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """An anonymous consultation of the residents: (the consultation, Martin's contact id, his personal link's path)."""
    made = for_residents(world, residents)
    martin = residents["martin"]["id"]
    return made, martin, personal_path(made["id"], martin)


def test_a_personal_anonymous_answer_is_replaced_and_never_joined_to_the_contact(
    world: World, martins_link: tuple[dict[str, Any], str, str]
) -> None:
    made, martin, path = martins_link
    page = get_page(world, path)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers and "anonymes" in html(page)
    assert post_form(world, path, FORM).status_code == 200
    assert post_form(world, path, {**FORM, "q3": "2"}).status_code == 200
    (stored,) = responses(made["id"])
    assert stored.answers["q3"] == 2 and stored.contact_id is None and stored.group is None
    assert store.participants("t-ville", made["id"]) == {martin}
    assert store.get_link("t-ville", made["id"], f"c-{martin}") is not None
    csv_body = world.get(f"/consultations/{made['id']}/results", headers={**world.headers(), "Accept": "text/csv"})
    text = csv_body.body.decode("utf-8-sig")
    assert martin not in text and next(csv.reader(io.StringIO(text), delimiter=";"))[0] == QUESTIONS[0]["label"]
    assert ok(world.get(f"/consultations/{made['id']}/results"))["breakdown"] is None


def test_at_the_close_the_mapping_goes_and_answers_are_refused_in_french(
    world: World, martins_link: tuple[dict[str, Any], str, str]
) -> None:
    made, martin, path = martins_link
    post_form(world, path, FORM)
    link = store.get_link("t-ville", made["id"], f"c-{martin}")
    assert link is not None and link.expires_at.isoformat().startswith(made["closes_at"][:16])  # TTL at the close
    c = store.get("t-ville", made["id"])
    assert c is not None
    c.doc["closes_at"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    store.save(c)
    page = get_page(world, path)
    assert page.status_code == 200 and "Cette consultation est close" in html(page) and "<form" not in html(page)
    assert store.get_link("t-ville", made["id"], f"c-{martin}") is None
    assert store.get("t-ville", made["id"]).links_purged is True  # type: ignore[union-attr]
    refused = post_form(world, path, FORM)
    assert refused.status_code == 409 and "close" in html(refused)
    assert len(responses(made["id"])) == 1 and store.participants("t-ville", made["id"]) == {martin}


def test_identified_answers_feed_the_history_and_interests_only_with_consent(
    world: World, residents: dict[str, Any]
) -> None:
    made = for_residents(
        world, residents, anonymous=False, consent_text="J'accepte que la mairie me recontacte au sujet de ce projet."
    )
    martin, durand = residents["martin"]["id"], residents["durand"]["id"]
    martin_path = personal_path(made["id"], martin)
    assert "la mairie me recontacte au sujet de ce projet" in html(get_page(world, martin_path))
    ok(post_json(world, martin_path, b'{"answers": {"q1": "Oui", "q2": ["V\\u00e9lo"]}, "consent": true}'))
    durand_path = personal_path(made["id"], durand)
    assert post_form(world, durand_path, {**FORM, "q1": "Non"}).status_code == 200
    by_contact = {r.contact_id: r for r in responses(made["id"])}
    assert by_contact[martin].group == "Rouen (76540)" and by_contact[martin].consented is True
    assert by_contact[durand].consented is False and by_contact[durand].group == "(sans commune)"
    history = ok(world.get(f"/contacts/{martin}/interactions"))["items"]
    assert [(i["kind"], i["summary"]) for i in history] == [
        ("consultation", "Réponse à la consultation « Réaménagement de la place du Marché »")
    ]
    assert contacts_store.get("t-ville", martin).doc["interests"] == ["Vélo"]  # type: ignore[union-attr]
    assert ok(world.get(f"/contacts/{durand}/interactions"))["items"] == []
    assert not contacts_store.get("t-ville", durand).doc.get("interests")  # type: ignore[union-attr]
    results = ok(world.get(f"/consultations/{made['id']}/results"))
    assert {g["group"] for g in results["breakdown"]} == {"Rouen (76540)", "(sans commune)"}


def test_a_json_answer_names_each_problem(world: World, martins_link: tuple[dict[str, Any], str, str]) -> None:
    _, _, path = martins_link
    response = post_json(world, path, b'{"answers": {"q1": "Bof", "q3": 9}}')
    error = error_of(response, 422, "validation_error")
    assert sorted(d["field"] for d in error["details"]) == ["q1", "q3"]


def test_a_scheduled_consultation_does_not_take_answers_yet(world: World) -> None:
    made = consultation(world, opens_at=when(1))
    page = get_page(world, path_of(made["public_url"]))
    assert "pas encore ouverte" in html(page) and "<form" not in html(page)


def test_an_erased_respondent_leaves_an_anonymous_response_still_counted(
    world: World, residents: dict[str, Any]
) -> None:
    """RGPD art. 17: the response stays in the results (its choices count) but names nobody, its free text blanked;
    the mark that the person answered goes. Another respondent is left as they were."""
    made = for_residents(world, residents, anonymous=False)
    martin, durand = residents["martin"]["id"], residents["durand"]["id"]
    for contact in (martin, durand):
        path = personal_path(made["id"], contact)
        assert post_form(world, path, {**FORM, "q4": f"Je suis {contact}, appelez-moi"}).status_code == 200
    assert world.delete(f"/contacts/{martin}?mode=erase").status_code == 204
    by_contact = {r.contact_id: r for r in responses(made["id"])}
    assert set(by_contact) == {None, durand}
    erased = by_contact[None]
    assert erased.group is None and erased.answers["q4"] == "" and erased.answers["q1"] == "Oui"
    assert by_contact[durand].answers["q4"] == f"Je suis {durand}, appelez-moi"
    assert store.participants("t-ville", made["id"]) == {durand}
    results = ok(world.get(f"/consultations/{made['id']}/results"))
    assert results["respondents"] == 2
