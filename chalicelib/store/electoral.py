"""Electoral calendar corrections, and each event's assessment, override and notification records.

- elections: additions and corrections to the bundled calendar (domain/electoral/elections.json). Hash key the
  scope: "deployment" (seen by every tenant, written by the operator's admins) or a tenant id (that tenant only).
- electoral: per tenant, one item collection holding
  - "assessment#{event}": the latest assessment of an event (its level is shown with the event);
  - "override#{event}": the admin override that lets invitations go out despite blocking findings, with the keys of
    the findings it covers (a new blocking finding needs a new override);
  - "notified#{key}": one per finding or window notified; claimed (state `sending`) under the condition that it
    does not exist, so that two runs of the daily job never notify the same thing twice, and marked told once the
    email left; a claim a run left `sending` (it stopped in between) is taken over by the next run.
"""

from __future__ import annotations

from typing import cast

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path

from chalicelib.store.base import (
    BaseModel,
    DocAttribute,
    VersionedRepository,
    condition_failed,
    entity_of,
    get_entity,
    item_of,
    now_iso,
    put_if,
    save_versioned,
)
from chalicelib.store.entities import Assessment, Election, NotificationDoc, NotificationMark, Override

DEPLOYMENT = "deployment"
STALE = "Cette élection a été modifiée entre-temps ; rechargez-la puis réessayez."


class ElectionItem(BaseModel, entity=Election, table="elections", keys=("scope", "election_id")):
    pass


class ElectoralItem(BaseModel, table="electoral", keys=("tenant_id", "sk")):
    doc = DocAttribute(default=dict)
    created_at = UnicodeAttribute(default=now_iso)


# --- elections ---------------------------------------------------------------------------------------------------


_elections = VersionedRepository(Election, ElectionItem, STALE)  # keyed (scope, election id)


def elections_of(scopes: list[str]) -> list[Election]:
    """One Query per scope (the deployment's, the tenant's)."""
    return [election for scope in scopes for election in _elections.all_of_tenant(scope)]


def get_election(scope: str, election_id: str) -> Election | None:
    return _elections.get(scope, election_id, consistent=True)


def save_election(election: Election, *, is_new: bool) -> None:
    """Saved under its version (Conflict when stale, or when a new one exists already); the new version is
    written back into `election`."""
    save_versioned(
        _elections.item(election),
        election,
        f"L'élection « {election.election_id} » existe déjà." if is_new else STALE,
        condition=ElectionItem.election_id.does_not_exist() if is_new else None,
    )


# --- assessments and overrides ------------------------------------------------------------------------------------


def _put(record: Assessment | Override | NotificationMark, sk: str, condition: Condition | None = None) -> bool:
    """The record's item under `sk`, created now unless it says when, if `condition` holds (False otherwise); its
    time is written back once saved."""
    at = record.created_at or now_iso()
    if not put_if(item_of(ElectoralItem, record, sk=sk, created_at=at), condition):
        return False
    record.created_at = at
    return True


def get_assessment(tenant_id: str, event_id: str) -> Assessment | None:
    return get_entity(Assessment, ElectoralItem, tenant_id, f"assessment#{event_id}", event_id=event_id)


def save_assessment(assessment: Assessment) -> None:
    """The event's latest assessment replaces the one before."""
    _put(assessment, f"assessment#{assessment.event_id}")


def assessments_of(tenant_id: str, event_ids: list[str]) -> dict[str, Assessment]:
    """The stored assessments of a page of events in one BatchGetItem."""
    if not event_ids:
        return {}
    keys = [(tenant_id, f"assessment#{e}") for e in event_ids]
    found = (entity_of(Assessment, i, event_id=i.sk.removeprefix("assessment#")) for i in ElectoralItem.batch_get(keys))
    return {a.event_id: a for a in found}


def get_override(tenant_id: str, event_id: str) -> Override | None:
    return get_entity(Override, ElectoralItem, tenant_id, f"override#{event_id}", event_id=event_id)


def save_override(override: Override) -> None:
    _put(override, f"override#{override.event_id}")


# --- notification marks -------------------------------------------------------------------------------------------


def mark_notified(mark: NotificationMark) -> str | None:
    """Claim `mark.key` for the run its doc's `claim` names: "fresh" if it is the first (conditional put), "retaken"
    if another run claimed it and has not told it (still `sending`: it stopped, or still runs; the claim is this
    run's now, `retold`), None if told already."""
    sk = f"notified#{mark.key}"
    if _put(mark, sk, ElectoralItem.sk.does_not_exist()):
        return "fresh"
    mark.doc = {**mark.doc, "retold": True}
    if _put(mark, sk, Path(["doc", "state"]) == "sending"):
        return "retaken"
    return None


def still_claimed(tenant_id: str, news: list[NotificationDoc]) -> list[NotificationDoc]:
    """Those of `news` whose claim is still the run's (another may have taken one over and told it), read
    consistently in one BatchGetItem."""
    if not news:
        return []
    keys = [(tenant_id, f"notified#{doc['key']}") for doc in news]
    held = {item.sk: (item.doc or {}).get("claim") for item in ElectoralItem.batch_get(keys, consistent_read=True)}
    return [doc for doc in news if held.get(f"notified#{doc['key']}") == doc["claim"]]


def told(tenant_id: str, news: list[NotificationDoc]) -> None:
    """The email left (or perhaps did): the claims of `news` still the run's are marked told, no run sends them
    again (one another run took over keeps that run's record)."""
    for doc in news:
        told_doc = cast(NotificationDoc, {k: v for k, v in doc.items() if k != "state"})
        mark = NotificationMark(tenant_id=tenant_id, key=doc["key"], doc=told_doc)
        _put(mark, f"notified#{doc['key']}", Path(["doc", "claim"]) == doc["claim"])


def _delete_all(tenant_id: str, sort_keys: list[str]) -> None:
    with ElectoralItem.batch_write() as batch:
        for sk in sort_keys:
            batch.delete(ElectoralItem(tenant_id, sk))


def unmark_notified(tenant_id: str, news: list[NotificationDoc]) -> None:
    """The notification could not be sent: forget the claims of `news` still the run's, so that the next run tries
    again."""
    for doc in news:
        try:
            ElectoralItem(tenant_id, f"notified#{doc['key']}").delete(Path(["doc", "claim"]) == doc["claim"])
        except DeleteError as exc:
            if not condition_failed(exc):
                raise


def forget_event(tenant_id: str, event_id: str) -> None:
    """A deleted event leaves no assessment, override or notification record behind."""
    marks = ElectoralItem.query(tenant_id, ElectoralItem.sk.startswith(f"notified#finding#{event_id}#"))
    _delete_all(tenant_id, [f"assessment#{event_id}", f"override#{event_id}", *(i.sk for i in marks)])
