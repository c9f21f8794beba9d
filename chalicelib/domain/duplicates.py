"""Duplicate contacts: French-aware comparison of people, blocking, and the pairs worth a human look.

What a duplicate is here: two records of the same person, typed twice (by two services, an import and a form,
at two dates). What it is not, though a naive matcher says so:

- homonyms: same names, another person — told apart by another birth date, or by another address and email;
- members of one household: same address and landline, same last name, another first name (« Jean » and
  « Jeanne » are two people: a feminine form of a first name is a different first name).

How (`find_pairs`, `candidates`):

1. `profile` folds what identifies a person (names, emails, phones, birth date, postal address) into comparable
   forms: accents, case and hyphens ignored (domain/text.py `fold`); particles « de », « du », « le »… optional
   (« de La Fontaine » = « Lafontaine »); compound first names (« Jean-Pierre » = « Jean Pierre », and « Jean »
   may stand for it); a usage name with the birth name (« Martin née Dubois », « Dubois épouse Martin »: both
   names count); emails lower-cased; phones E.164; addresses with their abbreviations spelt out (« r. » = « rue »,
   « bd » = « boulevard », « St » = « Saint »).
2. `blocking_keys`: a few short keys per person (email, phone, address, birth date, the sound of each name with the
   other name's initial, in both orders for inverted names); only people sharing a key are compared, and in a
   block of more than `MAX_BLOCK` people (a switchboard number, a common name in a large tenant) only neighbours by
   name, so the number of comparisons grows with the number of people, not with its square.
3. `score`: rapidfuzz similarities of the names — Jaro-Winkler for surnames (made for short names and their typos),
   an edit distance with transpositions for first names, where a slip of one or two letters is the same name but
   « Nicole » and « Nicolas », or a feminine form, are another person — with the names in place or swapped;
   then the exact fields that agree (independent evidence: email, birth date, mobile, landline, address) or
   contradict (birth date, civility, and mildly address and email: people move). What a household shares
   (address, landline) counts half when one first name is only part of the other. A pair at or above
   `THRESHOLD` is proposed, never merged by itself.

Pure: the tenant job (services/duplicates.py), the check on contact creation and `python -m bench.dedupe` run this
same code. Personal data minimisation (RGPD art. 5-1-c): profiles live only while compared; nothing here is stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, JaroWinkler

from chalicelib.domain.contact_points import email_lookup_key, is_mobile, normalise_email, normalise_phone
from chalicelib.domain.text import fold

THRESHOLD = 0.76  # a pair scoring at least this is proposed (tuned with python -m bench.dedupe: best F1, no trap)
MAX_BLOCK = 40  # people sharing one blocking key beyond which they are compared with their neighbours by name only
WINDOW = 8  # neighbours by name compared in such a block

# Particles of French surnames, optional in how people write them: « de Gaulle » / « Gaulle », « Le Gall » /
# « Legall », « du Pont » / « Dupont ».
PARTICLES = frozenset({"de", "du", "des", "d", "le", "la", "les", "l"})
# Words that join a usage name and a birth name in a surname field: « Martin née Dubois », « Dubois épouse
# Martin », « Martin veuve Durand » (Code civil art. 225-1: a spouse may use the other's name as usage name).
NAME_JOINERS = frozenset({"nee", "ne", "epouse", "ep", "epx", "veuve", "vve", "dite", "dit"})
CIVILITY_WORDS = frozenset({"m", "mr", "mme", "mlle", "monsieur", "madame", "mademoiselle", "dr", "me"})

# Endings that make another first name of a first name, not a typo: the feminine forms Jean/Jeanne, Louis/Louise,
# Daniel/Danielle, Antoine/Antoinette, Frédéric/Frédérique, Yvon/Yvonne, and Julie/Julien. (shorter's ending,
# longer's ending).
OTHER_NAME_ENDINGS = (
    ("", "e"),
    ("", "ne"),
    ("", "le"),
    ("", "te"),
    ("", "tte"),
    ("e", "ette"),
    ("c", "que"),
    ("", "n"),
)

# French street-type abbreviations (La Poste, norme AFNOR NF Z 10-011 for address lines) and saints' names.
STREET_WORDS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "pl": "place",
    "ch": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "rte": "route",
    "fg": "faubourg",
    "fbg": "faubourg",
    "sq": "square",
    "crs": "cours",
    "qu": "quai",
    "pas": "passage",
    "res": "residence",
    "lot": "lotissement",
    "st": "saint",
    "ste": "sainte",
}
ADDRESS_FILLERS = PARTICLES | {"a", "au", "aux", "et"}
REPEATERS = frozenset({"bis", "ter", "quater", "b", "t", "q"})

# How much an agreeing exact field counts (combined as independent evidence: 1 - Π(1 - w)). A mobile number is
# one person's; a landline and an address are a household's: when one first name is only part of the other,
# what a household shares counts for HOUSEHOLD_SHARE of its weight only (« Marie » and « Marie-Claire » at one
# address and landline are as often a mother and her daughter as one woman).
AGREEMENT_WEIGHTS = {"email": 0.85, "birth_date": 0.85, "mobile": 0.8, "phone": 0.5, "address": 0.6}
HOUSEHOLD_FIELDS = frozenset({"phone", "address"})
HOUSEHOLD_SHARE = 0.5
# What a name-only match is worth before any exact field agrees: below THRESHOLD on purpose (homonyms).
NAME_ONLY = 0.6
# Factors applied when both records give a field and they differ.
CONTRADICTIONS = {"birth_date": 0.3, "civility": 0.4, "address": 0.9, "email": 0.95}
FIRST_NAME_FLOOR = 0.85  # below this, the first names are not the same person's
LAST_NAME_FLOOR = 0.8
INVERTED = 0.97  # first and last names swapped: slightly less sure than in place
COMPOUND_PART = 0.92  # « Jean » for « Jean-Pierre »
FIRST_NAME_TYPO = 0.9  # one letter wrong, missing, doubled or two swapped (« Frrédéric », « Jaen »)
FIRST_NAME_TYPOS = 0.86  # two of them in a long first name
SURNAME_PART = 0.92  # « Martin » for « Martin-Dubois »

_PHONETIC = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"qu"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ck|c|q"), "k"),
    (re.compile(r"g(?=[eiy])"), "j"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "s"),
    (re.compile(r"h"), ""),
    (re.compile(r"(?<=.)[aeiouy]+"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(?<=.)[stdxp]$"), ""),
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What identifies a person, folded for comparison. `ref` is the contact id (or the caller's row id)."""

    ref: str
    first: str  # folded first names, tokens joined by spaces: "jean pierre"
    surnames: tuple[str, ...]  # folded surnames: usage name, birth name; each "tokens joined by spaces"
    civility: str | None = None  # "M" or "Mme"
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    birth_date: str | None = None
    address: str | None = None  # "number|street words|postcode or city"


@dataclass(frozen=True, slots=True)
class Match:
    """Two profiles' score in [0, 1] and the fields that agree (name fields included when they match)."""

    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True, order=True)
class Pair:
    """A proposed pair, `a` < `b`."""

    a: str
    b: str
    score: float
    matched: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------------------------


def _tokens(text: str | None) -> list[str]:
    return fold(text or "").split()


def split_surname(raw: str | None) -> tuple[str, ...]:
    """The surnames a surname field gives: « Martin née Dubois » → ("martin", "dubois"), particles kept."""
    names: list[str] = []
    current: list[str] = []
    for token in _tokens(raw):
        if token in NAME_JOINERS:
            if current:
                names.append(" ".join(current))
            current = []
        elif token not in CIVILITY_WORDS or current:
            current.append(token)
    if current:
        names.append(" ".join(current))
    return tuple(dict.fromkeys(names))


_E164 = re.compile(r"\+[1-9]\d{7,14}")
_FRENCH_MOBILE_OR_FIXED = re.compile(r"0[1-79]\d{8}")  # metropolitan numbers (ARCEP plan); 08 and overseas: parsed


def _phone(value: str) -> str | None:
    """E.164, cheaply for what is stored already (E.164) or plainly French; phonenumbers for the rest."""
    compact = re.sub(r"[\s.\-/()]", "", value)
    if _E164.fullmatch(compact):
        return compact
    if _FRENCH_MOBILE_OR_FIXED.fullmatch(compact) and not compact.startswith(("0262", "0269", "0639", "069")):
        return "+33" + compact[1:]
    try:
        return normalise_phone(value)
    except ValueError:
        digits = re.sub(r"\D", "", value)
        return digits if len(digits) >= 6 else None


def _phones(values: Iterable[str]) -> frozenset[str]:
    return frozenset(p for p in map(_phone, values) if p)


_PLAIN_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+")


def _email(value: str) -> str | None:
    """The lookup form (contact_points.email_lookup_key), without validating what is plainly an address."""
    lowered = value.strip().lower()
    if _PLAIN_EMAIL.fullmatch(lowered):
        return lowered
    try:
        return email_lookup_key(normalise_email(value))
    except ValueError:
        return lowered if "@" in lowered else None


def _emails(values: Iterable[str]) -> frozenset[str]:
    return frozenset(e for e in map(_email, values) if e)


def address_key(lines: Iterable[str | None], postcode: str | None, city: str | None) -> str | None:
    """« 12 bis, r. de la Paix » + 75002 → "12b|rue paix|75002"; None without a street line."""
    words: list[str] = []
    for line in lines:
        for token in _tokens(line):
            if token in ADDRESS_FILLERS:
                continue
            words.append(STREET_WORDS.get(token, token))
    if not words:
        return None
    number = ""
    if words[0].isdigit() or re.fullmatch(r"\d+[a-z]", words[0]):
        number = words.pop(0)
        if words and words[0] in REPEATERS:
            number += words.pop(0)[0]
    place = re.sub(r"\s", "", postcode or "") or " ".join(_tokens(city))
    return f"{number}|{' '.join(words)}|{place}"


def profile(ref: str, doc: Mapping[str, Any]) -> Profile | None:
    """A contact record (the `doc` of store.entities.Contact) as a profile; None if it names no person."""
    if doc.get("kind", "person") != "person":
        return None
    first = " ".join(t for t in _tokens(doc.get("first_name")) if t not in CIVILITY_WORDS)
    surnames = split_surname(doc.get("last_name"))
    if not surnames and not first:
        return None
    address = doc.get("address") or {}
    civility = doc.get("civility")
    return Profile(
        ref=ref,
        first=first,
        surnames=surnames,
        civility=civility if civility in ("M", "Mme") else None,
        emails=_emails(doc.get("emails") or []),
        phones=_phones(doc.get("phones") or []),
        birth_date=doc.get("birth_date") or None,
        address=address_key(address.get("lines") or [], address.get("postcode"), address.get("city")),
    )


# Civilities as import files write them.
CIVILITIES = {"m": "M", "mr": "M", "monsieur": "M", "mme": "Mme", "madame": "Mme", "mlle": "Mme", "mademoiselle": "Mme"}
_DATE_FR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def iso_date(value: str | None) -> str | None:
    """« 14/07/1962 » or « 1962-07-14 » → "1962-07-14"; None when unreadable (a bad date is no evidence)."""
    text = (value or "").strip()
    found = _DATE_FR.fullmatch(text)
    if found:
        day, month, year = found.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}"
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def doc_of_row(row: Mapping[str, str | None]) -> dict[str, Any]:
    """A contact record from a row named with the import's fields (`civility`, `first_name`, `last_name`, `email`,
    `phone`, `birth_date`, `address_line`, `postcode`, `city`): what `profile` reads."""

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    return {
        "kind": "person",
        "civility": CIVILITIES.get(fold(cell("civility")).replace(" ", "")),
        "first_name": cell("first_name") or None,
        "last_name": cell("last_name") or None,
        "emails": [cell("email")] if cell("email") else [],
        "phones": [cell("phone")] if cell("phone") else [],
        "birth_date": iso_date(cell("birth_date")),
        "address": {"lines": [cell("address_line")], "postcode": cell("postcode") or None, "city": cell("city")},
    }


# --------------------------------------------------------------------------------------------------------------
# Blocking
# --------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def sound(word: str) -> str:
    """A coarse French sound of a folded name: its first letter and its consonants as heard (« Dupont » and
    « Dupond » → "dpn", « Philippe » and « Filipe » → "flp")."""
    key = word.replace(" ", "")
    for pattern, replacement in _PHONETIC:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=1 << 16)
def surname_variants(surname: str) -> frozenset[str]:
    """A surname written with and without its particles, spaces removed: « de la fontaine » → {"delafontaine",
    "lafontaine", "fontaine"}."""
    tokens = surname.split()
    found = {"".join(tokens)}
    while len(tokens) > 1 and tokens[0] in PARTICLES:
        tokens = tokens[1:]
        found.add("".join(tokens))
    core = [t for t in tokens if t not in PARTICLES]
    if core:
        found.add("".join(core))
    return frozenset(found)


def blocking_keys(p: Profile) -> set[str]:
    """The keys under which `p` is compared with others: see the module's docstring."""
    keys = {f"e:{e}" for e in p.emails} | {f"p:{ph}" for ph in p.phones}
    if p.address:
        keys.add(f"a:{p.address}")
    if p.birth_date:
        keys.add(f"b:{p.birth_date}")
    first = p.first.replace(" ", "")
    first_initials = {t[0] for t in p.first.split()}
    for surname in p.surnames:
        for variant in surname_variants(surname):
            keys.update(f"n:{sound(variant)}|{initial}" for initial in first_initials)
            if first:
                keys.add(f"n:{sound(first)}|{variant[0]}")  # the same person with first and last names swapped
    return keys


def _order(p: Profile) -> str:
    return f"{p.surnames[0] if p.surnames else ''}|{p.first}|{p.ref}"


def candidate_pairs(profiles: Mapping[str, Profile]) -> set[tuple[str, str]]:
    """Pairs of refs sharing a blocking key (each once, a < b).

    A block of more than `MAX_BLOCK` people (a switchboard number, a common name in a large tenant) is sorted by
    name and each person compared with the `WINDOW` next ones only (sorted neighbourhood): a duplicate sits next to
    its original, and the comparisons stay proportional to the people.
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for ref, p in profiles.items():
        for key in blocking_keys(p):
            blocks[key].append(ref)
    pairs: set[tuple[str, str]] = set()
    for refs in blocks.values():
        if len(refs) < 2:
            continue
        if len(refs) <= MAX_BLOCK:
            ordered = sorted(refs)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
            continue
        ordered = sorted(refs, key=lambda ref: _order(profiles[ref]))
        for i, a in enumerate(ordered):
            pairs.update((a, b) if a < b else (b, a) for b in ordered[i + 1 : i + 1 + WINDOW])
    return pairs


# --------------------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------------------


def _other_name(a: str, b: str) -> bool:
    """True when one first name is another name made from the other (Jean/Jeanne, Frédéric/Frédérique)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    for short_end, long_end in OTHER_NAME_ENDINGS:
        if short.endswith(short_end) and long == short[: len(short) - len(short_end)] + long_end:
            return True
    return False


def _first_token_similarity(a: str, b: str) -> float:
    """One first name against another: equal, a typo (edit distance with transpositions), or another name.

    Jaro-Winkler would call « Nicole » and « Nicolas », « Marie » and « Martine » alike: in a household they are
    two people. Only one or two slips of the pen count as the same name.
    """
    if a == b:
        return 1.0
    if _other_name(a, b):
        return 0.0
    edits = OSA.distance(a, b)
    shortest = min(len(a), len(b))
    if edits == 1 and (shortest >= 4 or (shortest == 3 and len(a) != len(b))):
        return FIRST_NAME_TYPO  # « Léo » / « Léoo », but « Léa » / « Léo » are two names
    if edits == 2 and shortest >= 8:
        return FIRST_NAME_TYPOS
    return JaroWinkler.normalized_similarity(a, b) / 2


def is_partial_first_name(a: str, b: str) -> bool:
    """True when one compound first name holds the other's names and more: « Marie » / « Marie-Claire »."""
    ta, tb = set(a.split()), set(b.split())
    return bool(ta and tb) and ta != tb and (ta < tb or tb < ta)


@lru_cache(maxsize=1 << 16)
def first_name_similarity(a: str, b: str) -> float:
    """Folded first names (tokens joined by spaces): compound names, other names and typos.

    Compound names are compared name by name (« Jean-Pierre » and « Jean-Paul » are brothers, not a typo); a
    single name standing for the first part of a compound one (« Jean » for « Jean-Pierre ») counts nearly as much.
    """
    if not a or not b:
        return 0.0
    ja, jb = a.replace(" ", ""), b.replace(" ", "")
    if ja == jb:
        return 1.0
    short, long = sorted((a.split(), b.split()), key=len)
    if len(short) == len(long):
        return min(_first_token_similarity(x, y) for x, y in zip(short, long, strict=True))
    if set(short) <= set(long):
        return COMPOUND_PART if short[0] == long[0] else COMPOUND_PART - 0.04
    if len(short) == 1:
        return _first_token_similarity(ja, jb)  # « Jeanpierre » for « Jean-Pierre » with a typo
    return min(_first_token_similarity(x, y) for x, y in zip(short, long, strict=False)) * COMPOUND_PART


@lru_cache(maxsize=1 << 16)
def _surname_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    va, vb = surname_variants(a), surname_variants(b)
    if va & vb:
        return 1.0
    ta = {t for t in a.split() if t not in PARTICLES}
    tb = {t for t in b.split() if t not in PARTICLES}
    if ta and tb and (ta < tb or tb < ta):
        return SURNAME_PART  # one part of a double-barrelled name: « Martin » for « Martin-Dubois »
    return max(JaroWinkler.normalized_similarity(x, y) for x in va for y in vb)


def surname_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The best agreement between any surname of one (usage or birth name) and any of the other."""
    return max((_surname_similarity(x, y) for x in a for y in b), default=0.0)


def _cross(x: str, y: str) -> float:
    """A name of one record against the other record's name of the other kind: a first name or a last name, which
    one is unknown, so both rules must agree (the stricter one counts)."""
    return min(first_name_similarity(x, y), _surname_similarity(x, y))


def _swapped(a: Profile, b: Profile) -> tuple[float, float]:
    """Names with one record's first and last names swapped (« DUPONT Jean » for « Jean Dupont »): each first name
    against the other's last name; the weaker agreement stands for the first name, so the first-name floor applies
    to it."""
    if not (a.first and a.surnames and b.first and b.surnames):
        return (0.0, 0.0)
    one = max(_cross(a.first, s) for s in b.surnames)
    other = max(_cross(s, b.first) for s in a.surnames)
    return (min(one, other) * INVERTED, max(one, other) * INVERTED)


def name_similarity(a: Profile, b: Profile) -> tuple[float, float]:
    """(first name, last name) similarity, in place or with the names of one record swapped, whichever is better
    (symmetric: which record holds them the wrong way round is unknown)."""
    straight = (first_name_similarity(a.first, b.first), surname_similarity(a.surnames, b.surnames))
    if straight[0] >= FIRST_NAME_FLOOR and straight[1] >= LAST_NAME_FLOOR:
        return straight
    return max(straight, _swapped(a, b), key=lambda s: min(s) + sum(s))


def _address_agrees(a: str, b: str) -> bool:
    if a == b:
        return True
    na, sa, pa = a.split("|")
    nb, sb, pb = b.split("|")
    return bool(na) and na == nb and pa == pb and JaroWinkler.normalized_similarity(sa, sb) >= 0.9


def _evidence(a: Profile, b: Profile) -> tuple[list[str], float]:
    """(exact fields that agree, product of the factors of those that contradict)."""
    agree: list[str] = []
    factor = 1.0
    if a.emails and b.emails:
        if a.emails & b.emails:
            agree.append("email")
        else:
            factor *= CONTRADICTIONS["email"]
    shared_phones = a.phones & b.phones
    if any(is_mobile(p) for p in shared_phones):  # numbering plans' mobile ranges (contact_points.mobile_region)
        agree.append("mobile")
    elif shared_phones:
        agree.append("phone")
    if a.birth_date and b.birth_date:
        if a.birth_date == b.birth_date:
            agree.append("birth_date")
        else:
            factor *= CONTRADICTIONS["birth_date"]
    if a.address and b.address:
        if _address_agrees(a.address, b.address):
            agree.append("address")
        else:
            factor *= CONTRADICTIONS["address"]
    if a.civility and b.civility and a.civility != b.civility:
        factor *= CONTRADICTIONS["civility"]
    return agree, factor


def score(a: Profile, b: Profile) -> Match:
    """How sure we are that `a` and `b` are one person: names first, then exact fields for and against."""
    first, last = name_similarity(a, b)
    if first < FIRST_NAME_FLOOR:
        return Match(0.0, ())
    agree, factor = _evidence(a, b)
    if last < LAST_NAME_FLOOR and not {"email", "birth_date"} <= set(agree):
        return Match(0.0, ())  # another surname: only the same email and birth date tell it is the same person
    partial = is_partial_first_name(a.first, b.first)
    doubt = 1.0
    for name in agree:
        share = HOUSEHOLD_SHARE if name in HOUSEHOLD_FIELDS and partial else 1.0
        doubt *= 1 - AGREEMENT_WEIGHTS[name] * share
    names = (first + max(last, LAST_NAME_FLOOR)) / 2
    value = names * (NAME_ONLY + (1 - NAME_ONLY) * (1 - doubt)) * factor
    matched = [*(["first_name"] if first >= 0.999 else []), *(["last_name"] if last >= 0.999 else []), *agree]
    matched = ["phone" if name == "mobile" else name for name in matched]
    return Match(round(min(1.0, value), 4), tuple(matched))


# --------------------------------------------------------------------------------------------------------------
# Pairs
# --------------------------------------------------------------------------------------------------------------


def find_pairs(profiles: Iterable[Profile], threshold: float = THRESHOLD) -> list[Pair]:
    """Every pair of `profiles` scoring at least `threshold`, each once (a < b), sorted: the tenant job's work."""
    by_ref = {p.ref: p for p in profiles}
    found = []
    for a, b in candidate_pairs(by_ref):
        match = score(by_ref[a], by_ref[b])
        if match.score >= threshold:
            found.append(Pair(a, b, match.score, match.matched))
    return sorted(found)


def candidates(new: Profile, others: Iterable[Profile], threshold: float = THRESHOLD) -> list[Pair]:
    """The pairs `new` forms with `others` (a record being created against those found by its keys), best first."""
    keys = blocking_keys(new)
    found = []
    for other in others:
        if other.ref == new.ref or not keys & blocking_keys(other):
            continue
        match = score(new, other)
        if match.score >= threshold:
            a, b = sorted((new.ref, other.ref))
            found.append(Pair(a, b, match.score, match.matched))
    return sorted(found, key=lambda pair: -pair.score)
