"""Forms of address as data: formules d'appel, titles and closings of official correspondence, each with its source.

The rules that read them are in ``address_forms.py``; the rows of the article 3 functions added later are in
``address_forms_art3.py``. ``unconfirmed`` is set wherever the sources disagree or are uncertain (❓/⚠️), or do not
give the form at all.

Sources: appel, suscription and closing are the usage of official correspondence as modele-lettre.com (« Formules de
politesse », « Sur l'enveloppe ») and studylibfr (« Formules de politesse ») give it; the deference of a closing
(« l'expression » upwards, « l'assurance » between equals or downwards) follows simonnetavocat.fr and « La
correspondance administrative » (scribd). Feminine titles: circulaire du Premier ministre du 21 novembre 2017
(JORFTEXT000036068906), and the Académie française's report of 28 February 2019, which accepts « Madame la Maire »
and keeps « Madame le Maire » as a legitimate form for whoever prefers it.
"""

from __future__ import annotations

from dataclasses import dataclass

USAGE = "usage of official correspondence"
FEMININE = "feminine by default, circulaire PM 21/11/2017"
FEM_GUIDE_NOTE = (
    "feminine word form per the CNRS/INaLF guide « Femme, j'écris ton nom… », not checked ❓; in general official use"
)


# ---------------------------------------------------------------------------------------------------------------------
# Function rows
# ---------------------------------------------------------------------------------------------------------------------

# Suscription styles:
#   "fonction": civility + article + title + complement  « Madame la Préfète de la Seine-Maritime »
#   "nom":      civility + name, title + complement       « Madame Jeanne Dupont, Députée de la Seine-Maritime »
#   "grade":    civility + article + title + name          « Monsieur le Général Jean Dupont, Commandant … »
#   "excellence": « Son Excellence » + civility + name, title  « Son Excellence Madame …, Ambassadrice de … »
STYLES = ("fonction", "nom", "grade", "excellence")

# Recipient classes used by the closing rule ("culte": the religious authorities of art. 3, 18°).
KINDS = ("gouvernement", "etat", "magistrat", "elu", "agent", "culte", "autre")


@dataclass(frozen=True)
class FunctionForm:
    """How the holder of one function is addressed.

    ``appel_*`` are complete formules d'appel with their comma; ``appel_trad`` is the traditional form for a woman
    who keeps the masculine title (« Madame le Maire, »). ``title_*`` are the capitalised titles of the suscription.
    ``complements`` are alternatives tried in order, with the placeholders ``{territoire}`` (the name with its
    article, from ``territory_names``) and ``{region}`` (the bare name of a territory of kind "region"); the first
    whose placeholders can all be filled is used, none → no complement. ``free_title`` says what a mandate's free
    ``title`` does: "replace" the title (ministre: « Ministre de l'Intérieur »), "append" it after a comma
    (général: « …, Commandant la région de gendarmerie »), or nothing (None). ``appel_*_from_woman`` are the
    military forms used when the writer is a woman (« Général, » instead of « Mon Général, »). ``name_prefix``
    stands before the name instead of the civility (« Monseigneur Jean Dupont, Archevêque de Strasbourg »).
    """

    code: str
    kind: str  # one of KINDS
    style: str  # one of STYLES
    appel_m: str | None
    appel_f: str | None
    appel_trad: str | None
    title_m: str
    title_f: str
    complements: tuple[str, ...]
    source: str
    unconfirmed: str | None = None
    free_title: str | None = None  # None | "replace" | "append"
    appel_m_from_woman: str | None = None
    appel_f_from_woman: str | None = None
    name_prefix: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.unconfirmed is None

    def pattern(self, gender: str = "m") -> str:
        """The suscription pattern, for the catalogue: « Madame {nom}, Députée {territoire} »."""
        civ = "Madame" if gender in ("f", "trad") else "Monsieur"
        title = self.title_f if gender == "f" else self.title_m
        complement = f" {self.complements[0]}" if self.complements else ""
        if self.style == "fonction":
            return f"{civ} {article(title, gender)}{title}{complement}"
        if self.style == "grade":
            return f"{civ} {article(title, gender)}{title} {{nom}}"
        if self.style == "excellence":
            return f"Son Excellence {civ} {{nom}}, {title}{complement}"
        return f"{self.name_prefix or civ} {{nom}}, {title}{complement}"


def form(
    code: str,
    kind: str,
    style: str,
    appel: tuple[str | None, str | None, str | None],
    titles: tuple[str, str],
    complements: tuple[str, ...],
    source: str,
    unconfirmed: str | None = None,
    **extra: str | None,
) -> FunctionForm:
    return FunctionForm(
        code=code,
        kind=kind,
        style=style,
        appel_m=appel[0],
        appel_f=appel[1],
        appel_trad=appel[2],
        title_m=titles[0],
        title_f=titles[1],
        complements=complements,
        source=source,
        unconfirmed=unconfirmed,
        **extra,
    )


T = ("{territoire}",)
GENERAL_APPEL = ("Mon Général,", "Ma Générale,", "Mon Général,")
GENERAL_EXTRA = {"free_title": "append", "appel_m_from_woman": "Général,", "appel_f_from_woman": "Générale,"}
GENERAL_NOTE = (
    "« Mon Général, » (writer a man) / « Général, » (writer a woman) by analogy with « Mon Colonel » / « Colonel » "
    "(studylibfr); feminine « Ma Générale, » / « Générale, » ❓"
)

# Declaration order = tie-break order between functions of the same rank (more specific first).
ROWS: tuple[FunctionForm, ...] = (
    form(
        "president_republique",
        "gouvernement",
        "fonction",
        (
            "Monsieur le Président de la République,",
            "Madame la Présidente de la République,",
            "Madame le Président de la République,",
        ),
        ("Président de la République", "Présidente de la République"),
        (),
        f"{USAGE} (modele-lettre.com, studylibfr); {FEMININE}",
    ),
    form(
        "premier_ministre",
        "gouvernement",
        "fonction",
        ("Monsieur le Premier ministre,", "Madame la Première ministre,", "Madame le Premier ministre,"),
        ("Premier ministre", "Première ministre"),
        (),
        f"{USAGE} (modele-lettre.com, studylibfr); « La Première ministre » opens décret n° 2022-1313",
    ),
    form(
        "ministre",
        "gouvernement",
        "nom",
        ("Monsieur le Ministre,", "Madame la Ministre,", "Madame le Ministre,"),
        ("Ministre", "Ministre"),
        (),
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur Jean Martin, Ministre de l'Intérieur »",
        free_title="replace",
    ),
    form(
        "prefet_region",
        "etat",
        "fonction",
        ("Monsieur le Préfet,", "Madame la Préfète,", "Madame le Préfet,"),
        ("Préfet", "Préfète"),
        ("de la région {region}", "{territoire}"),
        f"{USAGE} (modele-lettre.com: « …, Préfet de la région Normandie »); {FEMININE}",
    ),
    form(
        "prefet",
        "etat",
        "fonction",
        ("Monsieur le Préfet,", "Madame la Préfète,", "Madame le Préfet,"),
        ("Préfet", "Préfète"),
        T,
        f"{USAGE} and its address-block conventions (modele-lettre.com « Monsieur le Préfet de la "
        "Seine-Maritime »); « Madame la Préfète »: feminine by default (circulaire PM 21/11/2017)",
    ),
    form(
        "sous_prefet",
        "etat",
        "fonction",
        ("Monsieur le Sous-Préfet,", "Madame la Sous-Préfète,", "Madame le Sous-Préfet,"),
        ("Sous-Préfet", "Sous-Préfète"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame la Sous-Préfète de Dieppe »",
    ),
    form(
        "depute",
        "elu",
        "nom",
        ("Monsieur le Député,", "Madame la Députée,", "Madame le Député,"),
        ("Député", "Députée"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame Jeanne Dupont, Députée de la Seine-Maritime »",
    ),
    form(
        "senateur",
        "elu",
        "nom",
        ("Monsieur le Sénateur,", "Madame la Sénatrice,", "Madame le Sénateur,"),
        ("Sénateur", "Sénatrice"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr); « Madame la Sénatrice »: {FEMININE}",
    ),
    form(
        "depute_europeen",
        "elu",
        "nom",
        ("Monsieur le Député,", "Madame la Députée,", "Madame le Député,"),
        ("Député européen", "Députée européenne"),
        (),
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame …, Députée européenne »",
    ),
    form(
        "president_conseil_regional",
        "elu",
        "nom",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président du conseil régional", "Présidente du conseil régional"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Président du conseil régional de Normandie »",
    ),
    form(
        "president_conseil_departemental",
        "elu",
        "nom",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président du conseil départemental", "Présidente du conseil départemental"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame …, Présidente du conseil départemental de la "
        "Seine-Maritime »",
    ),
    form(
        "maire",
        "elu",
        "nom",
        ("Monsieur le Maire,", "Madame la Maire,", "Madame le Maire,"),
        ("Maire", "Maire"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame Jeanne Dupont, Maire de Rouen »; circulaire PM "
        "21/11/2017 and Académie française 2019: « Madame la Maire », « Madame le Maire » on request",
    ),
    form(
        "maire_delegue",
        "elu",
        "nom",
        ("Monsieur le Maire,", "Madame la Maire,", "Madame le Maire,"),
        ("Maire délégué", "Maire déléguée"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Maire délégué de … »",
    ),
    form(
        "president_epci",
        "elu",
        "nom",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président", "Présidente"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Président de la Métropole Rouen Normandie » "
        "(territory_names gives « de la Métropole Rouen Normandie »)",
    ),
    form(
        "vice_president_conseil_regional",
        "elu",
        "nom",
        ("Monsieur le Vice-Président,", "Madame la Vice-Présidente,", "Madame le Vice-Président,"),
        ("Vice-Président du conseil régional", "Vice-Présidente du conseil régional"),
        T,
        f"{USAGE}, by analogy with the président du conseil régional and the conseiller régional",
        unconfirmed="no form in the sources: appel and suscription derived from the président du conseil régional's "
        "and the conseiller régional's (capitals as « Sous-Préfet »)",
    ),
    form(
        "vice_president_conseil_departemental",
        "elu",
        "nom",
        ("Monsieur le Vice-Président,", "Madame la Vice-Présidente,", "Madame le Vice-Président,"),
        ("Vice-Président du conseil départemental", "Vice-Présidente du conseil départemental"),
        T,
        f"{USAGE}, by analogy with the président du conseil départemental and the conseiller départemental",
        unconfirmed="no form in the sources: appel and suscription derived from the président du conseil "
        "départemental's and the conseiller départemental's (capitals as « Sous-Préfet »)",
    ),
    form(
        "adjoint_maire",
        "elu",
        "nom",
        ("Monsieur l'Adjoint,", "Madame l'Adjointe,", "Madame l'Adjoint,"),
        ("Adjoint au Maire", "Adjointe au Maire"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame …, Adjointe au Maire de Rouen »",
        unconfirmed="traditional « Madame l'Adjoint, » derived from the « Madame le … » pattern of the sources; "
        "they also allow « Monsieur le Maire-adjoint, »",
    ),
    form(
        "conseiller_regional",
        "elu",
        "nom",
        ("Monsieur le Conseiller régional,", "Madame la Conseillère régionale,", "Madame le Conseiller régional,"),
        ("Conseiller régional", "Conseillère régionale"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame …, Conseillère régionale de Normandie »",
    ),
    form(
        "conseiller_departemental",
        "elu",
        "nom",
        (
            "Monsieur le Conseiller départemental,",
            "Madame la Conseillère départementale,",
            "Madame le Conseiller départemental,",
        ),
        ("Conseiller départemental", "Conseillère départementale"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Conseiller départemental du canton de … »",
    ),
    form(
        "conseiller_municipal",
        "elu",
        "nom",
        ("Monsieur le Conseiller municipal,", "Madame la Conseillère municipale,", "Madame le Conseiller municipal,"),
        ("Conseiller municipal", "Conseillère municipale"),
        T,
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame …, Conseillère municipale de … »",
    ),
    form(
        "conseiller_communautaire",
        "elu",
        "nom",
        (
            "Monsieur le Conseiller communautaire,",
            "Madame la Conseillère communautaire,",
            "Madame le Conseiller communautaire,",
        ),
        ("Conseiller communautaire", "Conseillère communautaire"),
        T,
        f"{USAGE}, by analogy with the conseillers régional, départemental and municipal",
        unconfirmed="no form in the sources: derived from the conseillers régional, départemental and municipal",
    ),
    form(
        "recteur",
        "etat",
        "fonction",
        ("Monsieur le Recteur,", "Madame la Rectrice,", "Madame le Recteur,"),
        ("Recteur", "Rectrice"),
        ("de l'académie {territoire}",),
        f"{USAGE} (modele-lettre.com, studylibfr): « Madame la Rectrice de l'académie de Normandie »",
        unconfirmed=f"« Rectrice »: {FEM_GUIDE_NOTE}",
    ),
    form(
        "procureur",
        "magistrat",
        "fonction",
        (
            "Monsieur le Procureur de la République,",
            "Madame la Procureure de la République,",
            "Madame le Procureur de la République,",
        ),
        ("Procureur de la République", "Procureure de la République"),
        ("près le tribunal judiciaire {territoire}",),
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur le Procureur de la République près le tribunal "
        "judiciaire de Rouen »",
        unconfirmed=f"« Procureure »: {FEM_GUIDE_NOTE}",
    ),
    form(
        "president_tribunal_judiciaire",
        "magistrat",
        "fonction",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président du tribunal judiciaire", "Présidente du tribunal judiciaire"),
        T,
        f"{USAGE}, by analogy with a président and the procureur",
        unconfirmed="no form in the sources: appel of a président (« Monsieur le Président, »), suscription as the "
        "procureur's",
    ),
    form(
        "general",
        "etat",
        "grade",
        GENERAL_APPEL,
        ("Général", "Générale"),
        (),
        f"{USAGE} (studylibfr): « Monsieur le Général …, Commandant … »",
        unconfirmed=GENERAL_NOTE,
        **GENERAL_EXTRA,
    ),
    form(
        "dgs_region",
        "agent",
        "nom",
        ("Monsieur le Directeur général,", "Madame la Directrice générale,", "Madame le Directeur général,"),
        ("Directeur général des services", "Directrice générale des services"),
        ("de la région {region}", "{territoire}"),
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Directeur général des services de la Ville de … »",
        unconfirmed="complement « de la région … » derived from the sources' example (« de la Ville de … »)",
    ),
    form(
        "dgs_departement",
        "agent",
        "nom",
        ("Monsieur le Directeur général,", "Madame la Directrice générale,", "Madame le Directeur général,"),
        ("Directeur général des services", "Directrice générale des services"),
        ("du département {territoire}",),
        f"{USAGE} (modele-lettre.com, studylibfr)",
        unconfirmed="complement « du département … » derived from the sources' example (« de la Ville de … »)",
    ),
    form(
        "secretaire_general_mairie",
        "agent",
        "nom",
        ("Monsieur le Secrétaire général,", "Madame la Secrétaire générale,", "Madame le Secrétaire général,"),
        ("Secrétaire général", "Secrétaire générale"),
        ("de la mairie {territoire}",),
        f"{USAGE}, by analogy with the directeur général des services; title « secrétaire général de mairie » "
        "(the 2023 law on secrétaires de mairie)",
        unconfirmed="no form in the sources: derived from the directeur général des services'; the 2023 title is "
        "itself ❓ (décret n° 89-655 art. 3, 33°, may still say « secrétaire de mairie »)",
    ),
    form(
        "ambassadeur",
        "etat",
        "excellence",
        ("Monsieur l'Ambassadeur,", "Madame l'Ambassadrice,", "Madame l'Ambassadeur,"),
        ("Ambassadeur", "Ambassadrice"),
        (),
        f"{USAGE} (modele-lettre.com, studylibfr): « Son Excellence Monsieur …, Ambassadeur de … »",
        unconfirmed="suscription « Son Excellence … » ❓; the country comes from the mandate's "
        "free title (« Ambassadeur d'Italie en France »)",
        free_title="replace",
    ),
    form(
        "autre",
        "autre",
        "nom",
        (None, None, None),
        ("", ""),
        (),
        "a free title, placed by the organiser; no form in the sources: plain civility or honorific, never an "
        "abbreviated « M. » / « Mme » in the appel (pimido)",
        unconfirmed="no form in the sources: appel « Madame, » / « Monsieur, » (or the honorific), suscription "
        "« Madame …, <free title> »",
        free_title="replace",
    ),
    # Extra codes of the functions catalogue (functions.py) beyond the functions above: all derived, unconfirmed.
    form(
        "general_commandant_region",
        "etat",
        "grade",
        GENERAL_APPEL,
        ("Général", "Générale"),
        (),
        f"{USAGE} (studylibfr): « Monsieur le Général …, Commandant … »",
        unconfirmed=GENERAL_NOTE,
        **GENERAL_EXTRA,
    ),
    form(
        "premier_president_cour_appel",
        "magistrat",
        "fonction",
        ("Monsieur le Premier Président,", "Madame la Première Présidente,", "Madame le Premier Président,"),
        ("Premier Président de la cour d'appel", "Première Présidente de la cour d'appel"),
        T,
        f"{USAGE}, by analogy with a président and the procureur",
        unconfirmed="no form in the sources: derived from a président's and the procureur's",
    ),
    form(
        "president_cour_administrative_appel",
        "magistrat",
        "fonction",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président de la cour administrative d'appel", "Présidente de la cour administrative d'appel"),
        T,
        f"{USAGE}, by analogy with a président and the procureur",
        unconfirmed="no form in the sources: derived from a président's and the procureur's",
    ),
    form(
        "procureur_general",
        "magistrat",
        "fonction",
        ("Monsieur le Procureur général,", "Madame la Procureure générale,", "Madame le Procureur général,"),
        ("Procureur général", "Procureure générale"),
        ("près la cour d'appel {territoire}",),
        f"{USAGE}, by analogy with the procureur de la République",
        unconfirmed=f"no form in the sources: derived from the procureur's; « Procureure »: {FEM_GUIDE_NOTE}",
    ),
    form(
        "president_tribunal_administratif",
        "magistrat",
        "fonction",
        ("Monsieur le Président,", "Madame la Présidente,", "Madame le Président,"),
        ("Président du tribunal administratif", "Présidente du tribunal administratif"),
        T,
        f"{USAGE}, by analogy with a président and the procureur",
        unconfirmed="no form in the sources: derived from a président's and the procureur's",
    ),
    form(
        "dgs_commune",
        "agent",
        "nom",
        ("Monsieur le Directeur général,", "Madame la Directrice générale,", "Madame le Directeur général,"),
        ("Directeur général des services", "Directrice générale des services"),
        ("de la Ville {territoire}",),
        f"{USAGE} (modele-lettre.com, studylibfr): « Monsieur …, Directeur général des services de la Ville de … »",
    ),
)

# ---------------------------------------------------------------------------------------------------------------------
# Honorifics (people without a function)
# ---------------------------------------------------------------------------------------------------------------------

HONORIFIC_NOTE = "not in the sources (best knowledge of French usage)"


@dataclass(frozen=True)
class HonorificForm:
    """How a person without a function is addressed through their honorific (Person.honorific).

    ``gendered`` False: the same form for everyone (« Maître, »), usable without a civility. ``style`` "nom":
    « Maître Claire Durand »; "grade": « Monsieur le Professeur Jean Dupont ». ``closing`` (optional) is the
    closing formula whatever the sender.
    """

    key: str
    aliases: tuple[str, ...]
    appel_m: str
    appel_f: str
    appel_trad: str
    title_m: str
    title_f: str
    style: str  # "nom" | "grade"
    gendered: bool
    source: str
    unconfirmed: str | None = HONORIFIC_NOTE
    closing: str | None = None
    appel_m_from_woman: str | None = None
    appel_f_from_woman: str | None = None


# ---------------------------------------------------------------------------------------------------------------------
# Closing formulas and ranks
# ---------------------------------------------------------------------------------------------------------------------

TRES_HAUTE = "l'expression de ma très haute considération"
EXPRESSION_HAUTE = "l'expression de ma haute considération"
ASSURANCE_HAUTE = "l'assurance de ma haute considération"
ASSURANCE_DISTINGUEE = "l'assurance de ma considération distinguée"
RESPECTUEUSE = "l'expression de ma respectueuse considération"

# formula → (when, source, status): which closing to whom, in the usage of official correspondence. « l'expression »
# is deference, « l'assurance » is between equals or downwards (simonnetavocat.fr, « La correspondance
# administrative »); « très haute » for the head of State, the PM and ministers, « haute » for parliamentarians, maires
# and préfets (modele-lettre.com). The rows for élus and officials derive from that rule (⚠️).
CLOSING_FORMULAS: dict[str, tuple[str, str, str]] = {
    TRES_HAUTE: ("to the PR, the PM, a minister (from a non-member of the Government)", "modele-lettre.com", "✅"),
    EXPRESSION_HAUTE: (
        "citizen → any function holder; sender of lower rank → higher rank; anyone → State representative",
        "modele-lettre.com (citizen → sénateur, député, maire, préfet); « l'expression » upwards (simonnetavocat.fr)",
        "✅ from a citizen, ⚠️ from a lower rank",
    ),
    ASSURANCE_HAUTE: (
        "equal or close rank (élu → élu)",
        "« l'assurance » between equals (simonnetavocat.fr, « La correspondance administrative »)",
        "⚠️",
    ),
    ASSURANCE_DISTINGUEE: (
        "sender of higher rank → lower-rank official, citizen or agent",
        "« considération distinguée » from a superior or the administration (simonnetavocat.fr)",
        "⚠️",
    ),
    RESPECTUEUSE: (
        "to a magistrate (procureur, président de tribunal); « sentiments » avoided (usage: a man does not send "
        "« sentiments » to a woman)",
        "deference to magistrates (simonnetavocat.fr, « La correspondance administrative »)",
        "⚠️",
    ),
}

MONSEIGNEUR_CLOSING = EXPRESSION_HAUTE

HONORIFIC_FORMS: dict[str, HonorificForm] = {
    h.key: h
    for h in (
        HonorificForm(
            "maitre",
            ("maître", "maitre", "me", "me."),
            "Maître,",
            "Maître,",
            "Maître,",
            "Maître",
            "Maître",
            "nom",
            gendered=False,
            source="usage for avocats, notaires, commissaires de justice: « Maître, » / « Maître Claire Durand »",
        ),
        HonorificForm(
            "docteur",
            ("docteur", "dr", "dr."),
            "Docteur,",
            "Docteur,",
            "Docteur,",
            "Docteur",
            "Docteur",
            "nom",
            gendered=False,
            source="usage: « Docteur, » / « Docteur Jeanne Dupont »",
        ),
        HonorificForm(
            "professeur",
            ("professeur", "professeure", "pr", "pr."),
            "Monsieur le Professeur,",
            "Madame la Professeure,",
            "Madame le Professeur,",
            "Professeur",
            "Professeure",
            "grade",
            gendered=True,
            source="usage: « Monsieur le Professeur, » / « Monsieur le Professeur Jean Dupont »; feminine per the "
            "circulaire PM 21/11/2017",
        ),
        HonorificForm(
            "general",
            ("général", "general", "générale", "gal", "gén."),
            *GENERAL_APPEL,
            "Général",
            "Générale",
            "grade",
            gendered=True,
            source=f"{USAGE} (studylibfr, by analogy with « Mon Colonel » / « Colonel »)",
            unconfirmed=GENERAL_NOTE,
            closing=EXPRESSION_HAUTE,
            appel_m_from_woman="Général,",
            appel_f_from_woman="Générale,",
        ),
        HonorificForm(
            "monseigneur",
            ("monseigneur", "mgr", "mgr."),
            "Monseigneur,",
            "Monseigneur,",
            "Monseigneur,",
            "Monseigneur",
            "Monseigneur",
            "nom",
            gendered=False,
            source="usage for bishops: « Monseigneur, » / « Monseigneur Jean Dupont »",
            closing=MONSEIGNEUR_CLOSING,
        ),
        # Cardinals: the stored honorific chooses the appel. « Éminence, » is the customary form; « Monsieur le
        # Cardinal, » the form public authorities use. Both keep the cardinal's title in the address block.
        HonorificForm(
            "eminence",
            ("éminence", "eminence", "son éminence", "son eminence"),
            "Éminence,",
            "Éminence,",
            "Éminence,",
            "Son Éminence le Cardinal",
            "Son Éminence le Cardinal",
            "nom",
            gendered=False,
            source="usage for cardinals: « Éminence, » / « Son Éminence le Cardinal Jean Dupont »",
            closing=MONSEIGNEUR_CLOSING,
        ),
        HonorificForm(
            "cardinal",
            ("cardinal", "card.", "monsieur le cardinal"),
            "Monsieur le Cardinal,",
            "Monsieur le Cardinal,",
            "Monsieur le Cardinal,",
            "Monsieur le Cardinal",
            "Monsieur le Cardinal",
            "nom",
            gendered=False,
            source="usage for cardinals, as public authorities write: « Monsieur le Cardinal, » / « Monsieur le "
            "Cardinal Jean Dupont »",
            closing=MONSEIGNEUR_CLOSING,
        ),
    )
}


# ---------------------------------------------------------------------------------------------------------------------
# Courtesy titles of former office-holders
# ---------------------------------------------------------------------------------------------------------------------

COURTESY_CLOSING = EXPRESSION_HAUTE  # deference to a former high office, whatever the sender (usage ❓)
_FOR_LIFE = "keeping the office's appel for life is usage, not in the sources ❓"


@dataclass(frozen=True)
class CourtesyForm:
    """How the former holder of an office is addressed: the office's appel, kept for life, and a courtesy title.

    ``outranks`` True: the courtesy appel is used even over a lower current function (a former minister who is now
    député is « Monsieur le Ministre, »); False: only when the person holds no function (a préfet honoraire who
    became maire is « Monsieur le Maire, »). ``code`` is the function of the ended mandate.
    """

    code: str
    appel_m: str
    appel_f: str
    appel_trad: str
    title_m: str
    title_f: str
    outranks: bool
    source: str
    unconfirmed: str = _FOR_LIFE


COURTESY_FORMS: dict[str, CourtesyForm] = {
    c.code: c
    for c in (
        CourtesyForm(
            "president_republique",
            "Monsieur le Président,",
            "Madame la Présidente,",
            "Madame le Président,",
            "Ancien Président de la République",
            "Ancienne Présidente de la République",
            outranks=True,
            source=f"{USAGE}: the office's appel, shortened as for the présidents of the assemblies",
        ),
        CourtesyForm(
            "premier_ministre",
            "Monsieur le Premier ministre,",
            "Madame la Première ministre,",
            "Madame le Premier ministre,",
            "Ancien Premier ministre",
            "Ancienne Première ministre",
            outranks=True,
            source=f"{USAGE}: the office's appel",
        ),
        CourtesyForm(
            "ministre",
            "Monsieur le Ministre,",
            "Madame la Ministre,",
            "Madame le Ministre,",
            "Ancien ministre",
            "Ancienne ministre",
            outranks=True,
            source=f"{USAGE}: the office's appel (« ancien ministre »)",
        ),
        CourtesyForm(
            "prefet",
            "Monsieur le Préfet,",
            "Madame la Préfète,",
            "Madame le Préfet,",
            "Préfet honoraire",
            "Préfète honoraire",
            outranks=False,
            source=f"{USAGE}: the office's appel (« préfet honoraire »)",
        ),
        CourtesyForm(
            "prefet_region",
            "Monsieur le Préfet,",
            "Madame la Préfète,",
            "Madame le Préfet,",
            "Préfet honoraire",
            "Préfète honoraire",
            outranks=False,
            source=f"{USAGE}: the office's appel (« préfet honoraire »)",
        ),
        CourtesyForm(
            "ambassadeur",
            "Monsieur l'Ambassadeur,",
            "Madame l'Ambassadrice,",
            "Madame l'Ambassadeur,",
            "Ancien ambassadeur",
            "Ancienne ambassadrice",
            outranks=False,
            source=f"{USAGE}: the office's appel (« ancien ambassadeur »)",
        ),
    )
}


def article(title: str, gender: str | None) -> str:
    if title[:1].lower() in "aeiouyhàâéèêëîïôöûüœ":
        return "l'"
    return "la " if gender == "f" else "le "
