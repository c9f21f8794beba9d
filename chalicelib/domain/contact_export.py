"""The contact file an export writes: its columns, one row per contact, the CSV for Excel in France.

Columns. The import's field names first (`ref`, `civility`, `first_name`, `last_name`, `email`, `phone`,
`birth_date`, `address_line`, `postcode`, `city`: the names `domain/duplicates.doc_of_row` reads), so that an
exported file goes back through an import unchanged; then what a person record holds besides (`kind`,
`organisation_name`, the other emails and phones, `tags`), then one column per custom field the tenant declared,
named `custom.<name>`. `ref` is the contact's id. Lists inside one cell are joined by `LIST_SEPARATOR`.

Phones are stored in E.164 (« +33612345678 »), which starts with « + » and so would be neutralised below, and which
Excel turns into the number 33612345678. They are written as a French user dials them, which `contact_points`
reads back: the national format for France and its overseas departments and collectivities (« 06 12 34 56 78 »,
« 0692 12 34 56 »), the international prefix from France for other countries (« 00 44 20 7946 0958 »).

Cells. Every cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) is written with a leading apostrophe (`campaign_reports.safe_cell`; OWASP « CSV Injection »,
ANSSI guidance on formula injection in exported files): a name such as « =HYPERLINK(…) » typed in a form never
runs on the computer of the person who opens the export.

CSV for Excel in France: UTF-8 with a byte-order mark (without it Excel reads Windows-1252 and breaks accents),
« ; » between cells (Excel's list separator under the French locale, where « , » is the decimal mark), CRLF line
ends. The first line is the export watermark (`domain/watermark.py`): an import into a workspace of the other
kind refuses the file (Code électoral art. L52-8; CNIL, « Cloisonnez vos fichiers »).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chalicelib.domain.campaign_reports import safe_cell
from chalicelib.domain.contact_points import OVERSEAS_REGIONS

IMPORT_FIELDS = (
    "ref",
    "civility",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "address_line",
    "postcode",
    "city",
)
EXTRA_FIELDS = ("kind", "organisation_name", "other_emails", "other_phones", "tags")
CUSTOM_PREFIX = "custom."
LIST_SEPARATOR = " | "
BOM = "\ufeff"
DELIMITER = ";"


def header(custom_fields: Sequence[str]) -> list[str]:
    """The header row: the import's fields, the others, then `custom.<name>` per declared custom field."""
    return [*IMPORT_FIELDS, *EXTRA_FIELDS, *(CUSTOM_PREFIX + name for name in custom_fields)]


_FRENCH_NATIONAL = frozenset({"FR", *OVERSEAS_REGIONS})


def phone_cell(stored: str) -> str:
    """A stored E.164 number as dialled from France (see the module's docstring); as stored if unreadable."""
    import phonenumbers  # here, not with the module: an export needs it, not the cold start

    try:
        number = phonenumbers.parse(stored, "FR")
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) in _FRENCH_NATIONAL:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_out_of_country_calling_number(number, "FR")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(v) for v in value)
    return str(value)


def row(contact_id: str, doc: Mapping[str, Any], custom_fields: Sequence[str]) -> list[str]:
    """One contact's cells, in `header` order, each already neutralised."""
    emails = list(doc.get("emails") or [])
    phones = [phone_cell(p) for p in doc.get("phones") or []]
    address = doc.get("address") or {}
    custom = doc.get("custom") or {}
    cells: list[Any] = [
        contact_id,
        doc.get("civility"),
        doc.get("first_name"),
        doc.get("last_name"),
        emails[0] if emails else None,
        phones[0] if phones else None,
        doc.get("birth_date"),
        ", ".join(line for line in address.get("lines") or [] if line),
        address.get("postcode"),
        address.get("city"),
        doc.get("kind"),
        doc.get("organisation_name"),
        emails[1:],
        phones[1:],
        list(doc.get("tags") or []),
        *(custom.get(name) for name in custom_fields),
    ]
    return [safe_cell(_text(cell)) for cell in cells]


def csv_bytes(watermark_line: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The file: byte-order mark, the watermark line, the header, the rows (cells as given: see `row`)."""
    out = io.StringIO()
    out.write(BOM + watermark_line + "\r\n")
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in columns])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
