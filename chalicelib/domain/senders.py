"""Which addresses a tenant may send email from: the domains and addresses the deployment's operator assigned to it.

A tenant writes only as itself. A campaign team that could put a commune's address in its From line would borrow the
commune's name, reply address and reputation: exactly the confusion between an institution's communication and a
candidate's that Code électoral art. L52-8 (no support from a legal person, collectivités included) and the CNIL's
guidance on political communication forbid. So the list is not a setting a tenant's admin can change: the operator
assigns it (``python -m infra.tenant senders``), and every send checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_DOMAIN_LABEL_MAX = 63
_DOMAIN_MAX = 253


class SenderGrantError(ValueError):
    """A domain or address the operator typed is not one."""


def normalise_domain(value: str) -> str:
    """Lower-case, no trailing dot, IDNA (ASCII) form: « Mairie-Évreux.fr » and « xn--mairie-vreux-hcb.fr » agree."""
    domain = value.strip().rstrip(".").lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise SenderGrantError(f"Nom de domaine invalide : {value!r}.") from exc
    labels = domain.split(".")
    if (
        len(domain) > _DOMAIN_MAX
        or len(labels) < 2
        or any(not label or len(label) > _DOMAIN_LABEL_MAX for label in labels)
        or any(label.startswith("-") or label.endswith("-") for label in labels)
        or not all(c.isalnum() or c in "-." for c in domain)
    ):
        raise SenderGrantError(f"Nom de domaine invalide : {value!r}.")
    return domain


def normalise_address(value: str) -> str:
    """The local part kept as typed (SES treats it case-sensitively), the domain normalised."""
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or any(c.isspace() or c in '<>,;"' for c in local):
        raise SenderGrantError(f"Adresse invalide : {value!r}.")
    return f"{local}@{normalise_domain(domain)}"


@dataclass(frozen=True)
class SenderGrant:
    """What the operator assigned: whole domains (any address in them) and single addresses."""

    domains: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()

    @classmethod
    def of(cls, domains: Iterable[str] = (), addresses: Iterable[str] = ()) -> SenderGrant:
        return cls(frozenset(map(normalise_domain, domains)), frozenset(map(normalise_address, addresses)))

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any] | None) -> SenderGrant:
        doc = doc or {}
        return cls.of(doc.get("domains") or (), doc.get("addresses") or ())

    def to_doc(self) -> dict[str, list[str]]:
        return {"domains": sorted(self.domains), "addresses": sorted(self.addresses)}

    def allows(self, address: str) -> bool:
        """Exact domain or exact address: a grant of ville.fr does not cover ville.fr.example.org or sub.ville.fr."""
        try:
            wanted = normalise_address(address)
        except SenderGrantError:
            return False
        return wanted in self.addresses or wanted.rpartition("@")[2] in self.domains

    def describe(self) -> str:
        """For the error a tenant's admin reads: what they may use instead."""
        parts = [f"…@{d}" for d in sorted(self.domains)] + sorted(self.addresses)
        return ", ".join(parts) if parts else "aucune (demandez à l'exploitant de la plateforme)"

    def __or__(self, other: SenderGrant) -> SenderGrant:
        return SenderGrant(self.domains | other.domains, self.addresses | other.addresses)

    def __sub__(self, other: SenderGrant) -> SenderGrant:
        return SenderGrant(self.domains - other.domains, self.addresses - other.addresses)
