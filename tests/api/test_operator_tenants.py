"""The operator's `python -m infra.tenant create` and `list`: from an empty deployment to a first login, re-runs
harmless, the kind never changed, bad input refused with the field and the reason."""

from __future__ import annotations

from typing import Any

import pytest

from infra import tenant as cli
from tests.support.responses import ok
from tests.support.world import World, login

PASSWORD = "Un-Mot-De-Passe-Solide-2026"


@pytest.fixture(autouse=True)
def no_running_stack(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """The command reads a running local stack's state file; these tests use the suite's moto, never that stack."""
    monkeypatch.setenv("AGORA_STATE_FILE", str(tmp_path / "absent.json"))


def create(*extra: str, **fields: str) -> int:
    args = {"id": "ville-exemple", "kind": "institution", "name": "Ville d'Exemple", "admin": "maire@exemple.fr"}
    args.update(fields)
    argv = ["create", *(x for k, v in args.items() for x in (f"--{k.replace('_', '-')}", v)), *extra]
    return cli.main(argv)


def as_admin(world: World, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": f"Bearer {login('maire@exemple.fr', password)}", "Content-Type": "application/json"}


def test_a_new_tenant_and_its_admin_log_in_and_work(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert create("--password", PASSWORD, departement="76", commune_insee="76540") == 0
    out = capsys.readouterr().out
    assert "Tenant ville-exemple (institution): created." in out and "created, with the password given" in out
    headers = as_admin(world)
    settings = ok(world.get("/settings", headers=headers))
    assert (settings["name"], settings["kind"], settings["departement"], settings["commune_insee"]) == (
        "Ville d'Exemple",
        "institution",
        "76",
        "76540",
    )
    assert ok(world.post("/contacts", {"kind": "person", "last_name": "Premier"}, headers=headers), 201)
    [me] = [u for u in ok(world.get("/users", headers=headers))["items"] if u["email"] == "maire@exemple.fr"]
    assert me["roles"] == ["admin"]


def test_without_a_password_the_local_stage_prints_a_temporary_one(
    capsys: pytest.CaptureFixture[str], world: World
) -> None:
    assert create(id="commune-b", admin="dgs@commune-b.fr") == 0
    out = capsys.readouterr().out
    assert "temporary password" in out
    assert "to change at first login" in out


def test_a_rerun_updates_the_name_never_the_kind_and_keeps_the_admin(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create("--password", PASSWORD) == 0
    assert create("--password", "Un-Autre-Mot-De-Passe-9", name="Ville d'Exemple-sur-Mer") == 0
    out = capsys.readouterr().out
    assert "updated" in out and "already exists, left as it is" in out
    headers = as_admin(world)  # the first password still works: the admin was left alone
    assert ok(world.get("/settings", headers=headers))["name"] == "Ville d'Exemple-sur-Mer"
    assert create(kind="political") == 1
    assert "ne change jamais" in capsys.readouterr().err
    assert ok(world.get("/settings", headers=headers))["kind"] == "institution"


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"id": "Ville Exemple"}, "id:"),
        ({"id": "ab"}, "id:"),
        ({"name": " "}, "name:"),
    ],
)
def test_bad_input_is_refused_with_the_field(
    world: World, capsys: pytest.CaptureFixture[str], fields: dict[str, Any], fragment: str
) -> None:
    assert create(**fields) == 1
    assert fragment in capsys.readouterr().err


def test_list_shows_every_tenant(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    create("--password", PASSWORD, departement="76")
    create(id="liste-citoyenne", kind="political", name="Liste citoyenne", admin="tete@liste.fr")
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("ville-exemple") and "institution" in line and "departement=76" in line for line in lines
    )
    assert any(line.startswith("liste-citoyenne") and "political" in line for line in lines)
