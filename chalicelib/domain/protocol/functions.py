"""The catalogue of functions as data: titles, precedence ranks (décret n° 89-655 du 13 septembre 1989) and sources.

Facts come from décret n° 89-655 (Légifrance JORFTEXT000000332354; articles 2 and 3 as read on doctrine.fr and in the
etalab mirror of LEGI, see ``function_def.py``), ministry answers and protocol usage for ranks, and the usage of
official correspondence for titles (modele-lettre.com, studylibfr; circulaire du Premier ministre du 21 novembre 2017
for feminine titles).
``rank_departement`` is the category of article 3 (order in the départements), ``rank_paris`` the category of
article 2 (order in Paris). Ranks that are not decree categories are usage ranks placed between two categories
(fractional: the EPCI president at 7.5, right after the maire) and say so in ``cite_*`` and ``source``.
``confirmed`` is False wherever the fact is ⚠️ (read in an older text only) or ❓ (unconfirmed), and
``source`` then says what is unconfirmed: such entries are correctable data, not settled law.
The article 3 categories 10° to 32° added later are in ``functions_art3.py``; the entry type in ``function_def.py``.
"""

from __future__ import annotations

from chalicelib.domain.protocol.function_def import (
    ART2_COPY,
    ART2_TOP,
    DOCTRINE,
    ETALAB,
    UNCONFIRMED_WORDING,
    FunctionDef,
    define,
)
from chalicelib.domain.protocol.functions_art3 import CATALOGUE_ART3

# Declaration order matters: between two functions of the same category, the one declared first comes first
# (the decree lists the authorities of one item in this order; art. 15: the préfet de région has no precedence
# over the préfet of the département, so "prefet" is declared before "prefet_region").
_CATALOGUE: tuple[FunctionDef, ...] = (
    define(
        "president_republique",
        "Président de la République",
        "Présidente de la République",
        dep=0.1,
        paris=1,
        kind="nation",
        label="le président de la République",
        cite_dep="Article 8",
        source="Décret 89-655, art. 8 ✅ (cérémonie présidée hors de Paris par le président de la République : "
        "autorités de l'article 2 d'abord) ; rang 0.1 = avant le 1° de l'article 3",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 1° ✅ ({ART2_TOP})",
        confirmed_paris=True,
        pattern_m="{title}",
        pattern_f="{title}",
    ),
    define(
        "premier_ministre",
        "Premier ministre",
        "Première ministre",
        dep=0.2,
        paris=2,
        kind="nation",
        label="le Premier ministre",
        cite_dep="Article 8",
        source="Décret 89-655, art. 8 ✅ (cérémonie présidée hors de Paris par le Premier ministre) ; "
        "rang 0.2 = avant le 1° de l'article 3 ; titre féminin : décret n° 2022-1313 « La Première ministre » ✅",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 2° ✅ ({ART2_TOP})",
        confirmed_paris=True,
        pattern_m="{title}",
        pattern_f="{title}",
    ),
    define(
        "ministre",
        "Ministre",
        "Ministre",
        dep=0.6,
        paris=6,
        kind="nation",
        label="les membres du Gouvernement",
        cite_dep="Articles 8 et 15, usage",
        source="Décret 89-655, art. 8 et 15 ✅ (en l'absence d'un membre du Gouvernement, le préfet représente seul "
        "le Gouvernement) ; usage : le préfet s'efface devant le ministre (protocole.info) ✅ ; "
        "rang 0.6 = avant le 1° de l'article 3",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 6° (le Gouvernement) ✅ ({ART2_TOP})",
        confirmed_paris=True,
    ),
    define(
        "prefet",
        "Préfet",
        "Préfète",
        dep=1,
        paris=20,
        kind="departement",
        label="le préfet, représentant de l'État dans le département",
        source=f"Décret 89-655, art. 3, 1° ✅ ({DOCTRINE}) ; titre féminin « Préfète » : circulaire du 21/11/2017 ✅",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 20° (préfet de la région d'Île-de-France, préfet de Paris) ⚠️ "
        f"({ART2_COPY}) ; art. 10 ✅ : sans le président de la République ni le Gouvernement, après le président "
        "de l'Assemblée nationale",
        confirmed_paris=False,
    ),
    define(
        "prefet_region",
        "Préfet de région",
        "Préfète de région",
        dep=1,
        paris=20,
        kind="region",
        label="le préfet de région, représentant de l'État",
        source=f"Décret 89-655, art. 3, 1° ✅ ({DOCTRINE}) et art. 15 ✅ : hors du département chef-lieu, le préfet "
        "de région n'a pas préséance sur le préfet du département",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 20° ⚠️ ({ART2_COPY}) ; art. 10 ✅",
        confirmed_paris=False,
        pattern_m="Préfet de la région {name}",
        pattern_f="Préfète de la région {name}",
    ),
    define(
        "ambassadeur",
        "Ambassadeur",
        "Ambassadrice",
        dep=1.5,
        paris=6.5,
        kind=None,
        label="les ambassadeurs étrangers, après le représentant de l'État",
        cite_dep="Article 17",
        cite_paris="Article 17",
        source="Décret 89-655, art. 17 ✅ : ambassadeurs étrangers, dans les départements après le représentant de "
        "l'État (rang 1.5) ; titre féminin « Ambassadrice » (modele-lettre.com, studylibfr)",
        confirmed=True,
        source_paris="Décret 89-655, art. 17 ✅ : à Paris immédiatement après le Gouvernement (rang 6.5)",
        confirmed_paris=True,
    ),
    define(
        "depute",
        "Député",
        "Députée",
        dep=2,
        paris=12,
        kind="circonscription",
        label="les députés",
        source=f"Décret 89-655, art. 3, 2° ✅ ({DOCTRINE}) ; rang dans le département de sa circonscription "
        "(règle de l'application) ; le mandat national prévaut sur le mandat local (réponse ministérielle "
        "AN 12-74133QE) ✅",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 12° ⚠️ ({ART2_TOP} ; rangs 11 à 15 non confirmés par un texte officiel)",
        confirmed_paris=False,
    ),
    define(
        "senateur",
        "Sénateur",
        "Sénatrice",
        dep=3,
        paris=13,
        kind="departement",
        label="les sénateurs",
        source=f"Décret 89-655, art. 3, 3° ✅ ({DOCTRINE}) ; rang dans le département d'élection (règle de "
        "l'application)",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 13° ⚠️ ({ART2_TOP})",
        confirmed_paris=False,
    ),
    define(
        "depute_europeen",
        "Député européen",
        "Députée européenne",
        dep=4,
        paris=14,
        kind="europe",
        label="les représentants au Parlement européen",
        source=f"Décret 89-655, art. 3, 4° ✅ ({DOCTRINE} ; 7° avant le décret du 4 février 2010)",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 14° ⚠️ ({ART2_TOP})",
        confirmed_paris=False,
        pattern_m="{title}",
        pattern_f="{title}",
    ),
    define(
        "president_conseil_regional",
        "Président du conseil régional",
        "Présidente du conseil régional",
        dep=5,
        paris=23,
        kind="region",
        label="le président du conseil régional",
        source=f"Décret 89-655, art. 3, 5° ✅ ({DOCTRINE})",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 23° (président du conseil régional d'Île-de-France) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "president_conseil_departemental",
        "Président du conseil départemental",
        "Présidente du conseil départemental",
        dep=6,
        paris=None,
        kind="departement",
        label="le président du conseil départemental",
        source=f"Décret 89-655, art. 3, 6° ✅ ({DOCTRINE})",
        confirmed=True,
        source_paris=f"Absent de l'article 2 (Paris n'a pas de conseil départemental) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "maire",
        "Maire",
        "Maire",
        dep=7,
        paris=22,
        kind="commune",
        label="le maire de la commune dans laquelle se déroule la cérémonie",
        source=f"Décret 89-655, art. 3, 7° ✅ ({DOCTRINE}) ; seulement dans sa commune ; « Madame la Maire » "
        "(circulaire du 21/11/2017), « Madame le Maire » sur demande (Académie française, 2019) ✅",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 22° (maire de Paris, président du conseil de Paris) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "president_epci",
        "Président de l'intercommunalité",
        "Présidente de l'intercommunalité",
        dep=7.5,
        paris=22.5,
        kind="epci",
        label="le président de l'EPCI, immédiatement après le maire",
        cite_dep="Usage (ministère de l'Intérieur)",
        cite_paris="Usage (ministère de l'Intérieur)",
        source="Usage ✅ : absent du décret ; position du ministère de l'Intérieur citée par Maires de France "
        "(nov. 2021) : immédiatement après le maire de la commune de la cérémonie, quelle que soit l'autorité "
        "invitante (rang 7.5) ; protocole.info",
        confirmed=True,
        source_paris="Usage transposé à Paris ❓ : juste après le maire de Paris (22.5), non documenté",
        confirmed_paris=False,
        pattern_m="Président {of}",
        pattern_f="Présidente {of}",
    ),
    define(
        "general_commandant_region",
        "Général",
        "Générale",
        dep=8,
        paris=None,
        kind=None,
        label="le général commandant la région terre, l'amiral commandant la région maritime, le général "
        "commandant la région aérienne, le général commandant la région de gendarmerie",
        source=f"Décret 89-655, art. 3, 8° ✅ ({DOCTRINE}) ; titre féminin « Générale » ❓ (usage non documenté)",
        confirmed=True,
        source_paris="Pas d'équivalent direct à l'article 2 (gouverneur militaire de Paris : 27°) ⚠️",
        confirmed_paris=False,
    ),
    define(
        "premier_president_cour_appel",
        "Premier président de la cour d'appel",
        "Première présidente de la cour d'appel",
        dep=9,
        paris=26,
        kind=None,
        label="le président de la cour administrative d'appel, le premier président de la cour d'appel et le "
        "procureur général près cette cour",
        source=f"Décret 89-655, art. 3, 9° ✅ ({DOCTRINE}) ; ressort de la cour non modélisé (pas de type de "
        "territoire)",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 26° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "president_cour_administrative_appel",
        "Président de la cour administrative d'appel",
        "Présidente de la cour administrative d'appel",
        dep=9,
        paris=26,
        kind=None,
        label="le président de la cour administrative d'appel, le premier président de la cour d'appel et le "
        "procureur général près cette cour",
        source=f"Décret 89-655, art. 3, 9° ✅ ({DOCTRINE})",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 26° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "procureur_general",
        "Procureur général",
        "Procureure générale",
        dep=9,
        paris=26,
        kind=None,
        label="le président de la cour administrative d'appel, le premier président de la cour d'appel et le "
        "procureur général près cette cour",
        source=f"Décret 89-655, art. 3, 9° ✅ ({DOCTRINE}) ; titre féminin « Procureure » ❓ (guide CNRS/INaLF non "
        "consulté)",
        confirmed=True,
        source_paris=f"Décret 89-655, art. 2, 26° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
        pattern_m="Procureur général près la cour d'appel {of}",
        pattern_f="Procureure générale près la cour d'appel {of}",
    ),
    define(
        "president_tribunal_administratif",
        "Président du tribunal administratif",
        "Présidente du tribunal administratif",
        dep=13,
        paris=36,
        kind=None,
        label="le président du tribunal administratif, le président du tribunal judiciaire et le procureur de la "
        "République près ce tribunal, le président de la chambre régionale des comptes",
        source=f"Décret 89-655, art. 3, 13° {UNCONFIRMED_WORDING} ({ETALAB})",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 36° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "president_tribunal_judiciaire",
        "Président du tribunal judiciaire",
        "Présidente du tribunal judiciaire",
        dep=13,
        paris=36,
        kind="departement",
        label="le président du tribunal administratif, le président du tribunal judiciaire et le procureur de la "
        "République près ce tribunal, le président de la chambre régionale des comptes",
        source=f"Décret 89-655, art. 3, 13° {UNCONFIRMED_WORDING} ({ETALAB} ; « tribunal de grande instance » "
        "devenu « tribunal judiciaire » au 1er janvier 2020, substitution dans l'art. 3 ❓)",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 36° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "procureur",
        "Procureur de la République",
        "Procureure de la République",
        dep=13,
        paris=36,
        kind="departement",
        label="le président du tribunal administratif, le président du tribunal judiciaire et le procureur de la "
        "République près ce tribunal, le président de la chambre régionale des comptes",
        source=f"Décret 89-655, art. 3, 13° {UNCONFIRMED_WORDING} ({ETALAB}) ; titre féminin « Procureure » ❓ "
        "(guide CNRS/INaLF non consulté)",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 36° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
        pattern_m="Procureur de la République près le tribunal judiciaire {of}",
        pattern_f="Procureure de la République près le tribunal judiciaire {of}",
    ),
    define(
        "vice_president_conseil_regional",
        "Vice-président du conseil régional",
        "Vice-présidente du conseil régional",
        dep=14,
        paris=38,
        kind="region",
        label="les membres du conseil régional",
        source=f"Décret 89-655, art. 3, 14° (rang propre : membre du conseil régional) {UNCONFIRMED_WORDING} "
        f"({ETALAB}) ; représentant le président : rang du président (art. 14 ✅)",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 38° (membres du conseil régional d'Île-de-France) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "conseiller_regional",
        "Conseiller régional",
        "Conseillère régionale",
        dep=14,
        paris=38,
        kind="region",
        label="les membres du conseil régional",
        source=f"Décret 89-655, art. 3, 14° {UNCONFIRMED_WORDING} ({ETALAB})",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 38° ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "vice_president_conseil_departemental",
        "Vice-président du conseil départemental",
        "Vice-présidente du conseil départemental",
        dep=15,
        paris=None,
        kind="departement",
        label="les membres du conseil départemental",
        source=f"Décret 89-655, art. 3, 15° (rang propre : membre du conseil départemental) {UNCONFIRMED_WORDING} "
        f"({ETALAB}, « conseil général ») ; représentant le président : rang du président (art. 14 ✅)",
        confirmed=False,
        source_paris="Absent de l'article 2 (pas de conseil départemental à Paris) ⚠️",
        confirmed_paris=False,
    ),
    define(
        "conseiller_departemental",
        "Conseiller départemental",
        "Conseillère départementale",
        dep=15,
        paris=None,
        kind="departement",
        label="les membres du conseil départemental",
        source=f"Décret 89-655, art. 3, 15° {UNCONFIRMED_WORDING} ({ETALAB}, « conseil général » renommé par la "
        "loi n° 2013-403 ✅)",
        confirmed=False,
        source_paris="Absent de l'article 2 (pas de conseil départemental à Paris) ⚠️",
        confirmed_paris=False,
        also_kinds=("canton",),  # recorded with its canton, as the RNE gives it
    ),
    define(
        "recteur",
        "Recteur d'académie",
        "Rectrice d'académie",
        dep=17,
        paris=33,
        kind=None,
        label="le recteur d'académie, chancelier des universités",
        source=f"Décret 89-655, art. 3, 17° {UNCONFIRMED_WORDING} ({ETALAB} ; réforme des régions académiques ❓) ; "
        "l'académie n'est pas un type de territoire du modèle : rang partout",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 33° (recteur de l'académie de Paris) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
        pattern_m="Recteur de l'académie {of}",
        pattern_f="Rectrice de l'académie {of}",
    ),
    define(
        "sous_prefet",
        "Sous-Préfet",
        "Sous-Préfète",
        dep=20,
        paris=None,
        kind="arrondissement",
        label="le sous-préfet dans son arrondissement",
        source=f"Décret 89-655, art. 3, 20° {UNCONFIRMED_WORDING} ({ETALAB}) ; seulement dans son arrondissement ; "
        "art. 11 ✅ : en l'absence du ministre ou du préfet, prend le rang du préfet",
        confirmed=False,
        source_paris="Pas de sous-préfet d'arrondissement à Paris (absent de l'article 2) ⚠️",
        confirmed_paris=False,
    ),
    define(
        "general",
        "Général",
        "Générale",
        dep=21,
        paris=39,
        kind=None,
        label="les officiers généraux exerçant un commandement",
        source=f"Décret 89-655, art. 3, 21° {UNCONFIRMED_WORDING} ({ETALAB}) ; titre féminin « Générale » ❓ "
        "(usage non documenté) ; le commandant de région terre, maritime, aérienne ou de gendarmerie est au 8° "
        "(code general_commandant_region)",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 39° (officiers généraux) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "dgs_region",
        "Directeur général des services de la région",
        "Directrice générale des services de la région",
        dep=24,
        paris=44,
        kind="region",
        label="le directeur général des services de la région",
        source=f"Décret 89-655, art. 3, 24° {UNCONFIRMED_WORDING} ({ETALAB})",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 44° (région d'Île-de-France) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
        pattern_m="Directeur général des services de la région {name}",
        pattern_f="Directrice générale des services de la région {name}",
    ),
    define(
        "dgs_departement",
        "Directeur général des services du département",
        "Directrice générale des services du département",
        dep=25,
        paris=None,
        kind="departement",
        label="le directeur général des services du département",
        source=f"Décret 89-655, art. 3, 25° {UNCONFIRMED_WORDING} ({ETALAB})",
        confirmed=False,
        source_paris="Absent de l'article 2 ⚠️",
        confirmed_paris=False,
        pattern_m="Directeur général des services du département {of}",
        pattern_f="Directrice générale des services du département {of}",
    ),
    define(
        "adjoint_maire",
        "Adjoint au maire",
        "Adjointe au maire",
        dep=26,
        paris=38,
        kind="commune",
        label="les conseillers municipaux de la commune dans laquelle se déroule la cérémonie",
        source=f"Décret 89-655, art. 3, 26° (rang propre : conseiller municipal de la commune de la cérémonie) "
        f"{UNCONFIRMED_WORDING} ({ETALAB}) ; représentant le maire : rang du maire (art. 14 ✅)",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 38° (membres du conseil de Paris) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "maire_delegue",
        "Maire délégué",
        "Maire déléguée",
        dep=26,
        paris=None,
        kind="commune",
        label="les conseillers municipaux de la commune dans laquelle se déroule la cérémonie",
        source="❓ Absent du décret : classé comme conseiller municipal de la commune de la cérémonie "
        f"(art. 3, 26°, {ETALAB}) — hypothèse de l'application, à vérifier ; le mandat doit porter le code "
        "INSEE de la commune de la cérémonie",
        confirmed=False,
        source_paris="Pas de commune déléguée à Paris ❓",
        confirmed_paris=False,
    ),
    define(
        "conseiller_municipal",
        "Conseiller municipal",
        "Conseillère municipale",
        dep=26,
        paris=38,
        kind="commune",
        label="les conseillers municipaux de la commune dans laquelle se déroule la cérémonie",
        source=f"Décret 89-655, art. 3, 26° {UNCONFIRMED_WORDING} ({ETALAB})",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 38° (membres du conseil de Paris) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "dgs_commune",
        "Directeur général des services",
        "Directrice générale des services",
        dep=27,
        paris=43,
        kind="commune",
        label="le secrétaire général de la commune dans laquelle se déroule la cérémonie",
        source=f"Décret 89-655, art. 3, 27° « secrétaire général de la commune » {UNCONFIRMED_WORDING} ({ETALAB}) ; "
        "assimilation au directeur général des services ❓",
        confirmed=False,
        source_paris=f"Décret 89-655, art. 2, 43° (secrétaire général de la ville de Paris) ⚠️ ({ART2_COPY})",
        confirmed_paris=False,
    ),
    define(
        "secretaire_general_mairie",
        "Secrétaire général de mairie",
        "Secrétaire générale de mairie",
        dep=33,
        paris=None,
        kind="commune",
        label="le secrétaire de mairie",
        source=f"Décret 89-655, art. 3, 33° « secrétaire de mairie » {UNCONFIRMED_WORDING} ({ETALAB}) ; "
        "renommé « secrétaire général de mairie » par une loi de 2023 ❓, mise à jour de l'art. 3 ❓ ; "
        "à distinguer du secrétaire général de la commune (27°, code dgs_commune)",
        confirmed=False,
        source_paris="Absent de l'article 2 ❓",
        confirmed_paris=False,
        pattern_m="Secrétaire général de la mairie {of}",
        pattern_f="Secrétaire générale de la mairie {of}",
    ),
    define(
        "conseiller_communautaire",
        "Conseiller communautaire",
        "Conseillère communautaire",
        dep=None,
        paris=None,
        kind="epci",
        label="conseiller communautaire (fonction non prévue par le décret)",
        source="Absent du décret 89-655 ✅ (les EPCI n'y figurent pas) : placé par l'organisateur (art. 18)",
        confirmed=True,
        source_paris="Absent de l'article 2 ✅",
        confirmed_paris=True,
    ),
    define(
        "autre",
        "",
        "",
        dep=None,
        paris=None,
        kind=None,
        label="fonction non listée (titre libre)",
        source="Titre libre, sans rang : personnalité placée par l'organisateur (art. 18 ✅)",
        confirmed=True,
        source_paris="Titre libre, sans rang (art. 18 ✅)",
        confirmed_paris=True,
    ),
)

FUNCTIONS: dict[str, FunctionDef] = {f.code: f for f in (*_CATALOGUE, *CATALOGUE_ART3)}

# Position of each code in the catalogue: the order between two functions of the same category.
POSITION: dict[str, int] = {code: i for i, code in enumerate(FUNCTIONS)}

_VOWELS = "AEIOUYÉÈÊÂÎÔÛaeiouyéèêâîôû"
_ARTICLE_PREFIXES = ("de la ", "de l'", "de l’", "du ", "des ", "de ", "d'", "d’")


def without_article(territory_name_with_article: str) -> str:
    """« de la Seine-Maritime » → « Seine-Maritime », « d'Occitanie » → « Occitanie », « du Nord » → « Nord »."""
    for prefix in _ARTICLE_PREFIXES:
        if territory_name_with_article.startswith(prefix):
            return territory_name_with_article[len(prefix) :]
    return territory_name_with_article


def title(
    code: str,
    is_woman: bool,
    territory_name_with_article: str | None = None,
    *,
    traditional: bool = False,
) -> str:
    """The title as announced: « Madame la Préfète de la Seine-Maritime », « Monsieur le Député ».

    ``territory_name_with_article`` is ready-made by the geography (« de la Seine-Maritime », « du Nord »,
    « de Rouen »); it is ignored for functions whose pattern has no territory (président de la République…).
    ``traditional`` gives the masculine title after « Madame » (« Madame le Maire », Académie française 2019) for a
    woman who asked for it. For ``autre`` (free title) only the civility is returned. Unknown codes raise KeyError.
    """
    fdef = FUNCTIONS[code]
    feminine = is_woman and not traditional
    civility = "Madame" if is_woman else "Monsieur"
    bare = fdef.title_f if feminine else fdef.title_m
    if not bare:
        return civility
    text = bare
    if territory_name_with_article:
        pattern = (fdef.title_pattern_f if feminine else fdef.title_pattern_m) or "{title} {of}"
        if "{of}" in pattern or "{name}" in pattern:
            pattern = pattern.replace("{title}", bare)
            text = pattern.replace("{of}", territory_name_with_article).replace(
                "{name}", without_article(territory_name_with_article)
            )
    if text[0] in _VOWELS:
        return f"{civility} l'{text}"
    return f"{civility} {'la' if feminine else 'le'} {text}"
