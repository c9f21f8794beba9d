"""Merging duplicate contacts into one (POST /duplicates/merge) and undoing it (POST /duplicates/merges/{id}/undo).

A person decides a merge (cabinet, admin): a wrong one mixes two people's data, the worse inaccuracy (RGPD art.
5-1-d), hence an undo for `domain/merges.UNDO_DAYS` days, from a snapshot kept in the merge record.

Merge, in this order (each step a write that holds or fails whole; the record says what was planned):
1. the merge record, status `running`: the merged contacts whole, the kept record's fields before and after, the
   consents of all of them, and the records to move (kind, old key, new key) — read as the right of access reads
   them (store/person_records.py);
2. the kept contact's fields (domain/merges.merged_doc), under the version read: 409 if it changed meanwhile;
3. the merged contacts deleted (with their index entries), each leaving a forwarding address, so that
   GET /contacts/{merged id} answers 404 naming the contact they went to, and the pairs naming them leave
   GET /duplicates (services/duplicates.list_pairs drops pairs naming a contact that is gone);
4. every record moved, one transaction each (store/merges.py); one that cannot move (the kept contact is invited
   to the same event, has a message in the same campaign) stays with the merged contact's id, listed in
   `not_moved`, and comes back with it on undo;
5. consents: on each channel the most protective recorded status wins (domain/consent.PROTECTION); the kept
   contact's consent is rewritten when another record's wins (its former state added to its history), the merged
   contacts' consents are deleted (kept in the record). A channel no record speaks of stays unrecorded: an absent
   consent is not a refusal. Suppressions are by address and stay as they are;
6. an interaction « merge » in the kept contact's history, an audit entry naming every id, status `done`.
A failure midway leaves the record `running` with its plan: what moved is under the kept id, the rest under the
merged ids; nothing is lost, and `resume` runs steps 2 to 6 again (a move done already is found done). A running
merge cannot be undone before it is resumed.

Letters: each letter printed is a `letter` interaction of its recipient, and moves with the interactions; the letter
job itself (a print run, naming its recipients in its request) is history and stays as printed. Not moved either:
the engagement summary of campaign messages (`~eng#{contact}`, opens and clicks, rebuilt by the next events) and
the references other contacts hold to a merged one (`partner_contact_id`, affiliations to a merged organisation),
which a user re-points by hand.

Audit entries are not rewritten: an audit trail that a merge could edit would prove nothing (art. 5-2). The merge's
own entry names every id (`detail.ids`), so that the right of access of the kept contact finds it.

Undo (status `done`, within 30 days; else 409): the merged contacts recreated as they were, their forwarding
addresses removed, every moved record moved back, the kept contact's filled fields and tags emptied again unless
changed since (domain/merges.unmerged_doc), consents restored. Decision on records changed after the merge: they go
back all the same, since they are the person's whose record is restored; a record that cannot go back (deleted
since, or its former key taken) stays with the kept contact and is listed in `stayed`. A consent recorded on the
kept contact after the merge is the person's latest word: it stays, and the restored contacts get it too, instead
of their former state.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import consent as consent_rules
from chalicelib.domain import merges as rules
from chalicelib.domain import time as clock
from chalicelib.domain.time import instant
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.services import audit, lookup
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import interactions as interactions_store
from chalicelib.store import merges as store
from chalicelib.store.base import new_id
from chalicelib.store.entities import (
    Consent,
    ConsentChangeDoc,
    Contact,
    ContactDoc,
    Interaction,
    MergeDoc,
    MergeRecord,
    MovedRecordDoc,
)

ROLES = frozenset({"cabinet", "admin"})
FORBIDDEN = "La fusion de contacts est réservée au cabinet et aux administrateurs."
NOT_FOUND = "Fusion introuvable."


def _iso(moment: Any) -> str:
    return str(moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


def _require(p: Principal) -> None:
    if not p.roles & ROLES:
        raise Forbidden(FORBIDDEN)


def _checked_ids(keep_id: str, merge_ids: list[str]) -> list[str]:
    ids = list(dict.fromkeys(merge_ids))
    if not ids:
        raise ValidationFailed([{"field": "merge_ids", "message": "Indiquez au moins un contact à fusionner."}])
    if len(ids) > rules.MAX_MERGED:
        message = f"Fusionnez au plus {rules.MAX_MERGED} contacts à la fois."
        raise ValidationFailed([{"field": "merge_ids", "message": message}])
    if keep_id in ids:
        message = "Le contact conservé ne peut pas figurer parmi les contacts fusionnés."
        raise ValidationFailed([{"field": "merge_ids", "message": message}])
    return ids


def _load(p: Principal, keep_id: str, ids: list[str]) -> tuple[Contact, list[Contact]]:
    found = contacts_store.batch_get(p.tenant_id, [keep_id, *ids])
    if keep_id not in found:
        raise NotFound("Contact introuvable.", [{"field": "keep_id", "message": f"Contact introuvable : {keep_id}."}])
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(
            "Contact introuvable.", [{"field": "merge_ids", "message": f"Contact introuvable : {missing[0]}."}]
        )
    keep, merged = found[keep_id], [found[i] for i in ids]
    if any(m.doc.get("kind", "person") != keep.doc.get("kind", "person") for m in merged):
        message = "Une personne et une organisation ne peuvent pas être fusionnées."
        raise ValidationFailed([{"field": "merge_ids", "message": message}])
    return keep, merged


def _consents_of(tenant_id: str, contact_ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        cid: {channel: asdict(c) for channel, c in consents_store.for_contact(tenant_id, cid).items()}
        for cid in contact_ids
    }


def merge(p: Principal, keep_id: str, merge_ids: list[str]) -> tuple[MergeRecord, Contact]:
    """Merge `merge_ids` into `keep_id` (see the module's docstring): the merge record and the kept contact."""
    _require(p)
    ids = _checked_ids(keep_id, merge_ids)
    keep, merged = _load(p, keep_id, ids)
    at = _iso(clock.now())
    keep_after = rules.merged_doc(keep.doc, [m.doc for m in merged])
    planned: list[MovedRecordDoc] = [
        MovedRecordDoc(
            kind=kind, contact_id=m.contact_id, old_key=key, new_key=store.new_key(kind, key, m.contact_id, keep_id)
        )
        for m in merged
        for kind, key in store.records_of(p.tenant_id, m.contact_id)
    ]
    if len(planned) > rules.MAX_MOVED:
        message = (
            f"Ces contacts ont {len(planned)} éléments rattachés : une fusion en déplace au plus {rules.MAX_MOVED}. "
            "Fusionnez-les en plusieurs fois."
        )
        raise ValidationFailed([{"field": "merge_ids", "message": message}])
    record = MergeRecord(
        tenant_id=p.tenant_id,
        merge_id=new_id(),
        keep_id=keep_id,
        merge_ids=ids,
        status="running",
        doc=MergeDoc(
            snapshots=[asdict(m) for m in merged],
            keep_before=dict(keep.doc),
            keep_after=keep_after,
            moved=planned,
            consents_before=_consents_of(p.tenant_id, [keep_id, *ids]),
            consents_after={},
            by=p.as_requester(),
        ),
        created_at=at,
        updated_at=at,
    )
    store.put(record, status_was=None)
    kept = _complete(p, record, keep, merged)
    detail = {"merge_id": record.merge_id, "ids": [keep_id, *ids], "moved": len(record.doc["moved"])}
    audit.record(p, "merge", "contact", keep_id, detail)
    return record, kept


def _complete(p: Principal, record: MergeRecord, keep: Contact, merged: list[Contact]) -> Contact:
    """Steps 2 to 6 of a merge whose record is written (`running`): each can run again after a failure (a step
    already done finds nothing left to do), so `resume` is this again."""
    kept = keep
    after = record.doc["keep_after"]
    if after != keep.doc and keep.doc == record.doc["keep_before"]:
        kept = replace(keep, doc=ContactDoc(**after))  # type: ignore[typeddict-item]  # a ContactDoc the merge record keeps untyped
        contacts_store.update(keep, kept)  # 409 if the kept contact changed since it was read
    for m in merged:
        contacts_store.delete(m)
    store.point(p.tenant_id, record.merge_ids, record.keep_id, record.merge_id, record.created_at)
    planned = [*record.doc["moved"], *record.doc.get("not_moved", [])]
    failed = [e for e in planned if not _moved_to_keep(p, e, record.keep_id)]
    record.doc["moved"] = [e for e in planned if e not in failed]
    record.doc["not_moved"] = failed
    record.doc["consents_after"] = _merge_consents(p, record)
    if "history_id" not in record.doc:
        summary = _merge_summary([Contact(**s) for s in record.doc["snapshots"]])
        record.doc["history_id"] = _history(p, record.keep_id, summary, record.created_at)
    record.status, record.updated_at = "done", _iso(clock.now())
    store.put(record, status_was="running")
    return kept


def _moved_to_keep(p: Principal, entry: MovedRecordDoc, keep_id: str) -> bool:
    """Move the record, or find it moved already (a resumed merge)."""
    if store.move(p.tenant_id, entry["kind"], entry["old_key"], entry["contact_id"], keep_id):
        return True
    return store.holds(p.tenant_id, entry["kind"], entry["new_key"], entry["contact_id"], keep_id)


def resume(p: Principal, merge_id: str) -> tuple[MergeRecord, Contact]:
    """Finish a merge that failed midway (status `running`): what moved stays moved, the rest moves now."""
    _require(p)
    record = get(p, merge_id)
    if record.status != "running":
        raise Conflict("Cette fusion est déjà terminée.")
    keep = contacts_store.get(p.tenant_id, record.keep_id)
    if keep is None:
        raise Conflict("Le contact conservé a été supprimé depuis : la fusion ne peut pas être terminée.")
    still = contacts_store.batch_get(p.tenant_id, record.merge_ids)
    kept = _complete(p, record, keep, [still[cid] for cid in record.merge_ids if cid in still])
    detail = {"merge_id": merge_id, "ids": [record.keep_id, *record.merge_ids], "resumed": True}
    audit.record(p, "merge", "contact", record.keep_id, detail)
    return record, kept


def _merge_summary(merged: list[Contact]) -> str:
    names = [
        " ".join(
            str(n) for n in (m.doc.get("first_name"), m.doc.get("last_name") or m.doc.get("organisation_name")) if n
        )
        or m.contact_id
        for m in merged
    ]
    plural = "s" if len(merged) > 1 else ""
    return f"Fiche{plural} fusionnée{plural} dans celle-ci : {', '.join(names)}."


def _history(p: Principal, contact_id: str, summary: str, at: str) -> str:
    """An entry of the contact's history (its interactions, shown by the 360° view): what a merge did to it."""
    interaction = Interaction(
        tenant_id=p.tenant_id,
        contact_id=contact_id,
        interaction_id=new_id(),
        kind="merge",
        date=at,
        summary=summary,
        author_id=p.user_id,
        author_email=p.email or None,
        created_at=at,
    )
    interactions_store.put(interaction)
    return interaction.interaction_id


def _change(c: Consent) -> ConsentChangeDoc:
    return ConsentChangeDoc(
        status=c.status,
        lawful_basis=c.lawful_basis or "",
        source=c.source or "",
        text=c.text,
        at=c.at or "",
        by=c.by or "",
    )


def _merge_consents(p: Principal, record: MergeRecord) -> dict[str, dict[str, Any]]:
    """Per channel, the most protective recorded consent becomes the kept contact's; the merged contacts' are
    deleted. Answers the kept contact's consents it wrote, by channel."""
    before = record.doc["consents_before"]
    order = [record.keep_id, *record.merge_ids]
    current = consents_store.for_contact(p.tenant_id, record.keep_id)
    written: dict[str, dict[str, Any]] = {}
    channels = sorted({ch for cid in record.merge_ids for ch in before.get(cid, {})})
    for channel in channels:
        candidates = [before[cid][channel] for cid in order if channel in before.get(cid, {})]
        status = consent_rules.most_protective(c["status"] for c in candidates)
        winner = next(c for c in candidates if c["status"] == status)
        if winner["contact_id"] == record.keep_id:
            continue
        mine = current.get(channel)
        if mine and (mine.status, mine.at, mine.source) == (winner["status"], winner["at"], winner["source"]):
            written[channel] = asdict(mine)  # written by this merge before it was resumed
            continue
        history = [*mine.history, _change(mine)] if mine else list(winner["history"])
        fields = {**winner, "contact_id": record.keep_id, "history": history, "version": mine.version if mine else None}
        consent = Consent(**fields)
        consents_store.save(consent)
        written[channel] = asdict(consent)
    for cid in record.merge_ids:
        store.delete_consents(p.tenant_id, cid)
    return written


# --- undo ------------------------------------------------------------------------------------------------------


def get(p: Principal, merge_id: str) -> MergeRecord:
    return lookup.require(store.get, p.tenant_id, merge_id, NOT_FOUND)


def undo(p: Principal, merge_id: str) -> tuple[MergeRecord, Contact, list[Contact]]:
    """Undo a merge (see the module's docstring): the record, the kept contact, the contacts restored."""
    _require(p)
    record = get(p, merge_id)
    if record.status in ("undone", "undoing"):
        raise Conflict("Cette fusion a déjà été annulée.")
    if record.status != "done":
        raise Conflict("Cette fusion n'est pas terminée : elle ne peut pas être annulée pour l'instant.")
    merged_at = instant(record.created_at)
    if not rules.may_undo(merged_at, clock.now()):
        day = clock.local(merged_at).strftime("%d/%m/%Y")
        raise Conflict(
            f"Cette fusion date du {day} : elle ne peut plus être annulée au-delà de {rules.UNDO_DAYS} jours."
        )
    keep = contacts_store.get(p.tenant_id, record.keep_id)
    if keep is None:
        raise Conflict("Le contact conservé a été supprimé depuis la fusion : elle ne peut plus être annulée.")
    claimed = replace(record, status="undoing", updated_at=_iso(clock.now()))
    if not store.put(claimed, status_was="done"):
        raise Conflict("Cette fusion a déjà été annulée.")
    record = claimed
    at = record.updated_at
    restored = []
    for snapshot in record.doc["snapshots"]:
        contact = Contact(**{**snapshot, "version": None})
        contacts_store.create(contact)
        restored.append(contact)
    store.unpoint(p.tenant_id, record.merge_ids)
    stayed = [
        e
        for e in record.doc["moved"]
        if not store.move(p.tenant_id, e["kind"], e["new_key"], record.keep_id, e["contact_id"])
    ]
    _restore_consents(p, record)
    kept = keep
    doc = rules.unmerged_doc(keep.doc, record.doc["keep_before"], record.doc["keep_after"])
    if doc != keep.doc:
        kept = replace(keep, doc=ContactDoc(**doc))  # type: ignore[typeddict-item]  # the domain undoes plain maps
        contacts_store.update(keep, kept)
    _history(p, record.keep_id, f"Fusion du {clock.local(merged_at).strftime('%d/%m/%Y')} annulée.", at)
    record.doc["stayed"] = stayed
    record.doc["undone_at"], record.doc["undone_by"] = at, p.user_id
    record.status = "undone"
    store.put(record, status_was="undoing")
    detail = {"merge_id": merge_id, "ids": [record.keep_id, *record.merge_ids], "stayed": len(stayed)}
    audit.record(p, "undo_merge", "contact", record.keep_id, detail)
    return record, kept, restored


def _restore_consents(p: Principal, record: MergeRecord) -> None:
    """The consents as they were before the merge, except where the kept contact's consent was recorded since:
    that latest word stands, for it and for the contacts restored."""
    before = record.doc["consents_before"]
    after = record.doc["consents_after"]
    current = consents_store.for_contact(p.tenant_id, record.keep_id)
    for channel, mine in current.items():
        written = after.get(channel)
        if written is None or (mine.at, mine.status) != (written["at"], written["status"]):
            continue  # not written by the merge, or changed since: stays
        former = before.get(record.keep_id, {}).get(channel)
        if former is None:
            store.delete_consent(p.tenant_id, record.keep_id, channel, mine.version)
        else:
            consents_store.save(Consent(**{**former, "version": mine.version}))
    for cid in record.merge_ids:
        for channel, former in before.get(cid, {}).items():
            latest = current.get(channel)
            changed_since = latest is not None and (latest.at or "") > record.created_at
            fields = {**asdict(latest), "contact_id": cid} if latest is not None and changed_since else former
            consents_store.save(Consent(**{**fields, "version": None}))
