"""The right to erasure (RGPD art. 17): DELETE /contacts/{id}?mode=erase anonymises the person in every record the
right of access finds, keeps the figures (attendance, campaign counts), deletes every version of the letters that
print them, turns their suppression entries into hashes, and refuses to bring them back through POST /contacts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import aws
from chalicelib.domain.erasure import PLACEHOLDER
from chalicelib.services import erasure
from chalicelib.settings import get_settings
from chalicelib.store import audit as audit_store
from chalicelib.store import consents as consents_store
from chalicelib.store import erasures as erasures_store
from chalicelib.store import files
from chalicelib.store import messages as messages_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import AuditEntry, Suppression
from tests.api.test_events_api import later
from tests.support.responses import error_of, ok
from tests.support.world import World

T = "liste"
TENANT_ID = "t-liste"
EMAIL = "Helene.Lefevre@Exemple.FR"
PERSON = {
    "kind": "person",
    "civility": "Mme",
    "first_name": "Hélène",
    "last_name": "Lefèvre-Dubois",
    "emails": [EMAIL],
    "phones": ["06 12 34 56 78"],
    "address": {"lines": ["12 rue du Gros-Horloge"], "postcode": "76000", "city": "Rouen"},
    "birth_date": "1970-05-04",
    "tags": ["Sympathisante"],
}
OTHER = {
    "kind": "person",
    "civility": "M",
    "first_name": "Bruno",
    "last_name": "Carpentier",
    "emails": ["bruno@exemple.fr"],
    "address": {"lines": ["3 rue Jeanne-d'Arc"], "postcode": "76000", "city": "Rouen"},
}


pytestmark = pytest.mark.usefixtures("no_send_backoff")


def _versions(key: str) -> list[dict[str, Any]]:
    listed = aws.client("s3").list_object_versions(Bucket=get_settings().files_bucket, Prefix=key)
    return [v for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])] if v["Key"] == key]


def _audit_log() -> list[AuditEntry]:
    return list(audit_store.page(TENANT_ID, None, 100).items)


@pytest.fixture
def file(world: World) -> dict[str, Any]:
    """Hélène in every record kind of a political tenant, beside Bruno; the figures those records make."""
    helene = ok(world.post("/contacts", PERSON, tenant=T), 201)["id"]
    bruno = ok(world.post("/contacts", OTHER, tenant=T), 201)["id"]
    world.interaction(
        helene,
        {
            "kind": "call",
            "date": "2026-11-30",
            "summary": "Hélène Lefèvre-Dubois signale un lampadaire en panne devant chez elle.",
            "follow_up": {"title": "Rappeler Mme Lefèvre-Dubois"},
        },
        tenant=T,
    )
    # a campaign to both
    for cid in (helene, bruno):
        body = {"status": "granted", "source": "form", "text": "J'accepte de recevoir la lettre d'information."}
        ok(world.request("PUT", f"/contacts/{cid}/consents/email", body, tenant=T))
    body = {"subject": "La lettre", "body": "{{ formule_appel }}\n\nBonjour {{ contact.first_name }}."}
    made = ok(world.post("/campaigns", {**body, "contact_ids": [helene, bruno]}, tenant=T), 201)
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant=T), 202)
    world.drain(get_settings().queue_name("campaigns"), "send_campaigns")
    # an event: Hélène accepted with a companion
    event = ok(
        world.post(
            "/events",
            {
                "title": "Réunion publique",
                "kind": "reunion_publique",
                "starts_at": later(30),
                "status": "open",
                "companions_max": 1,
            },
            tenant=T,
        ),
        201,
    )
    invited = world.invite(event["id"], [helene, bruno], tenant=T)
    invitation = next(i for i in invited["created"] if i["contact_id"] == helene)
    answer = {"response": "accept", "companions": [{"name": "Paul Lefèvre-Dubois"}], "notify": False}
    ok(world.post(f"/events/{event['id']}/guests/{invitation['invitation_id']}/answer", answer, tenant=T))
    # letters printed to both, a second version of the PDF written over the first
    job = ok(
        world.post("/letters", {"contact_ids": [helene, bruno], "template": "voeux", "labels": True}, tenant=T), 202
    )
    world.drain(get_settings().letters_queue_name, "render_letters")
    from chalicelib.store import letters as letters_store

    stored = letters_store.get(TENANT_ID, job["id"])
    assert stored is not None and stored.status == "done"
    files.put_pdf(stored.doc["pdf_key"], b"%PDF-1.4 second version")
    # a complaint put the address on the suppression list
    consents_store.suppress(
        Suppression(tenant_id=TENANT_ID, address="helene.lefevre@exemple.fr", reason="complaint", at=now_iso())
    )
    # a reply from her address that nobody assigned yet, and one from someone else
    from chalicelib.store import replies as replies_store
    from chalicelib.store.entities import InboxMessage

    for n, sender in enumerate(("helene.lefevre@exemple.fr", "inconnu@exemple.fr")):
        replies_store.put_in_inbox(
            InboxMessage(
                tenant_id=TENANT_ID,
                inbox_id=f"01JINBOX00000000000000000{n}",
                received_at=now_iso(),
                sender=sender,
                sender_name="Hélène L." if n == 0 else "Inconnu",
                subject="Re: La lettre",
                excerpt="Merci pour la lettre.",
            )
        )
    world.drain_audit()
    # an audit entry whose detail quotes the address (as an older version of a route might have written)
    audit_store.write_all(
        [
            AuditEntry(
                tenant_id=TENANT_ID,
                entry_id=f"{now_iso()}#01JAUDITQUOTINGTHEADDRESS0",
                at=now_iso(),
                actor_id="u1",
                actor_email="admin@liste.test",
                action="update",
                resource_type="contact",
                resource_id=helene,
                detail={"fields": ["emails"], "was": "helene.lefevre@exemple.fr"},
            )
        ]
    )
    return {
        "helene": helene,
        "bruno": bruno,
        "campaign": made["id"],
        "event": event["id"],
        "invitation": invitation["invitation_id"],
        "letter": job["id"],
        "pdf_key": stored.doc["pdf_key"],
        "labels_key": stored.doc["labels_key"],
        "stats": ok(world.get(f"/events/{event['id']}/stats", tenant=T)),
        "counts": ok(world.get(f"/campaigns/{made['id']}", tenant=T))["counts"],
    }


def erase(world: World, contact_id: str, **kw: Any) -> Any:
    return world.delete(f"/contacts/{contact_id}?mode=erase", **kw)


def test_erasure_anonymises_every_record_and_keeps_the_figures(world: World, file: dict[str, Any]) -> None:
    helene = file["helene"]
    assert len(_versions(file["pdf_key"])) == 2
    assert erase(world, helene, tenant=T).status_code == 204
    world.drain_audit()

    record = ok(world.get(f"/contacts/{helene}", tenant=T))["contact"]
    assert record["last_name"] == PLACEHOLDER
    assert record["erased_at"] and record["archived"] is True
    assert not record.get("emails") and not record.get("phones") and not record.get("address")
    assert not record.get("birth_date") and not record.get("tags") and not record.get("first_name")
    # not findable by name, email or phone, archived or not
    for query in ("q=Lef%C3%A8vre", "q=H%C3%A9l%C3%A8ne", "q=Lef%C3%A8vre&archived=true", "q=Helene&archived=true"):
        assert ok(world.get(f"/contacts?{query}", tenant=T))["items"] == [], query
    # interactions and tasks: text blanked, the task still open
    histories = ok(world.get(f"/contacts/{helene}/interactions", tenant=T))["items"]
    assert all(i["summary"] == PLACEHOLDER for i in histories) and len(histories) == 2  # the call, the letter
    tasks = ok(world.get("/tasks?status=open", tenant=T))["items"]
    assert [t["title"] for t in tasks if t["contact_id"] == helene] == [PLACEHOLDER]
    # the invitation: names blanked, seats and the event's figures as they were
    guests = ok(world.get(f"/events/{file['event']}/guests", tenant=T))["items"]
    guest = next(g for g in guests if g["invitation_id"] == file["invitation"])
    assert guest["name"] == PLACEHOLDER and guest["companions"] == [{"name": PLACEHOLDER}] and guest["seats"] == 2
    assert ok(world.get(f"/events/{file['event']}/stats", tenant=T)) == file["stats"]
    # the campaign: its counts as they were, the message without address nor salutation
    assert ok(world.get(f"/campaigns/{file['campaign']}", tenant=T))["counts"] == file["counts"]
    message = messages_store.batch_get(TENANT_ID, file["campaign"], [helene])[helene]
    assert message.status == "sent" and message.address is None and message.appel is None
    bruno_message = messages_store.batch_get(TENANT_ID, file["campaign"], [file["bruno"]])[file["bruno"]]
    assert bruno_message.address == "bruno@exemple.fr"  # others untouched
    # letters: every version of both PDFs gone, the job says why
    assert _versions(file["pdf_key"]) == [] and _versions(file["labels_key"]) == []
    job = ok(world.get(f"/letters/{file['letter']}", tenant=T))
    assert job["pdf_url"] is None and "effacement" in (job["error"] or "")
    # suppression: the entry is a hash, the reason kept; consents and their history gone
    assert consents_store.suppressed(TENANT_ID, ["helene.lefevre@exemple.fr"]) == {}
    assert consents_store.for_contact(TENANT_ID, helene) == {}
    inbox = ok(world.get("/inbox", tenant=T))["items"]
    assert [m["sender"] for m in inbox] == ["inconnu@exemple.fr"]
    # the audit log: the erasure recorded without the data it erased; entries about her kept, blanked
    log = _audit_log()
    erased_entries = [e for e in log if e.action == "erase"]
    assert [(e.resource_id, e.actor_email) for e in erased_entries] == [(helene, "admin@liste.test")]
    assert erased_entries[0].detail and erased_entries[0].detail["anonymised"]["invitations"] == 1
    quoted = next(e for e in log if e.entry_id.endswith("#01JAUDITQUOTINGTHEADDRESS0"))
    assert quoted.detail == {"fields": ["emails"], "was": PLACEHOLDER}
    dumped = json.dumps([e.detail for e in log], ensure_ascii=False).casefold()
    for personal in ("helene.lefevre", "lefèvre", "hélène", "0612345678", "+33612345678", "gros-horloge"):
        assert personal not in dumped, personal


def test_the_suppression_list_keeps_the_hash_and_the_reason(world: World, file: dict[str, Any]) -> None:
    assert erase(world, file["helene"], tenant=T).status_code == 204
    key = erasure.rules.point_key(get_settings().erasure_key(), "helene.lefevre@exemple.fr")
    from chalicelib.store.consents import SuppressionItem

    item = SuppressionItem.get(TENANT_ID, erasures_store.HASHED_PREFIX + key)
    assert item.reason == "complaint"


def test_a_later_creation_with_the_same_email_or_phone_is_refused(world: World, file: dict[str, Any]) -> None:
    assert erase(world, file["helene"], tenant=T).status_code == 204
    again = {"kind": "person", "last_name": "Dubois", "emails": ["helene.lefevre@exemple.fr"]}
    refused = error_of(world.post("/contacts", again, tenant=T, role="communication"), 409, "conflict")
    assert "personne ayant demandé l'effacement" in refused["message"]
    assert refused["details"] == [{"field": "emails[0]", "message": "Personne ayant demandé l'effacement."}]
    by_phone = {"kind": "person", "last_name": "Dubois", "phones": ["+33 6 12 34 56 78"]}
    assert error_of(world.post("/contacts", by_phone, tenant=T), 409, "conflict")["details"][0]["field"] == "phones[0]"
    # what the import calls, row by row
    assert erasure.erased_match(TENANT_ID, "HELENE.LEFEVRE@exemple.fr", None)
    assert erasure.erased_match(TENANT_ID, None, "0612345678")
    assert not erasure.erased_match(TENANT_ID, "bruno@exemple.fr", "0698765432")
    assert not erasure.erased_match("t-ville", "helene.lefevre@exemple.fr", None)  # per tenant
    assert not erasure.erased_match(TENANT_ID, None, None)
    # only an administrator overrides, and it is audited
    forbidden = world.post("/contacts?override_erasure=true", again, tenant=T, role="communication")
    assert error_of(forbidden, 403, "forbidden")["message"].startswith("Seul un administrateur")
    created = ok(world.post("/contacts?override_erasure=true", again, tenant=T), 201)
    world.drain_audit()
    entry = next(e for e in _audit_log() if e.action == "create" and e.resource_id == created["id"])
    assert entry.detail == {"override_erasure": True}
    # another tenant knows nothing of it
    assert world.post("/contacts", again, tenant="ville").status_code == 201


def test_erasure_is_idempotent_admin_only_and_per_tenant(world: World, file: dict[str, Any]) -> None:
    helene = file["helene"]
    for role in ("cabinet", "protocole", "communication", "lecteur"):
        assert error_of(erase(world, helene, tenant=T, role=role), 403, "forbidden")
    assert error_of(erase(world, helene, tenant="ville"), 404, "not_found")
    assert erase(world, helene, tenant=T).status_code == 204
    first = ok(world.get(f"/contacts/{helene}", tenant=T))["contact"]
    assert erase(world, helene, tenant=T).status_code == 204  # the same answer, nothing changed
    assert ok(world.get(f"/contacts/{helene}", tenant=T))["contact"] == first
    world.drain_audit()
    erased = [e.detail for e in _audit_log() if e.action == "erase"]
    assert len(erased) == 2 and {"already_erased": True} in erased
    # an erased record is not edited back to life
    patched = world.patch(f"/contacts/{helene}", {"version": first["version"], "archived": False}, tenant=T)
    assert "effacé" in error_of(patched, 409, "conflict")["message"]
    assert world.delete(f"/contacts/{helene}?mode=oublier", tenant=T).status_code == 422
    assert error_of(erase(world, "01JNOSUCHCONTACT0000000000", tenant=T), 404, "not_found")


def test_the_default_mode_still_deletes_for_good(world: World) -> None:
    made = ok(world.post("/contacts", OTHER, tenant=T), 201)["id"]
    assert world.delete(f"/contacts/{made}", tenant=T).status_code == 204
    assert world.get(f"/contacts/{made}", tenant=T).status_code == 404
    assert world.delete(f"/contacts/{made}", tenant=T).status_code == 404
    # deleting is not erasing: the address may come back
    assert world.post("/contacts", OTHER, tenant=T).status_code == 201


def test_a_large_export_holding_the_person_loses_its_file(
    world: World, file: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services import exports

    monkeypatch.setattr(exports, "DIRECT_LIMIT", 0)  # every export through the job and S3
    headers = {**world.headers(T), "Accept": "text/csv"}
    job = ok(world.request("GET", "/contacts/export?format=csv", headers=headers), 202)
    assert world.drain(get_settings().queue_name("exports"), "export_contacts") == 1
    from chalicelib.store import exports as exports_store

    stored = exports_store.get(TENANT_ID, job["id"])
    assert stored is not None and stored.status == "done"
    key = stored.doc["key"]
    assert len(_versions(key)) == 1
    assert erase(world, file["helene"], tenant=T).status_code == 204
    assert _versions(key) == []
    done = ok(world.get(f"/exports/{job['id']}", tenant=T))
    assert done["url"] is None and "effacement" in done["error"]
