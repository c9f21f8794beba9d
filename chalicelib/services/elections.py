"""The election calendar as a tenant sees it, its corrections, and the pre-electoral windows of its territory.

Three layers, later ones winning by election id: the bundled reference (domain/electoral/elections.json,
versioned with its sources), the deployment's corrections (written by the operator's admins: settings
`operator_tenants`), and the tenant's own (a by-election in the commune, a date the tenant knows first). Every
change is audited. A tenant never sees another tenant's corrections.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.auth import Principal
from chalicelib.domain.electoral import calendar
from chalicelib.domain.time import today
from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.schemas.elections import ElectionCreate, ElectionPatch
from chalicelib.services import audit
from chalicelib.settings import get_settings
from chalicelib.store import electoral as store
from chalicelib.store import tenants
from chalicelib.store.base import now_iso

Spec = dict[str, Any]


def _layers(tenant_id: str) -> dict[str, tuple[Spec, str, store.ElectionItem | None]]:
    """Election id → (spec, source, stored item or None) after the three layers."""
    merged: dict[str, tuple[Spec, str, store.ElectionItem | None]] = {
        eid: (spec, "reference", None) for eid, spec in calendar.reference_specs().items()
    }
    for item in store.elections_of([store.DEPLOYMENT, tenant_id]):
        merged[item.election_id] = (item.doc, _source(item.scope), item)  # the tenant's layer is read last: it wins
    return merged


def elections_for(tenant_id: str) -> list[calendar.Election]:
    """The calendar the tenant's windows are computed from (entries that no longer parse are left out)."""
    found = []
    for spec, _source, _item in _layers(tenant_id).values():
        try:
            found.append(calendar.Election.parse(spec))
        except (KeyError, ValueError):
            continue  # a stored correction is validated on write; never let one bad entry hide the others
    return found


def _source(scope: str) -> str:
    return "deployment" if scope == store.DEPLOYMENT else "tenant"


def windows(tenant_id: str, on: date | None) -> list[calendar.Window]:
    """The windows of the tenant's territory (from /settings) on `on`, by default today in the tenant's zone."""
    item = tenants.get_settings_item(tenant_id)
    settings = item.data if item else {}
    day = on or today(settings.get("timezone"))
    return calendar.windows_for(elections_for(tenant_id), calendar.Place.of(settings), day)


def _json(spec: Spec, source: str, item: store.ElectionItem | None) -> dict[str, Any]:
    version, _ = calendar.reference()
    return {
        "id": spec["id"],
        "kind": spec["kind"],
        "label": spec.get("label") or calendar.KIND_LABELS[spec["kind"]],
        "general": bool(spec.get("general", True)),
        "territory": spec.get("territory") or {"national": True},
        "rounds": spec["rounds"],
        "reference_month": spec.get("reference_month"),
        "decided_round": spec.get("decided_round"),
        "financing_months": calendar.financing_months(spec["kind"], spec.get("financing_months")),
        "confirmed": bool(spec.get("confirmed", False)),
        "sources": list(spec.get("sources", [])),
        "source": source,
        "reference_version": version,
        "version": item.version if item else 0,
        "updated_at": item.updated_at if item else None,
        "updated_by": item.updated_by if item else None,
    }


def list_elections(p: Principal) -> dict[str, Any]:
    layers = _layers(p.tenant_id)
    items = [_json(*layer) for layer in layers.values()]
    items.sort(key=lambda e: e["rounds"][0].get("date") or e["rounds"][0].get("earliest") or e["rounds"][0]["month"])
    return {"items": items}


def get_election(p: Principal, election_id: str) -> dict[str, Any]:
    layer = _layers(p.tenant_id).get(election_id)
    if layer is None:
        raise NotFound("Élection introuvable.")
    return _json(*layer)


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


def _checked(spec: Spec) -> Spec:
    """The domain's own parse is the last check (a decided round beyond the rounds, say)."""
    try:
        calendar.Election.parse(spec)
    except (KeyError, ValueError) as exc:
        raise ValidationFailed([{"field": "rounds", "message": f"Élection incohérente : {exc}."}]) from exc
    return spec


def create(p: Principal, data: ElectionCreate) -> dict[str, Any]:
    scope = _scope(p, data.scope)
    if data.id in calendar.reference_specs():
        raise ValidationFailed(
            [{"field": "id", "message": "Cette élection figure déjà au calendrier : corrigez-la (PATCH)."}]
        )
    spec = _checked(
        {
            **data.model_dump(mode="json", exclude={"scope", "rounds", "territory"}, exclude_none=True),
            "rounds": [r.spec() for r in data.rounds],
            "territory": data.territory.model_dump(mode="json", exclude_none=True),
        }
    )
    item = store.ElectionItem(scope, data.id, doc=spec, updated_at=now_iso(), updated_by=p.email or p.user_id)
    store.save_election(item, is_new=True)
    audit.record(p, "create", "election", data.id, {"scope": data.scope, "election": spec})
    return _json(spec, _source(scope), item)


def patch(p: Principal, election_id: str, data: ElectionPatch) -> dict[str, Any]:
    scope = _scope(p, data.scope)
    current = _layers(p.tenant_id).get(election_id)
    if current is None:
        raise NotFound("Élection introuvable.")
    item = store.get_election(scope, election_id)
    if (item.version if item else 0) != data.version:
        raise Conflict(store.STALE)
    changes = data.model_dump(mode="json", include=data.model_fields_set - {"version", "scope"})
    if "rounds" in changes:
        changes["rounds"] = [r.spec() for r in data.rounds or []]
    if "territory" in changes and data.territory is not None:
        changes["territory"] = data.territory.model_dump(mode="json", exclude_none=True)
    base = item.doc if item else current[0]
    spec = _checked({k: v for k, v in {**base, **changes}.items() if v is not None} | {"id": election_id})
    if item is None:
        item = store.ElectionItem(scope, election_id, doc=spec, updated_at=now_iso(), updated_by=p.email or p.user_id)
        store.save_election(item, is_new=True)
    else:
        item.doc, item.updated_at, item.updated_by = spec, now_iso(), p.email or p.user_id
        store.save_election(item, is_new=False)
    audit.record(p, "update", "election", election_id, {"scope": data.scope, "fields": sorted(changes), "before": base})
    return _json(spec, _source(scope), item)
