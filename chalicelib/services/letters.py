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
from datetime import date
from typing import Any

from chalicelib import aws
from chalicelib.auth import Principal
from chalicelib.domain import letters as rules
from chalicelib.domain.contacts import CIVILITY_LONG
from chalicelib.domain.protocol import address_forms as forms
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.time import today
from chalicelib.domain.typography import french_date
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.jobs.registry import queue_job
from chalicelib.messaging import templates
from chalicelib.messaging.bounded import RenderLimitExceeded
from chalicelib.printing.letters import Letter, LetterBook, dateline, label_sheet, letterhead_lines
from chalicelib.schemas.letters import LetterCreate
from chalicelib.services import audit
from chalicelib.services.address_forms import rank_of, signatory_function
from chalicelib.services.protocol import person_of, territory_label
from chalicelib.settings import get_settings
from chalicelib.store import contacts as contacts_store
from chalicelib.store import files, tenants
from chalicelib.store import interactions as interactions_store
from chalicelib.store import letters as store
from chalicelib.store import mandates as mandates_store
from chalicelib.store.base import new_id, now_iso

logger = logging.getLogger("agora.letters")

VARIABLES = frozenset({"contact", "tenant", "sender", "date"})
CHUNK = 100  # recipients read (BatchGetItem) and reported on together
# The queue's maxReceiveCount (chalicelib/jobs/registry.py): the last delivery marks the job failed.
MAX_ATTEMPTS = queue_job("render_letters").max_receive_count


def template_list() -> list[dict[str, Any]]:
    listed = []
    for name, label in templates.letter_templates().items():
        used = templates.check(templates.letter_source(name) or "", VARIABLES).variables
        listed.append({"name": name, "label": label, "variables": sorted(used)})
    return listed


def _contact_context(doc: dict[str, Any]) -> dict[str, str]:
    return {
        "civility": doc.get("civility") or "",
        "civility_long": CIVILITY_LONG.get(doc.get("civility") or "", ""),
        "first_name": doc.get("first_name") or "",
        "last_name": doc.get("last_name") or "",
        "organisation_name": doc.get("organisation_name") or "",
    }


def _context(settings: dict[str, Any], contact_doc: dict[str, Any], on: date) -> dict[str, Any]:
    return {
        "contact": _contact_context(contact_doc),
        "tenant": {"name": settings.get("name") or ""},
        "sender": {"name": settings.get("signatory_name") or "", "function": settings.get("signatory_function") or ""},
        "date": french_date(on),
    }


def _settings(tenant_id: str) -> dict[str, Any]:
    item = tenants.get_settings_item(tenant_id)
    return dict(item.data) if item else {}


def _body_source(req: LetterCreate) -> tuple[str, str]:
    """The body's Jinja2 source and the field to blame for its errors."""
    if req.template is not None:
        source = templates.letter_source(req.template)
        if source is None:
            names = ", ".join(templates.letter_templates()) or "aucun"
            raise ValidationFailed([{"field": "template", "message": f"Modèle inconnu (modèles : {names})."}])
        return source, "template"
    return req.body or "", "body"


def _render_body(source: str, context: dict[str, Any]) -> list[str]:
    text = templates.render(source, context)
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def start(p: Principal, req: LetterCreate) -> dict[str, Any]:
    if req.sender_function is not None and req.sender_function not in FUNCTIONS:
        message = "Fonction inconnue (voir /protocol/functions)."
        raise ValidationFailed([{"field": "sender_function", "message": message}])
    source, field = _body_source(req)
    checked = templates.check(source, VARIABLES)
    if checked.error:
        raise ValidationFailed([{"field": field, "message": checked.error}])
    try:  # a trial render catches « {{ contact.prenom }} » (an attribute that does not exist) before the job
        _render_body(source, _context({}, {}, today()))
    except RenderLimitExceeded as exc:
        raise ValidationFailed([{"field": field, "message": exc.message}]) from exc
    except templates.RENDER_ERRORS as exc:
        raise ValidationFailed([{"field": field, "message": f"Le modèle ne peut pas être appliqué : {exc}."}]) from exc
    found = contacts_store.batch_get(p.tenant_id, req.contact_ids)
    missing = [cid for cid in req.contact_ids if cid not in found]
    if missing:
        raise NotFound(f"Contact introuvable : {', '.join(missing[:5])}.")
    at = now_iso()
    item = store.LetterJobItem(
        p.tenant_id,
        new_id(),
        status="queued",
        total=len(req.contact_ids),
        done=0,
        doc={
            "request": req.model_dump(mode="json"),
            "by": p.as_requester(),
            "skipped": [],
            "printed": 0,
            "pages": 0,
        },
        created_at=at,
        updated_at=at,
    )
    item.save()
    body = json.dumps({"tenant_id": p.tenant_id, "letter_id": item.letter_id})
    aws.sqs().send_message(QueueUrl=aws.queue_url(get_settings().letters_queue_name), MessageBody=body)
    audit.record(p, "create", "letter", item.letter_id, {"recipients": len(req.contact_ids), "template": req.template})
    return job_json(item)


def job_json(item: store.LetterJobItem) -> dict[str, Any]:
    doc = item.doc
    done = item.status == "done"
    return {
        "id": item.letter_id,
        "status": item.status,
        "total": int(item.total),
        "done": int(item.done),
        "printed": int(doc.get("printed", 0)),
        "skipped": doc.get("skipped", []),
        "pages": int(doc.get("pages", 0)),
        "pdf_url": files.download_url(doc["pdf_key"], "courriers.pdf") if done and doc.get("pdf_key") else None,
        "labels_url": (
            files.download_url(doc["labels_key"], "etiquettes.pdf") if done and doc.get("labels_key") else None
        ),
        "error": doc.get("error"),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def get(p: Principal, letter_id: str) -> dict[str, Any]:
    item = store.get(p.tenant_id, letter_id) if len(letter_id) <= 64 else None
    if item is None:
        raise NotFound("Publipostage introuvable.")
    return job_json(item)


# --- the job -----------------------------------------------------------------------------------------------------


class BodyOverBound(Exception):
    """The body broke a render bound with a recipient's data: the job stops for good."""

    def __init__(self, contact_id: str, breach: RenderLimitExceeded) -> None:
        super().__init__(f"Publipostage arrêté au contact {contact_id} : {breach.message} Corrigez le modèle.")


def process_message(body: str, attempt: int = 1) -> None:
    message = json.loads(body)
    item = store.get(message["tenant_id"], message["letter_id"])
    if item is None or item.status in ("done", "failed"):
        return  # redelivered after it finished
    try:
        _run(item)
    except BodyOverBound as exc:  # deterministic: failed on any attempt, not raised for SQS to redeliver
        logger.warning("letters job %s stopped: %s", item.letter_id, exc)
        _fail(item, str(exc))
    except Exception as exc:
        logger.exception("letters job %s failed (attempt %s)", item.letter_id, attempt)
        if attempt < MAX_ATTEMPTS:
            raise  # SQS redelivers; the job starts again from its first recipient
        _fail(item, f"Le publipostage a échoué ({type(exc).__name__}) : relancez-le.")


def _fail(item: store.LetterJobItem, error: str) -> None:
    item.refresh()
    item.status = "failed"
    item.doc = {**item.doc, "error": error}
    item.updated_at = now_iso()
    item.save()


def _recipients(tenant_id: str, ids: list[str]) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[Any]]]:
    """Contacts, their partners and everybody's mandates, for one chunk of recipients."""
    found = contacts_store.batch_get(tenant_id, ids)
    partner_ids = [pid for c in found.values() if (pid := c.doc.get("partner_contact_id")) and pid not in found]
    partners = contacts_store.batch_get(tenant_id, partner_ids) if partner_ids else {}
    held = mandates_store.for_contacts(tenant_id, [*found, *partners])
    return found, partners, held


def _run(item: store.LetterJobItem) -> None:
    req = LetterCreate.model_validate(item.doc["request"])
    tenant_id = item.tenant_id
    settings = _settings(tenant_id)
    on = req.date or today(settings.get("timezone"))  # the tenant's date: La Réunion's day starts before Paris's
    sender = req.sender_function or signatory_function(Principal.from_requester(tenant_id, item.doc["by"]))
    source, _ = _body_source(req)
    letterhead = letterhead_lines(settings)
    signatory_title = settings.get("signatory_function") or (FUNCTIONS[sender].title_m if sender in FUNCTIONS else None)
    item.status, item.done, item.updated_at = "running", 0, now_iso()
    item.doc = {**item.doc, "skipped": [], "printed": 0, "pages": 0}
    item.save()

    book = LetterBook(req.subject or "Courriers")
    addresses: list[list[str]] = []
    printed: list[str] = []
    skipped: list[dict[str, str]] = []
    for start_at in range(0, len(req.contact_ids), CHUNK):
        ids = req.contact_ids[start_at : start_at + CHUNK]
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
                    subject=req.subject,
                    appel=address_forms.appel,
                    paragraphs=paragraphs,
                    closing=address_forms.closing,
                    signatory_function=signatory_title,
                    signatory_name=settings.get("signatory_name"),
                )
            )
            addresses.append(postal)
            printed.append(contact_id)
        item.done = start_at + len(ids)
        item.doc = {**item.doc, "skipped": skipped, "printed": len(printed), "pages": book.pages}
        item.updated_at = now_iso()
        item.save()

    prefix = f"letters/{tenant_id}/{item.letter_id}/"
    keys = {"pdf_key": prefix + "courriers.pdf"}
    files.put_pdf(keys["pdf_key"], book.bytes())
    if req.labels:
        keys["labels_key"] = prefix + "etiquettes.pdf"
        files.put_pdf(keys["labels_key"], label_sheet(addresses))
    _record_interactions(item, printed, on, req)
    item.status = "done"
    item.doc = {**item.doc, **keys}
    item.updated_at = now_iso()
    item.save()


def _record_interactions(item: store.LetterJobItem, contact_ids: list[str], on: date, req: LetterCreate) -> None:
    """A `letter` interaction per printed letter, keyed by the job: a job run twice writes the same items."""
    by = item.doc["by"]
    label = req.subject or (templates.letter_templates().get(req.template or "") or "Courrier")
    at = now_iso()
    with interactions_store.InteractionItem.batch_write() as batch:
        for contact_id in contact_ids:
            batch.save(
                interactions_store.InteractionItem(
                    item.tenant_id,
                    f"{contact_id}#{item.letter_id}",
                    interaction_id=item.letter_id,
                    contact_id=contact_id,
                    kind="letter",
                    date=on.isoformat(),
                    summary=f"Courrier (publipostage) : {label}",
                    author_id=by["user_id"],
                    author_email=by.get("email") or None,
                    created_at=at,
                )
            )
