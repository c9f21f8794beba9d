"""Article 3 categories 10° to 32° that the first catalogue left out.

Without these entries the people who hold them had no rank and fell after the conseillers municipaux (26°).

Sources (décret n° 89-655 du 13 septembre 1989, article 3; Légifrance JORFTEXT000000332354):

* 10° is confirmed on the current text (doctrine.fr, version in force since 1 March 2024) ✅.
* 11° to 33° were read in the etalab mirror of LEGI (``etalab/lois-non-codifiees-et-reglements-francais``,
  ``…/titre-ier/section-2/article-3.md``, commits ``393a5158…`` and ``ef59c8c6…``), a version older than 2010.
  The 2010 reform moved the MEPs from 7° to 4° and shifted 4°–6° down; from 8° on the old and new numberings coincide
  (8° to 10° are confirmed on the current text), so it is very likely unchanged, but the wording of several items
  changed in 2015, 2018, 2020 and 2024 and was not checked. Every entry from 11° on is therefore ``confirmed=False``,
  and its ``source`` says what remains to be checked on Légifrance (LEGIARTI000049215780).
* Article 2 (Paris) ranks come from a third-party copy of the post-2020 text, whose ranks 1 to 15 match the 2021
  lists of the French order of precedence; not checked on Légifrance ⚠️.

Dignitaries of the orders (11°) are not functions: they are placed from the contact's distinctions
(``distinctions.py``).

Declaration order matters: inside one decree item, the authorities keep the decree's order (the sous-préfet,
declared in ``functions.py``, comes before the secrétaire général de la préfecture).
"""

from __future__ import annotations

from chalicelib.domain.protocol.function_def import (
    ART2_COPY,
    DOCTRINE,
    ETALAB,
    UNCONFIRMED_WORDING,
    FunctionDef,
    define,
)

# Art. 3, 18°: « Dans les départements du Bas-Rhin, du Haut-Rhin et de la Moselle ».
ALSACE_MOSELLE: frozenset[str] = frozenset({"57", "67", "68"})
# Art. 3, 10°: « Dans les départements et les collectivités territoriales d'outre-mer » (975: Saint-Pierre-et-Miquelon).
OUTRE_MER: frozenset[str] = frozenset({"971", "972", "973", "974", "975", "976"})

_NO_TERRITORY = "{title}"  # announced without the territory (courts and bars are named after their city)
_ITEM_10 = (
    "l'amiral commandant l'arrondissement maritime, le général commandant la région de gendarmerie ; outre-mer, "
    "l'autorité militaire exerçant le commandement supérieur des forces armées"
)
_ITEM_18 = (
    "dans le Bas-Rhin, le Haut-Rhin et la Moselle : l'évêque, le président du directoire de l'Église de la "
    "confession d'Augsbourg d'Alsace et de Lorraine, le président du synode de l'Église réformée d'Alsace-Lorraine, "
    "le grand rabbin, le président de consistoire israélite"
)
_ITEM_19 = "le préfet adjoint pour la sécurité, le préfet délégué pour la sécurité et la défense"
_ITEM_20 = (
    "le sous-préfet dans son arrondissement, le secrétaire général de la préfecture et, le cas échéant, le "
    "secrétaire général pour les affaires régionales et le secrétaire général pour l'administration de la police, le "
    "directeur du cabinet du préfet du département"
)
_ITEM_22 = (
    "les chefs des services déconcentrés des administrations civiles de l'État dans la région et dans le "
    "département, le délégué militaire départemental, le commandant de groupement de gendarmerie départementale"
)
_ITEM_23 = (
    "les présidents des universités, les directeurs des grandes écoles nationales et des grands établissements de "
    "recherche ayant leur siège dans le département"
)
_ITEM_31 = (
    "les présidents des chambres régionales et départementales de commerce et d'industrie, d'agriculture et de métiers"
)
_ITEM_32 = (
    "le bâtonnier de l'ordre des avocats, les présidents des conseils régionaux et départementaux des ordres "
    "professionnels"
)
_ETALAB_18 = f"{UNCONFIRMED_WORDING} ({ETALAB})"
_NOT_IN_ART2 = f"Absent de la copie de l'article 2 ⚠️ ({ART2_COPY})"
_ZONE = "la zone de défense n'est pas un type de territoire du modèle : rang partout ❓"


def _art3(
    code: str,
    title_m: str,
    title_f: str,
    *,
    dep: float,
    kind: str | None,
    label: str,
    source: str,
    paris: float | None = None,
    source_paris: str = _NOT_IN_ART2,
    confirmed: bool = False,
    pattern: tuple[str, str] | None = None,
    only_in: frozenset[str] | None = None,
    also_kinds: tuple[str, ...] = (),
) -> FunctionDef:
    """An article 3 entry; ``source`` is completed with the item and the version read."""
    read = f"✅ ({DOCTRINE})" if confirmed else _ETALAB_18
    return define(
        code,
        title_m,
        title_f,
        dep=dep,
        paris=paris,
        kind=kind,
        label=label,
        source=f"Décret 89-655, art. 3, {int(dep)}° {read} ; {source}",
        confirmed=confirmed,
        source_paris=source_paris if paris is None else f"Décret 89-655, art. 2, {int(paris)}° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
        pattern_m=pattern[0] if pattern else None,
        pattern_f=pattern[1] if pattern else None,
        only_in=only_in,
        also_kinds=also_kinds,
    )


CATALOGUE_ART3: tuple[FunctionDef, ...] = (
    # 10° ✅
    _art3(
        "commandant_arrondissement_maritime",
        "Amiral commandant l'arrondissement maritime",
        "Amirale commandant l'arrondissement maritime",
        dep=10,
        kind=None,
        label=_ITEM_10,
        source="titre féminin « Amirale » ❓ ; l'arrondissement maritime n'est pas un type de territoire du modèle",
        confirmed=True,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "commandant_superieur_forces_armees",
        "Commandant supérieur des forces armées",
        "Commandante supérieure des forces armées",
        dep=10,
        kind=None,
        label=_ITEM_10,
        source="seulement dans les départements et collectivités d'outre-mer ; titre féminin ❓",
        confirmed=True,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
        only_in=OUTRE_MER,
    ),
    # 12°
    _art3(
        "president_ceser",
        "Président du conseil économique, social et environnemental régional",
        "Présidente du conseil économique, social et environnemental régional",
        dep=12,
        paris=46,
        kind="region",
        label="le président du conseil économique, social et environnemental régional",
        source="texte consulté : « le président du conseil économique et social de la région » ; dénomination CESER "
        "dans le texte actuel ❓ ; en Corse, le président du conseil économique, social, environnemental et culturel "
        "(même code, région 94) ; les membres des CESER ne sont pas nommés par l'article 3",
    ),
    # 13° (after the président du tribunal administratif, of the tribunal judiciaire and the procureur)
    _art3(
        "president_chambre_regionale_comptes",
        "Président de la chambre régionale des comptes",
        "Présidente de la chambre régionale des comptes",
        dep=13,
        paris=36,
        kind="region",
        label="le président du tribunal administratif, le président du tribunal judiciaire et le procureur de la "
        "République près ce tribunal, le président de la chambre régionale des comptes",
        source="dernier nommé du 13°",
    ),
    # 16°
    _art3(
        "membre_cese",
        "Membre du Conseil économique, social et environnemental",
        "Membre du Conseil économique, social et environnemental",
        dep=16,
        kind="nation",
        label="les membres du Conseil économique, social et environnemental",
        source="texte consulté : « les membres du Conseil économique et social » (le conseil national, devenu CESE "
        "en 2008 ; libellé actuel ❓) ; ce ne sont pas les membres des CESER",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    # 18°: Alsace-Moselle only
    _art3(
        "eveque_concordataire",
        "Évêque",
        "Évêque",
        dep=18,
        kind=None,
        label=_ITEM_18,
        source="seulement dans le Bas-Rhin, le Haut-Rhin et la Moselle (cultes reconnus du droit local) ; "
        "évêque de Strasbourg (67, 68) ou de Metz (57) : le diocèse n'est pas vérifié ❓",
        only_in=ALSACE_MOSELLE,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_directoire_epcaal",
        "Président du directoire de l'Église de la confession d'Augsbourg d'Alsace et de Lorraine",
        "Présidente du directoire de l'Église de la confession d'Augsbourg d'Alsace et de Lorraine",
        dep=18,
        kind=None,
        label=_ITEM_18,
        source="seulement dans le Bas-Rhin, le Haut-Rhin et la Moselle ; l'union des deux Églises protestantes "
        "(UEPAL) n'a peut-être pas été reportée dans le décret ❓",
        only_in=ALSACE_MOSELLE,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_synode_epral",
        "Président du synode de l'Église réformée d'Alsace et de Lorraine",
        "Présidente du synode de l'Église réformée d'Alsace et de Lorraine",
        dep=18,
        kind=None,
        label=_ITEM_18,
        source="seulement dans le Bas-Rhin, le Haut-Rhin et la Moselle",
        only_in=ALSACE_MOSELLE,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "grand_rabbin",
        "Grand Rabbin",
        "Grand Rabbin",
        dep=18,
        kind=None,
        label=_ITEM_18,
        source="seulement dans le Bas-Rhin, le Haut-Rhin et la Moselle",
        only_in=ALSACE_MOSELLE,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_consistoire_israelite",
        "Président du consistoire israélite",
        "Présidente du consistoire israélite",
        dep=18,
        kind=None,
        label=_ITEM_18,
        source="seulement dans le Bas-Rhin, le Haut-Rhin et la Moselle",
        only_in=ALSACE_MOSELLE,
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    # 19°
    _art3(
        "prefet_adjoint_securite",
        "Préfet adjoint pour la sécurité",
        "Préfète adjointe pour la sécurité",
        dep=19,
        kind="departement",
        label=_ITEM_19,
        source="rang dans son département",
    ),
    _art3(
        "prefet_delegue_defense_securite",
        "Préfet délégué pour la défense et la sécurité",
        "Préfète déléguée pour la défense et la sécurité",
        dep=19,
        kind=None,
        label=_ITEM_19,
        source=f"texte consulté : « préfet délégué pour la sécurité et la défense » ; {_ZONE}",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    # 20° (after the sous-préfet in his arrondissement)
    _art3(
        "secretaire_general_prefecture",
        "Secrétaire général de la préfecture",
        "Secrétaire générale de la préfecture",
        dep=20,
        paris=37,
        kind="departement",
        label=_ITEM_20,
        source="rang dans son département ; membre du corps préfectoral (représentant du préfet : usage établi sur "
        "l'art. 13, protocole.info)",
    ),
    _art3(
        "sgar",
        "Secrétaire général pour les affaires régionales",
        "Secrétaire générale pour les affaires régionales",
        dep=20,
        paris=37,
        kind="region",
        label=_ITEM_20,
        source="« le cas échéant » : rang dans les départements de sa région ; représente le préfet de région "
        "(usage établi sur l'art. 13, protocole.info)",
    ),
    _art3(
        "sg_administration_police",
        "Secrétaire général pour l'administration de la police",
        "Secrétaire générale pour l'administration de la police",
        dep=20,
        kind=None,
        label=_ITEM_20,
        source=f"« le cas échéant » ; devenu secrétariat général pour l'administration du ministère de l'Intérieur "
        f"(SGAMI) en 2014 ❓, libellé du décret non vérifié ; {_ZONE}",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "directeur_cabinet_prefet",
        "Directeur de cabinet du préfet",
        "Directrice de cabinet du préfet",
        dep=20,
        paris=37,
        kind="departement",
        label=_ITEM_20,
        source="rang dans son département ; membre du corps préfectoral (représentant du préfet : usage établi sur "
        "l'art. 13, protocole.info)",
    ),
    # 22°
    _art3(
        "chef_service_deconcentre",
        "Chef de service déconcentré de l'État",
        "Cheffe de service déconcentré de l'État",
        dep=22,
        paris=47,
        kind="region",
        also_kinds=("departement",),
        label=_ITEM_22,
        source="chef d'un service régional (rang dans la région) ou départemental (rang dans son département) ; "
        "« dans l'ordre de préséance attribué aux départements ministériels dont ils relèvent » : cet ordre n'est "
        "pas modélisé, ancienneté puis âge à la place ❓ ; titre féminin « Cheffe » ❓",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "delegue_militaire_departemental",
        "Délégué militaire départemental",
        "Déléguée militaire départementale",
        dep=22,
        kind="departement",
        label=_ITEM_22,
        source="rang dans son département",
    ),
    _art3(
        "commandant_groupement_gendarmerie",
        "Commandant du groupement de gendarmerie départementale",
        "Commandante du groupement de gendarmerie départementale",
        dep=22,
        paris=56,
        kind="departement",
        label=_ITEM_22,
        source="rang dans son département ; titre féminin ❓",
    ),
    # 23°
    _art3(
        "president_universite",
        "Président d'université",
        "Présidente d'université",
        dep=23,
        paris=40,
        kind="departement",
        label=_ITEM_23,
        source="rang dans le département du siège de l'université (« ayant leur siège dans le département » se lit "
        "peut-être des seuls écoles et établissements ❓)",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "directeur_grande_ecole",
        "Directeur de grande école nationale",
        "Directrice de grande école nationale",
        dep=23,
        paris=40,
        kind="departement",
        label=_ITEM_23,
        source="« ayant leur siège dans le département »",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "directeur_etablissement_recherche",
        "Directeur de grand établissement de recherche",
        "Directrice de grand établissement de recherche",
        dep=23,
        paris=40,
        kind="departement",
        label=_ITEM_23,
        source="« ayant leur siège dans le département »",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    # 28° to 30°: the court's ressort is not modelled, the rank is given in the département of its seat.
    _art3(
        "president_tribunal_commerce",
        "Président du tribunal de commerce",
        "Présidente du tribunal de commerce",
        dep=28,
        paris=41,
        kind="departement",
        label="le président du tribunal de commerce",
        source="rang dans le département du siège ; tribunaux des activités économiques (expérimentation 2025) ❓",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_conseil_prudhommes",
        "Président du conseil de prud'hommes",
        "Présidente du conseil de prud'hommes",
        dep=29,
        paris=42,
        kind="departement",
        label="le président du conseil de prud'hommes",
        source="rang dans le département du siège",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_tribunal_paritaire_baux_ruraux",
        "Président du tribunal paritaire des baux ruraux",
        "Présidente du tribunal paritaire des baux ruraux",
        dep=30,
        kind="departement",
        label="le président du tribunal paritaire des baux ruraux",
        source="rang dans le département du siège",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    # 31°: regional chambers rank in their region, departmental ones in their département.
    _art3(
        "president_cci",
        "Président de la chambre de commerce et d'industrie",
        "Présidente de la chambre de commerce et d'industrie",
        dep=31,
        paris=49,
        kind="region",
        also_kinds=("departement",),
        label=_ITEM_31,
        source="chambre régionale (rang dans la région) ou départementale (rang dans son département) ; le décret "
        "place les trois chambres régionales avant les trois départementales, ordre non modélisé (CCI, agriculture, "
        "métiers, puis ancienneté) ❓",
    ),
    _art3(
        "president_chambre_agriculture",
        "Président de la chambre d'agriculture",
        "Présidente de la chambre d'agriculture",
        dep=31,
        paris=50,
        kind="region",
        also_kinds=("departement",),
        label=_ITEM_31,
        source="chambre régionale ou départementale (voir président de CCI)",
    ),
    _art3(
        "president_chambre_metiers",
        "Président de la chambre de métiers et de l'artisanat",
        "Présidente de la chambre de métiers et de l'artisanat",
        dep=31,
        paris=51,
        kind="region",
        also_kinds=("departement",),
        label=_ITEM_31,
        source="texte consulté : « chambre ou conférence régionale de métiers », « chambre départementale de "
        "métiers » ; dénomination « de métiers et de l'artisanat » ❓",
    ),
    # 32°
    _art3(
        "batonnier",
        "Bâtonnier de l'ordre des avocats",
        "Bâtonnière de l'ordre des avocats",
        dep=32,
        paris=53,
        kind="departement",
        label=_ITEM_32,
        source="rang dans le département du barreau ; titre féminin « Bâtonnière » ❓",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
    _art3(
        "president_ordre_professionnel",
        "Président de conseil de l'ordre",
        "Présidente de conseil de l'ordre",
        dep=32,
        kind="region",
        also_kinds=("departement",),
        label=_ITEM_32,
        source="conseil régional (rang dans la région) ou départemental (rang dans son département) d'un ordre "
        "professionnel (médecins, pharmaciens, architectes…)",
        source_paris=f"Seuls les conseils nationaux figurent à l'article 2 (54°) ⚠️ ({ART2_COPY})",
        pattern=(_NO_TERRITORY, _NO_TERRITORY),
    ),
)
