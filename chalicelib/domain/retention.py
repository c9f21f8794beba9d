"""The retention policy (RGPD art. 5 § 1 e, storage limitation): how long a workspace keeps a contact, per rule, and
which contacts the weekly run anonymises.

Defaults and their sources:
- `inactive_months` = 36: a contact with no exchange (no interaction, no message, no change, no consent recorded)
  for three years. CNIL, référentiel « Gestion des activités commerciales » (délibération n° 2021-131): prospects'
  data are kept three years after the last contact from them. It is the CNIL's commercial reference; it serves
  here as the outer bound for any tenant.
- `prospect_months` = 2 (political workspaces): CNIL, recommandation n° 2012-020 du 26 janvier 2012 and its
  simplified norm for élus and candidates: data collected for political prospecting are deleted « dans un délai
  maximum de deux mois » after the single prospecting message, unless the person answered or agreed to more.
- `election_id` + `after_election_months` = 1 (political workspaces): CNIL, « Élections : sept réflexes pour une
  campagne responsable » (2026): « Après chaque élection, supprimez les fichiers de prospection exclusivement
  constitués à cette occasion. Ne conservez que les données de vos contacts réguliers et des personnes qui ont
  explicitement manifesté leur accord ». The month after the election's decisive round leaves time for thanks.

A regular contact (an interaction recorded) or a person who agreed (a consent granted on a channel) is never a
prospect. Never anonymised by retention: a contact with an open task (someone still has to act), an invitation to an
event still to come, a legal hold (`legal_hold`, set by an administrator: a dispute, a request from an authority),
or already erased. The run anonymises (as erasure does) but keeps no key: the person did not ask for anything, and a
later import may bring them back with a fresh basis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.electoral.calendar import add_months


@dataclass(frozen=True)
class Bound:
    default: int | None
    low: int
    high: int
    kinds: tuple[str, ...]  # the tenant kinds the rule applies to
    source: str


RULES: dict[str, Bound] = {
    "inactive_months": Bound(
        36, 1, 120, ("institution", "political"), "CNIL, référentiel gestion commerciale (2021) : 3 ans"
    ),
    "prospect_months": Bound(2, 1, 36, ("political",), "CNIL, recommandation n° 2012-020 : 2 mois après le message"),
    "after_election_months": Bound(1, 0, 24, ("political",), "CNIL, « sept réflexes » (2026) : après l'élection"),
}
DEFAULTS: dict[str, Any] = {
    "enabled": False,  # the run acts once an administrator has read the preview and switched the policy on
    "inactive_months": 36,
    "prospect_months": 2,
    "election_id": None,
    "after_election_months": 1,
}


def policy_of(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """The policy in force: what the tenant stored over the defaults."""
    return {**DEFAULTS, **{k: v for k, v in (stored or {}).items() if k in DEFAULTS}}


def check(policy: Mapping[str, Any], tenant_kind: str) -> list[dict[str, str]]:
    """What is wrong with a policy, field by field (French messages)."""
    errors: list[dict[str, str]] = []
    for name, bound in RULES.items():
        value = policy.get(name)
        if value is None:
            continue
        if tenant_kind not in bound.kinds and value != bound.default:
            errors.append({"field": name, "message": "Cette règle ne concerne que les espaces politiques."})
        elif not bound.low <= value <= bound.high:
            errors.append({"field": name, "message": f"Entre {bound.low} et {bound.high} mois."})
    if policy.get("election_id") and tenant_kind != "political":
        errors.append({"field": "election_id", "message": "Cette règle ne concerne que les espaces politiques."})
    return errors


@dataclass(frozen=True)
class Facts:
    """What the run knows of one contact."""

    contact_id: str
    created: date
    last_activity: date  # the latest of: creation, change, interaction, message sent, consent recorded
    consented: bool  # a consent granted on some channel
    exchanged: bool  # an interaction recorded: a regular contact
    last_message: date | None  # the latest campaign message sent to them
    open_task: bool
    future_invitation: bool
    legal_hold: bool
    erased: bool


@dataclass(frozen=True)
class Action:
    contact_id: str
    rule: str  # inactive | prospect | after_election
    reason: str  # in French, for the preview and the audit


def protected(facts: Facts) -> bool:
    return facts.erased or facts.legal_hold or facts.open_task or facts.future_invitation


def decide(
    policy: Mapping[str, Any], tenant_kind: str, facts: Facts, today: date, election_end: date | None
) -> Action | None:
    """The rule that anonymises this contact today, if any (the first that applies, in the order of the module)."""
    if protected(facts):
        return None
    prospect = not facts.consented and not facts.exchanged
    if tenant_kind == "political" and prospect and election_end is not None and facts.created <= election_end:
        until = _months_after(election_end, int(policy.get("after_election_months") or 0))
        if today > until:
            reason = (
                f"Fichier de campagne : élection terminée le {election_end.isoformat()}, sans accord pour la suite."
            )
            return Action(facts.contact_id, "after_election", reason)
    months = policy.get("prospect_months")
    messaged = facts.last_message
    if (
        tenant_kind == "political"
        and prospect
        and months
        and messaged is not None
        and today > _months_after(messaged, int(months))
        and facts.last_activity <= messaged
    ):
        reason = f"Prospection politique : message du {messaged.isoformat()} resté sans suite."
        return Action(facts.contact_id, "prospect", reason)
    inactive = int(policy.get("inactive_months") or DEFAULTS["inactive_months"])
    if today > _months_after(facts.last_activity, inactive):
        return Action(facts.contact_id, "inactive", f"Aucun échange depuis le {facts.last_activity.isoformat()}.")
    return None


def _months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer)."""
    first = add_months(day.replace(day=1), months)
    following = add_months(first, 1)
    last_day = (following - first).days
    return first.replace(day=min(day.day, last_day))
