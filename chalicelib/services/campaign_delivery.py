"""Sending a campaign: the campaigns queue's work, in two kinds of messages.

- `plan`: who receives it. The segment is evaluated now (or the contacts named are read), each contact's email
  consent and suppression are read in batches, domain/campaigns.plan decides recipients and reasons, and one
  message item per contact is written (`queued` or `skipped`), then the recipients go out in chunks. The plan is
  marked done before its chunks are queued: a redelivered plan queues the chunks again and rewrites nothing (a
  rewrite could put back `queued` on a message already sent).
- `chunk`: up to CHUNK recipients, under a key derived from their place in the plan. The chunk is marked (a
  conditional PutItem of its key) before SES is called: a redelivered chunk finds the mark and sends nothing, so
  whatever the redeliveries a recipient gets at most one message; what a worker that died left `queued` was
  perhaps sent: it becomes `unknown`, never resent. Sends are paced at the worker's share of the account's rate;
  outcomes are written RECORD_EVERY at a time, each only while still `queued`, in one transaction with the
  campaign's counters (a worker that dies between the two cannot leave counters that never add up); after each
  chunk, delivered again or not, a campaign whose outcomes are all counted is marked `sent`. When SES still
  throttles (or cannot be
  reached), the rest of the chunk goes back on the queue as a chunk of its own, with a growing delay.
  A mark per chunk rather than per message: one write per fifty recipients instead of one each, so that a
  campaign costs little more than its SES calls (bench/campaign.py).

A body that breaks a rendering bound with a recipient's data fails the whole campaign at once (the body is the
same for all); an unexpected error is retried by SQS, and the last delivery of a plan marks the campaign `failed`.

SMS campaigns take the same path: the plan reads each contact's mobile (E.164) and SMS consent, and SNS's own
opt-out list once (`suppressed`); a chunk maps its recipients' short opt-out links, then publishes one SMS each
(SNS Publish, the tenant's sender ID, Promotional), under the same mark. A chunk that finds itself outside the
tenant's sending hours (domain/quiet_hours.py) is queued again, unmarked, for when they open (in steps of at most
SQS's 15 minutes), so that no SMS leaves at night, on a Sunday or on a public holiday.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from chalicelib import observability
from chalicelib.auth import Principal
from chalicelib.domain import campaigns as rules
from chalicelib.domain import quiet_hours
from chalicelib.domain import time as clock
from chalicelib.domain.protocol import address_forms as forms
from chalicelib.errors import NotFound
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import outbound, queues, send_rate, sms_opt_outs, templates
from chalicelib.messaging.bounded import RenderLimitExceeded
from chalicelib.messaging.outbound import Email
from chalicelib.services import campaign_mail, campaign_sms, replies, segments, sms_links
from chalicelib.services.address_forms import rank_of, signatory_function
from chalicelib.services.event_messages import mobile_of
from chalicelib.services.protocol import person_of, territory_label
from chalicelib.store import campaigns as store
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import mandates as mandates_store
from chalicelib.store import messages as messages_store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Campaign, CampaignMessage, Contact, Mandate

logger = logging.getLogger("agora.campaigns")
_T = TypeVar("_T")  # what a channel composes: an Email, an SMS text

QUEUE = "campaigns"
JOB = queue_job("send_campaigns")
CHUNK = 50  # recipients per queue message: a chunk at SES's lowest production rate (14/s) takes under 4 s
RECORD_EVERY = 25  # outcomes recorded together (one transaction): a worker that dies leaves at most these unknown
READ_BATCH = 100  # contacts whose consents and suppressions are read together
DEFER_SECONDS = (15, 30, 60, 120, 300, 600, 900)  # throttled again and again: wait longer, up to SQS's maximum
INTERRUPTED = "Envoi interrompu : le message est peut-être parti ; il n'est pas renvoyé."
GONE = "Contact supprimé, archivé ou effacé depuis la préparation."
SNS_OPT_OUT = "sns_opt_out"  # a number on SNS's own opt-out list: counted as `suppressed`


def process_message(body: str, attempt: int = 1) -> None:
    message = json.loads(body)
    kind = message.get("kind")
    if kind == "plan":
        plan(message["tenant_id"], message["campaign_id"], attempt=attempt)
    elif kind == "chunk":
        send_chunk(
            message["tenant_id"],
            message["campaign_id"],
            message["key"],
            message["contact_ids"],
            message.get("deferrals", 0),
            message.get("recipients"),
        )
    else:
        logger.warning("campaigns queue: unknown message kind %r skipped", kind)


# --- plan ---------------------------------------------------------------------------------------------------------


def _principal(campaign: Campaign) -> Principal:
    return Principal.from_requester(campaign.tenant_id, campaign.doc.get("sent_by") or campaign.doc["by"])


def _audience(p: Principal, campaign: Campaign) -> Iterator[tuple[str, Contact | None]]:
    """(contact id, contact or None if deleted since), in the order they are planned."""
    content = campaign.doc["content"]
    if content["segment_id"] is not None:
        for contact in segments.members(p, segments.load(p, content["segment_id"])):
            yield contact.contact_id, contact
        return
    ids = list(dict.fromkeys(content["contact_ids"] or []))
    for start in range(0, len(ids), READ_BATCH):
        part = ids[start : start + READ_BATCH]
        found = contacts_store.batch_get(p.tenant_id, part)
        yield from ((cid, found.get(cid)) for cid in part)


def _batches(items: Iterator[tuple[str, Contact | None]], size: int) -> Iterator[list[tuple[str, Contact | None]]]:
    batch: list[tuple[str, Contact | None]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _address(contact: Contact | None, channel: str) -> str | None:
    """The contact's first email address, or its mobile number (E.164) for SMS; none for an archived contact."""
    if contact is None or contact.doc.get("archived"):
        return None
    if channel == "sms":
        return mobile_of(contact.doc)
    emails = contact.doc.get("emails") or []
    return emails[0].strip() if emails else None


def _candidates(
    tenant_id: str,
    batch: list[tuple[str, Contact | None]],
    channel: str,
    opted_out: frozenset[str],
    topic: str | None = None,
) -> list[rules.Candidate]:
    """The batch's contacts with their consent on the channel and their suppression (email: the tenant's list;
    SMS: SNS's opt-out list, read once per campaign), and for an email campaign of a series the topics they
    declined: a few batch reads for the whole batch."""
    ids = [cid for cid, _ in batch]
    addresses = {cid: _address(c, channel) for cid, c in batch}
    recorded = consents_store.on_channel(tenant_id, channel, ids)
    if channel == "email":
        found = consents_store.suppressed(tenant_id, [a for a in addresses.values() if a])
        blocked = {address: s.reason for address, s in found.items()}
    else:
        blocked = {a: SNS_OPT_OUT for a in addresses.values() if a and a in opted_out}
    declined = consents_store.declined_topics(tenant_id, ids) if topic and channel == "email" else {}
    out = []
    for cid in ids:
        address = addresses[cid]
        consent = recorded.get(cid)
        out.append(
            rules.Candidate(
                contact_id=cid,
                address=address,
                consent_status=consent.status if consent else None,
                consent_source=consent.source if consent else None,
                suppression=blocked.get(rules.address_key(address, channel)) if address else None,
                declined_topics=frozenset(declined.get(cid, ())),
            )
        )
    return out


def _appels(p: Principal, contacts: dict[str, Contact], on: date) -> dict[str, str]:
    """Each recipient's formule d'appel, from the protocol rules (the tenant's mandates read once)."""
    held: dict[str, list[Mandate]] = {}
    for m in mandates_store.all_of_tenant(p.tenant_id):
        if m.contact_id in contacts:
            held.setdefault(m.contact_id, []).append(m)
    sender = signatory_function(p)
    return {
        cid: forms.address_forms(
            person_of(c, held.get(cid, [])), on, sender, territory_label, None, rank_of=rank_of
        ).appel
        for cid, c in contacts.items()
    }


def plan(tenant_id: str, campaign_id: str, *, attempt: int = 1) -> None:
    campaign = store.get(tenant_id, campaign_id, consistent=True)
    if campaign is None or campaign.status != "sending":
        return  # cancelled, or redelivered after it finished
    if campaign.doc.get("planned"):  # the same chunks as the first time: their marks keep them from sending twice
        planned = [m for m in messages_store.of_campaign(tenant_id, campaign_id) if m.status != "skipped"]
        _queue_chunks(campaign, planned)
        return
    try:
        _plan(campaign)
    except NotFound as exc:  # the segment was deleted since: no retry will find it
        _fail(campaign, f"La campagne ne peut pas partir : {exc}")
    except Exception as exc:
        logger.exception("campaign %s: planning failed (attempt %s)", campaign_id, attempt)
        if attempt < JOB.max_receive_count:
            raise  # SQS delivers it again; nothing was sent
        _fail(campaign, f"La préparation de la campagne a échoué ({type(exc).__name__}) : relancez-la.")


@dataclass
class Decided:
    """Who receives a campaign and who is left out, with each recipient's formule d'appel when the body uses it,
    and (when asked) each recipient's contact, for a preview to render their texts."""

    plan: rules.Plan
    appels: dict[str, str]
    contacts: dict[str, Contact | None] = field(default_factory=dict)


def decide(campaign: Campaign, *, keep_contacts: bool = False) -> Decided:
    """Plan the campaign's recipients as now (segment evaluated, consents read, SNS's opt-out list for SMS); writes
    nothing. `keep_contacts` keeps the recipients' contacts (a preview renders each text)."""
    p = _principal(campaign)
    channel = campaign.channel
    if channel == "sms":
        sms_prepared = campaign_sms.prepare(campaign)
        variables, on = sms_prepared.variables, sms_prepared.on
        opted_out = sms_opt_outs.opted_out_numbers()
    else:
        mail_prepared = campaign_mail.prepare(campaign, p.tenant_kind)
        variables, on = mail_prepared.variables, mail_prepared.on
        opted_out = frozenset()
    wants_appel = "formule_appel" in variables
    decided = rules.Plan()
    taken: dict[str, str] = {}
    kept: dict[str, Contact] = {}
    topic = campaign.doc["content"]["series"]
    for batch in _batches(_audience(p, campaign), READ_BATCH):
        part = rules.plan(_candidates(p.tenant_id, batch, channel, opted_out, topic), p.tenant_kind, channel, topic)
        for cid, address in part.recipients.items():  # duplicates across batches: the first contact keeps it
            key = rules.address_key(address, channel)
            if key in taken or cid in decided.recipients:
                decided.skipped.setdefault(cid, "duplicate_address")
            else:
                taken[key] = cid
                decided.recipients[cid] = address
        for cid, reason in part.skipped.items():
            if cid not in decided.recipients:
                decided.skipped.setdefault(cid, reason)
        if wants_appel or keep_contacts:
            kept.update((cid, c) for cid, c in batch if c is not None and cid in decided.recipients)
    appels = _appels(p, kept, on) if wants_appel else {}
    contacts = {cid: kept.get(cid) for cid in decided.recipients} if keep_contacts else {}
    return Decided(plan=decided, appels=appels, contacts=contacts)


def _plan(campaign: Campaign) -> None:
    p = _principal(campaign)
    result = decide(campaign)
    decided, appels = result.plan, result.appels
    queued = [
        CampaignMessage(
            tenant_id=p.tenant_id,
            campaign_id=campaign.campaign_id,
            contact_id=cid,
            status="queued",
            address=address,
            appel=appels.get(cid),
        )
        for cid, address in decided.recipients.items()
    ]
    skipped = [
        CampaignMessage(
            tenant_id=p.tenant_id, campaign_id=campaign.campaign_id, contact_id=cid, status="skipped", reason=reason
        )
        for cid, reason in decided.skipped.items()
    ]
    messages_store.write_planned(queued + skipped)
    campaign.recipients = len(decided.recipients)
    campaign.doc = {**campaign.doc, "skipped": decided.counts(), "planned": True}
    # One reply address for the campaign: a reply is matched to its recipient by In-Reply-To (SES's id of the
    # message, in the messages' by-provider-id index) or by its sender, never by one stored address per message.
    reply_to = (
        replies.reply_to(campaign.tenant_id, contact_id=None, source="campaign", ref=campaign.campaign_id)
        if campaign.channel == "email"
        else None
    )
    if reply_to:
        campaign.doc["reply_to"] = reply_to
    campaign.updated_at = now_iso()
    if not store.save_if(campaign, status="sending", recipients=True):
        return  # cancelled while planning: nothing is queued
    if not decided.recipients:
        store.finish(campaign, finished_at=now_iso())
        return
    _queue_chunks(campaign, queued)


def _carried(messages: Sequence[CampaignMessage]) -> dict[str, list[str | None]]:
    """What a chunk carries of each queued message (its address and formule d'appel, as the plan wrote them), so
    that the chunk need not read them back: on its first delivery they are exactly what is stored."""
    return {m.contact_id: [m.address, m.appel] for m in messages}


def _queue_chunks(campaign: Campaign, recipients: Sequence[CampaignMessage]) -> None:
    """The recipients in chunks of CHUNK, in contact id order, keyed by their place: the same recipients always
    make the same chunks, so a redelivered plan queues chunks whose marks already exist."""
    ordered = sorted(recipients, key=lambda m: m.contact_id)
    bodies = [
        {
            "kind": "chunk",
            "tenant_id": campaign.tenant_id,
            "campaign_id": campaign.campaign_id,
            "key": f"{start // CHUNK:05d}",
            "contact_ids": [m.contact_id for m in ordered[start : start + CHUNK]],
            "recipients": _carried(ordered[start : start + CHUNK]),
        }
        for start in range(0, len(ordered), CHUNK)
    ]
    refused = queues.send_batch(QUEUE, bodies)
    if refused:  # SQS refused some: the plan's redelivery queues every chunk still queued
        raise RuntimeError(f"SQS refused {len(refused)} chunk(s) of campaign {campaign.campaign_id}")


def _fail(campaign: Campaign, error: str) -> None:
    stored = store.get(campaign.tenant_id, campaign.campaign_id, consistent=True)
    if stored is None or stored.status != "sending":
        return
    stored.status = "failed"
    stored.doc = {**stored.doc, "error": error}
    stored.updated_at = now_iso()
    store.save_if(stored, status="sending")


# --- chunks -------------------------------------------------------------------------------------------------------


class _Stop(Exception):
    """The body broke a rendering bound: the campaign stops for good."""


def send_chunk(
    tenant_id: str,
    campaign_id: str,
    key: str,
    contact_ids: list[str],
    deferrals: int = 0,
    carried: dict[str, list[str | None]] | None = None,
) -> None:
    """Send one chunk. `carried` is what the chunk's body carries of its messages (a chunk queued before it did
    carries nothing: its messages are read)."""
    campaign = store.get(tenant_id, campaign_id, consistent=True)
    if campaign is None or campaign.status != "sending":
        return  # cancelled, failed: what is still queued stays so
    sms_prepared = campaign_sms.prepare(campaign) if campaign.channel == "sms" else None
    if sms_prepared is not None and _held(campaign, sms_prepared.hours, key, contact_ids, deferrals, carried):
        return
    if not messages_store.mark_chunk(tenant_id, campaign_id, key):
        # Delivered before: a worker took this chunk and died before recording every outcome. What it left
        # `queued` was perhaps sent: unknown, never sent again.
        queued = _queued(tenant_id, campaign_id, contact_ids)
        for m in queued:
            _outcome(m, "unknown", reason=INTERRUPTED)
        _record(campaign, queued)
        _finish_if_done(campaign)
        return
    if carried is not None and set(carried) == set(contact_ids):
        # First delivery: nothing but this chunk writes its messages, which are still as the plan wrote them.
        queued = [
            CampaignMessage(
                tenant_id=tenant_id,
                campaign_id=campaign_id,
                contact_id=cid,
                status="queued",
                address=carried[cid][0],
                appel=carried[cid][1],
            )
            for cid in contact_ids
        ]
    else:
        queued = _queued(tenant_id, campaign_id, contact_ids)
    done: list[CampaignMessage] = []
    try:
        if sms_prepared is not None:
            _send_sms(campaign, sms_prepared, key, queued, deferrals, done)
        else:
            _send(campaign, key, queued, deferrals, done)
    except _Stop as stop:
        _fail(campaign, str(stop))
    finally:  # whatever happened, what was sent is recorded and counted
        _record(campaign, done)
    _finish_if_done(campaign)


def _queued(tenant_id: str, campaign_id: str, contact_ids: list[str]) -> list[CampaignMessage]:
    found = messages_store.batch_get(tenant_id, campaign_id, contact_ids)
    return [found[cid] for cid in contact_ids if cid in found and found[cid].status == "queued"]


def _record(campaign: Campaign, done: list[CampaignMessage]) -> None:
    """The outcomes and the counters, together (store/messages.record_outcomes), RECORD_EVERY at a time."""
    for start in range(0, len(done), RECORD_EVERY):
        messages_store.record_outcomes(campaign.tenant_id, campaign.campaign_id, done[start : start + RECORD_EVERY])
    _count(campaign.channel, done)


def _count(channel: str, done: list[CampaignMessage]) -> None:
    """The recorded outcomes as metrics (observability.py): counts by channel and outcome, nothing about whom."""
    sent = sum(1 for m in done if m.status == "sent")
    failed = sum(1 for m in done if m.status == "failed")
    observability.count("SmsSent" if channel == "sms" else "EmailsSent", sent)
    observability.count("SmsFailed" if channel == "sms" else "EmailsFailed", failed)
    observability.count("SendsUnknown", sum(1 for m in done if m.status == "unknown"))


def _send(
    campaign: Campaign, key: str, todo: list[CampaignMessage], deferrals: int, done: list[CampaignMessage]
) -> None:
    """Send to each message, adding to ``done`` those given an outcome (recorded every RECORD_EVERY, so that a
    worker that dies leaves few unknown); when SES throttles, the rest is deferred as a chunk of its own."""
    if not todo:
        return
    p = _principal(campaign)
    prepared = campaign_mail.prepare(campaign, p.tenant_kind)
    shown = _shown(campaign.tenant_id, todo)
    sources = (
        {cid: c.source for cid, c in consents_store.on_channel(campaign.tenant_id, "email", list(shown)).items()}
        if p.tenant_kind == "political"
        else {}
    )
    pace = send_rate.pacer(JOB.max_concurrency or 1)
    for index, m in enumerate(todo):
        if len(done) == RECORD_EVERY:
            _record(campaign, done)
            done.clear()
        email = _compose(prepared, m, shown.get(m.contact_id), sources.get(m.contact_id))
        if email is not None:
            pace.wait()
            if not _deliver(campaign, email, m):
                _defer(campaign, key, todo[index:], deferrals)
                return
        done.append(m)


def _gone(m: CampaignMessage) -> None:
    """The recipient left since the plan: deleted, archived, or erased (RGPD art. 17; an erased contact is archived).
    Their message fails without its address and salutation, which an erasure removed and the chunk, carrying them,
    must not write back."""
    _outcome(m, "failed", reason=GONE)
    m.address, m.appel = None, None


def _shown(tenant_id: str, todo: list[CampaignMessage]) -> dict[str, dict[str, Any]]:
    """Of each recipient's record, what the body may show and whether it was archived since the plan: nothing
    more leaves the table for a send."""
    return contacts_store.fields_of(tenant_id, [m.contact_id for m in todo], (*rules.SHOWN_FIELDS, "archived"))


def _composed(
    m: CampaignMessage, shown: dict[str, Any] | None, compose: Callable[[str, dict[str, Any]], _T]
) -> _T | None:
    """``compose(address, shown)``: the recipient's message, or None with the message failed (its contact gone,
    its data not fitting the body); _Stop when the body breaks a bound (it would for everybody). `shown`: `_shown`'s
    fields of the contact."""
    if shown is None or m.address is None or shown.get("archived"):
        _gone(m)
        return None
    try:
        return compose(m.address, shown)
    except RenderLimitExceeded as exc:
        raise _Stop(f"Campagne arrêtée au contact {m.contact_id} : {exc.message} Corrigez le modèle.") from exc
    except templates.RENDER_ERRORS as exc:
        _outcome(m, "failed", reason=f"Le modèle ne s'applique pas à ce contact : {exc}.")
        return None


def _delivered(m: CampaignMessage, send: Callable[[], str]) -> bool:
    """Call the provider and record the outcome on the message; False, nothing sent, when it says « not now »."""
    try:
        message_id = send()
    except outbound.SendOutcomeUnknown as exc:
        _outcome(m, "unknown", reason=str(exc)[:300])
    except Exception as exc:
        if outbound.not_sent_yet(exc):
            return False
        _outcome(m, "failed", reason=outbound.refusal(exc))
    else:
        _outcome(m, "sent", message_id=message_id)
    return True


def _compose(
    prepared: campaign_mail.Prepared, m: CampaignMessage, shown: dict[str, Any] | None, consent_source: str | None
) -> Email | None:
    """The recipient's email (see `_composed`)."""
    return _composed(
        m,
        shown,
        lambda address, fields: campaign_mail.compose(
            prepared,
            to=address,
            contact_id=m.contact_id,
            contact_doc=fields,
            appel=m.appel,
            consent_source=consent_source,
        ),
    )


def _deliver(campaign: Campaign, email: Email, m: CampaignMessage) -> bool:
    """Send through SES (see `_delivered`)."""
    return _delivered(m, lambda: outbound.send_email(campaign.tenant_id, email))


# --- SMS ----------------------------------------------------------------------------------------------------------


def _held(
    campaign: Campaign,
    hours: quiet_hours.SendingHours,
    key: str,
    contact_ids: list[str],
    deferrals: int,
    carried: dict[str, list[str | None]] | None,
) -> bool:
    """Outside the sending hours: the chunk, unmarked, comes back when they open (at most 15 minutes later, SQS's
    limit: a long night is waited out in several steps). True when held."""
    moment = clock.now()
    opens = quiet_hours.next_allowed(moment, hours)
    if opens <= moment:
        return False
    delay = min(queues.MAX_DELAY, max(1, math.ceil((opens - moment).total_seconds())))
    logger.info("campaign %s: chunk %s held %d s for the sending hours", campaign.campaign_id, key, delay)
    body = {
        "kind": "chunk",
        "tenant_id": campaign.tenant_id,
        "campaign_id": campaign.campaign_id,
        "key": key,
        "contact_ids": contact_ids,
        "deferrals": deferrals,
        **({"recipients": carried} if carried is not None else {}),
    }
    queues.send(QUEUE, body, delay_seconds=delay)
    return True


def _send_sms(
    campaign: Campaign,
    prepared: campaign_sms.Prepared,
    key: str,
    todo: list[CampaignMessage],
    deferrals: int,
    done: list[CampaignMessage],
) -> None:
    """As `_send`, one SNS Publish per recipient; the recipients' short links are mapped first (one batch write),
    so that every link sent resolves."""
    if not todo:
        return
    shown = _shown(campaign.tenant_id, todo)
    sms_links.record(campaign.tenant_id, [m.contact_id for m in todo if m.contact_id in shown])
    for index, m in enumerate(todo):
        if len(done) == RECORD_EVERY:
            _record(campaign, done)
            done.clear()
        text = _compose_sms(prepared, m, shown.get(m.contact_id))
        if text is not None and not _deliver_sms(campaign, prepared, text, m):
            _defer(campaign, key, todo[index:], deferrals)
            return
        done.append(m)


def _compose_sms(prepared: campaign_sms.Prepared, m: CampaignMessage, shown: dict[str, Any] | None) -> str | None:
    return _composed(m, shown, lambda _, fields: campaign_sms.compose(prepared, m.contact_id, fields, m.appel))


def _deliver_sms(campaign: Campaign, prepared: campaign_sms.Prepared, text: str, m: CampaignMessage) -> bool:
    """Publish through SNS (its message id in the provider id; see `_delivered`)."""
    address = m.address
    assert address is not None
    return _delivered(
        m,
        lambda: outbound.send_sms(
            campaign.tenant_id, address, text, sender_id=prepared.sender_id, message_type=prepared.message_type
        ),
    )


def _outcome(m: CampaignMessage, status: Any, *, reason: str | None = None, message_id: str | None = None) -> None:
    m.status, m.reason, m.ses_message_id = status, reason, message_id
    if status == "sent":
        m.sent_at = now_iso()


def _defer(campaign: Campaign, key: str, rest: list[CampaignMessage], deferrals: int) -> None:
    """SES throttles (or cannot be reached) even after the retries: the rest, still `queued`, comes again later as
    a chunk of its own (its key derived from this one's: a redelivery of this chunk queues the same), each time
    later still."""
    delay = DEFER_SECONDS[min(deferrals, len(DEFER_SECONDS) - 1)]
    logger.warning("campaign %s: %d sends deferred by %d s", campaign.campaign_id, len(rest), delay)
    queues.send(
        QUEUE,
        {
            "kind": "chunk",
            "tenant_id": campaign.tenant_id,
            "campaign_id": campaign.campaign_id,
            "key": f"{key}.{deferrals + 1}",
            "contact_ids": [m.contact_id for m in rest],
            "recipients": _carried(rest),
            "deferrals": deferrals + 1,
        },
        delay_seconds=delay,
    )


def _finish_if_done(campaign: Campaign) -> None:
    """sending → sent once every recipient's outcome is counted. Asked after every chunk, whatever it did: the
    chunk delivered again after a worker died between its last outcomes and this question finishes the campaign."""
    now = store.get(campaign.tenant_id, campaign.campaign_id, consistent=True)
    if now is not None and now.status == "sending" and now.sent + now.failed + now.unknown >= now.recipients:
        store.finish(now, finished_at=now_iso())


# --- scheduled campaigns ------------------------------------------------------------------------------------------


def start_due(until: str | None = None) -> int:
    """Start the scheduled campaigns whose time has come (every tenant's); how many started."""
    started = 0
    for campaign in store.due(until or now_iso()):
        campaign.status = "sending"
        campaign.doc = {**campaign.doc, "started_at": now_iso()}
        campaign.updated_at = now_iso()
        if store.save_if(campaign, status="scheduled"):  # a cancel or another run got there first: not started
            queues.send(QUEUE, {"kind": "plan", "tenant_id": campaign.tenant_id, "campaign_id": campaign.campaign_id})
            started += 1
    return started
