"""Per-tenant custom fields: declarations and the checking of values against them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

FIELD_TYPES = ("text", "number", "date", "bool", "choice")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 2000
# DynamoDB stores numbers with at most 38 significant digits (magnitude 1E-130 to below 1E+126):
# anything beyond would fail at write time instead of being refused field by field.
MAX_ABS_NUMBER = 10**38
MIN_ABS_NUMBER = 1e-38


def check_value(field_type: str, choices: list[str], value: Any) -> tuple[Any, str | None]:  # noqa: C901  (one branch per declared field type, each a line)
    """(normalised value, French error or None). None always clears a value."""
    if value is None:
        return None, None
    if field_type == "text":
        if not isinstance(value, str):
            return value, "Doit être un texte."
        if len(value) > MAX_TEXT:
            return value, f"Au plus {MAX_TEXT} caractères."
        if not _is_encodable(value):
            return value, "Texte invalide (caractère Unicode isolé)."
        return value.strip(), None
    if field_type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value, "Doit être un nombre."
        if value != value or value in (float("inf"), float("-inf")):
            return value, "Doit être un nombre fini."
        if abs(value) >= MAX_ABS_NUMBER or (value != 0 and abs(value) < MIN_ABS_NUMBER):
            return value, "Nombre hors des limites (38 chiffres significatifs au plus)."
        return value, None
    if field_type == "bool":
        if not isinstance(value, bool):
            return value, "Doit être vrai ou faux."
        return value, None
    if field_type == "date":
        try:
            return date.fromisoformat(value).isoformat(), None
        except (TypeError, ValueError):
            return value, "Date invalide (format attendu AAAA-MM-JJ)."
    if field_type == "choice":
        if value not in choices:
            return value, f"Valeur non autorisée ; valeurs possibles : {', '.join(choices)}."
        return value, None
    return value, "Type de champ inconnu."


def _is_encodable(value: str) -> bool:
    """False for lone surrogates ("\\ud800" in JSON), which no UTF-8 store accepts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_values(
    values: dict[str, Any], declared: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    cleaned: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            errors.append({"field": f"custom.{name}", "message": "Champ personnalisé non déclaré (voir /fields)."})
            continue
        normalised, error = check_value(spec["type"], spec.get("choices") or [], value)
        if error:
            errors.append({"field": f"custom.{name}", "message": error})
        elif normalised is not None:
            cleaned[name] = normalised
    return cleaned, errors
