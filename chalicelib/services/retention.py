"""The retention policy (RGPD art. 5 § 1 e): GET/PUT /settings/retention, GET /retention/preview and the weekly run.

The preview and the run call the same selection (`select`): the contacts of the tenant in id order, a page at a
time, each judged by `domain/retention.decide`. The preview lists the actions of a page; the run goes through every
page and anonymises each contact selected (services/erasure.anonymise, without recording the erasure keys: the person
did not ask for anything), each action audited with its rule and reason, never personal data. An anonymised contact
is `erased`, hence protected: a run interrupted and started again resumes where it stopped, and a second run does
nothing more. The run acts only for tenants whose policy is enabled; the preview answers for every tenant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import erasure as erasure_rules
from chalicelib.domain import retention as rules
from chalicelib.domain.electoral import calendar
from chalicelib.domain.listing import Listing
from chalicelib.domain.time import today as today_in
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.services import audit, elections, erasure, lookup
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import cursors, tenants
from chalicelib.store import retention as store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact

logger = logging.getLogger("agora.retention")

READ = 100  # contacts judged per Query page
RUN_ACTOR = "agora-retention"


@dataclass(frozen=True)
class Selected:
    action: rules.Action
    contact: Contact


def get_policy(tenant_id: str) -> tuple[dict[str, Any], int | None]:
    stored, version = store.get_policy(tenant_id)
    return rules.policy_of(stored), version


def put_policy(p: Principal, wanted: dict[str, Any], version: int | None) -> tuple[dict[str, Any], int]:
    """Replace the tenant's policy (422 field by field; 409 when ``version`` is not the one stored)."""
    policy = rules.policy_of(wanted)
    errors = rules.check(policy, p.tenant_kind)
    election_id = policy.get("election_id")
    if election_id and not errors and election_id not in {e.id for e in elections.elections_for(p.tenant_id)}:
        errors.append({"field": "election_id", "message": "Élection inconnue (voir GET /elections)."})
    if errors:
        raise ValidationFailed(errors)
    _, stored_version = store.get_policy(p.tenant_id)
    if version != stored_version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {stored_version}."}])
    new_version = store.save_policy(p.tenant_id, policy, stored_version)
    audit.record(p, "update", "retention_policy", p.tenant_id, {"policy": policy})
    return policy, new_version


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _election_end(tenant_id: str, policy: dict[str, Any]) -> date | None:
    election_id = policy.get("election_id")
    if not election_id:
        return None
    found = next((e for e in elections.elections_for(tenant_id) if e.id == election_id), None)
    return calendar.ends(found) if found else None


def _fingerprint(tenant_id: str) -> str:
    return cursors.fingerprint(tenant_id, "retention")


def select(tenant_id: str, tenant_kind: str, cursor: str | None, limit: int, today: date) -> Listing[Selected]:
    """Up to ``limit`` contacts the policy anonymises today, in id order from ``cursor``, and the cursor after the
    last contact judged (None: the directory's end). The one selection the preview shows and the run applies."""
    policy, _ = get_policy(tenant_id)
    election_end = _election_end(tenant_id, policy)
    start = cursors.decode(
        cursor,
        _fingerprint(tenant_id),
        lambda k: k.keys() == {"tenant_id", "contact_id"} and k["tenant_id"] == tenant_id,
    )
    future = store.future_event_ids(tenant_id, now_iso())
    campaigns = store.campaign_ids(tenant_id)
    found: list[Selected] = []
    while True:
        batch, start = contacts_store.tenant_page(tenant_id, start, READ)
        judged = _judge(tenant_id, tenant_kind, batch, policy, today, election_end, future, campaigns)
        for n, (contact, action) in enumerate(judged, start=1):
            if action is not None:
                found.append(Selected(action, contact))
            if len(found) == limit:
                if n < len(batch) or start is not None:
                    return Listing(found, cursors.encode(contacts_store.tenant_key(contact), _fingerprint(tenant_id)))
                return Listing(found, None)
        if start is None:
            return Listing(found, None)


def _judge(
    tenant_id: str,
    tenant_kind: str,
    batch: list[Contact],
    policy: dict[str, Any],
    today: date,
    election_end: date | None,
    future: list[str],
    campaigns: list[str],
) -> list[tuple[Contact, rules.Action | None]]:
    """Each contact of a page with the action the policy takes on it (None: kept)."""
    live = [c for c in batch if not erasure_rules.is_erased(c.doc) and not c.doc.get("legal_hold")]
    ids = [c.contact_id for c in live]
    invited = store.invited(tenant_id, future, ids)
    tasks = store.with_open_tasks(tenant_id, [i for i in ids if i not in invited])
    candidates = [i for i in ids if i not in invited and i not in tasks]
    sent = store.last_sent(tenant_id, campaigns, candidates)
    consents = store.consents_of(tenant_id, candidates)
    exchanged = store.last_interactions(tenant_id, candidates)
    judged: list[tuple[Contact, rules.Action | None]] = []
    for contact in batch:
        cid = contact.contact_id
        granted, consent_at = consents.get(cid, (False, ""))
        dates = [contact.created_at, contact.updated_at, sent.get(cid, ""), consent_at, exchanged.get(cid, "")]
        facts = rules.Facts(
            contact_id=cid,
            created=_day(contact.created_at) or today,
            last_activity=_day(max(dates)) or today,
            consented=granted,
            exchanged=cid in exchanged,
            last_message=_day(sent.get(cid)),
            open_task=cid in tasks,
            future_invitation=cid in invited,
            legal_hold=bool(contact.doc.get("legal_hold")),
            erased=erasure_rules.is_erased(contact.doc),
        )
        judged.append((contact, rules.decide(policy, tenant_kind, facts, today, election_end)))
    return judged


def preview(p: Principal, cursor: str | None, limit: int) -> Listing[Selected]:
    """What the next run would anonymise (whether or not the policy is enabled), audited as a listing of ids."""
    listing = select(p.tenant_id, p.tenant_kind, cursor, limit, _today(p.tenant_id))
    if listing.items:
        ids = [s.contact.contact_id for s in listing.items]
        audit.record(p, "list", "contact", "retention-preview", {"ids": ids})
    return listing


def _today(tenant_id: str) -> date:
    settings = tenants.get_settings_item(tenant_id)
    return today_in((settings.data.get("timezone") if settings else None) or None)


def run_tenant(tenant_id: str, tenant_kind: str, today: date | None = None) -> int:
    """Apply the tenant's policy if it is enabled: every contact `select` returns, anonymised and audited. How many."""
    policy, _ = get_policy(tenant_id)
    if not policy["enabled"]:
        return 0
    day = today or _today(tenant_id)
    actor = Principal(tenant_id, tenant_kind, RUN_ACTOR, "", frozenset({"admin"}))
    done = 0
    cursor: str | None = None
    while True:
        listing = select(tenant_id, tenant_kind, cursor, READ, day)
        for selected in listing.items:
            contact, action = selected.contact, selected.action
            doc = contact.doc
            keyed = erasure_rules.point_keys(
                get_settings().erasure_key(), doc.get("emails") or [], doc.get("phones") or []
            )
            counts = erasure.anonymise(contact, keyed, scrub_audit=False)
            detail = {"rule": action.rule, "reason": action.reason, "anonymised": counts}
            audit.record(actor, "retention", "contact", contact.contact_id, detail)
            done += 1
        if listing.next_cursor is None:
            return done
        cursor = listing.next_cursor


def run_all(today: date | None = None) -> dict[str, int]:
    """The weekly run over every tenant; tenant id → contacts anonymised."""
    done: dict[str, int] = {}
    for kind in ("institution", "political"):
        for tenant_id in tenants.tenant_ids_of_kind(kind):
            try:
                done[tenant_id] = run_tenant(tenant_id, kind, today)
            except Exception:
                logger.exception("retention run failed for tenant %s", tenant_id)
                raise
    return done


def set_legal_hold(p: Principal, contact_id: str, hold: bool) -> Contact:
    """Set or lift the contact's legal hold (audited); an erased contact has nothing left to hold (409)."""
    contact = lookup.require(contacts_store.get, p.tenant_id, contact_id, "Contact introuvable.")
    if erasure_rules.is_erased(contact.doc):
        raise Conflict("Ce contact a été effacé : il n'y a plus rien à conserver.")
    doc: Any = {k: v for k, v in contact.doc.items() if k != "legal_hold"}
    if hold:
        doc["legal_hold"] = True
    updated = replace(contact, doc=doc, updated_at=contact.updated_at)
    if bool(contact.doc.get("legal_hold")) != hold:
        contacts_store.update(contact, updated)
    audit.record(p, "update", "contact", contact_id, {"fields": ["legal_hold"], "legal_hold": hold})
    return updated if updated.version is not None else contact
