"""L52-1 compliance of events: assessed on create and update, on demand, before invitations go out, and daily.

The rules are in domain/electoral/compliance; this module gathers what they compare: the windows of the tenant's
territory (services/elections), the series' previous occurrences (events by series, with their invitation counts),
the thresholds and declared candidates from /settings. The latest assessment is stored per event (shown with the
event); an admin override, with its written justification, covers the blocking findings it was given for and is
written to the audit log; warnings must be acknowledged when sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, cast

from chalicelib.auth import Principal
from chalicelib.domain.electoral import calendar, neutrality
from chalicelib.domain.electoral import compliance as rules
from chalicelib.domain.time import instant, local, today
from chalicelib.errors import Conflict
from chalicelib.services import audit, elections
from chalicelib.store import electoral as store
from chalicelib.store import events as events_store
from chalicelib.store import invitations as invitations_store
from chalicelib.store import tenants
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Assessment, AssessmentDoc, Event, FindingDoc, Override, OverrideDoc


class OverrideRequired(Conflict):
    code = "compliance_override_required"


class WarningsNotAcknowledged(Conflict):
    code = "compliance_warnings_unacknowledged"


class Clearance(TypedDict):
    """What sending invitations went ahead with: the findings raised, and the override that lifted the blocking
    ones (shown in the answer of the send)."""

    level: str
    findings: list[FindingDoc]
    override: OverrideDoc | None


@dataclass(frozen=True)
class TenantContext:
    """What every assessment of one tenant needs, read once (the daily job assesses many events)."""

    tenant_id: str
    settings: dict[str, Any]
    kind: str
    place: calendar.Place
    elections: tuple[calendar.Election, ...]
    candidates: tuple[neutrality.Candidate, ...]
    thresholds: rules.Thresholds

    @classmethod
    def load(cls, tenant_id: str) -> TenantContext:
        item = tenants.get_settings_item(tenant_id)
        data = item.data if item else {}
        defaults = rules.Thresholds()
        return cls(
            tenant_id=tenant_id,
            settings=dict(data),
            kind=str(data.get("kind", "institution")),
            place=calendar.Place.of(data),
            elections=tuple(elections.elections_for(tenant_id)),
            candidates=tuple(
                neutrality.Candidate(c["name"], tuple(c.get("sites", []))) for c in data.get("candidates") or []
            ),
            thresholds=rules.Thresholds(
                int(data.get("regularity_tolerance_days") or defaults.tolerance_days),
                float(data.get("amplification_ratio") or defaults.amplification_ratio),
            ),
        )

    @property
    def zone(self) -> str | None:
        """The tenant's time zone (/settings): an event's day and today are its own."""
        return self.settings.get("timezone")

    def windows_over(self, today: date, day: date) -> list[calendar.Window]:
        """Windows active today or ahead, far enough to reach `day`, containing it."""
        months = max(calendar.UPCOMING_MONTHS, (day.year - today.year) * 12 + day.month - today.month + 1)
        found = calendar.windows_for(self.elections, self.place, today, horizon_months=months)
        return calendar.windows_containing(found, day)


def _local_day(utc_iso: str, zone_name: str | None) -> date:
    return local(instant(utc_iso), zone_name).date()


def invitation_count(tenant_id: str, event_id: str) -> int:
    """Invitations of an event, withdrawn ones excepted (one Query with Select=COUNT on the by-event index)."""
    return invitations_store.count_for_event(tenant_id, event_id)


def _occurrence(event: Event, invitations: int | None, zone_name: str | None) -> rules.Occurrence:
    """An earlier occurrence as identité compares it. Recorded after the fact, its guests are its `invited_count`;
    without a capacity of record, how many came (`attendance`) stands for the room it needed."""
    doc = event.doc
    day = _local_day(doc["starts_at"], zone_name)
    capacity = doc.get("capacity") if doc.get("capacity") is not None else doc.get("attendance")
    return rules.Occurrence(event.event_id, day, invitations, capacity, doc.get("budget_cents"))


def _invitations_of(event: Event) -> int | None:
    """Its guests: the figure recorded for an earlier occurrence (no read), else its invitations in Agora. None in
    Agora means its guest list was kept elsewhere: unknown, not zero."""
    if event.doc.get("past_occurrence"):
        return event.doc.get("invited_count")
    return invitation_count(event.tenant_id, event.event_id) or None


def subject_of(event: Event, counted: bool = True, zone_name: str | None = None) -> rules.Subject:
    """The event as the rules see it; its invitations are counted only when they will be compared (`counted`)."""
    doc = event.doc
    return rules.Subject(
        event_id=event.event_id,
        day=_local_day(doc["starts_at"], zone_name),
        invitations=invitation_count(event.tenant_id, event.event_id) if counted else None,
        capacity=doc.get("capacity"),
        budget_cents=doc.get("budget_cents"),
        series=doc.get("series"),
        texts={
            "title": doc.get("title"),
            "description": doc.get("description"),
            "invitation_text": doc.get("invitation_text"),
        },
    )


def history_of(event: Event, day: date, zone_name: str | None = None) -> list[rules.Occurrence]:
    """The series' earlier occurrences that took place (cancelled ones did not), with their invitation counts."""
    series = event.doc.get("series")
    if not series:
        return []
    earlier: list[Event] = []
    for e in events_store.series_events_before(event.tenant_id, series, event.doc["starts_at"]):  # newest first
        held_on = _local_day(e.doc["starts_at"], zone_name)
        if e.event_id != event.event_id and e.doc.get("status") != "cancelled" and held_on < day:
            earlier.insert(0, e)
            if len(earlier) == rules.HISTORY_SIZE:
                break
    return [_occurrence(e, _invitations_of(e), zone_name) for e in earlier]


def evaluate(ctx: TenantContext, event: Event, on: date | None = None) -> rules.Assessment:
    day = _local_day(event.doc["starts_at"], ctx.zone)
    windows = ctx.windows_over(on or today(ctx.zone), day)  # the tenant's day: overseas, it is not Paris's
    applies = bool(windows) and ctx.kind == "institution"  # otherwise nothing is compared: no reads for it
    subject = subject_of(event, counted=applies, zone_name=ctx.zone)
    history = history_of(event, day, ctx.zone) if applies else []
    return rules.assess(
        subject,
        history,
        windows,
        tenant_kind=ctx.kind,
        candidates=ctx.candidates,
        thresholds=ctx.thresholds,
    )


def _override_in_force(tenant_id: str, event_id: str, assessment: AssessmentDoc) -> OverrideDoc | None:
    blocking = {f["key"] for f in assessment["findings"] if f["level"] == "blocking"}
    if not blocking:
        return None
    override = store.get_override(tenant_id, event_id)
    if override is None or not blocking <= set(override.doc.get("covers", [])):
        return None
    return override.doc


def _assessed(event: Event, ctx: TenantContext | None, on: date | None) -> AssessmentDoc:
    """The event's assessment now, as stored and shown (not stored here)."""
    ctx = ctx or TenantContext.load(event.tenant_id)
    result = cast(AssessmentDoc, {**evaluate(ctx, event, on).as_json(), "assessed_at": now_iso()})
    result["override"] = _override_in_force(event.tenant_id, event.event_id, result)
    return result


def assess_and_store(event: Event, ctx: TenantContext | None = None, on: date | None = None) -> Assessment:
    """Assess the event now and store the result (shown with the event)."""
    assessment = Assessment(tenant_id=event.tenant_id, event_id=event.event_id, doc=_assessed(event, ctx, on))
    store.save_assessment(assessment)
    return assessment


# How the refusals name what is sent: (the subject, the override's route, the audit's resource type).
SUBJECTS = {
    "event": ("l'événement a lieu", "POST /events/{id}/compliance/override", "event_compliance"),
    "campaign": ("la campagne part", "POST /campaigns/{id}/compliance/override", "campaign_compliance"),
    "consultation": (
        "la consultation se tient",
        "POST /consultations/{id}/compliance/override",
        "consultation_compliance",
    ),
}
# What is refused, and what an override is refused for, when it is not the sending of an event's or a campaign's.
HALTED = {"consultation": "Publication suspendue"}
NOUNS = {"event": "cet événement", "campaign": "cette campagne", "consultation": "cette consultation"}


def lift(p: Principal, current: AssessmentDoc, justification: str, what: str, resource_id: str) -> OverrideDoc:
    """An admin lifts the blocking findings of `current` in writing (the route is admin's): the override to store,
    written to the audit log with the findings it covers."""
    blocking = [f for f in current["findings"] if f["level"] == "blocking"]
    if not blocking:
        raise Conflict(f"Aucune constatation bloquante à lever pour {NOUNS[what]}.")
    doc: OverrideDoc = {
        "by": p.email or p.user_id,
        "at": now_iso(),
        "justification": justification,
        "covers": [f["key"] for f in blocking],
    }
    audit.record(
        p,
        "override",
        SUBJECTS[what][2],
        resource_id,
        {"justification": justification, "findings": [{"key": f["key"], "message": f["message"]} for f in blocking]},
    )
    return doc


def override(p: Principal, event: Event, justification: str) -> Assessment:
    """An admin lifts the blocking findings of now, in writing; the justification goes to the audit log."""
    current = _assessed(event, None, None)  # stored once below, with the override
    doc = lift(p, current, justification, "event", event.event_id)
    store.save_override(Override(tenant_id=p.tenant_id, event_id=event.event_id, doc=doc))
    current["override"] = doc
    assessment = Assessment(tenant_id=p.tenant_id, event_id=event.event_id, doc=current)
    store.save_assessment(assessment)
    return assessment


def clear(
    p: Principal, current: AssessmentDoc, acknowledge_warnings: bool, what: str, resource_id: str
) -> list[FindingDoc]:
    """Raise unless what `current` assesses may be sent: blocking findings need an override in force, warnings an
    acknowledgement (audited); the findings raised."""
    if not current["applies"]:
        return []
    subject, route, resource_type = SUBJECTS[what]
    raised = [f for f in current["findings"] if f["level"] != "ok"]
    blocking = [f for f in raised if f["level"] == "blocking"]
    details = [{"field": f"compliance.{f['rule']}", "message": f["message"], "key": f["key"]} for f in raised]
    if blocking and current.get("override") is None:
        halted = HALTED.get(what, "Envoi suspendu")
        raise OverrideRequired(
            f"{halted} : {subject} pendant une période préélectorale (art. L52-1 du Code électoral) et son "
            "texte présente un risque bloquant. Modifiez-le, ou un administrateur peut lever le blocage avec une "
            f"justification écrite ({route}).",
            details,
        )
    warnings = [f for f in raised if f["level"] == "warning"]
    if warnings and not acknowledge_warnings:
        raise WarningsNotAcknowledged(
            f"{subject[0].upper()}{subject[1:]} pendant une période préélectorale (art. L52-1 du Code électoral) et "
            "appelle des réserves : prenez-en connaissance, puis renvoyez la demande avec « acknowledge_warnings » "
            "à true.",
            details,
        )
    if raised:
        audit.record(
            p,
            "acknowledge",
            resource_type,
            resource_id,
            {"warnings": [f["key"] for f in warnings], "overridden": [f["key"] for f in blocking]},
        )
    return raised


def check_before_send(p: Principal, event: Event, acknowledge_warnings: bool) -> Clearance | None:
    """Raise unless the invitations may go: blocking findings need an override, warnings an acknowledgement."""
    current = assess_and_store(event).doc
    if not current["applies"]:
        return None
    raised = clear(p, current, acknowledge_warnings, "event", event.event_id)
    return {"level": current["level"], "findings": raised, "override": current.get("override")}
