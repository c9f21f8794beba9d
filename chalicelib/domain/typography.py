"""French typography for printed text: the non-breaking spaces of the « Lexique des règles typographiques en usage
à l'Imprimerie nationale » (IN, 2002), so a line never starts with « ; », « ! », « ? », « : » or « » ».

Only spaces already typed are made non-breaking, and a missing one inside guillemets is added: inserting spaces
before ``?`` or ``:`` where none was typed would break URLs and times (« https://… », « 14:30 »).
Pure domain code.
"""

from __future__ import annotations

import re
from datetime import date

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable (espace-mot)

# (pattern, replacement, rule): applied in order.
RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), NNBSP + r"\1", "IN: espace fine insécable avant ; ! ?"),
    (re.compile(r"[ \u00a0\u202f]+:"), NBSP + ":", "IN: espace-mot insécable avant le deux-points"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NBSP, "IN: espace insécable après le guillemet ouvrant"),
    (re.compile(r"[ \u00a0\u202f]*»"), NBSP + "»", "IN: espace insécable avant le guillemet fermant"),
    (re.compile(r"\b(n°|N°|M\.|Mme|Mlle|MM\.|Mmes|Me|Mgr|Dr) +(?=\S)"), r"\1" + NBSP, "IN: abréviation liée au mot"),
    (re.compile(r"(?<=\d) (?=(?:%|€|h\b|km\b|m\b))"), NBSP, "IN: espace insécable avant l'unité"),
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP, "IN: espace fine insécable entre les tranches de trois chiffres"),
)


def french_spacing(text: str) -> str:
    """The text with the non-breaking spaces of French typography (see RULES)."""
    for pattern, replacement, _rule in RULES:
        text = pattern.sub(replacement, text)
    return text


MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def french_date(d: date, weekday: bool = False) -> str:
    """« 1er mai 2026 », « samedi 9 mai 2026 »: the first of the month is written 1er (IN)."""
    day = "1er" if d.day == 1 else str(d.day)
    text = f"{day} {MONTHS_FR[d.month - 1]} {d.year}"
    return f"{WEEKDAYS_FR[d.weekday()]} {text}" if weekday else text
