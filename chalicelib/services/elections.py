"""The election calendar as a tenant sees it, its corrections, and the pre-electoral windows of its territory.

Three layers, later ones winning by election id: the bundled reference (domain/electoral/elections.json,
versioned with its sources), the deployment's corrections (written by the operator's admins: settings
`operator_tenants`), and the tenant's own (a by-election in the commune, a date the tenant knows first). Every
change is audited. A tenant never sees another tenant's corrections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast

from chalicelib.auth import Principal
from chalicelib.domain.electoral import calendar
from chalicelib.domain.time import today
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.services import audit
from chalicelib.settings import get_settings
from chalicelib.store import electoral as store
from chalicelib.store import tenants
from chalicelib.store.base import now_iso
from chalicelib.store.entities import Election, ElectionDoc

Source = Literal["reference", "deployment", "tenant"]


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """An election as the tenant sees it: its spec after the layers, the layer it comes from, and the stored
    correction (None for a bundled entry not corrected)."""

    spec: ElectionDoc
    source: Source
    stored: Election | None


def _layers(tenant_id: str) -> dict[str, CalendarEntry]:
    """Election id → its entry after the three layers."""
    merged = {
        eid: CalendarEntry(cast(ElectionDoc, spec), "reference", None)
        for eid, spec in calendar.reference_specs().items()
    }
    for election in store.elections_of([store.DEPLOYMENT, tenant_id]):  # the tenant's layer is read last: it wins
        merged[election.election_id] = CalendarEntry(election.doc, _source(election.scope), election)
    return merged


def elections_for(tenant_id: str) -> list[calendar.Election]:
    """The calendar the tenant's windows are computed from (entries that no longer parse are left out)."""
    found = []
    for entry in _layers(tenant_id).values():
        try:
            found.append(calendar.Election.parse(entry.spec))
        except (KeyError, ValueError):
            continue  # a stored correction is validated on write; never let one bad entry hide the others
    return found


def _source(scope: str) -> Source:
    return "deployment" if scope == store.DEPLOYMENT else "tenant"


def windows(tenant_id: str, on: date | None) -> list[calendar.Window]:
    """The windows of the tenant's territory (from /settings) on `on`, by default today in the tenant's zone."""
    item = tenants.get_settings_item(tenant_id)
    settings = item.data if item else {}
    day = on or today(settings.get("timezone"))
    return calendar.windows_for(elections_for(tenant_id), calendar.Place.of(settings), day)


def _first_round(entry: CalendarEntry) -> str:
    first = entry.spec["rounds"][0]
    return first.get("date") or first.get("earliest") or first["month"]


def list_elections(p: Principal) -> list[CalendarEntry]:
    """The tenant's calendar, by first round."""
    return sorted(_layers(p.tenant_id).values(), key=_first_round)


def get_election(p: Principal, election_id: str) -> CalendarEntry:
    entry = _layers(p.tenant_id).get(election_id)
    if entry is None:
        raise NotFound("Élection introuvable.")
    return entry


def _scope(p: Principal, scope: str) -> str:
    """The route is admin's; deployment-wide corrections are the operator's admins' only (a data check)."""
    if scope == "deployment":
        if not get_settings().is_operator(p.tenant_id):
            raise Forbidden(
                "Seuls les administrateurs de l'exploitant corrigent le calendrier de tout le déploiement ; "
                "vos corrections valent pour votre espace (scope « tenant »)."
            )
        return store.DEPLOYMENT
    return p.tenant_id


def _checked(spec: Mapping[str, Any]) -> ElectionDoc:
    """The domain's own parse is the last check (a decided round beyond the rounds, say)."""
    try:
        calendar.Election.parse(spec)
    except (KeyError, ValueError) as exc:
        raise ValidationFailed([{"field": "rounds", "message": f"Élection incohérente : {exc}."}]) from exc
    return cast(ElectionDoc, spec)


def create(p: Principal, spec: ElectionDoc, scope: str) -> CalendarEntry:
    """A new election (`spec`: schemas.elections.election_doc) in `scope`: "tenant" or "deployment"."""
    stored_scope = _scope(p, scope)
    if spec["id"] in calendar.reference_specs():
        raise ValidationFailed(
            [{"field": "id", "message": "Cette élection figure déjà au calendrier : corrigez-la (PATCH)."}]
        )
    spec = _checked(spec)
    election = Election(
        scope=stored_scope, election_id=spec["id"], doc=spec, updated_at=now_iso(), updated_by=p.email or p.user_id
    )
    store.save_election(election, is_new=True)
    audit.record(p, "create", "election", spec["id"], {"scope": scope, "election": spec})
    return CalendarEntry(spec, _source(stored_scope), election)


def patch(p: Principal, election_id: str, changes: Mapping[str, Any], scope: str, version: int) -> CalendarEntry:
    """Correct an election in `scope`: `changes` are the fields the request names (None removes one, see
    schemas.elections.election_changes), `version` the version read (0 for a bundled entry not yet corrected)."""
    stored_scope = _scope(p, scope)
    current = _layers(p.tenant_id).get(election_id)
    if current is None:
        raise NotFound("Élection introuvable.")
    election = store.get_election(stored_scope, election_id)
    if ((election.version or 0) if election else 0) != version:
        raise Conflict(store.STALE)
    base = election.doc if election else current.spec
    spec = _checked({k: v for k, v in {**base, **changes}.items() if v is not None} | {"id": election_id})
    if election is None:
        election = Election(
            scope=stored_scope, election_id=election_id, doc=spec, updated_at=now_iso(), updated_by=p.email or p.user_id
        )
        store.save_election(election, is_new=True)
    else:
        election.doc, election.updated_at, election.updated_by = spec, now_iso(), p.email or p.user_id
        store.save_election(election, is_new=False)
    audit.record(p, "update", "election", election_id, {"scope": scope, "fields": sorted(changes), "before": base})
    return CalendarEntry(spec, _source(stored_scope), election)
