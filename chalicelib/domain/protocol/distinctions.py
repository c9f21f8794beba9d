"""National orders as data: grades and dignities, and the rank article 3, 11° gives their dignitaries.

A distinction is not a function: a contact holds it for life, without territory or term, so it is stored on the
contact (``distinctions: [{"order", "grade"}]``), not as a mandate. Precedence reads it as one more candidate rank
next to the person's mandates; the highest wins (a maire who is grand officier stays 7°, a conseiller municipal who
is grand officier goes from 26° to 11°).

Sources
-------
* Décret 89-655, art. 3, 11°: « Les dignitaires de la Légion d'honneur, les Compagnons de la Libération et les
  dignitaires de l'ordre national du Mérite » — etalab mirror of LEGI, text older than 2010 ⚠️. The
  current wording was not retrieved; décret n° 2024-159 (art. 9) changed article 3 after the death of the last
  Compagnon and probably removed them from the item ❓: the entry stays, marked unconfirmed, for historical records.
* Who is a dignitary: Code de la Légion d'honneur, de la Médaille militaire et de l'ordre national du Mérite,
  art. R6: « Les grands officiers et les grand'croix sont dignitaires de l'ordre » ✅ (Légifrance
  LEGIARTI000006476185). Ordre national du Mérite: the report to the President on décret
  n° 63-1196 says the same (« les dignitaires de l'Ordre sont les grands officiers et les grand'croix ») ⚠️ (read
  in a copy by the ANMONM, not on Légifrance). The grades of both orders: chevalier, officier, commandeur (R6).
* Order inside 11°: the decree's order of the three groups; inside one order, grand'croix before grand officier
  (the higher dignity first) is usage ❓, not written in the decree.
* Article 2 (Paris) has no category for dignitaries (read in a third-party copy of the post-2020 text ⚠️): no rank
  in Paris.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from chalicelib.domain.protocol.model import Distinction

_FIVE = ("chevalier", "officier", "commandeur", "grand_officier", "grand_croix")

# order → its grades, lowest first (code R6 for the Légion d'honneur; décret n° 63-1196 for the Mérite).
GRADES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"legion_honneur": _FIVE, "liberation": ("compagnon",), "ordre_national_merite": _FIVE}
)
ORDER_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "legion_honneur": "de la Légion d'honneur",
        "liberation": "de la Libération",
        "ordre_national_merite": "de l'ordre national du Mérite",
    }
)
# The same word for women and men: the orders' texts say « chevalier », « grand officier » for everyone.
GRADE_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "chevalier": "Chevalier",
        "officier": "Officier",
        "commandeur": "Commandeur",
        "grand_officier": "Grand officier",
        "grand_croix": "Grand'croix",
        "compagnon": "Compagnon",
    }
)
DIGNITIES = ("grand_officier", "grand_croix")


@dataclass(frozen=True)
class DistinctionRank:
    """The article 3 category a distinction gives; ``position`` orders the entries inside the category."""

    order: str
    grade: str
    rank_departement: float
    position: int
    cite: str
    label: str
    source: str
    confirmed: bool


_LABEL_11 = (
    "les dignitaires de la Légion d'honneur, les Compagnons de la Libération et les dignitaires de l'ordre national "
    "du Mérite"
)
_SOURCE_11 = "Décret 89-655, art. 3, 11° ⚠️ (miroir etalab, texte antérieur à 2010 ; libellé actuel non vérifié)"
_DIGNITARY = "dignitaire au sens de l'art. R6 du code de la Légion d'honneur ✅"
_ORDER_IN_ITEM = "grand'croix avant grand officier : usage ❓"

_ROWS: tuple[tuple[str, str, str], ...] = (
    ("legion_honneur", "grand_croix", f"{_DIGNITARY} ; {_ORDER_IN_ITEM}"),
    ("legion_honneur", "grand_officier", _DIGNITARY),
    ("liberation", "compagnon", "Compagnons probablement retirés du 11° par le décret n° 2024-159 ❓"),
    ("ordre_national_merite", "grand_croix", f"dignitaire (décret n° 63-1196, copie ANMONM) ⚠️ ; {_ORDER_IN_ITEM}"),
    ("ordre_national_merite", "grand_officier", "dignitaire (décret n° 63-1196, copie ANMONM) ⚠️"),
)

PRECEDENCE: Mapping[tuple[str, str], DistinctionRank] = MappingProxyType(
    {
        (order, grade): DistinctionRank(
            order=order,
            grade=grade,
            rank_departement=11,
            position=position,
            cite="Article 3, 11°",
            label=_LABEL_11,
            source=f"{_SOURCE_11} ; {note}",
            confirmed=False,
        )
        for position, (order, grade, note) in enumerate(_ROWS)
    }
)


def title(distinction: Distinction) -> str:
    """« Grand officier de la Légion d'honneur », « Compagnon de la Libération »."""
    return f"{GRADE_TITLES[distinction.grade]} {ORDER_NAMES[distinction.order]}"


def in_text(distinction: Distinction) -> str:
    """The same inside a sentence: « grand officier de la Légion d'honneur » (the order keeps its capitals)."""
    return f"{GRADE_TITLES[distinction.grade].lower()} {ORDER_NAMES[distinction.order]}"


def best(distinctions: tuple[Distinction, ...]) -> tuple[DistinctionRank, Distinction] | None:
    """The distinction that gives the highest article 3 rank (first in the item), or None."""
    ranked = [(PRECEDENCE[(d.order, d.grade)], d) for d in distinctions if (d.order, d.grade) in PRECEDENCE]
    return min(ranked, key=lambda pair: pair[0].position) if ranked else None


def unranked(distinctions: tuple[Distinction, ...]) -> list[str]:
    """French notes for the distinctions that give no rank (a grade is not a dignity)."""
    return [
        f"{in_text(d)} : grade et non dignité, sans rang (article 3, 11°)"
        for d in distinctions
        if (d.order, d.grade) not in PRECEDENCE and d.grade in GRADE_TITLES and d.order in ORDER_NAMES
    ]
