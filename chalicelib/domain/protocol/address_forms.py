"""Forms of address for letters: formule d'appel, closing formula, address block and envelope.

Pure domain code. The data is the usage of official correspondence encoded as tables in ``address_forms_data.py``
(its sources are named there: modele-lettre.com, studylibfr, simonnetavocat.fr, the circulaire du Premier ministre
du 21 novembre 2017), with the source next to each row and ``unconfirmed`` set where the sources are uncertain ❓/⚠️
or do not give the form (best knowledge); this module holds the rules that read them.

How a recipient is addressed
----------------------------
* The recipient's **highest function active on the date** is used: among the mandates active on ``on`` whose
  function has a row in :data:`FUNCTION_FORMS`, the one with the lowest rank (``rank_of``; ranks are the décret
  89-655 categories, lower = higher precedence, see :data:`DEFAULT_RANKS`); functions without a rank come after
  ranked ones; ties go to the row declared first in :data:`FUNCTION_FORMS` (the more specific title: an adjoint who
  is also conseiller municipal is addressed as adjoint). Mandates whose function has no row are ignored.
* **Gender** comes from the civility ("Mme" → feminine, "M" → masculine). The feminine title is the default (circulaire
  du Premier ministre du 21 novembre 2017); ``address_form == "traditional"`` keeps the masculine title for a woman
  (« Madame le Maire, », which the Académie française keeps as legitimate for whoever prefers it). Without a civility
  the appel is « Madame, Monsieur, » and the suscription uses the name and the masculine (generic) title.
* A **former office-holder** keeps the office's appel for life (usage ❓, :data:`COURTESY_FORMS`): an ended
  mandate (``end`` before the date) of président de la République, Premier ministre, ministre, préfet or
  ambassadeur gives « Monsieur le Ministre, », « Madame la Préfète, »… and a courtesy title in the block
  (« Ancien ministre », « Préfet honoraire »). The Government's titles win over a lower current function (a former
  minister now député is « Monsieur le Ministre, », the block names the current function); the others only when
  the person holds no function (a préfet honoraire who became maire is « Monsieur le Maire, »).
* A person **without a function** is addressed by their honorific when it has a row in :data:`HONORIFIC_FORMS`
  (« Maître, », « Monseigneur, », « Éminence, » or « Monsieur le Cardinal, »…), otherwise « Madame, » /
  « Monsieur, ». A function wins over an honorific, a former office too. A free title (function ``autre``) stays
  in the block after the honorific: « Monseigneur Jean Dupont, Évêque de Rouen ».
* The **closing** repeats the appel exactly (studylibfr, « Formules de politesse »): « Je vous prie d'agréer, <appel>,
  <formule>. »; the formula is chosen by :func:`closing_formula` (rule in its docstring).
* **Territory names** come ready-made with their article from ``territory_names`` (e.g. "de la Seine-Maritime");
  when it is not given or returns None, the territory is omitted.
* ``address_block`` is the suscription as modele-lettre.com writes it (one line: « Madame Jeanne Dupont, Députée de
  la Seine-Maritime »); ``envelope`` lays the same text out in postal lines of at most 38 characters, the name and
  the function on separate lines (NF Z 10-011 / La Poste line length: best knowledge ❓, not in the sources).
  The postal address itself (contact points) is added by the service.

Typography: the comma follows the appel with no space; the straight apostrophe is used as in the sources
(« d'agréer »); a narrow no-break space (U+202F) is put before « ; : ! ? » should any appear (free titles).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from chalicelib.domain.protocol.address_forms_art3 import ROWS_ART3
from chalicelib.domain.protocol.address_forms_data import (
    ASSURANCE_DISTINGUEE,
    ASSURANCE_HAUTE,
    CLOSING_FORMULAS,
    COURTESY_CLOSING,
    COURTESY_FORMS,
    EXPRESSION_HAUTE,
    HONORIFIC_FORMS,
    HONORIFIC_NOTE,
    RESPECTUEUSE,
    ROWS,
    TRES_HAUTE,
    CourtesyForm,
    FunctionForm,
    HonorificForm,
    article,
)
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Mandate, Person, Territory

__all__ = [
    "CLOSE_RANKS",
    "CLOSING_FORMULAS",
    "COURTESY_FORMS",
    "DEFAULT_RANKS",
    "ENVELOPE_LINE_LENGTH",
    "FUNCTION_FORMS",
    "HONORIFIC_FORMS",
    "AddressForms",
    "CourtesyForm",
    "FunctionForm",
    "HonorificForm",
    "SenderRank",
    "address_forms",
    "closing_formula",
    "default_rank_of",
    "former_office",
    "highest_function",
    "honorific_form",
    "sender_relation",
]

NNBSP = "\u202f"  # narrow no-break space, before ; : ! ?
ENVELOPE_LINE_LENGTH = 38  # NF Z 10-011 / La Poste: 38 characters per line (best knowledge ❓)

FUNCTION_FORMS: dict[str, FunctionForm] = {row.code: row for row in (*ROWS, *ROWS_ART3)}
_ORDER = {code: i for i, code in enumerate(FUNCTION_FORMS)}

# Default ranks (lower = higher precedence): the décret n° 89-655 article 3 categories, with
# fractional usage ranks (7.5 for the EPCI president), read from the functions catalogue (functions.py), which is
# also what the service passes as ``rank_of``.
DEFAULT_RANKS: dict[str, float | None] = {code: FUNCTIONS[code].rank_departement for code in FUNCTION_FORMS}

# Two ranks are "equal or close" (élu → élu: « l'assurance de ma haute considération ») when they differ by at most
# this much: the same or an adjacent category (préfet ↔ député, maire ↔ président d'EPCI, président du conseil
# départemental ↔ maire).
CLOSE_RANKS = 1.0


def default_rank_of(code: str) -> float | None:
    return DEFAULT_RANKS.get(code)


class SenderRank(StrEnum):
    """The sender's position relative to the recipient, when it is given directly instead of a function code."""

    CITIZEN = "citizen"  # a private person or an association: no rank
    LOWER = "lower"  # the sender ranks below the recipient: writes to a superior (« l'expression »)
    EQUAL = "equal"  # equal or close rank (« l'assurance »)
    HIGHER = "higher"  # the sender ranks above the recipient (« l'assurance de ma considération distinguée »)


# ---------------------------------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressForms:
    appel: str  # « Madame la Préfète, »
    closing: str  # « Je vous prie d'agréer, Madame la Préfète, l'expression de ma haute considération. »
    address_block: list[str]  # the suscription as the sources write it, one line per person group
    envelope: list[str]  # the same laid out in postal lines of at most 38 characters
    function: str | None = None  # the function code used for the recipient (None: honorific or plain civility)
    unconfirmed: list[str] = field(default_factory=list)  # notes on the unconfirmed rules that were used


# ---------------------------------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------------------------------

RankOf = Callable[[str], float | None]
TerritoryNames = Callable[[Territory], str | None]


def highest_function(person: Person, on: date, rank_of: RankOf | None = None) -> Mandate | None:
    """The mandate whose function addresses the person on the date (see the module docstring), or None."""
    rank_of = rank_of or default_rank_of
    candidates = [m for m in person.mandates if m.function in FUNCTION_FORMS and m.active_on(on)]
    if not candidates:
        return None

    def key(m: Mandate) -> tuple[int, float, int]:
        rank = rank_of(m.function)
        return (rank is None, rank if rank is not None else 0.0, _ORDER[m.function])

    return min(candidates, key=key)


def former_office(person: Person, on: date, rank_of: RankOf | None = None) -> CourtesyForm | None:
    """The courtesy form of the highest office the person held and no longer holds on the date, or None.

    Only the offices of :data:`COURTESY_FORMS` (président de la République, Premier ministre, ministre, préfet,
    ambassadeur) give one; an office held again on the date is a current function, not a former one."""
    rank_of = rank_of or default_rank_of
    current = {m.function for m in person.mandates if m.active_on(on)}
    ended = [
        m.function
        for m in person.mandates
        if m.function in COURTESY_FORMS and m.end is not None and m.end < on and m.function not in current
    ]
    if not ended:
        return None
    order = list(COURTESY_FORMS)

    def key(code: str) -> tuple[float, int]:
        rank = rank_of(code)
        return (rank if rank is not None else float("inf"), order.index(code))

    return COURTESY_FORMS[min(ended, key=key)]


def honorific_form(honorific: str | None) -> HonorificForm | None:
    if not honorific:
        return None
    wanted = _fold(honorific)
    for form in HONORIFIC_FORMS.values():
        if wanted in {_fold(a) for a in form.aliases}:
            return form
    return None


def sender_relation(
    sender_rank: SenderRank | str | None,
    recipient_function: str | None,
    rank_of: RankOf | None = None,
) -> SenderRank:
    """The sender's position relative to the recipient.

    A :class:`SenderRank` (or its value) is taken as is; None → CITIZEN. A function code is compared with the
    recipient's function through ``rank_of`` (lower = higher precedence):

    * sender function without a rank (autre, unknown code) → CITIZEN;
    * recipient without a function → HIGHER (an authority writing to a citizen);
    * recipient function without a rank (autre, conseiller communautaire) → EQUAL (the more courteous choice);
    * recipient of the Government and a sender outside it → LOWER (« très haute considération »);
    * recipient representing the State (préfet, sous-préfet, recteur, général, ambassadeur) or a magistrate, and a
      sender who is none of these (élu, agent) → LOWER (« élu/maire → préfet », and deference to magistrates);
    * otherwise |sender − recipient| ≤ :data:`CLOSE_RANKS` → EQUAL; sender's rank number greater → LOWER;
      smaller → HIGHER.
    """
    if sender_rank is None:
        return SenderRank.CITIZEN
    if isinstance(sender_rank, SenderRank):
        return sender_rank
    if sender_rank in SenderRank._value2member_map_:
        return SenderRank(sender_rank)
    rank_of = rank_of or default_rank_of
    s = rank_of(sender_rank)
    if s is None:
        return SenderRank.CITIZEN
    if recipient_function is None:
        return SenderRank.HIGHER
    r = rank_of(recipient_function)
    if r is None:
        return SenderRank.EQUAL
    sender_kind = FUNCTION_FORMS[sender_rank].kind if sender_rank in FUNCTION_FORMS else None
    recipient_kind = FUNCTION_FORMS[recipient_function].kind if recipient_function in FUNCTION_FORMS else None
    if recipient_kind == "gouvernement" and sender_kind != "gouvernement":
        return SenderRank.LOWER
    if recipient_kind in ("etat", "magistrat") and sender_kind not in ("gouvernement", "etat", "magistrat"):
        return SenderRank.LOWER
    if abs(s - r) <= CLOSE_RANKS:
        return SenderRank.EQUAL
    return SenderRank.LOWER if s > r else SenderRank.HIGHER


def closing_formula(relation: SenderRank, recipient_kind: str | None, honorific_closing: str | None = None) -> str:
    """The formula after « Je vous prie d'agréer, <appel>, » (:data:`CLOSING_FORMULAS`, with sources), first match wins:

    1. recipient of the Government (PR, PM, ministre), sender CITIZEN or LOWER → « l'expression de ma très haute
       considération » (✅);
    2. recipient magistrate (procureur, président de tribunal…), sender not HIGHER → « l'expression de ma
       respectueuse considération » (⚠️; « sentiments » avoided: a man does not send « sentiments » to a woman);
    3. recipient without a function whose honorific has its own closing (Monseigneur, Général, a former minister…)
       → that closing ❓; a religious authority of art. 3, 18° → « l'expression de ma haute considération », as to
       « Monseigneur » (usage ❓, not in the table);
    4. CITIZEN → « l'expression de ma haute considération » to a function holder (✅), « l'assurance de ma
       considération distinguée » to a person without a function (not in the table ❓);
    5. LOWER (writing to a superior) → « l'expression de ma haute considération » (⚠️);
    6. EQUAL → « l'assurance de ma haute considération » (⚠️);
    7. HIGHER → « l'assurance de ma considération distinguée » (⚠️).
    """
    if recipient_kind == "gouvernement" and relation in (SenderRank.CITIZEN, SenderRank.LOWER):
        return TRES_HAUTE
    if recipient_kind == "magistrat" and relation is not SenderRank.HIGHER:
        return RESPECTUEUSE
    if recipient_kind is None and honorific_closing:
        return honorific_closing
    if recipient_kind == "culte":
        return EXPRESSION_HAUTE
    if relation is SenderRank.CITIZEN:
        return EXPRESSION_HAUTE if recipient_kind is not None else ASSURANCE_DISTINGUEE
    if relation is SenderRank.LOWER:
        return EXPRESSION_HAUTE
    if relation is SenderRank.EQUAL:
        return ASSURANCE_HAUTE
    return ASSURANCE_DISTINGUEE


def address_forms(  # noqa: C901  (the rules of correspondence in their order of precedence)
    recipient: Person,
    on: date,
    sender_rank: SenderRank | str | None,
    territory_names: TerritoryNames | None = None,
    partner: Person | None = None,
    *,
    rank_of: RankOf | None = None,
    sender_civility: str | None = None,
) -> AddressForms:
    """Appel, closing, address block and envelope lines for a letter to ``recipient`` on date ``on``.

    ``sender_rank``: the sender's function code (e.g. "maire"), a :class:`SenderRank`, or None (a citizen).
    ``territory_names``: the territory's name with its article (« de la Seine-Maritime »), None → omitted.
    ``partner``: joint form (« Monsieur le Préfet, Madame, » / « Monsieur le Préfet de la Seine-Maritime et Madame
    Claire Martin »): the person with a function or honorific comes first, else the recipient ❓ (not in the
    sources). ``rank_of``: function code → rank (lower = higher), default :data:`DEFAULT_RANKS`.
    ``sender_civility``: only used for military appels (« Mon Général, » from a man, « Général, » from a woman).
    """
    rank_of = rank_of or default_rank_of
    writer_is_woman = _gender(sender_civility) == "f"
    notes: list[str] = []
    main = _Addressee.of(recipient, on, rank_of, territory_names, writer_is_woman, notes)
    people = [main]
    if partner is not None:
        other = _Addressee.of(partner, on, rank_of, territory_names, writer_is_woman, notes)
        people = [other, main] if other.titled and not main.titled else [main, other]
        notes.append("joint form (« Monsieur le Préfet, Madame, » / « … et Madame … »): best knowledge ❓")
    first = people[0]

    appel_text = _joint_appel(people)
    relation = sender_relation(sender_rank, first.function.code if first.function else None, rank_of)
    # A title that is not a current function (honorific, former office) brings its own closing.
    untitled = first.function is None or first.function.appel_m is None
    own = _own_closing(first) if untitled or first.courtesy else None
    formula = closing_formula(relation, None if own else first.function.kind if first.function else None, own)
    if own and formula == own and first.courtesy is None and first.honorific is not None:
        notes.append(f"closing « {formula} » for the honorific {first.honorific.key}: {HONORIFIC_NOTE}")
    elif own and formula == own:
        notes.append(f"closing « {formula} » to a former office-holder: usage ❓ (not in the sources)")
    elif relation is SenderRank.CITIZEN and first.function is None and formula == ASSURANCE_DISTINGUEE:
        notes.append(f"closing « {formula} » between private persons: not in the sources ❓")
    elif formula != TRES_HAUTE and not (formula == EXPRESSION_HAUTE and relation is SenderRank.CITIZEN):
        notes.append(f"closing « {formula} »: {CLOSING_FORMULAS[formula][1]} {CLOSING_FORMULAS[formula][2]}")
    closing = f"Je vous prie d'agréer, {appel_text}, {formula}."

    block: list[str] = []
    envelope: list[str] = []
    for i, person in enumerate(people):
        segments = person.segments
        if not segments:
            continue
        if i == 0 or not block:
            block.append(", ".join(segments))
            for seg in segments:
                envelope.extend(_wrap(seg))
        else:
            joiner = "," if len(people[0].segments) > 1 else ""
            block[-1] = f"{block[-1]}{joiner} et {', '.join(segments)}"
            envelope.extend(_wrap(f"et {segments[0]}"))
            for seg in segments[1:]:
                envelope.extend(_wrap(seg))
    if any(len(line) > ENVELOPE_LINE_LENGTH for line in envelope):
        notes.append(f"an envelope line is longer than {ENVELOPE_LINE_LENGTH} characters (a single long word)")

    return AddressForms(
        appel=_typo(f"{appel_text},"),
        closing=_typo(closing),
        address_block=[_typo(line) for line in block],
        envelope=[_typo(line) for line in envelope],
        function=main.function.code if main.function else None,
        unconfirmed=list(dict.fromkeys(notes)),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class _Addressee:
    gender: str | None  # "m" | "f" | "trad" | None
    civility_word: str | None  # "Monsieur" | "Madame" | None
    appel: str | None  # without the comma; None: no usable appel (no civility, no gendered-neutral title)
    segments: list[str]  # suscription: name part, then title part (joined by ", " in the address block)
    function: FunctionForm | None
    honorific: HonorificForm | None
    courtesy: CourtesyForm | None = None  # the courtesy title of a former office, when it gives the appel

    @property
    def titled(self) -> bool:
        return (
            (self.function is not None and self.function.appel_m is not None)
            or self.honorific is not None
            or self.courtesy is not None
        )

    @classmethod
    def of(
        cls,
        person: Person,
        on: date,
        rank_of: RankOf,
        territory_names: TerritoryNames | None,
        writer_is_woman: bool,
        notes: list[str],
    ) -> _Addressee:
        gender = _gender(person.civility)
        if gender == "f" and person.address_form == "traditional":
            gender = "trad"
        civ = {"m": "Monsieur", "f": "Madame", "trad": "Madame"}.get(gender or "")
        name = " ".join(part.strip() for part in (person.first_name, person.last_name) if part and part.strip())
        mandate = highest_function(person, on, rank_of)
        row = FUNCTION_FORMS[mandate.function] if mandate else None
        honorific = honorific_form(person.honorific)
        former = former_office(person, on, rank_of)
        courtesy_appel = _courtesy_appel(former, gender)
        free = (mandate.title or "").strip() if mandate else ""

        if row is not None and mandate is not None and row.appel_m is not None:
            if row.unconfirmed:
                notes.append(f"{row.code}: {row.unconfirmed}")
            appel = _pick_appel(row, gender, writer_is_woman) or civ
            segments = _function_segments(row, mandate, gender, civ, name, territory_names)
            if former and former.outranks and courtesy_appel and _outranks(former.code, mandate.function, rank_of):
                notes.append(f"former {former.code}, now {row.code}: « {courtesy_appel}, » — {former.unconfirmed}")
                return cls(gender, civ, courtesy_appel, segments, row, None, former)
            return cls(gender, civ, appel, segments, row, None)

        # No current function with an appel (none, or a free title): a former office, else the honorific.
        if former is not None:  # without a civility: « Madame, Monsieur, » and the courtesy title in the block
            if courtesy_appel:
                notes.append(f"former {former.code}: « {courtesy_appel}, » — {former.unconfirmed}")
            title = former.title_f if gender == "f" else former.title_m
            head = " ".join(part for part in (civ, name) if part)
            return cls(gender, civ, courtesy_appel, [x for x in (head, title, free) if x], None, None, former)
        if honorific is not None:
            return cls._with_honorific(person, gender, civ, name, honorific, writer_is_woman, notes, row, free)
        if row is not None and mandate is not None:  # "autre": plain civility, the free title in the block
            if row.unconfirmed:
                notes.append(f"{row.code}: {row.unconfirmed}")
            segments = _function_segments(row, mandate, gender, civ, name, territory_names)
            return cls(gender, civ, civ, segments, row, None)

        plain = " ".join(part for part in (civ, name) if part)
        return cls(gender, civ, civ, [plain] if plain else [], None, None)

    @classmethod
    def _with_honorific(
        cls,
        person: Person,
        gender: str | None,
        civ: str | None,
        name: str,
        h: HonorificForm,
        writer_is_woman: bool,
        notes: list[str],
        row: FunctionForm | None,
        free_title: str = "",
    ) -> _Addressee:
        """The honorific's appel and head; a free title (« Archevêque de Lyon ») stays in the block after it."""
        if h.unconfirmed:
            notes.append(f"honorific {h.key}: {h.unconfirmed}")
        if h.gendered and gender is None:  # « Madame, Monsieur, » and the bare name
            return cls(None, None, None, [x for x in (name, free_title) if x], row, None)
        g = gender or "m"
        if writer_is_woman and h.appel_m_from_woman:
            appel = h.appel_f_from_woman if g == "f" else h.appel_m_from_woman
        else:
            appel = {"m": h.appel_m, "f": h.appel_f, "trad": h.appel_trad}[g]
        appel = appel or h.appel_m
        title = h.title_f if g == "f" else h.title_m
        head = f"{civ} {article(title, g)}{title} {name}" if h.style == "grade" else f"{title} {name}"
        return cls(gender, civ, appel[:-1], [x for x in (head.strip(), free_title) if x], row, h)


def _courtesy_appel(former: CourtesyForm | None, gender: str | None) -> str | None:
    """The former office's appel without its comma; None without a former office or a known gender."""
    if former is None or gender is None:
        return None
    return {"m": former.appel_m, "f": former.appel_f, "trad": former.appel_trad}[gender][:-1]


def _outranks(former_code: str, current_code: str, rank_of: RankOf) -> bool:
    former, current = rank_of(former_code), rank_of(current_code)
    return former is not None and (current is None or former < current)


def _own_closing(person: _Addressee) -> str | None:
    """The closing of a title that is not a current function: a former office (deference), or the honorific's."""
    if person.courtesy is not None:
        return COURTESY_CLOSING
    return person.honorific.closing if person.honorific else None


def _pick_appel(row: FunctionForm, gender: str | None, writer_is_woman: bool) -> str | None:
    """The appel without its comma; None when the row has none ("autre") or the gender is unknown."""
    if gender is None or row.appel_m is None:
        if gender is None and row.appel_m is not None and row.appel_m == row.appel_f:
            return row.appel_m[:-1]
        return None
    if writer_is_woman and row.appel_m_from_woman:
        appel = row.appel_f_from_woman if gender == "f" else row.appel_m_from_woman
    else:
        appel = {"m": row.appel_m, "f": row.appel_f, "trad": row.appel_trad}[gender]
    return appel[:-1] if appel else None


def _function_segments(
    row: FunctionForm,
    mandate: Mandate,
    gender: str | None,
    civ: str | None,
    name: str,
    territory_names: TerritoryNames | None,
) -> list[str]:
    title = row.title_f if gender == "f" else row.title_m
    free = (mandate.title or "").strip()
    complement = _complement(row, mandate.territory, territory_names)
    if row.free_title == "replace" and free:
        title, complement = free, ""
    titled = f"{title}{complement}".strip()
    if row.free_title == "append" and free:
        titled = f"{titled}, {free}" if row.style != "grade" else titled

    if row.name_prefix:  # « Monseigneur Jean Dupont », whatever the civility
        return [s for s in (" ".join(p for p in (row.name_prefix, name) if p), titled) if s]
    if civ is None:  # unknown gender: the name, then the (generic masculine) title
        return [s for s in (name, titled) if s]
    if row.style == "grade":
        head = f"{civ} {article(title, gender)}{title} {name}".strip()
        return [head, free] if row.free_title == "append" and free else [head]
    if row.style == "excellence":
        if name:
            return [f"Son Excellence {civ} {name}", titled] if titled else [f"Son Excellence {civ} {name}"]
        return [f"{civ} {article(title, gender)}{titled}"]
    if row.style == "fonction" or not name:
        if not titled:  # "autre" without a free title nor a name
            return [civ]
        return [f"{civ} {article(title, gender)}{titled}"]
    return [f"{civ} {name}", titled] if titled else [f"{civ} {name}"]


def _complement(row: FunctionForm, territory: Territory | None, territory_names: TerritoryNames | None) -> str:
    if territory is None or territory_names is None:
        return ""
    with_article = territory_names(territory)
    values = {
        "territoire": with_article or None,
        "region": territory.name if territory.kind == "region" and territory.name else None,
    }
    for template in row.complements:
        needed = re.findall(r"\{(\w+)\}", template)
        if all(values.get(k) for k in needed):
            return " " + template.format(**{k: values[k] for k in needed})
    return ""


def _joint_appel(people: list[_Addressee]) -> str:
    if len(people) == 1:
        return people[0].appel or "Madame, Monsieur"
    a, b = people
    if not a.titled and not b.titled:
        genders = {a.civility_word, b.civility_word}
        if genders == {"Madame"}:
            return "Mesdames"
        if genders == {"Monsieur"}:
            return "Messieurs"
        return "Madame, Monsieur"
    parts = [p.appel for p in people if p.appel]
    return ", ".join(parts) if parts else "Madame, Monsieur"


_SMALL_WORDS = {"le", "la", "les", "de", "du", "des", "et", "au", "aux", "près", "à"}
_PREPOSITIONS = {"de", "du", "des", "près", "et", "au", "aux", "à"}


def _starts_complement(word: str) -> bool:
    return word.lower() in _PREPOSITIONS or word.lower().startswith(("d'", "d’"))


def _wrap(text: str, width: int = ENVELOPE_LINE_LENGTH) -> list[str]:
    """Word wrap for the envelope: lines break before a complement (« de la région Normandie ») rather than inside
    it, and a small word (de, la, près…) never ends a line."""
    lines: list[list[str]] = [[]]
    for word in text.split():
        current = lines[-1]
        if not current or len(" ".join([*current, word])) <= width:
            current.append(word)
            continue
        carry: list[str] = []
        starts = [i for i in range(1, len(current)) if _starts_complement(current[i])]
        if not _starts_complement(word) and starts and len(" ".join([*current[starts[-1] :], word])) <= width:
            carry = current[starts[-1] :]
            del current[starts[-1] :]
        else:
            while len(current) > 1 and current[-1].lower() in _SMALL_WORDS:
                carry.insert(0, current.pop())
        lines.append([*carry, word])
    return [" ".join(line) for line in lines if line]


def _gender(civility: str | None) -> str | None:
    if not civility:
        return None
    value = civility.strip().rstrip(".").casefold()
    if value in ("mme", "madame", "mlle", "mademoiselle"):
        return "f"
    if value in ("m", "monsieur", "mr"):
        return "m"
    return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SPACE_BEFORE_HIGH_PUNCT = re.compile(r"[ \u00a0\u202f]*([;:!?])")
_SPACE_BEFORE_COMMA = re.compile(r"\s+,")


def _typo(text: str) -> str:
    """French typography: no space before a comma, U+202F before « ; : ! ? », single spaces."""
    text = " ".join(text.split())
    text = _SPACE_BEFORE_COMMA.sub(",", text)
    return _SPACE_BEFORE_HIGH_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
