"""Contact import (CSV or XLSX): analysis and preview, then a commit in chunks, on the import machinery of the RNE.

Flow. `start` (POST /imports/contacts, ≤ 5 MB) stores the file and queues its analysis; a larger file comes through
`create_upload` (POST /imports {"kind": "contacts"}), whose S3 upload event (`on_uploaded`, from the imports queue)
queues the same analysis. The analysis (`process_message`, step `analyse`) reads the file (domain/contact_import.py),
refuses one carrying the export watermark of a tenant of the other kind (Code électoral art. L52-8; CNIL
« Cloisonnez vos fichiers »; audited), stores its table in S3, suggests the mapping and computes the preview: the
first rows as they will be stored, the errors per line and field, the duplicates against the tenant's contacts and
inside the file. The import is then `preview`. `commit` (POST /imports/{id}/commit) takes the mapping (or the
suggestion) and what to do with each duplicate (`merge`, `skip` or `create`, one choice for all or per line), and
queues the chunks: `queued`, `running`, then `done` with its counters.

One function accepts or rejects a row: `admit_row`. It runs the contact model of POST /contacts (passed in by the
job, since services do not read the HTTP contract) and the tenant's custom field rules (domain/custom_fields, as
services/contacts does), so an imported row obeys exactly the rules of a contact typed in; a later check (a row
naming a person who asked for erasure, `_without_erased`) is one batch read over the judged rows.

Duplicates (domain/contact_import.find_duplicates): the blocking and score of the tenant's scan
(domain/duplicates), over the rows and the contacts sharing a key with one of them; a `ref` column holding one of
the tenant's contact ids (an export's first column) names its contact outright; a row whose identifying fields are
exactly a contact's is that contact even when they are too few for the score. On commit, a row whose every
non-empty field already holds in its contact is `unchanged`, whatever the choice: a re-run of the same file, or an
export imported back, changes nothing. `merge` writes the row's non-empty fields into the contact (never an empty
cell over a value), validated as a whole record again.

Chunks (`CHUNK_ROWS` rows, one SQS message each). Created contacts get ids derived from the import and the line
(`created_id`), so that a redelivered chunk rewrites the same items instead of creating twice, and a row
duplicating an earlier row of the file finds what that row became. A contact a chunk merged a row into carries the
chunk's moment (`_Chunk.at`), so that a redelivered chunk counts it `updated` again and records the same audit
entries (their ids derive from that moment: the writer rewrites them), whether or not the first delivery got to
flush its own.

Consent (RGPD art. 6 and 7; CNIL délibération n° 2012-020): a created contact's email and SMS consents are
`unknown`, or what a mapped consent column says, with source `import` and the file's name and date; never
`granted` by default. On an existing contact, a consent column changes a status, except a withdrawal, which an
import never lifts (RGPD art. 21(3): an objection is honoured).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chalicelib import observability
from chalicelib.auth import Principal
from chalicelib.domain import consent as consent_rules
from chalicelib.domain import contact_import as rules
from chalicelib.domain import duplicates, watermark
from chalicelib.domain.campaign_reports import safe_cell
from chalicelib.domain.custom_fields import check_values
from chalicelib.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import queues
from chalicelib.services import audit, consents, erasure, lookup
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files, tenants
from chalicelib.store import imports as store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Consent, Contact, ContactDoc, ImportJob, ImportRejectedLine

logger = logging.getLogger("agora.contact_import")

IMPORT_ROLES = frozenset({"admin", "cabinet"})  # an import writes contacts in bulk and reads every duplicate
ERASED = "Personne ayant demandé l'effacement de ses données : cette ligne n'est pas importée."
MAX_DIRECT_BYTES = 5 * 1024 * 1024  # POST /imports/contacts; larger files go through a presigned upload
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a presigned upload above this fails the import unread
UPLOAD_PREFIX = "uploads/"
UPLOAD_URL_SECONDS = 3600
PREVIEW_ROWS = 20
# Kept in the import item, whose every list must fit with the others under DynamoDB's 400 KB item limit (an entry
# takes 100 to 200 bytes); the counts go on.
MAX_ERRORS = 300
MAX_DUPLICATES = 300
MAX_REJECTED = 300
CHUNK_ROWS = 500
PAGE = 500  # contacts read per Query when looking for duplicates
IDS_PER_AUDIT_ENTRY = 200
OnDuplicate = Literal["merge", "skip", "create"]
ON_DUPLICATE = ("merge", "skip", "create")
MAX_ATTEMPTS = queue_job("process_import").max_receive_count
CSV_TYPE = "text/csv"

# The POST /contacts model, as the job passes it in: body → validated record, or ValidationFailed field by field.
Validate = Callable[[dict[str, Any]], ContactDoc]


# --- the one place a row is accepted or rejected -----------------------------------------------------------------


@dataclass(frozen=True)
class RowContext:
    """What judging a row needs, read once per analysis or chunk: the tenant's custom fields and the contact model."""

    p: Principal
    validate: Validate
    custom: dict[str, rules.CustomTarget]
    declared: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Admitted:
    line: int
    flat: rules.Flat  # the row's non-empty values, canonical (consent columns included)
    doc: ContactDoc  # the record it creates


@dataclass(frozen=True)
class Rejected:
    line: int
    errors: list[tuple[str, str]]  # (field, French message)

    @property
    def reason(self) -> str:
        return " ; ".join(f"{f} : {m}" for f, m in self.errors)


def admit_row(ctx: RowContext, line: int, cells: Mapping[str, str]) -> Admitted | Rejected:
    """Accept a row (field → cell) as a contact record, or reject it with its errors per field: the cells' own
    errors (dates, civility, consent), then the rules of POST /contacts and of the tenant's custom fields."""
    flat, errors = rules.flat_of(cells, ctx.custom)
    doc = _validated(ctx, rules.body_of(rules.record_fields(flat)), errors)
    if errors or doc is None:
        return Rejected(line, errors)
    return Admitted(line, flat, doc)


def _validated(ctx: RowContext, body: dict[str, Any], errors: list[tuple[str, str]]) -> ContactDoc | None:
    """The record the contact model and the custom field rules make of ``body``; their errors added to ``errors``."""
    try:
        doc = ctx.validate(body)
    except ValidationFailed as exc:
        errors.extend((rules.import_field(str(d["field"])), str(d["message"])) for d in exc.details)
        return None
    if doc.get("custom"):
        cleaned, custom_errors = check_values(doc["custom"], ctx.declared)
        if custom_errors:
            errors.extend((rules.import_field(e["field"]), e["message"]) for e in custom_errors)
            return None
        doc["custom"] = cleaned
    return doc


def _context(p: Principal, validate: Validate) -> RowContext:
    declared = tenants.list_fields(p.tenant_id)
    return RowContext(
        p,
        validate,
        {f.name: rules.CustomTarget(f.name, f.data["label"], f.data["type"]) for f in declared},
        {f.name: dict(f.data) for f in declared},
    )


# --- requests ------------------------------------------------------------------------------------------------------


def _require_role(p: Principal) -> None:
    if not p.roles & IMPORT_ROLES:
        raise Forbidden("L'import de contacts est réservé au cabinet et aux administrateurs.")


def _media_type(data: bytes) -> str:
    return rules.XLSX_MEDIA_TYPE if rules.is_xlsx(data) else CSV_TYPE


def _new_job(p: Principal, import_id: str, key: str, filename: str | None, sheet: str | None) -> ImportJob:
    at = now_iso()
    return ImportJob(
        tenant_id=p.tenant_id,
        import_id=import_id,
        kind="contacts",
        status="analysing",
        s3_key=key,
        next_line=0,
        created_at=at,
        updated_at=at,
        doc={
            "filename": filename,
            "departement": None,
            "sheet": sheet,
            "rows": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
            "ended": 0,
            "rejected": [],
            "rejected_count": 0,
            "by": p.as_requester(),
        },
    )


def start(p: Principal, data: bytes, filename: str | None, sheet: str | None) -> ImportJob:
    """A file sent as the body (≤ 5 MB): stored, then analysed in the background."""
    _require_role(p)
    if len(data) > MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus) : utilisez POST /imports.")
    if not data.strip():
        raise ValidationFailed([{"field": "body", "message": "Fichier vide."}])
    import_id = new_id()
    media_type = _media_type(data)
    key = f"imports/{p.tenant_id}/{import_id}.{'xlsx' if media_type != CSV_TYPE else 'csv'}"
    job = _new_job(p, import_id, key, filename, sheet)
    version = files.put_import(key, data, media_type)
    job.doc = {**job.doc, "media_type": media_type, "s3_version": version, "size": len(data)}
    store.save(job)
    _enqueue(job, "analyse")
    audit.record(p, "create", "import", import_id, {"kind": "contacts", "filename": filename})
    return job


def create_upload(p: Principal, filename: str, sheet: str | None) -> tuple[ImportJob, str]:
    """A larger file: the import and a presigned PUT; the upload's S3 event starts the analysis."""
    _require_role(p)
    import_id = new_id()
    xlsx = filename.lower().endswith((".xlsx", ".xlsm"))
    media_type = rules.XLSX_MEDIA_TYPE if xlsx else CSV_TYPE
    job = _new_job(
        p, import_id, f"{UPLOAD_PREFIX}{p.tenant_id}/{import_id}.{'xlsx' if xlsx else 'csv'}", filename, sheet
    )
    job.doc = {**job.doc, "awaiting_upload": True, "media_type": media_type}
    store.save(job)
    audit.record(p, "create", "import", import_id, {"kind": "contacts", "upload": True})
    return job, files.upload_url(job.s3_key, UPLOAD_URL_SECONDS, media_type)


def on_uploaded(job: ImportJob, key: str, attempt: int = 1) -> None:
    """The upload of a contact import landed (its S3 event, handed over by the RNE import's handler): the version
    now held is the one analysed, whatever later PUT the same URL makes."""
    if not job.doc.get("awaiting_upload") or key != job.s3_key:
        return
    try:
        version, size = files.current_version(key)
    except Exception as exc:
        if queues.is_transient(exc) and attempt < MAX_ATTEMPTS:
            raise
        logger.exception("contact upload %s could not be read (attempt %s)", key, attempt)
        _finish_failed(job, "Le fichier déposé n'a pas pu être lu.")
        return
    job.doc = {**job.doc, "awaiting_upload": False, "s3_version": version, "size": size}
    if size > MAX_UPLOAD_BYTES:
        _finish_failed(job, f"Fichier trop volumineux ({size // (1024 * 1024)} Mo ; 50 Mo au plus).")
        return
    _save(job)
    _enqueue(job, "analyse")


def get(p: Principal, import_id: str) -> ImportJob:
    return lookup.require(store.get, p.tenant_id, import_id, "Import introuvable.")


def commit(
    p: Principal,
    import_id: str,
    mapping: dict[str, str] | None,
    on_duplicate: OnDuplicate,
    per_line: dict[int, OnDuplicate],
) -> ImportJob:
    """Queue the writing of a previewed import with the mapping (else the suggestion) and the duplicates' fate."""
    _require_role(p)
    job = get(p, import_id)
    if job.kind != "contacts":
        raise NotFound("Import introuvable.")
    if job.status != "preview":
        raise Conflict(
            "Cet import n'attend pas de validation (il est en analyse, déjà lancé ou terminé).",
            [{"field": "status", "message": f"État actuel : {job.status}."}],
        )
    chosen = mapping if mapping is not None else dict(job.doc.get("mapping") or {})
    ctx = _context(p, _no_validation)
    problems = rules.mapping_errors(job.doc.get("columns") or [], chosen, list(ctx.custom.values()))
    if problems:
        raise ValidationFailed([{"field": f, "message": m} for f, m in problems])
    job.status = "queued"
    job.next_line = 0
    # The preview's lists leave the item (their counts stay): every chunk rewrites it, and the commit's own
    # rejected lines take their place.
    kept = {k: v for k, v in job.doc.items() if k not in ("preview", "errors", "duplicates")}
    job.doc = {
        **kept,  # type: ignore[typeddict-item]  # the job's own ImportDoc less three keys
        "mapping": chosen,
        "on_duplicate": on_duplicate,
        "choices": {str(line): choice for line, choice in per_line.items()},
        "rejected": [],
        "rejected_count": 0,
    }
    _save(job)
    _enqueue(job, "commit", 0)
    audit.record(p, "commit", "import", import_id, {"on_duplicate": on_duplicate, "per_line": len(per_line)})
    return job


def _no_validation(body: dict[str, Any]) -> ContactDoc:
    raise AssertionError("not used to validate rows")  # pragma: no cover


def errors_csv(p: Principal, import_id: str) -> tuple[bytes, str]:
    """The rejected lines with their reason, as a CSV for Excel in France (UTF-8 with BOM, « ; »): the commit's
    once it ran, else the preview's (the first `MAX_ERRORS`; the import gives the count). Line numbers are the
    file's, as a spreadsheet shows them; reasons are neutralised as an export's cells are."""
    job = get(p, import_id)
    if job.kind != "contacts":
        raise NotFound("Import introuvable.")
    if job.status in ("running", "done") or job.doc.get("rejected"):
        reasons = [(int(r["line"]), "", str(r["reason"])) for r in job.doc.get("rejected") or []]
    else:
        reasons = [(int(e["line"]), str(e["field"]), str(e["message"])) for e in job.doc.get("errors") or []]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["ligne", "champ", "motif"])
    for line, field_name, message in reasons:
        writer.writerow([str(line), safe_cell(field_name), safe_cell(message)])
    return out.getvalue().encode("utf-8"), f"import-{import_id}-erreurs.csv"


# --- the job -------------------------------------------------------------------------------------------------------


def _enqueue(job: ImportJob, step: str, index: int = 0) -> None:
    queues.send("imports", {"tenant_id": job.tenant_id, "import_id": job.import_id, "step": step, "index": index})


def _save(job: ImportJob) -> None:
    job.updated_at = now_iso()
    store.save(job)


def _finish_failed(job: ImportJob, reason: str) -> None:
    job.status = "failed"
    job.doc = {**job.doc, "awaiting_upload": False, "error": reason}
    _save(job)


def _fail(job: ImportJob, reason: str) -> None:
    stored = store.get(job.tenant_id, job.import_id)
    if stored is None or stored.version != job.version or stored.status in ("done", "failed"):
        return
    _finish_failed(stored, reason)


def process_message(message: dict[str, Any], attempt: int, *, validate: Validate) -> None:
    """A contact import's step: `analyse` (the preview) or `commit` (one chunk of rows)."""
    job = store.get(message["tenant_id"], message["import_id"])
    step = message.get("step")
    if job is None or not _due(job, step, message.get("index")):
        return
    audit.begin()
    try:
        if step == "analyse":
            _analyse(job, validate)
        elif not _commit_chunk(job, validate):
            _enqueue(job, "commit", job.next_line)
    except Exception as exc:
        transient = queues.is_transient(exc)
        if transient and attempt < MAX_ATTEMPTS:
            logger.warning("contact import %s: transient error (attempt %s)", job.import_id, attempt)
            raise
        logger.exception("contact import %s failed at step %s (attempt %s)", job.import_id, step, attempt)
        if transient:
            reason = f"Service AWS indisponible après {attempt} essais : relancez l'import plus tard."
        elif step == "analyse":
            reason = "L'analyse du fichier a échoué."
        else:
            reason = f"Erreur à l'enregistrement à partir de la ligne de rang {job.next_line + 1}."
        _fail(job, reason)
    finally:
        audit.flush()


def _due(job: ImportJob, step: Any, index: Any) -> bool:
    """Whether the message is the import's next step; a stale commit message re-sends the current chunk's."""
    if job.kind != "contacts":
        return False
    if step == "analyse":
        return job.status == "analysing" and not job.doc.get("awaiting_upload")
    if job.status not in ("queued", "running"):
        return False
    if job.next_line != index:
        _enqueue(job, "commit", job.next_line)  # a redelivery of a chunk done since: the current one goes on
        return False
    return True


# --- analysis -------------------------------------------------------------------------------------------------------


def _table_key(job: ImportJob) -> str:
    return f"imports/{job.tenant_id}/{job.import_id}.table.json.gz"


def _load_table(job: ImportJob) -> rules.Table:
    data = json.loads(gzip.decompress(files.read_object(str(job.doc["table_key"]))))
    return rules.Table(data["columns"], data["rows"], data["lines"])


def _refusal(p: Principal, job: ImportJob, marks: Iterable[watermark.Watermark]) -> str | None:
    for mark in marks:
        if refused := watermark.refusal(p.tenant_kind, p.tenant_id, mark):
            detail = {"kind": "contacts", "source_tenant_id": mark.tenant_id, "source_kind": mark.kind}
            audit.record(p, "refuse", "import", job.import_id, {**detail, "exported_at": mark.exported_at})
            return refused
    return None


def _analyse(job: ImportJob, validate: Validate) -> None:
    p = Principal.from_requester(job.tenant_id, job.doc["by"])
    data = files.read_object(job.s3_key, job.doc.get("s3_version"))
    try:
        table = rules.read_table(data, sheet=job.doc.get("sheet"))
    except rules.FileRefused as exc:
        _finish_failed(job, str(exc))
        return
    refused = _refusal(p, job, table.marks)
    if refused:
        _finish_failed(job, refused)
        return
    key = _table_key(job)
    payload = {"columns": table.columns, "rows": table.rows, "lines": table.lines}
    files.put_import(key, gzip.compress(json.dumps(payload).encode("utf-8")), "application/gzip")
    ctx = _context(p, validate)
    mapping = rules.suggest_mapping(table.columns, list(ctx.custom.values()))
    judged = _judge(ctx, table, mapping)
    admitted = [r for r in judged if isinstance(r, Admitted)]
    rejected = [r for r in judged if isinstance(r, Rejected)]
    errors = [{"line": r.line, "field": f, "message": m} for r in rejected for f, m in r.errors]
    matches = _matches(p.tenant_id, admitted)
    job.status = "preview"
    job.doc = {
        **job.doc,
        "table_key": key,
        "columns": table.columns,
        "mapping": mapping,
        "rows": len(table.rows),
        "preview": [{"line": a.line, "record": dict(a.doc)} for a in admitted[:PREVIEW_ROWS]],
        "errors": errors[:MAX_ERRORS],
        "error_count": len(errors),
        "duplicates": [_duplicate_json(line, m) for line, m in sorted(matches.items())][:MAX_DUPLICATES],
        "duplicate_count": len(matches),
    }
    _save(job)


def _cells(columns: list[str], row: list[str], mapping: Mapping[str, str]) -> dict[str, str]:
    at = {c: n for n, c in enumerate(columns)}
    return {target: row[at[column]] for column, target in mapping.items() if column in at and at[column] < len(row)}


def _judge(ctx: RowContext, table: rules.Table, mapping: Mapping[str, str]) -> list[Admitted | Rejected]:
    judged = [
        admit_row(ctx, line, _cells(table.columns, row, mapping))
        for line, row in zip(table.lines, table.rows, strict=True)
    ]
    return _without_erased(ctx, judged)


def _without_erased(ctx: RowContext, judged: list[Admitted | Rejected]) -> list[Admitted | Rejected]:
    """Rows naming a person who asked for erasure (their email or phone, by its keyed hash) are rejected: an import
    must not bring them back silently (RGPD art. 17). One batch read for the whole table."""
    admitted = [(n, row) for n, row in enumerate(judged) if isinstance(row, Admitted)]
    found = erasure.erased_fields_many(ctx.p.tenant_id, [row.doc for _, row in admitted])
    for (n, row), fields in zip(admitted, found, strict=True):
        if fields:
            judged[n] = Rejected(row.line, [(rules.import_field(f), ERASED) for f in fields])
    return judged


def _duplicate_json(line: int, match: rules.RowMatch) -> dict[str, Any]:
    return {
        "line": line,
        "contact_id": match.contact_id,
        "duplicate_of_line": match.line,
        "score": match.score,
        "matched": list(match.matched),
    }


def _tenant_profiles(tenant_id: str, leave_out: set[str]) -> tuple[list[duplicates.Profile], set[str]]:
    """The tenant's non-archived people as profiles (Query pages of its partition, never a Scan), and every id;
    but those of ``leave_out``."""
    found: list[duplicates.Profile] = []
    ids: set[str] = set()
    start: Any = None
    while True:
        page, start = contacts_store.tenant_page(tenant_id, start, PAGE)
        for c in page:
            if c.contact_id in leave_out:
                continue
            ids.add(c.contact_id)
            if not c.archived and (profile := duplicates.profile(c.contact_id, c.doc)):
                found.append(profile)
        if not start:
            return found, ids


def _matches(tenant_id: str, admitted: list[Admitted], leave_out: set[str] | None = None) -> dict[int, rules.RowMatch]:
    """Line → the contact or earlier row it duplicates; a `ref` naming a contact of the tenant first. The contacts
    ``leave_out`` names (those this import creates, when its first chunk is delivered again) are not candidates."""
    tenant, ids = _tenant_profiles(tenant_id, leave_out or set())
    profiles = {
        a.line: profile for a in admitted if (profile := duplicates.profile(rules.row_ref(a.line), dict(a.doc)))
    }
    found = rules.find_duplicates(profiles, tenant)
    for a in admitted:
        ref = str(a.flat.get("ref") or "")
        if ref in ids:
            found[a.line] = rules.RowMatch(ref, None, 1.0, ("ref",))
    return found


# --- commit ---------------------------------------------------------------------------------------------------------


def created_id(import_id: str, line: int | str) -> str:
    """The id of the contact a line creates (or of what an import creates for a key of its own): the import's time,
    then 16 characters of a hash of (import, line), in the ULID alphabet, so that a redelivered chunk rewrites the
    same item."""
    digest = int.from_bytes(hashlib.sha256(f"{import_id}#{line}".encode()).digest()[:10], "big")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    tail = "".join(alphabet[(digest >> (5 * n)) & 31] for n in range(15, -1, -1))
    return import_id[:10] + tail


def _plan_key(job: ImportJob) -> str:
    return f"imports/{job.tenant_id}/{job.import_id}.plan.json.gz"


def _plan(job: ImportJob, admitted: list[Admitted]) -> dict[int, rules.RowMatch]:
    """The duplicates under the chosen mapping, computed once by the first chunk and kept in S3 for the others."""
    key = _plan_key(job)
    if job.next_line > 0 or job.doc.get("plan_ready"):
        data = json.loads(gzip.decompress(files.read_object(key)))
        return {int(line): rules.RowMatch(m[0], m[1], m[2], tuple(m[3])) for line, m in data.items()}
    found = _matches(job.tenant_id, admitted, {created_id(job.import_id, a.line) for a in admitted})
    data = {str(line): [m.contact_id, m.line, m.score, list(m.matched)] for line, m in found.items()}
    files.put_import(key, gzip.compress(json.dumps(data).encode("utf-8")), "application/gzip")
    job.doc = {**job.doc, "plan_ready": True}
    return found


@dataclass
class _Chunk:
    """What a chunk writes, gathered before the writes: contacts created, contacts changed (as read, then after),
    consents of created contacts, outcomes per line."""

    created: dict[str, Contact] = field(default_factory=dict)
    changed: dict[str, tuple[Contact, Contact]] = field(default_factory=dict)
    consents: list[Consent] = field(default_factory=list)
    consent_changes: list[tuple[Contact, str, str]] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    merged_into: dict[str, list[int]] = field(default_factory=dict)  # existing contact id → lines merged into it
    # The chunk's moment: the import's last save, the same for every delivery of the chunk (the import is saved at
    # its end). Merged contacts carry it, and the audit entries derive their ids from it (services/audit.record):
    # a delivery after one whose writes went through knows its merges and records the same entries again.
    at: str = ""
    merged_before: list[str] = field(default_factory=list)  # merged by an earlier delivery of this chunk


def _commit_chunk(job: ImportJob, validate: Validate) -> bool:
    """The rows from `job.next_line` (a row index), written and counted; True after the last one."""
    p = Principal.from_requester(job.tenant_id, job.doc["by"])
    ctx = _context(p, validate)
    table = _load_table(job)
    mapping = job.doc.get("mapping") or {}
    begin = job.next_line
    planning = begin == 0 and not job.doc.get("plan_ready")  # only the first chunk judges the whole file
    whole = _judge(ctx, table, mapping) if planning else []
    plan = _plan(job, [r for r in whole if isinstance(r, Admitted)])
    part = rules.Table(table.columns, table.rows[begin : begin + CHUNK_ROWS], table.lines[begin : begin + CHUNK_ROWS])
    rows = whole[begin : begin + CHUNK_ROWS] if planning else _judge(ctx, part, mapping)
    chunk = _Chunk(at=job.updated_at)
    known = _known(job, rows, plan)
    for row in rows:
        if isinstance(row, Rejected):
            chunk.rejected.append((row.line, row.reason))
            continue
        _decide(job, ctx, row, plan, known, chunk)
    _write(p, job, chunk)
    finished = begin + len(rows) >= len(table.rows)
    counts = dict.fromkeys(("created", "updated", "unchanged", "skipped"), 0)
    for outcome in chunk.outcomes.values():
        counts[outcome] += 1
    rejected = list(job.doc.get("rejected") or [])
    more: list[ImportRejectedLine] = [{"line": line, "reason": reason} for line, reason in chunk.rejected]
    rejected += more[: max(0, MAX_REJECTED - len(rejected))]
    job.next_line = begin + len(rows)
    doc = job.doc
    job.doc = {
        **doc,
        "created": doc["created"] + counts["created"],
        "updated": doc["updated"] + counts["updated"],
        "unchanged": doc["unchanged"] + counts["unchanged"],
        "skipped": doc.get("skipped", 0) + counts["skipped"],
        "rejected": rejected,
        "rejected_count": doc["rejected_count"] + len(chunk.rejected),
    }
    job.status = "done" if finished else "running"
    audit.flush()  # the chunk's entries before the import moves past it: else a stop in between would lose them
    audit.begin()
    _save(job)
    observability.count("ImportRowsCommitted", counts["created"] + counts["updated"])
    observability.count("ImportRowsRejected", len(chunk.rejected))
    return finished


def _target(
    job: ImportJob, line: int, plan: Mapping[int, rules.RowMatch], seen: frozenset[int] = frozenset()
) -> list[str]:
    """The contacts a line may be, most likely first: its match in the tenant, or what its earlier row became (the
    contact that row created, else that row's own match)."""
    match = plan.get(line)
    if match is None or line in seen:
        return []
    if match.contact_id:
        return [match.contact_id]
    assert match.line is not None
    return [created_id(job.import_id, match.line), *_target(job, match.line, plan, seen | {line})]


def _known(job: ImportJob, rows: list[Admitted | Rejected], plan: Mapping[int, rules.RowMatch]) -> dict[str, Contact]:
    """The contacts the chunk's duplicates may be (one BatchGetItem per 100)."""
    wanted = {cid for row in rows if isinstance(row, Admitted) for cid in _target(job, row.line, plan)}
    return contacts_store.batch_get(job.tenant_id, wanted) if wanted else {}


def _decide(
    job: ImportJob,
    ctx: RowContext,
    row: Admitted,
    plan: Mapping[int, rules.RowMatch],
    known: dict[str, Contact],
    chunk: _Chunk,
) -> None:
    """A row's outcome: created, updated (merged), unchanged or skipped; what it writes goes into ``chunk``."""
    target = next((known[cid] for cid in _target(job, row.line, plan) if cid in known), None)
    choice = (job.doc.get("choices") or {}).get(str(row.line)) or job.doc.get("on_duplicate") or "merge"
    if target is not None:
        changed = rules.differs(row.flat, rules.flat_of_contact(target.doc, ctx.custom))
        if not changed and target.updated_at == chunk.at and target.contact_id not in chunk.created:
            chunk.outcomes[row.line] = "updated"  # by an earlier delivery of this chunk, whose writes went through
            if target.contact_id not in chunk.merged_before:
                chunk.merged_before.append(target.contact_id)
            _consent_changes(row, target, chunk)
            return
        if not changed or choice == "skip":
            chunk.outcomes[row.line] = "unchanged" if not changed else "skipped"
            _consent_changes(row, target, chunk)
            return
        if choice == "merge":
            errors: list[tuple[str, str]] = []
            doc = _validated(ctx, rules.merged(target.doc, row.flat, changed), errors)
            if doc is None:
                chunk.rejected.append((row.line, Rejected(row.line, errors).reason))
                return
            if target.archived:
                doc["archived"] = True
            before = chunk.changed[target.contact_id][0] if target.contact_id in chunk.changed else target
            after = Contact(
                tenant_id=target.tenant_id,
                contact_id=target.contact_id,
                doc=doc,
                version=target.version,
                created_at=target.created_at,
                updated_at=chunk.at,
            )
            if target.contact_id in chunk.created:
                chunk.created[target.contact_id] = after
            else:
                chunk.changed[target.contact_id] = (before, after)
                chunk.merged_into.setdefault(target.contact_id, []).append(row.line)
            known[target.contact_id] = after
            chunk.outcomes[row.line] = "updated"
            _consent_changes(row, after, chunk)
            return
    contact_id = created_id(job.import_id, row.line)
    at = now_iso()
    contact = Contact(tenant_id=job.tenant_id, contact_id=contact_id, doc=row.doc, created_at=at, updated_at=at)
    chunk.created[contact_id] = contact
    known[contact_id] = contact
    chunk.outcomes[row.line] = "created"
    text = f"Import du fichier « {job.doc.get('filename') or 'sans nom'} » du {at[:10]}."
    for channel in rules.CONSENT_CHANNELS:
        status = str(row.flat.get(rules.CONSENT_PREFIX + channel) or "unknown")
        chunk.consents.append(
            Consent(
                tenant_id=job.tenant_id,
                contact_id=contact_id,
                channel=channel,
                status=status,
                lawful_basis=consent_rules.default_basis(ctx.p.tenant_kind, status),
                source="import",
                text=text,
                at=at,
                by=ctx.p.user_id,
            )
        )


def _consent_changes(row: Admitted, contact: Contact, chunk: _Chunk) -> None:
    for channel in rules.CONSENT_CHANNELS:
        status = row.flat.get(rules.CONSENT_PREFIX + channel)
        if status and status != "unknown":
            chunk.consent_changes.append((contact, channel, str(status)))


def _write(p: Principal, job: ImportJob, chunk: _Chunk) -> None:
    """Contacts created in bulk (BatchWriteItem) with their consents; each contact changed in its own versioned
    transaction (one edited meanwhile: the row is rejected, nothing overwritten); consent columns on existing
    contacts; the audit, ids by entries."""
    contacts_store.create_many(list(chunk.created.values()))
    consents_store.create_many(chunk.consents)
    updated: list[str] = list(chunk.merged_before)
    for before, after in chunk.changed.values():
        try:
            contacts_store.update(before, after)
            updated.append(after.contact_id)
        except Conflict:  # edited by someone during the import: their edit stands, the rows are reported
            for line in chunk.merged_into.get(after.contact_id, []):
                del chunk.outcomes[line]
                chunk.rejected.append((line, "Contact modifié pendant l'import : ligne non fusionnée, réimportez-la."))
    _apply_consents(p, job, chunk.consent_changes)
    ids = list(chunk.created)
    for start in range(0, len(ids), IDS_PER_AUDIT_ENTRY):
        part = ids[start : start + IDS_PER_AUDIT_ENTRY]
        audit.record(p, "create", "contacts", job.import_id, {"ids": part, "import": True}, at=chunk.at)
    updated.sort()  # the same entries, whichever delivery records them
    for start in range(0, len(updated), IDS_PER_AUDIT_ENTRY):
        part = updated[start : start + IDS_PER_AUDIT_ENTRY]
        audit.record(p, "update", "contacts", job.import_id, {"ids": part, "import": True}, at=chunk.at)


def _apply_consents(p: Principal, job: ImportJob, changes: list[tuple[Contact, str, str]]) -> None:
    """A consent column on an existing contact: its status recorded with source `import`, unless it is the same
    already or a withdrawal (an import never lifts an objection)."""
    text = f"Import du fichier « {job.doc.get('filename') or 'sans nom'} »."
    for contact, channel, status in changes:
        current = consents_store.for_contact(job.tenant_id, contact.contact_id).get(channel)
        if current is not None and current.status in (status, "withdrawn"):
            continue
        consent = current or Consent(tenant_id=job.tenant_id, contact_id=contact.contact_id, channel=channel)
        basis = consent_rules.default_basis(p.tenant_kind, status)
        consents.change(consent, status=status, lawful_basis=basis, source="import", text=text, by=p.user_id)
        consents_store.save(consent)
