"""Users are changed only in their own tenant's Cognito identities; contacts are deleted by admins, archived by writers.

A directory entry of the users table names a Cognito identity by its email. Should it ever name another tenant's
identity (a stale entry after a failed deletion and the address reused elsewhere), PATCH and DELETE must not act on
it: the identity's own `custom:tenant_id` decides. Deleting a contact erases its history for good: admins only;
other writers archive, which hides the contact from lists and sends and can be undone.
"""

from __future__ import annotations

from typing import Any

from chalicelib.settings import get_settings
from chalicelib.store import users as users_store
from tests.api.test_events_api import ACK, new_event
from tests.support.cognito import groups_of, sign_in_enabled
from tests.support.responses import ok
from tests.support.sent_messages import sent_emails
from tests.support.world import World


def stale_entry_naming(world: World, tenant: str, email: str, user_id: str) -> str:
    """A directory entry of ``tenant`` naming an identity it does not own (written behind the API's back)."""
    entry = users_store.UserItem(
        world.tenants[tenant].id,
        user_id,
        email=email,
        roles=["lecteur"],
        first_name=None,
        last_name=None,
        enabled=True,
        created_at="2026-01-01T00:00:00.000Z",
        updated_at="2026-01-01T00:00:00.000Z",
    )
    entry.save()
    return user_id


def test_users_are_changed_only_in_the_callers_tenant(world: World) -> None:
    victim = ok(world.post("/users", {"email": "elu@liste.exemple.fr", "roles": ["lecteur"]}, tenant="liste"), 201)
    forged = stale_entry_naming(world, "ville", victim["email"], "forged-user-id")
    for user_id in (forged, victim["id"]):  # a stale entry naming it, or its real id
        patched = world.patch(f"/users/{user_id}", {"roles": ["admin"], "enabled": False})
        assert patched.status_code == 404, patched.body
        assert world.delete(f"/users/{user_id}").status_code == 404
    assert groups_of(victim["email"]) == ["lecteur"] and sign_in_enabled(victim["email"])
    assert ok(world.get(f"/users/{victim['id']}", tenant="liste"))["roles"] == ["lecteur"]
    # The tenant's own users are managed as before.
    own = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    assert ok(world.patch(f"/users/{own['id']}", {"roles": ["communication"]}))["roles"] == ["communication"]
    assert groups_of(own["email"]) == ["communication"]
    assert world.delete(f"/users/{own['id']}").status_code == 204


def test_an_entry_whose_identity_is_gone_can_still_be_removed(world: World) -> None:
    gone = stale_entry_naming(world, "ville", "parti@ville.exemple.fr", "gone-user-id")
    assert world.patch(f"/users/{gone}", {"roles": ["admin"]}).status_code == 404
    assert world.delete(f"/users/{gone}").status_code == 204
    assert world.get(f"/users/{gone}").status_code == 404


# --- deleting and archiving contacts ---------------------------------------------------------------------------


def contact(world: World, last: str, **fields: Any) -> dict[str, Any]:
    return ok(world.post("/contacts", {"kind": "person", "first_name": "Anne", "last_name": last, **fields}), 201)


def listed(world: World, query: str = "", **kw: Any) -> list[str]:
    return [c["id"] for c in ok(world.get(f"/contacts{query}", **kw))["items"]]


def test_only_admins_delete_a_contact(world: World) -> None:
    anne = contact(world, "Martin")
    for role in ("cabinet", "protocole", "communication", "lecteur"):
        response = world.delete(f"/contacts/{anne['id']}", role=role)
        assert response.status_code == 403, role
        assert "archiv" in response.json_body["error"]["message"]
    assert ok(world.get(f"/contacts/{anne['id']}"))["contact"]["last_name"] == "Martin"
    assert world.delete(f"/contacts/{anne['id']}").status_code == 204


def test_writers_archive_and_restore_a_contact(world: World) -> None:
    anne = contact(world, "Martin", tags=["Presse"], emails=["anne.martin@exemple.fr"])
    bruno = contact(world, "Petit", tags=["Presse"])
    assert anne["archived"] is False
    archived = ok(
        world.patch(f"/contacts/{anne['id']}", {"version": anne["version"], "archived": True}, role="communication")
    )
    assert archived["archived"] is True and archived["version"] == anne["version"] + 1
    # Hidden from every list: all, by name, by tag, by kind.
    for query in ("", "?q=martin", "?q=anne", "?tag=Presse", "?kind=person", "?q=anne&tag=presse"):
        assert anne["id"] not in listed(world, query), query
    assert bruno["id"] in listed(world, "?tag=Presse")
    # Listed apart, with the same filters.
    assert listed(world, "?archived=true") == [anne["id"]]
    assert listed(world, "?archived=true&q=mart") == [anne["id"]]
    assert listed(world, "?archived=true&tag=Presse") == [anne["id"]]
    assert listed(world, "?archived=true&q=petit") == []
    # Still readable by id, with its history.
    assert ok(world.get(f"/contacts/{anne['id']}"))["contact"]["archived"] is True
    restored = ok(world.patch(f"/contacts/{anne['id']}", {"version": archived["version"], "archived": False}))
    assert restored["archived"] is False
    assert anne["id"] in listed(world, "?q=martin") and listed(world, "?archived=true") == []
    refused = world.patch(f"/contacts/{anne['id']}", {"version": restored["version"], "archived": None})
    assert refused.status_code == 422
    assert (
        world.patch(
            f"/contacts/{anne['id']}", {"version": restored["version"], "archived": True}, role="lecteur"
        ).status_code
        == 403
    )


def test_an_archived_contact_is_not_invited_nor_sent_anything(world: World) -> None:
    anne = contact(world, "Martin", emails=["anne.martin@exemple.fr"])
    bruno = contact(world, "Petit", emails=["bruno.petit@exemple.fr"])
    claire = contact(world, "Roux", emails=["claire.roux@exemple.fr"])
    event = new_event(world)
    path = f"/events/{event['id']}/invitations"
    ok(world.post(path, {"contact_ids": [bruno["id"]], "channel": "email"}), 201)  # invited before archiving
    ok(world.patch(f"/contacts/{anne['id']}", {"version": anne["version"], "archived": True}))
    ok(world.patch(f"/contacts/{bruno['id']}", {"version": bruno["version"], "archived": True}))
    created = ok(world.post(path, {"contact_ids": [anne["id"], claire["id"]], "channel": "email"}), 201)
    assert [g["contact_id"] for g in created["created"]] == [claire["id"]]
    assert created["skipped"] == [{"contact_id": anne["id"], "reason": "Contact archivé."}]
    result = ok(world.post(f"/events/{event['id']}/invitations/send", ACK))
    assert result["sent"] == 1
    assert result["failed"] == [{"contact_id": bruno["id"], "reason": "Contact archivé : invitation non envoyée."}]
    assert [m["To"] for m in sent_emails()] == ["claire.roux@exemple.fr"]
    letters = ok(world.post("/letters", {"contact_ids": [anne["id"]], "body": "Bonjour", "subject": "Objet"}), 202)
    world.drain(get_settings().letters_queue_name, "render_letters")
    job = ok(world.get(f"/letters/{letters['id']}"))
    assert job["printed"] == 0 and job["skipped"] == [{"contact_id": anne["id"], "reason": "Contact archivé."}]
