"""Jinja2 templates: the files under templates/ and the bodies users write themselves.

templates/ sits beside app.py in the repository; `infra/package.sh` copies it into vendor/templates, which Chalice
unpacks beside app.py in Lambda (Chalice packages only app.py, chalicelib/ and vendor/), so one path serves both.
User-written bodies are rendered in
Jinja2's sandbox, within bounds of output, loop iterations and time (messaging/bounded.py): they can use the
variables they are given, never Python attributes or the file system, nor more of the server than the bounds allow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, meta, select_autoescape

from chalicelib.messaging import bounded
from chalicelib.messaging.bounded import Limits
from chalicelib.settings import get_settings

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
_LABEL = re.compile(r"\A\{#\s*(.+?)\s*#\}")


@cache
def files() -> Environment:
    """The environment for templates/: HTML templates are escaped, text ones (.j2 letter bodies) are not."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


# What rendering a user-written body may raise besides RenderLimitExceeded: its own mistakes (« {{ 1 / 0 }} »,
# « {{ contact.prenom }} », « {{ 'a'|center('b') }} »), to report to its author rather than as a server error.
RENDER_ERRORS = (TemplateError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


@dataclass(frozen=True)
class Checked:
    """A template's source once checked: the variables it uses, or the error to show the user."""

    source: str
    variables: frozenset[str]
    error: str | None


def check(source: str, allowed: frozenset[str]) -> Checked:
    """Syntax and variables of a body, before any job starts: the user learns of « {{ prenom }} » at once."""
    try:
        used = frozenset(meta.find_undeclared_variables(bounded.environment().parse(source)))
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (ligne {line})" if line else ""
        return Checked(source, frozenset(), f"Modèle invalide{where} : {exc.message or exc}.")
    except (RecursionError, ValueError):  # « ((((…)))) » nested past Jinja's parser, a number of 5,000 digits
        return Checked(source, frozenset(), "Modèle invalide : trop d'imbrications ou un nombre trop long.")
    unknown = sorted(used - allowed)
    if unknown:
        names, possible = ", ".join(unknown), ", ".join(sorted(allowed))
        return Checked(source, used, f"Variable(s) inconnue(s) : {names}. Variables possibles : {possible}.")
    return Checked(source, used, None)


def limits() -> Limits:
    """The bounds of rendering a user-written body, from the settings (AGORA_TEMPLATE_MAX_*)."""
    settings = get_settings()
    return Limits(
        output_bytes=settings.template_max_output_bytes,
        iterations=settings.template_max_iterations,
        seconds=settings.template_max_seconds,
    )


def render(source: str, context: Mapping[str, Any], bounds: Limits | None = None) -> str:
    """A user-written body applied to `context`: RenderLimitExceeded past a bound, one of RENDER_ERRORS otherwise."""
    return bounded.render(source, context, bounds or limits())


def stored_bodies(folder: str) -> dict[str, str]:
    """Name → label of the stored bodies of ``folder`` (templates/<folder>/*.j2; the label is the file's first
    comment): « letters » for the publipostage, « campaigns » for email campaigns."""
    found = {}
    for path in sorted((TEMPLATES / folder).glob("*.j2")):
        match = _LABEL.match(path.read_text(encoding="utf-8"))
        found[path.stem] = match.group(1) if match else path.stem
    return found


def stored_source(folder: str, name: str) -> str | None:
    if name not in stored_bodies(folder):
        return None
    return (TEMPLATES / folder / f"{name}.j2").read_text(encoding="utf-8")


def letter_templates() -> dict[str, str]:
    return stored_bodies("letters")


def letter_source(name: str) -> str | None:
    return stored_source("letters", name)
