"""Contact files brought into the directory: reading CSV and XLSX, the suggested column mapping, rows as records.

Reading (`read_table`). A CSV in UTF-8 (with or without a byte-order mark) or Windows-1252, what Excel writes in
France; its delimiter (« ; », « , » or a tab) told from the header line. The Agora export watermark line
(`domain/watermark.py`) before the header is skipped and returned, so that the import refuses a file of the other
tenant kind (Code électoral art. L52-8; CNIL « Cloisonnez vos fichiers »). An XLSX (openpyxl, read-only mode, the
first sheet or a named one) is first checked for its uncompressed size (the sum of its zip members' sizes, read
from the zip directory without inflating anything): above `MAX_XLSX_UNCOMPRESSED` it is refused, a zip bomb never
reaches the parser. Its watermark is the workbook's custom property (`printing/workbook.py`). At most `MAX_ROWS`
data rows.

Cells. A leading apostrophe that an export added before « = », « + », « - » or « @ » (OWASP « CSV Injection »,
`campaign_reports.safe_cell`) is removed (`unquote`), so that what was exported comes back as it was. A cell that
is a formula (« =HYPERLINK(…) ») is kept as text, never evaluated: it is stored as the characters it holds, and
every export neutralises it again.

Mapping (`suggest_mapping`): each column's header, folded (accents, case, spaces and punctuation ignored), against
French and English names (« Nom », « Prénom », « Courriel », « Portable », « Code postal », « Date de naissance »,
« Last name », « E-mail »…), the export's own field names, and the tenant's custom fields (`custom.<name>`, or the
field's name or label). Targets are the export's field names (`domain/contact_export.py`), `custom.<name>`, `tags`
and the consent columns `consent.email`, `consent.sms`.

Records (`flat_of`, `body_of`, `merged`). A row becomes a flat record of canonical values (civility « M » or
« Mme », ISO dates, E.164 phones…), with its errors per field; the body of POST /contacts is built from it and
validated by the same model as POST /contacts (by the caller: the domain does not read the HTTP contract). An
existing contact goes through the same path (its export row, then `flat_of`), so that « nothing changed » is a
comparison of two flat records: an export imported back is `unchanged` field for field.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from chalicelib.domain import contact_export, duplicates, watermark
from chalicelib.domain.campaign_reports import FORMULA_STARTS
from chalicelib.domain.contact_points import normalise_email, normalise_phone
from chalicelib.domain.duplicates import CIVILITIES, iso_date
from chalicelib.domain.text import fold

MAX_ROWS = 50_000
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024  # bytes once inflated: beyond, a zip bomb or far more than 50,000 rows
MAX_CELL = 5000  # characters kept of a cell (the longest field, a custom text, takes 2,000)
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DELIMITERS = (";", ",", "\t")
CONSENT_PREFIX = "consent."
CONSENT_CHANNELS = ("email", "sms")

# Every target a column may be mapped to, besides custom.<name>.
FIELDS = (
    *contact_export.IMPORT_FIELDS,
    *contact_export.EXTRA_FIELDS,
    *(CONSENT_PREFIX + c for c in CONSENT_CHANNELS),
)
LIST_FIELDS = ("other_emails", "other_phones", "tags")


def header_key_of(header: str) -> str:
    """A header as compared: folded (accents, case), without spaces or punctuation."""
    return fold(header).replace(" ", "")


# Header names (folded, without spaces or punctuation) → field. French first, then English.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "identifiant", "id", "idcontact", "contactid"),
    "civility": ("civilite", "civ", "titre", "title", "salutation", "civility"),
    "first_name": ("prenom", "prenoms", "firstname", "givenname", "forename"),
    "last_name": ("nom", "nomdefamille", "nomdusage", "patronyme", "lastname", "surname", "familyname", "name"),
    "email": ("courriel", "email", "mail", "mel", "adressecourriel", "adresseemail", "adressemail", "emailaddress"),
    "phone": (
        "telephone",
        "tel",
        "portable",
        "mobile",
        "telportable",
        "telephoneportable",
        "numerodetelephone",
        "gsm",
        "phone",
        "mobilephone",
        "cellphone",
        "phonenumber",
    ),
    "birth_date": ("datedenaissance", "naissance", "datenaissance", "nele", "birthdate", "dateofbirth", "dob"),
    "address_line": ("adresse", "adresseligne1", "rue", "voie", "address", "addressline", "addressline1", "street"),
    "postcode": ("codepostal", "cp", "postcode", "postalcode", "zip", "zipcode"),
    "city": ("ville", "commune", "localite", "city", "town"),
    "kind": ("kind", "typedecontact"),
    "organisation_name": ("organisation", "organisme", "structure", "societe", "entreprise", "organization", "company"),
    "other_emails": ("otheremails", "autrescourriels", "autresemails"),
    "other_phones": ("otherphones", "autrestelephones"),
    "tags": ("tags", "etiquettes", "motscles", "labels"),
    "consent.email": ("consentemail", "consentementemail", "consentementcourriel", "optinemail", "emailconsent"),
    "consent.sms": ("consentsms", "consentementsms", "optinsms", "smsconsent"),
}
# The export's own column names first: a file exported by Agora maps itself.
_BY_HEADER = {header_key_of(f): f for f in FIELDS} | {
    name: target for target, names in HEADER_NAMES.items() for name in names
}

KINDS = {"person": "person", "personne": "person", "organisation": "organisation", "organization": "organisation"}
CONSENT_VALUES = {
    "oui": "granted",
    "yes": "granted",
    "granted": "granted",
    "accorde": "granted",
    "1": "granted",
    "vrai": "granted",
    "true": "granted",
    "non": "withdrawn",
    "no": "withdrawn",
    "withdrawn": "withdrawn",
    "retire": "withdrawn",
    "refuse": "withdrawn",
    "0": "withdrawn",
    "faux": "withdrawn",
    "false": "withdrawn",
    "unknown": "unknown",
    "inconnu": "unknown",
}
BOOLEANS = {"oui": True, "vrai": True, "true": True, "1": True, "non": False, "faux": False, "false": False, "0": False}


class FileRefused(ValueError):
    """The file cannot be read as a contact table (a French message for the user)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A file's columns and data rows (cells as text, padded to the columns), where its rows start, its mark."""

    columns: list[str]
    rows: list[list[str]]
    lines: list[int]  # the line (CSV) or row (XLSX) number of each row, as a spreadsheet shows it
    marks: list[watermark.Watermark] = field(default_factory=list)
    encoding: str = ""


@dataclass(frozen=True, slots=True)
class CustomTarget:
    """A custom field declared by the tenant, as a mapping target: its name, label and type."""

    name: str
    label: str
    type: str  # domain/custom_fields.FIELD_TYPES


Flat = dict[str, Any]  # field → canonical value (str, or list[str] for LIST_FIELDS, typed for custom fields)
FieldErrors = list[tuple[str, str]]  # (field, French message)


# --- reading ------------------------------------------------------------------------------------------------------


def unquote(cell: str) -> str:
    """A cell as it was before an export neutralised it (`campaign_reports.safe_cell`, the same characters):
    « '=SOMME(A1) » → « =SOMME(A1) »; other cells as they are."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (byte-order mark dropped), else Windows-1252 (what Excel writes in France)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of « ; », « , » and tab outside quotes (« ; » on a tie)."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = [(outside.count(d), -n) for n, d in enumerate(DELIMITERS)]
    best = max(counts)
    return DELIMITERS[-best[1]] if best[0] else ";"


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(data: bytes, *, sheet: str | None = None) -> Table:
    """The file as a table, CSV or XLSX by its first bytes; `FileRefused` with the reason otherwise."""
    table = read_xlsx(data, sheet) if is_xlsx(data) else read_csv(data)
    if not any(c.strip() for c in table.columns):
        raise FileRefused("La première ligne du fichier doit donner le nom des colonnes.")
    if len(table.rows) > MAX_ROWS:
        raise FileRefused(f"Fichier trop long : {MAX_ROWS} lignes au plus par import ({len(table.rows)} reçues).")
    return table


def _cells(values: Iterable[Any], width: int) -> list[str]:
    cells = [_text(v)[:MAX_CELL] for v in values]
    return (cells + [""] * width)[: max(width, 0)] if width else cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()[:10]  # an XLSX date cell (a datetime at midnight)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(data: bytes) -> Table:
    if not data.strip():
        raise FileRefused("Fichier vide.")
    text, encoding = decode(data)
    lines = text.splitlines(keepends=True)
    at = 0
    marks: list[watermark.Watermark] = []
    while at < len(lines) and (mark := watermark.find(lines[at].encode("utf-8"))) is not None:
        marks.append(mark)  # an export's watermark line, before the header
        at += 1
    body = "".join(lines[at:])
    if not body.strip():
        raise FileRefused("Le fichier ne contient pas de ligne d'en-tête.")
    delimiter = sniff_delimiter(lines[at])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    try:
        columns = [c.strip() for c in next(reader)]
        rows: list[list[str]] = []
        numbers: list[int] = []
        start = reader.line_num + 1
        for cells in reader:
            if len(rows) > MAX_ROWS:
                break
            if any(c.strip() for c in cells):
                rows.append(_cells(cells, len(columns)))
                numbers.append(at + start)  # a quoted cell may span lines: the record's first line
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRefused(f"Fichier CSV illisible à la ligne {reader.line_num + at} : {exc}.") from exc
    return Table(columns, rows, numbers, marks, encoding)


def xlsx_uncompressed_size(data: bytes) -> int:
    """The sum of the zip members' declared sizes, read from the central directory (nothing is inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRefused("Fichier XLSX illisible (archive endommagée).") from exc


def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    """The first sheet (or ``sheet``) of a workbook: header row, then data rows. The size check comes first."""
    size = xlsx_uncompressed_size(data)
    if size > MAX_XLSX_UNCOMPRESSED:
        raise FileRefused(
            f"Classeur trop volumineux une fois décompressé ({size // (1024 * 1024)} Mo, "
            f"{MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} Mo au plus)."
        )
    from openpyxl import load_workbook  # imported here: see printing/workbook.py (cold starts)

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused("Fichier XLSX illisible.") from exc
    try:
        marks = [
            mark
            for prop in getattr(book, "custom_doc_props", None) or []
            if (mark := watermark.find(str(getattr(prop, "value", "")).encode("utf-8"))) is not None
        ]
        if sheet is not None and sheet not in book.sheetnames:
            raise FileRefused(f"Feuille « {sheet[:60]} » introuvable ; feuilles : {', '.join(book.sheetnames)}.")
        table = book[sheet] if sheet is not None else book.worksheets[0]
        values = table.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            raise FileRefused("Feuille vide.")
        columns = _cells(header, 0)
        while columns and not columns[-1]:
            columns.pop()
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, cells in enumerate(values, start=2):
            if len(rows) > MAX_ROWS:
                break
            row = _cells(cells, len(columns))
            if any(row):
                rows.append(row)
                numbers.append(number)
    finally:
        book.close()
    return Table(columns, rows, numbers, marks, "xlsx")


# --- mapping ------------------------------------------------------------------------------------------------------


def suggest_mapping(columns: Sequence[str], custom: Sequence[CustomTarget] = ()) -> dict[str, str]:
    """Column → field for the columns recognised; a field is given to its first column only."""
    by_custom: dict[str, str] = {}
    for c in custom:
        for name in (c.name, c.label, contact_export.CUSTOM_PREFIX + c.name):
            by_custom.setdefault(header_key_of(name), contact_export.CUSTOM_PREFIX + c.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        key = header_key_of(column)
        target = by_custom.get(key) or _BY_HEADER.get(key)
        if target and target not in taken and column not in mapping:
            mapping[column] = target
            taken.add(target)
    return mapping


def mapping_errors(
    columns: Sequence[str], mapping: Mapping[str, str], custom: Sequence[CustomTarget] = ()
) -> FieldErrors:
    """What is wrong with a mapping chosen by the user: unknown columns or targets, a target given twice."""
    errors: FieldErrors = []
    targets = {*FIELDS, *(contact_export.CUSTOM_PREFIX + c.name for c in custom)}
    seen: set[str] = set()
    for column, target in mapping.items():
        where = f"mapping.{column[:60]}"
        if column not in columns:
            errors.append((where, "Colonne absente du fichier."))
        elif target not in targets:
            errors.append((where, f"Champ inconnu : « {target[:60]} »."))
        elif target in seen:
            errors.append((where, f"Le champ « {target} » est déjà associé à une autre colonne."))
        seen.add(target)
    if not seen & {"last_name", "organisation_name", "ref"}:
        errors.append(("mapping", "Associez au moins une colonne au nom (« last_name ») ou à l'organisation."))
    return errors


# --- records ------------------------------------------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    separator = "|" if "|" in cell else ","
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except ValueError:
        return value  # the contact model rejects it with its own message


def _email(value: str) -> str:
    try:
        return normalise_email(value)
    except ValueError:
        return value


def _custom_value(kind: str, cell: str) -> tuple[Any, str | None]:
    """A custom field's cell as the value its type stores (checked again by the contact rules)."""
    if kind == "number":
        try:
            number = float(cell.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            return cell, "Doit être un nombre."
        return (int(number) if number.is_integer() else number), None
    if kind == "bool":
        found = BOOLEANS.get(fold(cell))
        return (cell, "Doit être « oui » ou « non ».") if found is None else (found, None)
    if kind == "date":
        iso = iso_date(cell)
        return (cell, "Date illisible (format attendu JJ/MM/AAAA ou AAAA-MM-JJ).") if iso is None else (iso, None)
    return cell, None


def flat_of(  # noqa: C901  (one branch per kind of field, each a few lines)
    cells: Mapping[str, str], custom: Mapping[str, CustomTarget] | None = None
) -> tuple[Flat, FieldErrors]:
    """(flat record of the non-empty cells, errors per field) of a row given as field → cell."""
    flat: Flat = {}
    errors: FieldErrors = []
    for name, raw in cells.items():
        value = unquote(raw.strip())
        if not value:
            continue
        if name == "civility":
            civility = CIVILITIES.get(fold(value).replace(" ", "").rstrip("."))
            if civility is None:
                errors.append((name, f"Civilité inconnue : « {value[:40]} » (M., Mme, Monsieur, Madame)."))
            else:
                flat[name] = civility
        elif name == "birth_date":
            iso = iso_date(value)
            if iso is None:
                errors.append((name, f"Date illisible : « {value[:40]} » (format attendu JJ/MM/AAAA ou AAAA-MM-JJ)."))
            else:
                flat[name] = iso
        elif name == "phone":
            flat[name] = _phone(value)
        elif name == "email":
            flat[name] = _email(value)
        elif name == "other_phones":
            flat[name] = [_phone(v) for v in _split(value)]
        elif name == "other_emails":
            flat[name] = [_email(v) for v in _split(value)]
        elif name == "tags":
            flat[name] = _split(value)
        elif name == "kind":
            kind = KINDS.get(fold(value))
            if kind is None:
                errors.append((name, "Type inconnu : « person » ou « organisation »."))
            else:
                flat[name] = kind
        elif name.startswith(CONSENT_PREFIX):
            status = CONSENT_VALUES.get(fold(value))
            if status is None:
                errors.append((name, "Consentement illisible : « oui », « non » ou « inconnu »."))
            else:
                flat[name] = status
        elif name.startswith(contact_export.CUSTOM_PREFIX):
            target = (custom or {}).get(name.removeprefix(contact_export.CUSTOM_PREFIX))
            typed, error = _custom_value(target.type if target else "text", value)
            if error:
                errors.append((name, error))
            else:
                flat[name] = typed
        else:
            flat[name] = value
    return flat, errors


def flat_of_contact(doc: Mapping[str, Any], custom: Mapping[str, CustomTarget]) -> Flat:
    """An existing contact as a flat record: its export row read back, as an imported row is."""
    names = list(custom)
    columns = contact_export.header(names)
    cells = dict(zip(columns, contact_export.row("", doc, names), strict=True))
    cells.pop("ref")
    flat, _ = flat_of(cells, custom)
    return flat


def body_of(flat: Flat) -> dict[str, Any]:
    """The body of POST /contacts a flat record gives (to be validated by the contact model)."""
    kind = flat.get("kind") or (
        "organisation" if flat.get("organisation_name") and not flat.get("last_name") else "person"
    )
    body: dict[str, Any] = {"kind": kind}
    for name in ("civility", "first_name", "last_name", "organisation_name", "birth_date"):
        if name in flat:
            body[name] = flat[name]
    emails = [*([flat["email"]] if "email" in flat else []), *flat.get("other_emails", [])]
    phones = [*([flat["phone"]] if "phone" in flat else []), *flat.get("other_phones", [])]
    if emails:
        body["emails"] = emails
    if phones:
        body["phones"] = phones
    if flat.get("tags"):
        body["tags"] = list(flat["tags"])
    if any(k in flat for k in ("address_line", "postcode", "city")):
        body["address"] = {
            "lines": [flat["address_line"]] if "address_line" in flat else [],
            "postcode": flat.get("postcode"),
            "city": flat.get("city"),
        }
    custom = {
        k.removeprefix(contact_export.CUSTOM_PREFIX): v
        for k, v in flat.items()
        if k.startswith(contact_export.CUSTOM_PREFIX)
    }
    if custom:
        body["custom"] = custom
    return body


def record_fields(flat: Flat) -> Flat:
    """The fields of a flat record that a contact stores (consent columns go to the consent records)."""
    return {k: v for k, v in flat.items() if not k.startswith(CONSENT_PREFIX) and k != "ref"}


def differs(imported: Flat, existing: Flat) -> list[str]:
    """The imported fields that would change the existing contact (an empty cell changes nothing; a list field
    changes it only when it brings a value the contact lacks)."""
    changed = []
    for name, value in record_fields(imported).items():
        if name in LIST_FIELDS:
            if set(value) - set(existing.get(name) or []):
                changed.append(name)
        elif name in ("email", "phone"):
            plural = "other_emails" if name == "email" else "other_phones"
            if value != existing.get(name) and value not in (existing.get(plural) or []):
                changed.append(name)
        elif existing.get(name) != value:
            changed.append(name)
    return changed


def merged(doc: Mapping[str, Any], imported: Flat, changed: Sequence[str]) -> dict[str, Any]:
    """An existing record (a contact's doc) with the imported values of the ``changed`` fields: never an empty
    cell over a value; an email, phone or tag is added to the contact's list, the imported email or phone first."""
    out: dict[str, Any] = {k: v for k, v in doc.items() if k != "archived"}
    address = dict(out.get("address") or {"lines": [], "postcode": None, "city": None})
    for name in changed:
        value = imported[name]
        if name in ("email", "other_emails"):
            new = [value] if name == "email" else list(value)
            out["emails"] = list(dict.fromkeys([*new, *(out.get("emails") or [])]))
        elif name in ("phone", "other_phones"):
            new = [value] if name == "phone" else list(value)
            out["phones"] = list(dict.fromkeys([*new, *(out.get("phones") or [])]))
        elif name == "tags":
            out["tags"] = list(dict.fromkeys([*(out.get("tags") or []), *value]))
        elif name == "address_line":
            address["lines"] = [value]
        elif name in ("postcode", "city"):
            address[name] = value
        elif name.startswith(contact_export.CUSTOM_PREFIX):
            out["custom"] = {**(out.get("custom") or {}), name.removeprefix(contact_export.CUSTOM_PREFIX): value}
        else:
            out[name] = value
    if address.get("lines") or address.get("postcode") or address.get("city"):
        out["address"] = address
    return out


# Schema paths of the contact model → the import's field names, for errors per line and field.
_PATHS = (
    (re.compile(r"^emails\[0\]"), "email"),
    (re.compile(r"^emails(\[\d+\])?"), "other_emails"),
    (re.compile(r"^phones\[0\]"), "phone"),
    (re.compile(r"^phones(\[\d+\])?"), "other_phones"),
    (re.compile(r"^address\.lines.*"), "address_line"),
    (re.compile(r"^address\.(postcode|city)"), r"\1"),
    (re.compile(r"^custom\."), "custom."),
    (re.compile(r"^tags.*"), "tags"),
)


def import_field(path: str) -> str:
    """The import field a contact model's error path names: « phones[0] » → « phone »."""
    for pattern, name in _PATHS:
        if pattern.match(path):
            return pattern.sub(name, path, count=1)
    return path


# --- duplicates ---------------------------------------------------------------------------------------------------

ROW_REF = "row:"  # a row's profile ref: never a contact id (a ULID)


@dataclass(frozen=True, slots=True)
class RowMatch:
    """The record a row may be: a contact of the tenant (its id) or an earlier row of the file (``line``)."""

    contact_id: str | None
    line: int | None
    score: float
    matched: tuple[str, ...]


def row_ref(line: int) -> str:
    return f"{ROW_REF}{line:07d}"


def _same_person_fields(a: duplicates.Profile, b: duplicates.Profile) -> bool:
    """Every identifying field the same (names alone, for a row that gives nothing else): the same record, which
    the score, made to tell people apart on evidence, leaves under its threshold (homonyms)."""
    return replace(a, ref="") == replace(b, ref="")


def _match(a: duplicates.Profile, b: duplicates.Profile) -> duplicates.Match | None:
    """The scan's score when at its threshold; an identical record (`_same_person_fields`) is a sure match."""
    match = duplicates.score(a, b)
    if match.score >= duplicates.THRESHOLD:
        return match
    return duplicates.Match(1.0, ("identical",)) if _same_person_fields(a, b) else None


def find_duplicates(
    rows: Mapping[int, duplicates.Profile], tenant: Iterable[duplicates.Profile]
) -> dict[int, RowMatch]:
    """Line → what it duplicates: the best-scoring contact of the tenant, else the first earlier row of the file.

    The same blocking as the tenant's scan (domain/duplicates.candidate_pairs: shared keys, sorted neighbourhood
    in large blocks) over the rows and the contacts sharing a key with one of them, then the same score and
    threshold: the contacts no row leads to are never compared.
    """
    row_keys: set[str] = set()
    profiles: dict[str, duplicates.Profile] = {}
    for profile in rows.values():
        row_keys |= duplicates.blocking_keys(profile)
        profiles[profile.ref] = profile
    for profile in tenant:
        if duplicates.blocking_keys(profile) & row_keys:
            profiles[profile.ref] = profile
    best: dict[int, RowMatch] = {}
    for a, b in sorted(duplicates.candidate_pairs(profiles)):
        a_row, b_row = a.startswith(ROW_REF), b.startswith(ROW_REF)
        if not (a_row or b_row):
            continue
        match = _match(profiles[a], profiles[b])
        if match is None:
            continue
        if a_row and b_row:
            first, later = sorted((int(a.removeprefix(ROW_REF)), int(b.removeprefix(ROW_REF))))
            found = RowMatch(None, first, match.score, match.matched)
            current = best.get(later)
            if current is None or (current.contact_id is None and current.line is not None and first < current.line):
                best[later] = found
            continue
        line = int((a if a_row else b).removeprefix(ROW_REF))
        contact_id = b if a_row else a
        current = best.get(line)
        if current is None or current.contact_id is None or match.score > current.score:
            best[line] = RowMatch(contact_id, None, match.score, match.matched)
    return best
