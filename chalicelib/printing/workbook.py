"""Spreadsheet files (XLSX, openpyxl): one sheet, a header row, text cells, the export watermark as a custom
document property (File › Properties › Custom in Excel and LibreOffice), where a spreadsheet keeps it when the
file is edited and saved again.

openpyxl is imported when a workbook is written, not with the module: it costs about 80 ms, which every cold start
of the API function would pay (the app imports every blueprint) for the few requests that ask for an XLSX."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

WATERMARK_PROPERTY = "agora-export"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    title: str, watermark_line: str, columns: Sequence[str], rows: Iterable[Sequence[str]], *, sheet: str = "Contacts"
) -> bytes:
    """The workbook's bytes. Cells are written as text, already neutralised by the caller (a string starting with
    « = » would otherwise be stored as a formula); write-only mode keeps memory flat for large exports."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = "Agora"
    props = book.custom_doc_props  # type: ignore[attr-defined]  # openpyxl ≥ 3.1 has it; its stubs do not yet
    props.append(StringProperty(name=WATERMARK_PROPERTY, value=watermark_line))
    table = book.create_sheet(sheet)
    table.append(list(columns))
    for cells in rows:
        table.append(list(cells))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
