"""How a contact query is answered: which index range drives it, and what an entry must satisfy.

Rule: every word of ``q`` must match the start of a word of the contact's first
name, last name or organisation name, ignoring case, accents and hyphens. One query word drives the
index read; the other words, the tag and the kind are checked on each index entry, which
carries the contact's words and tags. The driver should be the rarest word: the service
probes the words' ranges (longest first, `driver_candidates`) and takes the first range it
reads to the end, so a query with one rare word costs the same in any size of tenant.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from chalicelib.domain.text import slug, words

# Archived contacts are indexed under their own partitions ("{tenant}#archived#all"…): hidden from the lists at no
# cost (no entry read and filtered out), and listed apart with the same criteria (GET /contacts?archived=true).
ARCHIVED = "archived#"


@dataclass(frozen=True)
class SearchPlan:
    partition: str  # suffix after "{tenant}#": "all", "kind", "tag" or "w#{letter}", after ARCHIVED if archived
    prefix: str  # begins_with on the sort key
    driver_word: str | None
    other_words: tuple[str, ...]
    tag: str | None
    kind: str | None

    @property
    def accepts_everything(self) -> bool:
        """Every entry of the range is a match: no need to read more than the page."""
        return (
            not self.other_words
            and self.driver_word is None
            and (self.tag is None or self.partition == "tag")
            and (self.kind is None or self.partition == "kind")
        )

    @property
    def is_empty(self) -> bool:
        """A query made only of punctuation matches nothing rather than everything."""
        return self.partition == ""


def query_words(q: str | None) -> list[str]:
    return words(q) if q else []


def driver_candidates(q: str | None) -> list[str]:
    """The query words in the order worth probing: longer words usually match fewer names."""
    return sorted(query_words(q), key=len, reverse=True)


def plan(
    q: str | None, tag: str | None, kind: str | None, driver: str | None = None, *, archived: bool = False
) -> SearchPlan:
    """How to read the index; `driver` (one of the query words) overrides the longest-word default."""
    found = _plan(q, tag, kind, driver)
    if archived and not found.is_empty:
        return SearchPlan(ARCHIVED + found.partition, *astuple(found)[1:])
    return found


def _plan(q: str | None, tag: str | None, kind: str | None, driver: str | None) -> SearchPlan:
    query_words = words(q) if q else []
    tag_slug = slug(tag) if tag else None
    if (q and not query_words) or (tag is not None and not tag_slug):
        return SearchPlan("", "", None, (), tag_slug, kind)
    if query_words:
        if driver not in query_words:
            driver = max(query_words, key=len)
        others = tuple(w for w in query_words if w != driver)
        return SearchPlan(f"w#{driver[0]}", driver, driver, others, tag_slug, kind)
    if tag_slug:
        return SearchPlan("tag", f"{tag_slug}#", None, (), tag_slug, kind)
    if kind:
        return SearchPlan("kind", f"{kind}#", None, (), None, kind)
    return SearchPlan("all", "", None, (), None, None)


def accepts(p: SearchPlan, entry_sk: str, entry_words: list[str], entry_tags: list[str], entry_kind: str) -> bool:
    if p.kind and entry_kind != p.kind and p.partition != "kind":
        return False
    if p.tag and p.tag not in entry_tags:
        return False
    if not all(any(w.startswith(q) for w in entry_words) for q in p.other_words):
        return False
    if p.driver_word is not None:
        # A contact with two words starting with the driver ("Jean Jeanneau" for "jean") has two
        # entries in the range: only the one of its first such word counts, so it is listed once.
        entry_word = entry_sk.rsplit("#", 1)[0]
        first = min((w for w in entry_words if w.startswith(p.driver_word)), default=None)
        if entry_word != first:
            return False
    return True
