"""Pydantic errors → the API's field-by-field French details.

Field paths follow the frontend's notation: ``emails[1]``, ``address.postcode``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.errors import ValidationFailed
from chalicelib.schemas.common import FieldError

M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "Ce champ est obligatoire.",
    "extra_forbidden": "Champ inconnu.",
    "string_type": "Doit être une chaîne de caractères.",
    "string_too_short": "Ne doit pas être vide.",
    "int_type": "Doit être un nombre entier.",
    "int_parsing": "Doit être un nombre entier.",
    "int_from_float": "Doit être un nombre entier.",
    "float_type": "Doit être un nombre.",
    "float_parsing": "Doit être un nombre.",
    "bool_type": "Doit être vrai ou faux.",
    "bool_parsing": "Doit être vrai ou faux.",
    "list_type": "Doit être une liste.",
    "dict_type": "Doit être un objet.",
    "model_type": "Doit être un objet.",
    "model_attributes_type": "Doit être un objet.",
    "date_type": "Date invalide (format attendu AAAA-MM-JJ).",
    "date_parsing": "Date invalide (format attendu AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Date invalide (format attendu AAAA-MM-JJ).",
    "date_from_datetime_inexact": "Date invalide (format attendu AAAA-MM-JJ).",
    "datetime_type": "Date et heure invalides (format ISO 8601 attendu).",
    "datetime_parsing": "Date et heure invalides (format ISO 8601 attendu).",
    "datetime_from_date_parsing": "Date et heure invalides (format ISO 8601 attendu).",
    "string_pattern_mismatch": "Format invalide.",
    "json_invalid": "JSON invalide.",
    "none_required": "Doit être vide.",
    "is_instance_of": "Type invalide.",
}


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "string_too_long":
        return f"Au plus {ctx.get('max_length')} caractères."
    if kind == "too_long":
        return f"Au plus {ctx.get('max_length')} éléments."
    if kind == "too_short":
        return f"Au moins {ctx.get('min_length')} élément(s)."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Doit être supérieur ou égal à {ctx.get('ge', ctx.get('gt'))}."
    if kind in ("less_than_equal", "less_than"):
        return f"Doit être inférieur ou égal à {ctx.get('le', ctx.get('lt'))}."
    if kind in ("literal_error", "enum"):
        # pydantic joins the values in English ("'M' or 'Mme'").
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"Valeur non autorisée ; valeurs possibles : {expected}."
    if kind == "value_error":
        # Our validators raise ValueError with a French message.
        return str(ctx.get("error", error.get("msg", "Valeur invalide.")))
    return _MESSAGES.get(kind, "Valeur invalide.")


def field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "function-before", "function-wrap") or str(part).startswith(
            ("function-", "union[", "tagged-union[", "constrained-")
        ):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def details_from(exc: ValidationError, prefix: str = "") -> list[dict[str, str]]:
    details: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for error in exc.errors(include_url=False):
        field = field_path(tuple(error["loc"]))
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):
            field = f"{field}.{cause.field}" if field != "body" else cause.field
        if prefix:
            field = f"{prefix}.{field}" if field != "body" else prefix
        item = (field, _message(dict(error)))
        if item not in seen:
            seen.add(item)
            details.append({"field": item[0], "message": item[1]})
    return details


def parse(model: type[M], data: Any, prefix: str = "", context: dict[str, Any] | None = None) -> M:
    """Validate into a model; failures become a 422 listing every invalid field. ``context`` reaches validators
    that need the tenant's facts (its time zone for times typed without an offset)."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ValidationFailed(details_from(exc, prefix)) from exc
