"""The right to erasure (RGPD art. 17): what an erased person's records keep, what is blanked, and the keyed hash
that lets a later import recognise the person without keeping their address or number.

Erasure anonymises rather than deletes the records other figures count (an event's attendance, a campaign's sent
and delivered counts): the record stays, its personal data is replaced by `PLACEHOLDER` or removed. What the law
requires to keep (art. 17 § 3 b: « pour respecter une obligation légale », e.g. campaign-finance records under the
Code électoral) is not touched by erasure.

`point_key` is an HMAC-SHA256 of a normalised email (lower-cased) or E.164 phone under a deployment secret: the
erasure keeps only these keys, so that an import or a new contact carrying the same address says « personne ayant
demandé l'effacement » instead of silently bringing the person back (art. 17 and 21: the request must be honoured
over time), while the keys alone reveal nothing without the secret (art. 4 § 5, pseudonymisation; CNIL, « La
pseudonymisation des données personnelles »).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from chalicelib.domain.contact_points import email_lookup_key, normalise_email, normalise_phone

PLACEHOLDER = "Personne effacée"
ERASED_MESSAGE = (
    "Cette adresse ou ce numéro appartient à une personne ayant demandé l'effacement de ses données : "
    "le contact n'est pas recréé. Si la personne le demande elle-même, un administrateur peut le recréer "
    "(paramètre override_erasure=true)."
)
MIN_SCRUBBED = 3  # shorter strings (initials) are not searched for in free text: they would blank everything

# What each record kind keeps of the person once erased: field → the value written instead. Records not listed
# here hang off the contact alone and go with it (mandates, consents, topic choices).
BLANKED: dict[str, dict[str, Any]] = {
    # The history keeps its dates and kinds (counts per kind, who on the staff wrote it); the text may name anyone.
    "interaction": {"summary": PLACEHOLDER},
    # An open task stays open (someone still has to act), its title may name the person.
    "task": {"title": PLACEHOLDER},
    # The campaign's counts come from the statuses and dates, which stay; the address and the salutation go.
    "campaign_message": {"address": None, "appel": None, "links": []},
}


def point_key(secret: bytes, value: str) -> str:
    """The keyed hash of one normalised contact point (a lower-cased email, an E.164 phone)."""
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()


def normalised_email(value: str) -> str:
    """The email as the contacts' index keys it; an unreadable one, trimmed and lower-cased all the same."""
    try:
        return email_lookup_key(normalise_email(value))
    except ValueError:
        return value.strip().lower()


def normalised_phone(value: str) -> str:
    """The phone in E.164; an unreadable one, trimmed all the same."""
    try:
        return normalise_phone(value)
    except ValueError:
        return value.strip()


def points(emails: Iterable[str | None], phones: Iterable[str | None]) -> list[str]:
    """The normalised contact points among these (empty values left out, each once)."""
    found = [normalised_email(e) for e in emails if e and e.strip()]
    found += [normalised_phone(p) for p in phones if p and p.strip()]
    return list(dict.fromkeys(found))


def point_keys(secret: bytes, emails: Iterable[str | None], phones: Iterable[str | None]) -> dict[str, str]:
    """normalised point → its key."""
    return {point: point_key(secret, point) for point in points(emails, phones)}


def erased_doc(doc: Mapping[str, Any], at: str) -> dict[str, Any]:
    """The contact record once erased: its kind, the placeholder as its name, archived (out of lists, segments and
    sends), and when. Everything else (names, emails, phones, address, birth date, tags, custom fields, notes,
    affiliations, partner) is gone."""
    kind = doc.get("kind") or "person"
    erased: dict[str, Any] = {"kind": kind, "archived": True, "erased_at": at}
    if kind == "organisation":
        erased["organisation_name"] = PLACEHOLDER
    else:
        erased["last_name"] = PLACEHOLDER
    return erased


def is_erased(doc: Mapping[str, Any]) -> bool:
    return bool(doc.get("erased_at"))


def personal_strings(doc: Mapping[str, Any]) -> set[str]:
    """The person's identifying strings as they may appear in free text (audit details, notes), case-folded."""
    address = doc.get("address") or {}
    raw: list[Any] = [
        doc.get("first_name"),
        doc.get("last_name"),
        doc.get("birth_date"),
        *(doc.get("emails") or []),
        *(doc.get("phones") or []),
        *(address.get("lines") or []),
    ]
    if doc.get("kind") == "organisation":
        raw.append(doc.get("organisation_name"))
    raw += points(doc.get("emails") or [], doc.get("phones") or [])
    return {s.strip().casefold() for s in raw if isinstance(s, str) and len(s.strip()) >= MIN_SCRUBBED}


def scrub(value: Any, strings: Collection[str]) -> Any:
    """``value`` with every text that contains one of ``strings`` (case-folded) replaced by the placeholder, in
    nested lists and maps too; other values as they are."""
    if isinstance(value, str):
        folded = value.casefold()
        return PLACEHOLDER if any(s in folded for s in strings) else value
    if isinstance(value, dict):
        return {k: scrub(v, strings) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, strings) for v in value]
    return value


def blanked_invitation_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """An invitation's document once the guest (or the partner invited with them) is erased: names blanked, but as
    many companions as before (the seats they hold count in the attendance), the history's statuses and dates kept
    without their notes."""
    blanked = dict(doc)
    blanked["name"] = PLACEHOLDER
    blanked["companions"] = [{"name": PLACEHOLDER} for _ in doc.get("companions") or []]
    representative = doc.get("representative")
    if representative:
        blanked["representative"] = {
            "name": PLACEHOLDER if representative.get("name") else None,
            "function": None,
            "contact_id": representative.get("contact_id"),
        }
    blanked["history"] = [{**entry, "note": None} for entry in doc.get("history") or []]
    return blanked


def anonymous_answers(answers: Mapping[str, Any], questions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A consultation response of an erased person, kept for the results (its choices, scales and rankings still
    count) but with its free-text answers blanked: a person writes anything about themself there."""
    text = {q["id"] for q in questions if q.get("kind") == "text"}
    return {qid: ("" if qid in text else value) for qid, value in answers.items()}
