"""Consents per contact and channel, the tenant kind's send rule, the suppression list and the one-click
unsubscribe (RFC 8058) of campaign emails. `ville` is an institution tenant, `liste` a political one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from chalicelib.services import consents
from chalicelib.settings import get_settings
from chalicelib.store import consents as consents_store
from tests.support.responses import error_of, ok
from tests.support.world import World

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def new_contact(world: World, tenant: str = "ville", **fields: Any) -> dict[str, Any]:
    body = {"kind": "person", "first_name": "Lucie", "last_name": "Desabonnee", "emails": ["Lucie@Example.fr"]}
    response = world.post("/contacts", {**body, **fields}, tenant=tenant)
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def by_channel(world: World, contact_id: str, tenant: str = "ville", role: str = "admin") -> dict[str, Any]:
    response = world.get(f"/contacts/{contact_id}/consents", tenant=tenant, role=role)
    assert response.status_code == 200, response.body
    return {c["channel"]: c for c in response.json_body["items"]}


def unsubscribe_path(world: World, tenant: str, contact_id: str) -> str:
    url = consents.unsubscribe_url(world.tenants[tenant].id, contact_id)
    return urlparse(url).path


def test_every_channel_starts_unknown_and_the_kind_decides_what_may_be_sent(world: World) -> None:
    resident = new_contact(world)
    shown = by_channel(world, resident["id"])
    assert list(shown) == ["email", "sms", "post", "phone"]
    assert all(c["status"] == "unknown" and c["at"] is None and c["history"] == [] for c in shown.values())
    assert shown["email"]["may_send"] is True  # an institution informs within its public task unless told no
    supporter = new_contact(world, tenant="liste")
    assert by_channel(world, supporter["id"], tenant="liste")["email"]["may_send"] is False  # CNIL: consent first


def test_staff_record_a_consent_and_its_history_is_kept(world: World) -> None:
    supporter = new_contact(world, tenant="liste")
    path = f"/contacts/{supporter['id']}/consents/email"
    granted = world.request(
        "PUT", path, {"status": "granted", "source": "form", "text": "J'accepte de recevoir la lettre."}, tenant="liste"
    )
    assert granted.status_code == 200, granted.body
    body = granted.json_body
    assert (body["status"], body["lawful_basis"], body["source"], body["may_send"]) == (
        "granted",
        "consent",
        "form",
        True,
    )
    assert body["by"] == world.principal("liste").user_id and body["at"]
    withdrawn = world.request("PUT", path, {"status": "withdrawn", "source": "staff"}, tenant="liste")
    assert withdrawn.json_body["status"] == "withdrawn" and withdrawn.json_body["may_send"] is False
    assert [h["status"] for h in withdrawn.json_body["history"]] == ["granted"]
    assert withdrawn.json_body["history"][0]["text"] == "J'accepte de recevoir la lettre."
    again = world.request("PUT", path, {"status": "withdrawn", "source": "staff"}, tenant="liste")
    assert again.json_body["history"] == withdrawn.json_body["history"]  # the same statement twice: one change


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "maybe", "source": "form"}, "status"),
        ({"status": "granted", "source": "unsubscribe"}, "source"),  # only Agora records an unsubscribe
        ({"status": "granted", "source": "form", "lawful_basis": "public_task"}, "lawful_basis"),
        ({"status": "granted", "source": "form", "colour": "red"}, "colour"),
        ({"status": "granted"}, "source"),
    ],
)
def test_a_bad_consent_names_the_field(world: World, body: dict[str, Any], field: str) -> None:
    resident = new_contact(world)
    response = world.request("PUT", f"/contacts/{resident['id']}/consents/email", body)
    assert field in [d["field"] for d in error_of(response, 422, "validation_error")["details"]]


def test_unknown_channel_or_contact_is_404_and_readers_cannot_write(world: World) -> None:
    resident = new_contact(world)
    body = {"status": "granted", "source": "form"}
    assert world.request("PUT", f"/contacts/{resident['id']}/consents/pigeon", body).status_code == 404
    assert world.request("PUT", "/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV/consents/email", body).status_code == 404
    assert world.request("PUT", f"/contacts/{resident['id']}/consents/email", body, role="lecteur").status_code == 403
    assert by_channel(world, resident["id"], role="lecteur")["email"]["status"] == "unknown"  # readers may read
    other = world.get(f"/contacts/{resident['id']}/consents", tenant="liste")
    assert other.status_code == 404  # another tenant's contact does not exist for you


def test_the_one_click_post_withdraws_email_consent_and_suppresses_the_addresses(world: World) -> None:
    resident = new_contact(world, emails=["Lucie@Example.fr", "lucie.pro@example.fr"])
    path = unsubscribe_path(world, "ville", resident["id"])
    # RFC 8058 § 3.1: the mailbox provider POSTs this body, nothing else.
    response = world.request("POST", path, headers=FORM, raw=b"List-Unsubscribe=One-Click")
    assert response.status_code == 200
    assert "désinscrit" in response.body.decode()
    shown = by_channel(world, resident["id"])
    assert (shown["email"]["status"], shown["email"]["source"], shown["email"]["by"]) == (
        "withdrawn",
        "unsubscribe",
        "agora",
    )
    assert shown["email"]["may_send"] is False and shown["sms"]["status"] == "unknown"
    tenant_id = world.tenants["ville"].id
    suppressed = consents_store.suppressed(tenant_id, ["lucie@example.fr", "LUCIE.PRO@example.fr", "x@example.fr"])
    assert set(suppressed) == {"lucie@example.fr", "lucie.pro@example.fr"}
    assert {s.reason for s in suppressed.values()} == {"unsubscribe"}
    twice = world.request("POST", path, headers=FORM, raw=b"List-Unsubscribe=One-Click")
    assert twice.status_code == 200
    assert by_channel(world, resident["id"])["email"]["history"] == []  # no second change recorded


def test_two_one_click_posts_at_once_both_unsubscribe(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mailbox provider's one-click POST and the person's own click landing together: both read the consent
    before either wrote it, and the second write found it changed. The person is unsubscribed: both answer so,
    one change recorded (RFC 8058: the POST must succeed; RGPD art. 21)."""
    resident = new_contact(world, emails=["lucie@example.fr"])
    path = unsubscribe_path(world, "ville", resident["id"])
    every_channel = consents._every_channel

    def read_then_unsubscribed_elsewhere(contact: Any) -> Any:
        read = every_channel(contact)
        monkeypatch.setattr(consents, "_every_channel", every_channel)
        consents.unsubscribe(contact)  # the other POST, written first
        return read

    monkeypatch.setattr(consents, "_every_channel", read_then_unsubscribed_elsewhere)
    response = world.request("POST", path, headers=FORM, raw=b"List-Unsubscribe=One-Click")
    assert response.status_code == 200, response.body
    assert "désinscrit" in response.body.decode()
    shown = by_channel(world, resident["id"])["email"]
    assert (shown["status"], shown["source"], shown["history"]) == ("withdrawn", "unsubscribe", [])


def test_the_page_offers_the_same_and_sms_too(world: World) -> None:
    resident = new_contact(world, phones=["06 12 34 56 78"])
    path = unsubscribe_path(world, "ville", resident["id"])
    page = world.request("GET", path, headers={})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert '<html lang="fr">' in html and 'method="post"' in html and "Me désinscrire" in html
    assert 'name="channel" value="sms"' in html and "<script" not in html
    assert "Lucie@Example.fr" not in html  # the page shows no address
    done = world.request("POST", path, headers=FORM, raw=b"List-Unsubscribe=One-Click&channel=email&channel=sms")
    assert done.status_code == 200
    shown = by_channel(world, resident["id"])
    assert shown["email"]["status"] == shown["sms"]["status"] == "withdrawn"
    again = world.request("GET", path, headers={})
    assert "déjà désinscrit" in again.body.decode()


def test_a_consent_given_again_lifts_an_unsubscribe_not_a_bounce(world: World) -> None:
    resident = new_contact(world, emails=["lucie@example.fr", "rebond@example.fr"])
    tenant_id = world.tenants["ville"].id
    world.request("POST", unsubscribe_path(world, "ville", resident["id"]), headers=FORM, raw=b"x=1")
    consents_store.suppress(
        consents_store.Suppression(tenant_id=tenant_id, address="rebond@example.fr", reason="hard_bounce", at="t")
    )
    path = f"/contacts/{resident['id']}/consents/email"
    assert world.request("PUT", path, {"status": "granted", "source": "paper"}).status_code == 200
    left = consents_store.suppressed(tenant_id, ["lucie@example.fr", "rebond@example.fr"])
    assert set(left) == {"rebond@example.fr"}


@pytest.mark.parametrize("token", ["x", "unsub.abc.def.ghi", "a" * 300])
def test_an_altered_link_gets_the_same_french_404(world: World, token: str) -> None:
    for method, headers in (("GET", {}), ("POST", FORM)):
        response = world.request(method, f"/public/unsubscribe/{token}", headers=headers, raw=b"")
        assert response.status_code == 404
        assert "pas valide" in response.body.decode()
        assert "événement" not in response.body.decode()  # not the RSVP pages' wording


def test_a_link_signed_for_another_purpose_or_a_deleted_contact_is_refused(world: World) -> None:
    from chalicelib.domain import tokens

    resident = new_contact(world)
    rsvp_token = tokens.sign(get_settings().link_keys()[0], world.tenants["ville"].id, resident["id"], "rsvp")
    assert world.request("GET", f"/public/unsubscribe/{rsvp_token}", headers={}).status_code == 404
    path = unsubscribe_path(world, "ville", resident["id"])
    assert world.delete(f"/contacts/{resident['id']}").status_code == 204
    assert world.request("GET", path, headers={}).status_code == 404


def test_deleting_a_contact_deletes_its_consents(world: World) -> None:
    resident = new_contact(world)
    world.request("PUT", f"/contacts/{resident['id']}/consents/sms", {"status": "granted", "source": "form"})
    assert world.delete(f"/contacts/{resident['id']}").status_code == 204
    assert consents_store.for_contact(world.tenants["ville"].id, resident["id"]) == {}


def test_event_messages_skip_a_suppressed_address_and_reach_the_others(world: World) -> None:
    """Invitations and relances keep going to invited guests, except to an address on the suppression list."""
    from datetime import UTC, datetime, timedelta

    from tests.api.test_events_api import ACK, new_event
    from tests.api.test_reminders_job import run_job

    def suppress(address: str) -> None:
        entry = consents_store.Suppression(tenant_id=tenant_id, address=address, reason="hard_bounce", at="t")
        consents_store.suppress(entry)

    def outbox() -> list[str]:
        return [m["to"] for m in ok(world.request("GET", "/dev/outbox", headers={}))["items"]]

    tenant_id = world.tenants["ville"].id
    bounced = new_contact(world, last_name="Rebond", emails=["rebond@example.fr"])
    later = new_contact(world, last_name="Plus-tard", emails=["plus.tard@example.fr"])
    reachable = new_contact(world, last_name="Joignable", emails=["joignable@example.fr"])
    suppress("rebond@example.fr")
    soon = datetime.now(UTC) + timedelta(days=6)
    event = new_event(world, rsvp_deadline=soon.strftime("%Y-%m-%dT%H:%M:%SZ"))
    world.invite(event["id"], [bounced["id"], later["id"], reachable["id"]])
    sent = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert sent["sent"] == 2
    assert [(f["contact_id"], "exclue des envois" in f["reason"]) for f in sent["failed"]] == [(bounced["id"], True)]
    assert sorted(outbox()) == ["joignable@example.fr", "plus.tard@example.fr"]
    suppress("plus.tard@example.fr")  # a bounce arrives after the invitation went out
    ran = run_job(world)  # the relance due a week before the deadline: to the reachable guest only
    assert ran["sent"] == 1 and ran["skipped"] == 1, ran
    after = outbox()
    assert after.count("joignable@example.fr") == 2 and after.count("plus.tard@example.fr") == 1
    assert "rebond@example.fr" not in after
