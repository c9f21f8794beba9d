"""Jinja2 templates: the files under templates/ and the bodies users write themselves.

templates/ sits beside app.py in the repository; `infra/package.sh` copies it into vendor/templates, which Chalice
unpacks beside app.py in Lambda, so one path serves both (DESIGN.md, layout). User-written bodies are rendered in
Jinja2's sandbox: they can use the variables they are given, never Python attributes or the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, meta, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

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


@cache
def sandbox() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class Checked:
    """A template's source once checked: the variables it uses, or the error to show the user."""

    source: str
    variables: frozenset[str]
    error: str | None


def check(source: str, allowed: frozenset[str]) -> Checked:
    """Syntax and variables of a body, before any job starts: the user learns of « {{ prenom }} » at once."""
    env = sandbox()
    try:
        used = frozenset(meta.find_undeclared_variables(env.parse(source)))
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (ligne {line})" if line else ""
        return Checked(source, frozenset(), f"Modèle invalide{where} : {exc.message or exc}.")
    unknown = sorted(used - allowed)
    if unknown:
        names, possible = ", ".join(unknown), ", ".join(sorted(allowed))
        return Checked(source, used, f"Variable(s) inconnue(s) : {names}. Variables possibles : {possible}.")
    return Checked(source, used, None)


def render(source: str, context: dict[str, Any]) -> str:
    return sandbox().from_string(source).render(context)


def letter_templates() -> dict[str, str]:
    """Name → label of the stored letter bodies (templates/letters/*.j2; the label is the file's first comment)."""
    found = {}
    for path in sorted((TEMPLATES / "letters").glob("*.j2")):
        match = _LABEL.match(path.read_text(encoding="utf-8"))
        found[path.stem] = match.group(1) if match else path.stem
    return found


def letter_source(name: str) -> str | None:
    path = TEMPLATES / "letters" / f"{name}.j2"
    if name not in letter_templates():
        return None
    return path.read_text(encoding="utf-8")
