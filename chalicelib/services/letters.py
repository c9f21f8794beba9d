"""Letters (publipostage): one PDF with a page per recipient, forms of address from the protocol rules,
an address-label sheet, a `letter` interaction in each recipient's history.

POST /letters checks everything it can at once (template syntax and variables, a trial render, unknown contacts)
and queues a job; the letters queue's consumer renders the pages, reports progress on the job item as it goes,
stores both PDFs in S3 and writes the interactions. A redelivered message finds the job done and stops; a job that
fails on its last delivery says so (status failed) instead of staying queued.

A body is rendered within bounds (messaging/bounded.py): over one at the trial render, the request is refused; over
one with a recipient's data, the whole job fails at once, without a retry. The body is the same for every recipient,
so a breach is the body's, and a retry would only break it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import campaigns as campaign_rules
from chalicelib.domain import letters as rules
from chalicelib.domain.contacts import CIVILITY_LONG
from chalicelib.domain.protocol import address_forms as forms
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.time import today
from chalicelib.domain.typography import french_date
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import queues, templates
from chalicelib.messaging.bounded import RenderLimitExceeded
from chalicelib.services import audit, job_state, lookup
from chalicelib.services.address_forms import rank_of, signatory_function
from chalicelib.services.protocol import person_of, territory_label
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files, tenants
from chalicelib.store import interactions as interactions_store
from chalicelib.store import letters as store
from chalicelib.store import mandates as mandates_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Interaction, LetterJob, LetterRequestDoc, LetterSkipped, Mandate

logger = logging.getLogger("agora.letters")

VARIABLES = frozenset({"contact", "tenant", "sender", "date"})
CHUNK = 100  # recipients read (BatchGetItem) and reported on together
# The queue's maxReceiveCount (chalicelib/jobs/registry.py): the last delivery marks the job failed.
MAX_ATTEMPTS = queue_job("render_letters").max_receive_count


def template_list() -> list[tuple[str, str, list[str]]]:
    """The stored letter bodies: name, label and the variables each uses."""
    listed = []
    for name, label in templates.letter_templates().items():
        used = templates.check(templates.letter_source(name) or "", VARIABLES).variables
        listed.append((name, label, sorted(used)))
    return listed


def _context(settings: Mapping[str, Any], contact_doc: Mapping[str, Any], on: date) -> dict[str, Any]:
    return {
        "contact": campaign_rules.contact_view(contact_doc, CIVILITY_LONG),
        "tenant": {"name": settings.get("name") or ""},
        "sender": {"name": settings.get("signatory_name") or "", "function": settings.get("signatory_function") or ""},
        "date": french_date(on),
    }


def _settings(tenant_id: str) -> dict[str, Any]:
    item = tenants.get_settings_item(tenant_id)
    return dict(item.data) if item else {}


def _body_source(request: LetterRequestDoc) -> tuple[str, str]:
    """The body's Jinja2 source and the field to blame for its errors."""
    if request["template"] is not None:
        source = templates.letter_source(request["template"])
        if source is None:
            names = ", ".join(templates.letter_templates()) or "aucun"
            raise ValidationFailed([{"field": "template", "message": f"Modèle inconnu (modèles : {names})."}])
        return source, "template"
    return request["body"] or "", "body"


def _render_body(source: str, context: dict[str, Any]) -> list[str]:
    text = templates.render(source, context)
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def start(p: Principal, request: LetterRequestDoc) -> LetterJob:
    """Check what can be checked now (the signatory, the body, the recipients), then queue the job."""
    if request["sender_function"] is not None and request["sender_function"] not in FUNCTIONS:
        message = "Fonction inconnue (voir /protocol/functions)."
        raise ValidationFailed([{"field": "sender_function", "message": message}])
    source, field = _body_source(request)
    checked = templates.check(source, VARIABLES)
    if checked.error:
        raise ValidationFailed([{"field": field, "message": checked.error}])
    try:  # a trial render catches « {{ contact.prenom }} » (an attribute that does not exist) before the job
        _render_body(source, _context({}, {}, today()))
    except RenderLimitExceeded as exc:
        raise ValidationFailed([{"field": field, "message": exc.message}]) from exc
    except templates.RENDER_ERRORS as exc:
        raise ValidationFailed([{"field": field, "message": f"Le modèle ne peut pas être appliqué : {exc}."}]) from exc
    contact_ids = request["contact_ids"]
    found = contacts_store.batch_get(p.tenant_id, contact_ids)
    missing = [cid for cid in contact_ids if cid not in found]
    if missing:
        raise NotFound(f"Contact introuvable : {', '.join(missing[:5])}.")
    at = now_iso()
    job = LetterJob(
        tenant_id=p.tenant_id,
        letter_id=new_id(),
        status="queued",
        total=len(contact_ids),
        done=0,
        doc={"request": request, "by": p.as_requester(), "skipped": [], "printed": 0, "pages": 0},
        created_at=at,
        updated_at=at,
    )
    store.save(job)
    queues.send("letters", {"tenant_id": p.tenant_id, "letter_id": job.letter_id})
    audit.record(
        p, "create", "letter", job.letter_id, {"recipients": len(contact_ids), "template": request["template"]}
    )
    return job


def download_links(job: LetterJob) -> tuple[str | None, str | None]:
    """Presigned downloads (valid one hour) of the letters and of the label sheet, once the job is done."""
    doc = job.doc
    if job.status != "done":
        return None, None
    pdf_key, labels_key = doc.get("pdf_key"), doc.get("labels_key")
    return (
        files.download_url(pdf_key, "courriers.pdf") if pdf_key else None,
        files.download_url(labels_key, "etiquettes.pdf") if labels_key else None,
    )


def get(p: Principal, letter_id: str) -> LetterJob:
    return lookup.require(store.get, p.tenant_id, letter_id, "Publipostage introuvable.")


# --- the job -----------------------------------------------------------------------------------------------------


class BodyOverBound(Exception):
    """The body broke a render bound with a recipient's data: the job stops for good."""

    def __init__(self, contact_id: str, breach: RenderLimitExceeded) -> None:
        super().__init__(f"Publipostage arrêté au contact {contact_id} : {breach.message} Corrigez le modèle.")


def process_message(body: str, attempt: int = 1) -> None:
    message = json.loads(body)
    job = store.get(message["tenant_id"], message["letter_id"])
    if job is None or job.status in ("done", "failed"):
        return  # redelivered after it finished
    try:
        _run(job)
    except BodyOverBound as exc:  # deterministic: failed on any attempt, not raised for SQS to redeliver
        logger.warning("letters job %s stopped: %s", job.letter_id, exc)
        _fail(job, str(exc))
    except Exception as exc:
        logger.exception("letters job %s failed (attempt %s)", job.letter_id, attempt)
        if attempt < MAX_ATTEMPTS:
            raise  # SQS redelivers; the job starts again from its first recipient
        _fail(job, f"Le publipostage a échoué ({type(exc).__name__}) : relancez-le.")


def _fail(job: LetterJob, error: str) -> None:
    job_state.mark_failed(store.get(job.tenant_id, job.letter_id), store.save, error)


def _recipients(tenant_id: str, ids: list[str]) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[Mandate]]]:
    """Contacts, their partners and everybody's mandates, for one chunk of recipients."""
    found = contacts_store.batch_get(tenant_id, ids)
    partner_ids = [pid for c in found.values() if (pid := c.doc.get("partner_contact_id")) and pid not in found]
    partners = contacts_store.batch_get(tenant_id, partner_ids) if partner_ids else {}
    held = mandates_store.for_contacts(tenant_id, [*found, *partners])
    return found, partners, held


def _run(job: LetterJob) -> None:
    # Here, not with the module: fpdf costs most of a cold start, and only this job prints.
    from chalicelib.printing.letters import Letter, LetterBook, dateline, label_sheet, letterhead_lines

    req = job.doc["request"]
    tenant_id = job.tenant_id
    settings = _settings(tenant_id)
    # The tenant's date: La Réunion's day starts before Paris's.
    on = date.fromisoformat(req["date"]) if req["date"] else today(settings.get("timezone"))
    sender = req["sender_function"] or signatory_function(Principal.from_requester(tenant_id, job.doc["by"]))
    source, _ = _body_source(req)
    letterhead = letterhead_lines(settings)
    signatory_title = settings.get("signatory_function") or (FUNCTIONS[sender].title_m if sender in FUNCTIONS else None)
    job.status, job.done, job.updated_at = "running", 0, now_iso()
    job.doc = {**job.doc, "skipped": [], "printed": 0, "pages": 0}
    store.save(job)

    book = LetterBook(req["subject"] or "Courriers")
    addresses: list[list[str]] = []
    printed: list[str] = []
    skipped: list[LetterSkipped] = []
    contact_ids = req["contact_ids"]
    for start_at in range(0, len(contact_ids), CHUNK):
        ids = contact_ids[start_at : start_at + CHUNK]
        found, partners, held = _recipients(tenant_id, ids)
        for contact_id in ids:
            contact = found.get(contact_id)
            if contact is None:
                skipped.append({"contact_id": contact_id, "reason": "Contact supprimé depuis la demande."})
                continue
            if contact.doc.get("archived"):
                skipped.append({"contact_id": contact_id, "reason": "Contact archivé."})
                continue
            partner_id = contact.doc.get("partner_contact_id")
            partner_item = found.get(partner_id) or partners.get(partner_id) if partner_id else None
            recipient = person_of(contact, held.get(contact_id, []))
            partner = person_of(partner_item, held.get(partner_item.contact_id, [])) if partner_item else None
            address_forms = forms.address_forms(recipient, on, sender, territory_label, partner, rank_of=rank_of)
            address = contact.doc.get("address") or {}
            postal, why_not = rules.postal_lines(
                address_forms.envelope, address.get("lines") or [], address.get("postcode"), address.get("city")
            )
            if why_not:
                skipped.append({"contact_id": contact_id, "reason": why_not})
                continue
            try:
                paragraphs = _render_body(source, _context(settings, contact.doc, on))
            except RenderLimitExceeded as exc:
                raise BodyOverBound(contact_id, exc) from exc
            except templates.RENDER_ERRORS as exc:
                reason = f"Le modèle ne s'applique pas à ce contact : {exc}."
                skipped.append({"contact_id": contact_id, "reason": reason})
                continue
            book.add(
                Letter(
                    letterhead=letterhead,
                    postal=postal,
                    place_and_date=dateline(settings.get("name"), on),
                    subject=req["subject"],
                    appel=address_forms.appel,
                    paragraphs=paragraphs,
                    closing=address_forms.closing,
                    signatory_function=signatory_title,
                    signatory_name=settings.get("signatory_name"),
                )
            )
            addresses.append(postal)
            printed.append(contact_id)
        job.done = start_at + len(ids)
        job.doc = {**job.doc, "skipped": skipped, "printed": len(printed), "pages": book.pages}
        job.updated_at = now_iso()
        store.save(job)

    prefix = f"letters/{tenant_id}/{job.letter_id}/"
    pdf_key = prefix + "courriers.pdf"
    files.put_pdf(pdf_key, book.bytes())
    labels_key = None
    if req["labels"]:
        labels_key = prefix + "etiquettes.pdf"
        files.put_pdf(labels_key, label_sheet(addresses))
    _record_interactions(job, printed, on)
    job.status = "done"
    job.doc = {**job.doc, "pdf_key": pdf_key}
    if labels_key:
        job.doc = {**job.doc, "labels_key": labels_key}
    job.updated_at = now_iso()
    store.save(job)


def _record_interactions(job: LetterJob, contact_ids: list[str], on: date) -> None:
    """A `letter` interaction per printed letter, keyed by the job: a job run twice writes the same items."""
    by = job.doc["by"]
    req = job.doc["request"]
    label = req["subject"] or (templates.letter_templates().get(req["template"] or "") or "Courrier")
    at = now_iso()
    interactions_store.put_many(
        Interaction(
            tenant_id=job.tenant_id,
            contact_id=contact_id,
            interaction_id=job.letter_id,
            kind="letter",
            date=on.isoformat(),
            summary=f"Courrier (publipostage) : {label}",
            author_id=by["user_id"],
            author_email=by.get("email") or None,
            created_at=at,
        )
        for contact_id in contact_ids
    )
