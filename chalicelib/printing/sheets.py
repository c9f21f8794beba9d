"""Printable protocol sheets: precedence list with the titles to announce, speaking order, seating plan,
place cards. Each function takes what the protocol service computed and returns the PDF's bytes."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain.protocol.seating import Plan
from chalicelib.domain.typography import french_spacing
from chalicelib.printing.document import FAMILY, Document

MM_PER_UNIT_MAX = 0.5  # a seat box (130 units) is at most 65 mm wide: legible without filling the page with 2 seats


@dataclass(frozen=True)
class Line:
    """One person on a list: n°, name, title to announce, why this place."""

    rank: int
    name: str
    title: str
    reason: str


def _heading(doc: Document, title: str, subtitle: str) -> None:
    doc.add_page()
    doc.heading(title)
    if subtitle:
        doc.set_font(FAMILY, size=11)
        doc.multi_cell(0, 5.5, french_spacing(subtitle), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)


def _table_sheet(
    title: str, subtitle: str, col_widths: tuple[int, ...], line_height: float, rows: Iterable[tuple[str, ...]]
) -> Document:
    """A sheet opening on its title and a table: a number, then text columns; the first row is the headings,
    repeated on every page."""
    doc = Document(title, footer_text=title)
    _heading(doc, title, subtitle)
    doc.set_font(FAMILY, size=10)
    with doc.table(
        col_widths=col_widths,
        text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
        line_height=line_height,
        padding=1.5,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        for row in rows:
            table.row(row)
    return doc


def _list_sheet(title: str, subtitle: str, note: str, lines: list[Line]) -> bytes:
    rows = [(str(line.rank), line.name, french_spacing(line.title), french_spacing(line.reason)) for line in lines]
    doc = _table_sheet(
        title, subtitle, (10, 52, 64, 48), 5, [("N°", "Personnalité", "Titre à annoncer", "Motif"), *rows]
    )
    if note:
        doc.ln(4)
        doc.set_font(FAMILY, size=9)
        doc.multi_cell(0, 4.5, french_spacing(note), new_x="LMARGIN", new_y="NEXT")
    return doc.bytes()


def precedence_sheet(subtitle: str, lines: list[Line]) -> bytes:
    return _list_sheet(
        "Ordre de préséance",
        subtitle,
        "Ordre établi selon le décret n° 89-655 du 13 septembre 1989 relatif aux cérémonies publiques, préséances, "
        "honneurs civils et militaires, et les usages indiqués dans la colonne « Motif ».",
        lines,
    )


def speaking_order_sheet(subtitle: str, lines: list[Line]) -> bytes:
    return _list_sheet(
        "Ordre des prises de parole",
        subtitle,
        "Les orateurs s'expriment dans l'ordre inverse des préséances : l'autorité la plus élevée parle en dernier "
        "(décret n° 89-655, article 19).",
        lines,
    )


def seating_sheet(subtitle: str, drawn: Plan) -> bytes:
    """The plan drawn to scale on A4 landscape, then the list of places (the same text as the SVG's description)."""
    doc = Document(drawn.title, orientation="landscape", footer_text="Plan de placement")
    _heading(doc, drawn.title, subtitle)
    available_w = doc.w - doc.l_margin - doc.r_margin
    available_h = doc.h - doc.get_y() - doc.b_margin
    scale = min(MM_PER_UNIT_MAX, available_w / drawn.width, available_h / drawn.height)
    x0 = doc.l_margin + (available_w - drawn.width * scale) / 2
    y0 = doc.get_y()

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + x * scale, y0 + y * scale

    band = drawn.band
    doc.set_draw_color(68, 84, 106)
    doc.set_fill_color(*((232, 220, 196) if band.table else (221, 228, 238)))
    doc.rect(*at(band.x, band.y), band.w * scale, band.h * scale, style="DF")
    doc.set_font(FAMILY, "B", 10)
    doc.set_xy(*at(band.x, band.y))
    doc.cell(band.w * scale, band.h * scale, band.label, align="C")
    if drawn.aisle_label_at:
        ax, ay = at(*drawn.aisle_label_at)
        doc.set_font(FAMILY, size=7)
        doc.set_xy(ax - 10, ay - 2)
        doc.cell(20, 4, "allée", align="C")
    name_size = max(5.0, min(9.0, 130 * scale / 7))
    for box in drawn.boxes:
        x, y = at(box.x, box.y)
        w, h = box.w * scale, box.h * scale
        doc.set_draw_color(51, 51, 51)
        doc.set_fill_color(*((246, 231, 176) if box.highlight else (244, 244, 244)))
        doc.rect(x, y, w, h, style="DF", round_corners=True, corner_radius=1.5)
        doc.set_font(FAMILY, "B", name_size)
        doc.set_xy(x + 0.5, y + h * 0.12)
        doc.multi_cell(w - 1, name_size * 0.42, box.name, align="C", max_line_height=name_size * 0.42)
        doc.set_font(FAMILY, size=name_size * 0.85)
        doc.set_xy(x, y + h * 0.68)
        doc.cell(w, h * 0.25, f"n° {box.rank} · siège {box.seat}", align="C")
    doc.set_y(y0 + drawn.height * scale + 4)
    doc.set_font(FAMILY, size=9)
    convention = drawn.desc.split(" n° 1 :")[0] if drawn.lines else drawn.desc
    doc.multi_cell(0, 4.5, french_spacing(convention), new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    for line in drawn.lines:
        doc.multi_cell(0, 4.5, french_spacing(line), new_x="LMARGIN", new_y="NEXT")
    return doc.bytes()


def place_cards(cards: list[tuple[str, str]]) -> bytes:
    """Tent cards, two per A4 sheet: each half (210 × 148.5 mm) is folded along its middle and shows the name and
    title on both faces, the upper face upside down so that it reads from the other side of the table."""
    doc = Document("Chevalets nominatifs", numbered=False)
    doc.set_auto_page_break(auto=False)
    card_h = doc.h / 2
    for n, (name, title) in enumerate(cards):
        if n % 2 == 0:
            doc.add_page()
        top = (n % 2) * card_h
        doc.set_draw_color(170, 170, 170)
        doc.set_dash_pattern(dash=1, gap=1.5)
        doc.line(0, top + card_h / 2, doc.w, top + card_h / 2)  # fold
        if n % 2 == 0:
            doc.line(0, card_h, doc.w, card_h)  # cut
        doc.set_dash_pattern()
        for upside_down in (False, True):
            face_top = top + card_h / 2 if not upside_down else top
            with doc.rotation(180 if upside_down else 0, x=doc.w / 2, y=face_top + card_h / 4):
                _card_face(doc, face_top, card_h / 2, name, title)
    if not cards:
        doc.add_page()
    return doc.bytes()


def _card_face(doc: Document, top: float, height: float, name: str, title: str) -> None:
    width = doc.w - 30
    size = 28.0
    doc.set_font(FAMILY, "B", size)
    while doc.get_string_width(name) > width and size > 14:
        size -= 1
        doc.set_font(FAMILY, "B", size)
    doc.set_xy(15, top + height * 0.28)
    doc.cell(width, size * 0.45, name, align="C")
    if title:
        doc.set_font(FAMILY, size=13)
        doc.set_xy(15, top + height * 0.28 + size * 0.45 + 4)
        doc.multi_cell(width, 6, french_spacing(title), align="C", max_line_height=6)


@dataclass(frozen=True)
class Attendee:
    name: str
    title: str  # function to announce, or ""
    companions: tuple[str, ...]
    note: str  # « représenté(e) par … », « place proposée »


def attendance_sheet(subtitle: str, attendees: list[Attendee]) -> bytes:
    """The émargement list: one line per expected guest, in alphabetical order, with room to sign."""
    rows = [("N°", "Invité(e)", "Accompagnant(s) / remarque", "Signature")]
    for n, a in enumerate(attendees, start=1):
        name = f"{a.name}\n{a.title}" if a.title else a.name
        details = "; ".join([*a.companions, a.note] if a.note else a.companions)
        rows.append((str(n), french_spacing(name), french_spacing(details), "\n\n"))
    doc = _table_sheet("Liste d'émargement", subtitle, (8, 58, 58, 50), 6, rows)
    doc.ln(3)
    doc.set_font(FAMILY, size=9)
    doc.cell(0, 5, f"{len(attendees)} invité(s) attendu(s).")
    return doc.bytes()


def badges(cards: list[tuple[str, str, bytes]]) -> bytes:
    """Name badges, 8 per A4 sheet (2 × 4, 90 × 60 mm, for the usual badge holders ❓ size varies by supplier):
    the name, the function, and the QR code that checks the guest in at the door."""
    doc = Document("Badges", numbered=False)
    doc.set_auto_page_break(auto=False)
    width, height, left, top = 90.0, 60.0, 12.0, 22.5
    for n, (name, title, qr) in enumerate(cards):
        if n % 8 == 0:
            doc.add_page()
        row, column = divmod(n % 8, 2)
        x, y = left + column * (width + 6), top + row * (height + 3)
        doc.set_draw_color(170, 170, 170)
        doc.set_dash_pattern(dash=1, gap=1.5)
        doc.rect(x, y, width, height)
        doc.set_dash_pattern()
        doc.set_font(FAMILY, "B", 15)
        size = 15.0
        while doc.get_string_width(name) > width - 34 and size > 9:
            size -= 0.5
            doc.set_font(FAMILY, "B", size)
        doc.set_xy(x + 4, y + 12)
        doc.multi_cell(width - 34, size * 0.45, name, align="L", max_line_height=size * 0.45)
        if title:
            doc.set_font(FAMILY, size=9)
            doc.set_xy(x + 4, y + 30)
            doc.multi_cell(width - 34, 4.2, french_spacing(title), align="L", max_line_height=4.2)
        doc.image(
            io.BytesIO(qr), x=x + width - 29, y=y + (height - 25) / 2, w=25, h=25, alt_text=f"Code d'accueil de {name}"
        )
    if not cards:
        doc.add_page()
    return doc.bytes()
