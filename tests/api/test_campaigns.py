"""Email campaigns: a draft checked at once, a test send, the send through the campaigns queue (recipients planned
with each skip reason, one raw message per recipient with its one-click unsubscribe, at most once whatever the
redeliveries, throttling deferred), cancelling, scheduling, and the L52-1 rules for an institution."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib import aws
from chalicelib.services import campaign_delivery
from chalicelib.settings import get_settings
from chalicelib.store import campaigns as campaigns_store
from chalicelib.store import messages as messages_store
from tests.api import test_replies as replies_tests
from tests.api.test_electoral_compliance import PARTISAN, needs_window, next_january
from tests.support.aws_calls import recorded_calls
from tests.support.faults import Fault, busy_item, client_error, injected
from tests.support.responses import error_of, ok
from tests.support.sent_messages import plain_text, sent_emails
from tests.support.world import World

QUEUE = "campaigns"
BODY = "{{ formule_appel }}\n\nBonjour {{ contact.first_name }}, voici les nouvelles de {{ tenant.name }}.\n\n"
BODY += "Le programme : https://ville.example/agenda"


pytestmark = pytest.mark.usefixtures("no_send_backoff")


def contact(world: World, last_name: str, tenant: str = "liste", **fields: Any) -> str:
    body = {"kind": "person", "civility": "Mme", "first_name": "Anne", "last_name": last_name, **fields}
    return str(ok(world.post("/contacts", body, tenant=tenant), 201)["id"])


def consent(world: World, contact_id: str, status: str = "granted", tenant: str = "liste") -> None:
    body = {"status": status, "source": "form", "text": "J'accepte de recevoir la lettre d'information."}
    ok(world.request("PUT", f"/contacts/{contact_id}/consents/email", body, tenant=tenant))


def campaign(world: World, tenant: str = "liste", role: str = "communication", **fields: Any) -> dict[str, Any]:
    body = {"subject": "La lettre de décembre", "body": BODY, **fields}
    return dict(ok(world.post("/campaigns", body, tenant=tenant, role=role), 201))


def deliver(world: World) -> int:
    return world.drain(get_settings().queue_name(QUEUE), "send_campaigns")


def queued_bodies() -> list[dict[str, Any]]:
    """What the campaigns queue holds now (received and deleted)."""
    sqs, url = aws.sqs(), aws.queue_url(get_settings().queue_name(QUEUE))
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [json.loads(m["Body"]) for m in messages]
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return bodies


def recipients_of(emails: list[Any]) -> list[str]:
    return sorted(str(m["To"]) for m in emails)


@pytest.fixture
def audience(world: World) -> dict[str, str]:
    """A political tenant's contacts: who may receive its emails (consent granted) and who may not, and why."""
    made = {
        "anne": contact(world, "Martin", emails=["anne@example.fr"]),
        "paul": contact(world, "Durand", emails=["paul@example.fr"]),
        "sans_accord": contact(world, "Petit", emails=["petit@example.fr"]),
        "retire": contact(world, "Leroy", emails=["leroy@example.fr"]),
        "meme_boite": contact(world, "Martin-Bis", emails=["ANNE@example.fr"]),
        "sans_adresse": contact(world, "Moreau"),
        "rebond": contact(world, "Rebond", emails=["rebond@example.fr"]),
    }
    for key in ("anne", "paul", "retire", "meme_boite", "sans_adresse", "rebond"):
        consent(world, made[key])
    consent(world, made["retire"], "withdrawn")
    # a hard bounce earlier: the address is on the suppression list
    from chalicelib.store import consents as consents_store
    from chalicelib.store.entities import Suppression

    consents_store.suppress(
        Suppression(tenant_id="t-liste", address="rebond@example.fr", reason="hard_bounce", at="2026-12-01T00:00:00Z")
    )
    return made


# --- drafts -------------------------------------------------------------------------------------------------------


def test_a_draft_is_checked_at_once_with_the_field_at_fault(world: World, audience: dict[str, str]) -> None:
    ids = [audience["anne"]]
    cases = [
        ({"body": "Bonjour {{ prenom }}", "contact_ids": ids}, "body", "prenom"),
        ({"body": "{% for %}", "contact_ids": ids}, "body", "Modèle invalide"),
        ({"contact_ids": ids, "template": "voeux"}, "body", "soit"),  # both a body and a template
        ({}, "segment_id", "soit un segment"),
        ({"contact_ids": ["01J0000000000000000000ZZZZ"]}, "contact_ids", "introuvable"),
        ({"contact_ids": ids, "scheduled_at": "2020-01-01T10:00:00Z"}, "scheduled_at", "passée"),
        ({"contact_ids": ids, "template": "inconnu", "body": None}, "template", "Modèle inconnu"),
    ]
    for fields, field, words in cases:
        body = {"subject": "Objet", "body": BODY, **fields}
        refused = world.post("/campaigns", {k: v for k, v in body.items() if v is not None}, tenant="liste")
        assert refused.status_code == 422, fields
        details = error_of(refused, 422, "validation_error")["details"]
        assert any(d["field"].endswith(field) and words in d["message"] for d in details), (fields, details)


def test_campaigns_belong_to_communication_cabinet_and_admin(world: World, audience: dict[str, str]) -> None:
    for role in ("protocole", "lecteur"):
        refused = world.post(
            "/campaigns", {"subject": "x", "body": "y", "contact_ids": [audience["anne"]]}, tenant="liste", role=role
        )
        assert error_of(refused, 403, "forbidden")["message"].startswith("Les campagnes sont réservées")
    for role in ("communication", "cabinet", "admin"):
        assert campaign(world, role=role, contact_ids=[audience["anne"]])["status"] == "draft"
    # another tenant never sees it
    made = campaign(world, contact_ids=[audience["anne"]])
    assert world.get(f"/campaigns/{made['id']}", tenant="ville").status_code == 404


def test_a_draft_changes_under_its_version_and_a_test_send_counts_nothing(
    world: World, audience: dict[str, str]
) -> None:
    made = campaign(world, contact_ids=[audience["anne"]])
    changed = ok(
        world.patch(f"/campaigns/{made['id']}", {"version": made["version"], "template": "voeux"}, tenant="liste")
    )
    assert changed["template"] == "voeux" and changed["body"] is None
    stale = world.patch(f"/campaigns/{made['id']}", {"version": made["version"], "subject": "x"}, tenant="liste")
    assert stale.status_code == 409
    tested = ok(world.post(f"/campaigns/{made['id']}/test", {"to": ["relecture@example.fr"]}, tenant="liste"))
    assert [s["to"] for s in tested["sent"]] == ["relecture@example.fr"]
    (email,) = sent_emails()
    assert str(email["Subject"]) == "[TEST] La lettre de décembre"
    assert "Camille" not in str(email["Subject"])
    text = plain_text(email)
    assert "vous présentent leurs vœux" in text and "Liste test" in text
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]["sent"] == 0
    too_many = world.post(
        f"/campaigns/{made['id']}/test", {"to": [f"a{n}@example.fr" for n in range(6)]}, tenant="liste"
    )
    assert too_many.status_code == 422


# --- sending ------------------------------------------------------------------------------------------------------


def test_sending_reaches_each_address_once_and_says_why_others_were_left_out(
    world: World, audience: dict[str, str]
) -> None:
    made = campaign(world, contact_ids=list(audience.values()))
    started = ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    assert started["status"] == "sending"
    assert deliver(world) == 2  # the plan, then one chunk
    done = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert done["status"] == "sent" and done["finished_at"]
    assert done["counts"] == {
        "recipients": 2,
        "queued": 0,
        "sent": 2,
        "failed": 0,
        "unknown": 0,
        "skipped": {
            "no_consent": 2,  # never asked (Petit), withdrawn (Leroy)
            "unsubscribed": 0,
            "suppressed": 1,  # the hard bounce
            "invalid": 0,
            "no_address": 1,
            "duplicate_address": 1,  # ANNE@example.fr: Anne's mailbox already has one
        },
    }
    emails = sent_emails()
    assert recipients_of(emails) == ["anne@example.fr", "paul@example.fr"]
    anne = next(m for m in emails if str(m["To"]) == "anne@example.fr")
    unsubscribe = str(anne["List-Unsubscribe"])
    assert (
        unsubscribe.startswith("<http://127.0.0.1:8000/public/unsubscribe/") and f"campagne={made['id']}" in unsubscribe
    )
    assert str(anne["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    text = plain_text(anne)
    assert "Bonjour Anne, voici les nouvelles de Liste test." in text
    assert text.startswith("Liste test\n\nMadame,")  # the formule d'appel of the protocol rules
    # a political tenant's email says where the data comes from and how to object (CNIL)
    assert "formulaire que vous avez rempli" in text and "vous opposer" in text
    html = anne.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert '<a href="https://ville.example/agenda">' in html and "Se désinscrire" in html
    stored = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert stored[audience["anne"]].status == "sent" and stored[audience["anne"]].ses_message_id
    assert stored[audience["rebond"]].status == "skipped" and stored[audience["rebond"]].reason == "suppressed"


def test_redelivered_chunks_never_send_twice(world: World, audience: dict[str, str]) -> None:
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    (plan,) = queued_bodies()
    campaign_delivery.process_message(json.dumps(plan))
    campaign_delivery.process_message(json.dumps(plan))  # the plan delivered twice: chunks queued again
    chunks = queued_bodies()
    assert len(chunks) == 2 and chunks[0] == chunks[1]
    for chunk in chunks * 2:
        campaign_delivery.process_message(json.dumps(chunk))
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr"]
    counts = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]
    assert (counts["sent"], counts["unknown"]) == (2, 0)


def test_a_chunk_carries_its_recipients_and_reads_none_of_its_messages(
    world: World, audience: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On its first delivery a chunk's messages are as the plan wrote them: it carries their addresses and formules
    d'appel, and reads them back only when redelivered (the test below of a worker that died; bench/campaign.py:
    a read less per chunk)."""
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    planned = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert chunk["recipients"] == {cid: [m.address, m.appel] for cid, m in planned.items()}
    reads: list[list[str]] = []
    real = messages_store.batch_get
    monkeypatch.setattr(messages_store, "batch_get", lambda t, c, ids: reads.append(list(ids)) or real(t, c, ids))
    campaign_delivery.process_message(json.dumps(chunk))
    assert reads == []
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr"]
    stored = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert {cid: (m.status, m.address, m.appel) for cid, m in stored.items()} == {
        cid: ("sent", m.address, m.appel) for cid, m in planned.items()
    }


def test_a_chunk_queued_without_its_recipients_reads_them(world: World, audience: dict[str, str]) -> None:
    """A chunk queued before chunks carried their recipients (in the queue during a deployment) still goes."""
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    del chunk["recipients"]
    campaign_delivery.process_message(json.dumps(chunk))
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr"]
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]["sent"] == 2


def test_a_chunk_taken_by_a_worker_that_died_is_unknown_never_resent(world: World, audience: dict[str, str]) -> None:
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    # a worker took the chunk (its mark), perhaps sent, and died before recording anything
    assert messages_store.mark_chunk("t-liste", made["id"], chunk["key"]) is True
    campaign_delivery.process_message(json.dumps(chunk))  # SQS delivers it again
    assert sent_emails() == []  # nothing sent again
    done = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert done["status"] == "sent" and (done["counts"]["sent"], done["counts"]["unknown"]) == (0, 2)
    unknown = messages_store.of_campaign("t-liste", made["id"])
    assert {m.reason for m in unknown} == {campaign_delivery.INTERRUPTED}


def test_throttling_defers_the_rest_of_the_chunk_and_sends_it_later(
    world: World, audience: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(campaign_delivery, "DEFER_SECONDS", (0,))
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    (chunk,) = queued_bodies()
    throttled = Fault("ses", "SendRawEmail", client_error("Throttling"), skip=1, times=None)
    with injected(throttled):
        campaign_delivery.process_message(json.dumps(chunk))
    assert len(sent_emails()) == 1  # the first went, the second was throttled after the retries
    (deferred,) = queued_bodies()
    assert deferred["deferrals"] == 1 and len(deferred["contact_ids"]) == 1
    assert deferred["key"] == f"{chunk['key']}.1"  # a chunk of its own, with its own mark
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]["queued"] == 1
    campaign_delivery.process_message(json.dumps(deferred))
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr"]
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["status"] == "sent"


def test_a_refused_message_fails_alone(world: World, audience: dict[str, str]) -> None:
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    refused = Fault("ses", "SendRawEmail", client_error("MessageRejected"), times=1)
    with injected(refused):
        deliver(world)
    done = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert done["status"] == "sent" and (done["counts"]["sent"], done["counts"]["failed"]) == (1, 1)
    failed = [m for m in messages_store.of_campaign("t-liste", made["id"]) if m.status == "failed"]
    assert failed[0].reason and failed[0].reason.startswith("MessageRejected")


def test_a_message_sent_is_not_sent_again_when_its_outbox_copy_fails(world: World, audience: dict[str, str]) -> None:
    """The local outbox copy is written after SES accepted the message: its failure is no failed send."""
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    with injected(Fault("s3", "PutObject", client_error("SlowDown", 503), times=None)) as (slow,):
        deliver(world)
    assert slow.raised == 2
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr"]
    done = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert (done["status"], done["counts"]["sent"]) == ("sent", 2)


def test_a_segment_is_evaluated_when_sending_starts(world: World, audience: dict[str, str]) -> None:
    for key in ("anne", "paul"):
        ok(world.patch(f"/contacts/{audience[key]}", {"version": 1, "tags": ["lettre"]}, tenant="liste"))
    shared = {"name": "Lettre", "filter": {"tag": "lettre"}, "shared": True}  # its author is an admin
    made_segment = ok(world.post("/segments", shared, tenant="liste"), 201)
    made = campaign(world, segment_id=made_segment["id"])
    late = contact(world, "Tardif", emails=["tardif@example.fr"], tags=["lettre"])  # joins before the send
    consent(world, late)
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    assert recipients_of(sent_emails()) == ["anne@example.fr", "paul@example.fr", "tardif@example.fr"]


def test_a_cancelled_campaign_stops_at_its_next_chunk(world: World, audience: dict[str, str]) -> None:
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))
    cancelled = ok(world.post(f"/campaigns/{made['id']}/cancel", {}, tenant="liste"))
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    deliver(world)
    assert sent_emails() == []
    again = world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste")
    assert error_of(again, 409, "conflict")["message"] == "Cette campagne a déjà été envoyée ou programmée."
    assert world.post(f"/campaigns/{made['id']}/cancel", {}, tenant="liste").status_code == 409


def test_a_person_erased_or_archived_after_the_plan_gets_nothing_and_their_address_stays_gone(
    world: World, audience: dict[str, str]
) -> None:
    """The plan wrote each recipient's address; a chunk that comes after the person's erasure (RGPD art. 17) or
    archiving sends them nothing, and does not write back the address the erasure removed from their message."""
    erased, archived = contact(world, "Effacée", emails=["efface@example.fr"]), audience["paul"]
    consent(world, erased)
    made = campaign(world, contact_ids=[audience["anne"], archived, erased])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))  # the plan: the three are recipients
    assert world.delete(f"/contacts/{erased}?mode=erase", tenant="liste").status_code == 204
    assert world.delete(f"/contacts/{archived}", tenant="liste").status_code in (200, 204)
    deliver(world)
    assert recipients_of(sent_emails()) == ["anne@example.fr"]
    stored = {m.contact_id: m for m in messages_store.of_campaign("t-liste", made["id"])}
    assert (stored[erased].status, stored[erased].address, stored[erased].appel) == ("failed", None, None)
    assert stored[archived].status == "failed"
    counts = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))
    assert counts["status"] == "sent" and (counts["counts"]["sent"], counts["counts"]["failed"]) == (1, 2)


def test_a_chunk_reads_of_each_recipient_only_what_the_body_can_show(world: World, audience: dict[str, str]) -> None:
    """Data minimisation (RGPD art. 5(1)(c), art. 25): the plan chose the recipients and wrote their addresses; a
    chunk reads of each contact only the names the body may show and whether it was archived since, never the rest
    of the record (addresses, phones, notes, custom fields)."""
    full = contact(world, "Riche", emails=["riche@example.fr"], phones=["06 12 34 56 78"], tags=["riverain"])
    consent(world, full)
    made = campaign(world, contact_ids=[audience["anne"], full])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    campaign_delivery.process_message(json.dumps(queued_bodies()[0]))  # the plan
    with recorded_calls() as calls:
        assert deliver(world) == 1
    reads = [
        next(iter(c.params["RequestItems"].values()))
        for c in calls
        if c.operation == "BatchGetItem" and any(t.endswith("-contacts") for t in c.params["RequestItems"])
    ]
    assert len(reads) == 1
    names = reads[0]["ExpressionAttributeNames"]
    projected = {".".join(names[part] for part in path.strip().split(".")) for path in
                 reads[0]["ProjectionExpression"].split(",")}  # fmt: skip
    assert projected == {
        "contact_id",
        "doc.civility",
        "doc.first_name",
        "doc.last_name",
        "doc.organisation_name",
        "doc.archived",
    }
    sent = sorted(sent_emails(), key=lambda m: str(m["To"]))
    assert [str(m["To"]) for m in sent] == ["anne@example.fr", "riche@example.fr"]
    assert all("Bonjour Anne, voici les nouvelles" in plain_text(m) for m in sent)


def test_a_scheduled_campaign_starts_when_its_time_comes(world: World, audience: dict[str, str]) -> None:
    at = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = campaign(world, contact_ids=[audience["anne"]], scheduled_at=at)
    scheduled = ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    assert scheduled["status"] == "scheduled"
    assert campaign_delivery.start_due() == 0  # not yet
    assert deliver(world) == 0
    later = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert campaign_delivery.start_due(later) == 1
    assert campaign_delivery.start_due(later) == 0  # out of the index once started
    deliver(world)
    assert recipients_of(sent_emails()) == ["anne@example.fr"]
    # the schedule's own handler, as EventBridge calls it
    event = world.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    assert world.client.lambda_.invoke("start_campaigns", event).payload == {"started": 0}


def test_cancelling_a_scheduled_campaign_takes_it_out_of_the_schedule(world: World, audience: dict[str, str]) -> None:
    at = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = campaign(world, contact_ids=[audience["anne"]], scheduled_at=at)
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    ok(world.post(f"/campaigns/{made['id']}/cancel", {}, tenant="liste"))
    assert campaigns_store.due("9999") == []


def test_cancelling_while_the_workers_record_their_outcomes_gives_409(world: World, audience: dict[str, str]) -> None:
    """The workers add to the campaign's counters in transactions: a cancel landing while one is under way is
    refused by DynamoDB (TransactionConflictException). The campaign is as it was, and says to try again."""
    at = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = campaign(world, contact_ids=[audience["anne"]], scheduled_at=at)
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    with injected(Fault("dynamodb", "UpdateItem", busy_item)):
        refused = world.post(f"/campaigns/{made['id']}/cancel", {}, tenant="liste")
    assert "réessayer" in error_of(refused, 409, "conflict")["message"]
    assert ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["status"] == "scheduled"
    assert ok(world.post(f"/campaigns/{made['id']}/cancel", {}, tenant="liste"))["status"] == "cancelled"


def test_a_campaign_list_pages_newest_first(world: World, audience: dict[str, str]) -> None:
    made = [campaign(world, contact_ids=[audience["anne"]], subject=f"Lettre {n}")["id"] for n in range(3)]
    first = ok(world.get("/campaigns?limit=2", tenant="liste"))
    assert [c["id"] for c in first["items"]] == made[::-1][:2]
    rest = ok(world.get(f"/campaigns?limit=2&cursor={first['next_cursor']}", tenant="liste"))
    assert [c["id"] for c in rest["items"]] == [made[0]] and rest["next_cursor"] is None


# --- L52-1: an institution's campaign in a pre-electoral window ----------------------------------------------------


@needs_window
def test_an_institutions_campaign_in_a_window_needs_an_override_for_blocking_and_acknowledged_warnings(
    world: World,
) -> None:
    """Sent on the day of next January's vœux (inside the presidential window): « votez » in the body blocks, the
    first campaign of a series is a warning (antériorité), as for events."""
    guest = contact(world, "Martin", tenant="ville", emails=["martin@example.fr"])
    when = f"{next_january().isoformat()}T09:00:00Z"
    made = campaign(
        world, tenant="ville", contact_ids=[guest], body=PARTISAN, series="Lettre du maire", scheduled_at=when
    )
    refused = world.post(f"/campaigns/{made['id']}/send", {"acknowledge_warnings": True}, tenant="ville")
    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "compliance_override_required"
    assert "compliance.neutralite" in {d["field"] for d in refused.json_body["error"]["details"]}
    assessed = ok(world.get(f"/campaigns/{made['id']}/compliance", tenant="ville"))
    assert assessed["applies"] is True and assessed["level"] == "blocking"

    justification = "Citation d'un discours historique du maire de 1945, sans lien avec l'élection : validé par le DGS."
    override = f"/campaigns/{made['id']}/compliance/override"
    assert world.post(override, {"justification": justification}, tenant="ville", role="cabinet").status_code == 403
    lifted = ok(world.post(override, {"justification": justification}, tenant="ville"))
    assert lifted["override"]["justification"] == justification

    unacknowledged = world.post(f"/campaigns/{made['id']}/send", {}, tenant="ville", role="communication")
    assert unacknowledged.json_body["error"]["code"] == "compliance_warnings_unacknowledged"
    sent = ok(world.post(f"/campaigns/{made['id']}/send", {"acknowledge_warnings": True}, tenant="ville"), 202)
    assert sent["status"] == "scheduled"
    assert sent["compliance"]["override"]["justification"] == justification


def test_a_political_campaign_is_never_assessed_under_l52_1(world: World) -> None:
    """A political tenant is never assessed under L52-1 (its spending is campaign finance instead)."""
    guest = contact(world, "Martin", emails=["martin@example.fr"])
    consent(world, guest)
    made = campaign(world, contact_ids=[guest], body="Votez pour nous !")
    assessed = ok(world.get(f"/campaigns/{made['id']}/compliance", tenant="liste"))
    assert assessed["applies"] is False
    assert ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)["compliance"] is None


def test_replies_to_a_campaign_come_back_to_its_address_and_reach_the_recipient(
    world: World, audience: dict[str, str]
) -> None:
    """One reply address per campaign (reponse+<id>@ the inbound domain); the recipient answering is found by
    In-Reply-To (SES's id of the message sent to them), whoever writes the reply."""
    made = campaign(world, contact_ids=[audience["anne"], audience["paul"]])
    ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
    deliver(world)
    anne = next(m for m in sent_emails() if str(m["To"]) == "anne@example.fr")
    reply_to = str(anne["Reply-To"])
    assert reply_to.startswith("reponse+") and reply_to.endswith("@reponses.operateur-demo.fr")
    paul = next(m for m in sent_emails() if str(m["To"]) == "paul@example.fr")
    assert str(paul["Reply-To"]) == reply_to  # the campaign's, not one per message
    message = messages_store.batch_get("t-liste", made["id"], [audience["anne"]])[audience["anne"]]
    # Anne's reply, written from another mailbox than the one the campaign reached
    mime = replies_tests.reply_mime(
        to=reply_to,
        sender="Anne Martin <anne.bureau@example.org>",
        subject="Re: La lettre de décembre",
        text="Merci pour ces nouvelles.",
        in_reply_to=f"<{message.ses_message_id}@eu-west-3.amazonses.com>",
    )
    replies_tests.publish("inbound-mail", replies_tests.receipt(mime, [reply_to], encoding="BASE64"))
    assert replies_tests.deliver(world) == 1
    history = ok(world.get(f"/contacts/{audience['anne']}", tenant="liste"))["interactions"]
    (answer,) = [i for i in history if i["kind"] == "email_reply"]
    assert "Merci pour ces nouvelles." in answer["summary"]


def test_a_person_keeps_some_topics_and_the_campaigns_of_the_others_skip_them(
    world: World, audience: dict[str, str]
) -> None:
    """The unsubscribe page lists the tenant's campaign series as topics: unticking one keeps the emails of the
    others (and the email consent), and a campaign of the declined series counts the person as unsubscribed."""
    for series in ("Lettre du maire", "Agenda culturel"):
        made = campaign(world, contact_ids=[audience["paul"]], series=series)
        ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
        deliver(world)
    paul = next(m for m in sent_emails() if str(m["To"]) == "paul@example.fr")
    url = urlsplit(str(paul["List-Unsubscribe"]).split(",")[0].strip("<> "))
    page = world.client.http.get(f"{url.path}?{url.query}")
    html = page.body.decode()
    assert 'name="topic" value="Agenda culturel" checked' in html and "Lettre du maire" in html
    assert html.count("<fieldset>") == 2 and "<script" not in html
    chosen = world.client.http.post(
        f"{url.path}?{url.query}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=b"action=topics&topic=Agenda+culturel",
    )
    assert chosen.status_code == 200
    assert "Vous ne recevrez plus : Lettre du maire." in chosen.body.decode()
    consents = ok(world.get(f"/contacts/{audience['paul']}/consents", tenant="liste"))["items"]
    assert next(c for c in consents if c["channel"] == "email")["status"] == "granted"  # emails still welcome
    again = {}
    for series in ("Lettre du maire", "Agenda culturel"):
        made = campaign(world, contact_ids=[audience["paul"]], series=series)
        ok(world.post(f"/campaigns/{made['id']}/send", {}, tenant="liste"), 202)
        deliver(world)
        again[series] = ok(world.get(f"/campaigns/{made['id']}", tenant="liste"))["counts"]
    assert again["Lettre du maire"]["sent"] == 0 and again["Lettre du maire"]["skipped"]["unsubscribed"] == 1
    assert again["Agenda culturel"]["sent"] == 1
