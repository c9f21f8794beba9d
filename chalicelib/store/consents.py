"""Consents per contact and channel, and the tenant's suppression list.

- consents: sort key "{contact_id}#{channel}": a contact's consents are one Query, a tenant's all of them are the
  Query of its partition (segments read them in pages, never one call per contact). Each item keeps its history.
- suppressions: sort key the lower-cased address: a send checks a chunk of addresses with one BatchGetItem.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute

from chalicelib.store.base import BaseModel, entity_of, item_of, save_versioned
from chalicelib.store.entities import Consent, Suppression

STALE = "Ce consentement a été modifié entre-temps ; rechargez-le puis réessayez."


class ConsentItem(BaseModel, entity=Consent, table="consents", keys=("tenant_id", "sk")):
    # sk: "{contact_id}#{channel}"
    # None on a consent never recorded, which is not stored: a stored one always says on what basis, from where,
    # when and by whom (RGPD art. 7(1): the controller can demonstrate the consent)
    lawful_basis = UnicodeAttribute()
    source = UnicodeAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()


class SuppressionItem(BaseModel, entity=Suppression, table="suppressions", keys=("tenant_id", "address")):
    pass


class SoftBounceItem(BaseModel, table="suppressions", keys=("tenant_id", "address")):
    """Same table as SuppressionItem, sort key "~soft#{address}" (never read as a suppression): the distinct SES
    notifications of soft bounces to an address, so that a notification delivered twice counts once."""

    notifications = UnicodeSetAttribute(default=set)


SOFT_PREFIX = "~soft#"
TOPICS_PREFIX = "~topics#"


class TopicsItem(BaseModel, table="suppressions", keys=("tenant_id", "address")):
    """Same table as SuppressionItem, sort key "~topics#{contact_id}" (never read as a suppression): the campaign
    topics (series) a contact no longer wants by email, chosen on the unsubscribe page."""

    declined = UnicodeSetAttribute(null=True)


def for_contact(tenant_id: str, contact_id: str) -> dict[str, Consent]:
    """The consents recorded for a contact, by channel (one Query)."""
    items = ConsentItem.query(tenant_id, ConsentItem.sk.startswith(f"{contact_id}#"))
    return {item.channel: entity_of(Consent, item) for item in items}


def on_channel(tenant_id: str, channel: str, contact_ids: Iterable[str]) -> dict[str, Consent]:
    """Contact id → its consent on ``channel``, for those that have one recorded (BatchGetItem, 100 keys a call)."""
    keys = [(tenant_id, f"{cid}#{channel}") for cid in dict.fromkeys(contact_ids)]
    return {item.contact_id: entity_of(Consent, item) for item in ConsentItem.batch_get(keys)} if keys else {}


def save(consent: Consent) -> None:
    """Written under the version read (a new one: only if none exists), the new version written back."""
    item = item_of(ConsentItem, consent, sk=f"{consent.contact_id}#{consent.channel}")
    save_versioned(item, consent, STALE)


def create_many(consents: Iterable[Consent]) -> None:
    """Consents of contacts just created (an import): BatchWriteItem, no condition, each at version 1. Safe only
    for contacts nobody else can see yet; a retry rewrites the same items."""
    with ConsentItem.batch_write() as batch:
        for consent in consents:
            consent.version = 1
            batch.save(item_of(ConsentItem, consent, sk=f"{consent.contact_id}#{consent.channel}"))


def suppressed(tenant_id: str, addresses: Iterable[str]) -> dict[str, Suppression]:
    """The addresses among these that are suppressed (BatchGetItem, 100 keys a call), by address."""
    keys = [(tenant_id, a) for a in dict.fromkeys(a.lower() for a in addresses)]
    if not keys:
        return {}
    return {item.address: entity_of(Suppression, item) for item in SuppressionItem.batch_get(keys)}


def suppress(entry: Suppression) -> None:
    """Add (or re-date) an address on the list: a PutItem, so a repeated unsubscribe or bounce is harmless."""
    SuppressionItem(entry.tenant_id, entry.address.lower(), reason=entry.reason, at=entry.at).save()


def delete_all_for_contact(tenant_id: str, contact_id: str) -> None:
    with ConsentItem.batch_write() as batch:
        for item in ConsentItem.query(tenant_id, ConsentItem.sk.startswith(f"{contact_id}#")):
            batch.delete(item)


def unsuppress(tenant_id: str, addresses: Iterable[str], *, reasons: tuple[str, ...]) -> None:
    """Take addresses off the list when they are on it for one of ``reasons`` (a consent given again lifts an
    unsubscribe; a bounce or a complaint stays)."""
    for entry in suppressed(tenant_id, addresses).values():
        if entry.reason in reasons:
            SuppressionItem(tenant_id, entry.address).delete()


def statuses_of_tenant(tenant_id: str) -> dict[str, dict[str, str]]:
    """contact id → channel → status, for every consent recorded in the tenant (its partition, page by page)."""
    found: dict[str, dict[str, str]] = {}
    for item in ConsentItem.query(tenant_id):
        found.setdefault(item.contact_id, {})[item.channel] = item.status
    return found


def count_soft_bounce(tenant_id: str, address: str, notification_id: str) -> int:
    """Record one soft bounce (ADD to a set: idempotent per notification) and return how many distinct ones the
    address has had: one UpdateItem."""
    item = SoftBounceItem(tenant_id, f"{SOFT_PREFIX}{address.lower()}")
    item.update(actions=[SoftBounceItem.notifications.add({notification_id})])
    return len(item.notifications or ())


def declined_topics(tenant_id: str, contact_ids: Iterable[str]) -> dict[str, set[str]]:
    """contact id → the topics it declined, for those that declined any (BatchGetItem, 100 keys a call)."""
    keys = [(tenant_id, f"{TOPICS_PREFIX}{cid}") for cid in dict.fromkeys(contact_ids)]
    if not keys:
        return {}
    return {
        item.address.removeprefix(TOPICS_PREFIX): set(item.declined or ())
        for item in TopicsItem.batch_get(keys)
        if item.declined
    }


def set_declined_topics(tenant_id: str, contact_id: str, declined: set[str]) -> None:
    """What the contact declines now (a PutItem; none declined: the item is removed)."""
    item = TopicsItem(tenant_id, f"{TOPICS_PREFIX}{contact_id}", declined=declined or None)
    if declined:
        item.save()
    else:
        item.delete()
