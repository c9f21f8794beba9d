"""Letters (publipostage): where the address goes for a window envelope, the postal address lines, label sheets.

Sources and confidence (every figure here is data that can be corrected):
- Postal address: norme AFNOR XP Z10-011 (2013) as La Poste publishes it (« Bien rédiger une adresse »): at most
  6 lines of at most 38 characters, the last line « code postal + LOCALITÉ » in capitals without accents or
  punctuation ✅ (widely published; re-check the norm before a large mailing).
- DL window envelope (110 × 220 mm, A4 folded in three): window 100 × 45 mm, 20 mm from the right edge and 15 mm
  from the bottom ❓ (the most common French supplier specification; window positions vary by maker).
- Label sheet: A4, 3 × 8 labels of 70 × 36 mm without margins between labels, 4.5 mm top margin ❓ (the usual
  « 70 × 36 » sheet, e.g. Avery 3475 / Apli; check the box before printing).
Pure domain code.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.text import fold

MAX_LINES = 6  # AFNOR XP Z10-011
MAX_LINE_LENGTH = 38  # AFNOR XP Z10-011

A4_W, A4_H = 210.0, 297.0
FOLD = A4_H / 3  # a DL letter is folded in three equal panels


@dataclass(frozen=True)
class Envelope:
    width: float
    height: float
    window_w: float
    window_h: float
    window_right: float  # from the envelope's right edge
    window_bottom: float  # from the envelope's bottom edge
    source: str


DL_WINDOW = Envelope(220, 110, 100, 45, 20, 15, "usual French DL window envelope ❓ (see module docstring)")


@dataclass(frozen=True)
class Zone:
    """A rectangle on the A4 page, in mm from its top-left corner."""

    x: float
    y: float
    w: float
    h: float


def address_zone(envelope: Envelope = DL_WINDOW, inner_margin: float = 3.0) -> Zone:
    """Where the address must be printed so that it shows through the window wherever the folded letter sits.

    The folded letter (210 × 99 mm) can slide inside the envelope: sideways by the width difference, downwards by
    the height difference. The zone is the part of the page that stays inside the window in every position, less
    ``inner_margin`` all round so that the window's edge never cuts a letter.
    """
    play_x = envelope.width - A4_W
    play_y = envelope.height - FOLD
    window_left = envelope.width - envelope.window_right - envelope.window_w
    window_top = envelope.height - envelope.window_bottom - envelope.window_h
    # Page coordinates of the window: letter at the envelope's left/top edge (0) or slid by the whole play.
    left = window_left  # letter against the left edge: the window starts here on the page …
    right = window_left + envelope.window_w - play_x  # … and with the letter slid right it ends here
    top = window_top  # letter at the top of the envelope
    bottom = window_top + envelope.window_h - play_y  # letter slid to the bottom
    m = inner_margin
    return Zone(left + m, top + m, right - left - 2 * m, bottom - top - 2 * m)


def postal_lines(
    name_lines: list[str], address_lines: list[str], postcode: str | None, city: str | None
) -> tuple[list[str], str | None]:
    """The lines of a postal address (AFNOR XP Z10-011) and, when it cannot be mailed, why (in French).

    Name lines come first; when the whole exceeds 6 lines, the name lines are cut from the end (the title's
    complements), never the address. The last line is « 76000 ROUEN ».
    """
    if not postcode or not city:
        return [], "Adresse postale incomplète (code postal et commune requis)."
    last = f"{postcode} {fold(city).upper()}"
    street = [line for line in address_lines if line.strip()]
    room = MAX_LINES - len(street) - 1
    if room < 1:
        return [], "Adresse postale trop longue (6 lignes au plus, norme AFNOR XP Z10-011)."
    lines = name_lines[:room] + street + [last]
    return lines, None


@dataclass(frozen=True)
class LabelSheet:
    columns: int
    rows: int
    label_w: float
    label_h: float
    top: float
    left: float
    padding: float
    source: str


LABELS_3X8 = LabelSheet(3, 8, 70, 36, 4.5, 0, 5, "A4 3 × 8 labels 70 × 36 mm ❓ (see module docstring)")


def label_origin(sheet: LabelSheet, index: int) -> tuple[int, float, float]:
    """(page, x, y) of the ``index``-th label (0-based), filled row by row."""
    per_page = sheet.columns * sheet.rows
    page, n = divmod(index, per_page)
    row, column = divmod(n, sheet.columns)
    return page, sheet.left + column * sheet.label_w, sheet.top + row * sheet.label_h
