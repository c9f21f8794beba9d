"""Roles: `lecteur` cannot write (403); protocol-confidential fields need
protocole, cabinet or admin; user management, settings, field declarations and the audit log
need admin. Checks in this order: 401, 403, 404, 400/422, 409."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from chalicelib.settings import get_settings
from tests.support.responses import ok
from tests.support.world import World

UNKNOWN = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
NON_ADMINS = ("cabinet", "protocole", "communication", "lecteur")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.body
    error = response.json_body["error"]
    assert error["code"] == code, error
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.fixture
def records(world: World) -> dict[str, Any]:
    ok(world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "text"}), 201)
    contact = ok(
        world.post(
            "/contacts",
            {"kind": "person", "first_name": "Frédéric", "last_name": "Beaulieu", "protocol_notes": "Premier rang."},
        ),
        201,
    )
    interaction = world.interaction(
        contact["id"], {"kind": "meeting", "date": "2026-11-02", "summary": "Réunion", "follow_up": {"title": "Écrire"}}
    )
    user = ok(world.post("/users", {"email": "stagiaire@ville.exemple.fr", "roles": ["lecteur"]}), 201)
    mandate = world.mandate(contact["id"], {"function": "maire", "territory": {"kind": "commune", "code": "76540"}})
    event = ok(
        world.post("/events", {"title": "Vœux", "kind": "voeux", "starts_at": "2030-01-09T18:30:00", "status": "open"}),
        201,
    )
    segment = ok(world.post("/segments", {"name": "Riverains", "filter": {"tag": "riverain"}, "shared": True}), 201)
    campaign = ok(
        world.post("/campaigns", {"subject": "Lettre", "body": "Bonjour", "contact_ids": [contact["id"]]}), 201
    )
    consultation = ok(world.post("/consultations", CONSULTATION), 201)
    return {
        "consultation": consultation,
        "campaign": campaign,
        "contact": contact,
        "task": interaction["task"],
        "user": user,
        "mandate": mandate,
        "event": event,
        "segment": segment,
    }


# Routes whose body is not JSON.
CSV_ROUTES = {("POST", "/imports/rne"), ("POST", "/imports/contacts")}
RNE_HEADER = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;Code de la commune;Libellé de la commune;Nom de l'élu;Prénom de l'élu;"
    "Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de la catégorie "
    "socio-professionnelle;Date de début du mandat;Date de début de la fonction\n"
)

CONSULTATION = {
    "title": "Avis",
    "questions": [{"kind": "text", "label": "Votre avis"}],
    "opens_at": "2030-01-01T00:00:00Z",
    "closes_at": "2030-02-01T00:00:00Z",
    "audience": "public",
}

# Every route that writes, with a valid body: (method, route as declared, body).
WRITE_ROUTES = [
    ("POST", "/contacts", {"kind": "person", "last_name": "Nouveau"}),
    ("PATCH", "/contacts/{contact_id}", {"version": 1, "first_name": "Fred"}),
    ("DELETE", "/contacts/{contact_id}", None),
    ("DELETE", "/contacts/{contact_id}?mode=erase", None),
    ("PUT", "/contacts/{contact_id}/legal-hold", {"legal_hold": True}),
    ("PUT", "/settings/retention", {"version": None, "enabled": True}),
    ("POST", "/contacts/{contact_id}/interactions", {"kind": "call", "date": "2026-11-03", "summary": "Appel"}),
    ("PATCH", "/tasks/{task_id}", {"status": "done"}),
    ("POST", "/users", {"email": "nouveau@ville.exemple.fr", "roles": ["lecteur"]}),
    ("PATCH", "/users/{user_id}", {"roles": ["admin"]}),
    ("DELETE", "/users/{user_id}", None),
    ("PATCH", "/settings", {"version": 1, "name": "Ville piratée"}),
    ("POST", "/fields", {"name": "autre", "label": "Autre", "type": "text"}),
    ("PATCH", "/fields/{name}", {"label": "Piraté"}),
    ("DELETE", "/fields/{name}", None),
    (
        "POST",
        "/contacts/{contact_id}/mandates",
        {"function": "senateur", "territory": {"kind": "departement", "code": "76"}},
    ),
    ("PATCH", "/contacts/{contact_id}/mandates/{mandate_id}", {"version": 1, "notes": "Piraté"}),
    ("DELETE", "/contacts/{contact_id}/mandates/{mandate_id}", None),
    ("POST", "/imports/rne", RNE_HEADER),
    ("POST", "/imports", {"kind": "rne", "filename": "maires.csv"}),
    ("POST", "/imports/contacts", "Nom;Prénom\nMartin;Anne\n"),
    ("POST", "/imports/{import_id}/commit", {"on_duplicate": "merge"}),
    ("POST", "/letters", {"contact_ids": ["01J00000000000000000000000"], "template": "voeux"}),
    ("POST", "/events", {"title": "Fête", "kind": "fete_locale", "starts_at": "2030-06-21T18:00:00"}),
    ("PATCH", "/events/{event_id}", {"version": 1, "title": "Piraté"}),
    ("DELETE", "/events/{event_id}", None),
    ("POST", "/events/{event_id}/copy", {"starts_at": "2031-06-21T18:00:00"}),
    ("POST", "/events/{event_id}/invitations", {"contact_ids": ["01J00000000000000000000000"], "channel": "letter"}),
    ("POST", "/events/{event_id}/invitations/send", None),
    ("POST", "/events/{event_id}/checkin", {"invitation_id": "01J00000000000000000000000"}),
    ("POST", "/events/{event_id}/guests/{invitation_id}/answer", {"response": "accept"}),
    ("POST", "/events/{event_id}/compliance/override", {"justification": "Une justification écrite et détaillée."}),
    ("POST", "/elections", {"id": "legislatives-2027", "kind": "legislatives", "rounds": [{"month": "2027-06"}]}),
    ("PATCH", "/elections/{election_id}", {"version": 0, "confirmed": True}),
    ("PUT", "/contacts/{contact_id}/consents/{channel}", {"status": "granted", "source": "form"}),
    ("POST", "/segments", {"name": "Tous", "filter": {"kind": "person"}}),
    ("PATCH", "/segments/{segment_id}", {"version": 1, "name": "Piraté"}),
    ("DELETE", "/segments/{segment_id}", None),
    ("POST", "/campaigns", {"subject": "Lettre", "body": "Bonjour", "contact_ids": ["01J00000000000000000000000"]}),
    ("PATCH", "/campaigns/{campaign_id}", {"version": 1, "subject": "Piraté"}),
    ("POST", "/campaigns/{campaign_id}/test", {"to": ["relecture@example.fr"]}),
    ("POST", "/campaigns/{campaign_id}/send", {}),
    ("POST", "/campaigns/{campaign_id}/cancel", None),
    (
        "POST",
        "/campaigns/{campaign_id}/compliance/override",
        {"justification": "Une justification écrite et détaillée."},
    ),
    ("POST", "/inbox/{inbox_id}/assign", {"contact_id": "01J00000000000000000000000"}),
    ("POST", "/duplicates/scan", None),
    ("POST", "/consultations", CONSULTATION),
    ("PATCH", "/consultations/{consultation_id}", {"version": 1, "title": "Piraté"}),
    ("POST", "/consultations/{consultation_id}/publish", {"acknowledge_warnings": True}),
    (
        "POST",
        "/consultations/{consultation_id}/compliance/override",
        {"justification": "Une justification écrite et détaillée."},
    ),
    ("POST", "/duplicates/dismiss", {"contact_ids": ["01J00000000000000000000000", "01J00000000000000000000001"]}),
    (
        "POST",
        "/candidacies",
        {
            "election_id": "presidentielle-2027",
            "candidate_contact_id": "01J00000000000000000000000",
            "mandataire_contact_id": "01J00000000000000000000000",
            "ceiling_cents": 1,
        },
    ),
    ("PATCH", "/candidacies/{candidacy_id}", {"version": 1, "ceiling_cents": 2}),
    (
        "POST",
        "/donations",
        {
            "candidacy_id": "01J00000000000000000000000",
            "donor_contact_id": "01J00000000000000000000000",
            "amount_cents": 100,
            "date": "2026-11-15",
            "method": "cheque",
        },
    ),
    ("POST", "/donations/{donation_id}/cancel", {"reason": "Remboursement"}),
    ("PUT", "/donations/{donation_id}/receipt-number", {"receipt_number": "R-1"}),
    ("PUT", "/donations/limits", {"values": {"donor_cap_cents": 470_000}, "source": "Décret n° 1"}),
    ("PATCH", "/privacy-requests/{request_id}", {"status": "done"}),
    (
        "POST",
        "/duplicates/merge",
        {"keep_id": "01J00000000000000000000000", "merge_ids": ["01J00000000000000000000001"]},
    ),
    ("POST", "/duplicates/merges/{merge_id}/undo", None),
]

# POST routes that compute from their body and write nothing: every role may call them.
COMPUTE_ROUTES = {
    ("POST", "/protocol/precedence"),
    ("POST", "/protocol/speaking-order"),
    ("POST", "/protocol/seating"),
    ("POST", "/protocol/place-cards"),
}


def concrete(route: str, records: dict[str, Any]) -> str:
    return route.format(
        contact_id=records["contact"]["id"],
        task_id=records["task"]["id"],
        user_id=records["user"]["id"],
        mandate_id=records["mandate"]["id"],
        event_id=records["event"]["id"],
        election_id="presidentielle-2027",
        name="quartier",
        invitation_id="01J00000000000000000000000",  # refused before any lookup
        segment_id=records["segment"]["id"],
        campaign_id=records["campaign"]["id"],
        channel="email",
        inbox_id="01J00000000000000000000000",  # refused before any lookup
        candidacy_id="01J00000000000000000000000",  # refused before any lookup
        donation_id="01J00000000000000000000000",  # refused before any lookup
        request_id="01J00000000000000000000000",  # refused before any lookup
        merge_id="01J00000000000000000000000",  # refused before any lookup
        consultation_id=records["consultation"]["id"],
        import_id="01J00000000000000000000000",  # refused before any lookup
    )


def state(world: World, records: dict[str, Any]) -> dict[str, Any]:
    cognito = boto3.client("cognito-idp", region_name=get_settings().region)
    return {
        "contacts": ok(world.get("/contacts")),
        "view": ok(world.get(f"/contacts/{records['contact']['id']}")),
        "tasks": ok(world.get("/tasks")),
        "users": ok(world.get("/users?limit=100")),
        "settings": ok(world.get("/settings")),
        "fields": ok(world.get("/fields"))["items"],
        "mandates": ok(world.get("/mandates")),
        "events": ok(world.get("/events")),
        "elections": ok(world.get("/elections")),
        "guests": ok(world.get(f"/events/{records['event']['id']}/guests")),
        "segments": ok(world.get("/segments")),
        "campaigns": ok(world.get("/campaigns")),
        "duplicates": ok(world.get("/duplicates")),
        "consents": ok(world.get(f"/contacts/{records['contact']['id']}/consents")),
        "consultations": ok(world.get("/consultations")),
        "cognito_users": sorted(
            u["Username"] for u in cognito.list_users(UserPoolId=get_settings().user_pool_id)["Users"]
        ),
    }


def test_lecteur_gets_403_on_every_write_route(world: World, records: dict[str, Any]) -> None:
    from app import app

    declared = {
        (method, route)
        for route, methods in app.routes.items()
        if not route.startswith(("/{fallback", "/public/"))  # public answers are authorised by their signed token
        for method in methods
        if method in ("POST", "PATCH", "PUT", "DELETE")
    }
    missing = declared - {(method, route) for method, route, _ in WRITE_ROUTES} - COMPUTE_ROUTES
    assert not missing, f"write routes without a role test: {missing}"

    before = state(world, records)
    for method, route, body in WRITE_ROUTES:
        if (method, route) in CSV_ROUTES:
            headers = {**world.headers(role="lecteur"), "Content-Type": "text/csv"}
            response = world.request(method, route, headers=headers, raw=body.encode())
        else:
            response = world.request(method, concrete(route, records), body, role="lecteur")
        assert response.status_code == 403, (method, route, response.body)
        assert_error(response, 403, "forbidden")
    assert state(world, records) == before


def test_admin_only_routes(world: World, records: dict[str, Any]) -> None:
    user = records["user"]["id"]
    admin_only = [
        ("GET", "/users", None),
        ("POST", "/users", {"email": "nouveau@ville.exemple.fr", "roles": ["admin"]}),
        ("GET", f"/users/{user}", None),
        ("PATCH", f"/users/{user}", {"roles": ["admin"]}),
        ("DELETE", f"/users/{user}", None),
        ("PATCH", "/settings", {"version": 1, "name": "Autre nom"}),
        ("POST", "/fields", {"name": "autre", "label": "Autre", "type": "text"}),
        ("PATCH", "/fields/quartier", {"label": "Autre"}),
        ("DELETE", "/fields/quartier", None),
        ("GET", "/audit", None),
        ("GET", "/contacts/export", None),
        ("GET", "/exports/01J00000000000000000000000", None),
        ("GET", f"/contacts/{records['contact']['id']}/export", None),
        ("DELETE", f"/contacts/{records['contact']['id']}?mode=erase", None),
        ("PUT", f"/contacts/{records['contact']['id']}/legal-hold", {"legal_hold": True}),
        ("GET", "/settings/retention", None),
        ("PUT", "/settings/retention", {"version": None, "enabled": True}),
        ("GET", "/retention/preview", None),
        ("POST", "/elections", {"id": "legislatives-2027", "kind": "legislatives", "rounds": [{"month": "2027-06"}]}),
        ("PATCH", "/elections/presidentielle-2027", {"version": 0, "confirmed": True}),
        ("POST", f"/events/{records['event']['id']}/compliance/override", {"justification": "Justification " * 4}),
        (
            "POST",
            f"/consultations/{records['consultation']['id']}/compliance/override",
            {"justification": "Justification " * 4},
        ),
        ("GET", "/privacy-requests", None),
        ("PATCH", "/privacy-requests/01J00000000000000000000000", {"status": "done"}),
    ]
    before = state(world, records)
    for role in NON_ADMINS:
        for method, path, body in admin_only:
            response = world.request(method, path, body, role=role)
            assert response.status_code == 403, (role, method, path, response.body)
            assert assert_error(response, 403, "forbidden")["message"]
        # Reading settings and field declarations is for everyone.
        assert ok(world.get("/settings", role=role))["name"] == "Ville test"
        assert [f["name"] for f in ok(world.get("/fields", role=role))["items"]] == ["quartier"]
    assert state(world, records) == before


def test_writers_can_write_contacts_interactions_and_tasks(world: World, records: dict[str, Any]) -> None:
    task = records["task"]["id"]
    for role in ("cabinet", "protocole", "communication"):
        created = ok(world.post("/contacts", {"kind": "person", "last_name": "Morel"}, role=role), 201)
        patched = ok(world.patch(f"/contacts/{created['id']}", {"version": 1, "first_name": "Lou"}, role=role))
        assert patched["version"] == 2, role
        body = {"kind": "call", "date": "2026-11-02", "summary": f"Appel {role}"}
        world.interaction(created["id"], body, role=role)
        status = "done" if role != "protocole" else "open"
        assert ok(world.patch(f"/tasks/{task}", {"status": status}, role=role))["status"] == status, role
        # Deleting erases the history for good: admins only. Other writers archive (hidden from the lists).
        assert world.delete(f"/contacts/{created['id']}", role=role).status_code == 403, role
        assert ok(world.patch(f"/contacts/{created['id']}", {"version": 2, "archived": True}, role=role))["archived"]
    assert [c["id"] for c in ok(world.get("/contacts"))["items"]] == [records["contact"]["id"]]


@pytest.mark.parametrize("role", ["communication", "lecteur"])
def test_roles_without_need_to_know_never_read_protocol_notes(world: World, records: dict[str, Any], role: str) -> None:
    contact = records["contact"]
    assert ok(world.get(f"/contacts/{contact['id']}"))["contact"]["protocol_notes"] == "Premier rang."
    view = ok(world.get(f"/contacts/{contact['id']}", role=role))
    assert view["contact"]["protocol_notes"] is None
    assert view["contact"]["last_name"] == "Beaulieu"
    for query in ("", "?q=beaulieu", "?kind=person"):
        items = ok(world.get(f"/contacts{query}", role=role))["items"]
        assert [c["protocol_notes"] for c in items] == [None], query
    assert "Premier rang" not in world.get(f"/contacts/{contact['id']}", role=role).body.decode()


def test_communication_cannot_write_protocol_notes(world: World, records: dict[str, Any]) -> None:
    contact = records["contact"]
    for notes in ("Nouvelle remarque", None, ""):
        error = assert_error(
            world.patch(f"/contacts/{contact['id']}", {"version": 1, "protocol_notes": notes}, role="communication"),
            403,
            "forbidden",
        )
        assert "protocol" in error["message"]
    assert_error(
        world.post("/contacts", {"kind": "person", "last_name": "X", "protocol_notes": "Non"}, role="communication"),
        403,
        "forbidden",
    )
    # The role check comes before validation and before the id lookup.
    invalid = {"kind": "person", "emails": ["x"], "protocol_notes": ""}
    assert_error(world.post("/contacts", invalid, role="communication"), 403, "forbidden")
    assert_error(
        world.patch(f"/contacts/{UNKNOWN}", {"version": 0, "protocol_notes": 5}, role="communication"), 403, "forbidden"
    )
    # Other fields are fine, and the notes it cannot see survive its edit.
    patched = ok(world.patch(f"/contacts/{contact['id']}", {"version": 1, "first_name": "Fred"}, role="communication"))
    assert patched["protocol_notes"] is None and patched["first_name"] == "Fred"
    stored = ok(world.get(f"/contacts/{contact['id']}"))["contact"]
    assert stored["protocol_notes"] == "Premier rang."
    assert stored["version"] == 2
    assert [c["last_name"] for c in ok(world.get("/contacts"))["items"]] == ["Beaulieu"]


@pytest.mark.parametrize("role", ["protocole", "cabinet", "admin"])
def test_need_to_know_roles_read_and_write_protocol_notes(world: World, records: dict[str, Any], role: str) -> None:
    contact = records["contact"]
    assert ok(world.get(f"/contacts/{contact['id']}", role=role))["contact"]["protocol_notes"] == "Premier rang."
    patched = ok(world.patch(f"/contacts/{contact['id']}", {"version": 1, "protocol_notes": "Second rang."}, role=role))
    assert patched["protocol_notes"] == "Second rang."
    created = ok(
        world.post("/contacts", {"kind": "person", "last_name": "Préfet", "protocol_notes": "Ok"}, role=role), 201
    )
    assert created["protocol_notes"] == "Ok"
    assert ok(world.get(f"/contacts/{contact['id']}", role="communication"))["contact"]["protocol_notes"] is None


def test_check_order_401_403_404_422_409(world: World, records: dict[str, Any]) -> None:
    contact = records["contact"]["id"]
    invalid = {"version": 1, "emails": ["pas-une-adresse"]}
    # 401 before anything else, even on an unknown id with a bad body.
    assert_error(world.patch(f"/contacts/{UNKNOWN}", invalid, headers={}), 401, "unauthorized")
    # 403 before 404 and before the body is looked at.
    assert_error(world.patch(f"/contacts/{UNKNOWN}", invalid, role="lecteur"), 403, "forbidden")
    assert_error(world.patch(f"/contacts/{UNKNOWN}", raw=b"{not json", role="lecteur"), 403, "forbidden")
    assert_error(world.delete(f"/contacts/{UNKNOWN}", role="lecteur"), 403, "forbidden")
    assert_error(world.post(f"/contacts/{UNKNOWN}/interactions", {}, role="lecteur"), 403, "forbidden")
    assert_error(world.patch(f"/tasks/{UNKNOWN}", {"status": "x"}, role="lecteur"), 403, "forbidden")
    assert_error(world.patch("/users/nobody", {"roles": []}, role="communication"), 403, "forbidden")
    assert_error(world.patch("/fields/nothing", {"label": ""}, role="cabinet"), 403, "forbidden")
    assert_error(world.patch("/settings", {"version": 1, "departement": "999"}, role="protocole"), 403, "forbidden")
    # 404 before the body.
    assert_error(world.patch(f"/contacts/{UNKNOWN}", invalid), 404, "not_found")
    assert_error(world.patch(f"/contacts/{UNKNOWN}", raw=b"{not json"), 404, "not_found")
    assert_error(world.post(f"/contacts/{UNKNOWN}/interactions", {"kind": "fax"}), 404, "not_found")
    assert_error(world.patch(f"/tasks/{UNKNOWN}", {"status": "x"}), 404, "not_found")
    assert_error(world.patch("/users/nobody", {"roles": []}), 404, "not_found")
    assert_error(world.patch("/fields/nothing", {"label": ""}), 404, "not_found")
    # 400 / 422 before 409: the body is wrong and the version stale.
    assert_error(world.patch(f"/contacts/{contact}", raw=b"{not json"), 400, "bad_request")
    error = assert_error(world.patch(f"/contacts/{contact}", {"version": 99, "emails": ["x"]}), 422, "validation_error")
    assert error["details"] == [{"field": "emails[0]", "message": "Adresse électronique invalide."}]
    assert_error(world.patch("/settings", {"version": 99, "departement": "999"}), 422, "validation_error")
    # Only a valid body meets the version check.
    assert_error(world.patch(f"/contacts/{contact}", {"version": 99, "first_name": "Fred"}), 409, "conflict")
    assert_error(world.patch("/settings", {"version": 99, "name": "Autre"}), 409, "conflict")
    assert ok(world.get(f"/contacts/{contact}"))["contact"]["version"] == 1
