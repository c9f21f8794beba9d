"""Amounts in French words, as a receipt states them beside the figures (« quatre mille six cents euros »).

Traditional spelling (the one official forms still use; the 1990 rectifications, which hyphenate everything, are
accepted but not required):
- tens and units are joined by a hyphen below one hundred (« quatre-vingt-dix-neuf »), except with « et »: « vingt et
  un », « soixante et onze »; but « quatre-vingt-un », « quatre-vingt-onze » (no « et » after quatre-vingt);
- « vingt » and « cent » take an « s » when multiplied and ending the number (« quatre-vingts », « deux cents »), not
  when followed by another numeral (« quatre-vingt-deux », « deux cent un ») nor before « mille », which is an
  adjective (« deux cent mille »); before « million(s) », a noun, they keep it (« deux cents millions »);
- « mille » never varies and takes no « un » before it (« mille euros »); « million » is a noun: « un million », « deux
  millions », and « d'euros » after a round number of millions (« un million d'euros »).
"""

from __future__ import annotations

_UNITS = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, final: bool) -> str:
    """1–99; ``final``: nothing but a noun follows (the « s » of « quatre-vingts »)."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…: the base 60 or 80 plus 10–19
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = n - (60 if tens == 7 else 80)
        joiner = " et " if rest == 11 and tens == 7 else "-"
        return f"{base}{joiner}{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingt" + (f"-{_UNITS[unit]}" if unit else ("s" if final else ""))
    word = _TENS[tens]
    if unit == 0:
        return word
    return f"{word} et un" if unit == 1 else f"{word}-{_UNITS[unit]}"


def _below_1000(n: int, final: bool) -> str:
    """1–999."""
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds:
        head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
        if hundreds > 1 and rest == 0 and final:
            head += "s"
        parts.append(head)
    if rest:
        parts.append(_below_100(rest, final))
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    """A whole number from 0 to 999 999 999 999 in words."""
    if not 0 <= n < 10**12:
        raise ValueError("nombre hors de 0 à 999 999 999 999")
    if n == 0:
        return _UNITS[0]
    billions, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    thousands, units = divmod(rest, 1000)
    parts: list[str] = []
    for count, noun in ((billions, "milliard"), (millions, "million")):
        if count:
            parts.append(f"{_below_1000(count, True)} {noun}{'s' if count > 1 else ''}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, False)} mille")
    if units:
        parts.append(_below_1000(units, True))
    return " ".join(parts)


def euros_in_words(cents: int) -> str:
    """An amount in cents in words: « quatre mille six cents euros », « cent cinquante euros et cinquante centimes »,
    « un euro », « quatre-vingts centimes », « un million d'euros »."""
    if cents < 0:
        raise ValueError("montant négatif")
    euros, centimes = divmod(cents, 100)
    parts: list[str] = []
    if euros or not centimes:
        words = integer_in_words(euros)
        round_millions = euros >= 10**6 and euros % 10**6 == 0
        unit = "euro" if euros in (0, 1) else "euros"
        parts.append(f"{words} d'{unit}" if round_millions else f"{words} {unit}")
    if centimes:
        parts.append(f"{integer_in_words(centimes)} centime{'s' if centimes > 1 else ''}")
    return " et ".join(parts)
