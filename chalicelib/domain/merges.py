"""Merging duplicate contacts into one record, and undoing it: the pure rules (services/merges.py applies them).

A merge is a correction of inaccurate data (RGPD art. 5-1-d, exactitude): the record kept keeps what it says, its
empty fields are filled from the merged records (in the order given), and tags are united. Consents follow
`domain/consent.most_protective`. An undo is possible for `UNDO_DAYS` days: long enough to notice a wrong merge,
short enough that the snapshot of the merged records is not kept longer than needed (art. 5-1-e, conservation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

MAX_MERGED = 10  # records merged into one at a time: a longer list is a mistake more often than a household
UNDO_DAYS = 30
# Records one merge moves at most: the merge record lists each (about 120 bytes) beside the merged contacts whole,
# and a DynamoDB item holds 400 KB. A person with more is merged by hand, in steps, rather than half-recorded.
MAX_MOVED = 2000
NEVER_FILLED = frozenset({"kind", "archived"})  # the record kept decides these alone
UNITED = frozenset({"tags", "interests"})  # lists of labels: the union, the kept record's first
FILLED_BY_KEY = frozenset({"custom"})  # maps filled value by value (custom fields)


def is_empty(value: Any) -> bool:
    """A field that says nothing: absent, null, blank, an empty list or map."""
    return value is None or value == "" or value == [] or value == {}


def merged_doc(keep: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The kept record with its empty fields filled from `others` (the first that has one wins) and their tags
    added: what the kept record says is never replaced."""
    doc = dict(keep)
    for other in others:
        for name, value in other.items():
            if name in NEVER_FILLED or is_empty(value):
                continue
            if name in UNITED:
                doc[name] = list(dict.fromkeys([*(doc.get(name) or []), *value]))
            elif name in FILLED_BY_KEY and isinstance(value, Mapping):
                current = dict(doc.get(name) or {})
                current.update({k: v for k, v in value.items() if is_empty(current.get(k)) and not is_empty(v)})
                doc[name] = current
            elif is_empty(doc.get(name)):
                doc[name] = value
    return doc


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(name for name in {*before, *after} if before.get(name) != after.get(name))


def unmerged_doc(current: Mapping[str, Any], before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The kept record on undo: each field the merge filled goes back to what it was, unless someone changed it
    since (then the change stands); tags added by the merge are removed, tags added since are kept."""
    doc = dict(current)
    for name in changed_fields(before, after):
        if name in UNITED:
            added = set(after.get(name) or []) - set(before.get(name) or [])
            doc[name] = [t for t in current.get(name) or [] if t not in added]
        elif current.get(name) == after.get(name):
            if name in before:
                doc[name] = before[name]
            else:
                doc.pop(name, None)
    return doc


def undo_deadline(merged_at: datetime) -> datetime:
    return merged_at + timedelta(days=UNDO_DAYS)


def may_undo(merged_at: datetime, now: datetime) -> bool:
    """True while the merge may be undone (`UNDO_DAYS` days, to the instant)."""
    return now <= undo_deadline(merged_at)
