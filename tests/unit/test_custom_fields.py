"""Per-tenant custom fields ("custom" holds values of the fields declared at /fields,
typed text | number | date | bool | choice)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.custom_fields import FIELD_TYPES, MAX_TEXT, NAME_PATTERN, check_value, check_values

QUARTIERS = ["Centre", "Saint-Sever"]
NOT_LISTED = "Valeur non autorisée ; valeurs possibles : Centre, Saint-Sever."


@pytest.mark.parametrize(
    ("field_type", "value", "normalised"),
    [
        pytest.param("text", "  Rive gauche ", "Rive gauche", id="text-stripped"),
        pytest.param("text", "x" * MAX_TEXT, "x" * MAX_TEXT, id="text-at-limit"),
        pytest.param("text", "مرحبا 🎉", "مرحبا 🎉", id="text-unicode"),
        pytest.param("number", 3, 3, id="number-int"),
        pytest.param("number", -2.5, -2.5, id="number-float"),
        pytest.param("number", 0, 0, id="number-zero"),
        pytest.param("number", 10**38 - 1, 10**38 - 1, id="number-38-digits"),
        pytest.param("date", "2026-03-15", "2026-03-15", id="date-iso"),
        pytest.param("bool", True, True, id="bool-true"),
        pytest.param("bool", False, False, id="bool-false"),
        pytest.param("choice", "Centre", "Centre", id="choice-listed"),
        pytest.param("text", None, None, id="none-clears-text"),
        pytest.param("choice", None, None, id="none-clears-choice"),
    ],
)
def test_valid_values(field_type: str, value: Any, normalised: Any) -> None:
    assert check_value(field_type, QUARTIERS if field_type == "choice" else [], value) == (normalised, None)


@pytest.mark.parametrize(
    ("field_type", "value", "message"),
    [
        pytest.param("text", 12, "Doit être un texte.", id="text-number"),
        pytest.param("text", ["a"], "Doit être un texte.", id="text-list"),
        pytest.param("text", "x" * (MAX_TEXT + 1), f"Au plus {MAX_TEXT} caractères.", id="text-too-long"),
        pytest.param("text", "a\ud800b", "Texte invalide (caractère Unicode isolé).", id="text-lone-surrogate"),
        pytest.param("number", "3", "Doit être un nombre.", id="number-string"),
        pytest.param("number", True, "Doit être un nombre.", id="number-bool"),
        pytest.param("number", {"v": 1}, "Doit être un nombre.", id="number-object"),
        pytest.param("number", float("nan"), "Doit être un nombre fini.", id="number-nan"),
        pytest.param("number", float("inf"), "Doit être un nombre fini.", id="number-inf"),
        # DynamoDB numbers: 38 significant digits, magnitude below 1E+126.
        pytest.param(
            "number", 10**38, "Nombre hors des limites (38 chiffres significatifs au plus).", id="number-39-digits"
        ),
        pytest.param(
            "number", 1e300, "Nombre hors des limites (38 chiffres significatifs au plus).", id="number-huge-float"
        ),
        pytest.param(
            "number", -1e-300, "Nombre hors des limites (38 chiffres significatifs au plus).", id="number-tiny-float"
        ),
        pytest.param("date", "15/03/2026", "Date invalide (format attendu AAAA-MM-JJ).", id="date-french-format"),
        pytest.param("date", "2026-02-30", "Date invalide (format attendu AAAA-MM-JJ).", id="date-impossible"),
        pytest.param("date", 20260315, "Date invalide (format attendu AAAA-MM-JJ).", id="date-number"),
        pytest.param("bool", "true", "Doit être vrai ou faux.", id="bool-string"),
        pytest.param("bool", 1, "Doit être vrai ou faux.", id="bool-int"),
        pytest.param("choice", "Ailleurs", NOT_LISTED, id="choice-unlisted"),
        pytest.param("choice", "centre", NOT_LISTED, id="choice-case"),
        pytest.param("choice", ["Centre"], NOT_LISTED, id="choice-list"),
        pytest.param("list", "x", "Type de champ inconnu.", id="unknown-type"),
    ],
)
def test_invalid_values(field_type: str, value: Any, message: str) -> None:
    _, error = check_value(field_type, QUARTIERS, value)
    assert error == message


def test_check_values_cleans_and_reports_every_field() -> None:
    declared = {
        "quartier": {"type": "choice", "choices": QUARTIERS},
        "enfants": {"type": "number"},
        "lettre_info": {"type": "bool"},
        "arrivee": {"type": "date"},
        "remarque": {"type": "text"},
    }
    cleaned, errors = check_values(
        {
            "quartier": "Centre",
            "enfants": "deux",
            "lettre_info": None,
            "arrivee": "2026-3-1",
            "remarque": "  ok ",
            "inconnu": 1,
        },
        declared,
    )
    assert cleaned == {"quartier": "Centre", "remarque": "ok"}
    assert errors == [
        {"field": "custom.enfants", "message": "Doit être un nombre."},
        {"field": "custom.arrivee", "message": "Date invalide (format attendu AAAA-MM-JJ)."},
        {"field": "custom.inconnu", "message": "Champ personnalisé non déclaré (voir /fields)."},
    ]


def test_check_values_without_declarations_refuses_everything() -> None:
    cleaned, errors = check_values({"a": 1, "b": None}, {})
    assert cleaned == {}
    assert [e["field"] for e in errors] == ["custom.a", "custom.b"]


def test_field_types_are_the_documented_ones() -> None:
    assert FIELD_TYPES == ("text", "number", "date", "bool", "choice")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("quartier", True, id="plain"),
        pytest.param("lettre_info2", True, id="underscore-digit"),
        pytest.param("a" * 40, True, id="forty-chars"),
        pytest.param("a" * 41, False, id="forty-one-chars"),
        pytest.param("Quartier", False, id="upper-case"),
        pytest.param("2eme", False, id="starts-with-digit"),
        pytest.param("quartier-nord", False, id="hyphen"),
        pytest.param("quartier#x", False, id="key-separator"),
        pytest.param("../x", False, id="path"),
        pytest.param("", False, id="empty"),
    ],
)
def test_field_name_pattern(name: str, ok: bool) -> None:
    assert bool(NAME_PATTERN.match(name)) is ok
