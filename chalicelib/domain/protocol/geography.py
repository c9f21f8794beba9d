"""French administrative geography as data: the 101 départements and the 18 régions, with their INSEE codes,
names and the "type de nom en clair" (TNCC) that gives the article ("de la Seine-Maritime", "du Nord").

Source note
-----------
The rows follow the INSEE Code officiel géographique (COG) 2024, files ``departement_2024.csv``
(DEP, REG, CHEFLIEU, TNCC, NCC, NCCENR, LIBELLE) and ``region_2024.csv`` (REG, CHEFLIEU, TNCC, NCC, NCCENR,
LIBELLE). They were written from knowledge of those files, not copied from a downloaded file: every row is plain
data below and can be corrected in place. Rows whose TNCC (or name) is less certain are listed in
``DOUBTFUL_DEPARTEMENTS`` / ``DOUBTFUL_REGIONS`` and marked ``# ❓`` on their line; confirm them against the COG
file before relying on them in printed letters.

Names are the COG LIBELLE without the article (the article is given by the TNCC), except "La Réunion", whose
article is part of the name (TNCC 0: "de La Réunion"). The COG keeps the codes of départements whose council was
merged into another collectivity: 2A/2B (Collectivité de Corse, 2018), 67/68 (Collectivité européenne d'Alsace,
2021), 69 (Rhône; the Métropole de Lyon is a separate collectivity), 75 (Ville de Paris, 2019), 973 and 972
(collectivités territoriales uniques de Guyane and de Martinique, 2015) — they remain départements here, as in the COG.

TNCC (COG documentation, "type de nom en clair"): the article of the name and the "charnière" used after "de":

====  =====================================================  ===========
TNCC  article                                                charnière
====  =====================================================  ===========
0     none, name starts with a consonant (except h muet)    de
1     none, name starts with a vowel or h muet              d'
2     Le                                                     du
3     La                                                     de la
4     Les                                                    des
5     L'                                                     de l'
6     Aux                                                    des
7     Las                                                    de Las ❓ (capital kept: Occitan/Catalan article)
8     Los                                                    de Los ❓ (idem)
====  =====================================================  ===========

Pure domain code: no AWS import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# TNCC -> (article as written before the name, charnière after "de"). Apostrophes are the straight "'" of the COG.
TNCC_FORMS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        0: ("", "de "),
        1: ("", "d'"),
        2: ("Le ", "du "),
        3: ("La ", "de la "),
        4: ("Les ", "des "),
        5: ("L'", "de l'"),
        6: ("Aux ", "des "),
        7: ("Las ", "de Las "),  # ❓ capitalisation of the foreign article after "de"
        8: ("Los ", "de Los "),  # ❓ idem
    }
)


@dataclass(frozen=True)
class Departement:
    code: str  # "01".."19", "2A", "2B", "21".."95", "971".."976" (no 975)
    name: str  # COG LIBELLE, e.g. "Seine-Maritime"
    region_code: str  # current région code, e.g. "28"
    tncc: int  # COG type de nom en clair, 0..8

    @property
    def name_with_article(self) -> str:
        """'de la Seine-Maritime'."""
        return with_article(self.name, self.tncc)


@dataclass(frozen=True)
class Region:
    code: str  # current région code (since 2016), e.g. "28"
    name: str  # COG LIBELLE, e.g. "Normandie"
    tncc: int

    @property
    def name_with_article(self) -> str:
        """'de Normandie'."""
        return with_article(self.name, self.tncc)


# (code, name, TNCC). Source: INSEE COG 2024, region_2024.csv — each row correctable.
_REGION_ROWS: tuple[tuple[str, str, int], ...] = (
    ("01", "Guadeloupe", 3),
    ("02", "Martinique", 3),
    ("03", "Guyane", 3),
    ("04", "La Réunion", 0),  # article part of the name: "de La Réunion"
    ("06", "Mayotte", 0),
    ("11", "Île-de-France", 1),
    ("24", "Centre-Val de Loire", 2),
    ("27", "Bourgogne-Franche-Comté", 0),
    ("28", "Normandie", 0),
    ("32", "Hauts-de-France", 4),
    ("44", "Grand Est", 2),
    ("52", "Pays de la Loire", 4),  # ❓ "des Pays de la Loire" (TNCC 4) as in the council's name
    ("53", "Bretagne", 0),
    ("75", "Nouvelle-Aquitaine", 3),  # ❓ "de la Nouvelle-Aquitaine" (TNCC 3)
    ("76", "Occitanie", 1),
    ("84", "Auvergne-Rhône-Alpes", 1),
    ("93", "Provence-Alpes-Côte d'Azur", 0),
    ("94", "Corse", 0),  # ❓ "de Corse" (TNCC 0) rather than "de la Corse" (3)
)

DOUBTFUL_REGIONS: frozenset[str] = frozenset({"52", "75", "94"})

# (code, name, région code, TNCC). Source: INSEE COG 2024, departement_2024.csv — each row correctable.
_DEPARTEMENT_ROWS: tuple[tuple[str, str, str, int], ...] = (
    ("01", "Ain", "84", 5),
    ("02", "Aisne", "32", 5),
    ("03", "Allier", "84", 5),
    ("04", "Alpes-de-Haute-Provence", "93", 4),
    ("05", "Hautes-Alpes", "93", 4),
    ("06", "Alpes-Maritimes", "93", 4),
    ("07", "Ardèche", "84", 5),
    ("08", "Ardennes", "44", 4),
    ("09", "Ariège", "76", 5),
    ("10", "Aube", "44", 5),
    ("11", "Aude", "76", 5),
    ("12", "Aveyron", "76", 5),
    ("13", "Bouches-du-Rhône", "93", 4),
    ("14", "Calvados", "28", 2),
    ("15", "Cantal", "84", 2),
    ("16", "Charente", "75", 3),
    ("17", "Charente-Maritime", "75", 3),
    ("18", "Cher", "24", 2),
    ("19", "Corrèze", "75", 3),
    ("2A", "Corse-du-Sud", "94", 3),
    ("2B", "Haute-Corse", "94", 3),
    ("21", "Côte-d'Or", "27", 3),
    ("22", "Côtes-d'Armor", "53", 4),
    ("23", "Creuse", "75", 3),
    ("24", "Dordogne", "75", 3),
    ("25", "Doubs", "27", 2),
    ("26", "Drôme", "84", 3),
    ("27", "Eure", "28", 5),
    ("28", "Eure-et-Loir", "24", 1),
    ("29", "Finistère", "53", 2),
    ("30", "Gard", "76", 2),
    ("31", "Haute-Garonne", "76", 3),
    ("32", "Gers", "76", 2),
    ("33", "Gironde", "75", 3),
    ("34", "Hérault", "76", 5),
    ("35", "Ille-et-Vilaine", "53", 1),
    ("36", "Indre", "24", 5),
    ("37", "Indre-et-Loire", "24", 1),
    ("38", "Isère", "84", 5),
    ("39", "Jura", "27", 2),
    ("40", "Landes", "75", 4),
    ("41", "Loir-et-Cher", "24", 2),
    ("42", "Loire", "84", 3),
    ("43", "Haute-Loire", "84", 3),
    ("44", "Loire-Atlantique", "52", 3),
    ("45", "Loiret", "24", 2),
    ("46", "Lot", "76", 2),
    ("47", "Lot-et-Garonne", "75", 2),
    ("48", "Lozère", "76", 3),
    ("49", "Maine-et-Loire", "52", 0),
    ("50", "Manche", "28", 3),
    ("51", "Marne", "44", 3),
    ("52", "Haute-Marne", "44", 3),
    ("53", "Mayenne", "52", 3),
    ("54", "Meurthe-et-Moselle", "44", 0),
    ("55", "Meuse", "44", 3),
    ("56", "Morbihan", "53", 2),
    ("57", "Moselle", "44", 3),
    ("58", "Nièvre", "27", 3),
    ("59", "Nord", "32", 2),
    ("60", "Oise", "32", 5),
    ("61", "Orne", "28", 5),
    ("62", "Pas-de-Calais", "32", 2),
    ("63", "Puy-de-Dôme", "84", 2),
    ("64", "Pyrénées-Atlantiques", "75", 4),
    ("65", "Hautes-Pyrénées", "76", 4),
    ("66", "Pyrénées-Orientales", "76", 4),
    ("67", "Bas-Rhin", "44", 2),
    ("68", "Haut-Rhin", "44", 2),
    ("69", "Rhône", "84", 2),
    ("70", "Haute-Saône", "27", 3),
    ("71", "Saône-et-Loire", "27", 0),
    ("72", "Sarthe", "52", 3),
    ("73", "Savoie", "84", 3),
    ("74", "Haute-Savoie", "84", 3),
    ("75", "Paris", "11", 0),
    ("76", "Seine-Maritime", "28", 3),
    ("77", "Seine-et-Marne", "11", 0),
    ("78", "Yvelines", "11", 4),
    ("79", "Deux-Sèvres", "75", 4),
    ("80", "Somme", "32", 3),
    ("81", "Tarn", "76", 2),
    ("82", "Tarn-et-Garonne", "76", 2),
    ("83", "Var", "93", 2),
    ("84", "Vaucluse", "93", 2),
    ("85", "Vendée", "52", 3),
    ("86", "Vienne", "75", 3),
    ("87", "Haute-Vienne", "75", 3),
    ("88", "Vosges", "44", 4),
    ("89", "Yonne", "27", 5),
    ("90", "Territoire de Belfort", "27", 2),  # ❓ "du Territoire de Belfort" (TNCC 2)
    ("91", "Essonne", "11", 5),
    ("92", "Hauts-de-Seine", "11", 4),
    ("93", "Seine-Saint-Denis", "11", 3),
    ("94", "Val-de-Marne", "11", 2),
    ("95", "Val-d'Oise", "11", 2),
    ("971", "Guadeloupe", "01", 3),
    ("972", "Martinique", "02", 3),
    ("973", "Guyane", "03", 3),
    ("974", "La Réunion", "04", 0),  # ❓ name carries the article, TNCC 0: "de La Réunion"
    ("976", "Mayotte", "06", 0),
)

DOUBTFUL_DEPARTEMENTS: frozenset[str] = frozenset({"90", "974"})

REGIONS: Mapping[str, Region] = MappingProxyType({code: Region(code, name, tncc) for code, name, tncc in _REGION_ROWS})
DEPARTEMENTS: Mapping[str, Departement] = MappingProxyType(
    {code: Departement(code, name, reg, tncc) for code, name, reg, tncc in _DEPARTEMENT_ROWS}
)

# Ministry of the Interior election codes for overseas départements (results files, some RNE extracts) ❓.
_ELECTION_CODES = {"ZA": "971", "ZB": "972", "ZC": "973", "ZD": "974", "ZM": "976"}


def _normalise(code: object) -> str:
    if not isinstance(code, str):
        return ""
    text = code.strip().upper()
    if len(text) == 1 and text.isdigit():
        text = "0" + text
    return text


def departement(code: str) -> Departement | None:
    """The département with this COG code ("76", "2A", "971"; "2a" and "1" are accepted), else None."""
    return DEPARTEMENTS.get(_normalise(code))


def region(code: str) -> Region | None:
    """The région with this current COG code ("28", "04"), else None."""
    return REGIONS.get(_normalise(code))


def region_of(departement_code: str) -> str | None:
    """Région code of a département code ("76" -> "28"), None for an unknown code."""
    found = departement(departement_code)
    return found.region_code if found else None


def departement_of(code: str) -> str | None:
    """Département code contained in a COG code, else None.

    Accepts a département code ("76", "2A", "971"), an arrondissement code ("762", "2A1", "9711"), a legislative
    circonscription code ("7601", "2A01", "97101"), a commune INSEE code ("76540", "2A004", "97105") and the
    Ministry of the Interior overseas codes ("ZA01" -> "971") ❓. Codes must be text: a commune code that lost its
    leading zero ("1053" for "01053") cannot be told from a circonscription and is read as one.
    """
    text = _normalise(code)
    if len(text) < 2:
        return None
    if text[0] == "Z":
        rest = text[2:]
        found = _ELECTION_CODES.get(text[:2])
        return found if found and len(rest) <= 3 and (not rest or rest.isdigit()) else None
    if text.startswith("97"):
        head, rest, allowed = text[:3], text[3:], range(0, 3)  # 971, 9711, 97101 / 97105
    else:
        head, rest, allowed = text[:2], text[2:], range(0, 4)  # 76, 762, 7601, 76540
    if len(rest) not in allowed or (rest and not rest.isdigit()):
        return None
    return head if head in DEPARTEMENTS else None


def with_article(name: str, tncc: int) -> str:
    """The name preceded by its charnière: with_article("Seine-Maritime", 3) == "de la Seine-Maritime".

    The name may be given with or without its article ("Le Havre" or "Havre" with TNCC 2 both give "du Havre");
    with TNCC 0 and 1 the name is kept as is ("de La Réunion").
    """
    if tncc not in TNCC_FORMS:
        raise ValueError(f"Type de nom en clair inconnu : {tncc!r} (attendu de 0 à 8).")
    article, charniere = TNCC_FORMS[tncc]
    bare = name.strip()
    if article:
        variants = (article, article.replace("'", "\u2019")) if "'" in article else (article,)
        for variant in variants:
            if bare.lower().startswith(variant.lower()):
                bare = bare[len(variant) :].lstrip()
                break
    return f"{charniere}{bare}"
