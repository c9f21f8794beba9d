"""Interactions and follow-up tasks, user management in Cognito, tenant settings and custom field
declarations."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import aws
from chalicelib.services import contacts as contacts_service
from chalicelib.services import interactions as interactions_service
from chalicelib.services import tenancy
from chalicelib.services import users as users_service
from chalicelib.settings import get_settings
from chalicelib.store import merges, tenants
from chalicelib.store import users as users_store
from tests.support.cognito import cognito_user, groups_of
from tests.support.faults import Fault, busy_item, client_error, injected, transaction_conflict
from tests.support.responses import error_of, ok
from tests.support.world import World


def cognito_usernames() -> set[str]:
    users = aws.cognito().list_users(UserPoolId=get_settings().user_pool_id)["Users"]
    emails = set()
    for u in users:
        attributes = {a["Name"]: a["Value"] for a in u["Attributes"]}
        emails.add(attributes["email"])
    return emails


@pytest.fixture
def contact(world: World) -> dict[str, Any]:
    return ok(world.post("/contacts", {"kind": "person", "first_name": "Anne", "last_name": "Morel"}), 201)


# --- Interactions and tasks ---------------------------------------------------------------------


def test_interaction_without_follow_up(world: World, contact: dict[str, Any]) -> None:
    created = world.interaction(
        contact["id"],
        {"kind": "letter", "date": "2026-11-02T10:30:00+01:00", "summary": "  Courrier reçu  "},
        role="communication",
    )
    author = world.user("ville", "communication")
    assert created["contact_id"] == contact["id"]
    assert created["kind"] == "letter"
    assert created["date"] == "2026-11-02T10:30:00+01:00"
    assert created["summary"] == "Courrier reçu"
    assert created["author"] == {"id": author.user_id, "email": author.email}
    assert created["task_id"] is None and created["task"] is None
    listed = ok(world.get(f"/contacts/{contact['id']}/interactions"))
    assert [i["id"] for i in listed["items"]] == [created["id"]]
    assert listed["next_cursor"] is None
    assert ok(world.get("/tasks"))["items"] == []


def test_interaction_with_follow_up_task(world: World, contact: dict[str, Any]) -> None:
    cabinet = world.user("ville", "cabinet")
    created = world.interaction(
        contact["id"],
        {
            "kind": "request",
            "date": "2026-11-02",
            "summary": "Demande de rendez-vous",
            "follow_up": {"title": "Proposer une date", "due": "2026-11-20", "assignee": cabinet.user_id},
        },
    )
    task = created["task"]
    assert created["task_id"] == task["id"]
    assert task["title"] == "Proposer une date"
    assert task["due"] == "2026-11-20"
    assert task["status"] == "open"
    assert task["assignee"] == cabinet.user_id
    assert task["contact_id"] == contact["id"]
    assert task["interaction_id"] == created["id"]
    assert task["created_by"] == world.user("ville", "admin").user_id
    # The assignee finds it in their own open tasks; the creator does not.
    assert [t["id"] for t in ok(world.get("/tasks?assignee=me", role="cabinet"))["items"]] == [task["id"]]
    assert ok(world.get("/tasks?assignee=me"))["items"] == []
    assert [t["id"] for t in ok(world.get(f"/tasks?assignee={cabinet.user_id}"))["items"]] == [task["id"]]
    view = ok(world.get(f"/contacts/{contact['id']}"))
    assert [t["id"] for t in view["open_tasks"]] == [task["id"]]
    assert view["interactions"][0]["task_id"] == task["id"]


def test_follow_up_assignee_defaults_to_me_and_must_exist(world: World, contact: dict[str, Any]) -> None:
    created = world.interaction(
        contact["id"],
        {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "Rappeler"}},
        role="protocole",
    )
    assert created["task"]["assignee"] == world.user("ville", "protocole").user_id
    assert created["task"]["due"] is None
    response = world.post(
        f"/contacts/{contact['id']}/interactions",
        {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "t", "assignee": "inconnu"}},
    )
    error = error_of(response, 422, "validation_error")
    assert error["details"] == [{"field": "follow_up.assignee", "message": "Utilisateur inconnu dans cet espace."}]
    # Nothing half-written: no interaction without its task.
    assert len(ok(world.get(f"/contacts/{contact['id']}/interactions"))["items"]) == 1


def test_interaction_validation(world: World, contact: dict[str, Any]) -> None:
    response = world.post(
        f"/contacts/{contact['id']}/interactions",
        {"kind": "fax", "date": "hier", "summary": "", "extra": 1, "follow_up": {"due": "2026-13-01"}},
    )
    error = error_of(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {
        "kind",
        "date",
        "summary",
        "extra",
        "follow_up.title",
        "follow_up.due",
    }
    assert ok(world.get(f"/contacts/{contact['id']}/interactions"))["items"] == []


def test_interactions_list_newest_first_with_exact_pages(world: World, contact: dict[str, Any]) -> None:
    for n in range(5):
        world.interaction(contact["id"], {"kind": "call", "date": "2026-11-02", "summary": f"n{n}"})
    first = ok(world.get(f"/contacts/{contact['id']}/interactions?limit=2"))
    second = ok(world.get(f"/contacts/{contact['id']}/interactions?limit=2&cursor={first['next_cursor']}"))
    third = ok(world.get(f"/contacts/{contact['id']}/interactions?limit=2&cursor={second['next_cursor']}"))
    assert [i["summary"] for p in (first, second, third) for i in p["items"]] == ["n4", "n3", "n2", "n1", "n0"]
    assert third["next_cursor"] is None
    other = ok(world.post("/contacts", {"kind": "person", "last_name": "Autre"}), 201)
    response = world.get(f"/contacts/{other['id']}/interactions?limit=2&cursor={first['next_cursor']}")
    error_of(response, 400, "bad_request")


def test_tasks_filters_and_status_changes(world: World, contact: dict[str, Any]) -> None:
    def follow_up(title: str, due: str | None, role: str = "admin") -> dict[str, Any]:
        body = {"kind": "call", "date": "2026-11-02", "summary": title, "follow_up": {"title": title, "due": due}}
        return world.interaction(contact["id"], body, role=role)["task"]

    early = follow_up("Tôt", "2026-11-05")
    late = follow_up("Tard", "2026-12-20")
    undated = follow_up("Sans date", None)
    theirs = follow_up("Pour le cabinet", "2026-11-01", role="cabinet")

    def titles(query: str, role: str = "admin") -> list[str]:
        return [t["title"] for t in ok(world.get(f"/tasks?{query}", role=role))["items"]]

    # Ordered by due date, undated last.
    assert titles("assignee=me&status=open") == ["Tôt", "Tard", "Sans date"]
    assert titles("assignee=me&status=open&due_before=2026-12-01") == ["Tôt"]
    assert titles("assignee=me&due_before=2026-11-05") == []
    assert titles("assignee=me&due_before=2026-11-06") == ["Tôt"]
    assert titles("status=open") == ["Pour le cabinet", "Tôt", "Tard", "Sans date"]
    assert titles("assignee=me", role="cabinet") == ["Pour le cabinet"]
    assert titles("status=done") == []

    done = ok(world.patch(f"/tasks/{early['id']}", {"status": "done"}))
    assert done["status"] == "done" and done["updated_at"] >= early["updated_at"]
    assert titles("assignee=me&status=open") == ["Tard", "Sans date"]
    assert titles("assignee=me&status=done") == ["Tôt"]
    assert titles("status=done") == ["Tôt"]
    open_tasks = ok(world.get(f"/contacts/{contact['id']}"))["open_tasks"]
    assert sorted(t["id"] for t in open_tasks) == sorted([late["id"], undated["id"], theirs["id"]])

    # Reassign, reschedule, rename, cancel: every list follows.
    cabinet = world.user("ville", "cabinet")
    moved = ok(world.patch(f"/tasks/{late['id']}", {"assignee": cabinet.user_id, "due": "2026-11-10", "title": "Relu"}))
    assert (moved["assignee"], moved["due"], moved["title"]) == (cabinet.user_id, "2026-11-10", "Relu")
    assert titles("assignee=me", role="cabinet") == ["Pour le cabinet", "Relu"]
    assert titles("assignee=me&status=open") == ["Sans date"]
    ok(world.patch(f"/tasks/{undated['id']}", {"status": "cancelled"}))
    assert titles("assignee=me&status=open") == []
    assert titles("status=cancelled") == ["Sans date"]
    assert ok(world.patch(f"/tasks/{moved['id']}", {"due": None}))["due"] is None
    assert titles("assignee=me", role="cabinet") == ["Pour le cabinet", "Relu"]
    open_tasks = ok(world.get(f"/contacts/{contact['id']}"))["open_tasks"]
    assert sorted(t["id"] for t in open_tasks) == sorted([late["id"], theirs["id"]])


def test_a_task_whose_contact_is_deleted_meanwhile_is_not_brought_back(
    world: World, contact: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PATCH /tasks rewrote the task whole as read: when the contact (and its tasks with it) was deleted between
    that read and the write, the task came back, pointing at nobody, in every list of tasks."""
    body = {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "Rappeler"}}
    task = ok(world.post(f"/contacts/{contact['id']}/interactions", body), 201)["task"]
    load = interactions_service.load_task

    def load_then_contact_deleted(p: Any, task_id: str) -> Any:
        read = load(p, task_id)
        contacts_service.delete(p, contact["id"])  # another admin's delete, the contact's tasks with it
        return read

    monkeypatch.setattr(interactions_service, "load_task", load_then_contact_deleted)
    error_of(world.patch(f"/tasks/{task['id']}", {"status": "done"}), 404, "not_found")
    monkeypatch.undo()
    for status in ("open", "done"):
        assert ok(world.get(f"/tasks?status={status}"))["items"] == []
    error_of(world.patch(f"/tasks/{task['id']}", {"status": "done"}), 404, "not_found")


def test_a_task_a_merge_is_moving_at_that_moment_gives_409_and_stays_as_it_was(
    world: World, contact: dict[str, Any]
) -> None:
    """A merge moves a contact's tasks in a transaction; DynamoDB refuses a single write to an item a transaction
    is writing (TransactionConflictException, which botocore does not retry). The PATCH is the same race as a
    version read stale: 409 « modifié entre-temps », nothing written; not a 500."""
    body = {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "Rappeler"}}
    task = ok(world.post(f"/contacts/{contact['id']}/interactions", body), 201)["task"]
    with injected(Fault("dynamodb", "PutItem", busy_item)) as (busy,):
        refused = world.patch(f"/tasks/{task['id']}", {"status": "done"})
    assert busy.raised == 1
    assert "entre-temps" in error_of(refused, 409, "conflict")["message"]
    [stored] = ok(world.get("/tasks?status=open"))["items"]
    assert (stored["id"], stored["status"], stored["updated_at"]) == (task["id"], "open", task["updated_at"])


def test_a_task_moved_to_another_contact_meanwhile_is_a_conflict(
    world: World, contact: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge moving the task to the kept contact between the PATCH's read and its write: the write would have
    put it back on the merged (deleted) contact."""
    body = {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "Rappeler"}}
    task = ok(world.post(f"/contacts/{contact['id']}/interactions", body), 201)["task"]
    kept = ok(world.post("/contacts", {"kind": "person", "first_name": "Anne", "last_name": "Morel-Durand"}), 201)
    load = interactions_service.load_task

    def load_then_moved(p: Any, task_id: str) -> Any:
        read = load(p, task_id)
        assert merges.move(p.tenant_id, "task", task_id, contact["id"], kept["id"])  # the merge's move
        return read

    monkeypatch.setattr(interactions_service, "load_task", load_then_moved)
    assert (
        "entre-temps" in error_of(world.patch(f"/tasks/{task['id']}", {"status": "done"}), 409, "conflict")["message"]
    )
    monkeypatch.undo()
    [stored] = ok(world.get("/tasks?status=open"))["items"]
    assert (stored["id"], stored["contact_id"]) == (task["id"], kept["id"])


def test_task_patch_validation(world: World, contact: dict[str, Any]) -> None:
    body = {"kind": "call", "date": "2026-11-02", "summary": "x", "follow_up": {"title": "t"}}
    task = world.interaction(contact["id"], body)["task"]
    error = error_of(
        world.patch(f"/tasks/{task['id']}", {"status": "fini", "due": "demain", "owner": "x"}), 422, "validation_error"
    )
    assert {d["field"] for d in error["details"]} == {"status", "due", "owner"}
    error = error_of(world.patch(f"/tasks/{task['id']}", {"assignee": "personne"}), 422, "validation_error")
    assert error["details"] == [{"field": "assignee", "message": "Utilisateur inconnu dans cet espace."}]
    assert ok(world.get("/tasks?assignee=me"))["items"] == [task]


def test_tasks_query_validation(world: World) -> None:
    for query, field in (
        ("status=fini", "status"),
        ("due_before=demain", "due_before"),
        ("assignee=../x", "assignee"),
        ("limit=0", "limit"),
    ):
        error = error_of(world.get(f"/tasks?{query}"), 422, "validation_error")
        assert [d["field"] for d in error["details"]] == [field], query
    error_of(world.get("/tasks?cursor=nope"), 400, "bad_request")


def test_tasks_pages_are_exact(world: World, contact: dict[str, Any]) -> None:
    for n in range(4):
        body = {
            "kind": "call",
            "date": "2026-11-02",
            "summary": "x",
            "follow_up": {"title": f"t{n}", "due": f"2026-11-1{n}"},
        }
        world.interaction(contact["id"], body)
    first = ok(world.get("/tasks?assignee=me&limit=2"))
    second = ok(world.get(f"/tasks?assignee=me&limit=2&cursor={first['next_cursor']}"))
    assert [t["title"] for t in first["items"] + second["items"]] == ["t0", "t1", "t2", "t3"]
    assert second["next_cursor"] is None
    # A cursor of one filter is refused by another.
    error_of(world.get(f"/tasks?status=done&limit=2&cursor={first['next_cursor']}"), 400, "bad_request")


# --- Users --------------------------------------------------------------------------------------


def test_admin_creates_a_user_in_cognito_with_groups(world: World) -> None:
    created = ok(
        world.post(
            "/users",
            {
                "email": "Camille.Roux@Ville.Exemple.FR",
                "roles": ["protocole", "cabinet", "protocole"],
                "first_name": "Camille",
            },
        ),
        201,
    )
    assert created["email"] == "Camille.Roux@ville.exemple.fr"
    assert created["roles"] == ["cabinet", "protocole"]
    assert created["enabled"] is True
    assert created["first_name"] == "Camille" and created["last_name"] is None
    assert created["temporary_password"]  # local stage: no invitation email leaves the machine
    assert groups_of(created["email"]) == ["cabinet", "protocole"]
    identity = cognito_user(created["email"])
    assert identity["sub"] == created["id"]
    assert identity["custom:tenant_id"] == world.tenants["ville"].id
    assert identity["custom:tenant_kind"] == "institution"
    assert identity["enabled"] is True
    assert ok(world.get(f"/users/{created['id']}")) == {k: v for k, v in created.items() if k != "temporary_password"}
    listed = ok(world.get("/users?limit=100"))["items"]
    assert created["id"] in {u["id"] for u in listed}
    assert len(listed) == 6
    # The new user can log in with the temporary password, and must change it.
    challenge = aws.cognito().initiate_auth(
        ClientId=get_settings().user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": created["email"], "PASSWORD": created["temporary_password"]},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_a_user_of_the_political_tenant_gets_its_kind(world: World) -> None:
    created = ok(world.post("/users", {"email": "equipe@liste.exemple.fr", "roles": ["lecteur"]}, tenant="liste"), 201)
    identity = cognito_user(created["email"])
    assert (identity["custom:tenant_id"], identity["custom:tenant_kind"]) == (world.tenants["liste"].id, "political")


def test_user_creation_validation_and_duplicates(world: World) -> None:
    error = error_of(world.post("/users", {"email": "pas-une-adresse", "roles": []}), 422, "validation_error")
    assert {d["field"]: d["message"] for d in error["details"]} == {
        "email": "Adresse électronique invalide.",
        "roles": "Au moins 1 élément(s).",
    }
    error = error_of(
        world.post("/users", {"email": "a@ville.exemple.fr", "roles": ["superadmin"]}), 422, "validation_error"
    )
    assert [d["field"] for d in error["details"]] == ["roles[0]"]
    before = cognito_usernames()
    ok(world.post("/users", {"email": "double@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    error = error_of(world.post("/users", {"email": "double@ville.exemple.fr", "roles": ["admin"]}), 409, "conflict")
    assert error["details"] == [{"field": "email", "message": "Adresse déjà utilisée."}]
    # An address already used in another tenant is refused too (Cognito usernames are global).
    error_of(
        world.post("/users", {"email": "double@ville.exemple.fr", "roles": ["admin"]}, tenant="liste"), 409, "conflict"
    )
    assert cognito_usernames() == before | {"double@ville.exemple.fr"}
    assert groups_of("double@ville.exemple.fr") == ["lecteur"]


def test_patch_roles_updates_cognito_groups(world: World) -> None:
    created = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    patched = ok(world.patch(f"/users/{created['id']}", {"roles": ["communication", "cabinet"], "last_name": "Roux"}))
    assert patched["roles"] == ["cabinet", "communication"]
    assert patched["last_name"] == "Roux"
    assert groups_of(created["email"]) == ["cabinet", "communication"]
    disabled = ok(world.patch(f"/users/{created['id']}", {"enabled": False}))
    assert disabled["enabled"] is False and disabled["roles"] == ["cabinet", "communication"]
    assert cognito_user(created["email"])["enabled"] is False
    ok(world.patch(f"/users/{created['id']}", {"enabled": True, "roles": ["admin"]}))
    assert cognito_user(created["email"])["enabled"] is True
    assert groups_of(created["email"]) == ["admin"]
    assert ok(world.get(f"/users/{created['id']}"))["roles"] == ["admin"]
    error = error_of(world.patch(f"/users/{created['id']}", {"roles": [], "email": "x@y.fr"}), 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"roles", "email"}
    assert groups_of(created["email"]) == ["admin"]


def test_the_last_admin_cannot_be_removed(world: World) -> None:
    me = world.user("ville", "admin")
    for change in ({"roles": ["lecteur"]}, {"enabled": False}, {"roles": ["cabinet", "protocole"]}):
        error_of(world.patch(f"/users/{me.user_id}", change), 409, "conflict")
    error_of(world.delete(f"/users/{me.user_id}"), 409, "conflict")
    assert groups_of(me.email) == ["admin"]
    assert cognito_user(me.email)["enabled"] is True
    assert ok(world.get(f"/users/{me.user_id}"))["roles"] == ["admin"]
    # With a second admin, the first may step down; the second is then the last one.
    second = ok(world.post("/users", {"email": "adjoint@ville.exemple.fr", "roles": ["admin"]}), 201)
    assert ok(world.patch(f"/users/{me.user_id}", {"roles": ["admin", "cabinet"]}))["roles"] == ["admin", "cabinet"]
    ok(world.patch(f"/users/{second['id']}", {"enabled": False}))
    error_of(world.patch(f"/users/{me.user_id}", {"roles": ["cabinet"]}), 409, "conflict")
    ok(world.patch(f"/users/{second['id']}", {"enabled": True}))
    assert ok(world.patch(f"/users/{me.user_id}", {"roles": ["cabinet"]}))["roles"] == ["cabinet"]
    assert groups_of(me.email) == ["cabinet"]


def test_two_admins_removing_each_other_at_once_leave_one_admin(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each request counted the other admin, then both wrote: the space was left without an admin, which only the
    platform's operators could repair. The one that writes second is now refused, and the other stays admin."""
    me = world.user("ville", "admin")
    second = ok(world.post("/users", {"email": "adjoint@ville.exemple.fr", "roles": ["admin"]}), 201)
    listed = users_store.all_for
    interleaved: list[bool] = []

    def listed_then_the_other_steps_in(*args: Any, **kwargs: Any) -> Any:
        found = listed(*args, **kwargs)
        if not interleaved:  # the second admin removes the first, between this request's count and its write
            interleaved.append(True)
            principal = world.principal("ville", "admin")
            users_service.patch_user(principal, users_service.load(principal, me.user_id), {"roles": ["cabinet"]})
        return found

    monkeypatch.setattr(users_store, "all_for", listed_then_the_other_steps_in)
    refused = world.patch(f"/users/{second['id']}", {"roles": ["lecteur"]})
    monkeypatch.undo()
    assert "administrateur" in error_of(refused, 409, "conflict")["message"]
    admins = [u for u in ok(world.get("/users?limit=100"))["items"] if "admin" in u["roles"] and u["enabled"]]
    assert [u["id"] for u in admins] == [second["id"]]
    assert groups_of(second["email"]) == ["admin"] and groups_of(me.email) == ["cabinet"]


def test_a_user_deleted_while_being_changed_is_not_brought_back(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATCH /users wrote the entry whole, without condition: a delete landing between its checks and its write
    brought the entry back, listing a user nobody can sign in as."""
    agent = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    owned = users_service._owned_identity
    deleted: list[bool] = []

    def owned_then_deleted(p: Any, user: Any) -> bool:
        found = owned(p, user)
        if not deleted:  # another admin's delete, right after this request's check
            deleted.append(True)
            users_service.delete_user(p, user.user_id)
        return found

    monkeypatch.setattr(users_service, "_owned_identity", owned_then_deleted)
    error_of(world.patch(f"/users/{agent['id']}", {"last_name": "Roux"}), 404, "not_found")
    monkeypatch.undo()
    assert agent["id"] not in {u["id"] for u in ok(world.get("/users?limit=100"))["items"]}
    assert "agent@ville.exemple.fr" not in cognito_usernames()


def test_a_role_change_cognito_refuses_leaves_the_entry_as_cognito_has_it(world: World) -> None:
    """The entry is written before Cognito: when Cognito then fails, the entry is put back, so the list never shows
    roles nobody holds (nor counts an admin who is not one)."""
    agent = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    with injected(Fault("cognito-idp", "AdminAddUserToGroup", client_error("InternalErrorException", 500))) as (f,):
        failed = world.patch(f"/users/{agent['id']}", {"roles": ["admin"]})
    assert f.raised == 1 and failed.status_code >= 500
    assert ok(world.get(f"/users/{agent['id']}"))["roles"] == ["lecteur"]
    assert groups_of("agent@ville.exemple.fr") == ["lecteur"]


def test_a_user_written_by_another_transaction_at_that_moment_gives_409(world: World) -> None:
    agent = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        refused = world.patch(f"/users/{agent['id']}", {"last_name": "Roux"})
    assert "réessayez" in error_of(refused, 409, "conflict")["message"]
    assert ok(world.get(f"/users/{agent['id']}"))["last_name"] is None


def test_delete_user(world: World) -> None:
    created = ok(world.post("/users", {"email": "depart@ville.exemple.fr", "roles": ["communication"]}), 201)
    assert world.delete(f"/users/{created['id']}").status_code == 204
    assert "depart@ville.exemple.fr" not in cognito_usernames()
    error_of(world.get(f"/users/{created['id']}"), 404, "not_found")
    error_of(world.delete(f"/users/{created['id']}"), 404, "not_found")
    assert created["id"] not in {u["id"] for u in ok(world.get("/users?limit=100"))["items"]}
    # The address is free again.
    ok(world.post("/users", {"email": "depart@ville.exemple.fr", "roles": ["lecteur"]}), 201)


def test_users_list_pages(world: World) -> None:
    first = ok(world.get("/users?limit=2"))
    seen = [u["email"] for u in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = ok(world.get(f"/users?limit=2&cursor={cursor}"))
        seen += [u["email"] for u in page["items"]]
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(u.email for u in world.tenants["ville"].users)


# --- Settings -----------------------------------------------------------------------------------


def test_settings_get_and_patch(world: World) -> None:
    settings = ok(world.get("/settings", role="lecteur"))
    assert settings["id"] == world.tenants["ville"].id
    assert settings["kind"] == "institution"
    assert settings["name"] == "Ville test"
    assert settings["departement"] == "76"
    assert settings["timezone"] == "Europe/Paris"
    assert settings["version"] == 1
    patched = ok(
        world.patch(
            "/settings",
            {
                "version": 1,
                "sender_name": "Mairie de Rouen",
                "sender_email": "Mairie@Rouen.FR",
                "letterhead": "Hôtel de Ville – 2, place du Général-de-Gaulle",
                "signatory_name": "Camille Lefèvre",
                "signatory_function": "Maire de Rouen",
                "departement": "2A",
                "timezone": "Indian/Reunion",
            },
        )
    )
    assert patched["version"] == 2
    assert patched["sender_email"] == "Mairie@rouen.fr"
    assert (patched["departement"], patched["timezone"], patched["name"]) == ("2A", "Indian/Reunion", "Ville test")
    assert ok(world.get("/settings")) == patched
    error = error_of(world.patch("/settings", {"version": 1, "name": "Autre"}), 409, "conflict")
    assert error["message"]
    assert ok(world.get("/settings"))["name"] == "Ville test"


# (case, change, field reported)
INVALID_SETTINGS = [
    ("departement-99", {"departement": "99"}, "departement"),
    ("departement-20-corsica-split", {"departement": "20"}, "departement"),
    ("departement-977", {"departement": "977"}, "departement"),
    ("insee-short", {"commune_insee": "7654"}, "commune_insee"),
    ("region", {"region": "A1"}, "region"),
    ("siren", {"epci_siren": "12345678"}, "epci_siren"),
    ("timezone", {"timezone": "Paris"}, "timezone"),
    ("sender-email", {"sender_email": "mairie"}, "sender_email"),
    ("kind-is-not-editable", {"kind": "political"}, "kind"),
    ("id-is-not-editable", {"id": "t-liste"}, "id"),
    ("empty-name", {"name": ""}, "name"),
]


def test_invalid_settings(world: World) -> None:
    for case, change, field in INVALID_SETTINGS:
        error = error_of(world.patch("/settings", {"version": 1, **change}), 422, "validation_error")
        assert [d["field"] for d in error["details"]] == [field], case
    settings = ok(world.get("/settings"))
    assert settings["version"] == 1 and settings["kind"] == "institution" and settings["departement"] == "76"


def test_settings_need_a_version(world: World) -> None:
    error = error_of(world.patch("/settings", {"name": "Autre"}), 422, "validation_error")
    assert error["details"] == [{"field": "version", "message": "Ce champ est obligatoire."}]


# --- Custom field declarations ------------------------------------------------------------------


def test_fields_crud(world: World) -> None:
    assert ok(world.get("/fields"))["items"] == []
    created = ok(
        world.post(
            "/fields", {"name": "quartier", "label": "Quartier", "type": "choice", "choices": ["Centre", "Nord"]}
        ),
        201,
    )
    assert created == {"name": "quartier", "label": "Quartier", "type": "choice", "choices": ["Centre", "Nord"]}
    ok(world.post("/fields", {"name": "enfants", "label": "Enfants", "type": "number"}), 201)
    assert [f["name"] for f in ok(world.get("/fields", role="lecteur"))["items"]] == ["enfants", "quartier"]
    error = error_of(world.post("/fields", {"name": "quartier", "label": "Bis", "type": "text"}), 409, "conflict")
    assert "quartier" in error["message"]
    patched = ok(
        world.patch("/fields/quartier", {"label": "Quartier de résidence", "choices": ["Centre", "Nord", "Sud"]})
    )
    assert patched == {
        "name": "quartier",
        "label": "Quartier de résidence",
        "type": "choice",
        "choices": ["Centre", "Nord", "Sud"],
    }
    ok(world.post("/contacts", {"kind": "person", "last_name": "X", "custom": {"quartier": "Sud"}}), 201)
    error_of(world.patch("/fields/quartier", {"choices": []}), 422, "validation_error")
    error_of(world.patch("/fields/enfants", {"choices": ["a"]}), 409, "conflict")
    error_of(world.patch("/fields/quartier", {"type": "text"}), 422, "validation_error")
    assert ok(world.get("/fields"))["items"][1] == patched
    assert world.delete("/fields/quartier").status_code == 204
    error_of(world.delete("/fields/quartier"), 404, "not_found")
    error_of(world.patch("/fields/quartier", {"label": "x"}), 404, "not_found")
    assert [f["name"] for f in ok(world.get("/fields"))["items"]] == ["enfants"]


def test_removing_a_field_changed_meanwhile_is_a_conflict_and_keeps_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    load = tenancy.load_field

    def load_then_edited(p: Any, name: str) -> Any:
        read = load(p, name)
        edited = load(p, name)  # another admin's edit, saved between this request's read and its delete
        edited.data = {**edited.data, "label": "Quartier de résidence"}
        tenants.save_field(edited)
        return read

    monkeypatch.setattr(tenancy, "load_field", load_then_edited)
    assert error_of(world.delete("/fields/quartier"), 409, "conflict")["message"]
    monkeypatch.undo()
    assert ok(world.get("/fields"))["items"] == [{"name": "quartier", "label": "Quartier de résidence",
                                                  "type": "text", "choices": []}]  # fmt: skip


# (case, body, fields reported)
INVALID_FIELDS = [
    ("upper-case-name", {"name": "Quartier", "label": "Q", "type": "text"}, {"name"}),
    ("hyphen", {"name": "a-b", "label": "Q", "type": "text"}, {"name"}),
    ("long-name", {"name": "x" * 41, "label": "Q", "type": "text"}, {"name"}),
    ("empty-label", {"name": "q", "label": "", "type": "text"}, {"label"}),
    ("unknown-type", {"name": "q", "label": "Q", "type": "list"}, {"type"}),
    ("choice-without-values", {"name": "q", "label": "Q", "type": "choice"}, {"choices"}),
    ("values-on-text", {"name": "q", "label": "Q", "type": "text", "choices": ["a"]}, {"choices"}),
    ("missing", {"label": "Q"}, {"name", "type"}),
]


def test_invalid_field_declarations(world: World) -> None:
    for case, body, fields in INVALID_FIELDS:
        error = error_of(world.post("/fields", body), 422, "validation_error")
        assert {d["field"] for d in error["details"]} == fields, case
    assert ok(world.get("/fields"))["items"] == []
