"""A person's requests of access and erasure (RGPD art. 15 and 17) through a tenant's public form, verified by email,
then answered by the tenant's admins within the month of art. 12(3) (domain/privacy_requests.py).

No enumeration: a submission gets the same page, and the same email goes to the address given, whether or not the
tenant holds it; the contacts holding that address are looked up only once the link is followed (the person then
proved they read that mailbox), and are shown to the admins only. The admins answer with the existing tools
(GET /contacts/{id}/export, DELETE /contacts/{id}?mode=erase), then close the request here (audited).

Rate limits per tenant (domain/privacy_requests.RATE_LIMITS): per client IP and per email address, both counted on
every accepted submission before anything is stored or sent; the keys are HMACs of the IP and the address (no
address or IP is kept in a counter, which expires with its window).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain import privacy_requests as rules
from chalicelib.domain import time as clock
from chalicelib.domain import tokens
from chalicelib.domain.contact_points import email_lookup_key
from chalicelib.domain.listing import Listing
from chalicelib.domain.typography import french_date
from chalicelib.errors import Conflict, NotFound, RateLimited, ValidationFailed
from chalicelib.messaging import outbound, templates
from chalicelib.messaging.outbound import Email
from chalicelib.services import audit, senders, tenant_access
from chalicelib.settings import get_settings, public_base_url
from chalicelib.store import consents as consents_store
from chalicelib.store import privacy_requests as store
from chalicelib.store import search_index, tenants
from chalicelib.store.base import new_id
from chalicelib.store.entities import PrivacyRequest, PrivacyRequestDoc

logger = logging.getLogger("agora.privacy_requests")

TOKEN_PURPOSE = "privacy"
TENANT_ID = re.compile(r"[a-z0-9-]{3,36}")  # as the operator creates tenants (python -m infra.tenant)
RATE_MESSAGE = (
    "Trop de demandes ont été envoyées depuis cet appareil ou pour cette adresse. Merci de réessayer dans {wait}, "
    "ou d'écrire directement à {tenant}."
)


@dataclass(frozen=True)
class Space:
    """The tenant a public form belongs to, as the page names it."""

    tenant_id: str
    name: str
    zone: str | None
    settings: Mapping[str, Any]  # read once per request: the sender of the verification email too


def space(tenant_id: str) -> Space:
    """The tenant of a form's address; NotFound for an unknown or a disabled one (the page says only « not found »:
    a disabled space's form takes no request, and nobody learns why)."""
    settings = tenants.get_settings_item(tenant_id) if TENANT_ID.fullmatch(tenant_id) else None
    if settings is None or tenant_access.disabled_in(settings.data):
        raise NotFound("Ce formulaire n'existe pas.")
    data = settings.data
    return Space(tenant_id, str(data.get("name") or "La mairie"), data.get("timezone"), data)


def _keyed(scope: str, value: str) -> str:
    """A counter's key: an HMAC of the IP or address, so the counters hold neither (RGPD art. 5(1)(c))."""
    secret = get_settings().link_keys()[0]
    return hmac.new(secret, f"{scope}\x00{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _wait_text(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = -(-minutes // 60)
    return f"{hours} heure{'s' if hours > 1 else ''}"


def _check_rate(tenant: Space, client_ip: str, email: str) -> None:
    """Count this submission against the IP's and the address's limits; 429 past either (the address's limit says
    nothing of whether the tenant knows it: it counts submissions, whoever the address is)."""
    now = int(clock.now().timestamp())
    for scope, value in (("ip", client_ip or "unknown"), ("email", email_lookup_key(email))):
        limit, seconds = rules.RATE_LIMITS[scope]
        start, wait = rules.window(now, seconds)
        if not store.take(tenant.tenant_id, f"{scope}#{_keyed(scope, value)}#{start}", limit, start + seconds):
            raise RateLimited(RATE_MESSAGE.format(wait=_wait_text(wait), tenant=tenant.name), retry_after=wait)


def submit(
    tenant: Space, *, kind: str, email: str, name: str | None, message: str | None, client_ip: str
) -> PrivacyRequest:
    """Record a request awaiting verification and send the link to ``email``; the caller answers the same page
    whatever happens to the email (a failure to send is logged: the page tells the person whom to write to)."""
    _check_rate(tenant, client_ip, email)
    now = clock.now()
    request = PrivacyRequest(
        tenant_id=tenant.tenant_id,
        request_id=new_id(),
        kind=kind,
        status="pending_verification",
        email=email,
        doc=PrivacyRequestDoc(name=name, message=message, contact_ids=[]),
        created_at=clock.utc_text(now),
    )
    store.save(request, purge_at=rules.purge_after(int(now.timestamp())))
    try:
        _send_link(tenant, request)
    except Exception:
        logger.exception("Verification email of privacy request %s not sent", request.request_id)
    return request


def verification_url(request: PrivacyRequest) -> str:
    token = tokens.sign(get_settings().link_keys()[0], request.tenant_id, request.request_id, TOKEN_PURPOSE)
    return f"{public_base_url()}/public/privacy/verify/{token}"


# The suppression list (services/consents.py) is consulted by every send. An address that bounced or complained
# gets no link (the page is the same: it says to write to the tenant if nothing comes); an unsubscribe from the
# tenant's information messages does not stop the link the person has just asked for (a transactional message).
UNDELIVERABLE = frozenset({"hard_bounce", "soft_bounces", "complaint"})


def _send_link(tenant: Space, request: PrivacyRequest) -> None:
    blocked = consents_store.suppressed(tenant.tenant_id, [request.email]).get(email_lookup_key(request.email))
    if blocked is not None and blocked.reason in UNDELIVERABLE:
        logger.info("Verification email of privacy request %s not sent: address suppressed", request.request_id)
        return
    sender = senders.from_address(tenant.settings)
    context = {
        "tenant_name": tenant.name,
        "kind_label": rules.KIND_LABELS[request.kind],
        "url": verification_url(request),
        "hours": rules.LINK_HOURS,
        "subject": f"Confirmez votre demande : {rules.KIND_LABELS[request.kind]}",
    }
    env = templates.files()
    outbound.send_email(
        tenant.tenant_id,
        Email(
            to=request.email,
            subject=str(context["subject"]),
            text=env.get_template("emails/privacy_verify.txt").render(context),
            html=env.get_template("emails/privacy_verify.html").render(context),
            sender=sender,
            tags={"kind": "privacy_verify"},
        ),
    )


@dataclass(frozen=True)
class Verified:
    """What the confirmation page shows: the request, or that its link expired (then nothing was recorded)."""

    tenant: Space
    request: PrivacyRequest | None
    deadline_text: str | None


def verify(token: str) -> Verified:
    """Mark the request a link names as verified (open), its deadline counted from today (art. 12(3)); again later,
    the same confirmation. NotFound for an altered or unknown link, or one whose request was purged."""
    found = tokens.verify(get_settings().link_keys(), token, TOKEN_PURPOSE) if len(token) <= 200 else None
    if found is None:
        raise NotFound("Ce lien n'est pas valide.")
    tenant_id, request_id = found
    tenant = space(tenant_id)
    request = store.get(tenant_id, request_id)
    if request is None:
        raise NotFound("Ce lien n'est pas valide.")
    if request.status == "pending_verification":
        now = clock.now()
        sent = clock.instant(request.created_at)
        if rules.link_expired((now - sent).total_seconds() / 3600):
            return Verified(tenant, None, None)
        today = clock.today(tenant.zone, now)
        request.status = "open"
        request.verified_at = clock.utc_text(now)
        request.deadline = rules.deadline(today).isoformat()
        request.doc = {**request.doc, "contact_ids": search_index.contacts_with_email(tenant_id, request.email)}
        try:
            store.save(request, purge_at=None)  # verified: kept, no longer purged as unverified
        except Conflict:  # the same link followed twice at once: the other one recorded it
            request = store.get(tenant_id, request_id) or request
    due = date.fromisoformat(request.deadline) if request.deadline else None
    return Verified(tenant, request, french_date(due) if due else None)


def today(p: Principal) -> date:
    """The tenant's date, against which deadlines are counted."""
    settings = tenants.get_settings_item(p.tenant_id)
    return clock.today(settings.data.get("timezone") if settings else None)


def listing(p: Principal, status: str | None, cursor: str | None, limit: int) -> Listing[PrivacyRequest]:
    """The tenant's requests, oldest first; without ``status``, every verified one (an unverified form is not a
    request yet, and is purged)."""
    statuses = frozenset({status}) if status else frozenset(rules.STATUSES) - {"pending_verification"}
    purged_before = clock.utc_text(clock.now() - timedelta(days=rules.UNVERIFIED_DAYS))
    return store.page(p.tenant_id, statuses, cursor, limit, unverified_since=purged_before)


def load(p: Principal, request_id: str) -> PrivacyRequest:
    request = store.get(p.tenant_id, request_id)
    if request is None:
        raise NotFound("Demande introuvable.")
    return request


def close(p: Principal, request_id: str, status: str, note: str | None) -> PrivacyRequest:
    """Record the answer given (done) or the refusal and its reasons (refused: art. 12(4) requires them), audited."""
    request = load(p, request_id)
    if not rules.can_close(request.status):
        message = (
            "Cette demande n'a pas encore été confirmée par la personne : elle ne peut pas être traitée."
            if request.status == "pending_verification"
            else "Cette demande est déjà close."
        )
        raise Conflict(message)
    if status == "refused" and not note:
        raise ValidationFailed(
            [
                {
                    "field": "note",
                    "message": "Indiquez les motifs du refus : ils doivent être communiqués à la personne, avec la "
                    "possibilité de saisir la CNIL (RGPD, art. 12(4)).",
                }
            ]
        )
    request.status = status
    request.doc = {
        **request.doc,
        "note": note,
        "closed_at": clock.utc_text(clock.now()),
        "closed_by": p.email or p.user_id,
    }
    store.save(request)
    audit.record(
        p,
        "close",
        "privacy_request",
        request_id,
        {"status": status, "kind": request.kind, "contact_ids": request.doc.get("contact_ids", [])},
    )
    return request
