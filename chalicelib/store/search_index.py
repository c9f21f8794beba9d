"""Index items that make contact listing and search one Query per page, never a Scan.

Each contact owns a few small items, written in the same transaction as the contact:

    pk = "{tenant}#all"            sk = "{sort name}#{contact id}"     alphabetical listing
    pk = "{tenant}#kind"           sk = "{kind}#{sort name}#{id}"      listing by kind
    pk = "{tenant}#tag"            sk = "{tag slug}#{sort name}#{id}"  listing by tag
    pk = "{tenant}#w#{letter}"     sk = "{word}#{contact id}"          one per name word
    pk = "{tenant}#id"             sk = "{identity}#{contact id}"      names + birth date (imports)
    pk = "{tenant}#email"          sk = "{address}#{contact id}"       one per email, lower-cased (replies)
    pk = "{tenant}#phone"          sk = "{E.164}#{contact id}"         one per phone (SMS replies), in by-phone

An archived contact's listing entries live under "{tenant}#archived#all", "…#archived#kind" and so on: the lists
never read them, and ?archived=true reads only them. Its identity entry stays: an import must still find the person
rather than create a duplicate; so do its email and phone entries: a reply or a STOP from an archived contact
still finds it.

An SMS STOP arrives on the deployment's number with no tenant: the phone entries alone carry `phone_key`, the hash
key of the sparse global index by-phone (keys only), whose items name their tenant (pk) and contact (sk).

A word query reads ``begins_with(sk, prefix)`` in the partition of its first letter, so its
cost depends on how many contacts match, not on the size of the tenant. Each item carries
the contact's words, tags and kind so that the other criteria are checked on the item
itself, with no extra read.

The items are built here from the contact's record (`entries_for`) and written by `store/contacts.py` with it;
searches read them as `IndexEntry` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.domain import contacts as rules
from chalicelib.domain import search
from chalicelib.domain.listing import Listing
from chalicelib.domain.search import ARCHIVED, SearchPlan
from chalicelib.store import cursors
from chalicelib.store.base import BaseModel, entity_of, index
from chalicelib.store.entities import IndexEntry

# A batch of entries read from the start of a range, and where the read stopped (None: the range was read whole).
Batch = tuple[list[IndexEntry], dict[str, Any] | None]


class IndexItem(BaseModel, entity=IndexEntry, table="contact-index", keys=("pk", "sk")):
    phone_key = UnicodeAttribute(null=True)  # phone entries only: the by-phone index is sparse

    by_phone: GlobalSecondaryIndex[IndexItem] = index("by-phone", "phone_key", keys_only=True)


@dataclass(frozen=True)
class IndexedContact:
    """What the index knows of a contact: enough to decide a match."""

    contact_id: str
    kind: str
    sort_name: str
    words: tuple[str, ...]
    tags: tuple[str, ...]
    identity: str | None = None
    archived: bool = False


def _indexed(contact_id: str, doc: Mapping[str, Any]) -> IndexedContact:
    return IndexedContact(
        contact_id=contact_id,
        kind=doc["kind"],
        sort_name=rules.sort_name(doc),
        words=tuple(rules.name_words(doc)),
        tags=tuple(rules.tag_slugs(doc)),
        identity=rules.identity(doc),
        archived=bool(doc.get("archived")),
    )


def entries_for(tenant_id: str, contact_id: str, doc: Mapping[str, Any]) -> list[IndexItem]:
    """The index items of a contact whose record is `doc`."""
    c = _indexed(contact_id, doc)
    common: dict[str, Any] = {"contact_id": c.contact_id, "kind": c.kind, "words": list(c.words), "tags": list(c.tags)}
    scope = f"{tenant_id}#{ARCHIVED if c.archived else ''}"
    items = [
        IndexItem(f"{scope}all", f"{c.sort_name}#{c.contact_id}", **common),
        IndexItem(f"{scope}kind", f"{c.kind}#{c.sort_name}#{c.contact_id}", **common),
    ]
    items += [IndexItem(f"{scope}tag", f"{tag}#{c.sort_name}#{c.contact_id}", **common) for tag in c.tags]
    items += [IndexItem(word_partition(tenant_id, w, c.archived), f"{w}#{c.contact_id}", **common) for w in c.words]
    if c.identity:
        items.append(IndexItem(f"{tenant_id}#id", f"{c.identity}#{c.contact_id}", **common))
    # Contact points last: they carry no words or tags, so an unchanged one is never rewritten (`diff`), and a
    # write too large for one transaction leaves them to a second step (store/contacts.py).
    point: dict[str, Any] = {"contact_id": c.contact_id, "kind": c.kind}
    for address in dict.fromkeys(e.lower() for e in doc.get("emails") or []):
        items.append(IndexItem(f"{tenant_id}#{EMAIL}", f"{address}#{c.contact_id}", **point))
    for phone in dict.fromkeys(doc.get("phones") or []):
        items.append(IndexItem(f"{tenant_id}#{PHONE}", f"{phone}#{c.contact_id}", phone_key=phone, **point))
    return items


EMAIL, PHONE = "email", "phone"


def is_contact_point(item: IndexItem) -> bool:
    return item.pk.rpartition("#")[2] in (EMAIL, PHONE)


def diff(old: list[IndexItem], new: list[IndexItem]) -> tuple[list[IndexItem], list[IndexItem]]:
    """(items to put, items to delete): unchanged items are rewritten too, since they carry words and tags, except
    contact points (an email, a phone), which carry neither."""
    new_keys, old_keys = {(i.pk, i.sk) for i in new}, {(i.pk, i.sk) for i in old}
    puts = [i for i in new if not is_contact_point(i) or (i.pk, i.sk) not in old_keys]
    return puts, [i for i in old if (i.pk, i.sk) not in new_keys]


def find_identity(tenant_id: str, identity: str) -> list[str]:
    """Contacts with these names and birth date: one Query, whatever the size of the tenant."""
    return [e.contact_id for e in IndexItem.query(f"{tenant_id}#id", IndexItem.sk.startswith(f"{identity}#"))]


def contacts_with_email(tenant_id: str, address: str) -> list[str]:
    """The tenant's contacts with this email address, any case: one Query."""
    key = address.lower()
    return [e.contact_id for e in IndexItem.query(f"{tenant_id}#{EMAIL}", IndexItem.sk.startswith(f"{key}#"))]


def contacts_with_phone(phone_e164: str) -> list[tuple[str, str]]:
    """(tenant id, contact id) of every contact, in any tenant, with this phone number: one Query of by-phone."""
    found = []
    for item in IndexItem.by_phone.query(phone_e164):
        tenant, _, kind = item.pk.rpartition("#")
        if kind == PHONE and item.sk.startswith(f"{phone_e164}#"):
            found.append((tenant, item.sk.rpartition("#")[2]))
    return found


def word_partition(tenant_id: str, word: str, archived: bool = False) -> str:
    return f"{tenant_id}#{ARCHIVED if archived else ''}w#{word[0]}"


def _query_page(pk: str, prefix: str, start_key: dict[str, Any] | None, limit: int) -> Batch:
    condition = IndexItem.sk.startswith(prefix) if prefix else None
    result = IndexItem.query(pk, condition, limit=limit, last_evaluated_key=start_key)
    entries = [entity_of(IndexEntry, item) for item in result]
    return entries, result.last_evaluated_key


def _key_of(entry: IndexEntry) -> dict[str, Any]:
    return {"pk": {"S": entry.pk}, "sk": {"S": entry.sk}}


def probe_word(tenant_id: str, word: str, archived: bool, limit: int) -> Batch:
    """The first `limit` entries of a query word's range (one Query), to learn whether the range is short."""
    return _query_page(word_partition(tenant_id, word, archived), word, None, limit)


def matching_page(
    tenant_id: str,
    sp: SearchPlan,
    cursor: str | None,
    limit: int,
    query_fingerprint: str,
    *,
    first: Batch | None = None,
) -> Listing[IndexEntry]:
    """One exact page of the entries the plan accepts, read from its range in batches (`cursors.filtered_page`).

    `first` is a probe of the same range (`probe_word`), used before reading on.
    """
    pk = f"{tenant_id}#{sp.partition}"
    page, next_cursor = cursors.filtered_page(
        lambda start, size: _query_page(pk, sp.prefix, start, size),
        lambda e: search.accepts(sp, e.sk, e.words, e.tags, e.kind),
        _key_of,
        cursor,
        limit,
        query_fingerprint,
        lambda k: k.keys() == {"pk", "sk"} and k["pk"] == pk and k["sk"].startswith(sp.prefix),
        batch=limit + 1 if sp.accepts_everything else None,
        first=first,
    )
    return Listing(page, next_cursor)
