"""A tenant sends only from the domains and addresses the operator assigned to it (Code électoral L52-8, CNIL).

The operator assigns them with `python -m infra.tenant senders`; no API route changes them. A sender outside them is
refused when an admin sets it and again at every send, so a value stored by any other path never leaves.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import boto3
import pytest

from chalicelib.settings import get_settings
from chalicelib.store import tenants
from infra import tenant as tenant_cli
from tests.api.test_events_api import ACK, new_event, person
from tests.api.test_reminders_job import invite_and_send, run_job
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails
from tests.support.world import World


def settings_version(world: World, tenant: str = "ville") -> int:
    return int(ok(world.get("/settings", tenant=tenant))["version"])


def patch_sender(world: World, address: str, tenant: str = "ville", **extra: Any) -> Any:
    body = {"version": settings_version(world, tenant), "sender_email": address, **extra}
    return world.patch("/settings", body, tenant=tenant)


def store_sender_behind_the_apis_back(tenant_id: str, address: str) -> None:
    """A sender saved before the rule existed (or by any path but PATCH /settings)."""
    item = tenants.get_settings_item(tenant_id)
    assert item is not None
    item.data = {**item.data, "sender_email": address, "sender_name": "Mairie de Rouen"}
    tenants.save_settings(item)


def invite_by_email(world: World) -> dict[str, Any]:
    """An open event of the commune with one guest invited by email, not yet sent."""
    event = new_event(world)
    guest = person(world, "Martin", emails=["anne.martin@exemple.fr"])
    world.invite(event["id"], [guest])
    return event


def test_an_admin_cannot_set_a_sender_outside_the_tenants_domains(world: World) -> None:
    # The political team tries the commune's address: the attack reproduced on `make run`.
    response = patch_sender(world, "mairie@rouen.fr", tenant="liste")
    assert response.status_code == 422, response.body
    detail = response.json_body["error"]["details"]
    assert [d["field"] for d in detail] == ["sender_email"]
    assert "liste-exemple.fr" in detail[0]["message"]  # says what is allowed
    assert ok(world.get("/settings", tenant="liste")).get("sender_email") is None
    # A look-alike is not the domain: neither a subdomain nor a longer name.
    for address in ("x@sub.rouen.fr", "x@rouen.fr.example.org", "x@liste-exemple.fr.evil.fr"):
        assert patch_sender(world, address, tenant="liste").status_code == 422, address
    patched = ok(patch_sender(world, "Equipe@Liste-Exemple.FR", tenant="liste"))
    assert patched["sender_email"] == "Equipe@liste-exemple.fr"


def test_the_assignment_is_read_only_through_the_api(world: World) -> None:
    grant = {"domains": ["rouen.fr"], "addresses": []}
    assert ok(world.get("/settings", tenant="liste"))["sender_grant"] == {
        "domains": ["liste-exemple.fr"],
        "addresses": [],
    }
    body = {"version": settings_version(world, "liste"), "sender_grant": grant}
    response = world.patch("/settings", body, tenant="liste")
    assert response.status_code == 422
    assert response.json_body["error"]["details"][0]["field"] == "sender_grant"
    assert ok(world.get("/settings", tenant="liste"))["sender_grant"]["domains"] == ["liste-exemple.fr"]


def test_a_stored_sender_outside_the_assignment_sends_nothing(world: World) -> None:
    event = invite_by_email(world)
    store_sender_behind_the_apis_back(world.tenants["ville"].id, "equipe@liste-exemple.fr")
    response = world.post(f"/events/{event['id']}/invitations/send", ACK)
    assert response.status_code == 409, response.body
    assert response.json_body["error"]["code"] == "sender_not_allowed"
    assert sent_emails() == []
    guests = ok(world.get(f"/events/{event['id']}/guests"))["items"]
    assert [g["sent_at"] for g in guests] == [None]  # nothing marked: it goes once the sender is fixed
    ok(patch_sender(world, "mairie@rouen.fr"))
    assert ok(world.post(f"/events/{event['id']}/invitations/send", ACK))["sent"] == 1
    assert parseaddr(sent_emails()[0]["From"])[1] == "mairie@rouen.fr"


def test_the_reminders_job_refuses_a_stored_sender_outside_the_assignment(world: World) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.api.test_reminders_job import iso

    event = new_event(world, rsvp_deadline=iso(datetime.now(UTC) + timedelta(days=2)))  # relance due now
    invite_and_send(world, event, [person(world, "Durand", emails=["durand@exemple.fr"])])
    before = len(sent_emails())
    store_sender_behind_the_apis_back(world.tenants["ville"].id, "mairie@ville-voisine.fr")
    totals = run_job(world)
    assert totals["sent"] == 0 and totals["failed"] == 1, totals
    assert len(sent_emails()) == before
    stats = ok(world.get(f"/events/{event['id']}/stats"))
    assert [u["state"] for u in stats["unknown_sends"]] == ["failed"]


def test_without_a_sender_of_its_own_a_tenant_sends_from_the_operators_domain(world: World) -> None:
    event = invite_by_email(world)
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    [message] = sent_emails()
    assert parseaddr(message["From"])[1] == parseaddr(get_settings().default_sender)[1]
    assert parseaddr(message["From"])[1].endswith("@operateur-demo.fr")
    # Replies go to the reply address of the deployment's inbound domain (services/replies.py), which maps to this
    # tenant and contact, never to the operator's no-reply sender.
    assert str(message["Reply-To"]).startswith("reponse+")
    assert str(message["Reply-To"]).endswith(f"@{get_settings().inbound_domain}")


def test_a_sender_name_cannot_change_the_sender_address(world: World) -> None:
    ok(patch_sender(world, "mairie@rouen.fr", sender_name='Mairie <maire@liste-exemple.fr>, "x" <y@z.fr>'))
    event = invite_by_email(world)
    ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    [message] = sent_emails()
    name, address = parseaddr(message["From"])
    assert address == "mairie@rouen.fr"
    assert name == 'Mairie <maire@liste-exemple.fr>, "x" <y@z.fr>'
    assert [a.addr_spec for a in message["From"].addresses] == ["mairie@rouen.fr"]


# --- the operator's command -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_running_local_stack(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The command would find a `make run` of this checkout through .local/state.json: these tests use moto's mock."""
    monkeypatch.setenv("AGORA_STATE_FILE", str(tmp_path / "absent.json"))


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = tenant_cli.main(["--stage", "local", "senders", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_operator_assigns_a_domain_with_its_dkim_records(world: World, capsys) -> None:
    liste = world.tenants["liste"].id
    assert patch_sender(world, "contact@rouen-ensemble.fr", tenant="liste").status_code == 422
    code, out, _ = run_cli(capsys, liste, "--domain", "Rouen-Ensemble.FR.", "--address", "porte-parole@exemple.org")
    assert code == 0
    assert "…@liste-exemple.fr, …@rouen-ensemble.fr, porte-parole@exemple.org" in out
    assert "_amazonses.rouen-ensemble.fr. TXT" in out
    assert out.count("._domainkey.rouen-ensemble.fr. CNAME") == 3
    # The stack parameter: every tenant's domains and the default sender's.
    patterns = out.strip().splitlines()[-1].strip().split(",")
    assert {"*@rouen-ensemble.fr", "*@liste-exemple.fr", "*@rouen.fr", "*@operateur-demo.fr"} <= set(patterns)
    assert "porte-parole@exemple.org" in patterns
    ses = boto3.client("ses", region_name=get_settings().region)
    identities = ses.list_identities()["Identities"]
    assert {"rouen-ensemble.fr", "porte-parole@exemple.org"} <= set(identities)
    ok(patch_sender(world, "contact@rouen-ensemble.fr", tenant="liste"))
    ok(patch_sender(world, "porte-parole@exemple.org", tenant="liste"))
    assert patch_sender(world, "autre@exemple.org", tenant="liste").status_code == 422  # only that address

    code, out, _ = run_cli(capsys, liste, "--remove-domain", "rouen-ensemble.fr")
    assert code == 0 and "rouen-ensemble.fr" not in out.splitlines()[0]
    assert patch_sender(world, "contact@rouen-ensemble.fr", tenant="liste").status_code == 422


def test_a_domain_belongs_to_one_tenant(world: World, capsys) -> None:
    code, _, err = run_cli(capsys, world.tenants["liste"].id, "--domain", "rouen.fr")
    assert code == 1
    assert "rouen.fr" in err and world.tenants["ville"].id in err
    assert ok(world.get("/settings", tenant="liste"))["sender_grant"]["domains"] == ["liste-exemple.fr"]
    code, _, err = run_cli(capsys, world.tenants["liste"].id, "--address", "elu@rouen.fr")
    assert code == 1


def test_the_command_refuses_what_is_not_a_domain_or_an_unknown_tenant(world: World, capsys) -> None:
    for args in (("--domain", "pas un domaine"), ("--domain", "localhost"), ("--address", "sans-arobase")):
        code, _, err = run_cli(capsys, world.tenants["liste"].id, *args)
        assert code == 1 and err.startswith("error:"), args
    code, _, err = run_cli(capsys, "inconnu", "--domain", "exemple.fr")
    assert code == 1 and "inconnu" in err
