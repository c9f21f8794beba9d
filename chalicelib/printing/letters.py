"""Letters (publipostage): one A4 page per recipient laid out for a DL window envelope, and an address-label sheet.

Layout of a French administrative letter: the sender's letterhead top left; the recipient's postal address in the
envelope window (chalicelib/domain/letters.address_zone); place and date under it on the right; « Objet : »; the
formule d'appel; the body; the closing formula; the signatory's function and name on the right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain import letters as rules
from chalicelib.domain.typography import french_date, french_spacing
from chalicelib.printing.document import FAMILY, Document


@dataclass(frozen=True)
class Letter:
    letterhead: list[str]
    postal: list[str]  # AFNOR lines, printed in the window
    place_and_date: str  # « Ville-Démo, le 22 novembre 2026 »
    subject: str | None
    appel: str
    paragraphs: list[str]
    closing: str
    signatory_function: str | None
    signatory_name: str | None


def letterhead_lines(settings: Mapping[str, Any]) -> list[str]:
    """The tenant's letterhead from /settings (its name when it has none), one printed line each."""
    return [x for x in (settings.get("letterhead") or settings.get("name") or "").splitlines() if x.strip()]


def dateline(place: str | None, on: date) -> str:
    """« Ville-Démo, le 2 janvier 2027 » (« Le 2 janvier 2027 » without a place)."""
    return f"{place}, le {french_date(on)}" if place else f"Le {french_date(on)}"


class LetterBook:
    """Pages are added one by one so a job can report progress and keep memory flat (fpdf2 keeps pages as text)."""

    def __init__(self, title: str) -> None:
        self.doc = Document(title, numbered=False)
        self.doc.set_auto_page_break(auto=True, margin=20)
        self.zone = rules.address_zone()
        self.pages = 0

    def add(self, letter: Letter) -> None:
        doc, zone = self.doc, self.zone
        doc.add_page()
        start_page = doc.page_no()
        self.pages += 1
        doc.set_xy(doc.l_margin, 16)
        for n, line in enumerate(letter.letterhead[:8]):
            doc.set_font(FAMILY, "B" if n == 0 else "", 11 if n == 0 else 9)
            doc.set_x(doc.l_margin)
            doc.multi_cell(zone.x - doc.l_margin - 6, 4.6, line, new_x="LMARGIN", new_y="NEXT")
        # The window: 10 pt lines (4.4 mm); the zone holds the 6 lines AFNOR allows.
        _fit(doc, letter.postal, zone.w, 10.0)
        line_h = min(4.6, zone.h / max(len(letter.postal), 1))
        for n, line in enumerate(letter.postal):
            doc.set_xy(zone.x, zone.y + n * line_h)
            doc.cell(zone.w, line_h, line)
        doc.set_font(FAMILY, size=11)
        doc.set_xy(zone.x, zone.y + zone.h + 10)
        doc.cell(0, 5, french_spacing(letter.place_and_date))
        doc.set_xy(doc.l_margin, zone.y + zone.h + 22)
        if letter.subject:
            doc.set_font(FAMILY, "B", 11)
            doc.multi_cell(0, 5.5, french_spacing(f"Objet : {letter.subject}"), new_x="LMARGIN", new_y="NEXT")
            doc.set_font(FAMILY, size=11)
            doc.ln(6)
        doc.multi_cell(0, 5.5, french_spacing(letter.appel), new_x="LMARGIN", new_y="NEXT")
        doc.ln(4)
        for paragraph in [*letter.paragraphs, letter.closing]:
            doc.multi_cell(0, 5.5, french_spacing(paragraph), align="J", new_x="LMARGIN", new_y="NEXT")
            doc.ln(3)
        doc.ln(8)
        signature: tuple[tuple[str | None, bool], ...] = (
            (letter.signatory_function, False),
            (letter.signatory_name, True),
        )
        for signed, bold in signature:
            if signed:
                doc.set_font(FAMILY, "B" if bold else "", 11)
                doc.set_x(zone.x)
                doc.multi_cell(0, 5.5, french_spacing(signed), new_x="LMARGIN", new_y="NEXT")
        if doc.page_no() != start_page:
            self.pages += doc.page_no() - start_page  # a long body runs over: the page count says so

    def bytes(self) -> bytes:
        if self.pages == 0:
            self.doc.add_page()
        return self.doc.bytes()


def label_sheet(addresses: list[list[str]], sheet: rules.LabelSheet = rules.LABELS_3X8) -> bytes:
    """The postal addresses on an A4 label sheet, in the order of the letters."""
    doc = Document("Étiquettes d'adresse", numbered=False)
    doc.set_auto_page_break(auto=False)
    doc.set_margins(0, 0, 0)
    page = -1
    for index, lines in enumerate(addresses):
        on_page, x, y = rules.label_origin(sheet, index)
        if on_page != page:
            doc.add_page()
            page = on_page
        _fit(doc, lines, sheet.label_w - 2 * sheet.padding, 9.0)
        line_h = min(4.2, (sheet.label_h - 2 * sheet.padding) / max(len(lines), 1))
        top = y + (sheet.label_h - line_h * len(lines)) / 2
        for n, line in enumerate(lines):
            doc.set_xy(x + sheet.padding, top + n * line_h)
            doc.cell(sheet.label_w - 2 * sheet.padding, line_h, line)
    if page < 0:
        doc.add_page()
    return doc.bytes()


def _fit(doc: Document, lines: list[str], width: float, size: float, smallest: float = 6.5) -> None:
    """The largest font size up to ``size`` at which every line fits ``width`` (38 characters do at 8 pt)."""
    doc.set_font(FAMILY, size=size)
    while size > smallest and any(doc.get_string_width(line) > width for line in lines):
        size -= 0.5
        doc.set_font(FAMILY, size=size)
