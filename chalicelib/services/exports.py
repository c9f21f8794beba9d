"""Contact exports: a segment's contacts (or every contact not archived) as a CSV for Excel in France or an XLSX.

Up to `DIRECT_LIMIT` contacts the file is the answer; above, a job writes it to S3 and `GET /exports/{id}` gives a
presigned link that expires (`store.files.DOWNLOAD_SECONDS`). Which contacts: the segment's members
(`services.segments.members`, never archived ones), or, without a segment, every contact not archived: an archived
contact is hidden from the lists and the segments, so an export does not bring it back into circulation.

Every file carries the export watermark (`domain/watermark.py`: CSV first line, XLSX custom property), and every
export is audited with the ids it wrote (RGPD art. 5 § 2 and 30, accountability; CNIL « Sécurité : Tracer les
accès »), `IDS_PER_AUDIT_ENTRY` ids an entry so that an entry stays far below the size of an SQS message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from chalicelib.auth import Principal
from chalicelib.domain import contact_export, watermark
from chalicelib.errors import NotFound
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import queues
from chalicelib.printing import workbook
from chalicelib.services import audit, job_state, lookup, segments
from chalicelib.store import contacts as contacts_store
from chalicelib.store import exports as store
from chalicelib.store import files, tenants
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Contact, ExportJob, Segment

logger = logging.getLogger("agora.exports")

Format = Literal["csv", "xlsx"]
DIRECT_LIMIT = 5000  # contacts answered at once; above, a job (5,000 full rows: about 1.4 MB of CSV, 0.35 MB of XLSX)
# A binary body leaves Lambda base64-encoded (4/3 larger) and a Lambda response holds at most 6 MB: a file above this
# size (many or long custom fields) goes through the job and S3 too, whatever its number of contacts.
MAX_DIRECT_BYTES = 4_000_000
IDS_PER_AUDIT_ENTRY = 200  # 200 ids ≈ 6 KB an entry; 25 entries an SQS message stay under its 256 KiB
MEDIA_TYPES: dict[str, str] = {"csv": "text/csv", "xlsx": workbook.MEDIA_TYPE}
BATCH = 500  # contacts read a Query page
QUEUE = "exports"
# The queue's maxReceiveCount (chalicelib/jobs/registry.py): the last delivery marks the job failed.
MAX_ATTEMPTS = queue_job("export_contacts").max_receive_count


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    media_type: str
    filename: str
    rows: int


def _not_archived(tenant_id: str) -> Iterator[Contact]:
    """The tenant's contacts not archived, in id order (Query pages of its partition, never a Scan)."""
    start: dict[str, Any] | None = None
    while True:
        batch, start = contacts_store.tenant_page(tenant_id, start, BATCH)
        yield from (c for c in batch if not c.archived)
        if start is None:
            return


def _contacts(p: Principal, segment: Segment | None) -> Iterator[Contact]:
    return segments.members(p, segment) if segment is not None else _not_archived(p.tenant_id)


def _file(p: Principal, contacts: Iterable[Contact], fmt: str, exported_at: str) -> tuple[ExportFile, list[str]]:
    """The file of these contacts and the ids it holds."""
    custom = [f.name for f in tenants.list_fields(p.tenant_id)]
    mark = watermark.line(p.tenant_id, p.tenant_kind, exported_at)
    columns = contact_export.header(custom)
    ids: list[str] = []
    rows: list[list[str]] = []
    for contact in contacts:
        ids.append(contact.contact_id)
        rows.append(contact_export.row(contact.contact_id, contact.doc, custom))
    if fmt == "xlsx":
        data = workbook.xlsx_bytes("Contacts", mark, columns, rows)
    else:
        data = contact_export.csv_bytes(mark, columns, rows)
    filename = f"contacts-{exported_at[:10]}.{fmt}"
    return ExportFile(data, MEDIA_TYPES[fmt], filename, len(ids)), ids


def _audit(p: Principal, export_id: str, ids: list[str], segment_id: str | None, fmt: str) -> None:
    """The ids exported, `IDS_PER_AUDIT_ENTRY` an entry (an export with no contact still leaves one entry)."""
    parts = max(1, -(-len(ids) // IDS_PER_AUDIT_ENTRY))
    for part in range(parts):
        chunk = ids[part * IDS_PER_AUDIT_ENTRY : (part + 1) * IDS_PER_AUDIT_ENTRY]
        detail = {"ids": chunk, "format": fmt, "segment": segment_id, "part": part + 1, "parts": parts}
        audit.record(p, "export", "contacts", export_id, detail)


def export_contacts(p: Principal, segment_id: str | None, fmt: Format) -> ExportFile | ExportJob:
    """The file, when the contacts are at most `DIRECT_LIMIT` and it fits in a response; else the job queued to
    write it."""
    segment = segments.load(p, segment_id) if segment_id else None
    first = list(islice(_contacts(p, segment), DIRECT_LIMIT + 1))
    if len(first) > DIRECT_LIMIT:
        return _queue(p, segment_id, fmt)
    result, ids = _file(p, first, fmt, now_iso())
    if len(result.data) > MAX_DIRECT_BYTES:
        return _queue(p, segment_id, fmt)  # not handed over: not audited as exported (the job will be)
    _audit(p, new_id(), ids, segment_id, fmt)
    return result


def _queue(p: Principal, segment_id: str | None, fmt: Format) -> ExportJob:
    at = now_iso()
    job = ExportJob(
        tenant_id=p.tenant_id,
        export_id=new_id(),
        status="queued",
        doc={"request": {"segment_id": segment_id, "format": fmt}, "by": p.as_requester()},
        created_at=at,
        updated_at=at,
    )
    store.save(job)
    queues.send(QUEUE, {"tenant_id": p.tenant_id, "export_id": job.export_id})
    audit.record(p, "create", "export", job.export_id, {"segment": segment_id, "format": fmt})
    return job


def get(p: Principal, export_id: str) -> ExportJob:
    return lookup.require(store.get, p.tenant_id, export_id, "Export introuvable.")


def download_link(job: ExportJob) -> str | None:
    """A presigned download of the file (valid `files.DOWNLOAD_SECONDS`), once the job is done."""
    key, filename = job.doc.get("key"), job.doc.get("filename")
    return files.download_url(key, filename) if job.status == "done" and key and filename else None


# --- the job -----------------------------------------------------------------------------------------------------


def process_message(body: str, attempt: int = 1) -> None:
    message = json.loads(body)
    job = store.get(message["tenant_id"], message["export_id"])
    if job is None or job.status in ("done", "failed"):
        return  # redelivered after it finished
    try:
        _run(job)
    except NotFound:  # the segment was deleted since the request: no retry will find it
        _fail(job, "Le segment a été supprimé depuis la demande : l'export n'a pas été produit.")
    except Exception as exc:
        logger.exception("export job %s failed (attempt %s)", job.export_id, attempt)
        if attempt < MAX_ATTEMPTS:
            raise  # SQS redelivers; the job starts again
        _fail(job, f"L'export a échoué ({type(exc).__name__}) : relancez-le.")


def _fail(job: ExportJob, error: str) -> None:
    job_state.mark_failed(store.get(job.tenant_id, job.export_id), store.save, error)


def _run(job: ExportJob) -> None:
    p = Principal.from_requester(job.tenant_id, job.doc["by"])
    request = job.doc["request"]
    job.status, job.updated_at = "running", now_iso()
    store.save(job)
    segment = segments.load(p, request["segment_id"]) if request["segment_id"] else None
    result, ids = _file(p, _contacts(p, segment), request["format"], now_iso())
    key = f"exports/{job.tenant_id}/{job.export_id}/{result.filename}"
    files.put_file(key, result.data, result.media_type)
    _audit(p, job.export_id, ids, request["segment_id"], request["format"])
    job.status, job.total, job.updated_at = "done", result.rows, now_iso()
    job.doc = {**job.doc, "key": key, "filename": result.filename}
    store.save(job)
