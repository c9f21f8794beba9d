"""Rules about contact records that do not depend on storage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.domain.rne import identity_key
from chalicelib.domain.text import fold, slug, words

CONFIDENTIAL_FIELDS = ("protocol_notes",)


def display_name(doc: Mapping[str, Any]) -> str:
    if doc.get("kind") == "organisation":
        return str(doc.get("organisation_name") or "")
    return " ".join(p for p in (doc.get("first_name"), doc.get("last_name")) if p)


CIVILITY_SHORT = {"M": "M.", "Mme": "Mme"}  # lists, badges, envelopes
CIVILITY_LONG = {"M": "Monsieur", "Mme": "Madame"}  # salutations: « Bonjour Madame Martin »


def formal_name(doc: Mapping[str, Any]) -> str:
    """« Mme Anne Martin »: the display name after the abbreviated civility (an organisation has none)."""
    civility = "" if doc.get("kind") == "organisation" else CIVILITY_SHORT.get(doc.get("civility") or "", "")
    return " ".join(x for x in (civility, display_name(doc)) if x)


def sort_name(doc: Mapping[str, Any]) -> str:
    """French directory order: last name, then first name; organisations by their name."""
    if doc.get("kind") == "organisation":
        key = fold(doc.get("organisation_name") or "")
    else:
        key = fold(f"{doc.get('last_name') or ''} {doc.get('first_name') or ''}")
    return " ".join(key.split())[:120] or "~"


def name_words(doc: Mapping[str, Any]) -> list[str]:
    return words(doc.get("first_name"), doc.get("last_name"), doc.get("organisation_name"))


def tag_slugs(doc: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(s for s in (slug(t) for t in doc.get("tags") or []) if s))


def identity(doc: Mapping[str, Any]) -> str | None:
    """Names and birth date, folded: how an imported élu is recognised (domain/rne.py identity_key)."""
    if doc.get("kind") != "person" or not (doc.get("last_name") and doc.get("first_name") and doc.get("birth_date")):
        return None
    return identity_key(doc["last_name"], doc["first_name"], date.fromisoformat(doc["birth_date"]))


def redact(doc: Mapping[str, Any], can_see_confidential: bool) -> dict[str, Any]:
    """Hide protocol-confidential fields from roles that may not read them (CNIL: need to know)."""
    if can_see_confidential:
        return dict(doc)
    return {k: (None if k in CONFIDENTIAL_FIELDS else v) for k, v in doc.items()}
