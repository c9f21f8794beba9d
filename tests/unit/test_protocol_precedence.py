"""Order of precedence and speaking order (décret n° 89-655: art. 2, 3, 8–11, 13, 14, 17–19; usage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Ceremony, Distinction, Mandate, Person, Representation, Territory
from chalicelib.domain.protocol.precedence import PREFECTORAL_CORPS, departement_of, precedence, speaking_order

DAY = date(2026, 5, 8)
ROUEN = "76540"
ELBEUF = "76231"
REGIONS = {"76": "28", "27": "28", "14": "28", "59": "32", "75": "11", "2A": "94", "971": "01"}


def region_of(departement: str) -> str | None:
    return REGIONS.get(departement)


def m(
    function: str,
    kind: str | None = None,
    code: str | None = None,
    *,
    start: date = date(2020, 7, 3),
    end: date | None = None,
    first: date | None = None,
    free_title: str | None = None,
) -> Mandate:
    territory = Territory(kind, code) if kind and code else None
    return Mandate(function, territory, start=start, end=end, first_elected_on=first, title=free_title)


def p(
    contact_id: str,
    *mandates: Mandate,
    civ: str = "M",
    born: date | None = None,
    form: str | None = None,
    distinctions: tuple[Distinction, ...] = (),
) -> Person:
    return Person(
        contact_id,
        civility=civ,
        first_name=contact_id.capitalize(),
        last_name="Martin",
        birth_date=born,
        address_form=form,
        mandates=mandates,
        distinctions=distinctions,
    )


def ceremony(
    departement: str = "76",
    commune: str | None = ROUEN,
    arrondissement: str | None = "763",
    inviting: str | None = None,
    prescribed: bool = False,
) -> Ceremony:
    return Ceremony(departement, DAY, commune, arrondissement, inviting, prescribed)


PREFETE = p("prefete", m("prefet", "departement", "76"), civ="Mme")
PREFET_REGION_CALVADOS = p("prefetregion", m("prefet_region", "region", "28"), m("prefet", "departement", "14"))
SOUS_PREFET_ROUEN = p("sousprefet", m("sous_prefet", "arrondissement", "763"))
SOUS_PREFET_DIEPPE = p("sousprefetdieppe", m("sous_prefet", "arrondissement", "761"))
DEPUTE_MAIRE = p(
    "deputemaire",
    m("depute", "circonscription", "7601", start=date(2022, 6, 19), first=date(2012, 6, 17)),
    m("maire", "commune", ROUEN, first=date(2014, 3, 30)),
)
DEPUTE_2017 = p("depute2017", m("depute", "circonscription", "7603", first=date(2017, 6, 18)), born=date(1960, 1, 1))
DEPUTE_2012_INTERRUPTED = p(
    "depute2012", m("depute", "circonscription", "7604", start=date(2024, 7, 7), first=date(2012, 6, 17))
)
DEPUTE_2017_ELDER = p(
    "depute2017elder", m("depute", "circonscription", "7605", first=date(2017, 6, 18)), born=date(1950, 1, 1)
)
DEPUTE_START_ONLY = p("deputestart", m("depute", "circonscription", "7606", start=date(2002, 6, 16)))
DEPUTE_NORD = p("deputenord", m("depute", "circonscription", "5901", first=date(2007, 6, 17)))
SENATEUR = p("senateur", m("senateur", "departement", "76", first=date(2014, 9, 28)))
MAIRE_ROUEN = p("maire", m("maire", "commune", ROUEN), civ="Mme")
MAIRE_ELBEUF = p("maireelbeuf", m("maire", "commune", ELBEUF))
ADJOINT = p("adjoint", m("adjoint_maire", "commune", ROUEN))
CONSEILLER_MUNICIPAL = p("conseiller", m("conseiller_municipal", "commune", ROUEN), civ="Mme")
PRESIDENT_CD = p("presidentcd", m("president_conseil_departemental", "departement", "76"), civ="Mme")
VP_CD = p("vpcd", m("vice_president_conseil_departemental", "departement", "76"))
CONSEILLER_DEP = p("conseillerdep", m("conseiller_departemental", "canton", "7610"))
PRESIDENT_CR = p("presidentcr", m("president_conseil_regional", "region", "28"))
PRESIDENT_EPCI = p("presidentepci", m("president_epci", "epci", "200023414"))
GENERAL_REGION = p("general", m("general_commandant_region"))
MINISTRE = p("ministre", m("ministre", "nation", "FR"), civ="Mme")
PRESIDENT = p("president", m("president_republique", "nation", "FR"))
AMBASSADRICE = p("ambassadrice", m("ambassadeur"), civ="Mme")
EX_MAIRE = p("exmaire", m("maire", "commune", ROUEN, start=date(2014, 3, 30), end=date(2020, 7, 3)))
FUTURE_MAIRE = p("futuremaire", m("maire", "commune", ROUEN, start=date(2026, 6, 1)))
NOBODY_C = p("charlie")
NOBODY_A = p("alice", civ="Mme")
NOBODY_B = p("bob", m("autre", free_title="Président du comité des fêtes"))
CONSEILLER_COMMUNAUTAIRE = p("concom", m("conseiller_communautaire", "epci", "200023414"))
# The corps préfectoral (usage on art. 13, protocole.info), other article 3 categories, dignitaries (art. 3, 11°).
SECRETAIRE_GENERAL = p("sg", m("secretaire_general_prefecture", "departement", "76"), civ="Mme")
DIRECTEUR_CABINET = p("dircab", m("directeur_cabinet_prefet", "departement", "76"))
PREFET_REGION = p("prefetregion28", m("prefet_region", "region", "28"))
SGAR = p("sgar", m("sgar", "region", "28"))
LH_GRAND_OFFICIER = Distinction("legion_honneur", "grand_officier")
LH_GRAND_CROIX = Distinction("legion_honneur", "grand_croix")
LH_COMMANDEUR = Distinction("legion_honneur", "commandeur")
COMPAGNON = Distinction("liberation", "compagnon")
ONM_GRAND_CROIX = Distinction("ordre_national_merite", "grand_croix")
DIGNITARY_CONSEILLER = p(
    "dignitaire", m("conseiller_municipal", "commune", ROUEN), distinctions=(LH_GRAND_OFFICIER, LH_COMMANDEUR)
)
STRASBOURG = "67482"
EVEQUE = p("eveque", m("eveque_concordataire"))


@dataclass
class Case:
    people: list[Person]
    expected: list[tuple[str, float | None, str | None]]  # (contact_id, category_rank, function), in order
    ceremony: Ceremony = field(default_factory=ceremony)
    representations: list[Representation] = field(default_factory=list)
    represented: dict[str, Person] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # contact_id → fragment of its reason
    region_of: object = region_of
    epci_of: object = None


CASES = [
    pytest.param(
        Case(
            [CONSEILLER_DEP, DEPUTE_MAIRE, PREFETE],
            [("prefete", 1, "prefet"), ("deputemaire", 2, "depute"), ("conseillerdep", 15, "conseiller_departemental")],
            reasons={"deputemaire": "le mandat national prévaut sur le mandat local", "prefete": "Article 3, 1°"},
        ),
        id="art3-2-depute-maire-in-own-commune-ranks-as-depute",
    ),
    pytest.param(
        Case(
            [MAIRE_ELBEUF, DEPUTE_MAIRE, PREFETE],
            [("prefete", 1, "prefet"), ("deputemaire", 2, "depute"), ("maireelbeuf", 7, "maire")],
            ceremony=ceremony(commune=ELBEUF),
            reasons={"deputemaire": "maire d'une autre commune", "maireelbeuf": "Article 3, 7°"},
        ),
        id="art3-7-depute-maire-in-another-commune",
    ),
    pytest.param(
        Case(
            [CONSEILLER_MUNICIPAL, MAIRE_ELBEUF],
            [("conseiller", 26, "conseiller_municipal"), ("maireelbeuf", None, None)],
            reasons={"maireelbeuf": "rang seulement dans sa commune"},
        ),
        id="art3-7-maire-outside-own-commune-has-no-rank",
    ),
    pytest.param(
        Case(
            [DEPUTE_NORD, SENATEUR],
            [("senateur", 3, "senateur"), ("deputenord", None, None)],
            reasons={"deputenord": "d'un autre département"},
        ),
        id="art3-2-depute-outside-own-departement",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, DEPUTE_2012_INTERRUPTED, DEPUTE_START_ONLY],
            [("deputestart", 2, "depute"), ("depute2012", 2, "depute"), ("depute2017", 2, "depute")],
            reasons={"depute2012": "première élection le 17/06/2012", "deputestart": "début du mandat le 16/06/2002"},
        ),
        id="art3-2-deputes-tie-first-election-ignoring-interruptions",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, DEPUTE_2017_ELDER],
            [("depute2017elder", 2, "depute"), ("depute2017", 2, "depute")],
            reasons={"depute2017": "non confirmé"},
        ),
        id="art3-2-deputes-tie-same-election-then-age-elder-first",
    ),
    pytest.param(
        Case(
            [CONSEILLER_DEP, ADJOINT, DEPUTE_2017],
            [
                ("depute2017", 2, "depute"),
                ("adjoint", 7, "adjoint_maire"),
                ("conseillerdep", 15, "conseiller_departemental"),
            ],
            representations=[Representation("adjoint", "maire", "adjoint")],
            represented={"maire": MAIRE_ROUEN},
            reasons={"adjoint": "Article 14 : adjoint représentant le maire"},
        ),
        id="art14-adjoint-representing-maire-takes-maire-rank",
    ),
    pytest.param(
        Case(
            [CONSEILLER_MUNICIPAL, CONSEILLER_DEP],
            [("conseillerdep", 15, "conseiller_departemental"), ("conseiller", 26, "conseiller_municipal")],
            representations=[Representation("conseiller", "maire", "other")],
            represented={"maire": MAIRE_ROUEN},
            reasons={"conseiller": "Article 13 : les rangs et préséances ne se délèguent pas"},
        ),
        id="art13-conseiller-representing-maire-keeps-own-rank",
    ),
    pytest.param(
        Case(
            [CONSEILLER_MUNICIPAL, CONSEILLER_DEP],
            [("conseillerdep", 15, "conseiller_departemental"), ("conseiller", 26, "conseiller_municipal")],
            representations=[Representation("conseiller", "maire", "adjoint")],
            represented={"maire": MAIRE_ROUEN},
            reasons={"conseiller": "l'exception de l'article 14 ne s'applique pas"},
        ),
        id="art13-capacity-adjoint-without-adjoint-mandate-keeps-own-rank",
    ),
    pytest.param(
        Case(
            [ADJOINT, MAIRE_ROUEN],
            [("maire", 7, "maire"), ("adjoint", 26, "adjoint_maire")],
            representations=[Representation("adjoint", "maire", "adjoint")],
            represented={"maire": MAIRE_ROUEN},
            reasons={"adjoint": "la personne représentée est présente"},
        ),
        id="art13-represented-person-present-no-effect",
    ),
    pytest.param(
        Case(
            [MAIRE_ROUEN, VP_CD, CONSEILLER_DEP],
            [
                ("vpcd", 6, "vice_president_conseil_departemental"),
                ("maire", 7, "maire"),
                ("conseillerdep", 15, "conseiller_departemental"),
            ],
            representations=[Representation("vpcd", "presidentcd", "vice_president")],
            represented={"presidentcd": PRESIDENT_CD},
            reasons={"vpcd": "Article 14 : vice-président représentant le président"},
        ),
        id="art14-vice-president-representing-president-conseil-departemental",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, SOUS_PREFET_ROUEN],
            [("sousprefet", 1, "sous_prefet"), ("depute2017", 2, "depute")],
            reasons={"sousprefet": "Article 11"},
        ),
        id="art11-sous-prefet-own-arrondissement-without-prefet",
    ),
    pytest.param(
        Case(
            [SOUS_PREFET_ROUEN, DEPUTE_2017, PREFETE],
            [("prefete", 1, "prefet"), ("depute2017", 2, "depute"), ("sousprefet", 20, "sous_prefet")],
            reasons={"sousprefet": "Article 3, 20°"},
        ),
        id="art3-20-sous-prefet-with-prefet",
    ),
    pytest.param(
        Case(
            [SOUS_PREFET_ROUEN, MINISTRE, DEPUTE_2017],
            [("ministre", 0.6, "ministre"), ("depute2017", 2, "depute"), ("sousprefet", 20, "sous_prefet")],
        ),
        id="art11-sous-prefet-no-prefet-rank-when-minister-attends",
    ),
    pytest.param(
        Case(
            [SOUS_PREFET_DIEPPE, DEPUTE_2017],
            [("depute2017", 2, "depute"), ("sousprefetdieppe", None, None)],
            reasons={"sousprefetdieppe": "hors de son arrondissement"},
        ),
        id="art3-20-sous-prefet-outside-own-arrondissement",
    ),
    pytest.param(
        Case(
            [SENATEUR, DEPUTE_2017, PRESIDENT_CD, PREFETE],
            [
                ("prefete", 1, "prefet"),
                ("presidentcd", 6, "president_conseil_departemental"),
                ("depute2017", 2, "depute"),
                ("senateur", 3, "senateur"),
            ],
            ceremony=ceremony(inviting="presidentcd"),
            reasons={"presidentcd": "Article 9 : autorité invitante"},
        ),
        id="art9-inviting-authority-second-after-prefet",
    ),
    pytest.param(
        Case(
            [SENATEUR, DEPUTE_2017, PRESIDENT_CD, PREFETE],
            [
                ("prefete", 1, "prefet"),
                ("depute2017", 2, "depute"),
                ("senateur", 3, "senateur"),
                ("presidentcd", 6, "president_conseil_departemental"),
            ],
            ceremony=ceremony(inviting="presidentcd", prescribed=True),
            reasons={"presidentcd": "cérémonie prescrite par le Gouvernement"},
        ),
        id="art9-not-applied-when-prescribed-by-government",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, MAIRE_ROUEN],
            [("maire", 7, "maire"), ("depute2017", 2, "depute")],
            ceremony=ceremony(inviting="maire"),
            reasons={"maire": "en l'absence du représentant de l'État"},
        ),
        id="art9-inviting-maire-first-without-state-representative",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, ADJOINT, PREFETE],
            [("prefete", 1, "prefet"), ("adjoint", 7, "adjoint_maire"), ("depute2017", 2, "depute")],
            ceremony=ceremony(inviting="maire"),
            representations=[Representation("adjoint", "maire", "adjoint")],
            represented={"maire": MAIRE_ROUEN},
            reasons={"adjoint": "Article 9 : autorité invitante (représentée, article 14)"},
        ),
        id="art9-art14-adjoint-representing-inviting-maire-second",
    ),
    pytest.param(
        Case(
            [AMBASSADRICE, DEPUTE_2017, MAIRE_ROUEN, PREFETE],
            [
                ("prefete", 1, "prefet"),
                ("maire", 7, "maire"),
                ("ambassadrice", 1.5, "ambassadeur"),
                ("depute2017", 2, "depute"),
            ],
            ceremony=ceremony(inviting="maire"),
        ),
        id="art9-art17-inviting-authority-before-ambassador",
    ),
    pytest.param(
        Case(
            [FUTURE_MAIRE, EX_MAIRE, MAIRE_ROUEN],
            [("maire", 7, "maire"), ("futuremaire", None, None), ("exmaire", None, None)],
            reasons={"exmaire": "terminé le 03/07/2020", "futuremaire": "pas encore commencé"},
        ),
        id="art3-7-ended-and-future-mandates-ignored-on-ceremony-date",
    ),
    pytest.param(
        Case(
            [
                p("maireparis", m("maire", "commune", "75056"), civ="Mme"),
                p("deputeparis", m("depute", "circonscription", "7501")),
                p("prefetidf", m("prefet_region", "region", "11"), m("prefet", "departement", "75")),
                p("presidentidf", m("president_conseil_regional", "region", "11"), civ="Mme"),
            ],
            [
                ("prefetidf", 4.5, "prefet"),
                ("deputeparis", 12, "depute"),
                ("maireparis", 22, "maire"),
                ("presidentidf", 23, "president_conseil_regional"),
            ],
            ceremony=ceremony(departement="75", commune="75056", arrondissement=None),
            reasons={"prefetidf": "Article 10", "deputeparis": "Article 2, 12°", "maireparis": "Article 2, 22°"},
        ),
        id="art2-art10-paris-uses-article-2",
    ),
    pytest.param(
        Case(
            [
                p("ministreparis", m("ministre", "nation", "FR")),
                p("prefetidf", m("prefet", "departement", "75")),
                p("deputeparis", m("depute", "circonscription", "7501")),
            ],
            [("ministreparis", 6, "ministre"), ("deputeparis", 12, "depute"), ("prefetidf", 20, "prefet")],
            ceremony=ceremony(departement="75", commune="75056", arrondissement=None),
        ),
        id="art2-20-paris-prefet-after-deputes-when-government-attends",
    ),
    pytest.param(
        Case(
            [NOBODY_C, NOBODY_A, MAIRE_ROUEN, NOBODY_B, CONSEILLER_COMMUNAUTAIRE],
            [
                ("maire", 7, "maire"),
                ("charlie", None, None),
                ("alice", None, None),
                ("bob", None, None),
                ("concom", None, None),
            ],
            reasons={"bob": "Président du comité des fêtes", "alice": "article 18", "concom": "fonction sans rang"},
        ),
        id="art18-people-without-listed-function-keep-given-order-at-the-end",
    ),
    pytest.param(
        Case(
            [GENERAL_REGION, PRESIDENT_EPCI, MAIRE_ROUEN],
            [
                ("maire", 7, "maire"),
                ("presidentepci", 7.5, "president_epci"),
                ("general", 8, "general_commandant_region"),
            ],
            reasons={"presidentepci": "Usage (ministère de l'Intérieur)"},
        ),
        id="usage-epci-president-right-after-maire",
    ),
    pytest.param(
        Case(
            [PRESIDENT_EPCI, MAIRE_ROUEN],
            [("maire", 7, "maire"), ("presidentepci", None, None)],
            epci_of=lambda commune: "247600000",
            reasons={"presidentepci": "n'est pas membre"},
        ),
        id="usage-epci-president-of-another-epci-has-no-rank",
    ),
    pytest.param(
        Case(
            [MAIRE_ROUEN, PRESIDENT_CR],
            [("presidentcr", 5, "president_conseil_regional"), ("maire", 7, "maire")],
        ),
        id="art3-5-president-conseil-regional-in-own-region",
    ),
    pytest.param(
        Case(
            [MAIRE_ROUEN, PRESIDENT_CR],
            [("maire", 7, "maire"), ("presidentcr", None, None)],
            region_of=lambda departement: None,
            reasons={"presidentcr": "inconnue"},
        ),
        id="art3-5-region-unknown-not-relevant",
    ),
    pytest.param(
        Case(
            [MAIRE_ROUEN, PRESIDENT_CR],
            [("maire", 7, "maire"), ("presidentcr", None, None)],
            region_of=lambda departement: "32",
            reasons={"presidentcr": "d'une autre région"},
        ),
        id="art3-5-president-conseil-regional-of-another-region",
    ),
    pytest.param(
        Case(
            [PREFETE, PREFET_REGION_CALVADOS],
            [("prefete", 1, "prefet"), ("prefetregion", 1, "prefet_region")],
        ),
        id="art15-prefet-region-outside-chef-lieu-after-departement-prefet",
    ),
    pytest.param(
        Case(
            [PREFETE, MINISTRE, PRESIDENT],
            [("president", 0.1, "president_republique"), ("ministre", 0.6, "ministre"), ("prefete", 1, "prefet")],
            reasons={"president": "Article 8"},
        ),
        id="art8-art15-president-and-minister-before-prefet",
    ),
    pytest.param(
        Case(
            [
                p("senateurcorse", m("senateur", "departement", "2A")),
                p("deputecorse", m("depute", "circonscription", "2A01")),
            ],
            [("deputecorse", 2, "depute"), ("senateurcorse", 3, "senateur")],
            ceremony=ceremony(departement="2A", commune="2A004", arrondissement=None),
        ),
        id="art3-2-circonscription-code-corse-2A01",
    ),
    pytest.param(
        Case(
            [p("deputeguadeloupe", m("depute", "circonscription", "97101"))],
            [("deputeguadeloupe", 2, "depute")],
            ceremony=ceremony(departement="971", commune="97105", arrondissement=None),
        ),
        id="art3-2-circonscription-code-outre-mer-97101",
    ),
]


STATE_REPRESENTATION_CASES = [
    pytest.param(
        Case(
            [DEPUTE_2017, MAIRE_ROUEN, SOUS_PREFET_DIEPPE],
            [("sousprefetdieppe", 1, "sous_prefet"), ("maire", 7, "maire"), ("depute2017", 2, "depute")],
            ceremony=ceremony(inviting="maire"),
            representations=[Representation("sousprefetdieppe", "prefete", "other")],
            represented={"prefete": PREFETE},
            reasons={
                "sousprefetdieppe": "membre du corps préfectoral représentant le préfet",
                "maire": "Article 9 : autorité invitante, cérémonie non prescrite par le Gouvernement, deuxième rang",
            },
        ),
        id="art13-usage-art9-sous-prefet-representing-prefet-first-inviting-maire-second",
    ),
    pytest.param(
        Case(
            [MAIRE_ROUEN, DEPUTE_2017, SECRETAIRE_GENERAL],
            [("sg", 1, "secretaire_general_prefecture"), ("maire", 7, "maire"), ("depute2017", 2, "depute")],
            ceremony=ceremony(inviting="maire"),
            representations=[Representation("sg", "prefete", "other")],
            represented={"prefete": PREFETE},
            reasons={"sg": "usage établi sur l'art. 13"},
        ),
        id="art13-usage-art9-secretaire-general-representing-prefet",
    ),
    pytest.param(
        Case(
            [DEPUTE_2017, DIRECTEUR_CABINET],
            [("dircab", 1, "directeur_cabinet_prefet"), ("depute2017", 2, "depute")],
            representations=[Representation("dircab", "prefete", "adjoint")],
            represented={"prefete": PREFETE},
        ),
        id="art13-usage-directeur-cabinet-the-rule-follows-the-function-not-the-capacity",
    ),
    pytest.param(
        Case(
            [PRESIDENT_CR, SGAR],
            [("sgar", 1, "sgar"), ("presidentcr", 5, "president_conseil_regional")],
            representations=[Representation("sgar", "prefetregion28", "other")],
            represented={"prefetregion28": PREFET_REGION},
        ),
        id="art13-usage-art15-sgar-representing-prefet-de-region",
    ),
    pytest.param(
        Case(
            [SOUS_PREFET_ROUEN, DEPUTE_2017, SECRETAIRE_GENERAL],
            [
                ("sg", 1, "secretaire_general_prefecture"),
                ("depute2017", 2, "depute"),
                ("sousprefet", 20, "sous_prefet"),
            ],
            representations=[Representation("sg", "prefete", "other")],
            represented={"prefete": PREFETE},
            reasons={"sousprefet": "Article 3, 20°"},
        ),
        id="art11-art13-usage-represented-prefet-is-not-absent-sous-prefet-keeps-own-rank",
    ),
    pytest.param(
        Case(
            [CONSEILLER_MUNICIPAL, MAIRE_ROUEN],
            [("maire", 7, "maire"), ("conseiller", 26, "conseiller_municipal")],
            ceremony=ceremony(inviting="maire"),
            representations=[Representation("conseiller", "prefete", "other")],
            represented={"prefete": PREFETE},
            reasons={"conseiller": "Article 13 : les rangs et préséances ne se délèguent pas"},
        ),
        id="art13-outside-the-corps-prefectoral-the-representative-keeps-own-rank",
    ),
    pytest.param(
        Case(
            [SECRETAIRE_GENERAL, DEPUTE_2017],
            [("depute2017", 2, "depute"), ("sg", 20, "secretaire_general_prefecture")],
            representations=[Representation("sg", "prefetnord", "other")],
            represented={"prefetnord": p("prefetnord", m("prefet", "departement", "59"))},
            reasons={"sg": "Article 13 : les rangs et préséances ne se délèguent pas"},
        ),
        id="art13-usage-not-for-a-prefet-without-rank-at-the-ceremony",
    ),
]

DISTINCTION_CASES = [
    pytest.param(
        Case(
            [CONSEILLER_MUNICIPAL, DIGNITARY_CONSEILLER, CONSEILLER_DEP],
            [
                ("dignitaire", 11, None),
                ("conseillerdep", 15, "conseiller_departemental"),
                ("conseiller", 26, "conseiller_municipal"),
            ],
            reasons={"dignitaire": "Article 3, 11° : les dignitaires de la Légion d'honneur"},
        ),
        id="art3-11-dignitary-ranks-before-the-conseillers-municipaux",
    ),
    pytest.param(
        Case(
            [p("mairedignitaire", m("maire", "commune", ROUEN), distinctions=(LH_GRAND_CROIX,)), DEPUTE_2017],
            [("depute2017", 2, "depute"), ("mairedignitaire", 7, "maire")],
            reasons={"mairedignitaire": "grand'croix de la Légion d'honneur : rang de fonction plus élevé retenu"},
        ),
        id="art3-7-art3-11-a-maire-who-is-a-dignitary-keeps-the-maire-rank",
    ),
    pytest.param(
        Case(
            [p("commandeur", distinctions=(LH_COMMANDEUR,)), CONSEILLER_MUNICIPAL],
            [("conseiller", 26, "conseiller_municipal"), ("commandeur", None, None)],
            reasons={"commandeur": "commandeur de la Légion d'honneur : grade et non dignité"},
        ),
        id="art3-11-code-legion-honneur-R6-a-commandeur-is-not-a-dignitary",
    ),
    pytest.param(
        Case(
            [
                p("onm", distinctions=(ONM_GRAND_CROIX,)),
                p("compagnon", distinctions=(COMPAGNON,)),
                p("lhgo", distinctions=(LH_GRAND_OFFICIER,)),
                p("lhgc", distinctions=(LH_GRAND_CROIX,)),
            ],
            [("lhgc", 11, None), ("lhgo", 11, None), ("compagnon", 11, None), ("onm", 11, None)],
        ),
        id="art3-11-legion-honneur-then-compagnons-then-merite-higher-dignity-first",
    ),
    pytest.param(
        Case(
            [
                p("lhgoparis", distinctions=(LH_GRAND_OFFICIER,)),
                p("deputeparis", m("depute", "circonscription", "7501")),
            ],
            [("deputeparis", 12, "depute"), ("lhgoparis", None, None)],
            ceremony=ceremony(departement="75", commune="75056", arrondissement=None),
            reasons={"lhgoparis": "pas de rang à Paris (article 2)"},
        ),
        id="art2-no-category-for-dignitaries-in-paris",
    ),
]

CATALOGUE_CASES = [
    pytest.param(
        Case(
            [EVEQUE, p("cdbasrhin", m("conseiller_departemental", "canton", "6701"))],
            [("cdbasrhin", 15, "conseiller_departemental"), ("eveque", 18, "eveque_concordataire")],
            ceremony=ceremony(departement="67", commune=STRASBOURG, arrondissement=None),
        ),
        id="art3-18-alsace-moselle-eveque",
    ),
    pytest.param(
        Case(
            [EVEQUE, CONSEILLER_MUNICIPAL],
            [("conseiller", 26, "conseiller_municipal"), ("eveque", None, None)],
            reasons={"eveque": "rang seulement dans les départements 57, 67, 68 (Article 3, 18°)"},
        ),
        id="art3-18-no-rank-outside-alsace-moselle",
    ),
    pytest.param(
        Case(
            [SECRETAIRE_GENERAL, DIRECTEUR_CABINET, SOUS_PREFET_ROUEN, PREFETE],
            [
                ("prefete", 1, "prefet"),
                ("sousprefet", 20, "sous_prefet"),
                ("sg", 20, "secretaire_general_prefecture"),
                ("dircab", 20, "directeur_cabinet_prefet"),
            ],
        ),
        id="art3-20-sous-prefet-then-secretaire-general-then-directeur-de-cabinet",
    ),
    pytest.param(
        Case(
            [
                p("chefddtm", m("chef_service_deconcentre", "departement", "76")),
                p("chefddteure", m("chef_service_deconcentre", "departement", "27")),
                p("chefdreal", m("chef_service_deconcentre", "region", "28")),
                p("gendarme", m("commandant_groupement_gendarmerie", "departement", "76")),
            ],
            [
                ("chefddtm", 22, "chef_service_deconcentre"),
                ("chefdreal", 22, "chef_service_deconcentre"),
                ("gendarme", 22, "commandant_groupement_gendarmerie"),
                ("chefddteure", None, None),
            ],
            reasons={"chefddteure": "d'un autre département"},
        ),
        id="art3-22-services-of-the-region-and-of-the-departement",
    ),
    pytest.param(
        Case(
            [
                p("crc", m("president_chambre_regionale_comptes", "region", "28")),
                p("procureur", m("procureur", "departement", "76")),
                p("ceser", m("president_ceser", "region", "28")),
                p("amiral", m("commandant_arrondissement_maritime")),
            ],
            [
                ("amiral", 10, "commandant_arrondissement_maritime"),
                ("ceser", 12, "president_ceser"),
                ("procureur", 13, "procureur"),
                ("crc", 13, "president_chambre_regionale_comptes"),
            ],
        ),
        id="art3-10-art3-12-art3-13-amiral-ceser-and-chambre-regionale-des-comptes-last-of-13",
    ),
    pytest.param(
        Case(
            [p("amiralantilles", m("commandant_superieur_forces_armees")), DEPUTE_2017],
            [("depute2017", 2, "depute"), ("amiralantilles", None, None)],
            reasons={"amiralantilles": "rang seulement dans les départements 971"},
        ),
        id="art3-10-commandement-superieur-only-outre-mer",
    ),
]


@pytest.mark.parametrize("case", CASES + STATE_REPRESENTATION_CASES + DISTINCTION_CASES + CATALOGUE_CASES)
def test_precedence(case: Case) -> None:
    order = precedence(
        case.people,
        case.ceremony,
        case.representations,
        case.region_of,  # type: ignore[arg-type]
        represented=case.represented,
        epci_of=case.epci_of,  # type: ignore[arg-type]
    )
    assert [(o.contact_id, o.category_rank, o.function) for o in order] == case.expected
    assert [o.rank for o in order] == list(range(1, len(order) + 1))
    by_id = {o.contact_id: o for o in order}
    for contact_id, fragment in case.reasons.items():
        assert fragment in by_id[contact_id].reason, by_id[contact_id].reason


@pytest.mark.parametrize(
    ("person", "representations", "represented", "expected"),
    [
        pytest.param(PREFETE, [], {}, "Madame la Préfète", id="s3.2-prefete"),
        pytest.param(DEPUTE_2017, [], {}, "Monsieur le Député", id="s3.3-depute"),
        pytest.param(
            p("mairetrad", m("maire", "commune", ROUEN), civ="Mme", form="traditional"),
            [],
            {},
            "Madame le Maire",
            id="s3.2-traditional-override",
        ),
        pytest.param(
            ADJOINT,
            [Representation("adjoint", "maire", "adjoint")],
            {"maire": MAIRE_ROUEN},
            "Monsieur l'Adjoint au maire, représentant Madame la Maire",
            id="art14-representative-title",
        ),
        pytest.param(
            SOUS_PREFET_DIEPPE,
            [Representation("sousprefetdieppe", "prefete", "other")],
            {"prefete": PREFETE},
            "Monsieur le Sous-Préfet, représentant Madame la Préfète",
            id="art13-usage-sous-prefet-outside-his-arrondissement-announced-with-his-function",
        ),
        pytest.param(
            DIGNITARY_CONSEILLER,
            [],
            {},
            "Monsieur Dignitaire Martin, Grand officier de la Légion d'honneur",
            id="art3-11-dignitary-announced-by-name-and-dignity",
        ),
        pytest.param(NOBODY_A, [], {}, "Madame Alice Martin", id="art18-name-without-function"),
        pytest.param(NOBODY_B, [], {}, "Monsieur Bob Martin, Président du comité des fêtes", id="art18-free-title"),
    ],
)
def test_announced_title(
    person: Person, representations: list[Representation], represented: dict[str, Person], expected: str
) -> None:
    [placed] = precedence([person], ceremony(), representations, region_of, represented=represented)
    assert placed.title == expected


def test_title_with_territory_label_gives_the_prefete_of_her_departement() -> None:
    labels = {"76": "de la Seine-Maritime"}
    [placed] = precedence([PREFETE], ceremony(), [], region_of, territory_label=lambda t: labels.get(t.code))
    assert placed.title == "Madame la Préfète de la Seine-Maritime"


def test_contact_listed_twice_is_placed_once() -> None:
    order = precedence([MAIRE_ROUEN, MAIRE_ROUEN], ceremony(), [], region_of)
    assert [o.contact_id for o in order] == ["maire"]


SPEECH_PEOPLE = [CONSEILLER_DEP, DEPUTE_2017, MAIRE_ROUEN, PREFETE]


@pytest.mark.parametrize(
    ("welcome", "expected"),
    [
        pytest.param(
            None, ["conseillerdep", "depute2017", "maire", "prefete"], id="art19-reverse-precedence-prefet-last"
        ),
        pytest.param(
            "maire", ["maire", "conseillerdep", "depute2017", "prefete"], id="art19-usage-welcome-speaker-first"
        ),
    ],
)
def test_speaking_order(welcome: str | None, expected: list[str]) -> None:
    order = speaking_order(SPEECH_PEOPLE, ceremony(inviting="maire"), [], welcome, region_of)
    assert [o.contact_id for o in order] == expected
    assert [o.rank for o in order] == [1, 2, 3, 4]
    assert order[-1].reason.startswith("Article 19")
    if welcome:
        assert order[0].reason.startswith("Usage : mot d'accueil")


def test_speaking_order_without_welcome_puts_inviting_maire_second_to_last() -> None:
    order = speaking_order(SPEECH_PEOPLE, ceremony(inviting="maire"), [], None, region_of)
    assert [o.contact_id for o in order][-2:] == ["maire", "prefete"]


def test_speaking_order_unknown_welcome_speaker_is_an_error() -> None:
    with pytest.raises(ValueError, match="welcome_contact_id"):
        speaking_order(SPEECH_PEOPLE, ceremony(), [], "ghost", region_of)


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        pytest.param(Territory("circonscription", "7601"), "76", id="circonscription-7601"),
        pytest.param(Territory("circonscription", "2A01"), "2A", id="circonscription-corse-2A01"),
        pytest.param(Territory("circonscription", "97101"), "971", id="circonscription-outre-mer-97101"),
        pytest.param(Territory("commune", "2B033"), "2B", id="commune-corse"),
        pytest.param(Territory("arrondissement", "763"), "76", id="arrondissement"),
        pytest.param(Territory("departement", "2a"), "2A", id="departement-normalised"),
        pytest.param(Territory("region", "28"), None, id="region-has-no-departement"),
        pytest.param(None, None, id="no-territory"),
    ],
)
def test_departement_of(territory: Territory | None, expected: str | None) -> None:
    assert departement_of(territory) == expected


def test_speaking_order_the_prefet_representative_speaks_last_after_the_inviting_maire() -> None:
    order = speaking_order(
        [MAIRE_ROUEN, SECRETAIRE_GENERAL, DEPUTE_2017],
        ceremony(inviting="maire"),
        [Representation("sg", "prefete", "other")],
        None,
        region_of,
        represented={"prefete": PREFETE},
    )
    assert [o.contact_id for o in order] == ["depute2017", "maire", "sg"]  # art. 19: reverse precedence


@pytest.mark.parametrize("code", PREFECTORAL_CORPS)
def test_the_corps_prefectoral_is_catalogued(code: str) -> None:
    assert code in FUNCTIONS
