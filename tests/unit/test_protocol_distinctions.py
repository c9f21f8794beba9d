"""National orders as data: grades, dignities and the rank of article 3, 11° (décret n° 89-655; code de la Légion
d'honneur art. R6). A distinction is not a function."""

from __future__ import annotations

import pytest

from chalicelib.domain.protocol.distinctions import DIGNITIES, GRADES, PRECEDENCE, best, title, unranked
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import Distinction


@pytest.mark.parametrize(
    ("order", "grades"),
    [
        pytest.param(
            "legion_honneur",
            ("chevalier", "officier", "commandeur", "grand_officier", "grand_croix"),
            id="code-legion-honneur-R6-five-ranks",
        ),
        pytest.param(
            "ordre_national_merite",
            ("chevalier", "officier", "commandeur", "grand_officier", "grand_croix"),
            id="decret-63-1196-five-ranks",
        ),
        pytest.param("liberation", ("compagnon",), id="ordre-de-la-liberation-compagnons"),
    ],
)
def test_grades_of_each_order(order: str, grades: tuple[str, ...]) -> None:
    assert GRADES[order] == grades


@pytest.mark.parametrize(
    ("distinction", "ranked"),
    [
        pytest.param(Distinction("legion_honneur", "grand_croix"), True, id="art3-11-R6-grand-croix-dignitary"),
        pytest.param(Distinction("legion_honneur", "grand_officier"), True, id="art3-11-R6-grand-officier-dignitary"),
        pytest.param(Distinction("legion_honneur", "commandeur"), False, id="art3-11-R6-commandeur-is-a-grade"),
        pytest.param(Distinction("legion_honneur", "chevalier"), False, id="art3-11-R6-chevalier-is-a-grade"),
        pytest.param(Distinction("liberation", "compagnon"), True, id="art3-11-compagnons-unconfirmed-since-2024"),
        pytest.param(Distinction("ordre_national_merite", "grand_officier"), True, id="art3-11-merite-dignitary"),
        pytest.param(Distinction("ordre_national_merite", "officier"), False, id="art3-11-merite-officier-a-grade"),
    ],
)
def test_only_dignities_and_compagnons_rank(distinction: Distinction, ranked: bool) -> None:
    assert ((distinction.order, distinction.grade) in PRECEDENCE) is ranked
    if ranked:
        assert PRECEDENCE[(distinction.order, distinction.grade)].rank_departement == 11
    else:
        assert unranked((distinction,)) and "sans rang" in unranked((distinction,))[0]


def test_every_entry_is_sourced_and_marked_unconfirmed() -> None:
    for entry in PRECEDENCE.values():
        assert entry.cite == "Article 3, 11°"
        assert entry.confirmed is False  # the current wording of 11° was not retrieved
        assert "⚠️" in entry.source or "❓" in entry.source
    assert any("2024-159" in e.source for e in PRECEDENCE.values())


def test_dignities_are_the_two_highest_grades() -> None:
    assert GRADES["legion_honneur"][-2:] == DIGNITIES


def test_best_takes_the_first_in_the_decree_item() -> None:
    found = best((Distinction("ordre_national_merite", "grand_croix"), Distinction("legion_honneur", "grand_officier")))
    assert found is not None and found[1] == Distinction("legion_honneur", "grand_officier")
    assert best((Distinction("legion_honneur", "officier"),)) is None
    assert best(()) is None


@pytest.mark.parametrize(
    ("distinction", "expected"),
    [
        pytest.param(
            Distinction("legion_honneur", "grand_croix"), "Grand'croix de la Légion d'honneur", id="R6-spelling"
        ),
        pytest.param(Distinction("liberation", "compagnon"), "Compagnon de la Libération", id="compagnon"),
        pytest.param(
            Distinction("ordre_national_merite", "commandeur"),
            "Commandeur de l'ordre national du Mérite",
            id="merite",
        ),
    ],
)
def test_title(distinction: Distinction, expected: str) -> None:
    assert title(distinction) == expected


def test_a_distinction_is_not_a_function() -> None:
    assert not set(GRADES) & set(FUNCTIONS)
    assert not any("dignitaire" in code or "compagnon" in code for code in FUNCTIONS)
