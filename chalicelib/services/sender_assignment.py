"""The operator's assignment of sender domains and addresses to tenants (infra/tenant.py runs it with the operator's
credentials). No API route and no Lambda function imports this module: a tenant's admin cannot change what it may send
from (services/senders.py checks it at every send)."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from chalicelib.domain.senders import SenderGrant, normalise_domain
from chalicelib.errors import Conflict, NotFound
from chalicelib.messaging import identities
from chalicelib.settings import get_settings
from chalicelib.store import tenants
from chalicelib.store.entities import SenderGrantDoc


@dataclass(frozen=True)
class Assigned:
    grant: SenderGrant
    dns: list[identities.DnsRecord]
    from_patterns: list[str]  # every tenant's, plus the default sender's: the stack's SenderFromAddresses


def _doc(grant: SenderGrant) -> SenderGrantDoc:
    """The grant as the settings map stores it."""
    doc = grant.to_doc()
    return {"domains": doc["domains"], "addresses": doc["addresses"]}


def _grants_by_tenant() -> dict[str, SenderGrant]:
    found = {}
    for kind in ("institution", "political"):
        for tenant_id in tenants.tenant_ids_of_kind(kind):
            found[tenant_id] = SenderGrant.from_doc(tenants.sender_grant_doc(tenant_id))
    return found


def from_patterns(grants: list[SenderGrant], default_sender: str) -> list[str]:
    """The ses:FromAddress patterns of the sending roles: `*@domain` per domain, each exact address, the default."""
    patterns = {f"*@{d}" for g in grants for d in g.domains} | {a for g in grants for a in g.addresses}
    default_address = parseaddr(default_sender)[1]
    if default_address:
        patterns.add(f"*@{normalise_domain(default_address.rpartition('@')[2])}")
    return sorted(patterns)


def _domains_of(grant: SenderGrant) -> set[str]:
    return set(grant.domains) | {a.rpartition("@")[2] for a in grant.addresses}


def _check_and_register(tenant_id: str, current: SenderGrant, add: SenderGrant, remove: SenderGrant) -> Assigned:
    """A domain (or an address in it) that another tenant holds is refused: two tenants writing from one domain is
    the confusion this rule exists to prevent. New domains become SES identities with DKIM."""
    others = {t: g for t, g in _grants_by_tenant().items() if t != tenant_id}
    for other, held in sorted(others.items()):
        if taken := _domains_of(add) & _domains_of(held):
            raise Conflict(f"Le domaine {', '.join(sorted(taken))} est déjà attribué à l'espace {other}.")
    grant = (current | add) - remove
    dns = [record for domain in sorted(add.domains) for record in identities.register_domain(domain)]
    for address in sorted(add.addresses):
        if address.rpartition("@")[2] not in grant.domains:
            identities.register_address(address)
    return Assigned(grant, dns, from_patterns([*others.values(), grant], get_settings().default_sender))


def assign(tenant_id: str, add: SenderGrant, remove: SenderGrant) -> Assigned:
    """Add and remove domains or addresses of an existing tenant."""
    current = tenants.sender_grant_doc(tenant_id)
    if current is None:
        raise NotFound(f"Espace inconnu : {tenant_id}.")
    assigned = _check_and_register(tenant_id, SenderGrant.from_doc(current), add, remove)
    tenants.put_sender_grant(tenant_id, _doc(assigned.grant))
    return assigned


def initial_grant(tenant_id: str, add: SenderGrant) -> SenderGrantDoc:
    """The grant of a tenant being created, checked and registered the same way, for its first settings item."""
    return _doc(_check_and_register(tenant_id, SenderGrant(), add, SenderGrant()).grant)
