"""Contact files read back: encodings, delimiters, the export's watermark and neutralised cells, the suggested
mapping, flat records and their errors, the merge that never erases, duplicates in the file and in the tenant."""

from __future__ import annotations

import io
import zipfile

import pytest

from chalicelib.domain import contact_export, watermark
from chalicelib.domain import contact_import as ci
from chalicelib.domain.duplicates import profile
from chalicelib.printing import workbook

MARK = watermark.line("t-ville", "institution", "2026-12-05T08:00:00Z")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Nom;Prénom\nLefèvre;Hélène\n".encode(), "utf-8"),
        ("\ufeffNom;Prénom\nLefèvre;Hélène\n".encode(), "utf-8"),
        ("Nom;Prénom\nLefèvre;Hélène\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_encodings_keep_accents(data: bytes, encoding: str) -> None:
    table = ci.read_table(data)
    assert (table.columns, table.rows, table.encoding) == (["Nom", "Prénom"], [["Lefèvre", "Hélène"]], encoding)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_the_delimiter_is_detected(delimiter: str) -> None:
    data = delimiter.join(["Nom", "Prénom", "Ville"]) + "\n" + delimiter.join(["Martin", "Anne", '"Rouen, 76"'])
    assert ci.read_table(data.encode()).rows == [["Martin", "Anne", "Rouen, 76"]]


def test_broken_bytes_fall_back_to_windows_1252_and_never_raise() -> None:
    table = ci.read_table(b"Nom;Pr\xe9nom\nA\xff\xfe;B\x81\n")
    assert table.columns == ["Nom", "Prénom"] and table.encoding == "cp1252" and len(table.rows) == 1


def test_line_numbers_follow_the_file_past_the_watermark_blank_lines_and_multiline_cells() -> None:
    data = f'{MARK}\nNom;Note\nA;"deux\nlignes"\n\nB;x\n'.encode()
    table = ci.read_table(data)
    assert table.lines == [3, 6] and table.rows[0] == ["A", "deux\nlignes"]
    assert [m.tenant_id for m in table.marks] == ["t-ville"]


def test_empty_headerless_and_too_long_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    for data in (b"", b"\n\n", MARK.encode() + b"\n"):
        with pytest.raises(ci.FileRefused):
            ci.read_table(data)
    monkeypatch.setattr(ci, "MAX_ROWS", 2)
    with pytest.raises(ci.FileRefused, match="2 lignes au plus"):
        ci.read_table(b"Nom\nA\nB\nC\n")


def test_an_export_xlsx_is_read_with_its_watermark_property() -> None:
    columns = contact_export.header([])
    row = contact_export.row("C1", {"kind": "person", "last_name": "=1+1", "phones": ["+33612345678"]}, [])
    table = ci.read_table(workbook.xlsx_bytes("Contacts", MARK, columns, [row]))
    assert table.columns == columns and table.lines == [2]
    assert table.marks and table.marks[0].kind == "institution"
    cells = dict(zip(table.columns, table.rows[0], strict=True))
    assert ci.unquote(cells["last_name"]) == "=1+1" and cells["phone"] == "06 12 34 56 78"


def test_a_named_sheet_is_read_and_an_unknown_one_refused() -> None:
    data = workbook.xlsx_bytes("x", MARK, ["Nom"], [["A"]], sheet="Liste")
    assert ci.read_table(data, sheet="Liste").rows == [["A"]]
    with pytest.raises(ci.FileRefused, match="Feuille « Autre » introuvable"):
        ci.read_table(data, sheet="Autre")


def test_a_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    monkeypatch.setattr(ci, "MAX_XLSX_UNCOMPRESSED", 1024 * 1024)
    data = out.getvalue()
    assert len(data) < 50_000 and ci.is_xlsx(data)
    with pytest.raises(ci.FileRefused, match="trop volumineux une fois décompressé"):
        ci.read_table(data)
    with pytest.raises(ci.FileRefused, match="endommagée"):
        ci.read_table(b"PK\x03\x04 not a zip")


@pytest.mark.parametrize(
    ("cell", "restored"),
    [('\'=HYPERLINK("x")', '=HYPERLINK("x")'), ("'+33 6", "+33 6"), ("'-2", "-2"), ("'@A1", "@A1"), ("'abc", "'abc")],
    ids=["owasp-equals", "plus", "minus", "at", "other-apostrophe-kept"],
)
def test_the_apostrophe_an_export_added_is_removed(cell: str, restored: str) -> None:
    assert ci.unquote(cell) == restored


def test_french_and_english_headers_are_mapped() -> None:
    columns = ["Civilité", "Prénom", "NOM", "Courriel", "Portable", "Code postal", "Date de naissance", "Ville"]
    columns += ["E-mail", "Notes", "Quartier"]
    custom = [ci.CustomTarget("quartier", "Quartier", "text")]
    assert ci.suggest_mapping(columns, custom) == {
        "Civilité": "civility",
        "Prénom": "first_name",
        "NOM": "last_name",
        "Courriel": "email",
        "Portable": "phone",
        "Code postal": "postcode",
        "Date de naissance": "birth_date",
        "Ville": "city",
        "Quartier": "custom.quartier",
    }
    english = ci.suggest_mapping(["First name", "Last name", "Email", "Mobile phone", "Zip code", "Date of birth"])
    assert set(english.values()) == {"first_name", "last_name", "email", "phone", "postcode", "birth_date"}
    assert ci.suggest_mapping(contact_export.header(["quartier"]), custom)["custom.quartier"] == "custom.quartier"


def test_a_chosen_mapping_is_checked() -> None:
    errors = ci.mapping_errors(["Nom", "X"], {"Nom": "last_name", "X": "last_name", "Y": "email", "Nom ": "zz"})
    assert [field for field, _ in errors] == ["mapping.X", "mapping.Y", "mapping.Nom "]
    assert ci.mapping_errors(["A"], {"A": "email"})[-1][0] == "mapping"


def test_a_row_becomes_a_flat_record_with_its_errors_per_field() -> None:
    flat, errors = ci.flat_of(
        {
            "civility": "Madame",
            "first_name": " Anne ",
            "last_name": "'=Martin",
            "birth_date": "31/02/1970",
            "phone": "06 12 34 56 78",
            "email": "Anne@Exemple.FR",
            "tags": "Riverain | Vœux 2026",
            "custom.age": "42",
            "consent.email": "oui",
            "city": "",
        },
        {"age": ci.CustomTarget("age", "Âge", "number")},
    )
    assert errors == [("birth_date", "Date illisible : « 31/02/1970 » (format attendu JJ/MM/AAAA ou AAAA-MM-JJ).")]
    assert flat == {
        "civility": "Mme",
        "first_name": "Anne",
        "last_name": "=Martin",
        "phone": "+33612345678",
        "email": "Anne@exemple.fr",
        "tags": ["Riverain", "Vœux 2026"],
        "custom.age": 42,
        "consent.email": "granted",
    }
    _, bad = ci.flat_of({"civility": "Dr", "consent.sms": "peut-être", "kind": "robot"})
    assert [f for f, _ in bad] == ["civility", "consent.sms", "kind"]


def test_a_body_for_the_contact_model_and_the_model_paths_back_to_import_fields() -> None:
    flat, _ = ci.flat_of({"last_name": "Martin", "email": "a@b.fr", "address_line": "1 rue X", "postcode": "76000"})
    assert ci.body_of(flat) == {
        "kind": "person",
        "last_name": "Martin",
        "emails": ["a@b.fr"],
        "address": {"lines": ["1 rue X"], "postcode": "76000", "city": None},
    }
    assert ci.body_of({"organisation_name": "Club"})["kind"] == "organisation"
    paths = ["phones[0]", "phones[2]", "emails[0]", "address.postcode", "address.lines[0]", "custom.age", "civility"]
    assert [ci.import_field(p) for p in paths] == [
        "phone",
        "other_phones",
        "email",
        "postcode",
        "address_line",
        "custom.age",
        "civility",
    ]


def test_an_exported_contact_read_back_is_unchanged_and_empty_cells_never_erase() -> None:
    doc = {
        "kind": "person",
        "civility": "Mme",
        "first_name": "Anne",
        "last_name": "=Martin",
        "emails": ["anne@exemple.fr", "a2@exemple.fr"],
        "phones": ["+33612345678"],
        "address": {"lines": ["12 rue A", "Bât. B"], "postcode": "76000", "city": "Rouen"},
        "birth_date": "1970-02-03",
        "tags": ["Riverain"],
    }
    existing = ci.flat_of_contact(doc, {})
    cells = dict(zip(contact_export.header([]), contact_export.row("C1", doc, []), strict=True))
    imported, errors = ci.flat_of(cells)
    assert errors == [] and ci.differs(imported, existing) == []
    partial, _ = ci.flat_of({"last_name": "=Martin", "city": "", "email": "a2@exemple.fr", "tags": "Riverain"})
    assert ci.differs(partial, existing) == []
    newer, _ = ci.flat_of({"email": "neuve@exemple.fr", "city": "Le Havre", "tags": "Élu", "first_name": ""})
    changed = ci.differs(newer, existing)
    assert changed == ["email", "city", "tags"]
    out = ci.merged(doc, newer, changed)
    assert out["emails"] == ["neuve@exemple.fr", "anne@exemple.fr", "a2@exemple.fr"]
    assert out["address"] == {"lines": ["12 rue A", "Bât. B"], "postcode": "76000", "city": "Le Havre"}
    assert (out["tags"], out["first_name"]) == (["Riverain", "Élu"], "Anne")


def _row(line: int, **cells: str) -> tuple[int, object]:
    flat, _ = ci.flat_of(cells)
    found = profile(ci.row_ref(line), ci.body_of(flat))
    assert found is not None
    return line, found


def test_duplicates_against_the_tenant_and_inside_the_file() -> None:
    tenant = profile(
        "01AAAAAAAAAAAAAAAAAAAAAAAA",
        {"kind": "person", "first_name": "Anne", "last_name": "Martin", "emails": ["anne@exemple.fr"]},
    )
    other = profile("01BBBBBBBBBBBBBBBBBBBBBBBB", {"kind": "person", "first_name": "Paul", "last_name": "Durand"})
    assert tenant is not None and other is not None
    rows = dict(
        [
            _row(2, first_name="Anne", last_name="MARTIN", email="anne@exemple.fr"),
            _row(3, first_name="Jean", last_name="Dupont", email="jd@exemple.fr", birth_date="01/01/1960"),
            _row(4, first_name="Jean", last_name="Dupond", email="jd@exemple.fr", birth_date="1960-01-01"),
            _row(5, first_name="Zoé", last_name="Leroy"),
        ]
    )
    found = ci.find_duplicates(rows, [tenant, other])  # type: ignore[arg-type]
    assert found[2].contact_id == "01AAAAAAAAAAAAAAAAAAAAAAAA" and "email" in found[2].matched
    assert (found[4].contact_id, found[4].line) == (None, 3)
    assert set(found) == {2, 4}
