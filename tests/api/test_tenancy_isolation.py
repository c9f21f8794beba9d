"""Tenancy: every key starts with the tenant; a user of one tenant gets 404 for
another tenant's ids, never the data, and no list shows another tenant's items.

Tenant "ville" is an institution, "liste" a political team (L52-8 / CNIL: data never moves
from an institution to a political tenant)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.test_roles import CONSULTATION
from tests.support.cognito import groups_of
from tests.support.responses import ok
from tests.support.world import World


@dataclass
class Estate:
    """What tenant "ville" owns, by id."""

    person: dict[str, Any]
    organisation: dict[str, Any]
    interaction: dict[str, Any]
    task: dict[str, Any]
    user: dict[str, Any]
    field: dict[str, Any]
    mandate: dict[str, Any]
    imported: dict[str, Any]
    mailing: dict[str, Any]
    event: dict[str, Any]
    invitation: dict[str, Any]
    election: dict[str, Any]
    segment: dict[str, Any]
    campaign: dict[str, Any]
    inbox: dict[str, Any]
    exported: dict[str, Any]
    privacy_request: dict[str, Any]
    consultation: dict[str, Any]
    merge: dict[str, Any] | None = None  # {"id": a merge of two duplicates}


def reply_in_inbox(world: World) -> dict[str, Any]:
    """A reply no contact was found for, in the tenant's inbox (services/replies.py)."""
    from email.message import EmailMessage

    from chalicelib.services import replies

    address = replies.reply_to("t-ville", contact_id=None, source="campaign", ref="campagne")
    mime = EmailMessage()
    mime["From"], mime["To"], mime["Subject"] = "Dupont <inconnu@exemple.fr>", str(address), "Confidentiel"
    mime.set_content("Réponse")
    notification = {
        "notificationType": "Received",
        "receipt": {"timestamp": "2026-12-04T10:00:00.000Z", "recipients": [address], "action": {"type": "SNS"}},
        "mail": {"messageId": "isolation-1", "timestamp": "2026-12-04T10:00:00.000Z"},
        "content": mime.as_string(),
    }
    assert replies.process(json.dumps(notification)) == "inbox"
    return dict(ok(world.get("/inbox"))["items"][0])


def build_ville(world: World) -> Estate:
    field = ok(
        world.post("/fields", {"name": "quartier", "label": "Quartier", "type": "choice", "choices": ["Centre"]}), 201
    )
    organisation = ok(
        world.post("/contacts", {"kind": "organisation", "organisation_name": "Comité des fêtes", "tags": ["asso"]}),
        201,
    )
    person = ok(
        world.post(
            "/contacts",
            {
                "kind": "person",
                "first_name": "Jean",
                "last_name": "Dupont",
                "tags": ["riverain"],
                "custom": {"quartier": "Centre"},
                "affiliations": [{"organisation_id": organisation["id"], "role": "Président"}],
                "protocol_notes": "Confidentiel",
            },
        ),
        201,
    )
    interaction = world.interaction(
        person["id"],
        {
            "kind": "call",
            "date": "2026-11-02",
            "summary": "Appel au sujet de la voirie",
            "follow_up": {"title": "Rappeler", "due": "2026-12-01"},
        },
    )
    user = ok(world.post("/users", {"email": "agent@ville.exemple.fr", "roles": ["communication"]}), 201)
    mandate = world.mandate(
        person["id"], {"function": "adjoint_maire", "territory": {"kind": "commune", "code": "76540"}}
    )
    from chalicelib.domain.rne import HEADERS, RneFileKind

    csv = ";".join(HEADERS[RneFileKind.MAIRES]) + "\n"
    csv += "76;Seine-Maritime;;;76540;Rouen;DUPONT;Jean;M;01/01/1960;;;03/07/2020;04/07/2020\n"
    imported = ok(
        world.request(
            "POST", "/imports/rne", headers={**world.headers(), "Content-Type": "text/csv"}, raw=csv.encode()
        ),
        202,
    )
    mailing = ok(world.post("/letters", {"contact_ids": [person["id"]], "template": "voeux"}), 202)
    event = ok(
        world.post("/events", {"title": "Vœux", "kind": "voeux", "starts_at": "2030-01-09T18:30:00", "status": "open"}),
        201,
    )
    ok(world.patch(f"/contacts/{person['id']}", {"version": person["version"], "emails": ["invitee@ville.exemple.fr"]}))
    invitation = world.invite(event["id"], [person["id"]])["created"][0]
    election = ok(
        world.post(
            "/elections",
            {
                "id": "municipales-partielles-ville-2027",
                "kind": "municipales",
                "general": False,
                "territory": {"communes": ["76540"]},
                "rounds": [{"date": "2027-03-07"}, {"date": "2027-03-14"}],
                "sources": ["Arrêté préfectoral (test)"],
            },
        ),
        201,
    )
    segment = ok(world.post("/segments", {"name": "Centre", "filter": {"tag": "riverain"}, "shared": True}), 201)
    campaign = ok(world.post("/campaigns", {"subject": "Lettre", "body": "Bonjour", "segment_id": segment["id"]}), 201)
    return Estate(
        person,
        organisation,
        interaction,
        interaction["task"],
        user,
        field,
        mandate,
        imported,
        mailing,
        event,
        invitation,
        election,
        segment,
        campaign,
        reply_in_inbox(world),
        large_export(world),
        privacy_request(world),
        consultation(world),
        merge_of_duplicates(world),
    )


def merge_of_duplicates(world: World) -> dict[str, Any]:
    """Two contacts merged into one, the kept one archived: POST /duplicates/merges/{id}/undo."""
    keep, other = (ok(world.post("/contacts", {"kind": "person", "last_name": "Doublon"}), 201) for _ in range(2))
    merged = ok(world.post("/duplicates/merge", {"keep_id": keep["id"], "merge_ids": [other["id"]]}))
    version = merged["contact"]["version"]
    ok(world.patch(f"/contacts/{keep['id']}", {"version": version, "archived": True}))  # out of the lists checked
    return {"id": merged["merge_id"]}


def consultation(world: World) -> dict[str, Any]:
    return dict(ok(world.post("/consultations", CONSULTATION), 201))


def large_export(world: World) -> dict[str, Any]:
    """A contact export made by a job (the direct limit lowered for the call): GET /exports/{id}."""
    from chalicelib.services import exports

    limit, exports.DIRECT_LIMIT = exports.DIRECT_LIMIT, 0
    try:
        return dict(
            ok(world.request("GET", "/contacts/export", headers={**world.headers(), "Accept": "text/csv"}), 202)
        )
    finally:
        exports.DIRECT_LIMIT = limit


def privacy_request(world: World) -> dict[str, Any]:
    """A request made on the tenant's public form and verified by its emailed link: PATCH /privacy-requests/{id}."""
    from tests.api.test_privacy_requests import verified_request

    return verified_request(world)


def snapshot(world: World, estate: Estate) -> dict[str, Any]:
    """Everything "ville" can see of its estate, as "ville" sees it."""
    return {
        "person": ok(world.get(f"/contacts/{estate.person['id']}")),
        "organisation": ok(world.get(f"/contacts/{estate.organisation['id']}"))["contact"],
        "interactions": ok(world.get(f"/contacts/{estate.person['id']}/interactions")),
        "tasks": ok(world.get("/tasks?status=open")),
        "user": ok(world.get(f"/users/{estate.user['id']}")),
        "fields": ok(world.get("/fields"))["items"],
        "settings": ok(world.get("/settings")),
        "mandates": ok(world.get(f"/contacts/{estate.person['id']}/mandates"))["items"],
        "address_forms": ok(world.get(f"/contacts/{estate.person['id']}/address-forms")),
        "event": ok(world.get(f"/events/{estate.event['id']}")),
        "guests": ok(world.get(f"/events/{estate.event['id']}/guests")),
        "election": ok(world.get(f"/elections/{estate.election['id']}")),
        "segment": ok(world.get(f"/segments/{estate.segment['id']}")),
        "campaign": ok(world.get(f"/campaigns/{estate.campaign['id']}")),
        "consents": ok(world.get(f"/contacts/{estate.person['id']}/consents")),
        "inbox": ok(world.get("/inbox")),
        "privacy_requests": ok(world.get("/privacy-requests")),
        "consultation": ok(world.get(f"/consultations/{estate.consultation['id']}")),
        "groups": groups_of(estate.user["email"]),
    }


@pytest.fixture
def estate(world: World) -> Estate:
    return build_ville(world)


# Every route with an id: (method, route as declared, which record of "ville", valid body).
ID_ROUTES = [
    ("GET", "/contacts/{contact_id}", "person", None),
    ("GET", "/contacts/{contact_id}", "organisation", None),
    ("PATCH", "/contacts/{contact_id}", "person", {"version": 1, "last_name": "Pirate"}),
    ("DELETE", "/contacts/{contact_id}", "person", None),
    ("DELETE", "/contacts/{contact_id}", "organisation", None),
    ("DELETE", "/contacts/{contact_id}?mode=erase", "person", None),
    ("PUT", "/contacts/{contact_id}/legal-hold", "person", {"legal_hold": True}),
    ("GET", "/contacts/{contact_id}/interactions", "person", None),
    ("POST", "/contacts/{contact_id}/interactions", "person", {"kind": "call", "date": "2026-11-03", "summary": "x"}),
    ("PATCH", "/tasks/{task_id}", "task", {"status": "done"}),
    ("GET", "/users/{user_id}", "user", None),
    ("PATCH", "/users/{user_id}", "user", {"roles": ["admin"]}),
    ("DELETE", "/users/{user_id}", "user", None),
    ("PATCH", "/fields/{name}", "field", {"label": "Piraté", "choices": ["Ailleurs"]}),
    ("DELETE", "/fields/{name}", "field", None),
    ("GET", "/contacts/{contact_id}/mandates", "person", None),
    (
        "POST",
        "/contacts/{contact_id}/mandates",
        "person",
        {"function": "maire", "territory": {"kind": "commune", "code": "76540"}},
    ),
    ("PATCH", "/contacts/{contact_id}/mandates/{mandate_id}", "mandate", {"version": 1, "notes": "Piraté"}),
    ("DELETE", "/contacts/{contact_id}/mandates/{mandate_id}", "mandate", None),
    ("GET", "/contacts/{contact_id}/address-forms", "person", None),
    ("GET", "/imports/{import_id}", "imported", None),
    ("GET", "/imports/{import_id}/errors.csv", "imported", None),
    ("POST", "/imports/{import_id}/commit", "imported", {"on_duplicate": "merge"}),
    ("GET", "/letters/{letter_id}", "mailing", None),
    ("GET", "/events/{event_id}", "event", None),
    ("PATCH", "/events/{event_id}", "event", {"version": 1, "title": "Piraté"}),
    ("DELETE", "/events/{event_id}", "event", None),
    ("POST", "/events/{event_id}/copy", "event", {"starts_at": "2031-01-09T18:30:00"}),
    (
        "POST",
        "/events/{event_id}/invitations",
        "event",
        {"contact_ids": ["01J00000000000000000000000"], "channel": "letter"},
    ),
    ("GET", "/events/{event_id}/invitations/preview", "event", None),
    ("POST", "/events/{event_id}/invitations/send", "event", None),
    ("GET", "/events/{event_id}/guests", "event", None),
    ("POST", "/events/{event_id}/checkin", "event", {"invitation_id": "01J00000000000000000000000"}),
    ("POST", "/events/{event_id}/guests/{invitation_id}/answer", "invitation", {"response": "decline"}),
    ("GET", "/events/{event_id}/stats", "event", None),
    ("GET", "/events/{event_id}/speaking-order", "event", None),
    ("GET", "/events/{event_id}/seating", "event", None),
    ("GET", "/events/{event_id}/attendance-sheet", "event", None),
    ("GET", "/events/{event_id}/badges", "event", None),
    ("GET", "/events/{event_id}/compliance", "event", None),
    ("POST", "/events/{event_id}/compliance/override", "event", {"justification": "Justification assez longue " * 3}),
    ("GET", "/elections/{election_id}", "election", None),
    ("PATCH", "/elections/{election_id}", "election", {"version": 1, "label": "Piraté"}),
    ("GET", "/contacts/{contact_id}/consents", "person", None),
    ("PUT", "/contacts/{contact_id}/consents/{channel}", "consent", {"status": "granted", "source": "form"}),
    ("GET", "/segments/{segment_id}", "segment", None),
    ("PATCH", "/segments/{segment_id}", "segment", {"version": 1, "name": "Piraté"}),
    ("DELETE", "/segments/{segment_id}", "segment", None),
    ("GET", "/segments/{segment_id}/preview", "segment", None),
    ("GET", "/segments/{segment_id}/contacts", "segment", None),
    ("GET", "/consultations/{consultation_id}", "consultation", None),
    ("PATCH", "/consultations/{consultation_id}", "consultation", {"version": 1, "title": "Piraté"}),
    ("GET", "/consultations/{consultation_id}/results", "consultation", None),
    ("POST", "/consultations/{consultation_id}/publish", "consultation", {"acknowledge_warnings": True}),
    (
        "POST",
        "/consultations/{consultation_id}/compliance/override",
        "consultation",
        {"justification": "Justification longue " * 3},
    ),
    ("GET", "/campaigns/{campaign_id}", "campaign", None),
    ("PATCH", "/campaigns/{campaign_id}", "campaign", {"version": 1, "subject": "Piraté"}),
    ("POST", "/campaigns/{campaign_id}/test", "campaign", {"to": ["pirate@example.fr"]}),
    ("POST", "/campaigns/{campaign_id}/send", "campaign", {}),
    ("POST", "/campaigns/{campaign_id}/cancel", "campaign", None),
    ("GET", "/campaigns/{campaign_id}/compliance", "campaign", None),
    (
        "POST",
        "/campaigns/{campaign_id}/compliance/override",
        "campaign",
        {"justification": "Justification longue " * 3},
    ),
    ("GET", "/campaigns/{campaign_id}/report", "campaign", None),
    ("GET", "/campaigns/{campaign_id}/preview", "campaign", None),
    ("GET", "/contacts/{contact_id}/export", "person", None),
    ("GET", "/exports/{export_id}", "exported", None),
    ("POST", "/inbox/{inbox_id}/assign", "inbox", {"contact_id": "01J00000000000000000000000"}),
    ("PATCH", "/privacy-requests/{request_id}", "privacy_request", {"status": "done"}),
    ("POST", "/duplicates/merges/{merge_id}/undo", "merge", None),
]


# Admin-only routes answer 403 to other roles before looking anything up (the role is checked first).
ADMIN_ONLY = {
    ("POST", "/events/{event_id}/compliance/override"),
    ("POST", "/campaigns/{campaign_id}/compliance/override"),
    ("POST", "/consultations/{consultation_id}/compliance/override"),
    ("PATCH", "/elections/{election_id}"),
    ("DELETE", "/contacts/{contact_id}"),
    ("DELETE", "/contacts/{contact_id}?mode=erase"),
    ("PUT", "/contacts/{contact_id}/legal-hold"),
    ("GET", "/contacts/{contact_id}/export"),
    ("GET", "/exports/{export_id}"),
    ("PATCH", "/privacy-requests/{request_id}"),
}


def path_for(route: str, record: str, estate: Estate) -> str:
    if record == "mandate":
        return route.format(contact_id=estate.mandate["contact_id"], mandate_id=estate.mandate["id"])
    if record == "consent":
        return route.format(contact_id=estate.person["id"], channel="email")
    if record == "invitation":
        return route.format(event_id=estate.event["id"], invitation_id=estate.invitation["invitation_id"])
    target = getattr(estate, record)
    return re.sub(r"{\w+}", target.get("id") or target.get("name"), route)


def test_every_route_with_an_id_is_covered() -> None:
    from app import app

    declared = {
        (method, route)
        for route, methods in app.routes.items()
        # Public pages take a signed token that names its tenant (tested with the RSVP); /dev/ is local-only.
        if "{" in route and not route.startswith(("/{fallback", "/docs/", "/public/", "/dev/"))
        for method in methods
        if method != "OPTIONS"  # CORS preflights read no data: they answer from the route table (api/cors.py)
    }
    assert declared - {(method, route) for method, route, _, _ in ID_ROUTES} - POLITICAL_ID_ROUTES == set()


@pytest.mark.parametrize("role", ["admin", "cabinet"])
def test_other_tenant_gets_404_on_every_id_route_and_nothing_changes(world: World, estate: Estate, role: str) -> None:
    before = snapshot(world, estate)
    for method, route, record, body in ID_ROUTES:
        path = path_for(route, record, estate)
        response = world.request(method, path, body, tenant="liste", role=role)
        if role != "admin" and (route.startswith(("/users", "/fields")) or (method, route) in ADMIN_ONLY):
            assert response.status_code == 403, (method, path, response.body)
            continue
        assert response.status_code == 404, (method, path, response.body)
        assert response.json_body["error"]["code"] == "not_found"
        # Nothing of the record leaks into the error.
        assert "Dupont" not in response.body.decode() and "Confidentiel" not in response.body.decode()
    assert snapshot(world, estate) == before


# Routes whose records exist only in a political tenant (an institution gets 403 there, tests/api/test_donations.py):
# covered by test_another_political_tenant_gets_404_on_campaign_finance, "liste" against a second political tenant.
POLITICAL_ID_ROUTES = {
    ("GET", "/candidacies/{candidacy_id}"),
    ("PATCH", "/candidacies/{candidacy_id}"),
    ("GET", "/donations/{donation_id}"),
    ("POST", "/donations/{donation_id}/cancel"),
    ("PUT", "/donations/{donation_id}/receipt-number"),
    ("GET", "/donations/{donation_id}/receipt"),
}


@pytest.mark.parametrize("role", ["admin", "cabinet"])
def test_another_political_tenant_gets_404_on_campaign_finance(world: World, role: str) -> None:
    from infra.seed import DemoTenant, DemoUser, seed_tenant

    other = DemoTenant(
        "t-autre",
        "political",
        "Autre liste",
        {"name": "Autre liste"},
        [DemoUser(f"{r}@autre.test", [r], password="Test-Password-1") for r in ("admin", "cabinet")],
    )
    seed_tenant(other)
    world.tenants["autre"] = other

    def contact(**doc: Any) -> str:
        return str(ok(world.post("/contacts", doc, tenant="liste"), 201)["id"])

    candidate = contact(kind="person", last_name="Candidate")
    donor = contact(kind="person", last_name="Donateur", nationality="FR")
    candidacy = ok(
        world.post(
            "/candidacies",
            {
                "election_id": "presidentielle-2027",
                "candidate_contact_id": candidate,
                "mandataire_contact_id": candidate,
                "ceiling_cents": 1_500_000,
            },
            tenant="liste",
        ),
        201,
    )
    body = {
        "candidacy_id": candidacy["id"],
        "donor_contact_id": donor,
        "amount_cents": 10_000,
        "date": "2026-11-15",
        "method": "cheque",
    }
    donation = ok(world.post("/donations", body, tenant="liste"), 201)
    ledger = f"/donations/ledger?candidacy_id={candidacy['id']}"
    before = ok(world.get(ledger, tenant="liste"))
    routes = [
        ("GET", f"/candidacies/{candidacy['id']}", None),
        ("PATCH", f"/candidacies/{candidacy['id']}", {"version": 1, "ceiling_cents": 1}),
        ("GET", f"/donations/{donation['id']}", None),
        ("POST", f"/donations/{donation['id']}/cancel", {"reason": "Pirate"}),
        ("PUT", f"/donations/{donation['id']}/receipt-number", {"receipt_number": "R-2"}),
        ("GET", f"/donations/{donation['id']}/receipt", None),
        ("GET", ledger, None),
    ]
    assert {(m, re.sub(r"/[0-9A-Z]{26}", "/{id}", p)) for m, p, _ in routes} >= {
        (m, re.sub(r"{\w+}", "{id}", r)) for m, r in POLITICAL_ID_ROUTES
    }
    for method, path, payload in routes:
        response = world.request(method, path, payload, tenant="autre", role=role)
        assert response.status_code == 404, (method, path, response.body)
        assert "Donateur" not in response.body.decode()
    assert ok(world.get("/candidacies", tenant="autre", role=role))["items"] == []
    # Its own gift naming "liste"'s candidacy or donor is refused as unknown.
    assert world.post("/donations", body, tenant="autre", role=role).status_code == 422
    assert ok(world.get(ledger, tenant="liste")) == before


def test_other_tenant_cannot_reference_ville_records(world: World, estate: Estate) -> None:
    liste_person = ok(world.post("/contacts", {"kind": "person", "last_name": "Martin"}, tenant="liste"), 201)
    refused = [
        world.post(
            "/contacts",
            {"kind": "person", "last_name": "Martin", "partner_contact_id": estate.person["id"]},
            tenant="liste",
        ),
        world.post(
            "/contacts",
            {"kind": "person", "last_name": "Martin", "affiliations": [{"organisation_id": estate.organisation["id"]}]},
            tenant="liste",
        ),
        world.patch(
            f"/contacts/{liste_person['id']}",
            {"version": 1, "partner_contact_id": estate.person["id"]},
            tenant="liste",
        ),
    ]
    fields = ["partner_contact_id", "affiliations[0].organisation_id", "partner_contact_id"]
    for response, field in zip(refused, fields, strict=True):
        assert response.status_code == 422, response.body
        assert [d["field"] for d in response.json_body["error"]["details"]] == [field]
    # A follow-up cannot be assigned to a user of another tenant.
    response = world.post(
        f"/contacts/{liste_person['id']}/interactions",
        {
            "kind": "call",
            "date": "2026-11-02",
            "summary": "x",
            "follow_up": {"title": "t", "assignee": estate.user["id"]},
        },
        tenant="liste",
    )
    assert response.status_code == 422, response.body
    assert response.json_body["error"]["details"][0]["field"] == "follow_up.assignee"
    # Nor can a custom field declared by another tenant be used.
    response = world.post(
        "/contacts", {"kind": "person", "last_name": "Martin", "custom": {"quartier": "Centre"}}, tenant="liste"
    )
    assert response.status_code == 422, response.body
    assert response.json_body["error"]["details"][0]["field"] == "custom.quartier"
    assert [c["id"] for c in ok(world.get("/contacts", tenant="liste"))["items"]] == [liste_person["id"]]


def test_lists_never_show_the_other_tenant(world: World, estate: Estate) -> None:
    # "liste" has its own Dupont, tag, interaction, task, field and user.
    liste_dupont = ok(
        world.post(
            "/contacts",
            {"kind": "person", "first_name": "Jeanne", "last_name": "Dupont", "tags": ["riverain"]},
            tenant="liste",
        ),
        201,
    )
    liste_interaction = world.interaction(
        liste_dupont["id"],
        {"kind": "visit", "date": "2026-11-02", "summary": "Porte-à-porte", "follow_up": {"title": "Relancer"}},
        tenant="liste",
    )
    ok(world.post("/fields", {"name": "soutien", "label": "Soutien", "type": "bool"}, tenant="liste"), 201)
    liste_user = ok(
        world.post("/users", {"email": "militant@liste.exemple.fr", "roles": ["lecteur"]}, tenant="liste"), 201
    )
    world.drain_audit()

    ville_ids = {estate.person["id"], estate.organisation["id"]}
    for query in (
        "",
        "?q=dupont",
        "?q=jean",
        "?q=du",
        "?tag=riverain",
        "?kind=person",
        "?kind=organisation",
        "?q=d&limit=1",
    ):
        for tenant, own in (("liste", {liste_dupont["id"]}), ("ville", ville_ids)):
            items = ok(world.get(f"/contacts{query}", tenant=tenant))["items"]
            assert {c["id"] for c in items} <= own, (tenant, query)
    assert [c["id"] for c in ok(world.get("/contacts?q=dupont", tenant="liste"))["items"]] == [liste_dupont["id"]]
    assert [c["id"] for c in ok(world.get("/contacts?q=dupont"))["items"]] == [estate.person["id"]]

    for query in ("?status=open", "?status=done", "?assignee=me", "?due_before=2030-01-01"):
        liste_tasks = ok(world.get(f"/tasks{query}", tenant="liste"))["items"]
        assert estate.task["id"] not in {t["id"] for t in liste_tasks}, query
    assert [t["id"] for t in ok(world.get("/tasks", tenant="liste"))["items"]] == [liste_interaction["task"]["id"]]
    assert ok(world.get(f"/tasks?assignee={world.user('ville', 'admin').user_id}", tenant="liste"))["items"] == []

    liste_emails = {u["email"] for u in ok(world.get("/users?limit=100", tenant="liste"))["items"]}
    assert liste_emails == {u.email for u in world.tenants["liste"].users} | {liste_user["email"]}
    ville_emails = {u["email"] for u in ok(world.get("/users?limit=100"))["items"]}
    assert ville_emails.isdisjoint(liste_emails)

    assert [f["name"] for f in ok(world.get("/fields", tenant="liste"))["items"]] == ["soutien"]
    assert [f["name"] for f in ok(world.get("/fields"))["items"]] == ["quartier"]

    liste_audit = ok(world.get("/audit?limit=100", tenant="liste"))["items"]
    ville_audit = ok(world.get("/audit?limit=100"))["items"]
    assert liste_audit and ville_audit
    liste_resources = {e["resource_id"] for e in liste_audit}
    assert liste_resources.isdisjoint(ville_ids | {estate.user["id"], estate.interaction["id"]})
    assert {e["actor_email"] for e in liste_audit} <= {u.email for u in world.tenants["liste"].users}
    assert {e["actor_email"] for e in ville_audit} <= {u.email for u in world.tenants["ville"].users}

    settings = ok(world.get("/settings", tenant="liste"))
    assert settings["id"] == world.tenants["liste"].id and settings["kind"] == "political"

    assert ok(world.get("/consultations", tenant="liste"))["items"] == []
    assert [c["id"] for c in ok(world.get("/consultations"))["items"]] == [estate.consultation["id"]]


def test_a_cursor_from_one_tenant_is_refused_by_the_other(world: World) -> None:
    for n in range(3):
        ok(world.post("/contacts", {"kind": "person", "last_name": f"Dupont{n}"}), 201)
        ok(world.post("/contacts", {"kind": "person", "last_name": f"Durand{n}"}, tenant="liste"), 201)
    for path in ("/contacts?limit=1", "/contacts?q=du&limit=1", "/users?limit=1"):
        cursor = ok(world.get(path))["next_cursor"]
        assert cursor
        response = world.get(f"{path}&cursor={cursor}", tenant="liste")
        assert response.status_code == 400, (path, response.body)
        assert response.json_body["error"]["code"] == "bad_request"
        assert response.json_body["error"]["details"][0]["field"] == "cursor"


def test_no_route_takes_a_tenant_id(world: World) -> None:
    """L52-8 / CNIL: the tenant comes from the token only. A user with accounts in an institution and a
    political workspace logs in twice; no path, query or body names another tenant, so no request can reach one.
    (/dev/outbox, local stage only and never deployed, filters its debug listing by tenant.)"""
    document = ok(world.get("/openapi.json"))
    schemas = document["components"]["schemas"]

    def properties(schema: dict[str, Any], seen: set[str]) -> set[str]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return set() if name in seen else properties(schemas[name], seen | {name})
        found = set(schema.get("properties", {}))
        for sub in schema.get("properties", {}).values():
            found |= properties(sub, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                found |= properties(schema[key], seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                found |= properties(sub, seen)
        return found

    offending = []
    for path, operations in document["paths"].items():
        if path.startswith("/dev/"):
            continue
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", [])} | set(re.findall(r"{(\w+)}", path))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                names |= properties(body, set())
            if path == "/public/privacy/{tenant_id}":  # a tenant's public form, for people who are no user
                continue
            offending += [(method, path, n) for n in names if "tenant" in n.lower()]
    assert offending == []
