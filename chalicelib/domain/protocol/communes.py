"""Commune names with their article, as data: « Maire du Havre », « Maire des Andelys », « Maire de La Rochelle ».

Source note
-----------
The article of a commune's name is the INSEE Code officiel géographique (COG) column TNCC, « type de nom en clair »
(its values are those of ``geography.TNCC_FORMS``). The rows below were checked on 2026-12 against
``@etalab/decoupage-administratif`` 6.0.0 (npm, MIT, ``data/communes.json``, millésime 2026 of the COG), whose
``typeLiaison`` field is the COG TNCC. Each row is plain data that can be corrected in place; a commune missing here
falls back to a rule (:func:`with_article`), which cannot tell an h aspiré (« de Honfleur », TNCC 0) from an h muet
(« d'Harfleur », TNCC 1): add the commune to the table rather than trust the fallback in printed letters.

Unlike a département's (« de la Seine-Maritime »), a commune's article is part of its name and keeps its capital
after « de » (« de La Rochelle », « de L'Haÿ-les-Roses »); « Le » and « Les » contract (« du Havre », « des
Andelys »). Typographic usage, best knowledge ❓.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SOURCE = (
    "INSEE COG, colonne TNCC (type de nom en clair) ; vérifié dans @etalab/decoupage-administratif 6.0.0 "
    "(data/communes.json, champ typeLiaison, millésime 2026)"
)

# TNCC → the charnière before a commune's name without its article (« Havre », « Rochelle »).
CHARNIERES: Mapping[int, str] = MappingProxyType(
    {0: "de ", 1: "d'", 2: "du ", 3: "de La ", 4: "des ", 5: "de L'", 6: "des ", 7: "de Las ", 8: "de Los "}
)
_ARTICLES: Mapping[int, str] = MappingProxyType(
    {2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}
)


@dataclass(frozen=True)
class Commune:
    code: str  # INSEE COG commune code, "76351"
    name: str  # COG LIBELLE, with its article: "Le Havre"
    tncc: int  # COG type de nom en clair, 0..8

    @property
    def name_with_article(self) -> str:
        """« du Havre », « des Andelys », « de La Rochelle », « de Honfleur »."""
        article = _ARTICLES.get(self.tncc, "")
        bare = self.name[len(article) :] if article and self.name.startswith(article) else self.name
        return f"{CHARNIERES[self.tncc]}{bare}"


# (code, COG LIBELLE, TNCC): communes of the examples, communes of the Seine-Maritime used by the tests, and a few
# whose article a rule would get wrong. Source: SOURCE above.
_ROWS: tuple[tuple[str, str, int], ...] = (
    ("14333", "Honfleur", 0),  # h aspiré: « de Honfleur »
    ("17300", "La Rochelle", 3),
    ("27016", "Les Andelys", 4),
    ("27229", "Évreux", 1),
    ("43157", "Le Puy-en-Velay", 2),
    ("59299", "Hem", 0),  # h aspiré
    ("67180", "Haguenau", 0),  # h aspiré
    ("72181", "Le Mans", 2),
    ("76217", "Dieppe", 0),
    ("76231", "Elbeuf", 1),
    ("76322", "Le Grand-Quevilly", 2),
    ("76341", "Harfleur", 1),  # h muet: « d'Harfleur »
    ("76351", "Le Havre", 2),
    ("76451", "Mont-Saint-Aignan", 0),
    ("76498", "Le Petit-Quevilly", 2),
    ("76540", "Rouen", 0),
    ("78440", "Les Mureaux", 4),
    ("83126", "La Seyne-sur-Mer", 3),
    ("85191", "La Roche-sur-Yon", 3),
    ("85194", "Les Sables-d'Olonne", 4),
    ("91692", "Les Ulis", 4),
    ("93007", "Le Blanc-Mesnil", 2),
    ("93027", "La Courneuve", 3),
    ("94038", "L'Haÿ-les-Roses", 5),
    ("94043", "Le Kremlin-Bicêtre", 2),
    ("95313", "L'Isle-Adam", 5),
)

COMMUNES: Mapping[str, Commune] = MappingProxyType({code: Commune(code, name, t) for code, name, t in _ROWS})

_VOWELS = "aeiouyhàâäéèêëîïôöûüœ"


def with_article(code: str | None, name: str | None) -> str | None:
    """The commune's name after « de »: from the table when the INSEE code is in it, else by rule from the name.

    The rule, for communes not in the table: « d' » before a vowel or an h (which may be wrong for an h aspiré),
    « de » otherwise; a name stored with its article « Le » or « Les » contracts (« Le Tréport » → « du Tréport »),
    « La » and « L' » keep it (« de La Bresse »). None without a code in the table nor a name.
    """
    row = COMMUNES.get(code.strip().upper()) if code else None
    if row is not None:
        return row.name_with_article
    bare = (name or "").strip()
    if not bare:
        return None
    for article, charniere in (("Le ", "du "), ("Les ", "des ")):
        if bare.startswith(article) and len(bare) > len(article):
            return f"{charniere}{bare[len(article) :]}"
    return f"d'{bare}" if bare[0].lower() in _VOWELS else f"de {bare}"
