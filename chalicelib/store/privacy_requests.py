"""Privacy requests made through a tenant's public form, and the form's rate counters: one table, keyed by tenant.

Requests are `req#{ULID}` (oldest first: the admins' queue); counters are `rate#{scope}#{key}#{window}`, one
conditional update each. Both carry a TTL (`expires_at`): a counter is dropped once its window is over, an
unverified request after domain/privacy_requests.UNVERIFIED_DAYS (the TTL is removed once it is verified, so a
request kept as evidence of the answer is never purged by it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from pynamodb.attributes import NumberAttribute, TTLAttribute

from chalicelib.domain.listing import Listing
from chalicelib.store.base import (
    BaseModel,
    entity_of,
    get_item,
    item_of,
    save_versioned,
    update_if,
)
from chalicelib.store.cursors import filtered_page, fingerprint
from chalicelib.store.entities import PrivacyRequest

REQUEST_PREFIX: Final = "req#"
RATE_PREFIX: Final = "rate#"
_STALE = "Cette demande a été modifiée entre-temps ; rechargez-la puis réessayez."


class PrivacyRequestItem(
    BaseModel, entity=PrivacyRequest, not_stored=("request_id",), table="privacy_requests", keys=("tenant_id", "sk")
):
    expires_at = TTLAttribute(null=True)


class RateCounterItem(BaseModel, table="privacy_requests", keys=("tenant_id", "sk")):
    """Shares the requests' table: a count of submissions in one window."""

    hits = NumberAttribute(default=0)
    expires_at = TTLAttribute(null=True)


def _entity(item: PrivacyRequestItem) -> PrivacyRequest:
    return entity_of(PrivacyRequest, item, request_id=item.sk.removeprefix(REQUEST_PREFIX))


def get(tenant_id: str, request_id: str) -> PrivacyRequest | None:
    item = get_item(PrivacyRequestItem, tenant_id, REQUEST_PREFIX + request_id, consistent_read=True)
    return None if item is None else _entity(item)


def save(request: PrivacyRequest, *, purge_at: int | None = None) -> None:
    """Create (version None) or replace the request under the version it was read; ``purge_at`` (epoch seconds)
    sets its TTL, None removes it. A concurrent change is a Conflict."""
    expires = datetime.fromtimestamp(purge_at, UTC) if purge_at is not None else None
    item = item_of(PrivacyRequestItem, request, sk=REQUEST_PREFIX + request.request_id, expires_at=expires)
    save_versioned(item, request, _STALE)


def page(
    tenant_id: str, statuses: frozenset[str], cursor: str | None, limit: int, *, unverified_since: str = ""
) -> Listing[PrivacyRequest]:
    """The tenant's requests in these statuses, oldest first: Queries of the tenant's `req#` range, filtered. An
    unverified one created before ``unverified_since`` is left out: its TTL has passed, and DynamoDB deletes expired
    items only within a few days."""

    def fetch(start: dict[str, Any] | None, size: int) -> tuple[list[PrivacyRequestItem], Any]:
        result = PrivacyRequestItem.query(
            tenant_id, PrivacyRequestItem.sk.startswith(REQUEST_PREFIX), limit=size, last_evaluated_key=start
        )
        return list(result), result.last_evaluated_key

    items, next_cursor = filtered_page(
        fetch,
        lambda item: (
            item.status in statuses and (item.status != "pending_verification" or item.created_at >= unverified_since)
        ),
        lambda item: {"tenant_id": {"S": item.tenant_id}, "sk": {"S": item.sk}},
        cursor,
        limit,
        fingerprint("privacy-requests", tenant_id, sorted(statuses)),  # not the clock: a cursor outlives it
        lambda k: (
            k.keys() == {"tenant_id", "sk"} and k["tenant_id"] == tenant_id and k["sk"].startswith(REQUEST_PREFIX)
        ),
    )
    return Listing([_entity(i) for i in items], next_cursor)


def take(tenant_id: str, counter: str, limit: int, expires_epoch: int) -> bool:
    """Count one submission in ``counter`` (`{scope}#{key}#{window}`) unless it holds ``limit`` already: one
    conditional UpdateItem, so simultaneous submissions never pass the limit together."""
    item = RateCounterItem(tenant_id, RATE_PREFIX + counter)
    at = datetime.fromtimestamp(expires_epoch, UTC)
    condition = RateCounterItem.hits.does_not_exist() | (RateCounterItem.hits < limit)
    return update_if(item, [RateCounterItem.hits.add(1), RateCounterItem.expires_at.set(at)], condition)
