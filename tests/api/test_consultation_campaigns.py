"""Invitations to answer a consultation go through campaigns: `consultation_id` and a `{{ consultation_url }}`
personal to each recipient; a reminder's segment `{"consultation": id, "answered": false}` skips who answered."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.services import consultations as service
from tests.api.test_campaigns import audience, campaign, deliver, recipients_of
from tests.api.test_consultation_page import FORM, get_page, path_of, post_form
from tests.api.test_consultations import QUESTIONS, when
from tests.support.responses import error_of, ok
from tests.support.sent_messages import plain_text, sent_emails
from tests.support.world import World

__all__ = ["audience"]  # the fixture, used here
BODY = "Bonjour {{ contact.first_name }}, donnez-nous votre avis : {{ consultation_url }}"


def liste_consultation(world: World, **fields: Any) -> dict[str, Any]:
    everyone = ok(world.post("/segments", {"name": "Tous", "filter": {"kind": "person"}}, tenant="liste"), 201)
    body = {
        "title": "Notre programme",
        "questions": QUESTIONS,
        "opens_at": when(-1),
        "closes_at": when(10),
        "audience": "segment",
        "segment_id": everyone["id"],
        **fields,
    }
    return dict(ok(world.post("/consultations", body, tenant="liste"), 201))


def test_reminders_reach_only_who_has_not_answered_each_with_their_own_link(
    world: World, audience: dict[str, str]
) -> None:
    made = liste_consultation(world)
    anne, paul = audience["anne"], audience["paul"]
    assert post_form(world, path_of(service.personal_url("t-liste", made["id"], anne)), FORM).status_code == 200
    filter_ = {"and": [{"kind": "person"}, {"consultation": made["id"], "answered": False}]}
    pending = ok(
        world.post("/segments", {"name": "Sans réponse", "filter": filter_, "shared": True}, tenant="liste"), 201
    )
    preview = ok(world.get(f"/segments/{pending['id']}/preview", tenant="liste"))
    assert anne not in {c["id"] for c in preview["items"]} and paul in {c["id"] for c in preview["items"]}

    reminder = campaign(world, segment_id=pending["id"], body=BODY, consultation_id=made["id"])
    assert reminder["consultation_id"] == made["id"]
    ok(world.post(f"/campaigns/{reminder['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    emails = sent_emails()
    # Anne answered; Martin-Bis (another contact at her mailbox) has not; the others may not receive it.
    assert recipients_of(emails) == ["ANNE@example.fr", "paul@example.fr"]
    paul_email = next(m for m in emails if str(m["To"]) == "paul@example.fr")
    text = plain_text(paul_email)
    (url,) = re.findall(r"https?://\S+/public/consultations/\S+", text)
    assert url == service.personal_url("t-liste", made["id"], paul)
    page = get_page(world, path_of(url))
    assert page.status_code == 200 and "Notre programme" in page.body.decode()


def test_a_public_consultations_link_is_the_same_for_everyone(world: World, audience: dict[str, str]) -> None:
    made = ok(
        world.post(
            "/consultations",
            {
                "title": "Ouvert à tous",
                "questions": QUESTIONS,
                "opens_at": when(-1),
                "closes_at": when(3),
                "audience": "public",
            },
            tenant="liste",
        ),
        201,
    )
    invitation = campaign(
        world, contact_ids=[audience["anne"], audience["paul"]], body=BODY, consultation_id=made["id"]
    )
    ok(world.post(f"/campaigns/{invitation['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    links = {str(m["To"]): re.findall(r"/public/consultations/\S+", plain_text(m))[0] for m in sent_emails()}
    assert set(links) == {"anne@example.fr", "paul@example.fr"}
    assert set(links.values()) == {path_of(made["public_url"])}


def test_the_variable_needs_a_consultation_of_the_tenant(world: World, audience: dict[str, str]) -> None:
    ids = [audience["anne"]]
    body = {"subject": "Avis", "body": BODY, "contact_ids": ids}
    error = error_of(world.post("/campaigns", body, tenant="liste"), 422, "validation_error")
    assert error["details"][0]["field"] == "consultation_id"
    ville = ok(
        world.post(
            "/consultations",
            {"title": "V", "questions": QUESTIONS, "opens_at": when(-1), "closes_at": when(3), "audience": "public"},
        ),
        201,
    )
    other = world.post("/campaigns", {**body, "consultation_id": ville["id"]}, tenant="liste")
    assert error_of(other, 422, "validation_error")["details"][0]["field"] == "consultation_id"
    assert ok(world.get("/campaigns", tenant="liste"))["items"] == []


def test_a_draft_cannot_gain_the_variable_without_a_consultation(world: World, audience: dict[str, str]) -> None:
    made = campaign(world, contact_ids=[audience["anne"]])
    changed = world.patch(f"/campaigns/{made['id']}", {"version": made["version"], "body": BODY}, tenant="liste")
    assert error_of(changed, 422, "validation_error")["details"][0]["field"] == "consultation_id"
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["body"] == made["body"]


def test_an_sms_gives_the_recipients_own_link_too() -> None:
    from datetime import date

    from chalicelib.domain import quiet_hours
    from chalicelib.services import campaign_sms

    prepared = campaign_sms.Prepared(
        tenant_id="t-liste",
        campaign_id="01ARZ3NDEKTSV4RRFFQ69G5FAV",
        source="Votre avis : {{ consultation_url }}",
        variables=frozenset({"consultation_url"}),
        settings={"name": "Liste test"},
        sender_id=None,
        message_type="Transactional",
        hours=quiet_hours.sending_hours({}),
        on=date(2026, 12, 5),
        consultation={"id": "01ARZ3NDEKTSV4RRFFQ69G5FAW", "audience": "segment"},
    )
    text = campaign_sms.compose(prepared, "01ARZ3NDEKTSV4RRFFQ69G5FAX", {"kind": "person"}, None)
    own = service.personal_url("t-liste", "01ARZ3NDEKTSV4RRFFQ69G5FAW", "01ARZ3NDEKTSV4RRFFQ69G5FAX")
    assert text.startswith(f"Votre avis : {own}") and "STOP" in text
