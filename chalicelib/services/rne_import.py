"""RNE import (issue #3): élus and their mandates from the Répertoire national des élus files.

The file is stored in S3, then read in chunks of lines, one SQS message per chunk, so a
35,000-line file never holds a Lambda for long and a failed chunk is retried alone. Each row
finds its person by names + birth date (an index entry written with every contact), so a
re-import never duplicates anyone; its mandate is created, updated or left as it is. When the
last chunk is done, the file kind's open mandates that this import did not see (in the
département filtered on, if any) are end-dated: they vanished from the newer release.

Before anything else, a file carrying the Agora export watermark of a tenant of the other kind
(institution / political) is refused and the refusal audited: L52-8 and the CNIL forbid data
moving between them (domain/watermark.py). A watermark line before the header is skipped.

Counters (GET /imports/{id}): `rows` data lines read; `created` mandates created (with their
person when new); `updated` mandates changed; `unchanged` mandates already up to date;
`ended` mandates end-dated; `rejected` malformed lines with their reason.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import unquote_plus

from chalicelib import aws
from chalicelib.auth import Principal
from chalicelib.domain import rne, watermark
from chalicelib.domain.protocol.model import Territory
from chalicelib.domain.protocol.precedence import departement_of
from chalicelib.errors import NotFound, PayloadTooLarge, ValidationFailed
from chalicelib.schemas.contacts import ContactCreate
from chalicelib.services import audit
from chalicelib.services import contacts as contacts_service
from chalicelib.settings import get_settings
from chalicelib.store import imports as store
from chalicelib.store import mandates as mandates_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.search_index import find_identity

MAX_DIRECT_BYTES = 5 * 1024 * 1024  # POST /imports/rne; larger files go through a presigned upload (POST /imports)
UPLOAD_PREFIX = "uploads/"
UPLOAD_URL_SECONDS = 3600
SNIFF_BYTES = 64 * 1024  # enough for the header line of any RNE file
CHUNK_BYTES = 256 * 1024  # about 1,500 lines of the maires file
MAX_REJECTED = 1000  # kept in the import item (400 KB item limit); the count goes on


def import_json(item: store.ImportItem) -> dict[str, Any]:
    d = item.doc
    return {
        "id": item.import_id,
        "kind": item.kind,
        "status": item.status,
        "filename": d.get("filename"),
        "departement": d.get("departement"),
        "file_kind": d.get("file_kind"),
        **{k: d.get(k, 0) for k in ("rows", "created", "updated", "unchanged", "ended")},
        "rejected": d.get("rejected", []),
        "rejected_count": d.get("rejected_count", 0),
        "error": d.get("error"),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


class ProvenanceRefused(ValueError):
    """The file's watermark says it comes from a tenant whose data this tenant may not take."""


def _checked_facts(p: Principal, import_id: str, sample: bytes, size: int) -> dict[str, Any]:
    """Provenance first (ProvenanceRefused, audited), then the RNE format (rne.RneFormatError): the file's facts."""
    for mark in watermark.find_all(sample):
        if refused := watermark.refusal(p.tenant_kind, p.tenant_id, mark):
            detail = {"kind": "rne", "source_tenant_id": mark.tenant_id, "source_kind": mark.kind}
            audit.record(p, "refuse", "import", import_id, {**detail, "exported_at": mark.exported_at})
            raise ProvenanceRefused(refused)
    return _file_facts(sample, size)


def _file_facts(sample: bytes, size: int) -> dict[str, Any]:
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
    return {
        "file_kind": kind.value,
        "header": header,
        "encoding": _encoding(whole_lines),
        "offset": header_at + len(header_bytes),
        "size": size,
        "first_line": header_line + 1,
    }


def _new_item(p: Principal, key: str, filename: str | None, departement: str | None) -> store.ImportItem:
    at = now_iso()
    return store.ImportItem(
        p.tenant_id,
        key.rsplit("/", 1)[1].removesuffix(".csv"),
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


def start(p: Principal, data: bytes, filename: str | None, departement: str | None) -> dict[str, Any]:
    """Small files: the body is the file; stored, then processed in the background."""
    if len(data) > MAX_DIRECT_BYTES:
        raise PayloadTooLarge("Fichier trop volumineux pour un envoi direct (5 Mo au plus) : utilisez POST /imports.")
    import_id = new_id()
    try:
        facts = _checked_facts(p, import_id, data[:SNIFF_BYTES], len(data))
    except (rne.RneFormatError, ProvenanceRefused) as exc:
        raise ValidationFailed([{"field": "body", "message": str(exc)}]) from exc
    item = _new_item(p, f"imports/{p.tenant_id}/{import_id}.csv", filename, departement)
    item.next_line = facts.pop("first_line")
    item.doc = {**item.doc, **facts}
    aws.client("s3").put_object(Bucket=get_settings().files_bucket, Key=item.s3_key, Body=data, ContentType="text/csv")
    item.save()
    _enqueue(p.tenant_id, item.import_id, int(item.next_line))
    audit.record(p, "create", "import", item.import_id, {"kind": "rne", "file_kind": facts["file_kind"]})
    return import_json(item)


def create_upload(p: Principal, filename: str | None, departement: str | None) -> dict[str, Any]:
    """Large files: a presigned PUT; the upload itself (an S3 event on the imports queue) starts the processing."""
    item = _new_item(p, f"{UPLOAD_PREFIX}{p.tenant_id}/{new_id()}.csv", filename, departement)
    item.doc = {**item.doc, "awaiting_upload": True}
    item.save()
    url = aws.client("s3").generate_presigned_url(
        "put_object",
        Params={"Bucket": get_settings().files_bucket, "Key": item.s3_key, "ContentType": "text/csv"},
        ExpiresIn=UPLOAD_URL_SECONDS,
    )
    audit.record(p, "create", "import", item.import_id, {"kind": "rne", "upload": True})
    return {**import_json(item), "upload_url": url}


def on_uploaded(key: str, size: int) -> None:
    """An object landed under uploads/{tenant}/{import id}.csv: check its header, then queue its first chunk."""
    parts = key.removeprefix(UPLOAD_PREFIX).split("/")
    if not key.startswith(UPLOAD_PREFIX) or len(parts) != 2:
        return
    item = store.get(parts[0], parts[1].removesuffix(".csv"))
    if item is None or not item.doc.get("awaiting_upload"):
        return  # unknown, or already started: S3 may deliver an event twice
    sample = (
        aws.client("s3")
        .get_object(Bucket=get_settings().files_bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}")["Body"]
        .read()
    )
    try:
        facts = _checked_facts(Principal.from_requester(item.tenant_id, item.doc["by"]), item.import_id, sample, size)
    except (rne.RneFormatError, ProvenanceRefused) as exc:
        item.status = "failed"
        item.doc = {**item.doc, "awaiting_upload": False, "error": str(exc)}
    else:
        item.next_line = facts.pop("first_line")
        item.doc = {**item.doc, **facts, "awaiting_upload": False}
    item.updated_at = now_iso()
    item.save()
    if item.status == "queued":
        _enqueue(item.tenant_id, item.import_id, int(item.next_line))


def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _enqueue(tenant_id: str, import_id: str, line: int) -> None:
    body = json.dumps({"tenant_id": tenant_id, "import_id": import_id, "line": line})
    aws.sqs().send_message(QueueUrl=aws.queue_url(get_settings().imports_queue_name), MessageBody=body)


def get(p: Principal, import_id: str) -> dict[str, Any]:
    item = store.get(p.tenant_id, import_id) if len(import_id) <= 64 else None
    if item is None:
        raise NotFound("Import introuvable.")
    return import_json(item)


def process_message(body: str) -> None:
    """One chunk, or an S3 upload event. A redelivered chunk finds itself done and only re-sends the next one."""
    message = json.loads(body)
    if "Records" in message:  # S3 → SQS notification of an upload
        for record in message["Records"]:
            if str(record.get("eventName", "")).startswith("ObjectCreated"):
                obj = record["s3"]["object"]
                on_uploaded(unquote_plus(obj["key"]), int(obj["size"]))
        return
    if "import_id" not in message:
        return  # the s3:TestEvent S3 sends when the notification is configured
    item = store.get(message["tenant_id"], message["import_id"])
    if item is None or item.status in ("done", "failed") or item.doc.get("awaiting_upload"):
        return
    if item.next_line != message["line"]:
        _enqueue(item.tenant_id, item.import_id, int(item.next_line))
        return
    audit.begin()
    try:
        finished = _process_chunk(item)
    except Exception as exc:
        item.status = "failed"
        item.doc = {**item.doc, "error": f"Erreur au traitement à partir de la ligne {item.next_line}."}
        item.updated_at = now_iso()
        item.save()
        raise exc
    finally:
        audit.flush()
    if not finished:
        _enqueue(item.tenant_id, item.import_id, int(item.next_line))


def _process_chunk(item: store.ImportItem) -> bool:
    doc = dict(item.doc)
    p = Principal.from_requester(item.tenant_id, doc["by"])
    kind = rne.RneFileKind(doc["file_kind"])
    offset = int(doc["offset"])
    size = int(doc["size"])
    lines: list[str] = []
    consumed = 0
    if offset < size:
        end = min(offset + CHUNK_BYTES, size) - 1
        data = (
            aws.client("s3")
            .get_object(Bucket=get_settings().files_bucket, Key=item.s3_key, Range=f"bytes={offset}-{end}")["Body"]
            .read()
        )
        if end < size - 1:
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                raise ValueError("line longer than a chunk")
            data = data[:cut]
        consumed = len(data)
        lines = data.decode(doc["encoding"].replace("-sig", "")).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
    counters = {k: int(doc[k]) for k in ("rows", "created", "updated", "unchanged")}
    rejected = list(doc["rejected"])
    rejected_count = int(doc["rejected_count"])
    rows: list[rne.RneRow] = []
    for result in rne.parse(lines, doc.get("departement"), header=doc["header"], first_line=int(item.next_line)):
        counters["rows"] += 1
        if isinstance(result, rne.RneRejected):
            rejected_count += 1
            if len(rejected) < MAX_REJECTED:
                rejected.append({"line": result.line, "reason": result.reason})
        else:
            rows.append(result)
    for outcome in _apply_chunk(p, item.import_id, kind, rows):
        counters[outcome] += 1
    finished = offset + consumed >= size
    item.next_line = int(item.next_line) + len(lines)
    item.doc = {**doc, **counters, "offset": offset + consumed, "rejected": rejected, "rejected_count": rejected_count}
    item.status = "running"
    if finished:
        item.doc = {**item.doc, "ended": _end_vanished(p, item.import_id, kind, doc.get("departement"))}
        item.status = "done"
    item.updated_at = now_iso()
    item.save()  # VersionAttribute: a concurrent redelivery of this chunk fails here instead of counting twice
    return finished


def _mandate_doc(row: rne.RneRow) -> dict[str, Any]:
    t = row.territory
    return {
        "kind": "mandate",
        "function": row.function,
        "title": None,
        "territory": {"kind": t.kind, "code": t.code, "name": t.name or None},
        "organisation": None,
        "body_kind": None,
        "start": (row.function_start or row.start).isoformat() if (row.function_start or row.start) else None,
        "end": None,
        "first_elected_on": None,
        "deliberation_date": None,
        "source": "rne",
        "notes": row.function_label or None,
    }


def _apply_chunk(p: Principal, import_id: str, kind: rne.RneFileKind, rows: list[rne.RneRow]) -> list[str]:
    """The chunk's people (found, or created in bulk) hold the rows' mandates: one outcome per row.

    Lookups are one Query per distinct person (and one per person found, for their mandates);
    writes go in BatchWriteItem calls of 25: new people with their index entries, then every
    mandate created, changed, or seen by this import (the mark end-dating relies on). An
    import's batch write does not check versions: an edit made to the same mandate during the
    import can be overwritten by the file's values.
    """
    people: dict[str, str | None] = {}
    for row in rows:
        key = rne.identity_key(row.last_name, row.first_name, row.birth_date)
        if key not in people:
            found = find_identity(p.tenant_id, key)
            people[key] = found[0] if found else None
    newcomers = {
        key: row
        for row in rows
        if people[key := rne.identity_key(row.last_name, row.first_name, row.birth_date)] is None
    }
    created_people = contacts_service.import_many(
        p,
        [
            ContactCreate(
                kind="person",
                civility=row.civility,
                first_name=row.first_name,
                last_name=row.last_name,
                birth_date=row.birth_date,
                tags=["élu"],
            )
            for row in newcomers.values()
        ],
    )
    held: dict[str, list[mandates_store.MandateItem]] = {}
    for key, contact in zip(newcomers, created_people, strict=True):
        people[key] = contact["id"]
        held[contact["id"]] = []
    to_write: dict[str, mandates_store.MandateItem] = {}
    outcomes = []
    at = now_iso()
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
                and (m.doc.get("territory") or {}).get("code") == row.territory.code
            ),
            None,
        )
        if current is None:
            mandate_id = new_id()
            current = mandates_store.MandateItem(
                p.tenant_id,
                f"{contact_id}#{mandate_id}",
                contact_id=contact_id,
                mandate_id=mandate_id,
                doc=wanted,
                created_at=at,
                updated_at=at,
                version=0,
            )
            held[contact_id].append(current)
            outcome = "created"
            audit.record(p, "create", "mandate", mandate_id, {"contact_id": contact_id, "import_id": import_id})
        else:
            merged = {**current.doc, **{k: v for k, v in wanted.items() if k in ("start", "territory", "notes")}}
            outcome = "unchanged" if merged == current.doc or current.mandate_id in to_write else "updated"
            if outcome == "updated":
                current.doc = merged
                current.updated_at = at
                audit.record(p, "update", "mandate", current.mandate_id, {"import_id": import_id})
        current.rne_kind = kind.value
        current.import_id = import_id
        to_write[current.mandate_id] = current
        outcomes.append(outcome)
    mandates_store.write_batch(list(to_write.values()))
    return outcomes


def _functions_of(kind: rne.RneFileKind) -> set[str]:
    return {rne.DEFAULT_FUNCTION[kind], *(code for _, code in rne.FUNCTION_RULES.get(kind, ()))}


def _end_vanished(p: Principal, import_id: str, kind: rne.RneFileKind, departement: str | None) -> int:
    ended = 0
    today = date.today().isoformat()
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
            m.doc = {**m.doc, "end": today}
            m.updated_at = now_iso()
            mandates_store.save(m, is_new=False)
            audit.record(p, "update", "mandate", m.mandate_id, {"ended_by_import": import_id})
            ended += 1
    return ended
