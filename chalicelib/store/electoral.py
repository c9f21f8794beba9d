"""Electoral calendar corrections, and each event's assessment, override and notification records.

- elections: additions and corrections to the bundled calendar (domain/electoral/elections.json). Hash key the
  scope: "deployment" (seen by every tenant, written by the operator's admins) or a tenant id (that tenant only).
- electoral: per tenant, one item collection holding
  - "assessment#{event}": the latest assessment of an event (its level is shown with the event);
  - "override#{event}": the admin override that lets invitations go out despite blocking findings, with the keys of
    the findings it covers (a new blocking finding needs a new override);
  - "notified#{key}": one per finding or window already notified; written under the condition that it does not
    exist, so that two runs of the daily job never notify the same thing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from pynamodb.attributes import UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.errors import Conflict
from chalicelib.store.base import BaseModel, DocAttribute, TableName, now_iso
from chalicelib.store.entities import (
    Assessment,
    AssessmentDoc,
    Election,
    ElectionDoc,
    NotificationMark,
    Override,
    OverrideDoc,
)

DEPLOYMENT = "deployment"
STALE = "Cette élection a été modifiée entre-temps ; rechargez-la puis réessayez."


class ElectionItem(BaseModel):
    class Meta:
        table_name = TableName("elections")

    scope = UnicodeAttribute(hash_key=True)
    election_id = UnicodeAttribute(range_key=True)
    doc = DocAttribute(default=dict)  # the election as in elections.json
    version = VersionAttribute()
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()


class ElectoralItem(BaseModel):
    class Meta:
        table_name = TableName("electoral")

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    doc = DocAttribute(default=dict)
    created_at = UnicodeAttribute(default=now_iso)


# --- elections ---------------------------------------------------------------------------------------------------


def _election(item: ElectionItem) -> Election:
    return Election(
        scope=item.scope,
        election_id=item.election_id,
        doc=cast(ElectionDoc, item.doc),
        version=item.version,
        updated_at=item.updated_at,
        updated_by=item.updated_by,
    )


def elections_of(scopes: list[str]) -> list[Election]:
    return [_election(item) for scope in scopes for item in ElectionItem.query(scope)]


def get_election(scope: str, election_id: str) -> Election | None:
    try:
        return _election(ElectionItem.get(scope, election_id, consistent_read=True))
    except DoesNotExist:
        return None


def save_election(election: Election, *, is_new: bool) -> None:
    """Saved under its version (Conflict when stale, or when a new one exists already); the new version is
    written back into `election`."""
    item = ElectionItem(
        election.scope,
        election.election_id,
        doc=dict(election.doc),
        updated_at=election.updated_at,
        updated_by=election.updated_by,
    )
    if election.version is not None:  # a new correction has none: saving it conditions on its absence
        item.version = election.version
    try:
        item.save(condition=ElectionItem.election_id.does_not_exist() if is_new else None)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(STALE if not is_new else f"L'élection « {item.election_id} » existe déjà.") from exc
        raise
    election.version = item.version


# --- assessments and overrides ------------------------------------------------------------------------------------


def _get(tenant_id: str, sk: str) -> ElectoralItem | None:
    try:
        return ElectoralItem.get(tenant_id, sk)
    except DoesNotExist:
        return None


def _put(tenant_id: str, sk: str, doc: Mapping[str, object], created_at: str) -> str:
    at = created_at or now_iso()
    ElectoralItem(tenant_id, sk, doc=dict(doc), created_at=at).save()
    return at


def _assessment(item: ElectoralItem) -> Assessment:
    return Assessment(
        tenant_id=item.tenant_id,
        event_id=item.sk.removeprefix("assessment#"),
        doc=cast(AssessmentDoc, item.doc),
        created_at=item.created_at,
    )


def get_assessment(tenant_id: str, event_id: str) -> Assessment | None:
    item = _get(tenant_id, f"assessment#{event_id}")
    return _assessment(item) if item else None


def save_assessment(assessment: Assessment) -> None:
    """The event's latest assessment replaces the one before."""
    assessment.created_at = _put(
        assessment.tenant_id, f"assessment#{assessment.event_id}", assessment.doc, assessment.created_at
    )


def assessments_of(tenant_id: str, event_ids: list[str]) -> dict[str, Assessment]:
    """The stored assessments of a page of events in one BatchGetItem."""
    if not event_ids:
        return {}
    keys = [(tenant_id, f"assessment#{e}") for e in event_ids]
    return {a.event_id: a for a in map(_assessment, ElectoralItem.batch_get(keys))}


def get_override(tenant_id: str, event_id: str) -> Override | None:
    item = _get(tenant_id, f"override#{event_id}")
    if item is None:
        return None
    return Override(tenant_id=tenant_id, event_id=event_id, doc=cast(OverrideDoc, item.doc), created_at=item.created_at)


def save_override(override: Override) -> None:
    override.created_at = _put(override.tenant_id, f"override#{override.event_id}", override.doc, override.created_at)


# --- notification marks -------------------------------------------------------------------------------------------


def mark_notified(mark: NotificationMark) -> bool:
    """True if this run is the first to notify `mark.key` (conditional put), False if already notified."""
    at = mark.created_at or now_iso()
    try:
        ElectoralItem(mark.tenant_id, f"notified#{mark.key}", doc=dict(mark.doc), created_at=at).save(
            condition=ElectoralItem.sk.does_not_exist()
        )
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    mark.created_at = at
    return True


def _delete_all(tenant_id: str, sort_keys: list[str]) -> None:
    with ElectoralItem.batch_write() as batch:
        for sk in sort_keys:
            batch.delete(ElectoralItem(tenant_id, sk))


def unmark_notified(tenant_id: str, keys: list[str]) -> None:
    """The notification could not be sent: forget the marks so that the next run tries again."""
    _delete_all(tenant_id, [f"notified#{key}" for key in keys])


def forget_event(tenant_id: str, event_id: str) -> None:
    """A deleted event leaves no assessment, override or notification record behind."""
    marks = ElectoralItem.query(tenant_id, ElectoralItem.sk.startswith(f"notified#finding#{event_id}#"))
    _delete_all(tenant_id, [f"assessment#{event_id}", f"override#{event_id}", *(i.sk for i in marks)])
