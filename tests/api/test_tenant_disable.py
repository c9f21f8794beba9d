"""The operator's `python -m infra.tenant disable|enable`: a disabled tenant's users cannot sign in, every API call
of theirs (with a token issued before) answers 403 « Espace désactivé », its RSVP pages say the service is
unavailable, the jobs pass it over; `enable` restores all of it, and a user its admin had disabled stays so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.domain.time import utc_text
from chalicelib.services import reminders, tenant_access
from chalicelib.store import invitations as invitations_store
from chalicelib.store import tenants
from infra import tenant as cli
from tests.api.test_consents import FORM, by_channel, new_contact, unsubscribe_path
from tests.api.test_electoral_compliance import before_departementales_window, digests, notified, run_daily
from tests.api.test_events_api import answer, answer_form, new_event, person, token_of
from tests.api.test_reminders_job import invite_and_send, iso, run_job
from tests.support.cognito import sign_in_enabled
from tests.support.responses import error_of, ok
from tests.support.sent_messages import sent_emails
from tests.support.world import ROLES, World, login

DISABLED = {"code": "forbidden", "message": "Espace désactivé.", "details": []}


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    """The suite's moto, never a running local stack; no container memory of a tenant's state between tests."""
    monkeypatch.setenv("AGORA_STATE_FILE", str(tmp_path / "absent.json"))
    tenant_access.forget()
    yield
    tenant_access.forget()


def switch(command: str, tenant_id: str = "t-ville") -> int:
    return cli.main([command, "--id", tenant_id])


def test_disable_closes_the_space_and_enable_reopens_it(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    for role in ROLES:  # ID tokens issued before the disable: they stay valid for Cognito until they expire
        world.headers("ville", role)
    lecteur = world.user("ville", "lecteur")
    ok(world.patch(f"/users/{lecteur.user_id}", {"enabled": False}))  # the tenant's admin had disabled this one
    before = ok(world.get("/contacts"))["items"]

    assert switch("disable") == 0
    out = capsys.readouterr().out
    assert "Tenant t-ville: disabled; sign-in disabled for 5 user(s)." in out
    for role in ROLES:
        assert error_of(world.get("/contacts", role=role), 403, "forbidden") == DISABLED
    response = world.post("/contacts", {"kind": "person", "last_name": "Pendant"})
    assert error_of(response, 403, "forbidden") == DISABLED
    assert error_of(world.get("/settings"), 403, "forbidden") == DISABLED
    assert not any(sign_in_enabled(u.email) for u in world.tenants["ville"].users)
    with pytest.raises(ClientError, match="NotAuthorized"):
        login(world.user("ville", "admin").email, world.user("ville", "admin").password)
    # The other tenant works as before, and public routes answer.
    assert world.get("/contacts", tenant="liste").status_code == 200
    assert all(sign_in_enabled(u.email) for u in world.tenants["liste"].users)
    assert world.request("GET", "/health", headers={}).status_code == 200
    assert world.get("/contacts", headers={}).status_code == 401  # no token: authentication comes first

    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("t-ville") and "DISABLED since" in line for line in lines)
    assert any(line.startswith("t-liste") and "DISABLED" not in line for line in lines)

    assert switch("enable") == 0
    out = capsys.readouterr().out
    assert "Tenant t-ville: enabled; sign-in enabled for 4 user(s)." in out and lecteur.email in out
    assert ok(world.get("/contacts"))["items"] == before  # nothing was written while disabled
    settings = ok(world.get("/settings"))
    assert "disabled_at" not in settings
    assert {u.email: sign_in_enabled(u.email) for u in world.tenants["ville"].users} == {
        u.email: u.email != lecteur.email for u in world.tenants["ville"].users
    }
    login(world.user("ville", "admin").email, world.user("ville", "admin").password)


def test_disable_is_audited_harmless_twice_and_refused_for_an_unknown_tenant(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert switch("disable") == 0
    first = tenants.get_settings_item("t-ville")
    assert first is not None and tenant_access.disabled_since(first.data)
    assert switch("disable") == 0  # again: the first date stays
    again = tenants.get_settings_item("t-ville")
    assert again is not None and tenant_access.disabled_since(again.data) == tenant_access.disabled_since(first.data)
    capsys.readouterr()
    assert switch("disable", "t-nobody") == 1
    assert "Aucun espace « t-nobody »" in capsys.readouterr().err
    assert switch("enable") == 0
    actions = [(e["action"], e["resource_id"]) for e in ok(world.get("/audit?limit=100"))["items"]]
    assert ("disable", "t-ville") in actions and ("enable", "t-ville") in actions


def test_a_disabled_tenants_rsvp_pages_say_the_service_is_unavailable(world: World) -> None:
    event = new_event(world, title="Inauguration de la médiathèque")
    guest = person(world, "Invitée", emails=["invitee@exemple.fr"])
    world.invite(event["id"], [guest])
    token = token_of(world, event["id"], guest)
    assert switch("disable") == 0

    page = world.request("GET", f"/public/rsvp/{token}", headers={})
    assert page.status_code == 403
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert "Service indisponible" in html and "pas disponible pour le moment" in html
    assert "médiathèque" not in html  # nothing of the tenant's event
    form = answer_form(world, token, b"response=accept")
    assert form.status_code == 403 and "Service indisponible" in form.body.decode()
    assert error_of(answer(world, token, {"response": "accept"}), 403, "forbidden") == DISABLED
    assert error_of(world.request("GET", f"/public/rsvp/{token}/event.ics", headers={}), 403, "forbidden") == DISABLED

    assert switch("enable") == 0
    [shown] = [g for g in ok(world.get(f"/events/{event['id']}/guests"))["items"] if g["contact_id"] == guest]
    assert shown["status"] == "invited"  # no answer got through
    assert world.request("GET", f"/public/rsvp/{token}", headers={}).status_code == 200


def test_an_unsubscribe_is_still_honoured_while_disabled(world: World) -> None:
    """The right to object holds at any time (RGPD art. 21(3)): the tenant sends nothing while disabled, and must
    not write again to someone who objected meanwhile once it is open again."""
    resident = new_contact(world)
    assert switch("disable") == 0
    done = world.request("POST", unsubscribe_path(world, "ville", resident["id"]), headers=FORM, raw=b"x=1")
    assert done.status_code == 200
    assert switch("enable") == 0
    assert by_channel(world, resident["id"])["email"]["status"] == "withdrawn"


def test_the_reminders_job_passes_a_disabled_tenant_over(world: World) -> None:
    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=2)))  # relance due now
    guests = [person(world, name, emails=[f"{name.lower()}@exemple.fr"]) for name in ("Alice", "Bertrand")]
    invite_and_send(world, event, guests)
    sent_before = len(sent_emails())
    assert switch("disable") == 0
    skipped = run_job(world)
    assert skipped["disabled"] >= 1 and skipped["sent"] == 0
    assert len(sent_emails()) == sent_before
    assert switch("enable") == 0
    resumed = run_job(world)  # the rule stayed due: it runs once the tenant is open again
    assert resumed["sent"] == 2 and resumed["disabled"] == 0
    assert sorted(m["To"] for m in sent_emails()[sent_before:]) == ["alice@exemple.fr", "bertrand@exemple.fr"]


def test_a_relance_held_back_past_the_events_start_is_never_sent(world: World) -> None:
    """Reopened after the event began: its relance, due all along, is moot and completes without a message."""
    now = datetime.now(UTC)
    event = new_event(world, starts_at=iso(now + timedelta(days=3)), rsvp_deadline=iso(now + timedelta(days=2)))
    invite_and_send(world, event, [person(world, "Alice", emails=["alice@exemple.fr"])])
    assert switch("disable") == 0
    assert run_job(world)["sent"] == 0
    assert switch("enable") == 0
    later = now + timedelta(days=3, hours=1)
    assert "relance" in due_kinds(later)
    assert reminders.run(later)["sent"] == 0
    assert [m for m in sent_emails() if m["Subject"].startswith("Votre réponse est attendue")] == []
    assert "relance" not in due_kinds(later)  # completed, not due again


def due_kinds(moment: datetime) -> list[str]:
    return [str(r.rule.get("kind")) for r in invitations_store.due_reminders(utc_text(moment))]


def test_the_daily_electoral_check_passes_a_disabled_tenant_over(world: World) -> None:
    now = before_departementales_window(days=10)
    assert switch("disable") == 0
    assert run_daily(world, now) == [{"batchItemFailures": []}]
    assert digests() == [] and notified("t-ville") == []
    assert switch("enable") == 0
    run_daily(world, now)
    assert len(digests()) == 1 and notified("t-ville")


def test_the_state_is_read_once_per_ttl_per_container(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = tenants.get_settings_item

    def counted(tenant_id: str) -> Any:
        reads.append(tenant_id)
        return original(tenant_id)

    monkeypatch.setattr(tenants, "get_settings_item", counted)
    clock = [1000.0]
    assert tenant_access.is_disabled("t-ville", lambda: clock[0]) is False
    assert reads == ["t-ville"]
    tenants.set_disabled("t-ville", "2026-12-05T00:00:00Z")  # behind this container's back, as another's would
    reads.clear()
    clock[0] += tenant_access.TTL_SECONDS - 1
    assert tenant_access.is_disabled("t-ville", lambda: clock[0]) is False  # still the answer read before
    assert reads == []
    clock[0] += 1
    assert tenant_access.is_disabled("t-ville", lambda: clock[0]) is True
    assert reads == ["t-ville"]
