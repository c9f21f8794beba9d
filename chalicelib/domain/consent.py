"""Consent per contact and channel, and what a tenant may send: the rule is data, per tenant kind, with its source.

A contact's consent on a channel has a status (`granted`, `withdrawn`, `unknown`), the lawful basis it rests on
(RGPD art. 6(1): `consent` a, `public_task` e, `legitimate_interest` f), where it came from and the text the person
was shown. Campaigns and event messages ask `may_send`; letters are not prospecting and are unaffected.

Sources:
- Political tenants (élus, candidates, parties): « consentement préalable, spécifique et éclairé » before political
  e-mailing, and a first message to obtain agreement before SMS — CNIL, délibération n° 2012-020 du 26 janvier 2012
  (recommandation relative aux fichiers des partis, élus et candidats, Légifrance CNILTEXT000025364626), and the
  CNIL's « La communication politique par courrier électronique en questions » (cnil.fr). Hence only `granted`.
- Institutions (a mairie informing its residents): processing necessary to a task carried out in the public
  interest, RGPD art. 6(1)(e), with the right to object of art. 21 honoured at once. Hence anything but
  `withdrawn`. This is our reading of the texts for municipal information letters, not a CNIL ruling on them:
  kept as data (SEND_RULES) so that a DPO's different reading is one line to change.
- Every message must let the person object, free of charge and without justification, honoured without delay
  (CNIL, same texts; RGPD art. 21(2)-(3)): hence one-click unsubscribe and the suppression list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CHANNELS = ("email", "sms", "post", "phone")
STATUSES = ("granted", "withdrawn", "unknown")
LAWFUL_BASES = ("consent", "public_task", "legitimate_interest")
# Who or what recorded it: a form the person filled in, an import, an event answer, a paper form, staff on the
# phone; `unsubscribe` and `complaint` are recorded by Agora itself (a one-click link, an SES complaint).
SOURCES = ("form", "import", "event", "paper", "staff", "unsubscribe", "complaint")
RECORDED_BY_STAFF = ("form", "import", "event", "paper", "staff")


@dataclass(frozen=True)
class SendRule:
    """Which consent statuses let a tenant of this kind send prospecting or information on email and SMS."""

    tenant_kind: str
    sendable: frozenset[str]
    default_basis: str  # the lawful basis recorded when staff record a status without naming one
    source: str


SEND_RULES: dict[str, SendRule] = {
    "political": SendRule(
        "political",
        frozenset({"granted"}),
        "consent",
        "CNIL délibération n° 2012-020 du 26 janvier 2012; CNIL « La communication politique par courrier "
        "électronique en questions »: consentement préalable, spécifique et éclairé",
    ),
    "institution": SendRule(
        "institution",
        frozenset({"granted", "unknown"}),
        "public_task",
        "RGPD art. 6(1)(e) (mission d'intérêt public) et art. 21 (droit d'opposition); lecture d'Agora, "
        "à confirmer par le DPO de la collectivité",
    ),
}

# The channels a campaign can be sent on, and those the consent rule governs (letters by post are not prospecting
# by electronic means; phone calls are made by people, not by Agora).
GOVERNED_CHANNELS = ("email", "sms")


def rule_for(tenant_kind: str) -> SendRule:
    """The rule of a kind; an unknown kind gets the strictest (political) rule rather than an error mid-send."""
    return SEND_RULES.get(tenant_kind, SEND_RULES["political"])


def may_send(tenant_kind: str, channel: str, status: str | None) -> bool:
    """True when a message on ``channel`` may go to a contact whose consent on it is ``status`` (None = unknown)."""
    if channel not in GOVERNED_CHANNELS:
        return True
    return (status or "unknown") in rule_for(tenant_kind).sendable


def default_basis(tenant_kind: str, status: str) -> str:
    """A granted consent rests on consent; otherwise the kind's usual basis."""
    return "consent" if status == "granted" else rule_for(tenant_kind).default_basis


# Merging the records of one person (services/merges.py): on each channel the most protective recorded status wins,
# so that a merge never turns a refusal into a permission (RGPD art. 7(3): a withdrawal stands; art. 21: an
# objection is honoured at once). Higher is more protective; the first record wins a tie (the one kept).
#
#   status      protection  why
#   withdrawn   2           the person refused or withdrew: no other record's « granted » overrides it
#   unknown     1           nothing said: stricter than a permission (a political tenant may not send on it)
#   granted     0           a permission, given on one record only
PROTECTION: dict[str, int] = {"withdrawn": 2, "unknown": 1, "granted": 0}


def most_protective(statuses: Iterable[str | None]) -> str | None:
    """The most protective of these statuses (None: unknown); None when there is none. An unknown value counts as
    the most protective of all, rather than as a permission."""
    ranked = [s or "unknown" for s in statuses]
    if not ranked:
        return None
    return max(ranked, key=lambda s: PROTECTION.get(s, max(PROTECTION.values()) + 1))
