"""The function catalogue (décret n° 89-655, art. 2 and 3) and the announced titles."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.protocol.functions import FUNCTIONS, FunctionDef, title, without_article
from chalicelib.domain.protocol.model import TERRITORY_KINDS
from tests.support.protocol import REQUIRED_CODES


@pytest.mark.parametrize("code", REQUIRED_CODES)
def test_required_code_is_catalogued(code: str) -> None:
    fdef = FUNCTIONS[code]
    assert fdef.code == code
    assert fdef.source
    assert fdef.territory_kind is None or fdef.territory_kind in TERRITORY_KINDS


@pytest.mark.parametrize(
    ("code", "rank_departement", "confirmed"),
    [
        pytest.param("prefet", 1, True, id="art3-1-prefet"),
        pytest.param("prefet_region", 1, True, id="art3-1-art15-prefet-region"),
        pytest.param("depute", 2, True, id="art3-2-deputes"),
        pytest.param("senateur", 3, True, id="art3-3-senateurs"),
        pytest.param("depute_europeen", 4, True, id="art3-4-parlement-europeen"),
        pytest.param("president_conseil_regional", 5, True, id="art3-5-president-conseil-regional"),
        pytest.param("president_conseil_departemental", 6, True, id="art3-6-president-conseil-departemental"),
        pytest.param("maire", 7, True, id="art3-7-maire"),
        pytest.param("president_epci", 7.5, True, id="usage-epci-president-right-after-maire"),
        pytest.param("general_commandant_region", 8, True, id="art3-8-general-commandant-region"),
        pytest.param("procureur_general", 9, True, id="art3-9-procureur-general"),
        pytest.param("president_tribunal_judiciaire", 13, False, id="art3-13-tribunal-judiciaire-wording-unconfirmed"),
        pytest.param("procureur", 13, False, id="art3-13-procureur"),
        pytest.param("conseiller_regional", 14, False, id="art3-14-membres-conseil-regional"),
        pytest.param("vice_president_conseil_regional", 14, False, id="art3-14-art14-vp-region-own-rank"),
        pytest.param("conseiller_departemental", 15, False, id="art3-15-membres-conseil-departemental"),
        pytest.param("vice_president_conseil_departemental", 15, False, id="art3-15-art14-vp-departement-own-rank"),
        pytest.param("recteur", 17, False, id="art3-17-recteur"),
        pytest.param("sous_prefet", 20, False, id="art3-20-sous-prefet"),
        pytest.param("general", 21, False, id="art3-21-officiers-generaux"),
        pytest.param("dgs_region", 24, False, id="art3-24-dgs-region"),
        pytest.param("dgs_departement", 25, False, id="art3-25-dgs-departement"),
        pytest.param("conseiller_municipal", 26, False, id="art3-26-conseillers-municipaux"),
        pytest.param("adjoint_maire", 26, False, id="art3-26-art14-adjoint-own-rank"),
        pytest.param("maire_delegue", 26, False, id="unconfirmed-maire-delegue-as-conseiller"),
        pytest.param("dgs_commune", 27, False, id="art3-27-secretaire-general-commune"),
        pytest.param("secretaire_general_mairie", 33, False, id="art3-33-secretaire-de-mairie"),
        pytest.param("commandant_arrondissement_maritime", 10, True, id="art3-10-amiral-arrondissement-maritime"),
        pytest.param("commandant_superieur_forces_armees", 10, True, id="art3-10-commandement-superieur-outre-mer"),
        pytest.param("president_ceser", 12, False, id="art3-12-president-ceser"),
        pytest.param("president_chambre_regionale_comptes", 13, False, id="art3-13-chambre-regionale-des-comptes"),
        pytest.param("membre_cese", 16, False, id="art3-16-membres-cese"),
        pytest.param("eveque_concordataire", 18, False, id="art3-18-eveque"),
        pytest.param("president_directoire_epcaal", 18, False, id="art3-18-directoire-confession-augsbourg"),
        pytest.param("president_synode_epral", 18, False, id="art3-18-synode-eglise-reformee"),
        pytest.param("grand_rabbin", 18, False, id="art3-18-grand-rabbin"),
        pytest.param("president_consistoire_israelite", 18, False, id="art3-18-consistoire-israelite"),
        pytest.param("prefet_adjoint_securite", 19, False, id="art3-19-prefet-adjoint-securite"),
        pytest.param("prefet_delegue_defense_securite", 19, False, id="art3-19-prefet-delegue-defense-securite"),
        pytest.param("secretaire_general_prefecture", 20, False, id="art3-20-secretaire-general-prefecture"),
        pytest.param("sgar", 20, False, id="art3-20-sgar"),
        pytest.param("sg_administration_police", 20, False, id="art3-20-sg-administration-police"),
        pytest.param("directeur_cabinet_prefet", 20, False, id="art3-20-directeur-cabinet"),
        pytest.param("chef_service_deconcentre", 22, False, id="art3-22-chefs-services-deconcentres"),
        pytest.param("delegue_militaire_departemental", 22, False, id="art3-22-delegue-militaire-departemental"),
        pytest.param("commandant_groupement_gendarmerie", 22, False, id="art3-22-groupement-gendarmerie"),
        pytest.param("president_universite", 23, False, id="art3-23-presidents-universites"),
        pytest.param("directeur_grande_ecole", 23, False, id="art3-23-grandes-ecoles"),
        pytest.param("directeur_etablissement_recherche", 23, False, id="art3-23-etablissements-recherche"),
        pytest.param("president_tribunal_commerce", 28, False, id="art3-28-tribunal-de-commerce"),
        pytest.param("president_conseil_prudhommes", 29, False, id="art3-29-prudhommes"),
        pytest.param("president_tribunal_paritaire_baux_ruraux", 30, False, id="art3-30-baux-ruraux"),
        pytest.param("president_cci", 31, False, id="art3-31-cci"),
        pytest.param("president_chambre_agriculture", 31, False, id="art3-31-chambre-agriculture"),
        pytest.param("president_chambre_metiers", 31, False, id="art3-31-chambre-metiers"),
        pytest.param("batonnier", 32, False, id="art3-32-batonnier"),
        pytest.param("president_ordre_professionnel", 32, False, id="art3-32-ordres-professionnels"),
        pytest.param("ambassadeur", 1.5, True, id="art17-ambassadeur-after-state-representative"),
        pytest.param("ministre", 0.6, True, id="art8-art15-ministre-before-prefet"),
        pytest.param("premier_ministre", 0.2, True, id="art8-premier-ministre"),
        pytest.param("president_republique", 0.1, True, id="art8-president-republique"),
        pytest.param("conseiller_communautaire", None, True, id="art18-conseiller-communautaire-not-in-decree"),
        pytest.param("autre", None, True, id="art18-autre-placed-by-organiser"),
    ],
)
def test_rank_in_departements(code: str, rank_departement: float | None, confirmed: bool) -> None:
    fdef = FUNCTIONS[code]
    assert fdef.rank_departement == rank_departement
    assert fdef.confirmed is confirmed
    if rank_departement is not None:
        assert fdef.cite_departement


@pytest.mark.parametrize(
    ("code", "rank_paris"),
    [
        pytest.param("president_republique", 1, id="art2-1-president-republique"),
        pytest.param("premier_ministre", 2, id="art2-2-premier-ministre"),
        pytest.param("ministre", 6, id="art2-6-gouvernement"),
        pytest.param("ambassadeur", 6.5, id="art17-ambassadeur-after-gouvernement"),
        pytest.param("depute", 12, id="art2-12-deputes"),
        pytest.param("senateur", 13, id="art2-13-senateurs"),
        pytest.param("depute_europeen", 14, id="art2-14-parlement-europeen"),
        pytest.param("prefet", 20, id="art2-20-prefet-idf"),
        pytest.param("maire", 22, id="art2-22-maire-de-paris"),
        pytest.param("president_conseil_regional", 23, id="art2-23-president-conseil-regional-idf"),
        pytest.param("conseiller_municipal", 38, id="art2-38-conseil-de-paris"),
        pytest.param("president_conseil_departemental", None, id="art2-no-conseil-departemental-in-paris"),
        pytest.param("sous_prefet", None, id="art2-no-sous-prefet-in-paris"),
    ],
)
def test_rank_in_paris(code: str, rank_paris: float | None) -> None:
    assert FUNCTIONS[code].rank_paris == rank_paris


def test_every_article_3_category_from_1_to_33_has_a_function_except_the_dignitaries() -> None:
    categories = {int(f.rank_departement) for f in FUNCTIONS.values() if f.rank_departement and f.rank_departement >= 1}
    assert set(range(1, 34)) - categories == {11}  # 11°: the dignitaries of the orders, read from distinctions


@pytest.mark.parametrize(
    ("code", "departements"),
    [
        pytest.param("eveque_concordataire", {"57", "67", "68"}, id="art3-18-bas-rhin-haut-rhin-moselle"),
        pytest.param("grand_rabbin", {"57", "67", "68"}, id="art3-18-grand-rabbin-alsace-moselle"),
        pytest.param(
            "commandant_superieur_forces_armees", {"971", "972", "973", "974", "975", "976"}, id="art3-10-outre-mer"
        ),
        pytest.param("maire", None, id="art3-7-everywhere"),
    ],
)
def test_rank_limited_to_some_departements(code: str, departements: set[str] | None) -> None:
    assert FUNCTIONS[code].only_in == (frozenset(departements) if departements else None)


@pytest.mark.parametrize(
    ("code", "also"),
    [
        pytest.param("conseiller_departemental", ("canton",), id="art3-15-canton-as-the-rne-gives-it"),
        pytest.param("chef_service_deconcentre", ("departement",), id="art3-22-region-and-departement"),
        pytest.param("president_cci", ("departement",), id="art3-31-regional-and-departmental-chambers"),
    ],
)
def test_functions_held_at_another_level(code: str, also: tuple[str, ...]) -> None:
    assert FUNCTIONS[code].also_kinds == also


def test_epci_president_sits_between_maire_and_next_category() -> None:
    assert FUNCTIONS["maire"].rank_departement < FUNCTIONS["president_epci"].rank_departement < 8


@pytest.mark.parametrize("fdef", list(FUNCTIONS.values()), ids=list(FUNCTIONS))
def test_unconfirmed_entries_say_so_in_their_source(fdef: FunctionDef) -> None:
    if not fdef.confirmed:
        assert "⚠️" in fdef.source or "❓" in fdef.source
    if not fdef.confirmed_paris:
        assert "⚠️" in fdef.source_paris or "❓" in fdef.source_paris


def test_function_def_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FUNCTIONS["maire"].rank_departement = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "is_woman", "territory", "traditional", "expected"),
    [
        pytest.param(
            "prefet", True, "de la Seine-Maritime", False, "Madame la Préfète de la Seine-Maritime", id="s3.2-prefete"
        ),
        pytest.param("prefet", False, "du Nord", False, "Monsieur le Préfet du Nord", id="s3.3-prefet-du-nord"),
        pytest.param("depute", False, None, False, "Monsieur le Député", id="s3.3-depute"),
        pytest.param("depute", True, "de l'Eure", False, "Madame la Députée de l'Eure", id="s3.2-deputee"),
        pytest.param("senateur", True, None, False, "Madame la Sénatrice", id="s3.2-senatrice"),
        pytest.param("maire", True, "de Rouen", False, "Madame la Maire de Rouen", id="s3.2-madame-la-maire"),
        pytest.param("maire", True, None, True, "Madame le Maire", id="s3.2-traditional-madame-le-maire"),
        pytest.param("maire", False, None, True, "Monsieur le Maire", id="s3.2-traditional-no-effect-on-men"),
        pytest.param(
            "adjoint_maire", True, "de Rouen", False, "Madame l'Adjointe au maire de Rouen", id="s3.3-adjointe-elision"
        ),
        pytest.param("ambassadeur", True, None, False, "Madame l'Ambassadrice", id="s3.3-ambassadrice-elision"),
        pytest.param(
            "sous_prefet", True, "de Dieppe", False, "Madame la Sous-Préfète de Dieppe", id="s3.3-sous-prefete"
        ),
        pytest.param(
            "prefet_region",
            False,
            "de Normandie",
            False,
            "Monsieur le Préfet de la région Normandie",
            id="s3.3-prefet-de-region",
        ),
        pytest.param(
            "president_conseil_departemental",
            True,
            "de la Seine-Maritime",
            False,
            "Madame la Présidente du conseil départemental de la Seine-Maritime",
            id="s3.3-presidente-conseil-departemental",
        ),
        pytest.param(
            "president_conseil_regional",
            False,
            "d'Occitanie",
            False,
            "Monsieur le Président du conseil régional d'Occitanie",
            id="s3.3-president-conseil-regional",
        ),
        pytest.param(
            "president_epci",
            False,
            "de la Métropole Rouen Normandie",
            False,
            "Monsieur le Président de la Métropole Rouen Normandie",
            id="s3.3-president-epci",
        ),
        pytest.param(
            "president_republique",
            True,
            "de la Seine-Maritime",
            False,
            "Madame la Présidente de la République",
            id="s3.3-presidente-republique-ignores-territory",
        ),
        pytest.param("premier_ministre", True, None, False, "Madame la Première ministre", id="s3.2-premiere-ministre"),
        pytest.param("ministre", True, None, False, "Madame la Ministre", id="s3.3-madame-la-ministre"),
        pytest.param(
            "depute_europeen", True, None, False, "Madame la Députée européenne", id="s3.3-deputee-europeenne"
        ),
        pytest.param(
            "recteur", True, "de Normandie", False, "Madame la Rectrice de l'académie de Normandie", id="s3.3-rectrice"
        ),
        pytest.param(
            "procureur",
            False,
            "de Rouen",
            False,
            "Monsieur le Procureur de la République près le tribunal judiciaire de Rouen",
            id="s3.3-procureur",
        ),
        pytest.param(
            "conseiller_regional", True, None, False, "Madame la Conseillère régionale", id="s3.3-conseillere-regionale"
        ),
        pytest.param("autre", True, None, False, "Madame", id="art18-autre-civility-only"),
        pytest.param(
            "secretaire_general_prefecture",
            True,
            "de la Seine-Maritime",
            False,
            "Madame la Secrétaire générale de la préfecture de la Seine-Maritime",
            id="art3-20-secretaire-generale-de-la-prefecture",
        ),
        pytest.param(
            "president_chambre_regionale_comptes",
            False,
            "de Normandie",
            False,
            "Monsieur le Président de la chambre régionale des comptes de Normandie",
            id="art3-13-president-chambre-regionale-des-comptes",
        ),
        pytest.param("grand_rabbin", False, None, False, "Monsieur le Grand Rabbin", id="art3-18-grand-rabbin"),
        pytest.param(
            "president_tribunal_commerce",
            False,
            "de la Seine-Maritime",
            False,
            "Monsieur le Président du tribunal de commerce",
            id="art3-28-court-named-after-its-city-not-the-departement",
        ),
    ],
)
def test_title(code: str, is_woman: bool, territory: str | None, traditional: bool, expected: str) -> None:
    assert title(code, is_woman, territory, traditional=traditional) == expected


def test_title_of_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        title("pape", False)


@pytest.mark.parametrize(
    ("with_article", "bare"),
    [
        pytest.param("de la Seine-Maritime", "Seine-Maritime", id="de-la"),
        pytest.param("du Nord", "Nord", id="du"),
        pytest.param("des Yvelines", "Yvelines", id="des"),
        pytest.param("de l'Eure", "Eure", id="de-l"),
        pytest.param("d'Ille-et-Vilaine", "Ille-et-Vilaine", id="d"),
        pytest.param("de Normandie", "Normandie", id="de"),
    ],
)
def test_without_article(with_article: str, bare: str) -> None:
    assert without_article(with_article) == bare
