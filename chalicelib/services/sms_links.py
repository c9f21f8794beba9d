"""The opt-out link every campaign SMS ends with (« STOP : <link> »): short, so that it costs few characters of a
160-character message, and mapped server-side to the tenant and the contact (domain/short_codes.py says why a
mapped code rather than the signed token of email links, which would take 120 characters).

Following it shows the same unsubscribe page as an email's link (api/unsubscribe.py), SMS first: with an
alphanumeric sender ID French mobiles cannot reply, so this page is the SMS opt-out path (CNIL, prospection
politique par SMS: each message offers a free and simple way to object).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from chalicelib.domain import short_codes
from chalicelib.errors import NotFound
from chalicelib.services import consents
from chalicelib.settings import get_settings, public_base_url
from chalicelib.store import consents as consents_store
from chalicelib.store import contacts as contacts_store
from chalicelib.store import short_links as store
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Contact, ShortLink

PURPOSE = "sms-stop"
PATH = "/public/s/"


def code_of(tenant_id: str, contact_id: str) -> str:
    return short_codes.code(get_settings().link_keys()[0], PURPOSE, tenant_id, contact_id)


def stop_url(tenant_id: str, contact_id: str) -> str:
    """The contact's short opt-out link, as sent (nothing written: `record` does it before the send)."""
    return f"{public_base_url()}{PATH}{code_of(tenant_id, contact_id)}"


def record(tenant_id: str, contact_ids: Sequence[str]) -> None:
    """Map these contacts' codes (BatchWriteItem): done before their messages leave, so that a link sent resolves."""
    at = now_iso()
    store.put_all(
        ShortLink(tenant_id=tenant_id, code=code_of(tenant_id, cid), contact_id=cid, purpose=PURPOSE, created_at=at)
        for cid in dict.fromkeys(contact_ids)
    )


def resolve(code: str) -> tuple[Contact, str]:
    """The contact a code names and the path of its signed unsubscribe page (where the page's form posts); 404 for
    an unknown code or a contact deleted since (the same answer for both)."""
    link = store.by_code(code) if short_codes.well_formed(code) else None
    contact = contacts_store.get(link.tenant_id, link.contact_id) if link and link.purpose == PURPOSE else None
    if contact is None:
        raise NotFound(consents.INVALID_LINK)
    return contact, urlsplit(consents.unsubscribe_url(contact.tenant_id, contact.contact_id)).path


def sms_withdrawn(contact: Contact) -> bool:
    """Whether the contact has already withdrawn SMS consent (the page says so)."""
    current = consents_store.for_contact(contact.tenant_id, contact.contact_id).get("sms")
    return current is not None and current.status == "withdrawn"
