"""Geography as data: the 101 départements and 18 régions of the INSEE COG 2024 with the article of
their name ("type de nom en clair", TNCC)."""

from __future__ import annotations

import pytest

from chalicelib.domain.protocol.geography import (
    DEPARTEMENTS,
    DOUBTFUL_DEPARTEMENTS,
    DOUBTFUL_REGIONS,
    REGIONS,
    TNCC_FORMS,
    Departement,
    departement,
    departement_of,
    region,
    region_of,
    with_article,
)

METROPOLITAN = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"] + [f"{n:02d}" for n in range(21, 96)]
OVERSEAS = ["971", "972", "973", "974", "976"]
REGION_CODES = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93"]
REGION_CODES += ["94"]


def test_exactly_101_departements_with_the_cog_codes() -> None:
    assert len(DEPARTEMENTS) == 101
    assert list(DEPARTEMENTS) == METROPOLITAN + OVERSEAS


def test_exactly_18_regions_with_the_current_codes() -> None:
    assert len(REGIONS) == 18
    assert sorted(REGIONS) == sorted(REGION_CODES)


def test_every_departement_region_exists_and_every_region_has_a_departement() -> None:
    used = {d.region_code for d in DEPARTEMENTS.values()}
    assert used <= set(REGIONS)
    assert used == set(REGIONS)


def test_rows_are_well_formed() -> None:
    for d in DEPARTEMENTS.values():
        assert d.name and d.name == d.name.strip(), d
        assert d.tncc in TNCC_FORMS, d
        if d.tncc == 1:  # no article, the name starts with a vowel or h muet
            assert d.name[0] in "AEIOUYÉÈÎH", d
        if d.tncc == 0:
            assert d.name[0] not in "AEIOUYÉÈÎ", d
    for r in REGIONS.values():
        assert r.name and r.tncc in TNCC_FORMS, r
    assert set(DOUBTFUL_DEPARTEMENTS) <= set(DEPARTEMENTS)
    assert set(DOUBTFUL_REGIONS) <= set(REGIONS)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("76", "de la Seine-Maritime", id="tncc3-la-seine-maritime"),
        pytest.param("59", "du Nord", id="tncc2-le-nord"),
        pytest.param("78", "des Yvelines", id="tncc4-les-yvelines"),
        pytest.param("27", "de l'Eure", id="tncc5-l-eure"),
        pytest.param("35", "d'Ille-et-Vilaine", id="tncc1-ille-et-vilaine"),
        pytest.param("75", "de Paris", id="tncc0-paris"),
        pytest.param("49", "de Maine-et-Loire", id="tncc0-maine-et-loire"),
        pytest.param("28", "d'Eure-et-Loir", id="tncc1-eure-et-loir"),
        pytest.param("41", "du Loir-et-Cher", id="tncc2-loir-et-cher"),
        pytest.param("01", "de l'Ain", id="tncc5-ain"),
        pytest.param("21", "de la Côte-d'Or", id="tncc3-cote-d-or"),
        pytest.param("22", "des Côtes-d'Armor", id="tncc4-cotes-d-armor"),
        pytest.param("90", "du Territoire de Belfort", id="tncc2-territoire-de-belfort"),
        pytest.param("2A", "de la Corse-du-Sud", id="corsica-2A"),
        pytest.param("2B", "de la Haute-Corse", id="corsica-2B"),
        pytest.param("971", "de la Guadeloupe", id="overseas-guadeloupe"),
        pytest.param("973", "de la Guyane", id="overseas-guyane"),
        pytest.param("974", "de La Réunion", id="overseas-la-reunion-article-in-name"),
        pytest.param("976", "de Mayotte", id="overseas-mayotte"),
    ],
)
def test_departement_with_article(code: str, expected: str) -> None:
    found = departement(code)
    assert found is not None
    assert with_article(found.name, found.tncc) == expected
    assert found.name_with_article == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("28", "de Normandie", id="tncc0-normandie"),
        pytest.param("11", "d'Île-de-France", id="tncc1-ile-de-france"),
        pytest.param("44", "du Grand Est", id="tncc2-grand-est"),
        pytest.param("24", "du Centre-Val de Loire", id="tncc2-centre-val-de-loire"),
        pytest.param("75", "de la Nouvelle-Aquitaine", id="tncc3-nouvelle-aquitaine"),
        pytest.param("32", "des Hauts-de-France", id="tncc4-hauts-de-france"),
        pytest.param("52", "des Pays de la Loire", id="tncc4-pays-de-la-loire"),
        pytest.param("93", "de Provence-Alpes-Côte d'Azur", id="tncc0-paca"),
        pytest.param("94", "de Corse", id="tncc0-corse"),
        pytest.param("04", "de La Réunion", id="overseas-region-la-reunion"),
    ],
)
def test_region_with_article(code: str, expected: str) -> None:
    found = region(code)
    assert found is not None
    assert found.name_with_article == expected


@pytest.mark.parametrize(
    ("name", "tncc", "expected"),
    [
        pytest.param("Paris", 0, "de Paris", id="tncc0-de"),
        pytest.param("Ille-et-Vilaine", 1, "d'Ille-et-Vilaine", id="tncc1-d-apostrophe"),
        pytest.param("Nord", 2, "du Nord", id="tncc2-le-du"),
        pytest.param("Seine-Maritime", 3, "de la Seine-Maritime", id="tncc3-la-de-la"),
        pytest.param("Yvelines", 4, "des Yvelines", id="tncc4-les-des"),
        pytest.param("Eure", 5, "de l'Eure", id="tncc5-l-de-l"),
        pytest.param("Aux Marais", 6, "des Marais", id="tncc6-aux-des-article-in-name"),
        pytest.param("Marais", 6, "des Marais", id="tncc6-aux-des"),
        pytest.param("Las Tours", 7, "de Las Tours", id="tncc7-las"),
        pytest.param("Los Masos", 8, "de Los Masos", id="tncc8-los"),
        pytest.param("Le Havre", 2, "du Havre", id="commune-libelle-with-article-le"),
        pytest.param("Les Abymes", 4, "des Abymes", id="commune-libelle-with-article-les"),
        pytest.param("L'Abergement-Clémenciat", 5, "de l'Abergement-Clémenciat", id="commune-libelle-with-l"),
        pytest.param("L’Haÿ-les-Roses", 5, "de l'Haÿ-les-Roses", id="typographic-apostrophe-stripped"),
        pytest.param("La Réunion", 0, "de La Réunion", id="tncc0-keeps-article-of-name"),
        pytest.param("Lanester", 3, "de la Lanester", id="tncc3-no-false-strip-without-space"),
    ],
)
def test_with_article_every_tncc(name: str, tncc: int, expected: str) -> None:
    assert with_article(name, tncc) == expected


def test_every_tncc_value_is_covered_and_used_values_are_known() -> None:
    assert set(TNCC_FORMS) == set(range(9))
    used = {d.tncc for d in DEPARTEMENTS.values()} | {r.tncc for r in REGIONS.values()}
    assert used == {0, 1, 2, 3, 4, 5}  # 6 (Aux), 7 (Las), 8 (Los) only occur in commune names


@pytest.mark.parametrize("tncc", [-1, 9, 10])
def test_with_article_rejects_unknown_tncc(tncc: int) -> None:
    with pytest.raises(ValueError, match="Type de nom en clair inconnu"):
        with_article("Nord", tncc)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("76", Departement("76", "Seine-Maritime", "28", 3), id="metropole"),
        pytest.param("2a", Departement("2A", "Corse-du-Sud", "94", 3), id="corsica-lower-case"),
        pytest.param(" 2B ", Departement("2B", "Haute-Corse", "94", 3), id="corsica-spaces"),
        pytest.param("1", Departement("01", "Ain", "84", 5), id="single-digit-padded"),
        pytest.param("976", Departement("976", "Mayotte", "06", 0), id="mayotte"),
        pytest.param("20", None, id="old-corsica-code"),
        pytest.param("975", None, id="saint-pierre-et-miquelon-not-a-departement"),
        pytest.param("96", None, id="no-96"),
        pytest.param("", None, id="empty"),
    ],
)
def test_departement_lookup(code: str, expected: Departement | None) -> None:
    assert departement(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("76", "28", id="seine-maritime-normandie"),
        pytest.param("75", "11", id="paris-ile-de-france"),
        pytest.param("2A", "94", id="corse-du-sud-corse"),
        pytest.param("2B", "94", id="haute-corse-corse"),
        pytest.param("971", "01", id="guadeloupe"),
        pytest.param("972", "02", id="martinique"),
        pytest.param("973", "03", id="guyane"),
        pytest.param("974", "04", id="la-reunion"),
        pytest.param("976", "06", id="mayotte"),
        pytest.param("90", "27", id="belfort-bourgogne-franche-comte"),
        pytest.param("99", None, id="unknown"),
    ],
)
def test_region_of(code: str, expected: str | None) -> None:
    assert region_of(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("76", "76", id="departement-itself"),
        pytest.param("971", "971", id="overseas-departement-itself"),
        pytest.param("76540", "76", id="commune-rouen"),
        pytest.param("2A004", "2A", id="commune-ajaccio"),
        pytest.param("2B033", "2B", id="commune-bastia"),
        pytest.param("97105", "971", id="commune-basse-terre"),
        pytest.param("97611", "976", id="commune-mamoudzou"),
        pytest.param("7601", "76", id="circonscription-metropole"),
        pytest.param("2A01", "2A", id="circonscription-corsica"),
        pytest.param("97101", "971", id="circonscription-overseas"),
        pytest.param("762", "76", id="arrondissement-metropole"),
        pytest.param("2A1", "2A", id="arrondissement-corsica"),
        pytest.param("9711", "971", id="arrondissement-overseas"),
        pytest.param("ZA01", "971", id="interior-ministry-overseas-code"),
        pytest.param("ZD", "974", id="interior-ministry-overseas-departement"),
        pytest.param("97501", None, id="saint-pierre-et-miquelon"),
        pytest.param("98818", None, id="nouvelle-caledonie"),
        pytest.param("20004", None, id="old-corsica-code"),
        pytest.param("765401", None, id="too-long"),
        pytest.param("76A", None, id="non-digit-suffix"),
        pytest.param("ZZ01", None, id="francais-de-l-etranger"),
        pytest.param("", None, id="empty"),
    ],
)
def test_departement_of(code: str, expected: str | None) -> None:
    assert departement_of(code) == expected
