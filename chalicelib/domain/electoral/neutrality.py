"""Neutrality of a collectivité's event texts in a pre-electoral window (Code électoral L52-1 al. 2).

Why: from the first day of the sixth month before the month of a general election, « aucune campagne de promotion
publicitaire des réalisations ou de la gestion d'une collectivité ne peut être organisée » (L52-1 al. 2). The juge de
l'élection reads a collectivité's communication in that period through four criteria: antériorité, régularité, identité
(the form: checked in `compliance`) and neutralité, the content: informative about local life, with no reference to the
election, no flattering balance sheet of the outgoing team, no promotion of candidates. Sources: CE 28 juill. 1993
Fourcade; CE 5 juin 1996 Morhange; CE Ass. 18 déc. 1996 Paris 16e (a favourable presentation of the outgoing team is a
prohibited campaign); CE 2015 La Croix-Saint-Leufroy (a mayor's editorial calling to vote for the outgoing list in the
municipal bulletin, with a 3-vote gap: election annulled).

What: `PATTERNS` are French word lists and regular expressions in eight categories (election, bilan, candidature,
appel_au_vote, lien, polemique, promesse, parti), plus the tenant's declared candidates (names and web sites).
`find` reports every match in the title, description and invitation text, sentence by sentence, quoting the
original words, each with its level:

- blocking: promotion — a balance sheet or praise of the outgoing team (« la majorité municipale a transformé la
  ville », « grâce à l'action de notre maire »), a candidacy, a call to vote or to support, a campaign slogan, an
  attack on opponents, a promise for the next mandate, a party's or a list's meeting, a campaign site or its
  financing; a declared candidate's name promoted (« Avec Martine Roux, Villeneuve avance ! », « votez / grâce à /
  l'équipe de X »);
- warning: what a human should read — a mere reference to the election (« les élections approchent »), a declared
  candidate named alone or in his functions (« Martine Roux, maire, reçoit… »), a militant turn of phrase, a first
  person plural future, a host or a handle that looks militant;
- nothing: voting logistics (context `pratique`: « les élections municipales auront lieu les 15 et 22 mars ; les
  bureaux de vote seront ouverts de 8 h à 18 h ») and votes that are not the ballot (context `instance_locale`:
  « Conseil de quartier : votez pour vos représentants »), for the patterns that name them in `quiet_in`.

The lists are correctable data, not code: to add or remove a wording, add or remove a `Pattern` together with the
natural sentences it must catch (`examples`) and the neutral municipal sentences it must leave alone
(`counterexamples`); the unit tests run all of them. What a match weighs is for an `institution` inside an L52-1
window; that decision (the worst level of the matches, the election named, an administrator's override) lives in
`compliance`, not here.

Measured: tests/unit/neutrality_corpus.py is a labelled corpus of French municipal sentences (half lawful
communication of every kind, half partisan, in categories of the case law and of the CNCCFP's guide) split into a
tuning half and a held-out half. Patterns are changed by looking at the tuning half only (bench/neutrality.py prints
its misses); tests/unit/test_neutrality_corpus.py asserts the targets on both halves: at least 90 % of the
partisan sentences get a finding (warning or blocking), at most 5 % of the lawful ones are blocking. A wording
added here should come with sentences added to the corpus (at the end of their category, so that the split of the
others does not move).

Where the line is debatable, the choice is written next to the pattern. The general rule (neutralité):
information the mairie gives as an administration (registration on the electoral roll, the commission de
contrôle, the polling stations, a council deliberation, a participatory budget, an élu in his functions, a
season's attendance) is neutral; wording that praises what the team did in its mandate, presents someone as
running, asks for votes or attacks opponents is not; a reference to the coming ballot is read by a human.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

Category = Literal["election", "bilan", "candidature", "appel_au_vote", "lien", "polemique", "promesse", "parti"]
CATEGORIES: tuple[Category, ...] = (
    "election",
    "bilan",
    "candidature",
    "appel_au_vote",
    "lien",
    "polemique",
    "promesse",
    "parti",
)
Level = Literal["warning", "blocking"]
# A sentence's context that makes some wordings ordinary administration (see `CONTEXTS`).
Context = Literal["pratique", "instance_locale"]


@dataclass(frozen=True)
class Pattern:
    """One wording to avoid: a regex over folded text, with the sentences that prove its edges.

    `level`: what a match weighs for an institution in a window (compliance: the worst match decides).
    `quiet_in`: contexts in which a match in the same sentence is not reported (a polling station's hours)."""

    id: str
    category: Category
    regex: str  # applied to each sentence of fold(text) (lowercase, no accents, ' apostrophes, single spaces): ^ $
    label: str
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    level: Level = "blocking"
    quiet_in: tuple[Context, ...] = ()


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
    level: Level = "blocking"


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
# « votez pour la plus belle maison illuminée ». Neutrality is about the election, not about the population
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

# The outgoing team as the subject or the beneficiary of a sentence: « notre maire », « la majorité municipale »,
# « l'équipe en place », « le maire et son équipe ». Not the staff (« l'équipe municipale d'animation », « notre
# équipe technique ») nor the children's council.
_TEAM = (
    r"(?:(?:(?:notre|votre|son|sa|leur|le|la|l') ?)?(?:maire et (?:son equipe|ses adjoints|ses elus|sa majorite)|"
    r"depute-maire|maire|majorite(?: municipale)?|municipalite|executif(?: municipal)?|"
    r"equipe (?:municipale|en place|sortante|de la majorite|du maire|majoritaire))|(?:nos|vos) elus|"
    r"les elus de la majorite)\b"
    r"(?! (?:d'animation|des sports|technique|d'accueil|pedagogique|des jeunes|des enfants|du conseil municipal des)\b)"
)
# The same, political only: « la municipalité » and « le maire » are also how the mairie names itself as an
# administration (« la municipalité vous informe »), « la majorité » or « l'équipe en place » never are.
_TEAM_POLITICAL = (
    r"(?:(?:notre|votre|son|sa) maire|(?:le |la |l')?(?:maire et (?:son equipe|ses adjoints|ses elus|sa majorite)|"
    r"majorite(?: municipale)?|equipe (?:municipale|en place|sortante|de la majorite|du maire|majoritaire))|"
    r"(?:nos|vos) elus|les elus de la majorite|(?:notre|votre) municipalite)\b"
    r"(?! (?:d'animation|des sports|technique|d'accueil|pedagogique|des jeunes|des enfants|du conseil municipal des)\b)"
)
# An élu's function, as an apposition to a name (« Martine Roux, maire, reçoit »): how an administration names
# its élus, not how a campaign does.
_FUNCTION = (
    r"(?:maire|(?:premiere?|deuxieme|troisieme|quatrieme|cinquieme|\d+e) adjointe?|adjointe?|conseill(?:er|ere)s?|"
    r"vice-presidente?|presidente?|deleguee?|deputee?|senat(?:eur|rice)|elue?)"
)
# Parties and political families named as such (folded). « Renaissance » and « Horizons » only with a party word
# before them (a Renaissance concert, new horizons); « la gauche / la droite » only as actors.
_PARTY = (
    r"(?:(?:le )?parti (?:socialiste|communiste|radical|animaliste|pirate)|les republicains|rassemblement national|"
    r"(?:la )?france insoumise|europe ecologie|les ecologistes|eelv|modem|mouvement democrate|reconquete|"
    r"lutte ouvriere|debout la france|place publique|udi|pcf|(?:section|federation) (?:communiste|socialiste)|"
    r"(?:section|comite local|comite|federation|militants|adherents|delegation|meeting) (?:de |du |d')?"
    r"(?:renaissance|horizons|en marche)|l'extreme (?:droite|gauche)|la (?:gauche|droite) (?:a|n'a|unie|republicaine)"
    r")\b"
)


def _p(
    id: str,
    category: Category,
    label: str,
    regex: str,
    examples: tuple[str, ...],
    counterexamples: tuple[str, ...],
    *,
    level: Level = "blocking",
    quiet_in: tuple[Context, ...] = (),
) -> Pattern:
    return Pattern(id, category, regex, label, examples, counterexamples, level, quiet_in)


PATTERNS: tuple[Pattern, ...] = (
    # --- election: references to the coming ballot -------------------------------------------------------------
    # Decision (neutralité): naming the ballot is not promoting anyone. The mairie
    # organises it (Code électoral R40 s.): « les élections municipales auront lieu les 15 et 22 mars », the hours
    # and addresses of the polling stations, proxies, assessors are its job. So a reference to the election is a
    # warning (a human reads the text), and none at all in a sentence about voting logistics (context `pratique`)
    # or about a vote that is not the ballot (context `instance_locale`: a conseil de quartier, the CMJ).
    _p(
        "election",
        "election",
        "référence à l'élection",
        # An election of a carnival queen, of the children's council (CMJ) or of parents' representatives is local
        # life, not the ballot. Not inside a host or a path (« elections.interieur.gouv.fr », see lien_*).
        # The réélection of someone is a candidacy: see `reelection`.
        r"(?<![./])\belections?\b(?!\.[a-z0-9])"
        r"(?! (?:de |du |des |d')?(?:la |le |les |l')?(?:miss|mister|reines?|rois?|delegues?|representants?|parents|"
        r"conseil municipal des (?:jeunes|enfants)|conseil des (?:jeunes|enfants|sages)|cmj|cme|comite des fetes)\b)",
        ("Rendez-vous après les élections !", "L'élection approche."),
        (
            "Élection de la reine du carnaval samedi sur la place",
            "Élection des délégués du conseil municipal des jeunes",
            "Le maire et le conseil municipal ont le plaisir de vous convier à la cérémonie des vœux",
            "Élection des membres du conseil de quartier : vote en ligne",
            "Les élections municipales auront lieu les 15 et 22 mars ; bureaux ouverts de 8 h à 18 h.",
        ),
        level="warning",
        quiet_in=("pratique", "instance_locale"),
    ),
    _p(
        "scrutin",
        "election",
        "référence au scrutin",
        # « Au scrutin secret » is how the council itself votes on appointments: a deliberation, not the ballot.
        r"\bscrutins?\b(?! (?:secret|public)\b)",
        ("Avant le scrutin du 15 mars", "Le scrutin approche : venez nombreux."),
        (
            "Le conseil municipal désigne ses délégués au scrutin secret",
            "Vote du budget en conseil municipal",
            "Les résultats du scrutin seront affichés en mairie.",
            "Le dépouillement est public dès la clôture du scrutin.",
        ),
        level="warning",
        quiet_in=("pratique", "instance_locale"),
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
        level="warning",
        quiet_in=("pratique",),
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
            "Élections européennes du 9 juin : la liste électorale est consultable en mairie.",
        ),
        level="warning",
        quiet_in=("pratique",),
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
        (
            "Le club est qualifié pour le second tour de la Coupe de France",
            "Premier tour de manège offert",
            "Second tour le 22 mars : mêmes bureaux, mêmes horaires qu'au premier tour.",
        ),
        level="warning",
        quiet_in=("pratique",),
    ),
    _p(
        "bureau_de_vote",
        "election",
        "référence au bureau de vote",
        # Debatable, changed: a polling-station notice is the mairie's job, not a
        # reference to the contest; outside such a notice, a polling station in an event text is worth a look.
        r"\bbureaux? de vote\b|\bisoloirs?\b",
        ("Un café offert à la sortie du bureau de vote", "Passez par l'isoloir"),
        (
            "Réunion du bureau de l'association de jumelage",
            "Permanence du bureau d'accueil",
            "Les bureaux de vote seront ouverts de 8 h à 18 h",
            "Le bureau de vote n° 3 est transféré au gymnase municipal.",
        ),
        level="warning",
        quiet_in=("pratique", "instance_locale"),
    ),
    _p(
        "bulletin_de_vote",
        "election",
        "référence au bulletin de vote",
        r"\bbulletins? de vote\b",
        ("Un bulletin de vote à notre nom",),
        ("Le bulletin municipal de janvier est disponible en mairie",),
        level="warning",
        quiet_in=("pratique", "instance_locale"),
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
        level="warning",
        quiet_in=("pratique", "instance_locale"),
    ),
    _p(
        "campagne_electorale",
        "election",
        "référence à la campagne électorale",
        # « Campagne » alone is countryside or a municipal information/vaccination campaign. Naming the campaign is
        # a warning (« pendant la campagne électorale, le magazine paraît sans éditorial »); its apparatus, a
        # meeting or a tract, is blocking (activite_de_campagne).
        rf"\bcampagnes? (?:electorales?|presidentielles?|des (?:elections|{_ELECTIONS})|pour (?:les|la) (?:elections?"
        rf"|{_ELECTIONS}|presidentielle))\b|\bentree en campagne\b",
        ("En pleine campagne électorale", "La campagne des municipales est lancée", "Son entrée en campagne"),
        (
            "Campagne municipale de stérilisation des chats errants",
            "Randonnée en pleine campagne",
            "Pain de campagne et fromages au marché",
        ),
        level="warning",
    ),
    _p(
        "activite_de_campagne",
        "election",
        "activité de campagne électorale",
        r"\b(?:reunions? (?:publiques? )?|meetings? |qg |quartier general |permanences? |tracts? |equipes? |"
        r"directeur |directrice |comites? |local |slogans? |clips? |frais |comptes? )de campagne\b"
        r"|\b(?:reunions?|meetings?|tracts?|propagande) (?:pre-?)?electora(?:l|le|ls|les|ux)\b",
        ("Réunion publique de campagne", "Réunion électorale à 20 h", "Permanence de l'équipe de campagne"),
        ("Campagne de vaccination : réunion publique à 20 h", "Réunion d'information sur la campagne de ravalement"),
    ),
    _p(
        "periode_electorale",
        "election",
        "référence à la période électorale",
        # Neutral administration is NOT caught: « révision des listes électorales », « inscription sur les listes
        # électorales avant le 6 mars », « la commission électorale se réunit » (the commission de contrôle of the
        # electoral roll), « cartes électorales ». The mairie informing people how to register is institutional
        # information, not propaganda: it names no ballot, no team, no candidate (neutralité). A notice about
        # the réserve itself should say « période de réserve », which is not caught.
        r"\b(?:periodes?|echeances?|rendez-vous|annees?|contextes?|debats?|affiches?|"
        r"batailles?|courses?|enjeux|combats?|strategies?|alliances?|victoires?|defaites?|resultats?|"
        r"sondages?) (?:pre-?)?electora(?:l|le|ls|les|ux)\b|\bpre-?electora(?:l|le|ls|les|ux)\b",
        ("À l'approche de l'échéance électorale", "Hors période préélectorale"),
        (
            "La commission électorale se réunit le 10 janvier en mairie",
            "Révision des listes électorales : permanence en mairie",
            "Inscription sur les listes électorales avant le 6 mars",
            "Distribution des nouvelles cartes électorales",
        ),
        level="warning",
        quiet_in=("pratique",),
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
        level="warning",
        quiet_in=("pratique", "instance_locale"),
    ),
    _p(
        "jour_du_vote",
        "election",
        "référence au jour du vote",
        r"\b(?:jour|date|soir|dimanche) du vote\b(?! (?:du|des|de la"
        r"|de l') ?(?:budget|deliberation|compte|subvention))",
        ("Le jour du vote, la mairie…", "Soirée du soir du vote"),
        ("Date du vote du budget : 3 avril en conseil municipal",),
        level="warning",
        quiet_in=("pratique", "instance_locale"),
    ),
    _p(
        "declaration_de_candidature",
        "election",
        "référence aux candidatures",
        # The procedure (« le dépôt des déclarations de candidature se fait en préfecture ») is information; a
        # candidacy announced is not (candidature).
        r"\b(?:declarations?|depots?) de candidatures?\b|\blistes? candidates\b|\bcandidats? (?:aux|a l') elections?\b",
        ("Dépôt des déclarations de candidature en préfecture", "Les listes candidates peuvent retirer la liste"),
        ("Appel à candidatures pour le marché de Noël", "Dépôt des dossiers de subvention"),
        level="warning",
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
        r"accompli|transforme|change|obtenu)\b"
        r"|\b(?:nous avons|j'ai|(?:mon equipe|l'equipe municipale) et moi avons) (?:(?:su|pu) )?(?:releve (?:tous )?"
        r"(?:les|ces|nos) defis|redresse|sauve|rendu a|redonne a)"
        r"|\b(?:avec mon equipe|mon equipe et moi),? (?:nous )?avons (?:fait|realise|accompli|releve|transforme)\b",
        (
            "Nous avons accompli beaucoup",
            "Ensemble, nous avons transformé la ville",
            "Mon équipe et moi avons relevé tous les défis",
        ),
        ("Nous avons le plaisir de vous convier au concert du nouvel an",),
    ),
    _p(
        "depuis_notre_election",
        "bilan",
        "bilan depuis l'élection",
        r"\bdepuis (?:notre|mon|ma|leur|son|sa) (?:re)?election\b|\bdepuis (?:le debut (?:de|du) (?:notre |mon |ce )?"
        r"mandat|notre arrivee|mon arrivee)\b|\bdepuis que (?:nous sommes|je suis) (?:elue?s?|aux responsabilites|"
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
        r"|\b(?:\d{1,2}|cinq|six|douze) (?:ans|annees) (?:de (?:realisations|mandat|gestion|bilan|resultats)|"
        r"d'actions?(?! (?:sociale|culturelle|educative|associative|humanitaire|de|du|des)\b))",
        (
            "En six ans, nous avons rénové toutes les écoles",
            "Six ans de réalisations au service de la ville",
            "Six ans d'action, six ans de résultats",
        ),
        (
            "En deux ans, la médiathèque a doublé ses prêts",
            "La médiathèque fête ses 10 ans de lecture publique",
            "Le CCAS fête ses 30 ans d'action sociale",
        ),
    ),
    # Praise of the outgoing team without the word « bilan » (« Notre maire a tenu ses
    # promesses », « La majorité municipale a transformé la ville »). The team is `_TEAM`: a verb of success or of
    # transformation with it is blocking; a plain verb of action (« la municipalité a investi ») is a warning, since
    # the mairie also reports what it did.
    _p(
        "eloge_equipe",
        "bilan",
        "éloge de l'équipe sortante",
        rf"\b{_TEAM}(?:,[^,.;:!?]{{1,70}},)? (?:a|ont|avait|avaient|aura|auront) (?:(?:su|reussi a) \w+|reussi|"
        r"transforme|metamorphose|redresse|sauve|releve|redynamise|revitalise|rendu a|redonne|fait (?:ses preuves|"
        r"leurs preuves)|arrache|desendette|tenu (?:ses|sa|leurs|toutes|parole)|change (?:le visage|la face|la vie|"
        r"la donne|la ville|la commune|notre|nos)|"
        r"donne un (?:nouveau|second) souffle|accompli|gagne le pari|tout donne)",
        (
            "La majorité municipale a transformé la ville.",
            "Notre maire a tenu ses promesses",
            "Le maire et son équipe ont su redresser les finances",
            "Notre maire, toujours sur le terrain, a redynamisé le centre",
        ),
        (
            "Le maire a pris un arrêté de circulation",
            "La municipalité a décidé de fermer la piscine pour travaux",
            "L'équipe municipale d'animation a transformé la salle en cinéma",
            "La municipalité a changé la date du marché de Noël",
            "Notre équipe a su répondre à toutes vos demandes",
        ),
    ),
    _p(
        "action_equipe",
        "bilan",
        "action de l'équipe mise en avant",
        rf"\b{_TEAM}(?:,[^,.;:!?]{{1,70}},)? (?:a|ont) (?:(?:deja|beaucoup|massivement|fortement) )?(?:obtenu|investi|"
        r"realise|construit|renove|baisse|diminue|double|triple|agi|modernise|embelli|cree|pu \w+|fait de)\b"
        rf"|\b{_TEAM} (?:agit|s'engage)\b",
        (
            "La municipalité a investi dans les écoles",
            "Pendant ce temps, le maire agit.",
            "Le maire a fait de la sécurité sa priorité",
        ),
        ("Le maire a signé la convention avec la Région", "La commune a obtenu une deuxième fleur"),
        level="warning",
    ),
    _p(
        "oeuvre_equipe",
        "bilan",
        "réalisation attribuée à l'équipe",
        r"\b(?:realise|mene|conduit|construit|investi|obtenu|arrache|voulu|porte|accompli|gagne|sauve|decroche|"
        r"tenu|initie|engage)(?:e|s|es)? (?:(?:de haute lutte|avec succes|brillamment|depuis 20\d\d) )?"
        rf"par {_TEAM_POLITICAL}",
        (
            "Les douze chantiers menés par la majorité",
            "Une école voulue par notre maire",
            "obtenu de haute lutte par le maire et son équipe",
        ),
        ("Les travaux réalisés par les services techniques", "Un projet porté par le conseil de quartier"),
    ),
    _p(
        "oeuvre_municipalite",
        "bilan",
        "réalisation attribuée à la municipalité",
        r"\b(?:realise|mene|conduit|construit|investi|obtenu|arrache|voulu|porte|accompli|gagne|sauve|decroche)"
        r"(?:e|s|es)? (?:(?:de haute lutte|avec succes|brillamment|depuis 20\d\d) )?par (?:la municipalite|le maire)\b",
        ("15 millions d'euros investis par la municipalité", "Obtenu de haute lutte par le maire"),
        ("Les travaux financés par la municipalité et la Région",),
        level="warning",
    ),
    _p(
        "merite_equipe",
        "bilan",
        "mérite attribué à l'équipe",
        # Generalises grace_a_*: the merit of a result given to the team (« c'est l'œuvre de la majorité », « sous
        # l'impulsion de notre maire », « grâce à la ténacité du maire »). The bénévoles or the services: neutral.
        r"\b(?:grace (?:a|aux|au)|sous l'impulsion (?:de|du|d')|au credit (?:de|du|d')|"
        r"(?:c'est )?l'oeuvre (?:de|du|d')|"
        r"le fruit (?:du travail|de l'engagement|des efforts|de la volonte|de la tenacite)(?: \w+)? (?:de|du|d')|"
        r"sans (?:l'engagement|l'action|la tenacite|le travail|la volonte|l'obstination|la determination)"
        r"(?: personnel(?:le)?)? (?:de|du|d')|(?:doit|doivent|devons|devez) (?:beaucoup|tout|enormement) a)"
        r"(?: ?(?:l'|la |le |les )?[\w-]+(?: [\w-]+){0,2} (?:de|du|des|d'))? ?"
        r"(?:(?:notre|votre|son|sa|le|la|l') ?)?(?:maire|majorite(?: municipale)?|municipalite|equipe (?:municipale|"
        r"en place|de la majorite|du maire)|executif(?: municipal)?|elus de la majorite|depute-maire)\b"
        r"(?! (?:d'animation|des sports|technique|des jeunes|des enfants|du conseil municipal des)\b)"
        r"|\bmerci a (?:notre maire|votre maire|l'equipe municipale|la majorite|la municipalite|nos elus)\b"
        r"(?! (?:d'animation|des sports|technique|des jeunes|des enfants)\b)",
        (
            "Grâce à l'action de notre maire, la gendarmerie reste",
            "Le nouveau gymnase, c'est l'œuvre de la majorité municipale.",
            "grâce à la politique volontariste de la majorité",
            "Sous l'impulsion de notre maire, la ville a changé",
            "Merci à notre maire d'avoir obtenu la fibre",
            "Sans l'engagement personnel du maire, rien n'aurait été possible",
        ),
        (
            "Grâce à l'action des bénévoles, la fête a pu avoir lieu",
            "Merci à l'équipe municipale d'animation",
            "Le fruit du travail des bénévoles du comité des fêtes",
        ),
    ),
    _p(
        "qualites_equipe",
        "bilan",
        "éloge de l'équipe sortante",
        r"\b(?:l'energie|le dynamisme|la tenacite|la determination|le courage|la clairvoyance|la perseverance|"
        r"l'engagement personnel|le volontarisme|la vision|l'efficacite|le serieux|la rigueur|le travail acharne|"
        rf"l'obstination|le talent)(?: \w+)? (?:de|du|des|d') ?{_TEAM}"
        rf"|\b{_TEAM}, (?:toujours |si )?(?:a l'ecoute|sur le terrain|disponible|proche de vous|present)"
        r"|\b(?:une |l')?equipe(?: municipale)? qui (?:a|ont) fait (?:ses|leurs) preuves"
        r"|\b(?:une |l')?equipe(?: municipale)? qui tien(?:t|nent) (?:ses|leurs|toutes ses) (?:engagements|promesses)"
        r"|\b(?:ceux|celles|ceux et celles) qui (?:ont|a) (?:agi|travaille|tout donne|tenu (?:leurs|ses) promesses|"
        r"fait (?:leurs|ses) preuves|tenu parole)\b",
        (
            "L'énergie inlassable de son maire",
            "Une équipe municipale qui a fait ses preuves",
            "Faites confiance à ceux qui ont fait leurs preuves",
        ),
        ("L'énergie des bénévoles du Téléthon", "Un dispositif qui a fait ses preuves est reconduit"),
    ),
    _p(
        "travail_accompli",
        "bilan",
        "bilan du travail de l'équipe",
        # « Merci aux bénévoles pour le travail accompli » is neutral: the team's work, since a date, is not.
        r"\b(?:le |du |au )?(?:chemin parcouru|travail (?:accompli|realise)|oeuvre accomplie)(?: ensemble)?"
        rf"(?: (?:depuis|en (?:\d+|six|cinq|quelques) (?:ans|annees)|par {_TEAM})|(?= ensemble))"
        r"|\bfiere?s? (?:de|du) (?:ce |cet |notre |mon )?(?:chemin parcouru|travail (?:accompli|realise))\b",
        ("Le chemin parcouru depuis 2020", "Le travail accompli par votre maire", "Fiers du chemin parcouru"),
        ("Merci aux bénévoles pour le travail accompli", "Le chemin parcouru par les randonneurs"),
    ),
    _p(
        "fin_de_mandat",
        "bilan",
        "bilan de fin de mandat",
        r"\bfin de (?:mandat|mandature)\b(?! (?:du|des|de la) (?:conseil municipal des (?:jeunes|enfants)|cmj|cme)\b)"
        r"|\bmandat (?:exemplaire|reussi|remarquable|utile|bien rempli|historique)\b"
        r"|\brendr\w* compte (?:de (?:son|mon|notre|ce) mandat|de (?:\w+ )?(?:ans|annees) d'action)",
        ("Une grande fête de fin de mandat", "Un mandat exemplaire", "Le maire rendra compte de six années d'action"),
        ("Fin de mandat du conseil municipal des jeunes", "Fin du mandat SEPA"),
    ),
    _p(
        "promesse_rappelee",
        "bilan",
        "promesses tenues",
        r"\b(?:j'ai|nous avons|(?:l'|notre )equipe a|le maire a) tenu parole\b"
        r"|\bcomme promis (?:en 20\d\d|lors de la campagne|il y a (?:six|\d+) ans|en debut de mandat)\b"
        r"|\bcomme (?:nous|je) (?:l'avions|l'avais|vous l'avions|vous l'avais) promis\b"
        r"|\bcomme (?:l'equipe|la majorite|nous|je|le maire) (?:s'y|nous y|m'y) (?:etait|etions|etais) engagee?s?\b"
        r"|\b(?:je|nous) (?:vous )?(?:avais|avions) promis\b"
        r"|\b(?:chaque|tout|chacun de nos|chacun de mes) engagements? (?:pris )?(?:devant vous |en 20\d\d )?"
        r"(?:a|ont) ete (?:tenus?|respectes?|honores?)\b",
        ("Comme promis en 2020, toutes les écoles sont rénovées", "J'ai tenu parole", "Je vous avais promis"),
        ("Comme annoncé, la piscine rouvre lundi", "Comme annoncé en 2025, la révision du PLU se poursuit"),
    ),
    _p(
        "comme_promis",
        "bilan",
        "promesse tenue",
        r"\bcomme promis\b|\bc'est chose faite\b|\bdu jamais vu\b",
        ("Toutes les écoles rénovées, comme promis !", "Une ville plus sûre : c'est chose faite."),
        ("Comme annoncé, la piscine rouvre lundi",),
        level="warning",
    ),
    _p(
        "confiance_recue",
        "bilan",
        "bilan personnel du maire",
        r"\bvous (?:m'|nous )(?:avez|aviez) (?:fait confiance|accorde (?:votre|leur) confiance|elue?s?|choisie?s?|"
        r"temoigne|apporte)\b|\ble soutien que vous (?:m'|nous )(?:avez|aviez)\b"
        r"|\b(?:quand|lorsque|depuis que) (?:j'ai|nous avons) ete elue?s?\b"
        r"|\b(?:j'ai|nous avons) ete elue?s? en 20\d\d\b"
        r"|\b(?:je suis|nous sommes) fiere?s? (?:d'avoir|de ce que)\b",
        ("Depuis 2020, vous m'avez fait confiance", "Quand j'ai été élue en 2020", "Je suis fière d'avoir rendu à Dol"),
        ("Merci de votre confiance et de votre fidélité", "Je suis fier de vous présenter le programme du festival"),
    ),
    # --- candidature: someone presented as running ---------------------------------------------------------------
    _p(
        "candidat",
        "candidature",
        "candidat à l'élection",
        # « Candidats au permis », « appel à candidatures », « la ville candidate au label » are not the ballot.
        rf"\b(?:(?:notre|votre|mon|nos|vos|mes|leur) {_CANDIDAT}\b|{_CANDIDAT} (?:declaree?s?"
        r"|sortante?s?|officiel(?:le)?s?|"
        rf"investie?s?|de (?:la|notre) liste|de la majorite|de l'opposition|du parti|de la gauche|de la droite|"
        rf"du centre)\b|{_CANDIDAT} (?:a|aux|au|pour) {_ELECTORAL_OBJECT}|(?:debat|rencontre|"
        rf"face-a-face) (?:entre |avec |des )(?:les )?{_CANDIDAT}\b|(?:en presence|aux cotes) (?:du|de la|des) "
        rf"{_CANDIDAT}\b)",
        (
            "Notre candidate sera présente",
            "Le maire, candidat à sa réélection",
            "Candidats aux municipales",
            "En présence du candidat",
            "Le candidat de la majorité",
        ),
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
        r"(?! (?:a|au|aux|pour|de|d')\b| d')|\binvestiture\b|\binvestie?s? par (?:son|le|leur|notre|un) "
        r"(?:parti|mouvement)\b",
        ("J'annonce ma candidature", "Sa candidature aux municipales", "Il est investi par son parti"),
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
        r"(?! (?:l'|la |les |un |une |des |ce |cet |cette |combien|comment|a quel point)| l')"
        r"|\b(?:se|me|nous) present(?:e|er|ons|era|erai|erons) (?:a nouveau|de nouveau|une nouvelle fois)\b"
        r"|\b(?:course|candidature|conquete) (?:a|de) la mairie\b|\bse lance dans la (?:course|bataille|campagne)\b"
        r"|\bentrer? en lice\b",
        (
            "Le maire se représente",
            "J'ai décidé de me représenter",
            "J'ai décidé de me présenter à nouveau devant vous",
            "Il se lance dans la course à la mairie",
        ),
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
        rf"senateurs?|senatrices?|{_CANDIDAT}|listes?|presidente?s?|executif|adjointe?s?) sortante?s?\b"
        r"|\b(?:l'equipe|la majorite|la municipalite) en place\b",
        ("Le maire sortant vous invite", "Les élus sortants", "Avec l'équipe en place, la ville avance"),
        ("Les élèves sortants de CM2 reçoivent un dictionnaire", "Les élus du conseil municipal des jeunes"),
    ),
    _p(
        "reelection",
        "candidature",
        "réélection",
        # Moved out of `election` (a warning): « dès sa réélection » presents someone as running.
        r"\b(?:re)?elections? (?:de (?:notre|votre) (?:maire|depute|deputee|candidat\w*)|du maire)\b"
        r"|\breelections?\b|\breelue?s?\b|\breelisez\b|\breelire\b",
        ("Dès sa réélection, le maire lancera le chantier.", "Mobilisez-vous pour que notre député soit réélu"),
        ("Élection des délégués de classe", "Le maire a été élu en 2020"),
    ),
    _p(
        "binome",
        "candidature",
        "binôme de candidats",
        # Départementales: candidates run as a binôme; « binôme » alone is also pairs of pupils or of agents.
        r"\bbinomes? (?:de la majorite|de l'opposition|sortant|candidat|de gauche|de droite|du centre)\b"
        r"|\bbinomes? [a-z]+-[a-z]+\b(?= [.!?,;:]|[.!?,;:]|$)",
        ("Le binôme de la majorité pour le canton", "Votez pour le binôme Mercier-Guérin."),
        ("Les élèves travaillent en binôme", "Un binôme parent-enfant pour la course"),
    ),
    _p(
        "financement_campagne",
        "candidature",
        "financement d'une campagne",
        # CNCCFP: only the mandataire collects a candidate's funds (L52-4); a municipal text relaying it helps him.
        r"\bmandataires? financiers?\b|\bassociations? de financement\b",
        ("Versez au mandataire financier de la liste", "Dons à l'association de financement"),
        ("Dons au Téléthon : un reçu fiscal vous sera délivré",),
    ),
    # --- appel_au_vote: calls to vote (CE 2015 La Croix-Saint-Leufroy) --------------------------------------------
    # A council deliberation is not a call to vote: « vote du budget en conseil municipal » is never caught, the
    # imperative « votez » is.
    _p(
        "appel_votez",
        "appel_au_vote",
        "appel au vote",
        # Debatable: a participatory budget or a contest (« votez pour vos projets préférés ») is a municipal
        # consultation, left out when the words after « votez » say so, or when the sentence is about a vote that
        # is not the ballot (context `instance_locale`: « Conseil de quartier : votez pour vos représentants »).
        rf"\bvotez\b(?!{_CONSULTATION})",
        ("Le 11 avril, votez pour la continuité !", "Votez Dupont !", "Votez et faites voter"),
        (
            "Vote du budget en conseil municipal",
            "Budget participatif : votez pour vos projets préférés jusqu'au 30 avril",
            "Votez pour la plus belle maison illuminée",
            "Concert de l'orchestre d'harmonie : votez pour votre morceau préféré",
            "Concert de musique sacrée : dévotion et ferveur",
            "Conseil de quartier : votez pour vos représentants du 2 au 16 octobre",
        ),
        quiet_in=("instance_locale",),
    ),
    _p(
        "appel_votons",
        "appel_au_vote",
        "appel au vote",
        # « Nous votons le budget » describes the council at work.
        rf"(?<!nous )\bvotons\b(?!{_CONSULTATION})",
        ("Votons pour l'avenir de notre ville", "Le 15 mars, votons !"),
        ("Ce soir, nous votons le budget en conseil municipal",),
        quiet_in=("instance_locale",),
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
            "Conseil municipal des enfants : les CM2 vont voter pour leurs délégués",
        ),
        quiet_in=("instance_locale",),
    ),
    _p(
        "allez_voter",
        "appel_au_vote",
        "appel au vote",
        r"\b(?:allez|venez|pensez a|n'oubliez pas de|il faut|tous|toutes|appel a|invitons a|incitons a|allons|aller)"
        rf" (?:tous |toutes |aller |bien )?voter\b(?!{_CONSULTATION})",
        ("Dimanche, allez voter !", "N'oubliez pas de voter", "Tous voter le 15 mars"),
        ("Venez voter pour le prix du public du salon des artistes",),
        quiet_in=("instance_locale",),
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
        r"peut faire la difference|(?:sera|est) (?:decisive|determinante|precieuse))\b",
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
        r"donner|confirmer|maintenir|redonner|garder) (?:a nouveau |encore |de nouveau )?(?:votre|ta) confiance\b"
        r"|\b(?:renouveler|renouvelez|accorder|accordez|redonner|redonnez|maintenir) (?:votre|ta) confiance a\b"
        r"|\bfaites confiance a (?:ceux|celles|l'equipe|la liste|notre|votre|la majorite|l'experience)\b"
        r"|\bje vous demande de (?:renouveler|voter|soutenir|m'accorder|nous accorder|faire confiance|choisir)\b",
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
        r"\b(?:aux |a l')urnes?\b(?! (?:funeraires?|cineraires?)\b)"
        r"|\b(?:rendez-vous|tous|toutes|massivement|mobilis\w+(?:-nous|-vous)?) dans les urnes\b",
        ("Tous aux urnes !", "Rendez-vous aux urnes le 15 mars", "Mobilisons-nous massivement dans les urnes"),
        ("Jardin du souvenir : dépôt des urnes funéraires",),
        quiet_in=("instance_locale",),
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
        r"|\b(?:donnez|redonnez)[- ]nous les moyens de (?:continuer|poursuivre)\b"
        r"|\b(?:poursuivre|continuer|prolonger|poursuivons) ensemble\b|\bprolonger l'aventure\b"
        r"|\bune equipe,? un projet\b|\b(?:restons|rester|soyons) unis\b|\bunis derriere\b"
        r"|\bderriere (?:notre|votre|le|la) (?:maire|candidat\w*|liste|equipe(?: municipale)?)\b"
        r"|\b(?:faisons|faire|faites) gagner\b|\ble changement,? c'est maintenant\b"
        r"|\b(?:poursuivre|continuer|prolonger) (?:le travail|l'action|l'oeuvre|ce) (?:que|qu')(?: ensemble)? ?(?:nous "
        r"avons|j'ai)(?: ensemble)? (?:engage|entrepris|commence|mene|lance)",
        (
            "Continuons ensemble !",
            "Ensemble, continuons",
            "Donnez-nous les moyens de continuer",
            "Restons unis derrière notre maire",
            "Faisons gagner Villeneuve !",
        ),
        (
            "Continuons à trier nos déchets",
            "Donnez-nous les moyens d'agir contre la faim : collecte des Restos",
            "Venez encourager l'équipe derrière la ligne d'arrivée",
        ),
    ),
    _p(
        "donnez_majorite",
        "appel_au_vote",
        "appel à donner la majorité",
        r"\b(?:donnez|accordez|offrez|confiez|redonnez)(?:[- ](?:nous|lui|leur))? (?:une|la) (?:large |nette |vraie "
        r"|solide |claire |franche )?majorite\b|\b(?:un|le) (?:seul|unique|bon) bulletin\b(?! (?:municipal|"
        r"d'inscription|de participation|par)\b)|\bc'est un vote (?:pour|contre)\b|\bun vote pour (?:la liste|notre "
        r"liste|l'equipe|la continuite|le changement)\b|\bvote utile\b|\bfaites voter\b",
        ("Donnez une large majorité à l'équipe municipale", "Dimanche, un seul bulletin", "Un vote pour la liste"),
        (
            "La majorité des habitants a donné son avis",
            "Un bulletin d'inscription par famille",
            "Votation : un seul bulletin par foyer",
            "Un vote pour désigner le nom de la salle",
        ),
        quiet_in=("instance_locale",),
    ),
    _p(
        "soutenir_equipe",
        "appel_au_vote",
        "appel à soutenir l'équipe ou la liste",
        r"\b(?:soutenir|soutenez|soutenons|(?:apportez|apporter|apportons) (?:votre|notre|leur) soutien (?:a|au|aux))"
        r" (?:l'equipe(?! (?:de |du |des |d'|locale|premiere|feminine|masculine|junior|senior|u\d))|la liste|notre "
        r"liste|(?:le |un )?binome|notre candidat\w*|la majorite|notre maire|votre maire|le maire sortant|"
        r"nos candidat\w*|la candidature|celles? et ceux qui)",
        ("Venez soutenir l'équipe qui a voulu cette école", "Apportez votre soutien au binôme de la majorité"),
        ("Venez soutenir l'équipe de France de handball", "Soutenir l'équipe locale au stade"),
    ),
    _p(
        "compte_sur_vous",
        "appel_au_vote",
        "appel au vote",
        # « Je compte sur vous pour respecter le tri » is neutral: only the continuation of the team's action.
        r"\b(?:je|nous) (?:compte|comptons) sur vous (?:pour (?:poursuivre|continuer|nous|me|faire|que|prolonger|"
        r"soutenir)|le \d|en (?:mars|avril|juin)|dimanche)\b"
        r"|\ba vous de (?:decider|choisir|juger) (?:de la suite|de l'avenir|dimanche|le \d|en (?:mars|avril|juin))",
        ("En mars, je compte sur vous pour poursuivre le travail", "À vous de décider de la suite"),
        ("Je compte sur vous pour respecter les consignes de tri", "Stages d'été : à vous de choisir !"),
    ),
    _p(
        "slogan_imperatif",
        "appel_au_vote",
        "slogan",
        # A short exclamation in the first person plural (« Ne lâchons rien ! », « Ensemble, écrivons la suite ! »)
        # is how a campaign talks; the mairie says « Trions mieux ! » too, hence a warning. Nouns in -ons are left
        # out, and so are the -ions forms (no imperative ends so).
        r"(?:^|(?<=, ))(?:ne )?(?!(?:maisons|saisons|bonbons|chansons|ballons|moutons|garcons|poissons|"
        r"crayons|salons|violons|marrons|boutons|jambons|citrons|cotons|ponts|lampions|champions|nations)\b)"
        r"(?![a-z]*ions\b)[a-z]{2,}ons\b[^.!?;]{0,60}!",
        ("Ne lâchons rien : la ville mérite le meilleur !", "Ensemble, écrivons la suite !"),
        ("Plantons ensemble 300 arbres au parc des Tilleuls", "Maisons fleuries : inscriptions ouvertes !"),
        level="warning",
    ),
    _p(
        "slogan_ville",
        "appel_au_vote",
        "formule de campagne",
        r"\b(?:merite|meritent) (?:mieux|le meilleur|une equipe|un maire|une maire)\b|\b(?:unis|rassembles|fiers|"
        r"fieres) pour [a-z-]+\b|\bau-dela des clivages\b|\bun (?:nouvel elan|nouveau souffle)\b|\bune ambition "
        r"pour\b|\bc'est (?:maintenant|avec vous)\b|\bnos (?:\w+ )?priorites pour\b"
        r"|\ble meilleur (?:reste|est) a venir\b|\bn'est qu'un (?:debut|commencement)\b|\bentre de bonnes mains\b"
        r"|\bplus que jamais (?:determinee?s?|mobilisee?s?|engagee?s?|unis|motivee?s?)\b|\btournons la page\b",
        ("Rassemblés pour Lannion, au-delà des clivages.", "La ville mérite mieux", "Nos trois priorités pour Dol"),
        ("Fiers de nos bénévoles", "La médiathèque mérite le détour", "Forum de l'alternance et de l'apprentissage"),
        level="warning",
    ),
    # --- polemique: attacks on opponents, comparisons with predecessors (CNCCFP guide; CE 2015 La Croix-Saint-
    # Leufroy: the bulletin takes sides) --------------------------------------------------------------------------
    # The opposition's rights (its tribune, its local, CGCT L2121-27-1) are neutral; what is caught is the
    # collectivité's voice speaking about opponents.
    _p(
        "adversaires",
        "polemique",
        "mise en cause des adversaires",
        r"\b(?:nos|vos|leurs|mes|ses) (?:adversaires|opposants|concurrents|contradicteurs|detracteurs)\b"
        r"|\b(?:la|les) listes? (?:adverses?|concurrentes?)\b|\ble camp (?:adverse|d'en face)\b"
        r"|\bl'opposition (?:municipale )?(?:n'a|n'ont|ne (?:propose|fait|sait)|a echoue|prefere|critique|polemique"
        r"|refuse|s'oppose a tout)\b",
        ("Nos opposants n'ont qu'un programme", "Le projet de la liste adverse", "L'opposition n'a rien proposé"),
        ("Un local est mis à la disposition des conseillers de l'opposition", "Tribune de l'opposition municipale"),
    ),
    _p(
        "predecesseurs",
        "polemique",
        "comparaison avec l'équipe précédente",
        # « L'ancien maire » is left out: the commune honours its former mayors (a street, a funeral).
        r"\b(?:l'ancienne|la precedente|l'ex-?) (?:municipalite|equipe|majorite)\b"
        r"|\b(?:l'equipe|la municipalite|la majorite) (?:precedente|d'avant|d'alors)\b|\bnos predecesseurs\b"
        r"|\bcontrairement a (?:l'ancienne|la precedente|nos predecesseurs|nos (?:adversaires|opposants)|"
        r"l'opposition|ceux qui|celles qui|d'autres (?:communes|villes|equipes|listes|candidats))\b",
        ("Contrairement à l'ancienne municipalité, nous…", "La hausse décidée par l'équipe précédente"),
        (
            "Hommage à l'ancien maire, Jean Moreau",
            "L'ancienne mairie devient une maison des associations",
            "Contrairement à nos habitudes, le marché aura lieu mardi",
        ),
    ),
    _p(
        "polemique",
        "polemique",
        "polémique",
        r"\b(?:ceux|celles|ceux et celles) qui (?:nous )?(?:critiquent|polemiquent|denigrent|attaquent|ont ruine|"
        r"l'ont ruinee?|ont vide les caisses)\b|\b(?:certains|d'autres),? (?:polemiquent|critiquent|"
        r"denigrent|s'agitent|promettent|pretendent)\b|\bquand (?:ils|elles) etaient aux (?:affaires|commandes|"
        r"responsabilites)\b|\bdonner des lecons (?:de (?:gestion|morale|democratie|bonne gestion))\b"
        r"|\b(?:pretend\w*|veulent|veut) (?:nous )?donner des lecons\b|\bdemagogi\w*\b"
        r"|\bpromesses (?:irrealistes|intenables|en l'air)\b|\b(?:faisons|faire|faites) barrage\b"
        r"|\b(?:l'extreme (?:droite|gauche)|le fascisme|le racisme|ils|elles) ne (?:passera|passeront) pas\b"
        r"|\bne laissons pas (?:la ville|la "
        r"commune|notre ville|notre commune|d'autres|nos adversaires|ceux|les autres)\b|\bentre les mains de ceux\b",
        ("Pendant que certains polémiquent, le maire agit.", "Faisons barrage !", "Ne laissons pas d'autres défaire"),
        (
            "Les promesses de dons pour le Téléthon",
            "Ceux qui souhaitent participer s'inscrivent en mairie",
            "Ceux qui ont laissé leurs coordonnées seront rappelés",
            "Le camion ne passera pas sous le pont",
            "Stage d'été : le club vient donner des leçons de natation",
        ),
    ),
    _p(
        "souvenez_vous",
        "polemique",
        "rappel polémique",
        r"\bsouvenez-vous(?:-en)?\b(?! (?:de (?:nos|vos) (?:morts|anciens|soldats)|du 11 novembre))",
        ("Ils ont voté contre : souvenez-vous-en.",),
        ("Souvenez-vous de nos morts : cérémonie du 11 Novembre",),
        level="warning",
    ),
    # --- promesse: promises for the next mandate ------------------------------------------------------------------
    # The collectivité's media are not a programme's (L52-1 al. 2; neutralité): the next six years, « si vous
    # nous renouvelez votre confiance », « élu, je créerai » are blocking; a first person plural future (« nous
    # construirons ») is a warning, since the mairie also announces its works.
    _p(
        "prochain_mandat",
        "promesse",
        "promesse pour le prochain mandat",
        r"\b(?:dans|pendant|durant|au cours) (?:des|les) (?:six|cinq|\d+) (?:prochaines annees|annees a venir|ans a "
        r"venir|prochains ans)\b|\b(?:les|des|pour les) (?:six|cinq|\d+) (?:ans|annees) qui viennent\b"
        r"|\bprochaine mandature\b|\b(?:notre|nos|mon|mes) (?:projet|propositions?|programme|engagements?|ambitions?)"
        r" pour (?:les (?:six|cinq|\d+) |20\d\d-20\d\d|(?:la|notre) (?:ville|commune)|demain|l'avenir)",
        (
            "Dans les six prochaines années, nous construirons",
            "Notre projet pour 2026-2032",
            "Nos propositions pour les six ans qui viennent",
        ),
        ("Plan pluriannuel d'investissement 2026-2030 adopté en conseil", "Les six prochaines séances du ciné-club"),
    ),
    _p(
        "si_vous_nous",
        "promesse",
        "promesse conditionnée au vote",
        r"\bsi vous (?:nous|me|leur|lui) (?:renouvelez|accordez|redonnez|faites|confiez) (?:a nouveau |de nouveau )?"
        r"(?:votre |la )?confiance\b|\bsi vous (?:nous|me) (?:elisez|reelisez|choisissez)\b"
        r"|\bsi (?:les electeurs|les habitants|vous) (?:nous|me) (?:font|faites|renouvellent|renouvelez) "
        r"(?:a nouveau )?confiance\b"
        r"|^(?:re)?elue?s?, (?:je|nous)\b|\bune fois (?:re)?elue?s?\b"
        r"|\bc'est (?:notre|ma|mon) (?:engagement|promesse)\b",
        (
            "Si vous nous renouvelez votre confiance, nous…",
            "Élu, je créerai une police de nuit",
            "C'est notre promesse.",
        ),
        ("Élu en 2020, le conseil municipal des jeunes a achevé son mandat", "Si vous nous confiez vos enfants"),
    ),
    _p(
        "nous_ferons",
        "promesse",
        "engagement pour l'avenir",
        r"\bnous (?:construirons|ferons|creerons|poursuivrons|continuerons|irons|realiserons|renoverons|baisserons|"
        r"doublerons|batirons|transformerons|developperons|amplifierons|investirons|agirons|protegerons|defendrons|"
        r"garantirons|lancerons|engagerons|maintiendrons)\b|\bje (?:creerai|construirai|ferai|baisserai|lancerai|"
        r"renoverai|doublerai|transformerai|continuerai|poursuivrai)\b|\bnous nous engageons a\b|\bje m'engage a\b"
        r"|\b(?:demain|bientot),? (?:nous|une ville|la ville|notre ville|ensemble)\b"
        r"|\bnous irons (?:encore )?plus loin\b"
        r"|\b(?:encore )?(?:tant|beaucoup|plein) de projets pour (?:vous|la ville|la commune)\b",
        ("Nous poursuivrons la baisse de la dette", "Demain, nous irons encore plus loin", "Élue, je ferai"),
        ("Nous vous ferons parvenir les documents", "Demain matin, la rue sera fermée"),
        level="warning",
    ),
    # --- parti: parties and their meetings (CGCT L2144-3: a hall lent on equal terms is not a municipal event) --
    _p(
        "parti_politique",
        "parti",
        "parti politique nommé",
        rf"\b{_PARTY}",
        ("Section locale de la France insoumise", "Le soutien du Rassemblement national"),
        ("Concert de musique de la Renaissance", "Parrainage républicain en mairie", "Associations et partis"),
        level="warning",
    ),
    _p(
        "reunion_politique",
        "parti",
        "réunion d'un parti ou d'une liste",
        r"\b(?:reunions?|meetings?|rencontres?|soirees?(?:-debats?)?|debats?|permanences?|aperitifs?|apero|fetes?|"
        r"assemblees? generales?|congres|seminaires?|universites? d'ete|banquets?)(?: (?:publique|politique|militante|"
        r"republicain|departemental|de quartier|de rentree)s?)? (?:de|du|des|d') ?(?:la liste|notre liste|"
        r"(?:la )?section locale|comites? (?:de soutien (?:a|au|de|du)|local)|parti|partis|l'equipe de campagne)\b"
        r"|\bmeetings? de soutien\b"
        rf"|\b{_PARTY}[^.!?;]{{0,80}}\b(?:reunion|meeting|debat|congres|assemblee|fete|aperitif|permanence|"
        r"propositions|tiendra|tient|organise\w*|presente\w*|invite\w*)\b"
        r"|\b(?:reunion|meeting|debat|congres|assemblee|fete|aperitif|permanence)s?\b[^.!?;]{0,60}\b" + _PARTY,
        (
            "Réunion publique de la liste « Dol en commun »",
            "Meeting de soutien à Anne Durand",
            "Les Républicains de la circonscription organisent un débat",
        ),
        (
            "Réunion publique de concertation sur la place du marché",
            "Meeting aérien de la base de Cognac",
            "Soirée de soutien aux sinistrés des inondations",
            "Réunion de la section tennis du club omnisports",
        ),
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
    _p(
        "site_de_liste",
        "lien",
        "site ou réseau d'une liste",
        r"\b(?:site|page|compte|groupe)(?: (?:internet|web|officiel|facebook|instagram))? (?:de la liste|"
        r"de notre liste|de campagne(?! (?:de|du|des)\b| d')|du candidat|de la candidate|de l'equipe de campagne|"
        r"du comite de soutien)\b"
        r"|\bsuivez (?:la|notre) campagne\b(?! (?:de|du|des)\b| d')",
        ("Plus d'infos sur le site de la liste", "Suivez la campagne sur Instagram"),
        ("Plus d'infos sur le site de la ville", "Suivez la campagne de vaccination"),
    ),
    _p(
        "lien_site_militant",
        "lien",
        "lien vers un site d'allure militante",
        # A host made of a campaign's words (« ensemble-pour-dol.fr », « agirpourlannion.fr », « ville-demain.fr »);
        # an association's or a school's site may look alike (« lycee-avenir.fr »), hence a warning.
        rf"(?<![\w./-])(?:https?://)?(?:{_LABEL}\.)*[a-z0-9-]*(?:avec|ensemble|agir|demain|avenir|unis|rassembl|"
        rf"passion|elan|renouveau|continuons|changeons|[a-z]-?pour-?[a-z])[a-z0-9-]*(?:\.{_LABEL})*{_TLD}{_HOST_END}"
        r"(?<!\.gouv\.fr)(?:[/?#]\S*)?",
        ("Le programme sur agirpourlannion.fr", "www.villeneuve-demain.fr"),
        ("Infos sur www.rouen.fr", "jeparticipe.ville-rouen.fr"),
        level="warning",
    ),
    _p(
        "lien_compte_militant",
        "lien",
        "compte ou mot-dièse d'allure militante",
        # A handle with a coming year (« @benali_lannion2026 »); a hashtag « #AvecPrénom ».
        rf"(?<![\w#@])@[\w.]*{_YEAR}\w*|(?<![\w#@])#avec[a-z]\w*",
        ("Suivez @benali_lannion2026", "#AvecMartine"),
        ("Suivez @VilleDeRouen", "#Voeux2027"),
        level="warning",
    ),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[Pattern, re.Pattern[str]], ...]:
    """The patterns compiled on the first check, not at import: compiling them is a quarter of a second that
    every cold start would pay, though only the routes that check a text need them."""
    return tuple((p, re.compile(p.regex)) for p in PATTERNS)


# ---------------------------------------------------------------------------------------------------------------
# Contexts: what the rest of a sentence says about a wording (a pattern's `quiet_in`).

CONTEXTS: dict[Context, re.Pattern[str]] = {
    # Voting logistics: the mairie runs the ballot (Code électoral R40 s.); its notices name the election, the
    # polling stations, the rounds, and say when, where and how to vote.
    "pratique": re.compile(
        r"\b(?:horaires?|ouverte?s? (?:de|des|jusqu)|de \d{1,2} ?h(?:\d\d)? a \d{1,2} ?h|procurations?|assesseurs?|"
        r"scrutateurs?|pieces? d'identite|cartes? electorales?|cartes? d'electeurs?|listes? electorales?|"
        r"inscri(?:t|te|ts|tes|re|ption|ptions)|transferee?s?|deplacee?s?|demenagee?s?|accessibles?|accessibilite|"
        r"mobilite reduite|depouillement|centralisateur|affichee?s?|affichage|panneaux?|publiee?s?|proclamee?s?|"
        r"consultables?|memes bureaux|bureaux? (?:de vote )?n°|transport gratuit|assister)\b"
    ),
    # A vote that is not the ballot: a conseil de quartier, the children's council, a participatory budget, an
    # association's board, a local consultation (CGCT L1112-15 s.).
    "instance_locale": re.compile(
        r"\b(?:conseils? (?:de quartier|citoyens?|des sages|des aines|des jeunes|des enfants|d'ecole|d'administration|"
        r"de la vie (?:lyceenne|collegienne))|conseil municipal des (?:jeunes|enfants)|cmj|cme|budget participatif|"
        r"delegues? (?:de classe|de quartier|des parents)|parents d'eleves|comite des fetes|assemblee (?:de quartier|"
        r"des habitants)|(?:assemblee generale|bureau) (?:de l'|d'une |du |des )?(?:association|club|amicale|comite)|"
        r"votation citoyenne|consultation locale|referendum local|prix du public|concours)\b"
    ),
}

# Where a sentence ends, in folded text: after . ! ? … followed by a space (or the end). Not at « ; » nor « : »,
# which join what is said together (« Conseil de quartier : votez pour vos représentants »).
_SENTENCE_END = re.compile(r"[.!?…]+(?= |$)")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029")


def _sentences(text: str, folded: str, index: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the folded text. A line break ends one too when a blank line follows or
    the next line does not start in lowercase (a title above its text); a wrapped line goes on."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(folded)]
    for i, ch in enumerate(folded):
        if ch == " " and i + 1 < len(index):
            run = text[index[i] : index[i + 1]]
            breaks = sum(c in _LINE_BREAKS for c in run.replace("\r\n", "\n"))
            if breaks >= 2 or (breaks == 1 and not text[index[i + 1]].islower()):
                cuts.append(i)
    spans, start = [], 0
    for cut in [*sorted(set(cuts)), len(folded)]:
        while start < cut and folded[start] == " ":
            start += 1
        if cut > start:
            spans.append((start, cut))
        start = max(start, cut)
    return spans


# ---------------------------------------------------------------------------------------------------------------
# Declared candidates: the name alone is a warning (the maire is named in his functions every day; neutralité
# forbids promoting him, not naming him); the name promoted is blocking: a slogan around it (« Avec Martine Roux,
# Villeneuve avance ! », « Karim Benali, un maire qui vous ressemble », « Sophie Carpentier : la proximité… »), a
# call to vote or to support (« votez / soutenir / un vote pour X »), the merit given to him (« grâce à X »,
# « l'équipe de X »), his candidacy (« X se lance », « X a annoncé »).

# Before the name, at the end of the words that precede it in its sentence: always promoting (« votez »,
# « grâce à », « l'équipe de »)…
_PROMOTED_BEFORE = re.compile(
    r"\b(?:grace a|soutenir|soutenez|soutien (?:a|au|de|du)|choisissez|choisir|votez|voter(?: pour)?|vote pour|"
    r"confiance a|l'equipe de|la liste de|l'initiative de|credit de|travail (?:\w+ )?de|faire gagner|faites gagner|"
    r"meeting (?:de|avec)|campagne de|programme de|profession de foi de|propositions de|comite de soutien (?:de|a)|"
    r"l'oeuvre de|fruit (?:du|de) \w+(?: \w+)? de|merci a|celui de|celle de|bulletin)"
    r"(?: (?:m\.|mme|madame|monsieur))? ?$"
)
# … promoting unless an élu's function follows (« suivez Martine Roux, maire, lors de la visite »)…
_PROMOTED_UNLESS_FUNCTION = re.compile(r"\b(?:suivez|derriere|aux cotes de)(?: (?:m\.|mme|madame|monsieur))? ?$")
# … or promoting in a slogan only: « Avec Martine Roux, Villeneuve avance ! », « Fière et forte, avec Martine
# Roux. », not « Rencontre avec Martine Roux » nor « Visite avec Martine Roux, maire ».
_WITH = re.compile(r"\b(?:avec|pour)(?: (?:m\.|mme|madame|monsieur))? ?$")
# After the name: an apposition that is not a function, a colon or an exclamation, a candidacy verb.
_PROMOTED_AFTER = re.compile(
    rf"^(?:,? (?:un|une|des)\b|, (?:(?:le|la) |l')(?!(?:\w+ )?{_FUNCTION}\b)|, (?:(?:le|la) |l'){_FUNCTION} qui\b"
    rf"|,? {_CANDIDAT}\b| ?:| ?!"
    rf"|,? (?:{_FUNCTION}) ?!|,? (?:a|ont) (?:annonce|officialise|decide|choisi de)\b"
    r"|,? (?:se |s'y |s')(?:lance|presente|represente|porte|engage|mobilise)\b|,? s'engage\b| rejoint\b"
    r"| (?:est|sont) (?:investie?s?|candidate?s?)\b| forment\b| sera (?:candidate?|tete)\b| brigue\b| agit\b"
    r"| c'est\b)"
)
_FUNCTION_AFTER = re.compile(rf"^,? (?:la |le |l')?{_FUNCTION}\b")


def _promoted(before: str, after: str) -> bool:
    """A declared candidate's name in a sentence that promotes him (see above), from the words around it."""
    if _PROMOTED_AFTER.match(after) or _PROMOTED_BEFORE.search(before):
        return True
    function = _FUNCTION_AFTER.match(after) is not None
    if _PROMOTED_UNLESS_FUNCTION.search(before):
        return not function
    if _WITH.search(before) and not function:
        # A slogan: an exclamation, a clause after the name, a clause before it, or a quoted title.
        return "!" in after or after.startswith(",") or "," in before or before.count("«") > before.count("»")
    return False


# ---------------------------------------------------------------------------------------------------------------
# Declared candidates' sites and names.

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


class _Hit(NamedTuple):
    start: int  # in folded text
    end: int
    order: int  # the pattern's rank, then declared names, then declared sites
    category: Category
    pattern_id: str
    label: str
    level: Level


def _quiet(pattern: Pattern, sentence: str, seen: dict[Context, bool]) -> bool:
    """The sentence is in one of the pattern's `quiet_in` contexts (each context searched once per sentence)."""
    for context in pattern.quiet_in:
        if context not in seen:
            seen[context] = CONTEXTS[context].search(sentence) is not None
        if seen[context]:
            return True
    return False


def find(texts: Mapping[str, str | None], candidates: Sequence[Candidate] = ()) -> list[Match]:  # noqa: C901  (one pass over the sentences, each context a guard)
    """All matches, in field order then position order; None/empty texts skipped. Deterministic.

    Patterns and names are searched sentence by sentence: a pattern's match is left out when its sentence is in one
    of the pattern's `quiet_in` contexts; a declared candidate's name is a warning, blocking when its sentence
    promotes him (`_promoted`)."""
    names = [(c, _name_regex(fold(c.name))) for c in candidates]
    sites = list(dict.fromkeys(key for c in candidates for s in c.sites if (key := _site_key(s))))
    compiled_patterns = _compiled()
    found: list[tuple[int, int, int, int, Match]] = []
    for f, (field, text) in enumerate(texts.items()):
        if not text or not text.strip():
            continue
        folded, index = _fold_indexed(text)
        hits: list[_Hit] = []
        for a, b in _sentences(text, folded, index):
            sentence = folded[a:b]  # ^ and $ are the sentence's ends; no match runs over two sentences
            contexts: dict[Context, bool] = {}
            for order, (pattern, compiled) in enumerate(compiled_patterns):
                for m in compiled.finditer(sentence):
                    if m.end() > m.start() and not (pattern.quiet_in and _quiet(pattern, sentence, contexts)):
                        hit = _Hit(
                            a + m.start(),
                            a + m.end(),
                            order,
                            pattern.category,
                            pattern.id,
                            pattern.label,
                            pattern.level,
                        )
                        hits.append(hit)
            for candidate, name_re in names:
                if name_re is None:
                    continue
                name = " ".join(candidate.name.split())
                for m in name_re.finditer(sentence):
                    promoted = _promoted(sentence[: m.start()], sentence[m.end() :])
                    label = ("candidat déclaré mis en avant : " if promoted else "candidat déclaré : ") + name
                    weight: Level = "blocking" if promoted else "warning"
                    hits.append(
                        _Hit(
                            a + m.start(),
                            a + m.end(),
                            len(compiled_patterns),
                            "candidature",
                            "candidate_name",
                            label,
                            weight,
                        )
                    )
        order = len(compiled_patterns) + 1
        for m in _URL.finditer(folded):
            host = m.group(1).removeprefix("www.")
            path = m.group(2).rstrip(_TRAILING)
            end = m.start(2) + len(path)
            for site_host, site_path in sites:
                if (host == site_host or host.endswith("." + site_host)) and (
                    not site_path or _path_within(path, site_path)
                ):
                    label = f"site d'un candidat : {site_host}{site_path}"
                    hits.append(_Hit(m.start(), end, order, "lien", "candidate_site", label, "blocking"))
        # A warning inside the words of a blocking match says nothing more (« avec-marie-2028.fr »: a campaign
        # host, blocking, whose « avec » also looks militant).
        blocking = [(h.start, h.end) for h in hits if h.level == "blocking"]
        seen: set[tuple[int, int, str, str]] = set()
        for start, end, rank, category, pattern_id, label, level in hits:
            if (start, end, pattern_id, label) in seen:
                continue
            if level == "warning" and any(a <= start and end <= b for a, b in blocking):
                continue
            seen.add((start, end, pattern_id, label))
            o_start, o_end = _span(text, index, start, end)
            match = Match(field, category, pattern_id, label, _excerpt(text, o_start, o_end), level)
            found.append((f, start, rank, end, match))
    found.sort(key=lambda item: item[:4])
    return [item[4] for item in found]


def worst_level(matches: Sequence[Match]) -> Literal["ok", "warning", "blocking"]:
    """The worst level of some matches: what the neutralité finding weighs (compliance)."""
    if any(m.level == "blocking" for m in matches):
        return "blocking"
    return "warning" if matches else "ok"
