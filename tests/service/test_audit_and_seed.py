"""Audit entries travel through SQS (no DynamoDB call on reads), with a direct-write fallback; the demo seed."""

from __future__ import annotations

import json

from chalicelib import aws
from chalicelib.services import audit
from chalicelib.settings import get_settings
from chalicelib.store.audit import AuditItem
from chalicelib.store.contacts import ContactItem
from infra.seed import seed_demo


def _queue_bodies() -> list[list[dict]]:
    url = aws.queue_url(get_settings().audit_queue_name)
    messages = aws.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_buffered_entries_are_sent_once_to_the_queue_not_to_dynamodb(admin):
    audit.begin()
    audit.record(admin, "read", "contact", "C1")
    audit.record(admin, "read", "contact", "C2")
    assert AuditItem.count(admin.tenant_id) == 0  # nothing written during the request
    audit.flush()
    bodies = _queue_bodies()
    assert [[e["resource_id"] for e in body] for body in bodies] == [["C1", "C2"]]
    assert bodies[0][0]["actor_id"] == admin.user_id and bodies[0][0]["action"] == "read"
    assert AuditItem.count(admin.tenant_id) == 0
    audit.store_message(json.dumps(bodies[0]))
    audit.store_message(json.dumps(bodies[0]))  # a redelivery rewrites the same items
    assert AuditItem.count(admin.tenant_id) == 2


def test_entries_are_written_directly_when_the_queue_is_unreachable(admin):
    aws.sqs().delete_queue(QueueUrl=aws.queue_url(get_settings().audit_queue_name))
    aws.queue_url.cache_clear()
    audit.begin()
    audit.record(admin, "update", "contact", "C9")
    audit.flush()
    [entry] = list(AuditItem.query(admin.tenant_id))
    assert (entry.action, entry.resource_id) == ("update", "C9")


def test_demo_seed_has_two_isolated_tenants_and_about_200_contacts(aws_mock):
    ville, liste = seed_demo()
    assert (ville.id, ville.kind, liste.id, liste.kind) == ("ville-demo", "institution", "liste-demo", "political")
    assert {r for u in ville.users for r in u.roles} >= {"admin", "protocole", "communication", "lecteur"}
    count = ContactItem.count("ville-demo")
    assert 190 <= count <= 220
    assert 1 <= ContactItem.count("liste-demo") < 20
    names = [c.doc.get("last_name") or "" for c in ContactItem.query("ville-demo")]
    assert any("-" in n for n in names) and any(ch in "".join(names) for ch in "éèêëïœ")
    kinds = {c.doc["kind"] for c in ContactItem.query("ville-demo")}
    assert kinds == {"person", "organisation"}
    assert seed_demo()[0].users[0].user_id == ville.users[0].user_id  # re-running changes nothing
    assert ContactItem.count("ville-demo") == count


def test_demo_authorities_hold_mandates_that_give_a_sensible_precedence(aws_mock):
    from datetime import date

    from chalicelib.schemas.protocol import PrecedenceRequest, ceremony_of, order_json
    from chalicelib.services import protocol
    from chalicelib.store.mandates import MandateItem
    from infra.seed import principal_for

    ville, _ = seed_demo()
    admin = principal_for(ville, ville.users[0])
    holders = {m.contact_id for m in MandateItem.query("ville-demo")}
    by_name = {c.doc.get("last_name"): c.contact_id for c in ContactItem.query("ville-demo") if c.contact_id in holders}
    functions = {m.doc["function"] for m in MandateItem.query("ville-demo")}
    assert {"maire", "prefet", "depute", "senateur", "president_epci", "adjoint_maire"} <= functions
    attending = [by_name[n] for n in ("Guérin", "Lefèvre", "Anquetil", "Beaulieu", "Dumesnil", "Hérault")]
    req = PrecedenceRequest.model_validate(
        {
            "contact_ids": attending,
            "ceremony": {"departement": "76", "commune_insee": "76540", "date": date(2027, 1, 15).isoformat()},
        }
    )
    order = order_json(protocol.precedence_of(admin, req.contact_ids, ceremony_of(req)))["order"]
    names = {v: k for k, v in by_name.items()}
    # Préfet (art. 3, 1°), député (2°), sénateur (3°), the maire (7°), the EPCI president right
    # after the maire (usage), then the adjoint (26°).
    ranked = [names[x["contact_id"]] for x in order]
    assert ranked[0] == "Beaulieu"
    assert ranked[1:] == ["Dumesnil", "Anquetil", "Lefèvre", "Guérin", "Hérault"]
