"""The name-word index is written with the contact, in one transaction, and never disagrees with it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.errors import Conflict
from chalicelib.schemas.contacts import (
    ContactCreate,
    ContactListQuery,
    ContactPatch,
    contact_doc,
    contact_json,
    merged_contact,
)
from chalicelib.services import contacts
from chalicelib.store.contacts import ContactItem
from chalicelib.store.search_index import IndexItem
from tests.support.aws_calls import recorded_calls


def _create(p, data: ContactCreate) -> dict:
    return contact_json(contacts.create(p, contact_doc(data)), p.can_see_confidential)


def _import_many(p, batch: list[ContactCreate]) -> list[dict]:
    made = contacts.import_many(p, [contact_doc(data) for data in batch])
    return [contact_json(c, p.can_see_confidential) for c in made]


def _update(p, contact, patch: ContactPatch) -> dict:
    """As PATCH /contacts/{id} does: the merge is the HTTP contract's, the rules and the version check the service's."""
    doc, fields = merged_contact(contact.doc, patch)
    return contact_json(contacts.update(p, contact, doc, fields, patch.version), p.can_see_confidential)


def _list(p, query: ContactListQuery) -> dict:
    page = contacts.list_contacts(
        p, q=query.q, tag=query.tag, kind=query.kind, archived=query.archived, cursor=query.cursor, limit=query.limit
    )
    return {"items": [contact_json(c, p.can_see_confidential) for c in page.items], "next_cursor": page.next_cursor}


def _entries(tenant_id: str, contact_id: str) -> set[tuple[str, str]]:
    keys = set()
    for suffix in ("all", "kind", "tag", *(f"w#{c}" for c in "abcdefghijklmnopqrstuvwxyz0123456789")):
        for item in IndexItem.query(f"{tenant_id}#{suffix}"):
            if item.contact_id == contact_id:
                keys.add((item.pk.split("#", 1)[1], item.sk))
    return keys


def _search(p, **kw) -> list[str]:
    return [c["id"] for c in _list(p, ContactListQuery(**kw))["items"]]


def test_create_writes_one_entry_per_name_word_tag_and_listing(admin):
    c = _create(
        admin, ContactCreate(kind="person", first_name="Hélène", last_name="Lefèvre-Dubois", tags=["Vœux 2026"])
    )
    assert _entries(admin.tenant_id, c["id"]) == {
        ("all", f"lefevre dubois helene#{c['id']}"),
        ("kind", f"person#lefevre dubois helene#{c['id']}"),
        ("tag", f"voeux-2026#lefevre dubois helene#{c['id']}"),
        ("w#h", f"helene#{c['id']}"),
        ("w#l", f"lefevre#{c['id']}"),
        ("w#d", f"dubois#{c['id']}"),
    }


def test_update_moves_the_entries_and_search_follows(admin):
    c = _create(admin, ContactCreate(kind="person", first_name="Anaïs", last_name="Moreau", tags=["presse"]))
    updated = _update(
        admin, contacts.load(admin, c["id"]), ContactPatch(version=c["version"], last_name="Girard", tags=["bénévole"])
    )
    assert updated["version"] == 2
    keys = _entries(admin.tenant_id, c["id"])
    assert ("w#g", f"girard#{c['id']}") in keys
    assert not any(sk.startswith("moreau#") or sk.startswith("presse#") for _, sk in keys)
    assert _search(admin, q="moreau") == []
    assert _search(admin, q="anais gir") == [c["id"]]
    assert _search(admin, tag="Bénévole") == [c["id"]]
    assert _search(admin, tag="presse") == []


def test_delete_removes_the_contact_and_every_entry(admin):
    c = _create(admin, ContactCreate(kind="organisation", organisation_name="Comité des fêtes"))
    contacts.delete(admin, c["id"])
    assert ContactItem.count(admin.tenant_id) == 0
    assert _entries(admin.tenant_id, c["id"]) == set()


def test_a_stale_write_changes_neither_the_contact_nor_its_entries(admin):
    c = _create(admin, ContactCreate(kind="person", last_name="Durand"))
    item_a = contacts.load(admin, c["id"])
    item_b = contacts.load(admin, c["id"])
    _update(admin, item_a, ContactPatch(version=1, last_name="Dupont"))
    before = _entries(admin.tenant_id, c["id"])
    # item_b still holds version 1: the transaction's version condition must fail as a whole.
    changed = replace(item_b, doc={**item_b.doc, "last_name": "Martin"})
    from chalicelib.store import contacts as store
    from chalicelib.store import search_index

    with pytest.raises(Conflict):
        store.update(item_b, changed)  # would put an entry "martin#…" in the partition w#m
    assert contacts.load(admin, c["id"]).doc["last_name"] == "Dupont"
    assert _entries(admin.tenant_id, c["id"]) == before
    assert not list(search_index.IndexItem.query(f"{admin.tenant_id}#w#m"))


def test_selective_search_reads_only_the_matching_range(admin):
    """A query for a rare name reads its own index range, not the tenant: count items DynamoDB returns."""
    batch = [ContactCreate(kind="person", first_name="Jean", last_name=f"Durand{n}") for n in range(60)]
    _import_many(admin, batch)
    rare = _create(admin, ContactCreate(kind="person", first_name="Zoé", last_name="Quesnel"))
    with recorded_calls() as calls:
        assert _search(admin, q="quesnel zoe") == [rare["id"]]
    reads = [c for c in calls if c.operation in ("Query", "Scan")]
    assert all(c.operation == "Query" for c in reads)
    assert sum(c.response.get("ScannedCount", 0) for c in reads) == 1


def test_import_many_validates_like_create(admin):
    from chalicelib.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        _import_many(admin, [ContactCreate(kind="person", last_name="A", custom={"inconnu": 1})])
    assert err.value.details == [
        {"field": "custom.inconnu", "message": "Champ personnalisé non déclaré (voir /fields)."}
    ]
    assert ContactItem.count(admin.tenant_id) == 0


def _count_queries(fn):
    """fn's result and its DynamoDB calls: (operation, items the call read)."""
    with recorded_calls() as calls:
        result = fn()
    return result, [(c.operation, c.response.get("ScannedCount", 0)) for c in calls if c.service == "dynamodb"]


def test_a_rare_short_word_drives_the_search_not_the_common_long_one(admin):
    from chalicelib.services.contacts import PROBE

    _import_many(
        admin, [ContactCreate(kind="person", first_name=f"Jean{n}", last_name="Marchand") for n in range(PROBE + 20)]
    )
    yse = _create(admin, ContactCreate(kind="person", first_name="Ysé", last_name="Marchand"))
    ids, calls = _count_queries(lambda: _search(admin, q="ysé marchand"))
    assert ids == [yse["id"]]
    queries = [scanned for op, scanned in calls if op == "Query"]
    # One probe of "marchand" (not read to its end), one of "yse" (read whole: 1 entry), then the page.
    assert queries == [PROBE, 1]
    assert [op for op, _ in calls].count("BatchGetItem") == 1


def test_pages_of_a_several_word_search_resume_with_the_first_page_driver(admin):
    made = _import_many(
        admin, [ContactCreate(kind="person", first_name="Jean-Marc", last_name=f"Durand {n}") for n in range(7)]
    )
    _import_many(admin, [ContactCreate(kind="person", first_name="Paul", last_name="Durand")])
    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        page = _list(admin, ContactListQuery(q="durand jean", limit=3, cursor=cursor))
        sizes.append(len(page["items"]))
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sizes == [3, 3, 1]
    assert sorted(seen) == sorted(c["id"] for c in made)
