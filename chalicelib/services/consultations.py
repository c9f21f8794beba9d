"""Consultations: writing them, their results (JSON, CSV, SVG), and the public page's answers.

Audience: a public link (anyone holding it answers; limited as domain/consultations.py says), or a segment whose
contacts each get a personal link through a campaign (`{{ consultation_url }}`): one response per person, which a
second answer replaces until the close.

Anonymous consultations (CNIL: an anonymous survey must not let anyone link an answer to a person): the response
item holds no contact, no group and no time; the only link from a person to their response (needed to replace it)
is a link item that lives until the close. At the close those items are deleted: by an hourly job (`purge_closed`,
which finds the consultations closed and not yet purged through an index, never a Scan); as a second safety by the
first read of the consultation after its close (its results, its page, its public link); and in any case by
DynamoDB's TTL, set to the close (AWS deletes expired items within a few days, and nothing reads them after the
close meanwhile: answers are refused then). Who answered (without their response) is kept so that reminders skip them.

Answers feed a contact's history (an interaction) and interests (the options chosen in multiple-choice questions)
only for an identified consultation and only when the respondent ticked the follow-up consent text (RGPD art. 6(1)(a)
and art. 7: the consent is specific and its text is the consultation's).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from chalicelib.auth import Principal
from chalicelib.domain import consultations as rules
from chalicelib.domain import tokens
from chalicelib.domain.electoral import compliance as electoral_rules
from chalicelib.domain.time import instant, local, today, utc_text
from chalicelib.errors import BadRequest, Conflict, NotFound, RateLimited, ValidationFailed
from chalicelib.services import audit, compliance, event_messages, lookup, segments, tenant_access
from chalicelib.settings import get_settings, public_base_url
from chalicelib.store import consultations as store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import interactions as interactions_store
from chalicelib.store import segments as segments_store
from chalicelib.store import tenants
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import (
    AssessmentDoc,
    Consultation,
    ConsultationLink,
    ConsultationResponse,
    Contact,
    FindingDoc,
    Interaction,
    Segment,
)

NOT_FOUND = "Consultation introuvable."
LINK_INVALID = "Ce lien de consultation n'est pas valide."
TOKEN_PURPOSE = "consult"
HISTORY_KIND = "consultation"
MAX_INTERESTS = 50
CLOSED = "Cette consultation est close. Merci de votre intérêt."
NOT_YET = "Cette consultation n'est pas encore ouverte."
NO_GROUP = "(sans commune)"
NO_POSTCODE = "(sans code postal)"
IN_SEGMENT, OUT_OF_SEGMENT = "Dans le segment", "Hors segment"


def _parsed_questions(raw: Any) -> list[dict[str, Any]]:
    try:
        return rules.parse_questions(raw)
    except rules.ConsultationError as err:
        raise ValidationFailed(err.errors) from err


def zone_of(tenant_id: str) -> str | None:
    item = tenants.get_settings_item(tenant_id)
    return item.data.get("timezone") if item else None


def _check(doc: Mapping[str, Any], p: Principal) -> None:
    try:
        rules.check_dates(instant(doc["opens_at"]), instant(doc["closes_at"]))
    except rules.ConsultationError as err:
        raise ValidationFailed(err.errors) from err
    if doc["audience"] == "segment":
        segment = segments_store.get(p.tenant_id, doc.get("segment_id") or "")
        if segment is None or not (segment.shared or segment.owner_id == p.user_id):
            raise ValidationFailed([{"field": "segment_id", "message": "Segment introuvable."}])
    elif doc.get("segment_id"):
        raise ValidationFailed([{"field": "segment_id", "message": "Un lien public ne vise pas de segment."}])


def create(p: Principal, fields: dict[str, Any]) -> Consultation:
    """``fields``: title, introduction, questions, opens_at, closes_at (aware datetimes), audience, segment_id,
    anonymous, consent_text."""
    doc = {**fields, "questions": _parsed_questions(fields["questions"])}
    doc["opens_at"], doc["closes_at"] = utc_text(fields["opens_at"]), utc_text(fields["closes_at"])
    _check(doc, p)
    consultation_id = new_id()
    doc["compliance"] = assess(p.tenant_id, doc, consultation_id)
    at = now_iso()
    consultation = Consultation(
        tenant_id=p.tenant_id,
        consultation_id=consultation_id,
        doc=doc,
        owner_id=p.user_id,
        created_at=at,
        updated_at=at,
    )
    store.save(consultation)
    audit.record(p, "create", "consultation", consultation.consultation_id)
    return consultation


def load(p: Principal, consultation_id: str) -> Consultation:
    found = lookup.require(store.get, p.tenant_id, consultation_id, NOT_FOUND)
    return purge_if_closed(found)


def listed(p: Principal) -> list[Consultation]:
    """The tenant's consultations, newest first."""
    return sorted(store.all_of_tenant(p.tenant_id), key=lambda c: c.consultation_id, reverse=True)


def state(c: Consultation, now: datetime | None = None) -> str:
    return rules.state(instant(c.doc["opens_at"]), instant(c.doc["closes_at"]), now or datetime.now(UTC))


def update(p: Principal, c: Consultation, changes: dict[str, Any], version: int) -> Consultation:
    """Change a consultation. Its questions and anonymity are fixed once it has opened (answers were given under
    them); a closed one does not change."""
    if version != c.version:
        raise Conflict(store.STALE, [{"field": "version", "message": f"Version actuelle : {c.version}."}])
    current = state(c)
    if current == "closed":
        raise Conflict("Cette consultation est close : elle ne peut plus être modifiée.")
    if current == "open" and ({"questions", "anonymous", "audience", "segment_id"} & set(changes)):
        raise Conflict(
            "La consultation est ouverte : ses questions, son public et son anonymat ne peuvent plus changer.",
            [{"field": f, "message": "Non modifiable après l'ouverture."} for f in sorted(changes)],
        )
    doc = dict(c.doc)
    for key, value in changes.items():
        doc[key] = utc_text(value) if key in ("opens_at", "closes_at") else value
    if "questions" in changes:
        doc["questions"] = _parsed_questions(changes["questions"])
    if doc["audience"] == "public":
        doc["segment_id"] = None
    _check(doc, p)
    doc["compliance"] = assess(p.tenant_id, doc, c.consultation_id)
    moved = doc["closes_at"] != c.doc["closes_at"]
    c.doc, c.updated_at = doc, now_iso()
    store.save(c)
    if moved:
        store.retime_links(c.tenant_id, c.consultation_id, instant(doc["closes_at"]))
    audit.record(p, "update", "consultation", c.consultation_id, {"fields": sorted(changes)})
    return c


_NOT_ASSESSED = {"applies": False, "findings": []}  # a political tenant's: nothing to lift
OUTSIDE_NOTE = "Cette consultation n'a pas lieu pendant une période préélectorale (art. L52-1 du Code électoral)."


def assess(tenant_id: str, doc: Mapping[str, Any], consultation_id: str) -> dict[str, Any] | None:
    """An institution's consultation open during an L52-1 window (art. L52-1 al. 2 du Code électoral: no
    promotional campaign of the collectivity's achievements or management in the six months before a general
    election): its texts (title, introduction, questions, options, consent text) go through the neutrality check
    of events and campaigns, with the admin's override in force when it covers every blocking finding. The finding
    is stored and shown with the consultation, and gates its publication (`publish`); the campaigns inviting to
    answer are assessed, and blocked, as any campaign. A political tenant's consultation: None (L52-1 does not
    apply)."""
    ctx = compliance.TenantContext.load(tenant_id)
    if ctx.kind != "institution":
        return None
    opens = local(instant(doc["opens_at"]), ctx.zone).date()
    closes = local(instant(doc["closes_at"]), ctx.zone).date()
    now = today(ctx.zone)
    inside: list[Any] = []
    for day in (opens, closes):
        for window in ctx.windows_over(now, day):
            if window not in inside:
                inside.append(window)
    questions = [q["label"] + " " + " ".join(q["options"]) for q in doc["questions"]]
    texts = " ".join([doc.get("introduction") or "", *questions, doc.get("consent_text") or ""])
    subject = electoral_rules.Subject(
        event_id=consultation_id, day=opens, texts={"title": doc["title"], "description": texts}, kind="consultation"
    )
    if inside:
        result = electoral_rules.Assessment(
            tuple(inside), True, (electoral_rules.neutralite(subject, ctx.candidates, inside),)
        )
    else:
        result = electoral_rules.Assessment((), False, (), OUTSIDE_NOTE)
    assessed: dict[str, Any] = {**result.as_json(), "assessed_at": now_iso()}
    override = doc.get("override")
    blocking = {f["key"] for f in assessed["findings"] if f["level"] == "blocking"}
    assessed["override"] = override if override and blocking and blocking <= set(override["covers"]) else None
    return assessed


def awaiting(c: Consultation) -> list[str]:
    """The keys of the findings of its stored assessment that no publication cleared: while there are any, its
    links take no answer (a warning needs an acknowledgement, a blocking finding an admin's override too). New
    words in its texts are new findings: a change after publishing needs a new clearance."""
    assessed = c.doc.get("compliance")
    if not assessed or not assessed["applies"]:
        return []
    cleared = set((c.doc.get("clearance") or {}).get("covers", []))
    return [f["key"] for f in assessed["findings"] if f["level"] != "ok" and f["key"] not in cleared]


def published(c: Consultation) -> bool:
    """Whether its links take answers (between its dates): nothing in its L52-1 assessment awaits a clearance."""
    return not awaiting(c)


def publish(p: Principal, c: Consultation, acknowledge_warnings: bool) -> Consultation:
    """Publish a consultation its L52-1 assessment held back, as a campaign is sent (compliance.clear): assessed
    again now; blocking findings need an admin's override in force, warnings an acknowledgement (audited). One
    with nothing to clear is published already: it is returned as it is."""
    if state(c) == "closed":
        raise Conflict("Cette consultation est close : elle ne peut plus être publiée.")
    current = assess(p.tenant_id, c.doc, c.consultation_id)
    raised: list[FindingDoc] = []
    if current is not None and current["applies"]:
        doc = cast(AssessmentDoc, current)
        raised = compliance.clear(p, doc, acknowledge_warnings, "consultation", c.consultation_id)
    if not raised and published(c):
        return c
    clearance = {"by": p.email or p.user_id, "at": now_iso(), "covers": [f["key"] for f in raised]}
    c.doc, c.updated_at = {**c.doc, "compliance": current, "clearance": clearance}, now_iso()
    store.save(c)
    audit.record(p, "publish", "consultation", c.consultation_id, {"cleared": clearance["covers"]})
    return c


def override(p: Principal, c: Consultation, justification: str) -> AssessmentDoc:
    """An admin lifts the blocking findings of now in writing (the route is admin's); audited with the findings
    (compliance.lift). Publishing is still asked for, with the warnings acknowledged."""
    current = cast(AssessmentDoc, assess(p.tenant_id, c.doc, c.consultation_id) or _NOT_ASSESSED)
    doc = compliance.lift(p, current, justification, "consultation", c.consultation_id)
    current["override"] = doc
    c.doc, c.updated_at = {**c.doc, "override": doc, "compliance": current}, now_iso()
    store.save(c)
    return current


def purge_closed(now: datetime | None = None) -> int:
    """The hourly job: every consultation (of every tenant) closed by ``now`` whose mappings are still there has
    them deleted; how many consultations were purged. A re-run finds none of those again (purged ones leave the
    index); one modified meanwhile stays in the index for the next run."""
    at = now or datetime.now(UTC)
    purged = 0
    for c in store.closed_unpurged(at):
        if purge_if_closed(c, at).links_purged:
            purged += 1
    return purged


def purge_if_closed(c: Consultation, now: datetime | None = None) -> Consultation:
    """After the close, the link → response mappings go (once): an anonymous response is then joined to nobody."""
    if c.links_purged or state(c, now) != "closed":
        return c
    store.delete_links(c.tenant_id, c.consultation_id)
    c.links_purged = True
    try:
        store.save(c)
    except Conflict:  # another read purged it at the same time (the same deletes, done twice), or it changed
        c.links_purged = False
    return c


# --- links ---------------------------------------------------------------------------------------------------------


def public_url(c: Consultation) -> str | None:
    return link_url(c.tenant_id, c.consultation_id) if c.doc["audience"] == "public" else None


def link_url(tenant_id: str, consultation_id: str) -> str:
    """The public link of a consultation (audience public)."""
    token = tokens.sign(get_settings().link_keys()[0], tenant_id, consultation_id, TOKEN_PURPOSE)
    return f"{public_base_url()}/public/consultations/{token}"


def personal_url(tenant_id: str, consultation_id: str, contact_id: str) -> str:
    """A contact's own link (the campaign variable `{{ consultation_url }}`)."""
    ref = f"{consultation_id}/{contact_id}"
    token = tokens.sign(get_settings().link_keys()[0], tenant_id, ref, TOKEN_PURPOSE)
    return f"{public_base_url()}/public/consultations/{token}"


@dataclass
class Found:
    consultation: Consultation
    contact: Contact | None  # the personal link's contact; None for the public link

    @property
    def personal(self) -> bool:
        return self.contact is not None


def resolve(token: str) -> Found:
    """The consultation (and contact) a link names; altered, unknown, or a personal link of a contact gone or of a
    public consultation: 404, the same for all; a disabled tenant's: 403."""
    verified = tokens.verify(get_settings().link_keys(), token, TOKEN_PURPOSE) if len(token) <= 200 else None
    if verified is None:
        raise NotFound(LINK_INVALID)
    tenant_id, ref = verified
    tenant_access.ensure_open(tenant_id)
    consultation_id, _, contact_id = ref.partition("/")
    consultation = store.get(tenant_id, consultation_id)
    if consultation is None:
        raise NotFound(LINK_INVALID)
    contact = None
    if contact_id:
        contact = contacts_store.get(tenant_id, contact_id)
        if contact is None or contact.archived or consultation.doc["audience"] != "segment":
            raise NotFound(LINK_INVALID)
    elif consultation.doc["audience"] != "public":
        raise NotFound(LINK_INVALID)
    return Found(purge_if_closed(consultation), contact)


def closed_reason(found: Found, now: datetime | None = None) -> str | None:
    """Why it takes no answer now: closed, not open yet, or not published (its L52-1 findings await a clearance;
    the public is told only that it is not open yet)."""
    current = state(found.consultation, now)
    if current == "closed":
        return CLOSED
    return None if current == "open" and published(found.consultation) else NOT_YET


def _link_key(found: Found, browser: str | None) -> str | None:
    if found.contact is not None:
        return f"c-{found.contact.contact_id}"
    if browser:
        return "b-" + hashlib.sha256(browser.encode()).hexdigest()[:32]
    return None


def current_answers(found: Found, browser: str | None) -> dict[str, Any]:
    """What this person (their link) or this browser answered, shown again on the page until the close."""
    c = found.consultation
    if found.contact is not None and not c.doc["anonymous"]:
        response = store.get_response(c.tenant_id, c.consultation_id, found.contact.contact_id)
        return dict(response.answers) if response else {}
    key = _link_key(found, browser)
    link = store.get_link(c.tenant_id, c.consultation_id, key) if key else None
    if link is None or state(c) != "open":
        return {}
    response = store.get_response(c.tenant_id, c.consultation_id, link.response_id)
    return dict(response.answers) if response else {}


def new_browser_token() -> str:
    return secrets.token_urlsafe(24)


def _address_bucket(address: str, now: datetime) -> str:
    """The network address never stored in clear: a keyed hash (HMAC) of it, and the hour."""
    key = get_settings().link_keys()[0]
    digest = hmac.new(key, b"consultation-rate\x00" + address.encode(), hashlib.sha256).hexdigest()[:24]
    return f"{digest}#{now:%Y%m%d%H}"


def _check_rate(c: Consultation, address: str, now: datetime) -> None:
    hour_end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if store.take_rate(
        c.tenant_id,
        c.consultation_id,
        _address_bucket(address or "inconnue", now),
        rules.PUBLIC_ANSWERS_PER_HOUR,
        hour_end + timedelta(hours=1),
    ):
        return
    wait = max(1, int((hour_end - now).total_seconds()))
    raise RateLimited(
        "Trop de réponses ont été envoyées depuis votre connexion au cours de la dernière heure. Merci de réessayer "
        f"dans {max(1, -(-wait // 60))} minute(s).",
        retry_after=wait,
    )


@dataclass
class Answered:
    recorded: bool  # False for a robot caught by the honeypot (told nothing of it)
    replaced: bool


def answer(
    found: Found,
    raw: Mapping[str, Any],
    *,
    consented: bool = False,
    browser: str | None = None,
    address: str = "",
    honeypot: str = "",
) -> Answered:
    """One answer through a link. The public link needs the browser's token (the cookie its page set) and counts
    against the address's hourly limit; a filled honeypot is thanked and dropped."""
    c = found.consultation
    reason = closed_reason(found)
    if reason:
        raise Conflict(reason)
    now = datetime.now(UTC)
    if not found.personal:
        if not browser:
            raise BadRequest(
                "Votre navigateur n'a pas conservé le cookie de cette page : autorisez les cookies pour ce site, "
                "rechargez la page puis répondez à nouveau."
            )
        _check_rate(c, address, now)
    if honeypot.strip():
        return Answered(recorded=False, replaced=False)
    try:
        answers = rules.validate_answer(c.doc["questions"], raw)
    except rules.ConsultationError as err:
        raise ValidationFailed(err.errors) from err
    identified = found.contact is not None and not c.doc["anonymous"]
    if identified and found.contact is not None:
        return _answer_identified(c, found.contact, answers, consented and bool(c.doc.get("consent_text")), now)
    key = _link_key(found, browser)
    assert key is not None
    link = store.get_link(c.tenant_id, c.consultation_id, key)
    response_id = link.response_id if link else secrets.token_urlsafe(16)
    store.put_response(
        ConsultationResponse(
            tenant_id=c.tenant_id, consultation_id=c.consultation_id, response_id=response_id, answers=answers
        )
    )
    if link is None:
        store.put_link(
            ConsultationLink(
                tenant_id=c.tenant_id,
                consultation_id=c.consultation_id,
                link_key=key,
                response_id=response_id,
                expires_at=instant(c.doc["closes_at"]),
            )
        )
    if found.contact is not None:
        store.note_participation(c.tenant_id, c.consultation_id, found.contact.contact_id)
    return Answered(recorded=True, replaced=link is not None)


def _group_of(contact: Contact) -> str:
    address = contact.doc.get("address") or {}
    code = address.get("insee_code") or address.get("postcode")
    city = address.get("city")
    return f"{city} ({code})" if city and code else str(code or city or NO_GROUP)


def _answer_identified(
    c: Consultation, contact: Contact, answers: dict[str, Any], consented: bool, now: datetime
) -> Answered:
    before = store.get_response(c.tenant_id, c.consultation_id, contact.contact_id)
    store.put_response(
        ConsultationResponse(
            tenant_id=c.tenant_id,
            consultation_id=c.consultation_id,
            response_id=contact.contact_id,
            answers=answers,
            contact_id=contact.contact_id,
            group=_group_of(contact),
            consented=consented,
            submitted_at=utc_text(now),
        )
    )
    store.note_participation(c.tenant_id, c.consultation_id, contact.contact_id)
    if consented:
        _feed_contact(c, contact, answers, replaced=before is not None, now=now)
    return Answered(recorded=True, replaced=before is not None)


def _feed_contact(c: Consultation, contact: Contact, answers: dict[str, Any], *, replaced: bool, now: datetime) -> None:
    """The contact's history gets the answer; their interests, the options they chose in multiple-choice
    questions. Only with their consent (checked by the caller)."""
    title = c.doc["title"]
    interactions_store.put(
        Interaction(
            tenant_id=c.tenant_id,
            contact_id=contact.contact_id,
            interaction_id=new_id(),
            kind=HISTORY_KIND,
            date=now.date().isoformat(),
            summary=f"{'Réponse modifiée' if replaced else 'Réponse'} à la consultation « {title} »",
            author_id="agora",
            created_at=now_iso(),
        )
    )
    chosen = [
        o[:100] for q in c.doc["questions"] if q["kind"] == "multiple" for o in answers.get(q["id"], []) if o.strip()
    ]
    have = list(contact.doc.get("interests") or [])
    folded = {i.casefold() for i in have}
    added = [o for o in dict.fromkeys(chosen) if o.casefold() not in folded]
    if not added:
        return
    after = Contact(
        tenant_id=contact.tenant_id,
        contact_id=contact.contact_id,
        doc={**contact.doc, "interests": (have + added)[:MAX_INTERESTS]},
        version=contact.version,
        created_at=contact.created_at,
        updated_at=now_iso(),
    )
    with contextlib.suppress(Conflict):  # edited by staff meanwhile: the interests wait, the answer stands
        contacts_store.update(contact, after)


def page_context(found: Found, browser: str | None, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the public page shows: the consultation, the answer already given (or what was just typed), whether
    answers are still taken, and the consent text for an identified personal link."""
    c = found.consultation
    settings = tenants.get_settings_item(c.tenant_id)
    data = settings.data if settings else {}
    current = current_answers(found, browser)
    identified = found.contact is not None and not c.doc["anonymous"]
    reason = closed_reason(found)
    return {
        "tenant_name": data.get("name") or "Agora",
        "page_title": c.doc["title"],
        "title": c.doc["title"],
        "introduction": c.doc.get("introduction") or "",
        "questions": c.doc["questions"],
        "values": dict(values if values is not None else current),
        "replacing": bool(current),
        "notice": "Vous avez déjà répondu : vous pouvez modifier votre réponse jusqu'à la clôture."
        if current
        else None,
        "anonymous": bool(c.doc["anonymous"]) or found.contact is None,
        "personal": found.personal,
        "consent_text": c.doc.get("consent_text") if identified else None,
        "consented": False,
        "closes_text": event_messages.when_text(instant(c.doc["closes_at"]), data.get("timezone")),
        "open": reason is None,
        "closed_message": reason,
    }


# --- results -------------------------------------------------------------------------------------------------------


@dataclass
class Results:
    respondents: int
    questions: list[rules.QuestionTally]
    breakdown: dict[str, list[rules.QuestionTally]] | None  # identified only: by commune, postcode or segment
    limits: str | None  # how ballot stuffing is limited, for a public link


def results(p: Principal, c: Consultation, *, by: str = "commune", segment_id: str | None = None) -> Results:
    """The tallies and, for an identified consultation only (an anonymous one names nobody), a breakdown by the
    respondents' commune (as recorded with the answer), postcode, or membership of ``segment_id`` now (a segment
    the user may see, else 404). Postcode and segment read the respondents by BatchGetItem, 100 at a time."""
    segment = segments.load_field(p, segment_id) if segment_id is not None else None
    responses = list(store.responses(c.tenant_id, c.consultation_id))
    questions = c.doc["questions"]
    identified = not c.doc["anonymous"] and c.doc["audience"] == "segment"
    breakdown = None
    if identified:
        breakdown = rules.tally_by(questions, _grouped(p, responses, by, segment))
        if segment is not None:
            for group in (IN_SEGMENT, OUT_OF_SEGMENT):  # both shown, even empty
                breakdown.setdefault(group, rules.tally(questions, []))
            breakdown = dict(sorted(breakdown.items()))
    return Results(
        respondents=len(responses),
        questions=rules.tally(questions, (r.answers for r in responses)),
        breakdown=breakdown,
        limits=rules.PUBLIC_LIMITS_TEXT if c.doc["audience"] == "public" else None,
    )


def _grouped(
    p: Principal, responses: list[ConsultationResponse], by: str, segment: Segment | None
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each response's group: its recorded commune, else from its respondent's record read now (one BatchGetItem
    per 100 respondents); a respondent gone or archived is out of any segment."""
    if by == "commune" and segment is None:
        yield from ((r.group or NO_GROUP, r.answers) for r in responses)
        return
    ids = [r.contact_id for r in responses if r.contact_id]
    contacts = contacts_store.batch_get(p.tenant_id, ids) if ids else {}
    member = segments.member_test(p, segment) if segment is not None else None
    for r in responses:
        contact = contacts.get(r.contact_id or "")
        if member is not None:
            yield (IN_SEGMENT if contact is not None and member(contact) else OUT_OF_SEGMENT), r.answers
        else:
            address = (contact.doc.get("address") or {}) if contact is not None else {}
            yield str(address.get("postcode") or NO_POSTCODE), r.answers


def results_csv(p: Principal, c: Consultation) -> bytes:
    """One row per response (UTF-8 with BOM and « ; » for Excel in France), cells neutralised; audited. An
    anonymous consultation's rows carry no contact; responses come in no particular order (not their time)."""
    questions = c.doc["questions"]
    identified = not c.doc["anonymous"] and c.doc["audience"] == "segment"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rules.csv_header(questions, identified))
    rows = 0
    for r in store.responses(c.tenant_id, c.consultation_id):
        prefix = [r.contact_id, r.group] if identified else []
        writer.writerow(rules.csv_row(questions, r.answers, prefix))
        rows += 1
    audit.record(p, "export", "consultation_results", c.consultation_id, {"rows": rows})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_svg(p: Principal, c: Consultation) -> str:
    return rules.svg_document(c.doc["title"], results(p, c).questions)
