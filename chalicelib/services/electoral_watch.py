"""The daily electoral check (EventBridge, daily; the local timer on `make run`).

The schedule fans out: one message per institution tenant (L52-1 al. 2 binds collectivités) on the electoral
queue, so the work grows with the number of tenants in parallel Lambdas, never in one run, and a tenant that fails
is retried alone (3 receives, then its dead-letter queue and alarm). For each tenant: recompute the windows of its
territory, re-assess its events of the next 90 days, and tell its communication and cabinet users by email of what
is new: a finding that is new or changed (see compliance.Finding.key), and a window opening within 30 days. Each
of these is claimed once ("notified#…", a conditional put), so two runs, or a redelivered message, never notify
the same thing twice; if the email cannot be sent the claims are removed again and the retry sends it; if the
Lambda stops between its claims and the email, the redelivery takes the claims over and sends it.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import cast

from chalicelib.domain.electoral import calendar
from chalicelib.domain.time import instant, local, utc_text
from chalicelib.domain.typography import french_date
from chalicelib.messaging import outbound, queues, templates
from chalicelib.messaging.outbound import Email
from chalicelib.services import compliance, event_messages, tenant_access
from chalicelib.store import electoral as store
from chalicelib.store import events as events_store
from chalicelib.store import tenants, users
from chalicelib.store.base import new_id
from chalicelib.store.entities import NotificationDoc, NotificationMark, WindowDoc

logger = logging.getLogger("agora.electoral")

HORIZON = timedelta(days=90)  # events re-assessed
WINDOW_NOTICE_DAYS = 30  # a window opening within this many days is announced
RECIPIENT_ROLES = frozenset({"communication", "cabinet"})


def fan_out(now: datetime | None = None) -> dict[str, int]:
    """The schedule's part: one message per institution tenant on the electoral queue (ten per SendMessageBatch
    call). A message SQS refuses fails the run visibly (alarm) rather than skip a tenant in silence."""
    moment = utc_text(now or datetime.now(UTC))
    tenant_ids = tenants.tenant_ids_of_kind("institution")
    refused = queues.send_batch("electoral", [{"tenant_id": tenant_id, "now": moment} for tenant_id in tenant_ids])
    if refused:
        skipped = [tenant_ids[n] for n in refused]
        raise RuntimeError(f"electoral fan-out: {len(refused)} message(s) refused by SQS, tenants {skipped}")
    return {"tenants": len(tenant_ids)}


def process_message(body: str) -> dict[str, int]:
    """One tenant's check, from its message; raises so that SQS delivers it again."""
    message = json.loads(body)
    now = instant(message["now"])
    if tenant_access.is_disabled(message["tenant_id"]):  # nobody may read its findings: nobody is emailed them
        logger.info("electoral check of %s: skipped, tenant disabled", message["tenant_id"])
        return {"events": 0, "findings_notified": 0, "windows_notified": 0, "emails": 0, "disabled": 1}
    result = check_tenant(message["tenant_id"], now)
    logger.info("electoral check of %s: %s", message["tenant_id"], result)
    return result


def check_tenant(tenant_id: str, now: datetime) -> dict[str, int]:
    ctx = compliance.TenantContext.load(tenant_id)
    today = local(now, ctx.zone).date()
    news_windows = [w for w in calendar.windows_for(ctx.elections, ctx.place, today) if _opens_soon(w, today)]
    window_items: list[NotificationDoc] = [
        {"key": f"window#{w.election_id}#{w.l52_1_start.isoformat()}", "window": cast(WindowDoc, w.as_json())}
        for w in news_windows
    ]
    event_items: list[NotificationDoc] = []
    assessed = 0
    for event in events_store.events_between(tenant_id, utc_text(now), utc_text(now + HORIZON)):
        doc = event.doc
        if doc.get("status") == "cancelled":
            continue
        result = compliance.assess_and_store(event, ctx, today).doc
        assessed += 1
        findings = result["findings"]
        if result.get("override") is not None:  # an admin lifted the blocking findings: warnings still matter
            findings = [f for f in findings if f["level"] != "blocking"]
        for finding in findings:
            if finding["level"] != "ok":
                event_items.append(
                    {
                        "key": f"finding#{event.event_id}#{finding['key']}",
                        "event": {"id": event.event_id, "title": doc["title"], "starts_at": doc["starts_at"]},
                        "finding": finding,
                    }
                )
    fresh_windows, fresh_findings, emails = _tell(ctx, window_items, event_items)
    return {
        "events": assessed,
        "findings_notified": len(fresh_findings) if emails else 0,
        "windows_notified": len(fresh_windows) if emails else 0,
        "emails": emails,
    }


def _tell(
    ctx: compliance.TenantContext, windows: list[NotificationDoc], findings: list[NotificationDoc]
) -> tuple[list[NotificationDoc], list[NotificationDoc], int]:
    """The news nobody told yet, claimed, then told in one digest: (windows, findings, emails sent)."""
    tenant_id = ctx.tenant_id
    claims = _Claims(tenant_id)
    try:
        claimed_windows = [w for w in windows if claims.claim(w)]
        claimed_findings = [f for f in findings if claims.claim(f)]
        # Another run (the message delivered again while this one ran) may have taken some over and told them.
        mine = {doc["key"] for doc in store.still_claimed(tenant_id, [*claimed_windows, *claimed_findings])}
    except Exception:
        claims.release()  # a claim refused or throttled: those made go back, the retry tells them
        raise
    fresh_windows = [w for w in claimed_windows if w["key"] in mine]
    fresh_findings = [f for f in claimed_findings if f["key"] in mine]
    emails = 0
    if fresh_windows or fresh_findings:
        try:
            emails = _notify(ctx, fresh_windows, fresh_findings)
        except outbound.SendOutcomeUnknown:
            # Perhaps delivered: marked told, so no redelivery tells the team twice; the log says to check.
            logger.error("electoral digest of tenant %s: outcome unknown, not resent", tenant_id)
            emails = 1
        except Exception:
            claims.release()
            raise
        if emails == 0:  # nobody to tell yet: keep the news for when someone is
            claims.release()
        else:
            store.told(tenant_id, [*fresh_windows, *fresh_findings])
    return fresh_windows, fresh_findings, emails


class _Claims:
    """The news this run claimed (state `sending`, under a claim of its own) before the digest: marked told once
    the email left, released if it could not. A Lambda that stops in between (timeout, memory) leaves them
    `sending`, and the next run, the message's redelivery, takes them over and tells them: at least once rather than
    never (L52-1 stakes); flagged `retold`, since the stopped run may have sent its email just before."""

    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self.token = new_id()
        self.made: list[NotificationDoc] = []

    def claim(self, news: NotificationDoc) -> bool:
        news["claim"] = self.token
        mark = NotificationMark(tenant_id=self.tenant_id, key=news["key"], doc={**news, "state": "sending"})
        claimed = store.mark_notified(mark)
        if claimed == "fresh":
            self.made.append(news)
        elif claimed == "retaken":
            news["retold"] = True  # kept once told: perhaps told twice, at least once
        return claimed is not None

    def release(self) -> None:
        """The fresh claims still this run's are forgotten; those retaken stay `sending`, for the next run."""
        store.unmark_notified(self.tenant_id, self.made)


def _opens_soon(window: calendar.Window, today: date) -> bool:
    return not window.active and 0 <= (window.l52_1_start - today).days <= WINDOW_NOTICE_DAYS


def recipients(tenant_id: str) -> list[str]:
    """Communication and cabinet users; the admins when the tenant has neither (someone must be told)."""
    enabled = [u for u in users.all_for(tenant_id) if u.enabled]
    chosen = [u.email for u in enabled if RECIPIENT_ROLES & set(u.roles)]
    return chosen or [u.email for u in enabled if "admin" in u.roles]


def _notify(ctx: compliance.TenantContext, windows: list[NotificationDoc], findings: list[NotificationDoc]) -> int:
    """The digest, if anyone is there to read it; returns the number of emails sent (0 or 1)."""
    tenant_id = ctx.tenant_id
    addresses = recipients(tenant_id)
    if not addresses:
        return 0
    context = {
        "tenant_name": ctx.settings.get("name") or "Votre collectivité",
        "windows": [
            {
                **w["window"],
                "start_text": french_date(date.fromisoformat(w["window"]["l52_1_start"])),
                "ends_text": french_date(date.fromisoformat(w["window"]["ends"])),
            }
            for w in windows
        ],
        "findings": [
            {
                **f,
                "when": event_messages.when_text(instant(f["event"]["starts_at"]), ctx.zone),
            }
            for f in findings
        ],
    }
    count = len(windows) + len(findings)
    subject = f"Période préélectorale : {count} point{'s' if count > 1 else ''} à vérifier"
    env = templates.files()
    text = env.get_template("emails/electoral_digest.txt").render({**context, "subject": subject})
    html = env.get_template("emails/electoral_digest.html").render({**context, "subject": subject})
    # One message to the whole team (colleagues, addresses visible to each other): it goes to all or to none, so a
    # retry after a failure never tells anyone twice.
    digest = Email(to=", ".join(addresses), subject=subject, text=text, html=html, tags={"kind": "electoral_digest"})
    outbound.send_email(tenant_id, digest)
    return 1
