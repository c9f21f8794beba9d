"""Neutrality of a collectivité's event texts in a pre-electoral window (Code électoral L52-1 al. 2).

Why: from the first day of the sixth month before the month of a general election, « aucune campagne de promotion
publicitaire des réalisations ou de la gestion d'une collectivité ne peut être organisée » (L52-1 al. 2,
legal-fr.md §4.1). The juge de l'élection reads a collectivité's communication in that period through four
criteria (§4.2): antériorité, régularité, identité (the form: checked in `compliance`) and neutralité, the
content: informative about local life, with no reference to the election, no flattering balance sheet of the
outgoing team, no promotion of candidates. Sources (§4.2): CE 28 juill. 1993 Fourcade; CE 5 juin 1996 Morhange;
CE Ass. 18 déc. 1996 Paris 16e (a favourable presentation of the outgoing team is a prohibited campaign);
CE 2015 La Croix-Saint-Leufroy (a mayor's editorial calling to vote for the outgoing list in the municipal
bulletin, with a 3-vote gap: election annulled).

What: `PATTERNS` are French word lists and regular expressions in five categories (election, bilan, candidature,
appel_au_vote, lien), plus the tenant's declared candidates (names and web sites). `find` reports every match in
the title, description and invitation text, quoting the original words.

The lists are correctable data, not code: to add or remove a wording, add or remove a `Pattern` together with the
natural sentences it must catch (`examples`) and the neutral municipal sentences it must leave alone
(`counterexamples`); the unit tests run all of them. A match is blocking for an `institution` inside an L52-1
window; that decision (and its override by an administrator) lives in `compliance`, not here.

Where the line is debatable, the choice is written next to the pattern. The general rule (§4.2, neutralité):
information the mairie gives as an administration (registration on the electoral roll, the commission de
contrôle, a council deliberation, a participatory budget, a season's attendance) is neutral; wording that
points at the coming ballot, praises what the team did in its mandate, presents someone as running, or asks
for votes is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Category = Literal["election", "bilan", "candidature", "appel_au_vote", "lien"]
CATEGORIES: tuple[Category, ...] = ("election", "bilan", "candidature", "appel_au_vote", "lien")


@dataclass(frozen=True)
class Pattern:
    """One wording to avoid: a regex over folded text, with the sentences that prove its edges."""

    id: str
    category: Category
    regex: str  # applied to fold(text): lowercase, without accents, apostrophes as ', single spaces
    label: str
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A declared candidate (tenant settings): the name and the campaign sites, as entered."""

    name: str
    sites: tuple[str, ...] = ()  # domains or URLs: "dupont2027.fr", "https://www.liste-avenir.fr/programme"


@dataclass(frozen=True)
class Match:
    """One wording found: where, what, and the original words with some context for the user."""

    field: str
    category: Category
    pattern_id: str
    label: str
    excerpt: str


# ---------------------------------------------------------------------------------------------------------------
# Folding: the patterns are written once, lowercase and without accents; the index map quotes the original text.

_SPECIAL: dict[str, str] = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "\u2019": "'",  # ’ typographic apostrophe (French typography, see domain/typography)
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2018": "'",  # ‘ sometimes typed for an apostrophe
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen (« donnez‑nous »)
}
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")  # soft hyphen, zero-width characters


def _fold_indexed(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the offset of the original character it comes from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():  # NBSP and NNBSP included: « votez\u202f! »
            if not out or out[-1] != " ":
                out.append(" ")
                index.append(i)
            continue
        if ch in _INVISIBLE:
            continue
        folded = _SPECIAL.get(ch)
        if folded is None:
            folded = "".join(c for c in unicodedata.normalize("NFD", ch.casefold()) if not unicodedata.combining(c))
        for c in folded:
            out.append(c)
            index.append(i)
    return "".join(out), index


def fold(text: str) -> str:
    """The form patterns and candidate names are compared in: « L’Élection » → "l'election" (stripped)."""
    return _fold_indexed(text)[0].strip()


# ---------------------------------------------------------------------------------------------------------------
# Shared fragments (folded French).

_YEAR = r"20(?:2[6-9]|3[0-5])"  # years of the coming ballots; a year alone in a host is a campaign hint
_ELECTIONS = (
    r"(?:legislatives|municipales|regionales|departementales|europeennes|senatoriales|cantonales|territoriales)"
)
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MONTH = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_CANDIDAT = r"candidat(?:e|s|es)?"
# What one runs for: « candidat aux municipales », « à sa propre succession », « pour un nouveau mandat ».
_ELECTORAL_OBJECT = (
    r"(?:l'election|la reelection|les elections|(?:sa|ma|son|mon) (?:propre )?(?:re)?election|"
    r"(?:sa|ma|leur) (?:propre )?succession|(?:un |le |ce )?(?:nouveau |second |deuxieme |troisieme |prochain )?mandat|"
    rf"la mairie|(?:les )?{_ELECTIONS}|la presidentielle|la presidence de la republique|(?:la |une )?deputation|"
    r"la tete (?:de la (?:ville|commune|mairie|region|metropole)|du (?:departement|village)))\b"
)
# A vote that is a municipal consultation, not a ballot: « votez pour vos projets préférés (budget participatif) »,
# « votez pour la plus belle maison illuminée ». §4.2 neutrality is about the election, not about the population
# taking part in a participatory budget or a contest run by the mairie.
_CONSULTATION = (
    r"(?:(?: (?:en ligne|sur \S+))?(?: (?:pour|en faveur de))? (?:vos|votre|leur|leurs|son|sa|ses|le|la|les|l'|un|une)"
    r" ?(?:(?:plus |meilleure? )?(?:beaux?|belles?|jolie?s?|originale?s?) )?"
    r"(?:projets?|idees?|coups? de coeur|preferee?s?|favori(?:te)?s?|maisons?|jardins?|balcons?|vitrines?|sapins?|"
    r"illuminations?|photos?|dessins?|noms?|mascottes?|logos?|affiches?|prix du public|budget participatif|"
    r"plus bea\w*|plus bel\w*|meilleure?s?)\b"
    r"|(?: pour)? (?:vos|votre|leur|leurs|ton|ta|tes) (?:\S+ ){1,3}?(?:preferee?s?|favori(?:te)?s?)\b"
    r"|[^.!?]{0,80}\b(?:budget participatif|concours|prix du public)\b)"
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"  # one DNS label
_FILE_EXT = r"(?:pdf|docx?|odt|ods|xlsx?|pptx?|jpe?g|png|gif|svg|html?|php|zip|txt|csv|mp[34])\b"
_TLD = rf"\.(?!{_FILE_EXT})[a-z]{{2,}}"
_HOST_END = r"(?![a-z0-9-]|\.[a-z0-9])"  # the whole host, never a prefix of it


def _p(
    id: str,
    category: Category,
    label: str,
    regex: str,
    examples: tuple[str, ...],
    counterexamples: tuple[str, ...],
) -> Pattern:
    return Pattern(id, category, regex, label, examples, counterexamples)


PATTERNS: tuple[Pattern, ...] = (
    # --- election: references to the coming ballot -------------------------------------------------------------
    _p(
        "election",
        "election",
        "référence à l'élection",
        # An election of a carnival queen, of the children's council (CMJ) or of parents' representatives is local
        # life, not the ballot. Not inside a host or a path (« elections.interieur.gouv.fr », see lien_*).
        r"(?<![./])\b(?:re)?elections?\b(?!\.[a-z0-9])"
        r"(?! (?:de |du |des |d')?(?:la |le |les |l')?(?:miss|mister|reines?|rois?|delegues?|representants?|parents|"
        r"conseil municipal des (?:jeunes|enfants)|conseil des (?:jeunes|enfants|sages)|cmj|cme|comite des fetes)\b)",
        (
            "Rendez-vous après les élections !",
            "Dès sa réélection, le maire lancera le chantier.",
            "L'élection approche.",
        ),
        (
            "Élection de la reine du carnaval samedi sur la place",
            "Élection des délégués du conseil municipal des jeunes",
            "Le maire et le conseil municipal ont le plaisir de vous convier à la cérémonie des vœux",
        ),
    ),
    _p(
        "scrutin",
        "election",
        "référence au scrutin",
        # « Au scrutin secret » is how the council itself votes on appointments: a deliberation, not the ballot.
        r"\bscrutins?\b(?! (?:secret|public)\b)",
        ("Avant le scrutin du 15 mars", "Les résultats du scrutin seront proclamés en mairie."),
        ("Le conseil municipal désigne ses délégués au scrutin secret", "Vote du budget en conseil municipal"),
    ),
    _p(
        "presidentielle",
        "election",
        "référence à l'élection présidentielle",
        # The noun only: « la présidentielle », « présidentielle 2027 »; not the adjective (« tribune présidentielle »).
        r"\b(?:la|les|une|cette|de|des|aux?|avant|apres|pendant|depuis) (?:prochaine |derniere |future )?"
        rf"presidentielles?\b|\bpresidentielles? (?:de |du |d')?(?:{_YEAR}|20\d\d|anticipees?)\b",
        ("Avant la présidentielle, le marché de Noël…", "Présidentielle 2027 : les enjeux locaux"),
        ("Visite de la tribune présidentielle du stade", "Nuit à la suite présidentielle du château"),
    ),
    _p(
        "election_nommee",
        "election",
        "référence à une élection (municipales, législatives…)",
        # Plural nouns after a determiner (« les municipales »); a road (« la départementale 12 », « des
        # départementales 12 et 14 ») or an adjective after a noun (« archives départementales ») is not an election.
        r"\b(?:les|des|aux|ces|prochaines|dernieres|futures) (?:prochaines "
        rf"|dernieres |futures |elections )?{_ELECTIONS}"
        rf"\b(?! \d{{1,3}}\b)|\b{_ELECTIONS} (?:de |du |d')?(?:20\d\d|{_MONTH}|anticipees|partielles)\b",
        ("Les municipales approchent", "Après les législatives anticipées", "Municipales 2026 : ce qui change"),
        (
            "Fermeture des départementales 12 et 14 pour travaux",
            "Visite des archives départementales",
            "Les équipes municipales vous accueillent",
        ),
    ),
    _p(
        "tour_de_scrutin",
        "election",
        "référence au tour de scrutin",
        # A round of a cup or a merry-go-round ride is not a ballot: « tour de/du X » only when X is electoral.
        r"\b(?:premier|1er|second|2nd|2d|deuxieme|2e|2eme) tours?\b"
        rf"(?! (?:de |du |des |d')(?!scrutin|l'election|la presidentielle|(?:les )?elections?|(?:les )?{_ELECTIONS})\S)"
        r"|\bentre les deux tours\b|\btours? de scrutin\b",
        ("Résultats du premier tour", "Entre les deux tours, la fête continue", "le second tour de l'élection"),
        ("Le club est qualifié pour le second tour de la Coupe de France", "Premier tour de manège offert"),
    ),
    _p(
        "bureau_de_vote",
        "election",
        "référence au bureau de vote",
        # An event text has no reason to mention voting logistics; unlike registration on the electoral roll
        # (a year-round procedure, see periode_electorale), a polling station is the ballot itself.
        r"\bbureaux? de vote\b|\bisoloirs?\b",
        ("Les bureaux de vote seront ouverts de 8 h à 18 h", "Passez par l'isoloir"),
        ("Réunion du bureau de l'association de jumelage", "Permanence du bureau d'accueil"),
    ),
    _p(
        "bulletin_de_vote",
        "election",
        "référence au bulletin de vote",
        r"\bbulletins? de vote\b",
        ("Un bulletin de vote à notre nom",),
        ("Le bulletin municipal de janvier est disponible en mairie",),
    ),
    _p(
        "urnes",
        "election",
        "référence aux urnes",
        # Plural only: a single « urne » at the mairie is a suggestion box or a participatory ballot box.
        r"\b(?:les|des|par les) urnes\b(?! (?:funeraires|cineraires)\b)",
        ("Le verdict des urnes", "Avant de passer par les urnes"),
        (
            "Jardin du souvenir : dépôt des urnes funéraires",
            "Une urne sera à votre disposition pour vos suggestions",
        ),
    ),
    _p(
        "campagne_electorale",
        "election",
        "référence à la campagne électorale",
        # « Campagne » alone is countryside or a municipal information/vaccination campaign.
        rf"\bcampagnes? (?:electorales?|presidentielles?|des (?:elections|{_ELECTIONS})|pour (?:les|la) (?:elections?"
        rf"|{_ELECTIONS}|presidentielle))\b|\bentree en campagne\b"
        r"|\b(?:reunions? (?:publiques? )?|meetings? |qg |quartier general |permanences? |tracts? |equipes? |"
        r"directeur |directrice |comites? |local |slogans? |clips? |frais |comptes? )de campagne\b",
        (
            "En pleine campagne électorale",
            "La campagne des municipales est lancée",
            "Son entrée en campagne",
            "Réunion publique de campagne",
        ),
        (
            "Campagne municipale de stérilisation des chats errants",
            "Randonnée en pleine campagne",
            "Pain de campagne et fromages au marché",
        ),
    ),
    _p(
        "periode_electorale",
        "election",
        "référence à la période électorale",
        # Neutral administration is NOT caught: « révision des listes électorales », « inscription sur les listes
        # électorales avant le 6 mars », « la commission électorale se réunit » (the commission de contrôle of the
        # electoral roll), « cartes électorales ». The mairie informing people how to register is institutional
        # information, not propaganda: it names no ballot, no team, no candidate (§4.2 neutralité). A notice about
        # the réserve itself should say « période de réserve », which is not caught.
        r"\b(?:periodes?|echeances?|rendez-vous|annees?|contextes?|debats?|reunions?|meetings?|tracts?|affiches?|"
        r"propagande|batailles?|courses?|enjeux|combats?|strategies?|alliances?|victoires?|defaites?|resultats?|"
        r"sondages?) (?:pre-?)?electora(?:l|le|ls|les|ux)\b|\bpre-?electora(?:l|le|ls|les|ux)\b",
        ("À l'approche de l'échéance électorale", "Hors période préélectorale", "Réunion électorale à 20 h"),
        (
            "La commission électorale se réunit le 10 janvier en mairie",
            "Révision des listes électorales : permanence en mairie",
            "Inscription sur les listes électorales avant le 6 mars",
            "Distribution des nouvelles cartes électorales",
        ),
    ),
    _p(
        "electeurs",
        "election",
        "référence aux électeurs",
        # Institutional, as registration (see periode_electorale): the carte d'électeur and the new voters welcomed
        # at the cérémonie de citoyenneté, and a sentence about registration or proxies.
        r"(?<!carte d')(?<!cartes d')(?<!jeunes )(?<!nouveaux )(?<!nouvelles )\belect(?:eurs?|rices?|orat)\b"
        r"(?![^.!?]{0,80}\b(?:inscri\w*|listes? electorales?|cartes? electorales?|procurations?)\b)",
        ("Chers électeurs, chères électrices", "L'électorat de la commune"),
        (
            "Cérémonie de citoyenneté : remise de la carte d'électeur aux jeunes majeurs",
            "Pour les jeunes électeurs, permanence d'inscription en mairie",
            "Les électeurs sont invités à vérifier leur inscription sur les listes",
        ),
    ),
    _p(
        "jour_du_vote",
        "election",
        "référence au jour du vote",
        r"\b(?:jour|date|soir|dimanche) du vote\b(?! (?:du|des|de la"
        r"|de l') ?(?:budget|deliberation|compte|subvention))",
        ("Le jour du vote, la mairie…", "Soirée du soir du vote"),
        ("Date du vote du budget : 3 avril en conseil municipal",),
    ),
    # --- bilan: balance sheet of the outgoing team (CE Ass. 18 déc. 1996 Paris 16e) ---------------------------
    # Decision: a bilan of a season, a service or an event is neutral information (« bilan de la saison
    # culturelle »); only the bilan of the team, the majority, the mandate or the mayor's action is caught.
    _p(
        "bilan_mandat",
        "bilan",
        "bilan du mandat",
        # The children's council (CMJ) has a « mandat » too: its bilan is civic education, not the team's.
        r"\bbilans? (?:a|de|du|des|d'un|d'une) (?:(?:notre|mon|ce|cet|son|votre|nos|mes|ses|la|le|premier|dernier|"
        r"precedent|present|actuel|mi)[ -]|l')*(?:mandats?|mandatures?)\b"
        r"(?! (?:du|des|de la) (?:conseil municipal des (?:jeunes|enfants)|cmj|cme|conseil des (?:jeunes|enfants))\b)",
        ("Venez découvrir le bilan de notre mandat", "Bilan de mi-mandat", "Le bilan du mandat 2020-2026"),
        ("Bilan du mandat du conseil municipal des jeunes", "Bilan de la saison culturelle"),
    ),
    _p(
        "bilan_equipe",
        "bilan",
        "bilan de l'équipe municipale",
        r"\bbilans? (?:de|du|des) (?:l'|la |le |les )?(?:equipe(?! (?:de"
        r"|d'|des|du|u\d+|senior|junior|feminine|premiere|"
        r"technique)\b| d')|majorite|municipalite|executif|maire|elus|adjoints|conseil municipal)"
        r"(?: (?:municipale?|sortante?|en place|actuelle?|majoritaire))?\b"
        r"(?! (?:des |du |de la |de l')?(?:jeunes|enfants|sages|aines"
        r"|conseil municipal des (?:jeunes|enfants)|cmj|cme)\b)",
        ("Le bilan de l'équipe municipale", "Le bilan de la majorité", "Bilan de la municipalité en images"),
        (
            "Bilan de l'équipe de football U15",
            "Le service des sports dresse le bilan de la saison",
            "Cérémonie des vœux du maire à la population",
            "Bilan du conseil municipal des jeunes",
        ),
    ),
    _p(
        "bilan_action",
        "bilan",
        "bilan de l'action de l'équipe",
        # « Leur action » is left out: associations present the bilan of their own action.
        r"\bbilans? (?:de|du|des) (?:(?:notre|mon|nos|mes) (?:action|gestion|travail|politique|engagement|annee|six|6|"
        r"cinq|5)s?|(?:l'action|la gestion|la politique) (?:municipale|de la majorite|de l'equipe|du maire))\b",
        ("Le bilan de notre action", "Bilan de l'action municipale", "Bilan de nos six années"),
        ("Les associations présentent le bilan de leur action",),
    ),
    _p(
        "notre_bilan",
        "bilan",
        "bilan présenté par l'équipe",
        r"\b(?:notre|mon|nos|mes) bilans?\b(?! (?:carbone|energetique|ges|de sante|sanguin)\b)"
        r"|\bfiere?s? (?:de|du) (?:ce |cet |notre |mon )?bilan\b",
        ("Nous sommes fiers de notre bilan", "Mon bilan parle pour moi", "Fiers du bilan !"),
        (
            "Présentation de notre bilan carbone par le service environnement",
            "Notre bilanciel trimestriel est publié par le service financier",
        ),
    ),
    _p(
        "nos_realisations",
        "bilan",
        "réalisations de l'équipe",
        # « Réalisations » alone is also children's work or a service's output; caught when the team owns them.
        r"\b(?:nos|mes) (?:(?:principales|grandes|nombreuses|premieres|dernieres|belles) )?realisations\b"
        r"|\brealisations (?:de|du|des) (?:l'|la |le )?(?:equipe(?: municipale)?|majorite|municipalite|mandat|"
        r"mandature|maire)\b",
        ("Nos réalisations en images", "Les réalisations de la majorité", "Découvrez les réalisations du mandat"),
        (
            "Les enfants du centre de loisirs exposent leurs réalisations",
            "Présentation des projets de l'année 2027 par les services",
        ),
    ),
    _p(
        "promesses_tenues",
        "bilan",
        "promesses tenues",
        r"\bpromesses? (?:ont ete |a ete |sont |toutes )?(?:tenue?s?|respectee?s?|realisee?s?)\b"
        r"|\b(?:nous avons|j'ai|(?:l'|notre )equipe (?:municipale )?a|la majorite a|la municipalite a) (?:bien )?"
        r"(?:tenu|respecte)"
        r" (?:(?:toutes |tous )?(?:nos|mes|ses|les|sa|notre|ma) )?(?:promesses?|parole)\b|\bparole tenue\b",
        (
            "Promesses tenues !",
            "Nous avons tenu nos promesses",
            "Toutes nos promesses ont été tenues",
            "Notre équipe a tenu toutes ses promesses",
        ),
        ("Les promesses de dons sont collectées pour le Téléthon",),
    ),
    _p(
        "engagements_tenus",
        "bilan",
        "engagements tenus",
        # The team's voice only: « le festival a respecté ses engagements environnementaux » is neutral.
        r"\bengagements? (?:ont ete |a ete |sont |tous )?(?:tenus?|respectes?|honores?)\b"
        r"|\b(?:nous avons|j'ai|(?:l'|notre )equipe (?:municipale )?a|la majorite a"
        r"|la municipalite a) (?:bien )?(?:tenu|respecte|"
        r"honore) (?:(?:tous )?(?:nos|mes|ses|les|son|notre|mon) )?engagements?\b",
        ("Engagements tenus", "Nous avons respecté tous nos engagements"),
        ("Le festival a respecté ses engagements environnementaux",),
    ),
    _p(
        "ce_que_nous_avons_accompli",
        "bilan",
        "ce que l'équipe a accompli",
        r"\b(?:tout )?ce que (?:nous avons|j'ai|l'equipe (?:municipale )?a|la majorite a|la municipalite a) "
        r"(?:deja |ensemble )?(?:accompli|realise|fait|construit|reussi|bati|obtenu|mene)\b",
        ("Venez voir tout ce que nous avons accompli", "Ce que nous avons réalisé depuis 2020"),
        ("Découvrez ce que les enfants ont réalisé à l'atelier",),
    ),
    _p(
        "nous_avons_accompli",
        "bilan",
        "réalisations revendiquées",
        r"\b(?:nous avons|j'ai|nous aurons|l'equipe (?:municipale )?a"
        r"|la majorite a) (?:deja |ensemble |beaucoup |tant )?"
        r"(?:accompli|concretise)\b|\bensemble,? nous avons (?:deja |beaucoup )?(?:realise|fait|construit|bati|reussi|"
        r"accompli|transforme|change|obtenu)\b",
        ("Nous avons accompli beaucoup", "Ensemble, nous avons transformé la ville"),
        ("Nous avons le plaisir de vous convier au concert du nouvel an",),
    ),
    _p(
        "depuis_notre_election",
        "bilan",
        "bilan depuis l'élection",
        r"\bdepuis (?:notre|mon|ma|leur|son|sa) (?:re)?election\b|\bdepuis (?:le debut (?:de|du) (?:notre |mon |ce )?"
        r"mandat|notre arrivee|mon arrivee)\b|\bdepuis que (?:nous sommes|je suis) (?:elus?|aux responsabilites|"
        r"en charge|a la tete)\b",
        ("Depuis notre élection, la ville a changé", "Depuis le début du mandat", "Depuis que nous sommes élus"),
        ("Depuis son ouverture en 2019, la médiathèque accueille les scolaires",),
    ),
    _p(
        "grace_a_notre_action",
        "bilan",
        "mérite attribué à l'équipe",
        r"\bgrace a (?:(?:notre|mon|nos|mes) (?:action|majorite|engagement|politique|gestion|volonte|determination|"
        r"mobilisation|bilan|choix|programme)s?|l'action (?:municipale|de la majorite|de l'equipe(?: municipale)?|"
        r"du maire)|la majorite(?: municipale)?|la politique (?:municipale|de la majorite|du maire))\b",
        ("Grâce à notre action, les impôts ont baissé", "Grâce à l'action municipale", "grâce à la majorité"),
        ("Grâce à l'action des bénévoles, la fête a pu avoir lieu",),
    ),
    _p(
        "grace_a_notre_equipe",
        "bilan",
        "mérite attribué à l'équipe",
        # « Notre équipe technique / des espaces verts » is the staff of the mairie: neutral.
        r"\bgrace a (?:(?:notre|mon) equipe\b(?! (?:technique|pedagogique|enseignante|medicale|soignante|de|des|du)\b"
        r"| d')|l'equipe (?:municipale|de la majorite|du maire)|(?:nos|mes) (?:elus|adjoints|colistiers))",
        ("Grâce à notre équipe, la ville avance", "Grâce à l'équipe municipale"),
        ("Grâce à notre équipe technique, le parc est fleuri", "Grâce à notre équipe d'animation"),
    ),
    _p(
        "jamais_autant",
        "bilan",
        "bilan flatteur",
        # Attendance is neutral (« le festival n'a jamais attiré autant de visiteurs »): the verbs are what a team did.
        r"\bn'(?:a|ont|avait|avaient|aura|auront) jamais (?:autant|tant|aussi|plus|mieux) (?:fait|investi|realise|"
        r"construit|agi|accompli|ete fait|ete investi|ete realise)\b|\bn'(?:a|ont|avait|avaient|aura) jamais (?:fait|"
        r"investi|realise|construit|agi|accompli) (?:autant|tant|plus|aussi)\b|\bjamais (?:une|aucune) (?:equipe|"
        r"municipalite|majorite) n'(?:a|avait)\b",
        ("La ville n'a jamais fait autant pour ses écoles", "On n'a jamais autant investi"),
        ("Le festival n'a jamais attiré autant de visiteurs",),
    ),
    _p(
        "en_x_ans",
        "bilan",
        "bilan du mandat",
        r"\ben (?:\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze) ans,? (?:nous avons|j'ai|notre equipe a|"
        r"la majorite a|l'equipe municipale a|la municipalite a)\b"
        r"|\b(?:\d{1,2}|cinq|six|douze) ans (?:de (?:realisations|mandat|gestion|bilan)|d'action municipale)\b",
        ("En six ans, nous avons rénové toutes les écoles", "Six ans de réalisations au service de la ville"),
        ("En deux ans, la médiathèque a doublé ses prêts", "La médiathèque fête ses 10 ans de lecture publique"),
    ),
    # --- candidature: someone presented as running ---------------------------------------------------------------
    _p(
        "candidat",
        "candidature",
        "candidat à l'élection",
        # « Candidats au permis », « appel à candidatures », « la ville candidate au label » are not the ballot.
        rf"\b(?:(?:notre|votre|mon|nos|vos|mes|leur) {_CANDIDAT}\b|{_CANDIDAT} (?:declaree?s?"
        r"|sortante?s?|officiel(?:le)?s?|"
        rf"investie?s?|de (?:la|notre) liste)\b|{_CANDIDAT} (?:a|aux|au|pour) {_ELECTORAL_OBJECT}|(?:debat|rencontre|"
        rf"face-a-face) (?:entre |avec |des )(?:les )?{_CANDIDAT}\b)",
        ("Notre candidate sera présente", "Le maire, candidat à sa réélection", "Candidats aux municipales"),
        ("Les candidats au permis de conduire", "Appel à candidatures pour le marché de Noël"),
    ),
    _p(
        "se_porter_candidat",
        "candidature",
        "candidature déclarée",
        # Without a complement (« je suis candidat »): a collectivité « candidate à l'accueil du Tour » is not.
        rf"\b(?:suis|sommes|est|sont|serai|sera|serons|seront|etre|porte|portee|portes|portees|porter|portera|declare|"
        rf"declaree) {_CANDIDAT}\b(?! (?:a|au|aux|pour|dans|sur|en|de|du|des)\b| d')",
        ("Je suis candidat.", "Elle sera candidate le 15 mars", "Il s'est déclaré candidat"),
        ("La commune s'est portée candidate à l'accueil d'une étape du Tour de France",),
    ),
    _p(
        "candidature",
        "candidature",
        "candidature",
        rf"\bcandidatures? (?:a|au|aux|pour) {_ELECTORAL_OBJECT}|\b(?:ma|notre|sa|leur) candidature\b"
        r"(?! (?:a|au|aux|pour|de|d')\b| d')|\bdeclarations? de candidature\b",
        ("J'annonce ma candidature", "Sa candidature aux municipales", "Déclaration de candidature"),
        (
            "La ville dépose sa candidature au label Villes et villages fleuris",
            "Appel à candidatures pour le marché de Noël",
        ),
    ),
    _p(
        "tete_de_liste",
        "candidature",
        "tête de liste",
        r"(?<!en )\btetes? de listes?\b",
        ("Rencontre avec la tête de liste",),
        ("Rouen arrive en tête de liste des villes où il fait bon vivre",),
    ),
    _p(
        "notre_liste",
        "candidature",
        "liste électorale d'un candidat",
        r"\b(?:notre|ma|nos) listes?\b(?! (?:de|des|du) (?:diffusion|courses|invites|cadeaux|participants|contacts|"
        r"inscrits|souhaits|mariage|naissance|lecture|livres|benevoles|partenaires|exposants|produits)\b"
        r"| d'(?:attente|envies|inscrits|exposants))",
        ("Rejoignez notre liste", "Les candidats de notre liste"),
        ("Inscrivez-vous sur notre liste de diffusion", "Consultez la liste des invités"),
    ),
    _p(
        "liste_conduite_par",
        "candidature",
        "liste conduite par un candidat",
        r"\blistes? (?!des |du )(?:\S+ ){0,8}?(?:conduite|menee|emmenee) par\b",
        ("La liste « Rouen demain » conduite par Jean Dupont", "une liste menée par la maire sortante"),
        ("Rencontre avec un journaliste conduite par la médiathèque", "La liste des invités est close"),
    ),
    _p(
        "colistiers",
        "candidature",
        "colistiers d'une liste",
        r"\bcolistiere?s?\b",
        ("Le maire et ses colistiers", "Les colistières de la liste Avenir"),
        ("Le maire et ses adjoints ont le plaisir de vous inviter",),
    ),
    _p(
        "liste_politique",
        "candidature",
        "liste électorale",
        r"\blistes? (?:d'union|d'ouverture|de rassemblement|citoyenne|sans etiquette|divers (?:gauche|droite|centre)|"
        r"d'entente (?:communale|municipale)|d'interet (?:communal|local)|majoritaire|de la majorite|de l'opposition|"
        r"d'opposition|sortante|apolitique)\b",
        ("Une liste d'union pour la ville", "La liste sans étiquette"),
        ("La liste des associations d'intérêt local est disponible",),
    ),
    _p(
        "se_representer",
        "candidature",
        "nouvelle candidature",
        # Not « se représenter l'ampleur de… » (to imagine).
        r"\b(?:se|me|nous|vous) represent(?:e|es|er|ent|ons|ez|era|erai|erons|eront|erait|erais)\b"
        r"(?! (?:l'|la |les |un |une |des |ce |cet |cette |combien|comment|a quel point)| l')",
        ("Le maire se représente", "J'ai décidé de me représenter"),
        ("Difficile de se représenter l'ampleur des travaux",),
    ),
    _p(
        "briguer",
        "candidature",
        "nouvelle candidature",
        r"\bbrigu(?:e|es|er|ons|ez|ent|era|erai|erons|eront|ait|ant)\b",
        ("Il brigue un nouveau mandat", "Elle entend briguer la mairie"),
        ("Les brigades vertes entretiennent les parcs",),
    ),
    _p(
        "nouveau_mandat",
        "candidature",
        "nouveau mandat",
        # The children's council (CMJ) starts « un nouveau mandat de deux ans »: not the municipal ballot.
        r"\b(?:nouveau|second|deuxieme|troisieme|quatrieme|prochain|autre) mandat\b"
        r"(?! (?:de (?:deux|2|trois|3) ans|du (?:conseil municipal des (?:jeunes|enfants)|cmj|cme|bureau|president|"
        r"conseil d'administration)|de (?:president|presidente|tresoriere?|secretaire))\b)",
        ("Pour un nouveau mandat au service de tous", "Au cours du prochain mandat"),
        (
            "Installation du conseil municipal des jeunes pour un nouveau mandat de deux ans",
            "Assemblée générale du comité des fêtes : nouveau mandat du bureau",
        ),
    ),
    _p(
        "programme_electoral",
        "candidature",
        "programme électoral",
        # « Notre programme » alone is also the programme of festivities: only the electoral programme is caught.
        r"\bprogrammes? (?:electora(?:l|ux)|de campagne|politique|de (?:la|notre) liste)\b|\bprofessions? de foi\b"
        r"|\b(?:programme|projet)s? (?:pour|du) (?:le )?(?:prochain|nouveau|futur) mandat\b"
        r"|\b(?:notre|mon) (?:programme|projet) pour les (?:six|6|cinq|5) (?:prochaines )?(?:annees|ans)\b",
        (
            "Présentation du programme électoral",
            "Notre projet pour le prochain mandat",
            "Lisez notre profession de foi",
        ),
        ("Découvrez notre programme d'animations estivales", "Programme des festivités du 14 Juillet"),
    ),
    _p(
        "soutiens_liste",
        "candidature",
        "soutien à une liste ou un candidat",
        rf"\b(?:comites? de )?soutiens? (?:de|a|au|aux|du) (?:la |notre |sa |leur |votre )?(?:liste|{_CANDIDAT}|"
        rf"candidature)\b|\bsoutenez[- ](?:notre |la )?(?:liste|{_CANDIDAT})\b",
        ("Réunion des soutiens de la liste", "Comité de soutien au candidat", "Soutenez notre liste"),
        ("Comité de soutien à la maternité : réunion publique",),
    ),
    _p(
        "sortant",
        "candidature",
        "équipe ou élu sortant",
        # « Sortant » qualifies incumbents facing the voters; pupils leaving CM2 are « élèves sortants ».
        r"\b(?:maire|equipe|majorite|municipalite|conseil municipal|elue?s?|conseilleres?|conseillers?|deputee?s?|"
        rf"senateurs?|senatrices?|{_CANDIDAT}|listes?|presidente?s?|executif|adjointe?s?) sortante?s?\b",
        ("Le maire sortant vous invite", "Les élus sortants"),
        ("Les élèves sortants de CM2 reçoivent un dictionnaire", "Les élus du conseil municipal des jeunes"),
    ),
    # --- appel_au_vote: calls to vote (CE 2015 La Croix-Saint-Leufroy) --------------------------------------------
    # A council deliberation is not a call to vote: « vote du budget en conseil municipal » is never caught, the
    # imperative « votez » is.
    _p(
        "appel_votez",
        "appel_au_vote",
        "appel au vote",
        # Debatable: a participatory budget or a contest (« votez pour vos projets préférés ») is a municipal
        # consultation, left out when the sentence says so. « Budget participatif : votez ! » is still caught:
        # write « participez au vote du budget participatif ».
        rf"\bvotez\b(?!{_CONSULTATION})",
        ("Le 11 avril, votez pour la continuité !", "Votez Dupont !", "Votez et faites voter"),
        (
            "Vote du budget en conseil municipal",
            "Budget participatif : votez pour vos projets préférés jusqu'au 30 avril",
            "Votez pour la plus belle maison illuminée",
            "Concert de l'orchestre d'harmonie : votez pour votre morceau préféré",
            "Concert de musique sacrée : dévotion et ferveur",
        ),
    ),
    _p(
        "appel_votons",
        "appel_au_vote",
        "appel au vote",
        # « Nous votons le budget » describes the council at work.
        rf"(?<!nous )\bvotons\b(?!{_CONSULTATION})",
        ("Votons pour l'avenir de notre ville", "Le 15 mars, votons !"),
        ("Ce soir, nous votons le budget en conseil municipal",),
    ),
    _p(
        "voter_pour",
        "appel_au_vote",
        "appel au vote",
        rf"\bvoter pour\b(?!{_CONSULTATION})",
        ("Pensez à voter pour la liste de la continuité",),
        (
            "Les conseillers sont appelés à voter le budget primitif",
            "Les habitants peuvent voter pour leur projet préféré",
        ),
    ),
    _p(
        "allez_voter",
        "appel_au_vote",
        "appel au vote",
        r"\b(?:allez|venez|pensez a|n'oubliez pas de|il faut|tous|toutes|appel a|invitons a|incitons a|allons|aller)"
        rf" (?:tous |toutes |aller |bien )?voter\b(?!{_CONSULTATION})",
        ("Dimanche, allez voter !", "N'oubliez pas de voter", "Tous voter le 15 mars"),
        ("Venez voter pour le prix du public du salon des artistes",),
    ),
    _p(
        "donnez_votre_voix",
        "appel_au_vote",
        "appel à donner sa voix",
        r"\b(?:donnez|accordez|apportez|confiez|offrez|redonnez)[- ](?:nous"
        r"|moi|lui|leur)(?: a nouveau| encore| de nouveau)?"
        r" (?:votre|vos) (?:voix|suffrages?)\b|\b(?:nous|me|lui|leur) (?:donner|accorder|apporter|confier|offrir|"
        r"redonner) (?:a nouveau |encore |de nouveau )?(?:votre|vos) (?:voix|suffrages?)\b"
        r"|\b(?:donnez|apportez) (?:votre|vos) (?:voix|suffrages?) a\b",
        ("Donnez-nous votre voix", "Pour nous donner vos suffrages", "Donnez votre voix à la liste Avenir"),
        ("Donnez votre avis sur le futur parc",),
    ),
    _p(
        "chaque_voix_compte",
        "appel_au_vote",
        "appel au vote",
        r"\b(?:chaque|votre|ta|une) voix (?:compte|comptera|compte double|est importante|fera la difference|"
        r"peut faire la difference)\b",
        ("Chaque voix compte !", "Votre voix fera la différence"),
        ("La chorale recrute : chaque voix est la bienvenue",),
    ),
    _p(
        "accordez_confiance",
        "appel_au_vote",
        "appel à la confiance des électeurs",
        # « Merci de votre confiance » thanks users of a service: neutral.
        r"\b(?:accordez|renouvelez|donnez|confirmez|maintenez|gardez|redonnez)(?:[- ](?:nous|moi|lui|leur))?"
        r" (?:a nouveau |encore |de nouveau )?(?:votre|vos|ta) confiance\b"
        r"|\b(?:nous|me|lui|leur) (?:accorder|renouveler|"
        r"donner|confirmer|maintenir|redonner|garder) (?:a nouveau |encore |de nouveau )?(?:votre|ta) confiance\b",
        ("Accordez-nous votre confiance", "Renouvelez-nous votre confiance", "pour nous renouveler votre confiance"),
        ("Merci de votre confiance et de votre fidélité",),
    ),
    _p(
        "mobilisez_vous",
        "appel_au_vote",
        "appel à se mobiliser pour le vote",
        # « Don du sang : mobilisez-vous ! » or a clean-up day on a date is civic life, not the ballot.
        r"\bmobilisez[- ]vous(?: (?:massivement|nombreux|nombreuses|tous|toutes))? (?:le (?:\d{1,2}(?:er)?\b|dimanche|"
        r"premier)|(?:ce )?dimanche|(?:pour|en faveur de) (?:voter|le vote|l'election|les elections|le scrutin|"
        r"notre liste|la liste|nous|notre candidat\w*|la continuite|le changement)|aux urnes)"
        r"(?![^.!?]{0,80}\b(?:nettoyage|collecte|don du sang|journee citoyenne|telethon|course|ramassage|plantation|"
        r"benevol\w*|solidarit\w*)\b)",
        ("Mobilisez-vous le 15 mars !", "Mobilisez-vous massivement dimanche"),
        ("Don du sang : mobilisez-vous !", "Mobilisez-vous le 22 avril pour la journée citoyenne de nettoyage"),
    ),
    _p(
        "aux_urnes",
        "appel_au_vote",
        "appel aux urnes",
        r"\b(?:aux |a l')urnes?\b(?! (?:funeraires?|cineraires?)\b)",
        ("Tous aux urnes !", "Rendez-vous aux urnes le 15 mars"),
        ("Jardin du souvenir : dépôt des urnes funéraires",),
    ),
    _p(
        "glissez_bulletin",
        "appel_au_vote",
        "appel à voter pour un bulletin",
        r"\b(?:glissez|glisser|deposez|deposer|mettez|mettre|choisissez|prenez) (?:un|le|votre|ce|notre|mon|le bon) "
        r"bulletin\b(?! (?:municipal|trimestriel|mensuel|communal|de (?:participation|adhesion|liaison|notes?|salaire|"
        r"paie|souscription|reservation))\b| d')",
        ("Glissez un bulletin Dupont dans l'urne", "Prenez le bon bulletin"),
        (
            "Prenez votre bulletin municipal à l'accueil de la mairie",
            "Déposez votre bulletin d'inscription à l'accueil",
        ),
    ),
    _p(
        "faites_le_bon_choix",
        "appel_au_vote",
        "appel au vote",
        # Only with a date or an electoral purpose: « Tri des déchets : faites le bon choix ! » is neutral.
        rf"\b(?:(?:le |ce )?(?:{_DAY}(?: \d{{1,2}}(?:er)?(?: {_MONTH})?)?|\d{{1,2}}(?:er)? {_MONTH})(?: prochain)?,? )"
        rf"faites le bon choix\b|\bfaites le bon choix (?:pour (?:notre|votre|la) (?:ville|commune|village|avenir)|"
        rf"en votant|le (?:\d{{1,2}}|{_DAY})|{_DAY})\b",
        ("Le 15 mars, faites le bon choix", "Faites le bon choix pour notre ville"),
        ("Tri des déchets : faites le bon choix !",),
    ),
    _p(
        "choisissez_continuite",
        "appel_au_vote",
        "appel au vote",
        r"\b(?:choisissez|choisissons|optez pour|optons pour) (?:la continuite|le changement|l'alternance|le renouveau|"
        r"l'experience|notre liste|notre equipe|notre candidat\w*)\b"
        r"|\b(?:choisissez|choisissons) la liste\b(?! (?:de|des|du)\b| d')",
        ("Choisissez la continuité", "Optons pour le changement", "Le 15 mars, choisissez la liste qui a tout changé"),
        ("Choisissez votre activité pour les vacances", "Choisissez dans la liste des ateliers proposés"),
    ),
    _p(
        "continuons_ensemble",
        "appel_au_vote",
        "slogan de campagne",
        # Debatable but listed: « continuons ensemble » is the classic slogan of an outgoing list.
        r"\bcontinuons(?:[- ]ensemble|, ensemble)\b|\bensemble,? continuons\b"
        r"|\b(?:donnez|redonnez)[- ]nous les moyens de (?:continuer|poursuivre)\b",
        ("Continuons ensemble !", "Ensemble, continuons", "Donnez-nous les moyens de continuer"),
        ("Continuons à trier nos déchets", "Donnez-nous les moyens d'agir contre la faim : collecte des Restos"),
    ),
    # --- lien: links and handles of campaigns ------------------------------------------------------------------------
    _p(
        "lien_site_de_campagne",
        "lien",
        "lien vers un site de campagne",
        # The host only (a year in the path, « mairie-rouen.fr/agenda-2027 », is fine): a campaign word in it, or a
        # coming year next to a word (« dupont2027.fr », « avec-marie-2028.fr »). State sites (.gouv.fr) and file
        # names (« programme-2027.pdf ») are left out. Debatable: a municipal event site named after its year
        # (« rouen2028.fr ») is caught too; the administrator can lift the block with a justification.
        rf"(?<![\w./-])(?:https?://)?(?:{_LABEL}\.)*[a-z0-9-]*(?:campagne|elections?|candidat|votez|"
        rf"[a-z]-?{_YEAR}(?!\d)|(?<!\d){_YEAR}-?[a-z])[a-z0-9-]*(?:\.{_LABEL})*{_TLD}{_HOST_END}(?<!\.gouv\.fr)"
        r"(?:[/?#]\S*)?",
        ("Programme sur dupont2027.fr", "www.avec-marie-2028.fr", "https://www.campagne-rouen.fr/agenda"),
        (
            "Infos sur www.rouen.fr",
            "Agenda sur mairie-rouen.fr/agenda-2027",
            "Démarches en ligne sur elections.interieur.gouv.fr",
            "Téléchargez le programme-2027.pdf",
        ),
    ),
    _p(
        "lien_hashtag_campagne",
        "lien",
        "mot-dièse ou compte de campagne",
        # A year alone (« #Voeux2027 ») is how the mairie tags its own events: only campaign words are caught.
        rf"(?<![\w#@])[#@]\w*(?:{_ELECTIONS}|presidentielle|elections?|votez|campagne|candidat)\w*",
        ("#Municipales2026", "Suivez @DupontCandidat", "#VotezDupont"),
        ("Suivez la cérémonie avec #Voeux2027", "Suivez @VilleDeRouen"),
    ),
)

_COMPILED: tuple[tuple[Pattern, re.Pattern[str]], ...] = tuple((p, re.compile(p.regex)) for p in PATTERNS)

# ---------------------------------------------------------------------------------------------------------------
# Declared candidates.

# A URL or a bare domain in folded text: « https://www.dupont2027.fr/agenda », « dupont2027.fr ». An email address
# at a candidate's domain counts as a link to the campaign (« contact@dupont2027.fr »).
_URL = re.compile(
    rf"(?<![\w./-])(?:[a-z][a-z0-9+.-]*://)?((?:{_LABEL}\.)+(?!{_FILE_EXT})[a-z]{{2,}}){_HOST_END}(?::\d+)?(\S*)"
)
_TRAILING = ".,;:!?)]}»\"'…"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def _site_key(site: str) -> tuple[str, str] | None:
    """(host, path) of a declared site: no scheme, no leading www., no port, path without trailing slash."""
    folded = _SCHEME.sub("", fold(site))
    m = re.match(r"([^/?#\s]+)([^\s]*)", folded)
    if not m:
        return None
    host = m.group(1).split("@")[-1].split(":")[0].rstrip(".")
    host = host.removeprefix("www.")
    path = m.group(2).rstrip("/")
    return (host, path) if "." in host else None


def _path_within(path: str, prefix: str) -> bool:
    """`path` is the declared path or below it (« /programme/2027 », not « /programmes »)."""
    path = path.rstrip("/")
    return path == prefix or path.startswith((prefix + "/", prefix + "?", prefix + "#"))


@lru_cache(maxsize=256)
def _name_regex(folded_name: str) -> re.Pattern[str] | None:
    """Full name, or surname first (« Dupont Jean », « de La Tour Marie »), as whole words; hyphen = space."""
    words = folded_name.split()
    if not words:
        return None
    orders = {" ".join(words[k:] + words[:k]) for k in range(len(words))}
    alternatives = sorted((r"[ -]".join(re.escape(w) for w in re.split(r"[ -]+", o)) for o in orders), key=len)
    return re.compile(rf"(?<!\w)(?<!\w-)(?:{'|'.join(reversed(alternatives))})(?!\w|-\w)")


# ---------------------------------------------------------------------------------------------------------------
# Search.

CONTEXT = 30  # characters of original text quoted each side of a match


def _excerpt(text: str, start: int, end: int) -> str:
    """The original words of the match with up to CONTEXT characters around, whole words, « … » where cut."""
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        if not text[lo - 1].isspace():  # drop the cut word
            cut = re.search(r"\s", before)
            before = before[cut.end() :] if cut else before
        before = "…" + before.lstrip()
    if hi < len(text):
        if not text[hi].isspace():
            cuts = [m.start() for m in re.finditer(r"\s", after)]
            after = after[: cuts[-1]] if cuts else after
        after = after.rstrip() + "…"
    return re.sub(r"\s+", " ", before + text[start:end] + after).strip()


def _span(text: str, index: list[int], start: int, end: int) -> tuple[int, int]:
    """Original offsets of a folded span (a decomposed accent after the last letter stays with it)."""
    o_start, o_end = index[start], index[end - 1] + 1
    while o_end < len(text) and unicodedata.combining(text[o_end]):
        o_end += 1
    return o_start, o_end


def find(texts: Mapping[str, str | None], candidates: Sequence[Candidate] = ()) -> list[Match]:
    """All matches, in field order then position order; None/empty texts skipped. Deterministic."""
    names = [(c, _name_regex(fold(c.name))) for c in candidates]
    sites = list(dict.fromkeys(key for c in candidates for s in c.sites if (key := _site_key(s))))
    found: list[tuple[int, int, int, int, Match]] = []
    for f, (field, text) in enumerate(texts.items()):
        if not text or not text.strip():
            continue
        folded, index = _fold_indexed(text)
        hits: list[tuple[int, int, int, Category, str, str]] = []  # start, end, order, category, id, label
        for order, (pattern, compiled) in enumerate(_COMPILED):
            for m in compiled.finditer(folded):
                if m.end() > m.start():
                    hits.append((m.start(), m.end(), order, pattern.category, pattern.id, pattern.label))
        order = len(_COMPILED)
        for candidate, name_re in names:
            if name_re is not None:
                label = "candidat déclaré : " + " ".join(candidate.name.split())
                hits.extend(
                    (m.start(), m.end(), order, "candidature", "candidate_name", label)
                    for m in name_re.finditer(folded)
                )
        order += 1
        for m in _URL.finditer(folded):
            host = m.group(1).removeprefix("www.")
            path = m.group(2).rstrip(_TRAILING)
            end = m.start(2) + len(path)
            for site_host, site_path in sites:
                if (host == site_host or host.endswith("." + site_host)) and (
                    not site_path or _path_within(path, site_path)
                ):
                    label = f"site d'un candidat : {site_host}{site_path}"
                    hits.append((m.start(), end, order, "lien", "candidate_site", label))
        seen: set[tuple[int, int, str, str]] = set()
        for start, end, rank, category, pattern_id, label in hits:
            if (start, end, pattern_id, label) in seen:
                continue
            seen.add((start, end, pattern_id, label))
            o_start, o_end = _span(text, index, start, end)
            match = Match(field, category, pattern_id, label, _excerpt(text, o_start, o_end))
            found.append((f, start, rank, end, match))
    found.sort(key=lambda item: item[:4])
    return [item[4] for item in found]
