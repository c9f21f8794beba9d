"""The one PDF setup every printed document shares: A4, the bundled font, French metadata, page numbers.

fpdf2 is pure Python (with Pillow and fontTools, both with Lambda wheels). Its core fonts are Latin-1 only, so
« œ », « € », the typographic apostrophe and the narrow no-break space (U+202F) need an embedded TrueType font:
DejaVu Serif is bundled in chalicelib/printing/fonts (Bitstream Vera licence, see LICENSE there; chalicelib is
packaged whole, so it reaches Lambda) and subset into each PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerif"


class Document(FPDF):
    """An A4 document in French with the bundled font; ``footer_text`` and page numbers on every page."""

    def __init__(
        self,
        title: str,
        *,
        orientation: Literal["portrait", "landscape"] = "portrait",
        footer_text: str = "",
        numbered: bool = True,
    ) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSerif.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
        self.set_font(FAMILY, size=11)
        self.set_title(title)
        self.set_lang("fr-FR")
        self.set_creator("Agora")
        self.set_author("Agora")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.footer_text = footer_text
        self.numbered = numbered

    def footer(self) -> None:
        if not self.numbered and not self.footer_text:
            return
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        parts = [self.footer_text] if self.footer_text else []
        if self.numbered:
            parts.append(f"page {self.page_no()}/{{nb}}")
        self.cell(0, 5, " — ".join(parts), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=11)

    def bytes(self) -> bytes:
        return bytes(self.output())
