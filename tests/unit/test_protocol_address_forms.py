"""Forms of address: appel, closing, address block, envelope.

Case ids name the source (address_forms_data.py cites each): "rules" (rules of official correspondence: the title
without the name, never « M. » / « Mme », the closing repeats the appel), "closing" (which closing to whom),
"feminisation" (circulaire du Premier ministre du 21 novembre 2017; « Madame le Maire » on request, Académie
française 2019), "usage" (the forms of modele-lettre.com and studylibfr, or French usage where they give none:
unconfirmed data), "art3" (décret n° 89-655, art. 3 ranks).
"""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.protocol.address_forms import (
    ASSURANCE_DISTINGUEE,
    ASSURANCE_HAUTE,
    COURTESY_FORMS,
    DEFAULT_RANKS,
    ENVELOPE_LINE_LENGTH,
    EXPRESSION_HAUTE,
    FUNCTION_FORMS,
    HONORIFIC_FORMS,
    RESPECTUEUSE,
    TRES_HAUTE,
    SenderRank,
    address_forms,
    closing_formula,
    former_office,
    highest_function,
    sender_relation,
)
from chalicelib.domain.protocol.address_forms_data import USAGE
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Mandate, Person, Territory
from tests.support.protocol import REQUIRED_CODES

ON = date(2026, 12, 1)

SEINE_MARITIME = Territory("departement", "76", "Seine-Maritime")
CIRCO_7601 = Territory("circonscription", "7601", "1re circonscription de la Seine-Maritime")
ROUEN = Territory("commune", "76540", "Rouen")
DIEPPE_ARR = Territory("arrondissement", "762", "Dieppe")
NORMANDIE = Territory("region", "28", "Normandie")
METROPOLE = Territory("epci", "200023414", "Métropole Rouen Normandie")

_NAMES = {
    "76": "de la Seine-Maritime",
    "7601": "de la Seine-Maritime",
    "76540": "de Rouen",
    "762": "de Dieppe",
    "28": "de Normandie",
    "200023414": "de la Métropole Rouen Normandie",
}


def names(territory: Territory) -> str | None:
    """Stands in for geography.py: the name with its article."""
    return _NAMES.get(territory.code)


def person(
    civility: str | None,
    first: str | None,
    last: str | None,
    *mandates: Mandate,
    honorific: str | None = None,
    address_form: str | None = None,
) -> Person:
    return Person(
        contact_id="c1",
        civility=civility,
        first_name=first,
        last_name=last,
        honorific=honorific,
        address_form=address_form,
        mandates=tuple(mandates),
    )


def m(function: str, territory: Territory | None = None, **kw) -> Mandate:
    return Mandate(function=function, territory=territory, **kw)


PREFETE = person("Mme", "Hélène", "Lefèvre-Dubois", m("prefet", SEINE_MARITIME))
PREFET = person("M", "Jean", "Martin", m("prefet", SEINE_MARITIME))
MAIRE_F = person("Mme", "Jeanne", "Dupont", m("maire", ROUEN))
MAIRE_F_TRAD = person("Mme", "Jeanne", "Dupont", m("maire", ROUEN), address_form="traditional")
DEPUTE = person("M", "Jean", "Martin", m("depute", CIRCO_7601))
SENATRICE = person("Mme", "Sophie", "Leroux", m("senateur", SEINE_MARITIME))
CONSEILLER = person("M", "Paul", "Durand", m("conseiller_municipal", ROUEN))
ENDED = {"start": date(2017, 5, 17), "end": date(2020, 7, 3)}  # an ended mandate: its end is before ON


# --- appel, address block and envelope ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "appel", "block", "envelope"),
    [
        pytest.param(
            PREFETE,
            "Madame la Préfète,",
            ["Madame la Préfète de la Seine-Maritime"],
            ["Madame la Préfète de la Seine-Maritime"],
            id="feminisation-prefete-feminine-default",
        ),
        pytest.param(
            PREFET,
            "Monsieur le Préfet,",
            ["Monsieur le Préfet de la Seine-Maritime"],
            ["Monsieur le Préfet", "de la Seine-Maritime"],  # 39 characters > 38: split before the complement
            id="usage-prefet-pure-function-suscription",
        ),
        pytest.param(
            person("Mme", "Hélène", "Lefèvre-Dubois", m("prefet", SEINE_MARITIME), address_form="traditional"),
            "Madame le Préfet,",
            ["Madame le Préfet de la Seine-Maritime"],
            ["Madame le Préfet de la Seine-Maritime"],
            id="feminisation-prefete-traditional-override",
        ),
        pytest.param(
            MAIRE_F,
            "Madame la Maire,",
            ["Madame Jeanne Dupont, Maire de Rouen"],
            ["Madame Jeanne Dupont", "Maire de Rouen"],
            id="feminisation-maire-woman-default-feminine",
        ),
        pytest.param(
            MAIRE_F_TRAD,
            "Madame le Maire,",
            ["Madame Jeanne Dupont, Maire de Rouen"],
            ["Madame Jeanne Dupont", "Maire de Rouen"],
            id="feminisation-maire-woman-traditional-override",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("maire", ROUEN), address_form="traditional"),
            "Monsieur le Maire,",
            ["Monsieur Luc Roy, Maire de Rouen"],
            ["Monsieur Luc Roy", "Maire de Rouen"],
            id="feminisation-traditional-override-no-effect-for-a-man",
        ),
        pytest.param(
            DEPUTE,
            "Monsieur le Député,",
            ["Monsieur Jean Martin, Député de la Seine-Maritime"],
            ["Monsieur Jean Martin", "Député de la Seine-Maritime"],
            id="usage-depute",
        ),
        pytest.param(
            person("Mme", "Jeanne", "Dupont", m("depute", CIRCO_7601)),
            "Madame la Députée,",
            ["Madame Jeanne Dupont, Députée de la Seine-Maritime"],
            ["Madame Jeanne Dupont", "Députée de la Seine-Maritime"],
            id="usage-deputee",
        ),
        pytest.param(
            SENATRICE,
            "Madame la Sénatrice,",
            ["Madame Sophie Leroux, Sénatrice de la Seine-Maritime"],
            ["Madame Sophie Leroux", "Sénatrice de la Seine-Maritime"],
            id="feminisation-senatrice",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("depute_europeen", Territory("europe", "FR"))),
            "Madame la Députée,",
            ["Madame Anne Roy, Députée européenne"],
            ["Madame Anne Roy", "Députée européenne"],
            id="usage-deputee-europeenne",
        ),
        pytest.param(
            person("Mme", "Eva", "Roy", m("president_republique", Territory("nation", "FR"))),
            "Madame la Présidente de la République,",
            ["Madame la Présidente de la République"],
            ["Madame la Présidente de la République"],
            id="usage-presidente-de-la-republique",
        ),
        pytest.param(
            person("Mme", "Élisabeth", "Borne", m("premier_ministre")),
            "Madame la Première ministre,",
            ["Madame la Première ministre"],
            ["Madame la Première ministre"],
            id="usage-premiere-ministre",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("ministre", title="Ministre de l'Intérieur")),
            "Monsieur le Ministre,",
            ["Monsieur Jean Martin, Ministre de l'Intérieur"],
            ["Monsieur Jean Martin", "Ministre de l'Intérieur"],
            id="usage-ministre-free-title",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("prefet_region", NORMANDIE)),
            "Monsieur le Préfet,",
            ["Monsieur le Préfet de la région Normandie"],
            ["Monsieur le Préfet", "de la région Normandie"],
            id="usage-prefet-de-region",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("sous_prefet", DIEPPE_ARR)),
            "Madame la Sous-Préfète,",
            ["Madame la Sous-Préfète de Dieppe"],
            ["Madame la Sous-Préfète de Dieppe"],
            id="usage-sous-prefete",
        ),
        pytest.param(
            person("M", "Hervé", "Morin", m("president_conseil_regional", NORMANDIE)),
            "Monsieur le Président,",
            ["Monsieur Hervé Morin, Président du conseil régional de Normandie"],
            ["Monsieur Hervé Morin", "Président du conseil régional", "de Normandie"],
            id="usage-president-conseil-regional",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("president_conseil_departemental", SEINE_MARITIME)),
            "Madame la Présidente,",
            ["Madame Anne Roy, Présidente du conseil départemental de la Seine-Maritime"],
            ["Madame Anne Roy", "Présidente du conseil départemental", "de la Seine-Maritime"],
            id="usage-presidente-conseil-departemental",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("adjoint_maire", ROUEN), m("conseiller_municipal", ROUEN)),
            "Madame l'Adjointe,",
            ["Madame Anne Roy, Adjointe au Maire de Rouen"],
            ["Madame Anne Roy", "Adjointe au Maire de Rouen"],
            id="usage-adjointe-wins-over-conseillere-same-rank",
        ),
        pytest.param(
            person("M", "Nicolas", "Mayer-Rossignol", m("president_epci", METROPOLE)),
            "Monsieur le Président,",
            ["Monsieur Nicolas Mayer-Rossignol, Président de la Métropole Rouen Normandie"],
            ["Monsieur Nicolas Mayer-Rossignol", "Président", "de la Métropole Rouen Normandie"],
            id="usage-president-epci",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("conseiller_municipal", ROUEN)),
            "Madame la Conseillère municipale,",
            ["Madame Anne Roy, Conseillère municipale de Rouen"],
            ["Madame Anne Roy", "Conseillère municipale de Rouen"],
            id="usage-conseillere-municipale",
        ),
        pytest.param(
            person("Mme", "Eva", "Roy", m("recteur", NORMANDIE)),
            "Madame la Rectrice,",
            ["Madame la Rectrice de l'académie de Normandie"],
            ["Madame la Rectrice de l'académie", "de Normandie"],
            id="usage-rectrice",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("procureur", ROUEN)),
            "Monsieur le Procureur de la République,",
            ["Monsieur le Procureur de la République près le tribunal judiciaire de Rouen"],
            ["Monsieur le Procureur de la République", "près le tribunal judiciaire de Rouen"],
            id="usage-procureur",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("ambassadeur", title="Ambassadeur d'Italie en France")),
            "Monsieur l'Ambassadeur,",
            ["Son Excellence Monsieur Luc Roy, Ambassadeur d'Italie en France"],
            ["Son Excellence Monsieur Luc Roy", "Ambassadeur d'Italie en France"],
            id="usage-ambassadeur-son-excellence-unconfirmed",
        ),
        pytest.param(
            person("M", "Jean", "Dupont", m("general", title="Commandant la région de gendarmerie")),
            "Mon Général,",
            ["Monsieur le Général Jean Dupont, Commandant la région de gendarmerie"],
            ["Monsieur le Général Jean Dupont", "Commandant la région de gendarmerie"],
            id="usage-general-writer-unknown-or-man",
        ),
        pytest.param(
            person("M", "Jean", "Dupont", honorific="Monseigneur"),
            "Monseigneur,",
            ["Monseigneur Jean Dupont"],
            ["Monseigneur Jean Dupont"],
            id="usage-bishop-monseigneur-unconfirmed",
        ),
        pytest.param(
            person("M", "Jean", "Dupont", honorific="Mgr"),
            "Monseigneur,",
            ["Monseigneur Jean Dupont"],
            ["Monseigneur Jean Dupont"],
            id="usage-bishop-abbreviation-mgr",
        ),
        pytest.param(
            person("Mme", "Claire", "Durand", honorific="Maître"),
            "Maître,",
            ["Maître Claire Durand"],
            ["Maître Claire Durand"],
            id="usage-avocate-maitre-unconfirmed",
        ),
        pytest.param(
            person(None, "Claire", "Durand", honorific="maitre"),
            "Maître,",
            ["Maître Claire Durand"],
            ["Maître Claire Durand"],
            id="usage-maitre-needs-no-civility",
        ),
        pytest.param(
            person("M", "Jean", "Dupont", honorific="Docteur"),
            "Docteur,",
            ["Docteur Jean Dupont"],
            ["Docteur Jean Dupont"],
            id="usage-docteur-unconfirmed",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", honorific="Professeur"),
            "Madame la Professeure,",
            ["Madame la Professeure Anne Roy"],
            ["Madame la Professeure Anne Roy"],
            id="usage+feminisation-professeure-unconfirmed",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("maire", ROUEN), honorific="Maître"),
            "Madame la Maire,",
            ["Madame Anne Roy, Maire de Rouen"],
            ["Madame Anne Roy", "Maire de Rouen"],
            id="rules-function-wins-over-honorific",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", honorific="Baronne"),
            "Madame,",
            ["Madame Anne Roy"],
            ["Madame Anne Roy"],
            id="usage-unknown-honorific-plain-civility",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy"),
            "Madame,",
            ["Madame Anne Roy"],
            ["Madame Anne Roy"],
            id="rules-no-function-madame",
        ),
        pytest.param(
            person("M", "Luc", "Roy"),
            "Monsieur,",
            ["Monsieur Luc Roy"],
            ["Monsieur Luc Roy"],
            id="rules-no-function-monsieur",
        ),
        pytest.param(
            person(None, "Claire", "Durand"),
            "Madame, Monsieur,",
            ["Claire Durand"],
            ["Claire Durand"],
            id="rules-no-civility-madame-monsieur",
        ),
        pytest.param(
            person(None, "Claire", "Durand", m("depute", CIRCO_7601)),
            "Madame, Monsieur,",
            ["Claire Durand, Député de la Seine-Maritime"],
            ["Claire Durand", "Député de la Seine-Maritime"],
            id="rules-no-civility-with-function-generic-title",
        ),
        pytest.param(
            person("Mme", None, None, m("depute", CIRCO_7601)),
            "Madame la Députée,",
            ["Madame la Députée de la Seine-Maritime"],
            ["Madame la Députée de la Seine-Maritime"],
            id="usage-conventions-no-name-pure-function",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("autre", title="Directrice de l'office de tourisme")),
            "Madame,",
            ["Madame Anne Roy, Directrice de l'office de tourisme"],
            ["Madame Anne Roy", "Directrice de l'office de tourisme"],
            id="autre-free-title-plain-appel",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("maire", ROUEN, end=date(2026, 3, 22)), m("conseiller_municipal", ROUEN)),
            "Madame la Conseillère municipale,",
            ["Madame Anne Roy, Conseillère municipale de Rouen"],
            ["Madame Anne Roy", "Conseillère municipale de Rouen"],
            id="active-mandates-ended-mandate-ignored",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("maire", ROUEN, end=date(2026, 3, 22))),
            "Monsieur,",
            ["Monsieur Luc Roy"],
            ["Monsieur Luc Roy"],
            id="active-mandates-only-mandate-ended-plain-civility",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("senateur", SEINE_MARITIME, start=date(2027, 10, 1)), m("maire", ROUEN)),
            "Monsieur le Maire,",
            ["Monsieur Luc Roy, Maire de Rouen"],
            ["Monsieur Luc Roy", "Maire de Rouen"],
            id="active-mandates-future-mandate-ignored",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("maire", ROUEN), m("depute", CIRCO_7601)),
            "Monsieur le Député,",
            ["Monsieur Jean Martin, Député de la Seine-Maritime"],
            ["Monsieur Jean Martin", "Député de la Seine-Maritime"],
            id="art3-highest-function-depute-over-maire",
        ),
    ],
)
def test_forms(recipient: Person, appel: str, block: list[str], envelope: list[str]) -> None:
    forms = address_forms(recipient, ON, "maire", names)
    assert forms.appel == appel
    assert forms.closing.startswith(f"Je vous prie d'agréer, {appel} ")
    assert forms.address_block == block
    assert forms.envelope == envelope


# --- former office-holders, cardinals, bishops, the functions of art. 3 added later ------------------------------


@pytest.mark.parametrize(
    ("recipient", "appel", "block"),
    [
        pytest.param(
            person("M", "Jean", "Martin", m("ministre", title="Ministre de l'Intérieur", **ENDED)),
            "Monsieur le Ministre,",
            ["Monsieur Jean Martin, Ancien ministre"],
            id="usage-former-ministre-keeps-monsieur-le-ministre",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("ministre", **ENDED)),
            "Madame la Ministre,",
            ["Madame Anne Roy, Ancienne ministre"],
            id="usage+feminisation-former-ministre-feminine",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("ministre", **ENDED), address_form="traditional"),
            "Madame le Ministre,",
            ["Madame Anne Roy, Ancien ministre"],
            id="usage+feminisation-former-ministre-traditional",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("ministre", **ENDED), m("depute", CIRCO_7601)),
            "Monsieur le Ministre,",
            ["Monsieur Jean Martin, Député de la Seine-Maritime"],
            id="usage+art3-former-ministre-now-depute-ministre-outranks-the-block-names-the-current-office",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("premier_ministre", **ENDED), m("ministre", **ENDED)),
            "Monsieur le Premier ministre,",
            ["Monsieur Jean Martin, Ancien Premier ministre"],
            id="usage-the-highest-former-office",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("prefet", SEINE_MARITIME, **ENDED)),
            "Monsieur le Préfet,",
            ["Monsieur Jean Martin, Préfet honoraire"],
            id="usage-prefet-honoraire",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("prefet", SEINE_MARITIME, **ENDED), m("maire", ROUEN)),
            "Monsieur le Maire,",
            ["Monsieur Jean Martin, Maire de Rouen"],
            id="usage-a-prefet-honoraire-now-maire-is-addressed-as-maire",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("ambassadeur", **ENDED)),
            "Madame l'Ambassadrice,",
            ["Madame Anne Roy, Ancienne ambassadrice"],
            id="usage-former-ambassadrice",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("ministre", **ENDED), honorific="Docteur"),
            "Monsieur le Ministre,",
            ["Monsieur Jean Martin, Ancien ministre"],
            id="usage-a-former-office-wins-over-an-honorific",
        ),
        pytest.param(
            person(None, "Claire", "Durand", m("ministre", **ENDED)),
            "Madame, Monsieur,",
            ["Claire Durand, Ancien ministre"],
            id="rules-former-ministre-without-civility",
        ),
        pytest.param(
            person("M", "Jean", "Martin", m("ministre", **ENDED), m("autre", title="Président de la fondation X")),
            "Monsieur le Ministre,",
            ["Monsieur Jean Martin, Ancien ministre, Président de la fondation X"],
            id="usage-former-ministre-with-a-free-title",
        ),
        pytest.param(
            person("M", "Philippe", "Barbarin", honorific="Éminence"),
            "Éminence,",
            ["Son Éminence le Cardinal Philippe Barbarin"],
            id="usage-cardinal-eminence",
        ),
        pytest.param(
            person("M", "Philippe", "Barbarin", m("autre", title="Archevêque de Lyon"), honorific="Cardinal"),
            "Monsieur le Cardinal,",
            ["Monsieur le Cardinal Philippe Barbarin, Archevêque de Lyon"],
            id="usage-cardinal-monsieur-le-cardinal-keeps-his-see",
        ),
        pytest.param(
            person("M", "Dominique", "Lebrun", m("autre", title="Archevêque de Rouen"), honorific="Monseigneur"),
            "Monseigneur,",
            ["Monseigneur Dominique Lebrun, Archevêque de Rouen"],
            id="usage-bishop-title-stays-in-the-address-block",
        ),
        pytest.param(
            person(None, "Pascal", "Delannoy", m("eveque_concordataire", title="Archevêque de Strasbourg")),
            "Monseigneur,",
            ["Monseigneur Pascal Delannoy, Archevêque de Strasbourg"],
            id="art3-18+usage-eveque-concordataire",
        ),
        pytest.param(
            person("Mme", "Anne", "Roy", m("secretaire_general_prefecture", SEINE_MARITIME)),
            "Madame la Secrétaire générale,",
            ["Madame la Secrétaire générale de la préfecture de la Seine-Maritime"],
            id="art3-20+usage-secretaire-generale-de-la-prefecture",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("chef_service_deconcentre", SEINE_MARITIME, title="Directeur départemental")),
            "Monsieur le Directeur,",
            ["Monsieur Luc Roy, Directeur départemental"],
            id="art3-22+usage-chef-de-service-free-title",
        ),
        pytest.param(
            person("M", "Luc", "Roy", m("president_chambre_regionale_comptes", NORMANDIE)),
            "Monsieur le Président,",
            ["Monsieur le Président de la chambre régionale des comptes de Normandie"],
            id="art3-13+usage-president-chambre-regionale-des-comptes",
        ),
    ],
)
def test_courtesy_honorific_and_added_functions(recipient: Person, appel: str, block: list[str]) -> None:
    forms = address_forms(recipient, ON, "maire", names)
    assert forms.appel == appel
    assert forms.closing.startswith(f"Je vous prie d'agréer, {appel} ")
    assert forms.address_block == block
    assert all(len(line) <= ENVELOPE_LINE_LENGTH for line in forms.envelope)


@pytest.mark.parametrize(
    ("sender_civility", "appel"),
    [
        pytest.param(None, "Mon Général,", id="usage-writer-unknown"),
        pytest.param("M", "Mon Général,", id="usage-writer-a-man"),
        pytest.param("Mme", "Général,", id="usage-writer-a-woman"),
    ],
)
def test_general_appel_depends_on_the_writer(sender_civility: str | None, appel: str) -> None:
    general = person("M", "Jean", "Dupont", m("general"))
    forms = address_forms(general, ON, "maire", names, sender_civility=sender_civility)
    assert forms.appel == appel
    assert f", {appel} " in forms.closing


def test_territory_omitted_without_territory_names() -> None:
    forms = address_forms(PREFETE, ON, "maire")
    assert forms.address_block == ["Madame la Préfète"]
    forms = address_forms(DEPUTE, ON, "maire", lambda _t: None)
    assert forms.address_block == ["Monsieur Jean Martin, Député"]


def test_maire_writing_to_the_prefete_of_her_departement() -> None:
    forms = address_forms(PREFETE, ON, "maire", names)
    assert forms.appel == "Madame la Préfète,"
    assert forms.closing == "Je vous prie d'agréer, Madame la Préfète, l'expression de ma haute considération."
    assert forms.address_block[0] == "Madame la Préfète de la Seine-Maritime"
    assert forms.function == "prefet"


# --- joint forms ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "partner", "appel", "block", "envelope"),
    [
        pytest.param(
            PREFET,
            person("Mme", "Claire", "Martin"),
            "Monsieur le Préfet, Madame,",
            ["Monsieur le Préfet de la Seine-Maritime et Madame Claire Martin"],
            ["Monsieur le Préfet", "de la Seine-Maritime", "et Madame Claire Martin"],
            id="joint-prefet-et-madame-unconfirmed",
        ),
        pytest.param(
            person("Mme", "Claire", "Martin"),
            PREFET,
            "Monsieur le Préfet, Madame,",
            ["Monsieur le Préfet de la Seine-Maritime et Madame Claire Martin"],
            ["Monsieur le Préfet", "de la Seine-Maritime", "et Madame Claire Martin"],
            id="joint-title-holder-first",
        ),
        pytest.param(
            MAIRE_F,
            person("M", "Paul", "Dupont"),
            "Madame la Maire, Monsieur,",
            ["Madame Jeanne Dupont, Maire de Rouen, et Monsieur Paul Dupont"],
            ["Madame Jeanne Dupont", "Maire de Rouen", "et Monsieur Paul Dupont"],
            id="joint-maire-et-monsieur",
        ),
        pytest.param(
            person("Mme", "Claire", "Martin"),
            person("M", "Jean", "Martin"),
            "Madame, Monsieur,",
            ["Madame Claire Martin et Monsieur Jean Martin"],
            ["Madame Claire Martin", "et Monsieur Jean Martin"],
            id="rules-joint-no-function",
        ),
        pytest.param(
            person("Mme", "Claire", "Martin"),
            person("Mme", "Léa", "Roy"),
            "Mesdames,",
            ["Madame Claire Martin et Madame Léa Roy"],
            ["Madame Claire Martin", "et Madame Léa Roy"],
            id="usage-joint-two-women",
        ),
    ],
)
def test_joint_forms(recipient: Person, partner: Person, appel: str, block: list[str], envelope: list[str]) -> None:
    forms = address_forms(recipient, ON, "maire", names, partner=partner)
    assert forms.appel == appel
    assert forms.closing.startswith(f"Je vous prie d'agréer, {appel} ")
    assert forms.address_block == block
    assert forms.envelope == envelope
    assert any("joint form" in note for note in forms.unconfirmed)


def test_joint_closing_exact() -> None:
    forms = address_forms(PREFET, ON, "maire", names, partner=person("Mme", "Claire", "Martin"))
    assert forms.closing == (
        "Je vous prie d'agréer, Monsieur le Préfet, Madame, l'expression de ma haute considération."
    )


# --- closings -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "recipient", "closing"),
    [
        pytest.param(
            "maire",
            PREFET,
            "Je vous prie d'agréer, Monsieur le Préfet, l'expression de ma haute considération.",
            id="closing-maire-to-prefet-expression-haute",
        ),
        pytest.param(
            "maire",
            CONSEILLER,
            "Je vous prie d'agréer, Monsieur le Conseiller municipal, l'assurance de ma considération distinguée.",
            id="closing-maire-to-conseiller-municipal-assurance-distinguee",
        ),
        pytest.param(
            "maire",
            MAIRE_F_TRAD,
            "Je vous prie d'agréer, Madame le Maire, l'assurance de ma haute considération.",
            id="closing-maire-to-maire-assurance-haute",
        ),
        pytest.param(
            "maire",
            person("M", "Luc", "Roy", m("president_epci", METROPOLE)),
            "Je vous prie d'agréer, Monsieur le Président, l'assurance de ma haute considération.",
            id="closing-maire-to-president-epci-close-rank",
        ),
        pytest.param(
            "maire",
            DEPUTE,
            "Je vous prie d'agréer, Monsieur le Député, l'expression de ma haute considération.",
            id="closing-maire-to-parlementaire-expression",
        ),
        pytest.param(
            "maire",
            person("Mme", "Anne", "Roy", m("sous_prefet", DIEPPE_ARR)),
            "Je vous prie d'agréer, Madame la Sous-Préfète, l'expression de ma haute considération.",
            id="closing-maire-to-sous-prefete-state-representative",
        ),
        pytest.param(
            "prefet",
            MAIRE_F,
            "Je vous prie d'agréer, Madame la Maire, l'assurance de ma considération distinguée.",
            id="closing-prefet-to-maire",
        ),
        pytest.param(
            "prefet",
            DEPUTE,
            "Je vous prie d'agréer, Monsieur le Député, l'assurance de ma haute considération.",
            id="closing-prefet-to-depute-adjacent-rank",
        ),
        pytest.param(
            "adjoint_maire",
            MAIRE_F,
            "Je vous prie d'agréer, Madame la Maire, l'expression de ma haute considération.",
            id="closing-adjoint-to-maire",
        ),
        pytest.param(
            "maire",
            person("M", "Luc", "Roy", m("procureur", ROUEN)),
            "Je vous prie d'agréer, Monsieur le Procureur de la République, "
            "l'expression de ma respectueuse considération.",
            id="closing-to-a-magistrate",
        ),
        pytest.param(
            "maire",
            person("Mme", "Anne", "Roy", m("ministre")),
            "Je vous prie d'agréer, Madame la Ministre, l'expression de ma très haute considération.",
            id="closing-maire-to-ministre-tres-haute",
        ),
        pytest.param(
            "prefet",
            person("Mme", "Anne", "Roy", m("ministre")),
            "Je vous prie d'agréer, Madame la Ministre, l'expression de ma très haute considération.",
            id="closing-prefet-to-ministre-tres-haute",
        ),
        pytest.param(
            None,
            person("M", "Luc", "Roy", m("president_republique")),
            "Je vous prie d'agréer, Monsieur le Président de la République, "
            "l'expression de ma très haute considération.",
            id="closing-citizen-to-president",
        ),
        pytest.param(
            SenderRank.CITIZEN,
            SENATRICE,
            "Je vous prie d'agréer, Madame la Sénatrice, l'expression de ma haute considération.",
            id="closing-citizen-to-senatrice",
        ),
        pytest.param(
            "citizen",
            MAIRE_F,
            "Je vous prie d'agréer, Madame la Maire, l'expression de ma haute considération.",
            id="closing-citizen-as-string",
        ),
        pytest.param(
            "autre",
            MAIRE_F,
            "Je vous prie d'agréer, Madame la Maire, l'expression de ma haute considération.",
            id="closing-unranked-sender-is-a-citizen",
        ),
        pytest.param(
            SenderRank.EQUAL,
            DEPUTE,
            "Je vous prie d'agréer, Monsieur le Député, l'assurance de ma haute considération.",
            id="closing-explicit-equal",
        ),
        pytest.param(
            "maire",
            person("Mme", "Anne", "Roy"),
            "Je vous prie d'agréer, Madame, l'assurance de ma considération distinguée.",
            id="closing-maire-to-citizen",
        ),
        pytest.param(
            "maire",
            person(None, None, None),
            "Je vous prie d'agréer, Madame, Monsieur, l'assurance de ma considération distinguée.",
            id="closing-maire-to-unknown-civility",
        ),
        pytest.param(
            "maire",
            person("M", "Jean", "Dupont", honorific="Monseigneur"),
            "Je vous prie d'agréer, Monseigneur, l'expression de ma haute considération.",
            id="usage-monseigneur-own-closing-unconfirmed",
        ),
        pytest.param(
            "maire",
            person("Mme", "Claire", "Durand", honorific="Maître"),
            "Je vous prie d'agréer, Maître, l'assurance de ma considération distinguée.",
            id="closing-maire-to-avocate",
        ),
    ],
)
def test_closing(sender: SenderRank | str | None, recipient: Person, closing: str) -> None:
    assert address_forms(recipient, ON, sender, names).closing == closing


@pytest.mark.parametrize(
    ("sender", "recipient_function", "relation"),
    [
        pytest.param("maire", "prefet", SenderRank.LOWER, id="art3-7-below-1"),
        pytest.param("maire", "conseiller_municipal", SenderRank.HIGHER, id="art3-7-above-26"),
        pytest.param("maire", "president_epci", SenderRank.EQUAL, id="usage-epci-7.5-close-to-7"),
        pytest.param("maire", "president_conseil_departemental", SenderRank.EQUAL, id="art3-6-adjacent-to-7"),
        pytest.param("maire", "president_conseil_regional", SenderRank.LOWER, id="art3-7-below-5"),
        pytest.param("maire", None, SenderRank.HIGHER, id="closing-recipient-without-function"),
        pytest.param("maire", "autre", SenderRank.EQUAL, id="unranked-recipient-courteous"),
        pytest.param(None, "prefet", SenderRank.CITIZEN, id="rules-no-sender"),
        pytest.param("higher", "prefet", SenderRank.HIGHER, id="explicit-relation-as-string"),
    ],
)
def test_sender_relation(sender: str | None, recipient_function: str | None, relation: SenderRank) -> None:
    assert sender_relation(sender, recipient_function) is relation


@pytest.mark.parametrize(
    ("relation", "kind", "formula"),
    [
        pytest.param(SenderRank.CITIZEN, "gouvernement", TRES_HAUTE, id="closing-very-high-to-the-government"),
        pytest.param(SenderRank.CITIZEN, "elu", EXPRESSION_HAUTE, id="closing-citizen-to-elu"),
        pytest.param(SenderRank.EQUAL, "elu", ASSURANCE_HAUTE, id="closing-equal-ranks"),
        pytest.param(SenderRank.LOWER, "etat", EXPRESSION_HAUTE, id="closing-lower-to-the-state"),
        pytest.param(SenderRank.HIGHER, "elu", ASSURANCE_DISTINGUEE, id="closing-higher-to-elu"),
        pytest.param(SenderRank.LOWER, "magistrat", RESPECTUEUSE, id="closing-magistrate"),
        pytest.param(SenderRank.HIGHER, "magistrat", ASSURANCE_DISTINGUEE, id="closing-magistrate-not-from-a-superior"),
        pytest.param(SenderRank.EQUAL, "gouvernement", ASSURANCE_HAUTE, id="closing-between-ministers"),
    ],
)
def test_closing_formula_table(relation: SenderRank, kind: str, formula: str) -> None:
    assert closing_formula(relation, kind) == formula


# --- highest function and ranking -----------------------------------------------------------------------------------


def test_rank_of_is_injectable() -> None:
    both = person("M", "Jean", "Martin", m("maire", ROUEN), m("depute", CIRCO_7601))
    assert highest_function(both, ON).function == "depute"
    maire_first = {"maire": 1.0, "depute": 2.0}.get
    assert highest_function(both, ON, maire_first).function == "maire"
    forms = address_forms(both, ON, "maire", names, rank_of=maire_first)
    assert forms.appel == "Monsieur le Maire,"


def test_unknown_function_code_is_ignored() -> None:
    p = person("M", "Luc", "Roy", m("grand_chambellan"), m("maire", ROUEN))
    assert highest_function(p, ON).function == "maire"


def test_unranked_function_comes_after_ranked_ones() -> None:
    p = person("M", "Luc", "Roy", m("conseiller_communautaire", METROPOLE), m("conseiller_municipal", ROUEN))
    assert highest_function(p, ON).function == "conseiller_municipal"


def test_mandate_active_on_its_last_day() -> None:
    p = person("M", "Luc", "Roy", m("maire", ROUEN, end=ON))
    assert address_forms(p, ON, "prefet", names).appel == "Monsieur le Maire,"


# --- data integrity -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REQUIRED_CODES)
def test_every_required_code_has_a_sourced_row(code: str) -> None:
    row = FUNCTION_FORMS[code]
    assert USAGE in row.source or (code == "autre" and "free title" in row.source)
    assert code in DEFAULT_RANKS
    for appel in (row.appel_m, row.appel_f, row.appel_trad):
        assert appel is None or (appel.endswith(",") and not appel.endswith(" ,"))
    if row.appel_f is not None and row.code not in ("general",):
        assert row.appel_f.startswith("Madame ")
        assert row.appel_trad is not None and row.appel_trad.startswith("Madame ")
        assert row.appel_m is not None and row.appel_m.startswith("Monsieur ")


def test_rows_marked_unconfirmed() -> None:
    unconfirmed = {code for code, row in FUNCTION_FORMS.items() if not row.confirmed}
    assert {
        "vice_president_conseil_regional",
        "vice_president_conseil_departemental",
        "adjoint_maire",
        "conseiller_communautaire",
        "recteur",
        "procureur",
        "president_tribunal_judiciaire",
        "general",
        "dgs_region",
        "dgs_departement",
        "secretaire_general_mairie",
        "ambassadeur",
        "autre",
    } <= unconfirmed
    assert {"prefet", "maire", "depute", "senateur", "president_republique"}.isdisjoint(unconfirmed)
    assert all(h.unconfirmed for h in HONORIFIC_FORMS.values())


def test_unconfirmed_rules_reported_with_the_result() -> None:
    forms = address_forms(person("M", "Luc", "Roy", m("ambassadeur")), ON, "maire", names)
    assert any("Son Excellence" in note for note in forms.unconfirmed)
    assert address_forms(PREFET, ON, None, names).unconfirmed == []


@pytest.mark.parametrize("code", sorted(FUNCTION_FORMS))
@pytest.mark.parametrize("civility", ["M", "Mme", None])
def test_typography_every_row(code: str, civility: str | None) -> None:
    p = person(civility, "Hélène", "Lefèvre-Dubois", m(code, SEINE_MARITIME, title="Titre : libre !"))
    for address_form in (None, "traditional"):
        p = Person(**{**p.__dict__, "address_form": address_form})
        forms = address_forms(p, ON, "maire", names)
        texts = [forms.appel, forms.closing, *forms.address_block, *forms.envelope]
        for text in texts:
            assert " ," not in text and "  " not in text and text == text.strip()
            assert "None" not in text
            for mark in ";:!?":
                assert f" {mark}" not in text
        assert forms.appel.endswith(",") and not forms.appel.endswith(",,")
        assert forms.closing.endswith(".")
        assert all(len(line) <= ENVELOPE_LINE_LENGTH for line in forms.envelope)
        assert "M." not in forms.appel and "Mme" not in forms.appel  # never abbreviated (correspondence rules)


def test_narrow_no_break_space_before_high_punctuation() -> None:
    p = person("Mme", "Anne", "Roy", m("autre", title="Déléguée : jeunesse"))
    forms = address_forms(p, ON, "maire", names)
    assert forms.address_block == ["Madame Anne Roy, Déléguée\u202f: jeunesse"]


def test_former_office_is_read_from_ended_mandates_only() -> None:
    still = person("M", "Jean", "Martin", m("ministre", start=date(2024, 1, 1), end=ON))
    assert former_office(still, ON) is None  # active on its last day (test_mandate_active_on_its_last_day)
    ended = person("M", "Jean", "Martin", m("ministre", **ENDED))
    assert former_office(ended, ON) is COURTESY_FORMS["ministre"]
    again = person("M", "Jean", "Martin", m("ministre", **ENDED), m("ministre", start=date(2025, 1, 1)))
    assert former_office(again, ON) is None  # a minister again: a current function
    maire = person("M", "Jean", "Martin", m("maire", ROUEN, **ENDED))
    assert former_office(maire, ON) is None  # no courtesy title for a former maire


def test_former_office_notes_and_closing() -> None:
    forms = address_forms(person("M", "Jean", "Martin", m("ministre", **ENDED)), ON, "maire", names)
    assert forms.closing == "Je vous prie d'agréer, Monsieur le Ministre, l'expression de ma haute considération."
    assert any("for life is usage" in note for note in forms.unconfirmed)
    assert forms.function is None


def test_religious_authorities_of_article_3_18_close_with_deference() -> None:
    rabbin = person("M", "Harold", "Abraham", m("grand_rabbin"))
    forms = address_forms(rabbin, ON, "prefet", names)
    assert forms.appel == "Monsieur le Grand Rabbin,"
    assert forms.closing.endswith(f"{EXPRESSION_HAUTE}.")


def test_every_catalogued_function_has_a_row() -> None:
    assert set(FUNCTION_FORMS) == set(FUNCTIONS)
    assert {code: FUNCTIONS[code].rank_departement for code in FUNCTION_FORMS} == DEFAULT_RANKS


@pytest.mark.parametrize("code", sorted(COURTESY_FORMS))
def test_courtesy_rows_are_sourced_and_unconfirmed(code: str) -> None:
    row = COURTESY_FORMS[code]
    assert code in FUNCTIONS and USAGE in row.source and "❓" in row.unconfirmed
    for appel in (row.appel_m, row.appel_f, row.appel_trad):
        assert appel.endswith(",") and appel.startswith(("Monsieur ", "Madame "))
