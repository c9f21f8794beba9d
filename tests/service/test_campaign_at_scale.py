"""A campaign to a segment of 10,000 contacts under moto: exactly one SES call per recipient, none twice when every
chunk and the plan are delivered twice (SQS delivers at least once), and the counters right at the end.

SCALE_RECIPIENTS runs it smaller while working on it; CI runs the 10,000 (about 4 minutes on moto)."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from chalicelib import aws
from chalicelib.services import campaign_delivery
from chalicelib.settings import get_settings
from chalicelib.store import campaigns as campaigns_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import segments as segments_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, Segment
from infra.seed import DemoTenant
from tests.support.campaigns import started_campaign
from tests.support.faults import Fault, injected

RECIPIENTS = int(os.environ.get("SCALE_RECIPIENTS", "10000"))


def drain() -> list[dict[str, Any]]:
    sqs, url = aws.sqs(), aws.queue_url(get_settings().queue_name("campaigns"))
    bodies: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [json.loads(m["Body"]) for m in messages]
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)]
        )
    return bodies


def test_ten_thousand_recipients_get_one_message_each_whatever_the_redeliveries(
    tenant: DemoTenant, monkeypatch: Any
) -> None:
    at = now_iso()
    contacts = [
        Contact(
            tenant_id=tenant.id,
            contact_id=new_id(),
            doc={
                "kind": "person",
                "last_name": f"Habitant{n}",
                "emails": [f"habitant{n}@example.fr"],
                "tags": ["lettre"],
            },
            created_at=at,
            updated_at=at,
        )
        for n in range(RECIPIENTS)
    ]
    contacts_store.create_many(contacts)
    segment = Segment(
        tenant_id=tenant.id,
        segment_id=new_id(),
        name="Lettre",
        filter={"tag": "lettre"},
        shared=True,
        owner_id="u1",
        created_at=at,
        updated_at=at,
    )
    segments_store.save(segment)
    campaign_id = started_campaign(
        tenant.id,
        "email",
        {"user_id": "u1", "email": "admin@svc.test", "roles": ["admin"], "tenant_kind": "institution"},
        at,
        subject="Lettre d'information",
        body="Bonjour {{ contact.last_name }},\n\nLa lettre du mois.",
        segment_id=segment.segment_id,
    )
    # The local outbox (one S3 object per email, local stage only) is not what is measured here: SES's calls are.
    monkeypatch.setattr("chalicelib.messaging.outbound._record", lambda *args, **kwargs: None)
    plan = {"kind": "plan", "tenant_id": tenant.id, "campaign_id": campaign_id}
    sends = Fault("ses", "SendRawEmail", lambda op: AssertionError(op), action=lambda: None, times=None)
    recipients: Counter[str] = Counter()

    def count(params: dict[str, Any]) -> bool:
        raw = params["RawMessage"]["Data"]
        to = next(line for line in raw.splitlines() if line.startswith(b"To: "))
        recipients[to.decode()] += 1
        return True

    sends.when = count
    with injected(sends):
        campaign_delivery.process_message(json.dumps(plan))
        campaign_delivery.process_message(json.dumps(plan))  # redelivered: the chunks are queued again
        chunks = drain()
        assert len(chunks) == 2 * RECIPIENTS // campaign_delivery.CHUNK
        for chunk in chunks:
            campaign_delivery.process_message(json.dumps(chunk))  # each chunk twice (the plan queued it twice)
    assert sends.seen == RECIPIENTS
    assert len(recipients) == RECIPIENTS and set(recipients.values()) == {1}
    done = campaigns_store.get(tenant.id, campaign_id)
    assert done is not None
    assert (done.status, done.recipients, done.sent, done.failed, done.unknown) == (
        "sent",
        RECIPIENTS,
        RECIPIENTS,
        0,
        0,
    )
