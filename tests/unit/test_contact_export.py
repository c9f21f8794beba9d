"""The contact file of an export: the import's column names, formula cells neutralised (OWASP « CSV Injection »),
the CSV Excel reads in France (UTF-8 BOM, « ; »), the watermark first; the XLSX written as text."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import openpyxl
import pytest

from chalicelib.domain import contact_export, watermark
from chalicelib.domain.contact_points import normalise_phone
from chalicelib.printing import workbook

MARK = watermark.line("t-ville", "institution", "2026-12-05T08:00:00Z")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("a=b", "a=b"),
    ],
    ids=["owasp-csv-injection-equals", "plus", "minus", "at", "tab", "carriage-return", "inner-dash", "inner-equals"],
)
def test_formula_cells_are_written_as_text(value: str, written: str) -> None:
    row = contact_export.row("C1", {"kind": "person", "last_name": value, "tags": [value]}, [])
    columns = contact_export.header([])
    assert row[columns.index("last_name")] == written
    assert row[columns.index("tags")] == written


def test_a_row_follows_the_import_field_names_then_the_rest() -> None:
    doc = {
        "kind": "person",
        "civility": "Mme",
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "emails": ["a@example.fr", "b@example.fr", "c@example.fr"],
        "phones": ["+33612345678", "+442079460958"],
        "birth_date": "1970-03-01",
        "address": {"lines": ["12 rue du Gros-Horloge", "", "Bât. B"], "postcode": "76000", "city": "Rouen"},
        "tags": ["Riverain", "Vœux"],
        "custom": {"quartier": "Centre", "benevole": True},
    }
    columns = contact_export.header(["quartier", "benevole", "absent"])
    assert columns[:10] == list(contact_export.IMPORT_FIELDS)
    assert dict(zip(columns, contact_export.row("C1", doc, ["quartier", "benevole", "absent"]), strict=True)) == {
        "ref": "C1",
        "civility": "Mme",
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "email": "a@example.fr",
        "phone": "06 12 34 56 78",
        "birth_date": "1970-03-01",
        "address_line": "12 rue du Gros-Horloge, Bât. B",
        "postcode": "76000",
        "city": "Rouen",
        "kind": "person",
        "organisation_name": "",
        "other_emails": "b@example.fr | c@example.fr",
        "other_phones": "00 44 20 7946 0958",
        "tags": "Riverain | Vœux",
        "custom.quartier": "Centre",
        "custom.benevole": "oui",
        "custom.absent": "",
    }


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+262692123456", "0692 12 34 56"),
        ("+590690001234", "0690 00 12 34"),
        ("+442079460958", "00 44 20 7946 0958"),
        ("n/a", "n/a"),
    ],
    ids=["arcep-national-format", "la-reunion", "guadeloupe", "international-prefix-from-france", "unreadable"],
)
def test_phones_are_written_as_dialled_from_france_and_read_back(stored: str, written: str) -> None:
    assert contact_export.phone_cell(stored) == written
    if stored.startswith("+"):
        assert normalise_phone(written) == stored  # an import of the file finds the same number


def test_the_csv_is_for_excel_in_france_and_carries_the_watermark_first() -> None:
    columns = contact_export.header([])
    data = contact_export.csv_bytes(
        MARK, columns, [contact_export.row("C1", {"kind": "person", "last_name": "Dû; «x»"}, [])]
    )
    assert data.startswith(b"\xef\xbb\xbf# agora-export v1; tenant=t-ville; kind=institution;")
    mark = watermark.find(data)
    assert mark is not None and (mark.tenant_id, mark.kind) == ("t-ville", "institution")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == MARK
    [header, row] = list(csv.reader(io.StringIO("\r\n".join(lines[1:]), newline=""), delimiter=";"))
    assert header == columns and row[columns.index("last_name")] == "Dû; «x»"


def test_the_workbook_is_text_with_the_watermark_property() -> None:
    columns = ["ref", "last_name", "postcode"]
    data = workbook.xlsx_bytes("Contacts", MARK, columns, [["C1", "'=1+1", "01000"]])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.custom_doc_props[workbook.WATERMARK_PROPERTY].value == MARK
    rows = [[(cell.value, cell.data_type) for cell in row] for row in book.active.iter_rows()]
    assert rows == [[(c, "s") for c in columns], [("C1", "s"), ("'=1+1", "s"), ("01000", "s")]]


def test_the_app_does_not_import_openpyxl_until_a_workbook_is_written() -> None:
    code = "import sys, app; print('openpyxl' in sys.modules)"
    env = {"AGORA_STAGE": "local", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"
