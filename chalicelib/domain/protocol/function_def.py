"""One entry of the functions catalogue (``functions.py``, ``functions_art3.py``) and the shared source notes.

Pure data: the rules that read it are in ``functions.py`` (titles) and ``precedence.py`` (ranks).
"""

from __future__ import annotations

from dataclasses import dataclass

# Abbreviations for the sources, to keep each entry on a few lines.
DOCTRINE = "doctrine.fr, version en vigueur depuis le 1er mars 2024 (décret n° 2024-159)"
ETALAB = "miroir etalab, version antérieure à 2010 (numérotation 8° à 33° très probablement inchangée)"
ART2_TOP = "listes de 2021 (Wikipédia), cohérentes avec le décret n° 95-1037 pour les rangs 1 à 10"
ART2_COPY = "copie tierce postérieure à 2020 de l'article 2 (61 rangs), non vérifiée sur Légifrance"
UNCONFIRMED_WORDING = "⚠️ libellé actuel non vérifié (seul le texte antérieur à 2010 a été consulté)"


@dataclass(frozen=True)
class FunctionDef:
    """One function of the catalogue.

    ``title_m`` / ``title_f`` are the bare titles with their capital as used in announcements and letters
    (« Préfet », « Préfète »); :func:`title` adds the civility and the article. ``title_pattern_m`` /
    ``title_pattern_f`` say how the title combines with a territory given with its article (``{of}``: « de la
    Seine-Maritime »; ``{name}``: the same without the article, « Seine-Maritime »; ``{title}``: the bare
    title); None means ``"{title} {of}"``, and a pattern without ``{of}`` or ``{name}`` ignores the territory.

    ``territory_kind`` is the kind of territory the function is tied to (see ``model.TERRITORY_KINDS``);
    None means not tied to a territory: the rank applies wherever the ceremony takes place.
    ``source`` / ``confirmed`` cover the article 3 rank, the territory rule and the titles;
    ``source_paris`` / ``confirmed_paris`` cover the article 2 rank. ``cite_departement`` / ``cite_paris``
    are the short French citations used in the reasons of a precedence (« Article 3, 7° »), ``label`` the
    decree's wording of the category (« le maire de la commune dans laquelle se déroule la cérémonie »).

    ``only_in`` limits the article 3 rank to some départements (art. 3, 18°: Bas-Rhin, Haut-Rhin, Moselle);
    ``also_kinds`` are other territory kinds a mandate of this function may carry, each read with its own rule
    (a chef de service déconcentré is regional or departmental: the département-level one ranks in his département).
    """

    code: str
    title_m: str
    title_f: str
    rank_departement: float | None
    rank_paris: float | None
    territory_kind: str | None
    source: str
    confirmed: bool
    label: str = ""
    cite_departement: str | None = None
    cite_paris: str | None = None
    source_paris: str = ""
    confirmed_paris: bool = False
    title_pattern_m: str | None = None
    title_pattern_f: str | None = None
    only_in: frozenset[str] | None = None
    also_kinds: tuple[str, ...] = ()


def _art(article: int, rank: float | None) -> str | None:
    return None if rank is None else f"Article {article}, {int(rank)}°"


def define(
    code: str,
    title_m: str,
    title_f: str,
    *,
    dep: float | None,
    paris: float | None,
    kind: str | None,
    label: str,
    source: str,
    confirmed: bool,
    source_paris: str,
    confirmed_paris: bool,
    cite_dep: str | None = None,
    cite_paris: str | None = None,
    pattern_m: str | None = None,
    pattern_f: str | None = None,
    only_in: frozenset[str] | None = None,
    also_kinds: tuple[str, ...] = (),
) -> FunctionDef:
    return FunctionDef(
        code=code,
        title_m=title_m,
        title_f=title_f,
        rank_departement=dep,
        rank_paris=paris,
        territory_kind=kind,
        source=source,
        confirmed=confirmed,
        label=label,
        cite_departement=cite_dep or _art(3, dep),
        cite_paris=cite_paris or _art(2, paris),
        source_paris=source_paris,
        confirmed_paris=confirmed_paris,
        title_pattern_m=pattern_m,
        title_pattern_f=pattern_f,
        only_in=only_in,
        also_kinds=also_kinds,
    )
