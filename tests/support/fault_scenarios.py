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

from tests.support.campaigns import started_campaign
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
    """Small chunks (several per campaign, outcomes recorded one by one; letters read two recipients at a time,
    imports take two rows a chunk) and no backoff sleeps: the same code paths, at a size where every call position
    can be faulted."""
    from chalicelib.domain import time as clock
    from chalicelib.messaging import outbound
    from chalicelib.services import campaign_delivery, contact_import, letters, rne_import

    saved = campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY, outbound._sleep, clock.now
    chunks = letters.CHUNK, rne_import.CHUNK_BYTES, contact_import.CHUNK_ROWS
    campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY = 2, 2
    letters.CHUNK, rne_import.CHUNK_BYTES, contact_import.CHUNK_ROWS = 2, 200, 2  # RNE: two lines a chunk
    outbound._sleep = lambda attempt: None  # type: ignore[assignment]
    clock.now = lambda: SENDING_HOURS  # SMS leave only within the sending hours
    try:
        yield
    finally:
        campaign_delivery.CHUNK, campaign_delivery.RECORD_EVERY, outbound._sleep, clock.now = saved  # type: ignore[assignment]
        letters.CHUNK, rne_import.CHUNK_BYTES, contact_import.CHUNK_ROWS = chunks


# --- email campaigns ----------------------------------------------------------------------------------------------


def _campaign(run: str, recipients: int) -> tuple[str, str]:
    """An institution's email campaign to `recipients` contacts, started as POST /send leaves it: (tenant, id)."""
    return _started(run, recipients, "email")


def _started(run: str, recipients: int, channel: str, phones: list[str] | None = None) -> tuple[str, str]:
    """A campaign to `recipients` contacts started as POST /send leaves it (email: an institution's; SMS: a
    political tenant's, to contacts who agreed to SMS): (tenant, id)."""
    from chalicelib.services import consents
    from chalicelib.store import contacts as contacts_store
    from chalicelib.store.base import new_id
    from chalicelib.store.entities import Contact

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
    email = channel == "email"
    campaign_id = started_campaign(
        tenant,
        channel,
        by,
        AT,
        subject="La lettre du mois" if email else None,
        body="Bonjour {{ contact.last_name }},\n\nLes nouvelles de {{ tenant.name }} : https://exemple.fr/a"
        if email
        else "Réunion publique jeudi à 19 h, salle des fêtes.",
        contact_ids=[c.contact_id for c in contacts],
    )
    return tenant, campaign_id


def _plan_delivery(tenant: str, campaign_id: str) -> Delivery:
    """The message POST /campaigns/{id}/send queues: plan the started campaign's chunks."""
    return sqs_delivery("send_campaigns", json.dumps({"kind": "plan", "tenant_id": tenant, "campaign_id": campaign_id}))


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
        return [_plan_delivery(tenant, campaign_id)]

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
        return [_plan_delivery(tenant, campaign_id)]

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


# --- the electoral check ------------------------------------------------------------------------------------------


class ElectoralCheck:
    """The daily electoral check: the schedule queues one message per institution tenant, the electoral queue checks
    each; the team gets one digest of what is new (two windows opening within 30 days, an event's findings), each
    piece of news marked notified once, whatever the retries and the next day's run."""

    name = "electoral_check"
    ci_stride = 8  # its runs are long: every eighth position in CI (every one in bench/faults.py)

    def __init__(self) -> None:
        self._now: datetime | None = None

    def _moment(self) -> datetime:
        """Ten days before the départementales' L52-1 window opens (the régionales' opens the same day)."""
        from datetime import timedelta

        from chalicelib.domain.electoral import calendar

        if self._now is None:
            departementales = next(e for e in calendar.reference()[1] if e.id == "departementales-2028")
            opens = calendar.l52_1_start(departementales)
            self._now = datetime.combine(opens - timedelta(days=10), datetime.min.time(), tzinfo=UTC)
        return self._now

    def seed(self, run: str) -> list[Delivery]:
        from datetime import timedelta

        from chalicelib.api.events import event_doc
        from chalicelib.auth import Principal
        from chalicelib.schemas.events import EventCreate
        from chalicelib.services import electoral_watch, events
        from chalicelib.store import tenants
        from chalicelib.store import users as users_store
        from chalicelib.store.entities import User
        from infra.seed import DemoTenant
        from infra.seed import seed_tenant as seed

        tenant, now = tenant_of(run), self._moment()
        place = {"commune_insee": "76540", "departement": "76", "region": "28"}
        seed(DemoTenant(tenant, "institution", f"Commune {run}", {"name": f"Commune {run}", **place}, [], ()))
        for role in ("cabinet", "communication"):  # the team the digest goes to, as the directory lists it
            email = f"{role}@{tenant}.exemple.fr"
            users_store.put(User(tenant_id=tenant, user_id=f"u-{role}", email=email, roles=[role], created_at=AT))
        p = Principal(tenant, "institution", "u-cabinet", f"cabinet@{tenant}.exemple.fr", frozenset({"admin"}))
        body = {
            "title": "Forum des associations",
            "kind": "autre",
            "starts_at": (now + timedelta(days=40)).strftime("%Y-%m-%dT10:00:00"),
            "description": "Venez découvrir le bilan de notre mandat… et en avril, votez !",
        }
        events.create(p, event_doc(EventCreate.model_validate(body, context={"zone": "Europe/Paris"})))
        original = tenants.tenant_ids_of_kind

        def fan_out() -> object:
            # The schedule's run, as the other runs' tenants were not there: each run is a day of its own tenant.
            tenants.tenant_ids_of_kind = lambda kind: [t for t in original(kind) if t == tenant]  # type: ignore[assignment]
            try:
                return electoral_watch.fan_out(now)
            finally:
                tenants.tenant_ids_of_kind = original  # type: ignore[assignment]

        return [schedule_delivery("check_electoral_calendar", fan_out)]

    def effects(self, run: str) -> Effects:
        from chalicelib.store import electoral as electoral_store

        tenant = tenant_of(run)
        done: Counter[str] = Counter()
        for message in emails_to(f"{tenant}.exemple.fr"):
            team = sorted(str(a.addr_spec).split("@")[0] for a in message["To"].addresses)
            done["digest to anyone but the team"] += team != ["cabinet", "communication"]
            lines = str(message.get_body(preferencelist=("plain",)).get_content()).splitlines()  # type: ignore[union-attr]
            for n, line in enumerate(lines):  # each piece of news the digest tells, by what it is about
                if line.startswith("- « "):  # an event's finding: its level, then its message on the next line
                    done[f"told {line.rsplit(' — ', 1)[1]} {lines[n + 1].strip()[:40]}"] += 1
                elif line.startswith("- "):  # a window opening soon
                    done[f"told {line.split(' : ', 1)[0][2:]}"] += 1
        repeatable = set()
        for item in electoral_store.ElectoralItem.query(tenant):
            parts = item.sk.split("#")  # notified#window#{election}#{start}, notified#finding#{event id}#{finding}
            if parts[0] != "notified":
                continue
            about = "#".join(parts[1:2] + parts[3:] if parts[1] == "finding" else parts[1:])
            done[f"marked {about}: {item.doc.get('state', 'told')}"] += 1  # by what it is about, not the event's id
            if item.doc.get("retold"):  # taken over from a run that stopped: told at least once, by contract
                finding = item.doc.get("finding")
                level = "bloquant :" if finding and finding["level"] == "blocking" else "réserve :"
                repeatable.add(
                    f"told {level} {finding['message'][:40]}" if finding else f"told {item.doc['window']['label']}"
                )
        return Effects(done, set(), repeatable)


# --- letters -------------------------------------------------------------------------------------------------------


class Letters:
    """The letters queue: a mail merge as POST /letters queues it, its PDFs stored once and a `letter` interaction in
    each printed recipient's history, once, whatever the retries."""

    name = "letters"
    people = (("Beaulieu", "7 place de la Madeleine"), ("Dupont", "12 rue des Carmes"), ("Martin", None))

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._contacts: dict[str, dict[str, str]] = {}

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import contacts, letters
        from tests.support.fault_suite import queued_deliveries

        p = seed_tenant(run)
        ids = {}
        for name, street in self.people:  # the last has no address: skipped, with the reason
            address = {"lines": [street], "postcode": "76000", "city": "Rouen"} if street else None
            doc = {"kind": "person", "last_name": name, "civility": "Mme", "address": address}
            ids[name] = contacts.create(p, doc).contact_id  # type: ignore[arg-type]
        self._contacts[run] = ids
        request = {
            "contact_ids": list(ids.values()),
            "template": "voeux",
            "body": None,
            "subject": "Vœux 2027",
            "sender_function": None,
            "date": "2027-01-02",
            "labels": True,
        }
        self._ids[run] = letters.start(p, request).letter_id  # type: ignore[arg-type]
        return [d for d in queued_deliveries() if d.name == "render_letters"]

    def effects(self, run: str) -> Effects:
        import io

        from pypdf import PdfReader

        from chalicelib import aws
        from chalicelib.settings import get_settings
        from chalicelib.store import interactions as interactions_store
        from chalicelib.store import letters as letters_store

        tenant, bucket = tenant_of(run), get_settings().files_bucket
        done: Counter[str] = Counter()
        s3 = aws.client("s3")
        for listed in s3.list_objects_v2(Bucket=bucket, Prefix=f"letters/{tenant}/").get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=listed["Key"])["Body"].read()
            done[f"stored {listed['Key'].rsplit('/', 1)[1]}, {len(PdfReader(io.BytesIO(body)).pages)} page(s)"] += 1
        for name, contact_id in self._contacts[run].items():
            for interaction in interactions_store.recent_for_contact(tenant, contact_id, 50):
                done[f"{name}: {interaction.kind}"] += 1
        job = letters_store.get(tenant, self._ids[run])
        assert job is not None
        doc = job.doc
        done[f"job {job.status}, {job.done}/{job.total}, printed {doc['printed']}, skipped {len(doc['skipped'])}"] += 1
        return Effects(done)


# --- imports -------------------------------------------------------------------------------------------------------


def _drain() -> None:
    """Deliver what the queues hold, outside the faults (a set-up's background work)."""
    from tests.support.fault_suite import queued_deliveries

    while deliveries := queued_deliveries():
        for delivery in deliveries:
            delivery.run(1)


def _audit_effects(tenant: str, names: dict[str, str]) -> Counter[str]:
    """The tenant's audit entries, their resources named by `names` (generated id → what it is about)."""
    from chalicelib.store import audit as audit_store

    entries = audit_store.page(tenant, None, 1000).items
    return Counter(f"audit {e.action}:{e.resource_type}:{names.get(e.resource_id, '?')}" for e in entries)


def _import_outcome(tenant: str, import_id: str, counters: tuple[str, ...]) -> str:
    """The import's status and its counters (`counters`, the ones its kind keeps), as one effect."""
    from chalicelib.store import imports as imports_store

    job = imports_store.get(tenant, import_id)
    assert job is not None
    counts = {k: job.doc.get(k) for k in counters}
    return f"import {job.status} {counts}"


class RneImport:
    """The imports queue on an RNE file (the maires' file) as POST /imports/rne leaves it, over the people and
    mandates of an earlier release: each row's person found or created once, its mandate created, updated or left,
    the vanished one ended, each counted and audited once, whatever the chunk's redeliveries."""

    name = "rne_import"
    ci_stride = 8  # its runs are long: every eighth position in CI (every one in bench/faults.py)
    counters = ("rows", "created", "updated", "unchanged", "ended", "rejected_count")
    earlier = (
        "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE;Hélène;F;03/02/1971;33;Cadre;03/07/2020;04/07/2020",
        "76;Seine-Maritime;;;76351;Le Havre;DURAND;Paul;M;12/05/1968;;;03/07/2020;04/07/2020",
        "76;Seine-Maritime;;;76498;Montivilliers;PETIT;Jean;M;01/01/1960;;;03/07/2020;04/07/2020",
    )
    newer = (  # Rouen as it was; Le Havre's function since a later date; Montivilliers gone; Fécamp new
        "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE;Hélène;F;03/02/1971;33;Cadre;03/07/2020;04/07/2020",
        "76;Seine-Maritime;;;76351;Le Havre;DURAND;Paul;M;12/05/1968;;;03/07/2020;11/07/2020",
        "76;Seine-Maritime;;;76259;Fécamp;MOREAU;Anne;F;09/09/1975;;;03/07/2020;04/07/2020",
    )

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._earlier: dict[str, str] = {}

    @staticmethod
    def _file(lines: tuple[str, ...]) -> bytes:
        from chalicelib.domain.rne import HEADERS, RneFileKind

        return ("\n".join([";".join(HEADERS[RneFileKind.MAIRES]), *lines]) + "\n").encode("utf-8")

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import rne_import
        from tests.support.fault_suite import queued_deliveries

        p = seed_tenant(run)
        self._earlier[run] = rne_import.start(p, self._file(self.earlier), "maires-2023.csv", None).import_id
        _drain()  # the earlier release, imported before
        self._ids[run] = rne_import.start(p, self._file(self.newer), "maires-2024.csv", None).import_id
        return queued_deliveries()

    def effects(self, run: str) -> Effects:
        from chalicelib.store import contacts as contacts_store
        from chalicelib.store import mandates as mandates_store

        tenant = tenant_of(run)
        done: Counter[str] = Counter()
        names = {self._ids[run]: "the newer import", self._earlier[run]: "the earlier import"}
        people, _ = contacts_store.tenant_page(tenant, None, 100)
        for person in people:
            name = str(person.doc.get("last_name"))
            done[f"contact {name}"] += 1
            names[person.contact_id] = name
            for m in mandates_store.for_contact(tenant, person.contact_id):
                names[m.mandate_id] = name
                code = (m.doc.get("territory") or {}).get("code")
                done[f"{name}: {m.doc['function']} of {code}, {m.doc.get('start')}→{m.doc.get('end')}"] += 1
        done[_import_outcome(tenant, self._ids[run], self.counters)] += 1
        done.update(_audit_effects(tenant, names))
        return Effects(done)


class ContactImport:
    """The imports queue on a contact file's commit, as POST /imports/{id}/commit leaves it after the analysis: each
    row's contact created (with its consents) or merged once, a row repeating an earlier one finds what it became,
    a bad row rejected; counted and audited once, whatever the chunks' redeliveries."""

    name = "contact_import"
    ci_stride = 8  # its runs are long: every eighth position in CI (every one in bench/faults.py)
    counters = ("rows", "created", "updated", "unchanged", "skipped", "rejected_count")
    header = "Civilité;Prénom;Nom;Courriel;Portable;Code postal;Ville;Date de naissance"

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def _file(self, tenant: str) -> bytes:
        rows = [
            f"Madame;Anne;Martin;anne@{tenant}.exemple.fr;06 12 34 56 78;76000;Rouen;03/02/1971",
            f"M.;Paul;Durand;paul@{tenant}.exemple.fr;06 98 76 54 32;76600;Le Havre;12/05/1968",  # adds a phone
            "Mme;Zoé;Leroy;;;;;31/02/1970",  # no such date: rejected
            f"Mme;Claire;Bernard;claire@{tenant}.exemple.fr;;76100;Rouen;",
            f"Madame;Anne;Martin;anne@{tenant}.exemple.fr;06 12 34 56 78;76000;Rouen;03/02/1971",  # line 2 again
        ]
        return ("\r\n".join([self.header, *rows]) + "\r\n").encode("utf-8")

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.services import contact_import, contacts
        from tests.support.fault_suite import queued_deliveries

        p = seed_tenant(run)
        tenant = p.tenant_id
        doc = {"kind": "person", "last_name": "Durand", "first_name": "Paul", "emails": [f"paul@{tenant}.exemple.fr"]}
        contacts.create(p, doc)  # type: ignore[arg-type]
        import_id = contact_import.start(p, self._file(tenant), "contacts.csv", None).import_id
        _drain()  # the analysis, then the preview a person reads
        self._ids[run] = import_id
        contact_import.commit(p, import_id, None, "merge", {})
        return queued_deliveries()

    def effects(self, run: str) -> Effects:
        from chalicelib.store import audit as audit_store
        from chalicelib.store import consents as consents_store
        from chalicelib.store import contacts as contacts_store

        tenant = tenant_of(run)
        done: Counter[str] = Counter()
        names: dict[str, str] = {}
        people, _ = contacts_store.tenant_page(tenant, None, 100)
        for person in people:
            name = str(person.doc.get("last_name"))
            names[person.contact_id] = name
            emails = [e.split("@")[0] for e in person.doc.get("emails") or []]
            done[f"contact {name} {emails} {person.doc.get('phones')}"] += 1
            for channel, consent in sorted(consents_store.for_contact(tenant, person.contact_id).items()):
                done[f"{name}: {channel} consent {consent.status} ({consent.source})"] += 1
        done[_import_outcome(tenant, self._ids[run], self.counters)] += 1
        for e in audit_store.page(tenant, None, 1000).items:
            about = sorted(names.get(i, "?") for i in (e.detail or {}).get("ids", []))
            done[f"audit {e.action}:{e.resource_type} {about}"] += 1
        return Effects(done)


SCENARIOS = (
    EmailCampaign,
    SmsCampaign,
    EventInvitations,
    Relances,
    MailEvents,
    Replies,
    AuditWriter,
    ElectoralCheck,
    Letters,
    RneImport,
    ContactImport,
)
