"""Consultations: one item per consultation (tenant, consultation id), versioned; and in a second table, per
consultation, its responses, the links that may still replace one, who answered, and the public link's rate
counters, all under the range key "{consultation id}#{kind}#…" so that one Query reads one kind.

An anonymous response's item holds no contact, no group and no time; what joins it to a person (the link item) lives
only until the close: its `expires_at` is the close (DynamoDB TTL), and `delete_links` removes them at the close.

Until its mappings are purged, a consultation is in the sparse GSI by-close (`close_key` = "{closes_at}#{tenant}#
{consultation}"): the hourly purge queries what has closed, never scans, and the lookup is tenant-free as a
schedule's must be."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.store.base import (
    BaseModel,
    VersionedRepository,
    entity_of,
    get_entity,
    index,
    item_of,
    update_if,
)
from chalicelib.store.entities import Consultation, ConsultationLink, ConsultationResponse

STALE = "Cette consultation a été modifiée entre-temps ; rechargez-la puis réessayez."
CLOSE_SHARD = "unpurged"


class ConsultationItem(BaseModel, entity=Consultation, table="consultations", keys=("tenant_id", "consultation_id")):
    close_shard = UnicodeAttribute(null=True)  # "unpurged" until the mappings are deleted, absent after
    close_key = UnicodeAttribute(null=True)
    by_close: GlobalSecondaryIndex[ConsultationItem] = index("by-close", "close_shard", "close_key")

    def refresh_keys(self) -> None:
        closes_at = (self.doc or {}).get("closes_at")
        waiting = bool(closes_at) and not self.links_purged
        self.close_key = f"{closes_at}#{self.tenant_id}#{self.consultation_id}" if waiting else None
        self.close_shard = CLOSE_SHARD if waiting else None


class ResponseItem(
    BaseModel,
    entity=ConsultationResponse,
    not_stored=("consultation_id", "response_id"),
    table="consultation_answers",
    keys=("tenant_id", "sk"),
):
    # sk: "{consultation_id}#r#{response_id}"
    expires_at = TTLAttribute(null=True)  # the table's TTL attribute: links and rate counters only


class LinkItem(BaseModel, table="consultation_answers", keys=("tenant_id", "sk")):
    """Same table: "{consultation_id}#l#{link_key}" → the response it answered with, until the close."""

    response_id = UnicodeAttribute()
    expires_at = TTLAttribute()


class ParticipationItem(BaseModel, table="consultation_answers", keys=("tenant_id", "sk")):
    """Same table: "{consultation_id}#p#{contact_id}": this contact answered (no response id, no time), so that a
    reminder skips them, even after the close."""


class RateItem(BaseModel, table="consultation_answers", keys=("tenant_id", "sk")):
    """Same table: "{consultation_id}#ip#{address hash}#{hour}": answers from one network address this hour."""

    taken = NumberAttribute(default=0)
    expires_at = TTLAttribute()


# --- consultations -------------------------------------------------------------------------------------------------


_repo = VersionedRepository(Consultation, ConsultationItem, STALE)
get = _repo.get  # (tenant_id, consultation_id)
all_of_tenant = _repo.all_of_tenant  # tens, not thousands; oldest first
save = _repo.save  # under the version read; its place in by-close follows its close and whether it was purged


def closed_unpurged(until: datetime) -> list[Consultation]:
    """Consultations of every tenant closed by ``until`` whose mappings are still there: one Query of the sparse
    by-close index (closes_at is stored as UTC ISO text, so the text order is the time order)."""
    upper = f"{until.astimezone(UTC).isoformat().replace('+00:00', 'Z')}#\uffff"
    query = ConsultationItem.by_close.query(CLOSE_SHARD, ConsultationItem.close_key <= upper)
    return [entity_of(Consultation, item) for item in query]


def consultations_missing_close_key() -> Iterator[Consultation]:
    """Maintenance only (infra/backfill_consultation_close_keys.py, run by hand): consultations saved before the
    by-close key existed whose mappings were never purged. A Scan, never on a request path; saving them again
    writes the key."""
    not_purged = ConsultationItem.links_purged.does_not_exist() | (ConsultationItem.links_purged == False)  # noqa: E712  (a DynamoDB condition)
    condition = ConsultationItem.close_key.does_not_exist() & not_purged
    return (entity_of(Consultation, i) for i in ConsultationItem.scan(condition))


# --- responses -----------------------------------------------------------------------------------------------------


def _response(item: ResponseItem) -> ConsultationResponse:
    consultation_id, _, response_id = item.sk.split("#", 2)
    return entity_of(ConsultationResponse, item, consultation_id=consultation_id, response_id=response_id)


def responses(tenant_id: str, consultation_id: str) -> Iterator[ConsultationResponse]:
    """Every response of a consultation, Query pages of its prefix."""
    for item in ResponseItem.query(tenant_id, ResponseItem.sk.startswith(f"{consultation_id}#r#")):
        yield _response(item)


def get_response(tenant_id: str, consultation_id: str, response_id: str) -> ConsultationResponse | None:
    found = get_entity(
        ConsultationResponse,
        ResponseItem,
        tenant_id,
        f"{consultation_id}#r#{response_id}",
        consistent_read=True,
        consultation_id=consultation_id,
        response_id=response_id,
    )
    return found


def put_response(response: ConsultationResponse) -> None:
    """Write (or replace) a response, and note who answered when a contact is known to the link."""
    item_of(ResponseItem, response, sk=f"{response.consultation_id}#r#{response.response_id}").save()


def note_participation(tenant_id: str, consultation_id: str, contact_id: str) -> None:
    ParticipationItem(tenant_id, f"{consultation_id}#p#{contact_id}").save()


def answered_by(tenant_id: str, contact_id: str) -> tuple[list[Consultation], list[ConsultationResponse]]:
    """The consultations the contact answered (one Query of the tenant's consultations, then their participation
    marks in one BatchGetItem) and, among those, the responses that name them (identified consultations; a Query of
    each one's responses, filtered on the contact). For the right of access and erasure: a rare request, not a hot
    path. The consultations come whole, so that the caller needs no second read of each."""
    consultations = {c.consultation_id: c for c in all_of_tenant(tenant_id)}
    keys = [(tenant_id, f"{cid}#p#{contact_id}") for cid in consultations]
    marked = sorted(item.sk.split("#p#", 1)[0] for item in ParticipationItem.batch_get(keys)) if keys else []
    named = [
        _response(item)
        for cid in marked
        for item in ResponseItem.query(
            tenant_id, ResponseItem.sk.startswith(f"{cid}#r#"), filter_condition=ResponseItem.contact_id == contact_id
        )
    ]
    return [consultations[cid] for cid in marked], named


def forget_participation(tenant_id: str, consultation_ids: Iterable[str], contact_id: str) -> None:
    for cid in consultation_ids:
        ParticipationItem(tenant_id, f"{cid}#p#{contact_id}").delete()


def participants(tenant_id: str, consultation_id: str) -> set[str]:
    """The contacts who answered (through their personal link), identified or not."""
    prefix = f"{consultation_id}#p#"
    return {i.sk[len(prefix) :] for i in ParticipationItem.query(tenant_id, ParticipationItem.sk.startswith(prefix))}


# --- links ---------------------------------------------------------------------------------------------------------


def get_link(tenant_id: str, consultation_id: str, link_key: str) -> ConsultationLink | None:
    return get_entity(
        ConsultationLink,
        LinkItem,
        tenant_id,
        f"{consultation_id}#l#{link_key}",
        consistent_read=True,
        consultation_id=consultation_id,
        link_key=link_key,
    )


def put_link(link: ConsultationLink) -> None:
    item_of(LinkItem, link, sk=f"{link.consultation_id}#l#{link.link_key}").save()


def delete_links(tenant_id: str, consultation_id: str) -> int:
    """Delete every link → response mapping of a consultation (at its close); how many there were."""
    deleted = 0
    with LinkItem.batch_write() as batch:
        for item in LinkItem.query(tenant_id, LinkItem.sk.startswith(f"{consultation_id}#l#")):
            batch.delete(item)
            deleted += 1
    return deleted


def retime_links(tenant_id: str, consultation_id: str, expires_at: datetime) -> None:
    """The close moved: the mappings now expire at the new close. Each only if it is still there: one the close's
    purge deleted meanwhile stays deleted (an unconditional UpdateItem would write back its keys and expiry)."""
    for item in LinkItem.query(tenant_id, LinkItem.sk.startswith(f"{consultation_id}#l#")):
        update_if(item, [LinkItem.expires_at.set(expires_at)], LinkItem.sk.exists())


# --- the public link's rate ----------------------------------------------------------------------------------------


def take_rate(tenant_id: str, consultation_id: str, bucket: str, limit: int, expires_at: datetime) -> bool:
    """Count one answer in ``bucket`` (an address hash and an hour) if fewer than ``limit`` were counted: one
    conditional update, exact under concurrency. False, with nothing counted, past the limit."""
    item = RateItem(tenant_id, f"{consultation_id}#ip#{bucket}")
    condition = RateItem.taken.does_not_exist() | (RateItem.taken < limit)
    return update_if(item, [RateItem.taken.add(1), RateItem.expires_at.set(expires_at)], condition)
