"""Whether a mandate counts at a ceremony: the place rules of décret n° 89-655 (art. 3, art. 11 for the sous-préfet).

Commune-tied functions count only in the commune of the ceremony, département-tied ones only in their département,
region-tied ones only in a département of their region, the sous-préfet only in his arrondissement, the EPCI
president only in a member commune, and the functions of art. 3, 18° only in Alsace-Moselle. Used by
``precedence.py``; pure rules over ``model.py`` and the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain.protocol.function_def import FunctionDef
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Ceremony, Mandate, Territory

RegionOf = Callable[[str], str | None]
EpciOf = Callable[[str], str | None]


def no_region_data(departement: str) -> str | None:
    """Default ``region_of``: the region of a département is unknown, so region-tied functions get no rank."""
    return None


def departement_of(territory: Territory | None) -> str | None:
    """The département code of a commune, canton, circonscription, arrondissement or département territory."""
    if territory is None or not territory.code:
        return None
    code = territory.code.strip().upper()
    if territory.kind == "departement":
        return code
    if territory.kind in ("commune", "canton", "circonscription", "arrondissement"):
        return code[:3] if code.startswith("97") else code[:2]
    return None


def label_of(mandate: Mandate) -> str:
    fdef = FUNCTIONS.get(mandate.function)
    if fdef is None:
        return f"« {mandate.function} »"
    return (fdef.title_m or mandate.title or "titre libre").lower()


@dataclass(frozen=True)
class Context:
    ceremony: Ceremony
    region_of: RegionOf
    epci_of: EpciOf | None
    government_or_prefect_present: bool
    government_present: bool


def relevance(mandate: Mandate, fdef: FunctionDef, ctx: Context) -> str | None:  # noqa: C901  (one rule per kind of territory, as the decree lists them)
    """None when the mandate counts at this ceremony, else the French reason why it does not."""
    ceremony = ctx.ceremony
    territory = mandate.territory
    if fdef.only_in is not None and ceremony.departement.strip().upper() not in fdef.only_in:
        where = ", ".join(sorted(fdef.only_in))
        return f"{label_of(mandate)} : rang seulement dans les départements {where} ({fdef.cite_departement})"
    kind = territory.kind if territory is not None and territory.kind in fdef.also_kinds else fdef.territory_kind
    if kind in (None, "nation", "europe"):
        return None
    if territory is None or not territory.code:
        return f"{label_of(mandate)} : territoire du mandat non renseigné, rang non vérifiable"
    if kind == "commune":
        if ceremony.commune_insee is None:
            return f"{label_of(mandate)} : commune de la cérémonie non renseignée"
        if territory.code != ceremony.commune_insee:
            return f"{label_of(mandate)} d'une autre commune : rang seulement dans sa commune"
        return None
    if kind == "arrondissement":
        if ceremony.arrondissement is None:
            return f"{label_of(mandate)} : arrondissement de la cérémonie non renseigné (article 3, 20°)"
        if territory.code != ceremony.arrondissement:
            return (
                f"{label_of(mandate)} hors de son arrondissement : rang seulement dans son arrondissement "
                "(article 3, 20°)"
            )
        return None
    if kind == "epci":
        if ctx.epci_of is None:
            return None
        member_of = ctx.epci_of(ceremony.commune_insee) if ceremony.commune_insee else None
        if member_of is None:
            return f"{label_of(mandate)} : intercommunalité de la commune de la cérémonie inconnue"
        if member_of != territory.code:
            return f"{label_of(mandate)} d'une intercommunalité dont la commune de la cérémonie n'est pas membre"
        return None
    if kind == "region":
        ceremony_region = ctx.region_of(ceremony.departement)
        if ceremony_region is None:
            return (
                f"{label_of(mandate)} : région du département {ceremony.departement} inconnue, "
                "rang régional non vérifiable"
            )
        own = territory.code if territory.kind == "region" else None
        if own is None:
            own_departement = departement_of(territory)
            own = ctx.region_of(own_departement) if own_departement else None
        if own != ceremony_region:
            return f"{label_of(mandate)} d'une autre région : rang seulement dans sa région"
        return None
    # département-tied (departement, circonscription, canton…)
    own_departement = departement_of(territory)
    if own_departement is None:
        return f"{label_of(mandate)} : département du mandat non déterminable"
    if own_departement != ceremony.departement.strip().upper():
        return f"{label_of(mandate)} d'un autre département : rang seulement dans son département"
    return None
