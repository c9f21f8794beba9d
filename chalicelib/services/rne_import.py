"""RNE import: élus and their mandates from the Répertoire national des élus files.

The file is stored in S3, then read in chunks of lines, one SQS message per chunk, so a
35,000-line file never holds a Lambda for long and a failed chunk is retried alone. Each row
finds its person by names + birth date (an index entry written with every contact), so a
re-import never duplicates anyone; its mandate is created, updated or left as it is. When the
last chunk is done, the file kind's open mandates that this import did not see (in the
département filtered on, if any) are end-dated: they vanished from the newer release.

Only a file accepted as a whole may end anything (domain/rne.may_end_vanished): at least one row
accepted and no more than AGORA_RNE_MAX_REJECTED_SHARE of its rows rejected (1 % by default).
Otherwise the import ends `failed` with the reason and has ended nothing; the mandates its
accepted rows created or updated stay. A header alone, or a file of rejected rows, would
otherwise end every mandate of its kind.

The chunks read the version of the file that was checked: the one the API stored (POST
/imports/rne), or for a presigned upload the one a HeadObject named when the upload's S3 event
was handled; the header is sniffed from that same version. The bucket is versioned, so the
presigned URL, still valid after the check, can only add a version nobody reads.

Errors: a transient one (throttling, a timeout, a 5xx: queues.is_transient) hands the message back
to the queue, the import still `queued` or `running`, and the redelivery does the chunk again;
on the queue's last delivery (MAX_ATTEMPTS) it fails the import rather than leave it running.
Any other error fails the import at once, since a retry would fail alike. A redelivered chunk
counts its rows once: the import item is saved after the chunk's writes, a mandate keeps the
line that first saw it in this import and what was done then, and the end-dating records its
count, date and mandates before it ends anything. What a chunk creates has ids derived from what
it is, and its audit entries ids derived from the chunk's moment (the import's last save), flushed
before the import is saved past the chunk: a redelivery, or a delivery running alongside, writes
the same people, mandates and entries again instead of new ones (see _apply_chunk).

Before anything else, a file carrying the Agora export watermark of a tenant of the other kind
(institution / political) is refused and the refusal audited: L52-8 and the CNIL forbid data
moving between them (domain/watermark.py). A watermark line before the header is skipped.

Counters (GET /imports/{id}): `rows` data lines read (in the département filtered on); `created`
mandates created (with their person when new); `updated` mandates changed; `unchanged` mandates
already up to date; `ended` mandates end-dated (0 when the file was not accepted as a whole);
`rejected` malformed lines with their reason; `error` why a `failed` import failed.

A row whose person is not in the directory brings a new contact, validated as any new contact is: by the function
the import job passes in (``person``, schemas.contacts.rne_person), since services do not read the HTTP contract.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote_plus

from chalicelib import observability
from chalicelib.auth import Principal
from chalicelib.domain import rne, watermark
from chalicelib.domain.protocol.model import Territory
from chalicelib.domain.protocol.precedence import departement_of
from chalicelib.errors import PayloadTooLarge, ValidationFailed
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import queues
from chalicelib.services import audit, contact_import, lookup
from chalicelib.services import contacts as contacts_service
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files
from chalicelib.store import imports as store
from chalicelib.store import mandates as mandates_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import ContactDoc, ImportJob, Mandate, MandateDoc
from chalicelib.store.search_index import find_identity

MAX_DIRECT_BYTES = 5 * 1024 * 1024  # POST /imports/rne; larger files go through a presigned upload (POST /imports)
UPLOAD_PREFIX = "uploads/"
UPLOAD_URL_SECONDS = 3600
SNIFF_BYTES = 64 * 1024  # enough for the header line of any RNE file
CHUNK_BYTES = 256 * 1024  # about 1,500 lines of the maires file
MAX_REJECTED = 1000  # kept in the import item (400 KB item limit); the count goes on
# The mandates an import ends, listed in its item (about 30 bytes each) so that a redelivery after a stop audits
# them all; beyond this many (a release after municipal elections), it audits only those it ends itself.
MAX_ENDING_IDS = 3000
# The queue's maxReceiveCount (chalicelib/jobs/registry.py): the last delivery marks the job failed.
MAX_ATTEMPTS = queue_job("process_import").max_receive_count

logger = logging.getLogger("agora.rne_import")

# The new contact of an RNE row, validated, as contacts.import_many takes it (schemas.contacts.rne_person).
NewPerson = Callable[[rne.RneRow], ContactDoc]


class ProvenanceRefused(ValueError):
    """The file's watermark says it comes from a tenant whose data this tenant may not take."""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What chunks need to know of a checked file: kind, header, encoding, where data starts, size."""

    file_kind: str
    header: str
    encoding: str
    offset: int  # the first byte after the header line
    size: int
    first_line: int  # the line number of the first data line

    def apply(self, job: ImportJob, s3_version: str | None) -> None:
        job.next_line = self.first_line
        job.doc = {
            **job.doc,
            "file_kind": self.file_kind,
            "header": self.header,
            "encoding": self.encoding,
            "offset": self.offset,
            "size": self.size,
            "s3_version": s3_version,
        }


def _checked_facts(p: Principal, import_id: str, sample: bytes, size: int) -> FileFacts:
    """Provenance first (ProvenanceRefused, audited), then the RNE format (rne.RneFormatError): the file's facts."""
    for mark in watermark.find_all(sample):
        if refused := watermark.refusal(p.tenant_kind, p.tenant_id, mark):
            detail = {"kind": "rne", "source_tenant_id": mark.tenant_id, "source_kind": mark.kind}
            audit.record(p, "refuse", "import", import_id, {**detail, "exported_at": mark.exported_at})
            raise ProvenanceRefused(refused)
    return _file_facts(sample, size)


def _file_facts(sample: bytes, size: int) -> FileFacts:
    """What chunks need to know of a file, from its first bytes: kind, header, encoding, where data starts."""
    if not sample.strip():
        raise rne.RneFormatError("Fichier vide.")
    header_at, header_line = 0, 1
    while (end := sample.find(b"\n", header_at)) >= 0 and watermark.find(sample[header_at:end]) is not None:
        header_at, header_line = end + 1, header_line + 1  # an Agora export's watermark line: not the header
    header_bytes = sample[header_at:].split(b"\n", 1)[0] + b"\n"
    header = rne.decode(header_bytes).strip()
    kind = rne.detect(header)
    # The encoding is judged on whole lines: a sample cut inside a UTF-8 character is not Windows-1252.
    whole_lines = sample if len(sample) == size else sample[: sample.rfind(b"\n") + 1]
    return FileFacts(
        file_kind=kind.value,
        header=header,
        encoding=_encoding(whole_lines),
        offset=header_at + len(header_bytes),
        size=size,
        first_line=header_line + 1,
    )


def _new_job(p: Principal, key: str, filename: str | None, departement: str | None) -> ImportJob:
    at = now_iso()
    return ImportJob(
        tenant_id=p.tenant_id,
        import_id=key.rsplit("/", 1)[1].removesuffix(".csv"),
        kind="rne",
        status="queued",
        s3_key=key,
        next_line=2,
        created_at=at,
        updated_at=at,
        doc={
            "filename": filename,
            "departement": departement,
            "rows": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "ended": 0,
            "rejected": [],
            "rejected_count": 0,
            "by": p.as_requester(),
        },
    )


def start(p: Principal, data: bytes, filename: str | None, departement: str | None) -> ImportJob:
    """Small files: the body is the file; stored, then processed in the background."""
    if len(data) > MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus) : utilisez POST /imports.")
    import_id = new_id()
    try:
        facts = _checked_facts(p, import_id, data[:SNIFF_BYTES], len(data))
    except (rne.RneFormatError, ProvenanceRefused) as exc:
        raise ValidationFailed([{"field": "body", "message": str(exc)}]) from exc
    job = _new_job(p, f"imports/{p.tenant_id}/{import_id}.csv", filename, departement)
    facts.apply(job, files.put_csv(job.s3_key, data))
    store.save(job)
    _enqueue(p.tenant_id, job.import_id, job.next_line)
    audit.record(p, "create", "import", job.import_id, {"kind": "rne", "file_kind": facts.file_kind})
    return job


def create_upload(p: Principal, filename: str | None, departement: str | None) -> tuple[ImportJob, str]:
    """Large files: the import and a presigned PUT; the upload itself (an S3 event on the imports queue) starts the
    processing."""
    job = _new_job(p, f"{UPLOAD_PREFIX}{p.tenant_id}/{new_id()}.csv", filename, departement)
    job.doc = {**job.doc, "awaiting_upload": True}
    store.save(job)
    url = files.upload_url(job.s3_key, UPLOAD_URL_SECONDS)
    audit.record(p, "create", "import", job.import_id, {"kind": "rne", "upload": True})
    return job, url


def on_uploaded(key: str, attempt: int = 1) -> None:
    """An object landed under uploads/{tenant}/{import id}.csv: check its header, then queue its first chunk.

    What is checked, and later read, is the version the key holds now (HeadObject), whichever PUT the event
    announces: a second PUT through the same URL, before or after this, changes nothing of the import.
    """
    parts = key.removeprefix(UPLOAD_PREFIX).split("/")
    if not key.startswith(UPLOAD_PREFIX) or len(parts) != 2:
        return
    job = store.get(parts[0], parts[1].split(".", 1)[0])
    if job is None or not job.doc.get("awaiting_upload"):
        return  # unknown, or already started: S3 may deliver an event twice, and a reused URL sends another
    if job.kind == "contacts":
        contact_import.on_uploaded(job, key, attempt)
        return
    try:
        version, size = files.current_version(key)
        if version is None:
            raise RuntimeError("files bucket not versioned: the checked upload could be replaced")
        sample = files.read_range(key, version, 0, SNIFF_BYTES - 1) if size else b""
    except Exception as exc:
        if queues.is_transient(exc) and attempt < MAX_ATTEMPTS:
            raise  # SQS delivers the event again
        logger.exception("RNE upload %s could not be read (attempt %s)", key, attempt)
        job.status = "failed"
        job.doc = {**job.doc, "awaiting_upload": False, "error": "Le fichier déposé n'a pas pu être lu."}
        _save(job)
        return
    try:
        facts = _checked_facts(Principal.from_requester(job.tenant_id, job.doc["by"]), job.import_id, sample, size)
    except (rne.RneFormatError, ProvenanceRefused) as exc:
        job.status = "failed"
        job.doc = {**job.doc, "awaiting_upload": False, "error": str(exc)}
    else:
        facts.apply(job, version)
        job.doc = {**job.doc, "awaiting_upload": False}
    _save(job)
    if job.status == "queued":
        _enqueue(job.tenant_id, job.import_id, job.next_line)


def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _enqueue(tenant_id: str, import_id: str, line: int) -> None:
    queues.send("imports", {"tenant_id": tenant_id, "import_id": import_id, "line": line})


def get(p: Principal, import_id: str) -> ImportJob:
    return lookup.require(store.get, p.tenant_id, import_id, "Import introuvable.")


def process_message(body: str, attempt: int = 1, *, person: NewPerson) -> None:  # noqa: C901  (S3 events, chunks, redeliveries and retries in one place)
    """One chunk, or an S3 upload event; ``attempt`` is SQS's ApproximateReceiveCount of the message; ``person``
    validates the new contact of a row whose person is not in the directory yet.

    A redelivered chunk finds itself done and only re-sends the next one. A transient error is raised again, so
    SQS delivers the message again and the import waits, `queued` or `running`, until the last attempt; then, as
    any other error at once, it fails the import (the message is not left to the dead-letter queue: the import
    says what happened).
    """
    message = json.loads(body)
    if "Records" in message:  # S3 → SQS notification of an upload
        for record in message["Records"]:
            if str(record.get("eventName", "")).startswith("ObjectCreated"):
                on_uploaded(unquote_plus(record["s3"]["object"]["key"]), attempt)
        return
    if "import_id" not in message:
        return  # the s3:TestEvent S3 sends when the notification is configured
    job = store.get(message["tenant_id"], message["import_id"])
    if job is None or job.status in ("done", "failed") or job.doc.get("awaiting_upload"):
        return
    if job.next_line != message["line"]:
        _enqueue(job.tenant_id, job.import_id, job.next_line)
        return
    line = job.next_line
    audit.begin()
    try:
        if not _process_chunk(job, person):
            _enqueue(job.tenant_id, job.import_id, job.next_line)
    except Exception as exc:
        transient = queues.is_transient(exc)
        if transient and attempt < MAX_ATTEMPTS:
            logger.warning("RNE import %s, line %s: transient error (attempt %s)", job.import_id, line, attempt)
            raise
        logger.exception("RNE import %s failed at line %s (attempt %s)", job.import_id, line, attempt)
        if transient:
            reason = f"Service AWS indisponible après {attempt} essais (ligne {line}) : relancez l'import plus tard."
        else:
            reason = f"Erreur au traitement à partir de la ligne {line}."
        _fail(job, reason)
    finally:
        audit.flush()


def _save(job: ImportJob) -> None:
    job.updated_at = now_iso()
    store.save(job)  # versioned: a concurrent redelivery of the same chunk fails here instead of counting twice


def _fail(job: ImportJob, reason: str) -> None:
    """Mark the import failed, unless another delivery wrote it since this one read or saved it (it goes on)."""
    stored = store.get(job.tenant_id, job.import_id)
    if stored is None or stored.version != job.version or stored.status in ("done", "failed"):
        return
    stored.status = "failed"
    stored.doc = {**stored.doc, "error": reason}
    _save(stored)


def _process_chunk(job: ImportJob, person: NewPerson) -> bool:
    """The chunk at the job's offset, saved with the counters; after the last one, the end (:func:`_finish`)."""
    doc = job.doc
    p = Principal.from_requester(job.tenant_id, doc["by"])
    kind = rne.RneFileKind(doc["file_kind"])
    offset = int(doc["offset"])
    size = int(doc["size"])
    lines: list[str] = []
    consumed = 0
    if offset < size:
        end = min(offset + CHUNK_BYTES, size) - 1
        data = files.read_range(job.s3_key, doc.get("s3_version"), offset, end)
        if end < size - 1:
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                raise ValueError("line longer than a chunk")
            data = data[:cut]
        consumed = len(data)
        lines = data.decode(doc["encoding"].replace("-sig", "")).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
    counters = {
        "rows": int(doc["rows"]),
        "created": int(doc["created"]),
        "updated": int(doc["updated"]),
        "unchanged": int(doc["unchanged"]),
    }
    rejected = list(doc["rejected"])
    rejected_count = int(doc["rejected_count"])
    rows: list[rne.RneRow] = []
    for result in rne.parse(lines, doc.get("departement"), header=doc["header"], first_line=job.next_line):
        counters["rows"] += 1
        if isinstance(result, rne.RneRejected):
            rejected_count += 1
            if len(rejected) < MAX_REJECTED:
                rejected.append({"line": result.line, "reason": result.reason})
        else:
            rows.append(result)
    outcomes, written = _apply_chunk(p, job.import_id, kind, rows, person, job.updated_at)
    for outcome in outcomes:
        counters[outcome] += 1
    finished = offset + consumed >= size
    job.next_line += len(lines)
    job.doc = {
        **doc,
        "rows": counters["rows"],
        "created": counters["created"],
        "updated": counters["updated"],
        "unchanged": counters["unchanged"],
        "offset": offset + consumed,
        "rejected": rejected,
        "rejected_count": rejected_count,
    }
    job.status = "running"
    if finished:
        _finish(p, job, kind, written)
    else:
        _save_after_audit(job)
    observability.count("ImportRowsCommitted", sum(1 for o in outcomes if o in ("created", "updated")))
    observability.count("ImportRowsRejected", rejected_count - int(doc["rejected_count"]))
    return finished


def _save_after_audit(job: ImportJob) -> None:
    """The chunk's audit entries flushed, then the import saved past it: a Lambda that stops in between leaves the
    chunk to its redelivery, which records the same entries again (their ids derive from the chunk's moment)."""
    audit.flush()
    audit.begin()
    _save(job)


def _finish(p: Principal, job: ImportJob, kind: rne.RneFileKind, just_written: set[str]) -> None:
    """After the last chunk: end the vanished mandates if the file was accepted as a whole, else fail the import.

    Refused (domain/rne.may_end_vanished), the import is `failed` with the reason and ends nothing; what its
    accepted rows created or updated stays. Accepted, the number of mandates to end and the end date are saved
    before the first is ended: a redelivery after some were ends the others and still reports them all. The
    mandates the last chunk just wrote are not taken from the index, which may not show its writes yet.
    """
    doc = job.doc
    refused = rne.may_end_vanished(
        int(doc["rows"]), int(doc["rejected_count"]), get_settings().rne_max_rejected_share, doc.get("departement")
    )
    if refused:
        job.status = "failed"
        job.doc = {**doc, "error": refused}
        _save(job)
        return
    vanished = [
        m for m in _vanished(p, job.import_id, kind, doc.get("departement")) if m.mandate_id not in just_written
    ]
    if "ending_on" not in doc and vanished:
        ending = sorted(m.mandate_id for m in vanished)[:MAX_ENDING_IDS]
        job.doc = {**doc, "ended": len(vanished), "ending_on": date.today().isoformat(), "ending_ids": ending}
        _save_after_audit(job)
    ending_at = job.updated_at  # the ending's moment, the same for its redeliveries: its entries' ids derive from it
    for m in vanished:
        m.doc = {**m.doc, "end": job.doc["ending_on"]}
        m.updated_at = ending_at
        mandates_store.save(m, is_new=False)
    # Those a stopped delivery ended too (as listed) are audited again: the same entries, rewritten.
    for mandate_id in sorted({*job.doc.get("ending_ids", []), *(m.mandate_id for m in vanished)}):
        audit.record(p, "update", "mandate", mandate_id, {"ended_by_import": job.import_id}, at=ending_at)
    job.status = "done"
    _save_after_audit(job)


def _mandate_doc(row: rne.RneRow) -> MandateDoc:
    t = row.territory
    return {
        "kind": "mandate",
        "function": row.function,
        "title": None,
        "territory": {"kind": t.kind, "code": t.code, "name": t.name or None},
        "organisation": None,
        "body_kind": None,
        "start": started.isoformat() if (started := row.function_start or row.start) else None,
        "end": None,
        "first_elected_on": None,
        "deliberation_date": None,
        "source": "rne",
        "notes": row.function_label or None,
    }


def _apply_chunk(  # noqa: C901  (people found, created or created again, then their mandates)
    p: Principal, import_id: str, kind: rne.RneFileKind, rows: list[rne.RneRow], person: NewPerson, at: str
) -> tuple[list[str], set[str]]:
    """The chunk's people (found, or created in bulk) hold the rows' mandates: one outcome per row, and the ids of
    the mandates written.

    Lookups are one Query per distinct person (and one per person found, for their mandates);
    writes go in BatchWriteItem calls of 25: new people with their index entries, then every
    mandate created, changed, or seen by this import (the mark end-dating relies on). An
    import's batch write does not check versions: an edit made to the same mandate during the
    import can be overwritten by the file's values. A row this import already applied (its chunk
    redelivered after the writes went through) counts what was done then, and records the same audit entries.

    What a chunk creates has ids derived from the import and what it is (a person's identity, a mandate's line),
    and carries the chunk's moment `at` (the import's last save, the same for every delivery of the chunk), as its
    audit entries do: a delivery after one that stopped, or one running alongside, writes the same items again. A
    person this chunk created is created again (its index entries are written before it, and may be alone).
    """
    people: dict[str, str | None] = {}
    again: set[str] = set()
    for row in rows:
        key = rne.identity_key(row.last_name, row.first_name, row.birth_date)
        if key not in people:
            found = find_identity(p.tenant_id, key)
            own = contact_import.created_id(import_id, key)
            if own in found and ((created := contacts_store.get(p.tenant_id, own)) is None or created.created_at == at):
                again.add(own)  # created by this chunk's earlier delivery, perhaps only its index entries
                found = []
            people[key] = found[0] if found else None
    newcomers = {
        key: row
        for row in rows
        if people[key := rne.identity_key(row.last_name, row.first_name, row.birth_date)] is None
    }
    ids = [contact_import.created_id(import_id, key) for key in newcomers]
    created_people = contacts_service.import_many(p, [person(row) for row in newcomers.values()], ids, at)
    held: dict[str, list[Mandate]] = {}
    for key, contact in zip(newcomers, created_people, strict=True):
        people[key] = contact.contact_id
        if contact.contact_id not in again:  # a person created again may hold the mandate written before
            held[contact.contact_id] = []
    to_write: dict[str, Mandate] = {}
    outcomes = []
    for row in rows:
        contact_id = people[rne.identity_key(row.last_name, row.first_name, row.birth_date)]
        assert contact_id is not None
        if contact_id not in held:
            held[contact_id] = mandates_store.for_contact(p.tenant_id, contact_id)
        wanted = _mandate_doc(row)
        current = next(
            (
                m
                for m in held[contact_id]
                if m.doc.get("source") == "rne"
                and m.doc["function"] == row.function
                and not m.doc.get("end")
                and _territory_code(m) == row.territory.code
            ),
            None,
        )
        if current is not None and current.import_id == import_id and current.import_line == row.line:
            outcomes.append(current.import_outcome or "unchanged")  # redelivered: done and counted before
            to_write.setdefault(current.mandate_id, current)
            if current.import_outcome == "created":
                detail = {"contact_id": contact_id, "import_id": import_id}
                audit.record(p, "create", "mandate", current.mandate_id, detail, at=at)
            elif current.import_outcome == "updated":
                audit.record(p, "update", "mandate", current.mandate_id, {"import_id": import_id}, at=at)
            continue
        first_seen = current is None or current.import_id != import_id
        if current is None:
            mandate_id = contact_import.created_id(import_id, f"mandate#{row.line}")
            current = Mandate(
                tenant_id=p.tenant_id,
                contact_id=contact_id,
                mandate_id=mandate_id,
                doc=wanted,
                created_at=at,
                updated_at=at,
            )
            held[contact_id].append(current)
            outcome = "created"
            detail = {"contact_id": contact_id, "import_id": import_id}
            audit.record(p, "create", "mandate", mandate_id, detail, at=at)
        else:
            merged: MandateDoc = {
                **current.doc,
                "start": wanted.get("start"),
                "territory": wanted.get("territory"),
                "notes": wanted.get("notes"),
            }
            outcome = "unchanged" if merged == current.doc or current.mandate_id in to_write else "updated"
            if outcome == "updated":
                current.doc = merged
                current.updated_at = at
                audit.record(p, "update", "mandate", current.mandate_id, {"import_id": import_id}, at=at)
        current.rne_kind = kind.value
        current.import_id = import_id
        if first_seen:
            current.import_line, current.import_outcome = row.line, outcome
        to_write[current.mandate_id] = current
        outcomes.append(outcome)
    mandates_store.write_batch(list(to_write.values()))
    return outcomes, set(to_write)


def _territory_code(m: Mandate) -> str | None:
    territory = m.doc.get("territory")
    return territory["code"] if territory else None


def _functions_of(kind: rne.RneFileKind) -> set[str]:
    return {rne.DEFAULT_FUNCTION[kind], *(code for _, code in rne.FUNCTION_RULES.get(kind, ()))}


def _vanished(p: Principal, import_id: str, kind: rne.RneFileKind, departement: str | None) -> list[Mandate]:
    """The open mandates of the file's kind (in the département filtered on) this import did not see."""
    vanished = []
    for function in sorted(_functions_of(kind)):
        for m in mandates_store.open_for_function(p.tenant_id, function):
            if m.rne_kind != kind.value or m.import_id == import_id:
                continue
            territory = m.doc.get("territory")
            if (
                departement
                and territory
                and departement_of(Territory(territory["kind"], territory["code"])) != departement
            ):
                continue
            vanished.append(m)
    return vanished
