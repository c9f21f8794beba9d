"""Parser for the open-data files of the Répertoire national des élus (RNE), first layer of the RNE import.

Pure functions over text: no AWS, no I/O besides the bytes or lines given. The import job (S3, SQS, DynamoDB)
reads an upload in chunks and calls, per chunk:

1. :func:`decode` on a byte range cut at a ``b"\\n"`` (safe in UTF-8 and Windows-1252: a newline byte never
   occurs inside a multi-byte UTF-8 character);
2. :func:`detect` once, on the first line of the file (the header), to name the file kind;
3. :func:`parse` on the lines of the chunk: ``parse(lines, departement, header=header, first_line=n)`` for a
   chunk that starts at line ``n`` of the file (without ``header`` the first line given is the header);
4. :func:`identity_key` on each :class:`RneRow` to find the existing person (no stable RNE identifier exists);
5. :func:`may_end_vanished` once, after the last chunk, on the rows read and rejected: whether the file was
   accepted as a whole, so that the mandates it no longer lists may be end-dated.

:func:`parse` is a generator: it holds one line at a time, so a 35,000-row maires file or the ~490,000-row
conseillers municipaux file can be streamed. A quoted field spanning a chunk boundary is not supported (the RNE
files have none).

Source note: the data set « Répertoire national des élus (RNE) » of the Ministère de l'Intérieur,
<https://www.data.gouv.fr/fr/datasets/repertoire-national-des-elus-1/> (files by mandate, updated quarterly), as
its public reusers parse it (checked 2026-11):

- Format ✅ separator ``;``; UTF-8 in current releases, latin-1/cp1252 seen on some ⚠️ → UTF-8 (BOM stripped),
  then Windows-1252, then latin-1 (never fails); dates ``jj/mm/aaaa`` ✅, ISO ``aaaa-mm-jj`` only seen in test
  fixtures ⚠️ → both accepted; ``Code sexe`` ∈ {M, F} ✅; département codes are text (``2A``, ``971``) ✅;
  ``Code de la commune`` is the 5-character INSEE code or, in some releases, 1 to 3 characters to prefix with the
  département ⚠️ → both accepted (``2A`` + ``004`` → ``2A004``).
- Exact headers: conseillers municipaux, maires, députés, sénateurs ✅; conseillers départementaux and
  régionaux ⚠️ (labels assembled from the CM header, order from two sources); conseillers communautaires (EPCI)
  and représentants au Parlement européen ⚠️ (order from a DDL only). Columns are read **by name**, never by
  position, so an order change between releases is harmless; only the set of labels must be known.
- Accepted variants (:data:`COLUMN_ALIASES`): « Code CSP » / « Libellé CSP » (CD and CR test fixtures of public
  parsers) and the 2018–2020 labels « Code Insee de la commune », « Code profession », « Libellé de la profession »,
  « Libellé de fonction » (BrefAvignon/BrefInit ✅ for those releases); « Code nationalité » is optional in every file
  (present in the CM file only). Any other unknown or missing column → :class:`RneFormatError`.
- Not handled (12 files are published): conseillers d'arrondissement (CA), membres des assemblées à statut particulier
  (MA), CONS and AFE files: they are rejected as unknown headers.
- ❓ Our conventions, not in the sources: the circonscription code is built as département + 2-digit number
  (« 76 » + « 1 » → « 7601 », as ``model.Territory``) and kept as is when the file already gives it that way; the
  canton code likewise (« 01 » + « 01 » → « 0101 », a public CD fixture has ``0101``); the labels of
  « Libellé de la fonction » mapped to our function codes (:data:`FUNCTION_RULES`) come from the usual RNE
  wording (« Maire », « 1er adjoint au maire », « Président du conseil départemental », « Vice-président… ») and
  were not checked on a real file: an unknown label gives the file's councillor code and is kept in
  ``RneRow.function_label``; the European Parliament territory is ``Territory("europe", "FR", "France")``
  (single national constituency since 2019).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from chalicelib.domain.protocol.geography import departement_of as _departement_in_code
from chalicelib.domain.protocol.model import Territory
from chalicelib.domain.text import fold

SEPARATOR = ";"


class RneFormatError(ValueError):
    """The file is not a known RNE file (unknown header); the message is in French."""


class RneFileKind(StrEnum):
    MAIRES = "maires"
    CONSEILLERS_MUNICIPAUX = "conseillers_municipaux"
    CONSEILLERS_COMMUNAUTAIRES = "conseillers_communautaires"
    CONSEILLERS_DEPARTEMENTAUX = "conseillers_departementaux"
    CONSEILLERS_REGIONAUX = "conseillers_regionaux"
    DEPUTES = "deputes"
    SENATEURS = "senateurs"
    REPRESENTANTS_PARLEMENT_EUROPEEN = "representants_parlement_europeen"


# French label and trailing code of the file name (match on the code: the file names vary between releases).
KIND_LABELS: dict[RneFileKind, tuple[str, str]] = {
    RneFileKind.MAIRES: ("maires", "mai"),
    RneFileKind.CONSEILLERS_MUNICIPAUX: ("conseillers municipaux", "cm"),
    RneFileKind.CONSEILLERS_COMMUNAUTAIRES: ("conseillers communautaires", "epci"),
    RneFileKind.CONSEILLERS_DEPARTEMENTAUX: ("conseillers départementaux", "cd"),
    RneFileKind.CONSEILLERS_REGIONAUX: ("conseillers régionaux", "cr"),
    RneFileKind.DEPUTES: ("députés", "dep"),
    RneFileKind.SENATEURS: ("sénateurs", "sen"),
    RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN: ("représentants au Parlement européen", "rpe"),
}

# ---------------------------------------------------------------------------------------------------------------
# Exact header strings (✅ CM, MAI, DEP, SEN; ⚠️ CD, CR labels; ⚠️ EPCI, RPE order from a public DDL).
# ---------------------------------------------------------------------------------------------------------------
_PERSON = (
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
)
_DEP = ("Code du département", "Libellé du département")
_CSP = ("Code de la collectivité à statut particulier", "Libellé de la collectivité à statut particulier")
_FUNCTION = ("Libellé de la fonction", "Date de début de la fonction")

HEADERS: dict[RneFileKind, tuple[str, ...]] = {
    RneFileKind.CONSEILLERS_MUNICIPAUX: (
        *_DEP,
        *_CSP,
        "Code de la commune",
        "Libellé de la commune",
        *_PERSON,
        *_FUNCTION,
        "Code nationalité",
    ),
    RneFileKind.MAIRES: (*_DEP, *_CSP, "Code de la commune", "Libellé de la commune", *_PERSON, _FUNCTION[1]),
    RneFileKind.DEPUTES: (
        *_DEP,
        *_CSP,
        "Code de la circonscription législative",
        "Libellé de la circonscription législative",
        *_PERSON,
    ),
    RneFileKind.SENATEURS: (*_DEP, *_CSP, *_PERSON),
    RneFileKind.CONSEILLERS_DEPARTEMENTAUX: (*_DEP, "Code du canton", "Libellé du canton", *_PERSON, *_FUNCTION),
    RneFileKind.CONSEILLERS_REGIONAUX: (
        "Code de la région",
        "Libellé de la région",
        "Code de la section départementale",
        "Libellé de la section départementale",
        *_PERSON,
        *_FUNCTION,
    ),
    RneFileKind.CONSEILLERS_COMMUNAUTAIRES: (
        *_DEP,
        *_CSP,
        "N° SIREN",
        "Libellé de l'EPCI",
        "Code de la commune de rattachement",
        "Libellé de la commune de rattachement",
        *_PERSON,
        *_FUNCTION,
    ),
    RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN: _PERSON,
}

# Variant label → label of HEADERS (see the source note of the module).
COLUMN_ALIASES: dict[str, str] = {
    "Code CSP": "Code de la catégorie socio-professionnelle",
    "Libellé CSP": "Libellé de la catégorie socio-professionnelle",
    "Code Insee de la commune": "Code de la commune",
    "Code profession": "Code de la catégorie socio-professionnelle",
    "Libellé de la profession": "Libellé de la catégorie socio-professionnelle",
    "Libellé de fonction": "Libellé de la fonction",
}

# Columns a file may lack (or have) without changing its kind.
OPTIONAL_COLUMNS: frozenset[str] = frozenset({"Code nationalité"})

# Our field → header label, per file kind (fields absent from a kind are absent from its dict).
_PERSON_FIELDS = {
    "last_name": "Nom de l'élu",
    "first_name": "Prénom de l'élu",
    "sex": "Code sexe",
    "birth_date": "Date de naissance",
    "profession": "Libellé de la catégorie socio-professionnelle",
    "start": "Date de début du mandat",
}
_DEP_FIELDS = {"departement": "Code du département", "departement_name": "Libellé du département"}
_FUNCTION_FIELDS = {"function_label": "Libellé de la fonction", "function_start": "Date de début de la fonction"}

COLUMNS: dict[RneFileKind, dict[str, str]] = {
    RneFileKind.MAIRES: {
        **_DEP_FIELDS,
        "commune": "Code de la commune",
        "commune_name": "Libellé de la commune",
        **_PERSON_FIELDS,
        "function_start": "Date de début de la fonction",
    },
    RneFileKind.CONSEILLERS_MUNICIPAUX: {
        **_DEP_FIELDS,
        "commune": "Code de la commune",
        "commune_name": "Libellé de la commune",
        **_PERSON_FIELDS,
        **_FUNCTION_FIELDS,
    },
    RneFileKind.CONSEILLERS_COMMUNAUTAIRES: {
        **_DEP_FIELDS,
        "epci": "N° SIREN",
        "epci_name": "Libellé de l'EPCI",
        **_PERSON_FIELDS,
        **_FUNCTION_FIELDS,
    },
    RneFileKind.CONSEILLERS_DEPARTEMENTAUX: {
        **_DEP_FIELDS,
        "canton": "Code du canton",
        "canton_name": "Libellé du canton",
        **_PERSON_FIELDS,
        **_FUNCTION_FIELDS,
    },
    RneFileKind.CONSEILLERS_REGIONAUX: {
        "region": "Code de la région",
        "region_name": "Libellé de la région",
        "departement": "Code de la section départementale",
        "departement_name": "Libellé de la section départementale",
        **_PERSON_FIELDS,
        **_FUNCTION_FIELDS,
    },
    RneFileKind.DEPUTES: {
        **_DEP_FIELDS,
        "circonscription": "Code de la circonscription législative",
        "circonscription_name": "Libellé de la circonscription législative",
        **_PERSON_FIELDS,
    },
    RneFileKind.SENATEURS: {**_DEP_FIELDS, **_PERSON_FIELDS},
    RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN: dict(_PERSON_FIELDS),
}

# Function code of a row without (or with an unrecognised) « Libellé de la fonction ».
DEFAULT_FUNCTION: dict[RneFileKind, str] = {
    RneFileKind.MAIRES: "maire",
    RneFileKind.CONSEILLERS_MUNICIPAUX: "conseiller_municipal",
    RneFileKind.CONSEILLERS_COMMUNAUTAIRES: "conseiller_communautaire",
    RneFileKind.CONSEILLERS_DEPARTEMENTAUX: "conseiller_departemental",
    RneFileKind.CONSEILLERS_REGIONAUX: "conseiller_regional",
    RneFileKind.DEPUTES: "depute",
    RneFileKind.SENATEURS: "senateur",
    RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN: "depute_europeen",
}

# « Libellé de la fonction », folded (text.fold), → function code; first matching pattern wins ❓ (see note).
FUNCTION_RULES: dict[RneFileKind, tuple[tuple[str, str], ...]] = {
    RneFileKind.CONSEILLERS_MUNICIPAUX: (
        (r"^maire delegue", "maire_delegue"),
        (r"^maire\b", "maire"),
        (r"\badjoint", "adjoint_maire"),
    ),
    RneFileKind.CONSEILLERS_COMMUNAUTAIRES: ((r"^presidente?\b", "president_epci"),),
    RneFileKind.CONSEILLERS_DEPARTEMENTAUX: (
        (r"^presidente?\b", "president_conseil_departemental"),
        (r"\bvice presidente?\b", "vice_president_conseil_departemental"),
    ),
    RneFileKind.CONSEILLERS_REGIONAUX: (
        (r"^presidente?\b", "president_conseil_regional"),
        (r"\bvice presidente?\b", "vice_president_conseil_regional"),
    ),
}
_COMPILED_RULES = {
    kind: tuple((re.compile(pattern), code) for pattern, code in rules) for kind, rules in FUNCTION_RULES.items()
}

# Territory of the functions whose territory is not the file's seat (the president of a département sits for the
# département, not for the canton where they were elected).
_DEPARTEMENT_FUNCTIONS = frozenset({"president_conseil_departemental", "vice_president_conseil_departemental"})

EUROPE = Territory("europe", "FR", "France")


@dataclass(frozen=True)
class RneRow:
    """One mandate line of an RNE file, typed. ``line`` is the 1-based line number in the file."""

    line: int
    kind: RneFileKind
    last_name: str
    first_name: str
    civility: str | None  # "M" or "Mme" (Code sexe M/F)
    birth_date: date
    function: str  # code of domain/protocol/functions.py
    territory: Territory
    start: date | None  # Date de début du mandat
    function_start: date | None = None  # Date de début de la fonction
    profession: str | None = None  # Libellé de la catégorie socio-professionnelle
    function_label: str | None = None  # Libellé de la fonction as in the file
    departement: str | None = None  # département code of the row (section départementale for the CR file)


@dataclass(frozen=True)
class RneRejected:
    """A malformed line: ``reason`` in French."""

    line: int
    reason: str


# ---------------------------------------------------------------------------------------------------------------
# Decoding and header detection
# ---------------------------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of an RNE file or chunk: UTF-8 (BOM stripped), else Windows-1252, else latin-1; line ends as ``\\n``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:  # the 5 bytes cp1252 leaves undefined
            text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=SEPARATOR), [])


def _columns(header_line: str) -> list[str]:
    names = [name.strip().lstrip("\ufeff").strip() for name in _split(header_line.lstrip("\ufeff").rstrip("\r\n"))]
    if names and names[-1] == "":  # trailing separator
        names.pop()
    return [COLUMN_ALIASES.get(name, name) for name in names]


def _expected() -> str:
    return " ; ".join(f"{label} (-{code})" for label, code in KIND_LABELS.values())


def detect(header_line: str) -> RneFileKind:
    """The kind of RNE file from its header line; unknown → :class:`RneFormatError`."""
    names = set(_columns(header_line))
    for kind, header in HEADERS.items():
        allowed = set(header) | OPTIONAL_COLUMNS
        required = set(header) - OPTIONAL_COLUMNS
        if required <= names <= allowed:
            return kind
    if not names:
        raise RneFormatError(f"En-tête RNE vide. Fichiers attendus : {_expected()}.")
    closest = max(HEADERS, key=lambda k: (len(names & set(HEADERS[k])), -len(HEADERS[k])))
    header = HEADERS[closest]
    missing = [n for n in header if n not in names and n not in OPTIONAL_COLUMNS]
    unknown = sorted(names - set(header) - OPTIONAL_COLUMNS)
    details = []
    if missing:
        details.append("colonnes manquantes : " + ", ".join(f"« {n} »" for n in missing))
    if unknown:
        details.append("colonnes inconnues : " + ", ".join(f"« {n} »" for n in unknown))
    raise RneFormatError(
        "En-tête non reconnu comme un fichier du Répertoire national des élus (séparateur « ; »). "
        f"Fichiers attendus : {_expected()}. Le plus proche est le fichier des {KIND_LABELS[closest][0]}, "
        f"dont l'en-tête est : {SEPARATOR.join(header)} ; {' ; '.join(details)}."
    )


# ---------------------------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date | None:
    """``jj/mm/aaaa`` or ``aaaa-mm-jj`` → date; empty → None; anything else → ValueError (French message)."""
    value = text.strip()
    if not value:
        return None
    if match := _DMY.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"« {value} » n'est pas une date jj/mm/aaaa ou aaaa-mm-jj")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"« {value} » n'est pas une date valide") from None


def normalise_departement(code: str) -> str:
    """Département code as text: « 1 » → « 01 », « 2a » → « 2A », « ZA » → « 971 »; unknown codes kept (« 975 »)."""
    text = code.strip().upper()
    if len(text) == 1 and text.isdigit():
        text = "0" + text
    if len(text) <= 3:
        known = _departement_in_code(text)
        if known and (len(text) == len(known) or text.startswith("Z")):
            return known
    return text


def _commune_code(code: str, departement: str) -> str:
    text = code.strip().upper()
    if text.isdigit() and departement and len(text) <= 3:  # ⚠️ some releases: number within the département
        return departement + text.zfill(5 - len(departement))
    if text.isdigit() and len(text) == 4 and departement.startswith("0"):  # leading zero lost
        return "0" + text
    return text


def _sub_code(code: str, departement: str) -> str:
    """Circonscription or canton code: département + 2-digit number, kept when the file already gives it so."""
    text = code.strip().upper()
    if departement and text.isdigit() and len(text) <= 2:
        return departement + text.zfill(2)
    return text


def identity_key(last_name: str, first_name: str, birth_date: date) -> str:
    """The key that matches a person across RNE releases and our contacts: ``nom|prénom|aaaa-mm-jj``.

    Names are folded (``text.fold``: lower case, accents removed, ligatures expanded, hyphens, apostrophes and
    runs of spaces made one space), so « LEFÈVRE-DUBOIS », « Lefevre Dubois » and « lefèvre  dubois » give the
    same key; the birth date is ISO. The RNE has no stable person identifier (the old « N° Identification d'un élu » is
    gone ⚠️), so this key is what the import indexes to update an existing person instead of creating a duplicate. Two
    different people with the same names and birth date would be merged (accepted risk); a name spelt differently in a
    later release creates a new person (to be merged by hand).
    """
    last, first = fold(last_name), fold(first_name)
    if not last:
        raise ValueError("Nom vide : clé d'identité impossible.")
    return f"{last}|{first}|{birth_date.isoformat()}"


# ---------------------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------------------


class _Reject(Exception):
    pass


def _lines(text: str | Iterable[str]) -> Iterator[str]:
    if isinstance(text, str):
        return iter(io.StringIO(text, newline=""))
    return iter(text)


def _date(value: dict[str, str], field: str, label: str, required: bool = False) -> date | None:
    try:
        day = parse_date(value.get(field, ""))
    except ValueError as error:
        raise _Reject(f"{label} invalide : {error}.") from None
    if day is None and required:
        raise _Reject(f"{label} manquante.")
    return day


def _function(kind: RneFileKind, label: str) -> str:
    folded = fold(label)
    if folded:
        for pattern, code in _COMPILED_RULES.get(kind, ()):
            if pattern.search(folded):
                return code
    return DEFAULT_FUNCTION[kind]


def _territory(kind: RneFileKind, function: str, v: dict[str, str], departement: str) -> Territory:  # noqa: C901  (one case per RNE file kind)
    if kind in (RneFileKind.MAIRES, RneFileKind.CONSEILLERS_MUNICIPAUX):
        code = _commune_code(v["commune"], departement)
        if not code:
            raise _Reject("Code de la commune manquant.")
        return Territory("commune", code, v["commune_name"].strip())
    if kind is RneFileKind.CONSEILLERS_COMMUNAUTAIRES:
        siren = v["epci"].strip()
        if not siren:
            raise _Reject("N° SIREN de l'EPCI manquant.")
        return Territory("epci", siren, v["epci_name"].strip())
    if kind is RneFileKind.CONSEILLERS_REGIONAUX:
        code = v["region"].strip()
        if not code:
            raise _Reject("Code de la région manquant.")
        return Territory("region", code.zfill(2) if code.isdigit() else code, v["region_name"].strip())
    if kind is RneFileKind.DEPUTES:
        code = _sub_code(v["circonscription"], departement)
        if not code:
            raise _Reject("Code de la circonscription législative manquant.")
        return Territory("circonscription", code, v["circonscription_name"].strip())
    if kind is RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN:
        return EUROPE
    if kind is RneFileKind.CONSEILLERS_DEPARTEMENTAUX and function not in _DEPARTEMENT_FUNCTIONS:
        canton = _sub_code(v["canton"], departement)
        if canton:
            return Territory("canton", canton, v["canton_name"].strip())
    if not departement:
        raise _Reject("Code du département manquant.")
    return Territory("departement", departement, v["departement_name"].strip())


def _row(line: int, kind: RneFileKind, v: dict[str, str]) -> RneRow:
    last_name, first_name = v["last_name"].strip(), v["first_name"].strip()
    if not last_name:
        raise _Reject("Nom de l'élu manquant.")
    if not first_name:
        raise _Reject("Prénom de l'élu manquant.")
    sex = v["sex"].strip().upper()
    if sex not in ("M", "F", ""):
        raise _Reject(f"Code sexe invalide : « {sex} » (attendu M ou F).")
    birth_date = _date(v, "birth_date", "Date de naissance", required=True)
    start = _date(v, "start", "Date de début du mandat")
    function_start = _date(v, "function_start", "Date de début de la fonction")
    function_label = v.get("function_label", "").strip() or None
    function = _function(kind, function_label or "")
    departement = _row_departement(kind, v)
    if birth_date is None:  # pragma: no cover - required=True raised already
        raise _Reject("Date de naissance manquante.")
    return RneRow(
        line=line,
        kind=kind,
        last_name=last_name,
        first_name=first_name,
        civility={"M": "M", "F": "Mme"}.get(sex),
        birth_date=birth_date,
        function=function,
        territory=_territory(kind, function, v, departement or ""),
        start=start,
        function_start=function_start,
        profession=v.get("profession", "").strip() or None,
        function_label=function_label,
        departement=departement,
    )


def _row_departement(kind: RneFileKind, v: dict[str, str]) -> str | None:
    """Département of a row: its département (or section départementale) column; for a député, the one of the
    circonscription when the file gives a full code (« 7601 »); None for the European Parliament."""
    code = normalise_departement(v.get("departement", ""))
    if kind is RneFileKind.DEPUTES and not code:
        return _departement_in_code(v.get("circonscription", "").strip()) or None
    return code or None


def parse(
    text: str | Iterable[str],
    departement: str | None = None,
    *,
    header: str | None = None,
    first_line: int = 1,
) -> Iterator[RneRow | RneRejected]:
    """One :class:`RneRow` or :class:`RneRejected` per data line of an RNE file, lazily.

    ``text`` is the decoded file (``str``) or an iterable of its lines (line ends optional). Without ``header``,
    its first line is the header (:func:`detect`); with ``header`` (streaming: the header line kept from the first
    chunk), every line given is data. ``first_line`` is the file line number of the first line given (so line
    numbers stay those of the file across chunks). Blank lines are skipped.

    ``departement`` keeps only the rows of that département (« 76 », « 2A », « 971 »; « 1 » and « 2a » accepted):
    the département column, the section départementale for the conseillers régionaux, the circonscription for a
    député without département column. Rows without a département (représentants au Parlement européen: a single
    national constituency) are always kept. A line whose column count is wrong is rejected even when filtering,
    its département being unknowable.
    """
    lines = _lines(text)
    line_no = first_line
    if header is None:
        header = next(lines, "")
        line_no += 1
    kind = detect(header)
    names = _columns(header)
    fields = COLUMNS[kind]
    index = {field: names.index(label) for field, label in fields.items() if label in names}
    wanted = normalise_departement(departement) if departement else None
    count = len(names)

    reader = csv.reader(lines, delimiter=SEPARATOR)
    consumed = 0
    for record in reader:
        line = line_no + consumed
        consumed = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) == count + 1 and record[-1] == "":
            record = record[:-1]  # trailing separator
        if len(record) != count:
            yield RneRejected(line, f"Ligne {line} : {len(record)} colonnes au lieu de {count}.")
            continue
        values = {field: record[i] for field, i in index.items()}
        if wanted is not None:
            own = _row_departement(kind, values)
            if own is not None and own != wanted:
                continue
        try:
            yield _row(line, kind, values)
        except _Reject as reject:
            yield RneRejected(line, f"Ligne {line} : {reject}")


def parse_bytes(data: bytes, departement: str | None = None) -> Iterator[RneRow | RneRejected]:
    """Convenience for a whole small file: :func:`decode` then :func:`parse`."""
    return parse(decode(data), departement)


# ---------------------------------------------------------------------------------------------------------------
# Acceptance of a file as a whole
# ---------------------------------------------------------------------------------------------------------------

MAX_REJECTED_SHARE = 0.01  # default of AGORA_RNE_MAX_REJECTED_SHARE (settings.rne_max_rejected_share)
_RETRY = "aucun mandat n'a été clos. Corrigez le fichier puis réimportez-le."


def may_end_vanished(rows: int, rejected: int, max_share: float, departement: str | None = None) -> str | None:
    """Whether an import may end-date the mandates that vanished from its file: None if it may, else why not (French).

    An import ends the open mandates of its file kind (in ``departement`` when filtered on) that its file does not
    list, so only a file read as a whole may do it: at least one row accepted, and no more than ``max_share`` of
    its ``rows`` (data lines read, rejected ones included) rejected: at 1 %, 1 of 100 is accepted, 2 of 101 are
    not. Otherwise a header alone, the wrong département or a file mangled on its way (a spreadsheet's separator,
    a truncated download) would end every mandate of that kind. Refused, the import ends nothing; the mandates its
    accepted rows created or updated stay, since the file does list them.
    """
    if rows - rejected <= 0:
        where = f" pour le département {departement}" if departement else ""
        lines = f" ({_rejected_lines(rejected)} sur {rows})" if rows else ""
        return f"Aucune ligne valide{where}{lines} : {_RETRY}"
    if Decimal(rejected) > Decimal(rows) * Decimal(str(max_share)):
        percent = format(max_share * 100, "g").replace(".", ",")
        return f"{_rejected_lines(rejected)} sur {rows} (plus de {percent}\u00a0%) : {_RETRY}"
    return None


def _rejected_lines(n: int) -> str:
    return f"{n} ligne rejetée" if n == 1 else f"{n} lignes rejetées"


__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "DEFAULT_FUNCTION",
    "FUNCTION_RULES",
    "HEADERS",
    "KIND_LABELS",
    "MAX_REJECTED_SHARE",
    "OPTIONAL_COLUMNS",
    "RneFileKind",
    "RneFormatError",
    "RneRejected",
    "RneRow",
    "decode",
    "detect",
    "identity_key",
    "may_end_vanished",
    "normalise_departement",
    "parse",
    "parse_bytes",
    "parse_date",
]
