"""Campaigns by email or SMS: what may be done in which status, who receives a campaign and who is left out (and
why), and the text every campaign email carries.

Who receives it, per contact, in this order (the first reason wins, and each is counted; a contact that declined the
campaign's topic, its series, on its unsubscribe page is `unsubscribed`):
- no address on the channel (an archived contact has none; for SMS, no mobile number) → `no_address`; an address
  that is not one (an email address, an E.164 number) → `invalid`;
- an address on the tenant's suppression list → `unsubscribed` (the person's own click) or `suppressed` (a hard
  bounce, repeated soft bounces, a complaint: RGPD art. 21 and the mailbox providers' rules; for SMS, a number on
  SNS's own opt-out list);
- consent that the tenant kind's rule does not accept (domain/consent.py) → `unsubscribed` when the person withdrew
  it by the link, `no_consent` otherwise;
- an address already taken by an earlier contact of the same campaign → `duplicate_address` (one message per address,
  whatever the number of contacts sharing it: a couple with one mailbox gets one letter, a shared phone one SMS).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain import consent

CHANNELS = ("email", "sms")
STATUSES = ("draft", "scheduled", "sending", "sent", "cancelled", "failed")
EDITABLE = frozenset({"draft", "scheduled"})
SENDABLE = frozenset({"draft"})
CANCELLABLE = frozenset({"draft", "scheduled", "sending"})
SKIP_REASONS = ("no_consent", "unsubscribed", "suppressed", "invalid", "no_address", "duplicate_address")
# The variables a campaign body may use: those of letters, the formule d'appel and the person's unsubscribe link.
VARIABLES = frozenset(
    {"contact", "tenant", "sender", "date", "formule_appel", "unsubscribe_url", "consultation_url"}
)  # consultation_url: the recipient's own link to the campaign's consultation
MAX_TEST_RECIPIENTS = 5
# A longer list is a segment: the list is stored in the campaign's item, which DynamoDB caps at 400 KB.
MAX_CONTACT_IDS = 2_000
SUBJECT_MAX = 200
# An SMS body as staff write it: ten GSM-7 segments' worth; the preview says what it costs.
SMS_BODY_MAX = 1_530
TEST_PREFIX = "[TEST] "

# The mentions a political tenant's prospecting email carries: where the data comes from and how to object, free
# of charge and at once (CNIL, délibération n° 2012-020 du 26 janvier 2012; « La communication politique par
# courrier électronique en questions »: every message allows objection and states the origin of the data).
POLITICAL_MENTIONS = (
    "Vous recevez ce message de {sender} parce que vos coordonnées figurent dans son fichier de contacts "
    "({origin}). Vous pouvez vous opposer à tout moment, gratuitement et sans justification, à recevoir ces "
    "messages : {unsubscribe}. Vos données sont traitées pour la communication politique de {sender} et ne sont "
    "ni vendues ni cédées."
)
INSTITUTION_MENTIONS = (
    "Ce message d'information vous est adressé par {sender}. Pour ne plus recevoir ces messages : {unsubscribe}."
)
# Where a contact's data came from, as the political mention names it (the `source` of its email consent).
ORIGINS = {
    "form": "formulaire que vous avez rempli",
    "event": "votre inscription à une réunion ou un événement",
    "paper": "bulletin papier que vous avez rempli",
    "staff": "échange avec l'équipe",
    "import": "fichier de contacts de l'équipe",
}
DEFAULT_ORIGIN = "contacts réunis par l'équipe"


class TransitionRefused(ValueError):
    """The action does not apply to a campaign in this status: the message says why, in French."""


_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "edit": (EDITABLE, "Seule une campagne en brouillon ou programmée peut être modifiée."),
    "send": (SENDABLE, "Cette campagne a déjà été envoyée ou programmée."),
    "cancel": (CANCELLABLE, "Cette campagne est terminée : elle ne peut plus être annulée."),
}


def require(action: str, status: str) -> None:
    allowed, message = _ACTIONS[action]
    if status not in allowed:
        raise TransitionRefused(message)


@dataclass(frozen=True)
class Candidate:
    """A contact a campaign is aimed at, with what decides whether it is sent."""

    contact_id: str
    address: str | None  # where a message would go: the contact's first email address, or its mobile (E.164)
    consent_status: str | None  # its consent on the campaign's channel (None: never recorded)
    consent_source: str | None
    suppression: str | None  # the reason its address is on the suppression list, if it is
    declined_topics: frozenset[str] = frozenset()  # campaign topics (series) it chose not to receive


@dataclass
class Plan:
    """The recipients (contact id → address) and those left out (contact id → reason), in the order given."""

    recipients: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(SKIP_REASONS, 0)
        for reason in self.skipped.values():
            found[reason] += 1
        return found


def valid_address(address: str) -> bool:
    from email_validator import EmailNotValidError, validate_email  # a check's import, not the cold start's

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# E.164 (ITU-T E.164 §6): « + », a country code not starting with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def valid_number(number: str) -> bool:
    return bool(_E164.fullmatch(number))


def address_key(address: str, channel: str = "email") -> str:
    """What makes two addresses one: an email address regardless of case, a number as written (E.164 is canonical)."""
    return address.lower() if channel == "email" else address


def plan(candidates: Iterable[Candidate], tenant_kind: str, channel: str = "email", topic: str | None = None) -> Plan:
    """``topic``: the campaign's series, which a contact may have declined on its unsubscribe page."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    result = Plan()
    taken: set[str] = set()
    for c in candidates:
        if c.contact_id in result.recipients or c.contact_id in result.skipped:
            continue  # the same contact named twice
        reason = _reason(c, tenant_kind, channel, taken)
        if reason is None and topic is not None and topic in c.declined_topics:
            reason = "unsubscribed"
        if reason:
            result.skipped[c.contact_id] = reason
        else:
            assert c.address is not None  # _reason refuses a missing address
            taken.add(address_key(c.address, channel))
            result.recipients[c.contact_id] = c.address
    return result


def _reason(c: Candidate, tenant_kind: str, channel: str, taken: set[str]) -> str | None:
    if not c.address:
        return "no_address"
    if not (valid_address(c.address) if channel == "email" else valid_number(c.address)):
        return "invalid"
    if c.suppression:
        return "unsubscribed" if c.suppression == "unsubscribe" else "suppressed"
    if not consent.may_send(tenant_kind, channel, c.consent_status):
        return "unsubscribed" if c.consent_source == "unsubscribe" else "no_consent"
    if address_key(c.address, channel) in taken:
        return "duplicate_address"
    return None


def mentions(tenant_kind: str, sender: str, consent_source: str | None, unsubscribe: str) -> str:
    """The footer's legal mentions, in text; `unsubscribe` is the link (or its HTML)."""
    if tenant_kind == "political":
        origin = ORIGINS.get(consent_source or "", DEFAULT_ORIGIN)
        return POLITICAL_MENTIONS.format(sender=sender, origin=origin, unsubscribe=unsubscribe)
    return INSTITUTION_MENTIONS.format(sender=sender, unsubscribe=unsubscribe)


# --- the body as HTML ---------------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)»]")


def paragraphs(text: str) -> list[str]:
    """The body's paragraphs (separated by a blank line), lines kept."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def html_paragraph(paragraph: str) -> str:
    """One paragraph as HTML: everything escaped, web addresses made links (SES counts clicks on links only), line
    breaks kept."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(paragraph):
        out.append(html.escape(paragraph[last : match.start()]))
        url = html.escape(match.group(0))
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(html.escape(paragraph[last:]))
    return "".join(out).replace("\n", "<br>\n")


# The fields of a contact's record a body may show (`contact_view`): all a campaign's worker reads of a recipient,
# the plan having chosen them and written their address (data minimisation, RGPD art. 5(1)(c) and art. 25).
SHOWN_FIELDS = ("civility", "first_name", "last_name", "organisation_name")


def contact_view(doc: Mapping[str, Any], civility_long: Mapping[str, str]) -> dict[str, str]:
    """What `contact` shows a body (as in letters): SHOWN_FIELDS, and the civility written out."""
    view = {name: str(doc.get(name) or "") for name in SHOWN_FIELDS}
    view["civility_long"] = civility_long.get(view["civility"], "")
    return view
