"""French non-breaking spaces (Lexique de l'Imprimerie nationale), and French dates on printed documents."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.typography import NBSP, NNBSP, french_date, french_spacing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Viendrez-vous ?", f"Viendrez-vous{NNBSP}?", id="IN-fine-before-question-mark"),
        pytest.param("Merci !", f"Merci{NNBSP}!", id="IN-fine-before-exclamation"),
        pytest.param("un ; deux", f"un{NNBSP}; deux", id="IN-fine-before-semicolon"),
        pytest.param("Objet : vœux", f"Objet{NBSP}: vœux", id="IN-word-space-before-colon"),
        pytest.param("« Marianne »", f"«{NBSP}Marianne{NBSP}»", id="IN-inside-guillemets"),
        pytest.param("«Marianne»", f"«{NBSP}Marianne{NBSP}»", id="IN-missing-space-inside-guillemets-added"),
        pytest.param("le n° 12", f"le n°{NBSP}12", id="IN-numero-bound-to-number"),
        pytest.param("M. Dupont et Mme Durand", f"M.{NBSP}Dupont et Mme{NBSP}Durand", id="IN-civility-bound"),
        pytest.param("35 000 habitants", f"35{NNBSP}000 habitants", id="IN-thousands"),
        pytest.param("à 18 h", f"à 18{NBSP}h", id="IN-unit-bound"),
        pytest.param("https://ville.fr/?a=1", "https://ville.fr/?a=1", id="url-untouched"),
        pytest.param("14:30", "14:30", id="time-untouched"),
    ],
)
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected


def test_french_spacing_is_idempotent() -> None:
    once = french_spacing("« Bonjour » : vous viendrez ? 1 200 €")
    assert french_spacing(once) == once


@pytest.mark.parametrize(
    ("day", "weekday", "expected"),
    [
        (date(2026, 5, 1), False, "1er mai 2026"),
        (date(2027, 1, 15), True, "vendredi 15 janvier 2027"),
        (date(2026, 8, 31), False, "31 août 2026"),
    ],
)
def test_french_date(day: date, weekday: bool, expected: str) -> None:
    assert french_date(day, weekday) == expected
