"""Possible duplicate contacts: the tenant scan (a queue job), the check of a new contact, the list, dismissals.

The detection itself is domain/duplicates.py, the same code `python -m bench.dedupe` measures. Pairs are proposed,
never merged by themselves: a person decides (RGPD art. 5-1-d, accuracy, is the reason to look; merging two people
would be the worse inaccuracy).

- `request_scan` (POST /duplicates/scan) queues one message for the tenant; `process_message` (the
  `scan_duplicates` job) reads the tenant's contacts in Query pages (store/contacts.tenant_page, never a Scan),
  runs `find_pairs` over all of them and replaces the tenant's proposed pairs, leaving out dismissed ones. Running it
  twice, or a redelivered message, writes the same pairs.
- `check_new` (POST /contacts) compares a new contact with the contacts its names lead to in the name index
  (store/search_index: one Query per name prefix, capped), never with the whole tenant; what it finds is stored as
  proposed pairs too and returned with the created contact.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import duplicates as rules
from chalicelib.domain.duplicates import Pair
from chalicelib.domain.listing import Listing
from chalicelib.errors import Forbidden, NotFound, ValidationFailed
from chalicelib.messaging import queues
from chalicelib.services import audit
from chalicelib.store import contacts as contacts_store
from chalicelib.store import duplicates as store
from chalicelib.store import search_index
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact

logger = logging.getLogger("agora.duplicates")

QUEUE = "duplicates"  # the `scan_duplicates` job's queue (jobs/registry.py)
SCAN_ROLES = frozenset({"cabinet", "admin"})  # a scan reads every contact of the tenant
PAGE = 500  # contacts read per Query by the scan
PREFIX = 4  # letters of a name the check of a new contact looks up in the name index
PER_PREFIX = 100  # index entries read per prefix (one Query)
MAX_CANDIDATES = 300  # contacts compared with a new one at most (three BatchGetItem calls)


def request_scan(p: Principal) -> dict[str, str]:
    """Queue the tenant's scan (cabinet and admin: it reads the whole directory)."""
    if not p.roles & SCAN_ROLES:
        raise Forbidden("La recherche de doublons sur tout l'annuaire est réservée au cabinet et aux administrateurs.")
    at = queue_scan(p.tenant_id, p.user_id)
    audit.record(p, "scan", "duplicates", p.tenant_id)
    return {"status": "queued", "requested_at": at}


def queue_scan(tenant_id: str, by: str) -> str:
    """One scan message for the tenant (when it was asked): what an import calls once it has written its contacts,
    rather than a check per imported row. Its role then needs sqs:SendMessage on the duplicates queue."""
    at = now_iso()
    queues.send(QUEUE, {"tenant_id": tenant_id, "requested_at": at, "by": by})
    return at


def process_message(body: str) -> dict[str, int]:
    """One tenant's scan, from its message; raises so that SQS delivers it again."""
    message = json.loads(body)
    result = scan_tenant(message["tenant_id"])
    logger.info("duplicates scan of %s: %s", message["tenant_id"], result)
    return result


def _tenant_profiles(tenant_id: str) -> list[rules.Profile]:
    """Every non-archived person of the tenant as a profile, read a Query page at a time."""
    found: list[rules.Profile] = []
    start: Any = None
    while True:
        page, start = contacts_store.tenant_page(tenant_id, start, PAGE)
        found += [p for c in page if not c.archived and (p := rules.profile(c.contact_id, c.doc))]
        if not start:
            return found


def scan_tenant(tenant_id: str) -> dict[str, int]:
    """Detect the tenant's pairs and make them its proposed pairs (dismissed ones left out)."""
    profiles = _tenant_profiles(tenant_id)
    dismissed = store.dismissed(tenant_id)
    found = [pair for pair in rules.find_pairs(profiles) if (pair.a, pair.b) not in dismissed]
    changes = store.replace(tenant_id, found, now_iso())
    return {"contacts": len(profiles), "pairs": len(found), **changes}


def _prefixes(profile: rules.Profile) -> set[str]:
    """The name prefixes to look up: each surname as written with and without particles, and the first name
    (which may be the other record's last name)."""
    words = [v for s in profile.surnames for v in rules.surname_variants(s)]
    words += [profile.first.replace(" ", "")] if profile.first else []
    return {w[:PREFIX] for w in words if len(w) >= 2}


def _candidates(tenant_id: str, profile: rules.Profile) -> list[rules.Profile]:
    ids: dict[str, None] = {}
    for prefix in sorted(_prefixes(profile)):
        entries, _ = search_index.probe_word(tenant_id, prefix, False, PER_PREFIX)
        ids.update((e.contact_id, None) for e in entries if e.contact_id != profile.ref and e.kind == "person")
    chosen = list(ids)[:MAX_CANDIDATES]
    others = contacts_store.batch_get(tenant_id, chosen)
    return [p for c in others.values() if not c.archived and (p := rules.profile(c.contact_id, c.doc))]


def check_new(p: Principal, contact: Contact) -> list[tuple[str, float]]:
    """(other contact id, score) of the possible duplicates of a contact just created, best first; stored as
    proposed pairs. Advisory: a failure is logged and answers nothing, the contact being created already."""
    profile = rules.profile(contact.contact_id, contact.doc)
    if profile is None:
        return []
    try:
        found = rules.candidates(profile, _candidates(p.tenant_id, profile))
        if found:
            store.add(p.tenant_id, found, now_iso())
    except Exception:  # the contact exists: a 500 now would make the client create it again
        logger.exception("duplicate check of new contact %s failed", contact.contact_id)
        return []
    return [(pair.b if pair.a == contact.contact_id else pair.a, pair.score) for pair in found]


def list_pairs(p: Principal, cursor: str | None, limit: int) -> Listing[Pair]:
    """A page of proposed pairs; pairs naming a contact deleted since are dropped (and forgotten), archived ones
    skipped."""
    page = store.page(p.tenant_id, cursor, limit)
    ids = {i for pair in page.items for i in (pair.a, pair.b)}
    found = contacts_store.batch_get(p.tenant_id, ids) if ids else {}
    gone = [(pair.a, pair.b) for pair in page.items if pair.a not in found or pair.b not in found]
    if gone:
        store.delete_pairs(p.tenant_id, gone)
    kept = [
        pair
        for pair in page.items
        if pair.a in found and pair.b in found and not (found[pair.a].archived or found[pair.b].archived)
    ]
    return Listing(kept, page.next_cursor)


def dismiss(p: Principal, contact_ids: list[str]) -> tuple[str, str]:
    """Remember that two contacts are two people: the pair is dropped now and never proposed again."""
    a, b = sorted(contact_ids)
    if a == b:
        raise ValidationFailed([{"field": "contact_ids", "message": "Indiquez deux contacts différents."}])
    found = contacts_store.batch_get(p.tenant_id, (a, b))
    missing = [i for i in (a, b) if i not in found]
    if missing:
        raise NotFound(
            "Contact introuvable.", [{"field": "contact_ids", "message": f"Contact introuvable : {missing[0]}."}]
        )
    at = now_iso()
    store.dismiss(p.tenant_id, a, b, {"by": p.user_id, "email": p.email or None}, at)
    audit.record(p, "dismiss", "duplicates", f"{a}#{b}")
    return a, b
