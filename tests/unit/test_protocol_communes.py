"""Commune names with their article (INSEE COG column TNCC, « type de nom en clair »), stored per commune as data."""

from __future__ import annotations

import pytest

from chalicelib.domain.protocol.communes import CHARNIERES, COMMUNES, SOURCE, with_article
from chalicelib.domain.protocol.functions import title
from chalicelib.domain.protocol.geography import TNCC_FORMS


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("76351", "du Havre", id="cog-tncc-2-le-havre"),
        pytest.param("27016", "des Andelys", id="cog-tncc-4-les-andelys"),
        pytest.param("17300", "de La Rochelle", id="cog-tncc-3-la-rochelle-article-keeps-its-capital"),
        pytest.param("72181", "du Mans", id="cog-tncc-2-le-mans"),
        pytest.param("85194", "des Sables-d'Olonne", id="cog-tncc-4-les-sables-d-olonne"),
        pytest.param("94038", "de L'Haÿ-les-Roses", id="cog-tncc-5-l-hay-les-roses"),
        pytest.param("14333", "de Honfleur", id="cog-tncc-0-h-aspire-honfleur"),
        pytest.param("76341", "d'Harfleur", id="cog-tncc-1-h-muet-harfleur"),
        pytest.param("76540", "de Rouen", id="cog-tncc-0-rouen"),
        pytest.param("76231", "d'Elbeuf", id="cog-tncc-1-elbeuf"),
    ],
)
def test_communes_of_the_table(code: str, expected: str) -> None:
    assert with_article(code, "nom saisi ignoré") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Bolbec", "de Bolbec", id="rule-consonant"),
        pytest.param("Yvetot", "d'Yvetot", id="rule-vowel-elision"),
        pytest.param("Hautot-sur-Seine", "d'Hautot-sur-Seine", id="rule-h-elided-may-be-wrong-for-h-aspire"),
        pytest.param("Le Tréport", "du Tréport", id="rule-le-contracts"),
        pytest.param("Les Loges", "des Loges", id="rule-les-contracts"),
        pytest.param("La Bresse", "de La Bresse", id="rule-la-kept"),
        pytest.param("  Fécamp ", "de Fécamp", id="rule-stripped"),
    ],
)
def test_communes_outside_the_table_follow_the_rule(name: str, expected: str) -> None:
    assert with_article("99999", name) == expected


def test_nothing_to_say_without_a_known_code_nor_a_name() -> None:
    assert with_article(None, None) is None
    assert with_article("99999", "  ") is None
    assert with_article(None, "Fécamp") == "de Fécamp"


def test_rows_agree_with_their_tncc() -> None:
    articles = {2: "Le ", 3: "La ", 4: "Les ", 5: "L'"}
    for commune in COMMUNES.values():
        assert commune.tncc in TNCC_FORMS and commune.tncc in CHARNIERES, commune
        if commune.tncc in articles:
            assert commune.name.startswith(articles[commune.tncc]), commune
        else:
            assert not commune.name.startswith(tuple(articles.values())), commune
        if commune.tncc == 1:
            assert commune.name[0] in "AEIOUYÉÈÎH", commune
        assert len(commune.code) == 5 and commune.code == COMMUNES[commune.code].code
    assert "TNCC" in SOURCE and "COG" in SOURCE


@pytest.mark.parametrize(
    ("code", "is_woman", "expected"),
    [
        pytest.param("76351", False, "Monsieur le Maire du Havre", id="s3.3-row12-maire-du-havre"),
        pytest.param("27016", True, "Madame la Maire des Andelys", id="s3.2-s3.3-maire-des-andelys"),
        pytest.param("17300", False, "Monsieur le Maire de La Rochelle", id="s3.3-row12-maire-de-la-rochelle"),
    ],
)
def test_the_title_of_a_maire_uses_the_table(code: str, is_woman: bool, expected: str) -> None:
    assert title("maire", is_woman, with_article(code, None)) == expected
