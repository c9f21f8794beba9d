"""Text folding for search: case, accents and hyphens are ignored.

"Hélène Lefèvre-Dubois" has the words ``helene``, ``lefevre``, ``dubois``; the query
"helene lefevre" matches it because every query word is the start of one of its words.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter + accent.
# Both cases of each: "Łukasz" must fold to "lukasz", not "ukasz"; Turkish "ı" must not split "Yıldız".
_SPECIAL = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")

MAX_WORDS = 20


def fold(text: str) -> str:
    """Lower-case ASCII form: accents stripped, ligatures expanded, every other character a space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", ascii_only).strip()


def words(*texts: str | None) -> list[str]:
    """Distinct folded words of the given texts, in order of appearance (apostrophes split: d'Arc → d, arc)."""
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            for word in fold(text).split():
                seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def slug(text: str) -> str:
    """Stable key for a tag: 'Élu(e)s  municipaux' → 'elu-e-s-municipaux'."""
    return "-".join(fold(text).split())
