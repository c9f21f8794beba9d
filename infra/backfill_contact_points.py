"""One-off, for a stack deployed before replies: write the contact index's email and phone entries.

A reply is matched to its sender among the tenant's contacts, and an SMS « STOP » to the contacts with its number,
through the contact index's email and phone entries (store/search_index.py); contacts saved before those entries
existed have none until they are saved again, so a STOP from them would find nobody. This writes them, once. It
Scans the contacts table: a maintenance step run by hand (`python -m infra.backfill_contact_points`, with the stage's
AGORA_TABLE_PREFIX and AWS credentials), never a request path. The entries are keyed by the contact's own values:
running it twice writes the same items again and changes nothing.
"""

from __future__ import annotations

from chalicelib.store import contacts, search_index


def backfill() -> dict[str, int]:
    done = {"contacts": 0, "entries": 0}
    with search_index.IndexItem.batch_write() as batch:
        for item in contacts.ContactItem.scan():
            points = [
                e
                for e in search_index.entries_for(item.tenant_id, item.contact_id, item.doc)
                if search_index.is_contact_point(e)
            ]
            for entry in points:
                batch.save(entry)
            done["contacts"] += 1
            done["entries"] += len(points)
    return done


if __name__ == "__main__":
    print(backfill())
