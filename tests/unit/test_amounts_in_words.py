"""Amounts in French words (traditional spelling): hyphens and « et », the « s » of vingt and cent, mille, million."""

from __future__ import annotations

import pytest

from chalicelib.domain.amounts import euros_in_words, integer_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (22, "vingt-deux"),
        (61, "soixante et un"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (72, "soixante-douze"),
        (79, "soixante-dix-neuf"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (90, "quatre-vingt-dix"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (101, "cent un"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (280, "deux cent quatre-vingts"),
        (1000, "mille"),
        (1001, "mille un"),
        (2000, "deux mille"),
        (4600, "quatre mille six cents"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (1_000_000, "un million"),
        (2_000_000, "deux millions"),
        (200_000_000, "deux cents millions"),
        (80_000_000, "quatre-vingts millions"),
        (1_234_567, "un million deux cent trente-quatre mille cinq cent soixante-sept"),
    ],
    ids=lambda v: str(v),
)
def test_integer_in_words(n: int, words: str) -> None:
    assert integer_in_words(n) == words


@pytest.mark.parametrize(
    ("cents", "words"),
    [
        (460_000, "quatre mille six cents euros"),
        (15_000, "cent cinquante euros"),
        (15_001, "cent cinquante euros et un centime"),
        (300_050, "trois mille euros et cinquante centimes"),
        (100, "un euro"),
        (80, "quatre-vingts centimes"),
        (0, "zéro euro"),
        (100_000_000, "un million d'euros"),
        (100_000_100, "un million un euros"),
    ],
)
def test_euros_in_words(cents: int, words: str) -> None:
    assert euros_in_words(cents) == words


@pytest.mark.parametrize("bad", [-1, 10**12])
def test_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        integer_in_words(bad)
    if bad < 0:
        with pytest.raises(ValueError):
            euros_in_words(bad)
