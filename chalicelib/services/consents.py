"""Consents per contact and channel, the suppression list, and the one-click unsubscribe of campaign emails.

What may be sent follows the tenant kind's rule (domain/consent.py). Staff record what a person said (a form, a
paper, an event, a call); a one-click unsubscribe (RFC 8058) withdraws email consent at once and puts the contact's
addresses on the tenant's suppression list, which every email send consults (RGPD art. 21(3): the objection is
honoured without delay). A later consent given again lifts an unsubscribe, never a bounce or a complaint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields

from chalicelib.auth import Principal
from chalicelib.domain import consent as rules
from chalicelib.domain import tokens
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.services import audit
from chalicelib.settings import get_settings, public_base_url
from chalicelib.store import campaigns as campaigns_store
from chalicelib.store import consents as store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import messages as messages_store
from chalicelib.store import tenants
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Consent, ConsentChangeDoc, Contact, Suppression

TOKEN_PURPOSE = "unsub"
CAMPAIGN_ID = re.compile(r"[0-9A-Z]{26}")  # a ULID
ONE_CLICK_TEXT = "Désinscription en un clic depuis un message reçu."
INVALID_LINK = "Ce lien de désinscription n'est pas valide."
COMPLAINT_TEXT = "Message signalé comme indésirable auprès de sa messagerie."


def _every_channel(contact: Contact) -> dict[str, Consent]:
    """The contact's consent on each channel (one Query), in the order of domain/consent.CHANNELS; a channel never
    recorded is `unknown` (its `at` is None)."""
    recorded = store.for_contact(contact.tenant_id, contact.contact_id)
    return {
        channel: recorded.get(channel)
        or Consent(tenant_id=contact.tenant_id, contact_id=contact.contact_id, channel=channel)
        for channel in rules.CHANNELS
    }


def of_contact(p: Principal, contact: Contact) -> list[Consent]:
    """Every channel's consent; a channel never recorded is `unknown`."""
    consents = list(_every_channel(contact).values())
    audit.record(p, "read", "consents", contact.contact_id)
    return consents


def suppressions_of(contact: Contact) -> list[Suppression]:
    """The contact's email addresses on the tenant's suppression list (a hard bounce, soft bounces, a complaint, an
    unsubscribe): what flags the contact for staff. One BatchGetItem."""
    found = store.suppressed(contact.tenant_id, _emails(contact))
    return [found[a] for a in _emails(contact) if a in found]


def record(
    p: Principal,
    contact: Contact,
    channel: str,
    *,
    status: str,
    lawful_basis: str | None,
    source: str,
    text: str | None,
) -> Consent:
    """What the person said on ``channel``, as staff record it; the previous state goes into the history."""
    if channel not in rules.CHANNELS:
        raise NotFound(f"Canal inconnu ; canaux possibles : {', '.join(rules.CHANNELS)}.")
    basis = lawful_basis or rules.default_basis(p.tenant_kind, status)
    if status == "granted" and basis != "consent":
        raise ValidationFailed(
            [{"field": "lawful_basis", "message": "Un consentement accordé repose sur le consentement (« consent »)."}]
        )
    current = store.for_contact(p.tenant_id, contact.contact_id).get(channel)
    consent = current or Consent(tenant_id=p.tenant_id, contact_id=contact.contact_id, channel=channel)
    if current and (current.status, current.lawful_basis, current.source, current.text) == (
        status,
        basis,
        source,
        text,
    ):
        return current  # the same statement again (a retried PUT): nothing to record
    change(consent, status=status, lawful_basis=basis, source=source, text=text, by=p.user_id)
    store.save(consent)
    if channel == "email" and status == "granted":
        store.unsuppress(p.tenant_id, _emails(contact), reasons=("unsubscribe",))
    audit.record(p, "update", "consent", contact.contact_id, {"channel": channel, "status": status})
    return consent


def change(consent: Consent, *, status: str, lawful_basis: str, source: str, text: str | None, by: str) -> None:
    """The consent's new statement, the one it replaces kept in its history (the last hundred): shared by every
    writer of consents (the API, the import), so that none forgets the history."""
    if consent.at is not None:
        previous: ConsentChangeDoc = {
            "status": consent.status,
            "lawful_basis": consent.lawful_basis or "",
            "source": consent.source or "",
            "text": consent.text,
            "at": consent.at,
            "by": consent.by or "",
        }
        consent.history = [*consent.history, previous][-100:]
    consent.status, consent.lawful_basis, consent.source, consent.text = status, lawful_basis, source, text
    consent.at, consent.by = now_iso(), by


def _emails(contact: Contact) -> list[str]:
    return [e.lower() for e in contact.doc.get("emails") or []]


# --- one-click unsubscribe ---------------------------------------------------------------------------------------


def unsubscribe_url(tenant_id: str, contact_id: str, *, campaign_id: str | None = None) -> str:
    """The signed link every campaign email carries (List-Unsubscribe and a visible link): it names the tenant and
    the contact only, no address (data minimisation). The campaign, unsigned, only says which campaign's report
    counts the unsubscribe (and only if the contact was one of its recipients)."""
    token = tokens.sign(get_settings().link_keys()[0], tenant_id, contact_id, TOKEN_PURPOSE)
    url = f"{public_base_url()}/public/unsubscribe/{token}"
    return f"{url}?campagne={campaign_id}" if campaign_id else url


def resolve(token: str) -> Contact:
    """The contact a link names; 404 for an altered, unknown or deleted one, the same answer for all."""
    verified = tokens.verify(get_settings().link_keys(), token, TOKEN_PURPOSE) if len(token) <= 200 else None
    contact = contacts_store.get(*verified) if verified else None
    if contact is None:
        raise NotFound(INVALID_LINK)
    return contact


def sender_name(tenant_id: str) -> str:
    """Who the person hears from, as the public pages name it."""
    settings = tenants.get_settings_item(tenant_id)
    return str((settings.data.get("name") if settings else None) or "La mairie")


def topics_of(tenant_id: str) -> list[str]:
    """The tenant's campaign topics a person may choose among: the series of its campaigns (« Lettre du maire »),
    by name."""
    return sorted({s for c in campaigns_store.all_of_tenant(tenant_id) if (s := c.doc["content"]["series"])})


def declined_topics(contact: Contact) -> set[str]:
    return store.declined_topics(contact.tenant_id, [contact.contact_id]).get(contact.contact_id, set())


def set_topics(contact: Contact, kept: Sequence[str]) -> set[str]:
    """The person keeps these topics and declines the tenant's others (an unknown name is ignored); what it
    declines now. Their email consent otherwise stays as it is."""
    declined = set(topics_of(contact.tenant_id)) - set(kept)
    store.set_declined_topics(contact.tenant_id, contact.contact_id, declined)
    return declined


def email_consent(contact: Contact) -> Consent | None:
    return store.for_contact(contact.tenant_id, contact.contact_id).get("email")


def unsubscribe(
    contact: Contact,
    channels: Sequence[str] = ("email",),
    *,
    campaign_id: str | None = None,
    text: str = ONE_CLICK_TEXT,
) -> list[Consent]:
    """Withdraw consent on ``channels`` at once, and suppress the contact's email addresses when email is one of
    them; ``text`` says how the person asked (a link, a reply); counted in the report of the campaign whose message
    was followed, when the contact received it. Idempotent: a second request changes nothing."""
    every = _every_channel(contact)
    withdrawn: list[Consent] = []
    for channel in channels:
        consent = every[channel]
        if consent.status != "withdrawn":
            _withdraw(consent, "unsubscribe", text)
        withdrawn.append(consent)
    if "email" in channels:
        at = now_iso()
        for address in _emails(contact):
            store.suppress(Suppression(tenant_id=contact.tenant_id, address=address, reason="unsubscribe", at=at))
    if campaign_id and CAMPAIGN_ID.fullmatch(campaign_id):
        messages_store.unsubscribed(contact.tenant_id, campaign_id, contact.contact_id, now_iso())
    return withdrawn


def withdraw_after_complaint(contact: Contact) -> Consent:
    """The contact marked a message as spam: email consent withdrawn, recorded as a complaint (RGPD art. 21)."""
    consent = _every_channel(contact)["email"]
    if (consent.status, consent.source) != ("withdrawn", "complaint"):
        _withdraw(consent, "complaint", COMPLAINT_TEXT)
    return consent


def _withdraw(consent: Consent, source: str, text: str) -> None:
    """An objection Agora itself records (RGPD art. 21): no staff member gave it. Written under the version read;
    changed meanwhile, it is read again: withdrawn already (the mailbox provider's one-click POST and the person's
    click at once, a redelivered complaint), nothing more is written; otherwise the objection is applied to what
    is stored now. `consent` ends as stored."""
    for attempt in range(3):
        change(consent, status="withdrawn", lawful_basis="consent", source=source, text=text, by="agora")
        try:
            store.save(consent)
            return
        except Conflict:
            current = store.for_contact(consent.tenant_id, consent.contact_id).get(consent.channel)
            if current is None or attempt == 2:
                raise
            for f in fields(current):
                setattr(consent, f.name, getattr(current, f.name))
            if current.status == "withdrawn":
                return


def suppressed_addresses(tenant_id: str, addresses: Sequence[str]) -> set[str]:
    """The addresses among these that no email may go to (bounced, complained, unsubscribed)."""
    return set(store.suppressed(tenant_id, addresses))
