"""What erasure (RGPD art. 17) writes beyond the records' usual functions: the erased persons' keyed contact points,
the suppression entries turned into hashes, campaign messages stripped of their address, every version of a file.

- erasures: sort key the keyed hash of a normalised email or phone (`domain/erasure.point_key`); a lookup of a
  few candidates is one BatchGetItem, so an import checks a chunk of rows in one call. Nothing else is stored:
  neither the contact's id nor the address.
- suppressions: an erased address's entry becomes "~erased#{key}" (never read as an address: « ~ » sorts after
  them), with its reason and date: the list keeps the fact, not the address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pynamodb.attributes import UnicodeAttribute

from chalicelib import aws
from chalicelib.settings import get_settings
from chalicelib.store.base import BaseModel
from chalicelib.store.consents import SOFT_PREFIX, SoftBounceItem, SuppressionItem
from chalicelib.store.messages import MessageItem
from chalicelib.store.replies import InboxItem

HASHED_PREFIX = "~erased#"


class ErasureItem(BaseModel, table="erasures", keys=("tenant_id", "key")):
    # key: HMAC-SHA256 (hex) of a normalised email or E.164 phone
    at = UnicodeAttribute()


def remember(tenant_id: str, keys: Iterable[str], at: str) -> None:
    """Record the keys of an erased person (BatchWriteItem; a repeated erasure rewrites the same items)."""
    with ErasureItem.batch_write() as batch:
        for key in dict.fromkeys(keys):
            batch.save(ErasureItem(tenant_id, key, at=at))


def was_erased(tenant_id: str, keys: Iterable[str]) -> set[str]:
    """The keys among these that belong to an erased person of the tenant (BatchGetItem, 100 keys a call)."""
    wanted = [(tenant_id, key) for key in dict.fromkeys(keys)]
    return {item.key for item in ErasureItem.batch_get(wanted)} if wanted else set()


def hash_suppressions(tenant_id: str, keyed: Mapping[str, str]) -> int:
    """Replace the suppression entries of these addresses (normalised point → its key) by entries named after the
    key, keeping reason and date; forget their soft-bounce counts. How many entries were replaced."""
    wanted = [(tenant_id, point.lower()) for point in keyed]
    if not wanted:
        return 0
    found = list(SuppressionItem.batch_get(wanted))
    by_lower = {point.lower(): key for point, key in keyed.items()}
    with SuppressionItem.batch_write() as batch:
        for item in found:
            hashed = HASHED_PREFIX + by_lower[item.address]
            batch.save(SuppressionItem(tenant_id, hashed, reason=item.reason, at=item.at))
            batch.delete(item)
    with SoftBounceItem.batch_write() as soft:
        for point in by_lower:
            soft.delete(SoftBounceItem(tenant_id, f"{SOFT_PREFIX}{point}"))
    return len(found)


def blank_message(tenant_id: str, campaign_id: str, contact_id: str) -> None:
    """Remove a campaign message's address, salutation and clicked links (one UpdateItem), keeping its status,
    dates and counts, which the campaign's figures read."""
    item = MessageItem(tenant_id, f"{campaign_id}#{contact_id}")
    item.update(actions=[MessageItem.address.remove(), MessageItem.appel.remove(), MessageItem.links.remove()])


def delete_every_version(key: str, *, prefix: bool = False) -> int:
    """Delete every version (and delete marker) of one object of the files bucket, or of every object whose key
    starts with ``key`` (``prefix``): a versioned bucket keeps a deleted object's earlier versions, which still hold
    the data. How many versions were deleted."""
    s3 = aws.client("s3")
    bucket = get_settings().files_bucket
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        for version in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            if version["Key"] != key and not prefix:
                continue
            s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
            deleted += 1
    return deleted


def delete_inbox_from(tenant_id: str, senders: Iterable[str]) -> int:
    """Delete the inbox messages (replies no contact was found for) sent from these addresses: one Query of the
    tenant's inbox, which its TTL keeps short. How many were deleted."""
    wanted = {s.lower() for s in senders}
    if not wanted:
        return 0
    found = [item for item in InboxItem.query(tenant_id) if item.sender.lower() in wanted]
    with InboxItem.batch_write() as batch:
        for item in found:
            batch.delete(item)
    return len(found)
