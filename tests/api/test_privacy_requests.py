"""A person's request of access or erasure through the tenant's public form (RGPD art. 15, 17), verified by an emailed
link, then answered by the tenant's admins within the month of art. 12(3)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from chalice.local import LambdaEventConverter

from chalicelib.domain import privacy_requests as rules
from chalicelib.domain import tokens
from chalicelib.services import tenant_access
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from chalicelib.store import privacy_requests as store
from chalicelib.store import tenants
from tests.support.responses import error_of, ok
from tests.support.sent_messages import plain_text, sent_emails
from tests.support.world import World

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
VILLE = "t-ville"
LISTE = "t-liste"


@pytest.fixture(autouse=True)
def fresh() -> Any:
    """No container memory of a tenant's state between tests (a disabled tenant)."""
    tenant_access.forget()
    yield
    tenant_access.forget()


def link_in(message: EmailMessage) -> str:
    found = re.search(r"https?://\S+/public/privacy/verify/\S+", plain_text(message))
    assert found, plain_text(message)
    return urlparse(found.group(0)).path


def submit(world: World, tenant_id: str = VILLE, **fields: str) -> Any:
    body = {"kind": "access", "email": "claire.martin@exemple.fr", "name": "", "message": "", "website": ""}
    return world.request(
        "POST", f"/public/privacy/{tenant_id}", headers=FORM, raw=urlencode({**body, **fields}).encode()
    )


def html(response: Any) -> str:
    assert response.headers["Content-Type"].startswith("text/html")
    return str(response.body.decode())


def stored(tenant_id: str = VILLE) -> list[Any]:
    return store.page(tenant_id, frozenset(rules.STATUSES), None, 100).items


def listed(world: World, query: str = "", tenant: str = "ville") -> list[dict[str, Any]]:
    return list(ok(world.get(f"/privacy-requests{query}", tenant=tenant))["items"])


def verified_request(world: World, address: str = "claire.martin@exemple.fr", kind: str = "access") -> dict[str, Any]:
    """Submit and follow the link: the request as the admins list it."""
    before = len(sent_emails())
    assert submit(world, email=address, kind=kind).status_code == 200
    assert world.request("GET", link_in(sent_emails()[before]), headers={}).status_code == 200
    (found,) = [r for r in listed(world) if r["email"] == address.lower() and r["kind"] == kind]
    return found


# --- the form ---------------------------------------------------------------------------------------------------


def test_form_is_french_accessible_and_scriptless(world: World) -> None:
    response = world.request("GET", f"/public/privacy/{VILLE}", headers={})
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="fr">' in page and "Ville test" in page
    assert "<script" not in page and "script-src" not in response.headers["Content-Security-Policy"]
    for field in ('id="kind-access"', 'id="kind-erasure"', 'id="email"', 'id="name"', 'id="message"'):
        assert field in page
    for label in ('for="kind-access"', 'for="kind-erasure"', 'for="email"', 'for="name"', 'for="message"'):
        assert label in page
    assert "<legend>Votre demande *</legend>" in page
    # The trap field is hidden from people and from assistive technologies, and out of the tab order.
    assert re.search(r'<div class="trap" aria-hidden="true">\s*<label for="website">', page)
    assert 'name="website" tabindex="-1"' in page


@pytest.mark.parametrize("tenant_id", ["t-inconnu", "x" * 80, "t-ville%00", "..%2F"])
def test_unknown_tenant_gets_the_not_found_page(world: World, tenant_id: str) -> None:
    for method, headers in (("GET", {}), ("POST", FORM)):
        response = world.request(method, f"/public/privacy/{tenant_id}", headers=headers, raw=b"kind=access")
        assert response.status_code == 404, (method, response.body)
        assert "Page introuvable" in html(response)
    assert sent_emails() == []


def test_disabled_tenant_gets_the_not_found_page_and_takes_nothing(world: World) -> None:
    settings = tenants.get_settings_item(VILLE)
    assert settings is not None
    settings.data = {**settings.data, tenants.DISABLED_KEY: "2026-12-01T00:00:00Z"}
    tenants.save_settings(settings)
    tenant_access.forget()
    assert world.request("GET", f"/public/privacy/{VILLE}", headers={}).status_code == 404
    response = submit(world)
    assert response.status_code == 404 and "Page introuvable" in html(response)
    assert "Ville test" not in html(response)  # nothing says whose form it was
    assert stored() == [] and sent_emails() == []


def test_invalid_form_is_shown_again_with_linked_french_errors_and_what_was_typed(world: World) -> None:
    response = submit(world, kind="tout", email="pas-une-adresse", name="<b>Claire</b>\nMartin", message="Merci")
    assert response.status_code == 422
    page = html(response)
    assert "<title>Erreur – " in page and 'role="alert"' in page
    assert '<a href="#kind-access" id="error-1">Choisissez le droit que vous souhaitez exercer.</a>' in page
    assert '<a href="#email" id="error-2">Cette adresse électronique n&#39;est pas valide' in page
    assert '<a href="#name" id="error-3">Ce champ contient des caractères non autorisés.</a>' in page
    # Each field names its error (aria-describedby) and is marked invalid; the email's hint stays described too.
    assert re.search(r'id="email"[^>]*aria-invalid="true" aria-describedby="email-hint error-2"', page)
    assert re.search(r'id="name"[^>]*aria-invalid="true" aria-describedby="error-3"', page)
    # What was typed comes back, escaped.
    assert 'value="pas-une-adresse"' in page and ">Merci</textarea>" in page
    assert "<b>Claire</b>" not in page and "&lt;b&gt;Claire&lt;/b&gt;" in page
    assert stored() == [] and sent_emails() == []


def test_empty_form_asks_for_the_right_and_the_address(world: World) -> None:
    response = submit(world, kind="", email="  ")
    assert response.status_code == 422
    page = html(response)
    assert "Choisissez le droit que vous souhaitez exercer." in page
    assert "Indiquez votre adresse électronique." in page
    long = submit(world, message="x" * 2001)
    assert long.status_code == 422 and "Ce champ ne doit pas dépasser 2000 caractères." in html(long)
    assert stored() == [] and sent_emails() == []


def test_a_filled_trap_field_gets_the_same_page_and_nothing_happens(world: World) -> None:
    person = submit(world, email="vrai@exemple.fr")
    robot = submit(world, email="robot@exemple.fr", website="https://spam.example")
    assert robot.status_code == person.status_code == 200
    assert html(robot) == html(person)
    assert [m["To"] for m in sent_emails()] == ["vrai@exemple.fr"]
    assert [r.email for r in stored()] == ["vrai@exemple.fr"]


def test_the_answer_never_tells_whether_the_address_is_known(world: World) -> None:
    known = ok(
        world.post("/contacts", {"kind": "person", "last_name": "Martin", "emails": ["Claire.Martin@Exemple.fr"]}), 201
    )
    answers = [submit(world, email="claire.martin@exemple.fr"), submit(world, email="inconnue@exemple.fr")]
    assert [a.status_code for a in answers] == [200, 200]
    assert html(answers[0]) == html(answers[1])
    assert "Vérifiez votre messagerie" in html(answers[0])
    # The same email goes to each address given, known or not, naming no contact data.
    first, second = sent_emails()
    assert (first["To"], second["To"]) == ("claire.martin@exemple.fr", "inconnue@exemple.fr")
    assert first["Subject"] == second["Subject"] == "Confirmez votre demande : droit d'accès à vos données"
    strip = re.compile(r"/public/privacy/verify/\S+")
    assert strip.sub("", plain_text(first)) == strip.sub("", plain_text(second))
    assert "Martin" not in plain_text(first)
    # Pending requests carry no contact yet: the lookup waits for the verification.
    assert {r.status for r in stored()} == {"pending_verification"}
    assert all(r.doc["contact_ids"] == [] for r in stored())
    for message in (first, second):
        assert world.request("GET", link_in(message), headers={}).status_code == 200
    by_email = {r["email"]: r for r in listed(world)}
    assert by_email["claire.martin@exemple.fr"]["contact_ids"] == [known["id"]]
    assert by_email["inconnue@exemple.fr"]["contact_ids"] == []


def test_an_address_that_bounced_or_complained_gets_no_link_but_the_same_page(world: World) -> None:
    from chalicelib.store.entities import Suppression

    for address, reason in (("rebond@exemple.fr", "hard_bounce"), ("plainte@exemple.fr", "complaint")):
        consents_store.suppress(Suppression(tenant_id=VILLE, address=address, reason=reason, at="2026-12-01T00:00:00Z"))
    consents_store.suppress(
        Suppression(tenant_id=VILLE, address="desabonne@exemple.fr", reason="unsubscribe", at="2026-12-01T00:00:00Z")
    )
    pages = [html(submit(world, email=a)) for a in ("Rebond@exemple.fr", "plainte@exemple.fr", "desabonne@exemple.fr")]
    assert pages[0] == pages[1] == pages[2]
    # An unsubscribe from information messages does not stop the link the person has just asked for.
    assert [m["To"] for m in sent_emails()] == ["desabonne@exemple.fr"]


# --- verification ----------------------------------------------------------------------------------------------


def test_the_link_opens_the_request_with_its_deadline_once(world: World) -> None:
    assert (
        submit(
            world, kind="erasure", name="Claire Martin", message="Je ne souhaite plus figurer au fichier."
        ).status_code
        == 200
    )
    (message,) = sent_emails()
    assert "valable 48 heures" in plain_text(message)
    (pending,) = stored()
    assert pending.status == "pending_verification" and pending.deadline is None
    page = html(world.request("GET", link_in(message), headers={}))
    today = datetime.now(UTC).astimezone(tenants_zone()).date()
    due = rules.deadline(today)
    assert "Votre demande est confirmée" in page and "l&#39;effacement de vos données" in page
    assert f"au plus tard le {french(due)}" in page
    (request,) = listed(world)
    assert request["status"] == "open" and request["kind"] == "erasure"
    assert request["deadline"] == due.isoformat()
    assert request["days_left"] == (due - today).days and request["overdue"] is False
    assert (request["name"], request["message"]) == ("Claire Martin", "Je ne souhaite plus figurer au fichier.")
    # Following the link again changes nothing and says the same.
    again = world.request("GET", link_in(message), headers={})
    assert again.status_code == 200 and html(again) == page
    assert listed(world) == [request]


def tenants_zone() -> Any:
    from chalicelib.domain.time import zone

    return zone(None)


def french(day: date) -> str:
    from chalicelib.domain.typography import french_date

    return french_date(day)


def test_an_unverified_request_is_purged_after_a_week_and_a_verified_one_kept(world: World) -> None:
    submit(world)
    item = store.PrivacyRequestItem.get(VILLE, store.REQUEST_PREFIX + stored()[0].request_id)
    created = datetime.fromisoformat(item.created_at.replace("Z", "+00:00"))
    assert item.expires_at is not None
    assert abs((item.expires_at - created) - timedelta(days=7)) < timedelta(seconds=1)
    world.request("GET", link_in(sent_emails()[0]), headers={})
    item.refresh()
    assert item.expires_at is None and item.status == "open"


def test_an_unverified_request_past_its_week_is_never_listed_before_dynamodb_deletes_it(world: World) -> None:
    submit(world, email="ancienne@exemple.fr")
    submit(world, email="recente@exemple.fr")
    old_one = next(r for r in stored() if r.email == "ancienne@exemple.fr")
    old = datetime.now(UTC) - timedelta(days=rules.UNVERIFIED_DAYS, minutes=1)
    old_one.created_at = old.isoformat().replace("+00:00", "Z")
    store.save(old_one, purge_at=rules.purge_after(int(old.timestamp())))
    assert len(stored()) == 2  # still in the table: TTL deletion is not immediate
    assert [r["email"] for r in listed(world, "?status=pending_verification")] == ["recente@exemple.fr"]


def test_an_expired_link_records_nothing(world: World) -> None:
    submit(world)
    (request,) = stored()
    old = datetime.now(UTC) - timedelta(hours=rules.LINK_HOURS, minutes=1)
    request.created_at = old.isoformat().replace("+00:00", "Z")
    store.save(request, purge_at=rules.purge_after(int(old.timestamp())))
    response = world.request("GET", link_in(sent_emails()[0]), headers={})
    assert response.status_code == 410
    assert "Lien expiré" in html(response) and 'href="../t-ville"' in html(response)
    assert stored()[0].status == "pending_verification"
    assert listed(world) == []


def test_an_altered_or_foreign_link_is_not_found(world: World) -> None:
    submit(world)
    path = link_in(sent_emails()[0])
    token = path.rsplit("/", 1)[1]
    secret = get_settings().link_keys()[0]
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        tokens.sign(secret, VILLE, stored()[0].request_id, "rsvp"),  # signed for another purpose
        tokens.sign(secret, VILLE, "01J00000000000000000000000", "privacy"),  # no such request
        "x" * 300,
    ):
        response = world.request("GET", f"/public/privacy/verify/{bad}", headers={})
        assert response.status_code == 404 and "Lien introuvable" in html(response)
    assert stored()[0].status == "pending_verification"


# --- rate limits ---------------------------------------------------------------------------------------------


def test_one_ip_is_limited_per_tenant(world: World) -> None:
    limit, _ = rules.RATE_LIMITS["ip"]
    for n in range(limit):
        assert submit(world, email=f"personne{n}@exemple.fr").status_code == 200
    refused = submit(world, email="une-de-trop@exemple.fr")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    page = html(refused)
    assert "Trop de demandes" in page and "Merci de réessayer dans" in page
    assert len(sent_emails()) == limit and len(stored()) == limit
    # Another tenant's form counts apart.
    assert submit(world, LISTE, email="une-de-trop@exemple.fr").status_code == 200


def test_one_address_is_limited_whatever_the_ip(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    limit, _ = rules.RATE_LIMITS["email"]
    for n in range(limit):
        monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", f"192.0.2.{n + 1}")
        assert submit(world, email="cible@exemple.fr").status_code == 200
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", "198.51.100.7")
    refused = submit(world, email="CIBLE@exemple.fr")  # the same mailbox, whatever the case
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 86_400
    assert len(sent_emails()) == limit
    assert submit(world, email="autre@exemple.fr").status_code == 200  # this IP is not limited
    # Counters keep neither the address nor the IP.
    counters = list(store.RateCounterItem.query(VILLE, store.RateCounterItem.sk.startswith(store.RATE_PREFIX)))
    assert counters and all("cible" not in c.sk and "192.0.2" not in c.sk for c in counters)
    assert all(c.expires_at is not None for c in counters)


# --- the admins' queue ----------------------------------------------------------------------------------------


def test_admins_list_the_verified_requests_oldest_first_with_deadline_and_overdue(world: World) -> None:
    first = verified_request(world, "a@exemple.fr")
    second = verified_request(world, "b@exemple.fr", kind="erasure")
    submit(world, email="jamais-confirme@exemple.fr")
    assert [r["id"] for r in listed(world)] == [first["id"], second["id"]]
    assert [r["email"] for r in listed(world, "?status=pending_verification")] == ["jamais-confirme@exemple.fr"]
    # A deadline passed: overdue, days left negative.
    request = store.get(VILLE, first["id"])
    assert request is not None
    request.deadline = (date.today() - timedelta(days=3)).isoformat()
    store.save(request)
    late = listed(world)[0]
    assert late["overdue"] is True and late["days_left"] in (-3, -2, -4)  # the tenant's date may differ from UTC's
    # Pages of one, by cursor.
    page = ok(world.get("/privacy-requests?limit=1"))
    assert [r["id"] for r in page["items"]] == [first["id"]] and page["next_cursor"]
    rest = ok(world.get(f"/privacy-requests?limit=1&cursor={page['next_cursor']}"))
    assert [r["id"] for r in rest["items"]] == [second["id"]] and rest["next_cursor"] is None
    assert world.get("/privacy-requests?status=perdu").status_code == 422


def test_closing_a_request_is_audited_and_a_refusal_needs_its_reasons(world: World) -> None:
    request = verified_request(world, kind="erasure")
    path = f"/privacy-requests/{request['id']}"
    error = error_of(world.patch(path, {"status": "refused"}), 422, "validation_error")
    assert error["details"][0]["field"] == "note" and "CNIL" in error["details"][0]["message"]
    error_of(world.patch(path, {"status": "open"}), 422, "validation_error")
    refused = ok(world.patch(path, {"status": "refused", "note": "Conservation imposée par le code électoral."}))
    assert refused["status"] == "refused" and refused["note"].startswith("Conservation")
    assert refused["closed_by"] == "admin@ville.test" and refused["closed_at"]
    assert refused["overdue"] is False and refused["days_left"] is None
    assert "déjà close" in error_of(world.patch(path, {"status": "done"}), 409, "conflict")["message"]
    world.drain_audit()
    entries = [e for e in ok(world.get("/audit?limit=100"))["items"] if e["resource_id"] == request["id"]]
    assert [(e["action"], e["resource_type"]) for e in entries] == [("close", "privacy_request")]
    assert listed(world, "?status=refused")[0]["id"] == request["id"]
    assert listed(world, "?status=open") == []


def test_an_unverified_request_cannot_be_closed(world: World) -> None:
    submit(world)
    (pending,) = stored()
    response = world.patch(f"/privacy-requests/{pending.request_id}", {"status": "done"})
    assert "pas encore été confirmée" in error_of(response, 409, "conflict")["message"]
    error_of(world.patch("/privacy-requests/01J00000000000000000000000", {"status": "done"}), 404, "not_found")


@pytest.mark.parametrize("role", ["cabinet", "protocole", "communication", "lecteur"])
def test_only_admins_see_and_close_requests(world: World, role: str) -> None:
    request = verified_request(world)
    error_of(world.get("/privacy-requests", role=role), 403, "forbidden")
    error_of(world.patch(f"/privacy-requests/{request['id']}", {"status": "done"}, role=role), 403, "forbidden")
    assert listed(world)[0]["status"] == "open"


def test_another_tenant_neither_sees_nor_closes_a_request(world: World) -> None:
    request = verified_request(world)
    assert listed(world, tenant="liste") == []
    assert listed(world, "?status=open", tenant="liste") == []
    error_of(world.patch(f"/privacy-requests/{request['id']}", {"status": "done"}, tenant="liste"), 404, "not_found")
    assert listed(world)[0]["status"] == "open"
    # The same address on another tenant's form is another request, of that tenant only.
    verified_other = submit(world, LISTE)
    assert verified_other.status_code == 200
    world.request("GET", link_in(sent_emails()[-1]), headers={})
    assert [r["email"] for r in listed(world, tenant="liste")] == ["claire.martin@exemple.fr"]
    assert len(listed(world)) == 1
