"""The scenarios of the fault-injection suite (tests/support/fault_suite.py): one per handler AWS may retry or
interrupt, each seeding a tenant of its own per run and counting its effects by what they are about."""

from __future__ import annotations

import email
import email.policy
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT

from tests.support.fault_suite import Delivery, Effects, request_delivery, schedule_delivery, sqs_delivery

AT = "2026-12-04T08:00:00Z"
SENDING_HOURS = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday at 11:00 in Paris, no public holiday near


def tenant_of(run: str) -> str:
    return f"fi-{run}".replace("_", "-")


def seed_tenant(run: str, kind: str = "institution") -> Any:
    """A tenant with its settings, no user (the scenarios act as the jobs do, or as a principal
    built here)."""
    from chalicelib.auth import Principal
    from infra.seed import DemoTenant, seed_tenant

    tenant = tenant_of(run)
    seed_tenant(DemoTenant(tenant, kind, f"Commune {run}", {"name": f"Commune {run}"}, [], ()))
    return Principal(tenant, kind, "fi-staff", f"staff@{tenant}.exemple.fr", frozenset({"admin"}))


def emails_to(domain: str) -> list[email.message.EmailMessage]:
    """The emails SES received for addresses of `domain`, parsed."""
    from chalicelib.settings import get_settings

    backend = get_backend("ses")[ACCOUNT][get_settings().region]
    raws = [m.raw_data for m in backend.sent_messages if hasattr(m, "raw_data") and f"@{domain}" in m.raw_data]
    return [email.message_from_string(r, policy=email.policy.default) for r in raws]  # type: ignore[misc]


def local_parts(messages: list[email.message.EmailMessage]) -> Counter[str]:
    return Counter(f"email:{str(m['To']).split('@')[0]}" for m in messages)


@contextmanager
def quick() -> Iterator[None]:
    """Small chunks (several per campaign, outcomes recorded one by one) and no backoff sleeps: the same code paths,
    at a size where every call position can be faulted."""
    from chalicelib.domain import time as clock
    from chalicelib.messaging import outbound
    from chalicelib.services import campaign_delivery

    saved = campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY, outbound._sleep, clock.now
    campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY = 2, 2
    outbound._sleep = lambda attempt: None  # type: ignore[assignment]
    clock.now = lambda: SENDING_HOURS  # SMS leave only within the sending hours
    try:
        yield
    finally:
        campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY, outbound._sleep, clock.now = saved  # type: ignore[assignment]


# --- email campaigns ----------------------------------------------------------------------------------------------


def _campaign(run: str, recipients: int) -> tuple[str, str]:
    """An institution's email campaign to `recipients` contacts, started as POST /send leaves it: (tenant, id)."""
    return _started(run, recipients, "email")


def _started(run: str, recipients: int, channel: str, phones: list[str] | None = None) -> tuple[str, str]:
    """A campaign to `recipients` contacts started as POST /send leaves it (email: an institution's; SMS: a
    political tenant's, to contacts who agreed to SMS): (tenant, id)."""
    from chalicelib.services import consents
    from chalicelib.store import campaigns as campaigns_store
    from chalicelib.store import contacts as contacts_store
    from chalicelib.store.base import new_id
    from chalicelib.store.entities import Campaign, Contact

    p = seed_tenant(run, "institution" if channel == "email" else "political")
    tenant = p.tenant_id
    contacts = [
        Contact(
            tenant_id=tenant,
            contact_id=new_id(),
            doc={"kind": "person", "last_name": f"Habitant {k}", "emails": [f"p{k}@{tenant}.exemple.fr"]}
            if channel == "email"
            else {"kind": "person", "last_name": f"Habitant {k}", "phones": [(phones or [])[k]]},
            created_at=AT,
            updated_at=AT,
        )
        for k in range(recipients)
    ]
    contacts_store.create_many(contacts)
    if channel == "sms":
        for contact in contacts:
            consents.record(p, contact, "sms", status="granted", lawful_basis=None, source="form", text="Accord SMS.")
    by = {"user_id": p.user_id, "email": p.email, "roles": ["admin"], "tenant_kind": p.tenant_kind}
    campaign = Campaign(
        tenant_id=tenant,
        campaign_id=new_id(),
        channel=channel,
        status="sending",
        doc={
            "content": {
                "subject": "La lettre du mois" if channel == "email" else None,
                "body": "Bonjour {{ contact.last_name }},\n\nLes nouvelles de {{ tenant.name }} : https://exemple.fr/a"
                if channel == "email"
                else "Réunion publique jeudi à 19 h, salle des fêtes.",
                "template": None,
                "segment_id": None,
                "contact_ids": [c.contact_id for c in contacts],
                "series": None,
                "scheduled_at": None,
            },
            "by": by,
            "sent_by": by,
            "started_at": AT,
        },
        created_at=AT,
        updated_at=AT,
    )
    campaigns_store.save(campaign)
    return tenant, campaign.campaign_id


def _campaign_outcome(tenant: str, campaign_id: str) -> tuple[bool, set[str]]:
    """Whether the campaign ended with counters that agree with its messages (once each, whatever the faults), and
    the addresses of its messages recorded `unknown` (perhaps sent, reported as such)."""
    from chalicelib.store import campaigns as campaigns_store
    from chalicelib.store import messages as messages_store

    campaign = campaigns_store.get(tenant, campaign_id, consistent=True)
    assert campaign is not None
    messages = list(messages_store.of_campaign(tenant, campaign_id))
    statuses = Counter(m.status for m in messages)
    counted = (campaign.sent, campaign.failed, campaign.unknown)
    finished = campaign.status == "sent" and counted == (statuses["sent"], statuses["failed"], statuses["unknown"])
    return finished, {m.address for m in messages if m.status == "unknown" and m.address}


class EmailCampaign:
    """The campaigns queue: the plan, then chunks of SendRawEmail, at most once per recipient."""

    name = "email_campaign"
    recipients = 5

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def seed(self, run: str) -> list[Delivery]:
        tenant, campaign_id = _campaign(run, self.recipients)
        self._ids[run] = campaign_id
        plan = {"kind": "plan", "tenant_id": tenant, "campaign_id": campaign_id}
        return [sqs_delivery("send_campaigns", json.dumps(plan))]

    def effects(self, run: str) -> Effects:
        tenant = tenant_of(run)
        done = local_parts(emails_to(f"{tenant}.exemple.fr"))
        finished, unknown = _campaign_outcome(tenant, self._ids[run])
        done["campaign finished, counters right"] += finished
        return Effects(done, {f"email:{address.split('@')[0]}" for address in unknown})


class SmsCampaign:
    """The campaigns queue for SMS: the plan, then chunks of SNS Publish, at most once per number."""

    name = "sms_campaign"
    recipients = 5

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._numbers: dict[str, list[str]] = {}

    def seed(self, run: str) -> list[Delivery]:
        n = len(self._numbers)  # numbers of this run only: SNS keeps every run's
        numbers = [f"+336{n:06d}{k:02d}" for k in range(self.recipients)]
        self._numbers[run] = numbers
        tenant, campaign_id = _started(run, self.recipients, "sms", numbers)
        self._ids[run] = campaign_id
        plan = {"kind": "plan", "tenant_id": tenant, "campaign_id": campaign_id}
        return [sqs_delivery("send_campaigns", json.dumps(plan))]

    def effects(self, run: str) -> Effects:
        from chalicelib.settings import get_settings

        tenant, numbers = tenant_of(run), self._numbers[run]
        backend = get_backend("sns")[ACCOUNT][get_settings().region]
        done = Counter(
            f"sms:{numbers.index(number)}" for number, _ in backend.sms_messages.values() if number in numbers
        )
        finished, unknown = _campaign_outcome(tenant, self._ids[run])
        done["campaign finished, counters right"] += finished
        return Effects(done, {f"sms:{numbers.index(number)}" for number in unknown})


# --- events: invitations sent, answers through the RSVP links ---------------------------------------------------


def _event_with_guests(run: str, guests: int, fields: dict[str, Any]) -> tuple[Any, Any, list[str]]:
    """A political tenant's open event (`fields` over a public meeting's) and `guests` contacts with an email each,
    invited by email: (principal, event, the guests' contact ids)."""
    from chalicelib.api.events import event_doc
    from chalicelib.schemas.events import EventCreate
    from chalicelib.services import contacts, events, invitations

    p = seed_tenant(run, "political")
    ids = [
        contacts.create(
            p, {"kind": "person", "last_name": f"Invité {k}", "emails": [f"p{k}@{p.tenant_id}.exemple.fr"]}
        ).contact_id  # type: ignore[typeddict-item]
        for k in range(guests)
    ]
    body = {"title": "Réunion publique", "kind": "reunion_publique", "place": "Salle des fêtes", "status": "open"}
    event = events.create(
        p, event_doc(EventCreate.model_validate({**body, **fields}, context={"zone": "Europe/Paris"}))
    ).event
    invitations.create(p, event, ids, "email")
    return p, event, ids


class EventInvitations:
    """POST /events/{id}/invitations/send, then two guests answering through their links (POST /public/rsvp/{token}):
    API requests a client sends again when they fail. Each guest gets one invitation and one confirmation, and the
    seats count each answer once."""

    name = "event_invitations"
    guests = 4

    def __init__(self) -> None:
        self._events: dict[str, str] = {}
        self._guests: dict[str, list[str]] = {}

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import event_messages, invitation_sending, rsvp
        from chalicelib.store import events as events_store
        from chalicelib.store import invitations as invitations_store

        fields = {"starts_at": "2027-03-20T18:30:00", "capacity": 50, "companions_max": 2}
        p, event, ids = _event_with_guests(run, self.guests, fields)
        self._events[run], self._guests[run] = event.event_id, ids
        invited = {i.contact_id: i for i in invitations_store.invitations_of_event(p.tenant_id, event.event_id)}
        created = [invited[cid] for cid in ids]

        def send() -> None:
            current = events_store.get_event(p.tenant_id, event.event_id)
            assert current is not None
            invitation_sending.send(p, current)

        def answer(invitation_id: str, companions: int) -> Callable[[], object]:
            token = event_messages.token_for(p.tenant_id, invitation_id)
            names = [{"name": f"Accompagnant {k}"} for k in range(companions)]
            return lambda: rsvp.answer(token, {"response": "accept", "companions": names, "representative": None})  # type: ignore[typeddict-item]

        answers = (
            request_delivery("public/rsvp", answer(created[0].invitation_id, 1)),
            request_delivery("public/rsvp", answer(created[1].invitation_id, 0)),
        )
        sending = request_delivery("invitations/send", send)
        sending.then = answers  # the guests answer the invitation they received
        return [sending]

    def effects(self, run: str) -> Effects:
        from chalicelib.store import events as events_store
        from chalicelib.store import invitations as invitations_store

        tenant, event_id = tenant_of(run), self._events[run]
        done: Counter[str] = Counter()
        for message in emails_to(f"{tenant}.exemple.fr"):
            kind = "confirmation" if "réponse" in str(message["Subject"]).lower() else "invitation"
            done[f"{kind}:{str(message['To']).split('@')[0]}"] += 1
        uncertain = set()
        for invitation in invitations_store.invitations_of_event(tenant, event_id):
            done[f"guest {invitation.status}, sent={bool(invitation.sent_at)}"] += 1
            guest = self._guests[run].index(invitation.contact_id)
            for kind in ("invitation", "confirmation"):  # listed in the event's figures among the sends to check
                if (invitation.reminders.get(kind) or {}).get("state") in ("sending", "unknown", "failed"):
                    uncertain.add(f"{kind}:p{guest}")
        done[f"seats taken={events_store.get_seats(tenant, event_id).taken}"] += 1
        # A confirmation goes at least once: the guest who sends their answer again after a lost reply gets one
        # even if the first went unrecorded (services/rsvp.py).
        repeatable = {key for key in done if key.startswith("confirmation:")}
        return Effects(done, uncertain, repeatable)


class Relances:
    """The reminders schedule (every 15 minutes): a relance due to the guests who did not answer, each once, whatever
    the retries and the next tick."""

    name = "reminders"
    guests = 3

    def __init__(self) -> None:
        self._events: dict[str, str] = {}
        self._guests: dict[str, list[str]] = {}

    def seed(self, run: str) -> list[Delivery]:
        from datetime import timedelta

        from chalicelib.services import invitation_sending, reminders

        now, local = datetime.now(UTC), "%Y-%m-%dT%H:%M:%S"
        fields = {
            "title": "Vœux du maire",
            "kind": "voeux",
            "starts_at": (now + timedelta(days=10)).strftime(local),
            "rsvp_deadline": (now + timedelta(days=2)).strftime(local) + "Z",  # the relance was due 5 days ago
        }
        p, event, ids = _event_with_guests(run, self.guests, fields)
        self._events[run], self._guests[run] = event.event_id, ids
        invitation_sending.send(p, event)  # before the faults: the invitations went out
        return [schedule_delivery("send_reminders", lambda: reminders.run())]

    def effects(self, run: str) -> Effects:
        from chalicelib.store import invitations as invitations_store

        tenant = tenant_of(run)
        relances = [m for m in emails_to(f"{tenant}.exemple.fr") if str(m["Subject"]).startswith("Votre réponse")]
        guests = self._guests[run]
        uncertain = {  # a relance whose send was interrupted or refused: listed in the event's figures for staff
            f"email:p{guests.index(i.contact_id)}"
            for i in invitations_store.invitations_of_event(tenant, self._events[run])
            if any(entry.get("state") in ("unknown", "failed") for entry in i.reminders.values())
        }
        return Effects(local_parts(relances), uncertain)


# --- SES notifications --------------------------------------------------------------------------------------------


def ses_notification(kind: str, tenant: str, campaign: str, address: str, message_id: str, **detail: Any) -> str:
    """What SNS delivers to the ses-events queue: SES's event JSON (its documented examples' shape) in SNS's
    envelope."""
    event: dict[str, Any] = {
        "eventType": kind,
        "mail": {
            "timestamp": AT,
            "source": "Mairie <mairie@rouen.fr>",
            "messageId": message_id,
            "destination": [address],
            "tags": {"tenant": [tenant], "campaign": [campaign]},
        },
    }
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": detail.get("bounce_type", "Permanent"),
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1"}],
            "timestamp": AT,
        }
    elif kind == "Complaint":
        event["complaint"] = {"complainedRecipients": [{"emailAddress": address}], "timestamp": AT}
    elif kind == "Open":
        event["open"] = {"timestamp": AT, "ipAddress": "192.0.2.1"}
    elif kind == "Click":
        event["click"] = {"timestamp": AT, "ipAddress": "192.0.2.1", "link": "https://exemple.fr/a"}
    elif kind == "Delivery":
        event["delivery"] = {"timestamp": AT, "recipients": [address]}
    envelope = {"Type": "Notification", "MessageId": f"{kind}-{message_id}", "Message": json.dumps(event)}
    return json.dumps(envelope)


class MailEvents:
    """The ses-events queue: deliveries, opens, clicks, a hard bounce and a complaint on a campaign's messages."""

    name = "ses_notifications"

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import campaign_delivery
        from chalicelib.store import messages as messages_store
        from tests.support.fault_suite import queued_deliveries

        tenant, campaign_id = _campaign(run, 3)
        self._ids[run] = campaign_id
        campaign_delivery.plan(tenant, campaign_id)  # the campaign goes out, outside the faults
        for delivery in queued_deliveries():
            delivery.run(1)
        sent = {m.address: m.ses_message_id for m in messages_store.of_campaign(tenant, campaign_id)}
        bodies = []
        for k, (address, message_id) in enumerate(sorted(sent.items())):
            assert address and message_id
            kinds = ["Delivery", "Open", "Click"] + (["Bounce"] if k == 1 else []) + (["Complaint"] if k == 2 else [])
            bodies += [ses_notification(kind, tenant, campaign_id, address, message_id) for kind in kinds]
        return [sqs_delivery("handle_mail_events", body) for body in bodies]

    def effects(self, run: str) -> Effects:
        from chalicelib.services import campaign_reports
        from chalicelib.store import campaigns as campaigns_store
        from chalicelib.store import consents as consents_store
        from chalicelib.store import messages as messages_store

        tenant = tenant_of(run)
        done: Counter[str] = Counter()
        for m in messages_store.of_campaign(tenant, self._ids[run]):
            who = (m.address or "").split("@")[0]
            for name in ("delivered_at", "opens", "clicks", "bounce", "complained_at", "links"):
                value = getattr(m, name)
                if value:
                    done[f"{who}.{name}={value if isinstance(value, int | list) or name == 'bounce' else 'set'}"] += 1
        addresses = [f"p{k}@{tenant}.exemple.fr" for k in range(3)]
        for address, suppression in consents_store.suppressed(tenant, addresses).items():
            done[f"suppressed:{address.split('@')[0]}:{suppression.reason}"] += 1
        campaign = campaigns_store.get(tenant, self._ids[run], consistent=True)
        assert campaign is not None
        report = campaign_reports.report(campaign)
        for key in ("sent", "delivered", "bounced_hard", "complaints", "unique_opens", "unique_clicks", "clicks"):
            done[f"report.{key}={getattr(report, key)}"] += 1
        return Effects(done)


# --- replies ------------------------------------------------------------------------------------------------------


class Replies:
    """The inbound-mail queue: replies SES received, each into its contact's history once; « STOP » withdraws the
    email consent; a reply nobody can be matched to lands once in the inbox."""

    name = "replies"

    def __init__(self) -> None:
        self._contacts: dict[str, list[str]] = {}

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import contacts, replies
        from tests.api.test_replies import receipt, reply_mime

        p = seed_tenant(run, "political")
        ids = [
            contacts.create(
                p, {"kind": "person", "last_name": f"Habitant {k}", "emails": [self._email(run, k)]}
            ).contact_id  # type: ignore[typeddict-item]
            for k in range(2)
        ]
        self._contacts[run] = ids
        bodies = []
        for k, (text, sender) in enumerate(
            [
                ("Merci, je viendrai avec plaisir.", self._email(run, 0)),
                ("STOP", self._email(run, 1)),
                ("Qui êtes-vous ?", f"inconnu@{tenant_of(run)}.ailleurs.fr"),
            ]
        ):
            to = replies.reply_to(p.tenant_id, contact_id=ids[k] if k < 2 else None, source="campaign", ref=f"c{k}")
            assert to
            raw = reply_mime(to=to, sender=sender, text=text)
            notification = receipt(raw, [to], message_id=f"{run}-reply-{k}")
            bodies.append(
                json.dumps({"Type": "Notification", "MessageId": f"{run}-{k}", "Message": json.dumps(notification)})
            )
        return [sqs_delivery("handle_inbound_mail", body) for body in bodies]

    @staticmethod
    def _email(run: str, k: int) -> str:
        return f"p{k}@{tenant_of(run)}.exemple.fr"

    def effects(self, run: str) -> Effects:
        from chalicelib.store import consents as consents_store
        from chalicelib.store import interactions as interactions_store
        from chalicelib.store import replies as replies_store

        tenant = tenant_of(run)
        done: Counter[str] = Counter()
        for k, contact_id in enumerate(self._contacts[run]):
            for interaction in interactions_store.recent_for_contact(tenant, contact_id, 50):
                done[f"p{k}:{interaction.kind}"] += 1
            consent = consents_store.for_contact(tenant, contact_id).get("email")
            done[f"p{k}:email consent {consent.status if consent else 'none'}"] += 1
        done.update(f"inbox:{m.sender.split('@')[0]}" for m in replies_store.inbox_page(tenant, None, 100).items)
        return Effects(done)


# --- the audit writer ---------------------------------------------------------------------------------------------


class AuditWriter:
    """The audit queue: the entries requests queue, written once each."""

    name = "audit_writer"
    requests = 3

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import audit
        from tests.support.fault_suite import queued_deliveries

        p = seed_tenant(run)
        for request in range(self.requests):  # each request's entries: one message
            audit.begin()
            for k in range(2):
                audit.record(p, "update", "contact", f"c{request}-{k}", {"field": "last_name"})
            audit.flush()
        return queued_deliveries()

    def effects(self, run: str) -> Effects:
        from chalicelib.store import audit as audit_store

        entries = audit_store.page(tenant_of(run), None, 1000).items
        return Effects(Counter(f"{e.action}:{e.resource_type}:{e.resource_id}" for e in entries))


SCENARIOS = (EmailCampaign, SmsCampaign, EventInvitations, Relances, MailEvents, Replies, AuditWriter)
