"""SES sending identities: a domain the operator assigns to a tenant becomes an identity with Easy DKIM.

SES signs the tenant's mail with DKIM once the three CNAME records are published; until the domain is verified, SES
refuses to send from it. Nothing here is reachable from the API: only the operator's command (infra/tenant.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib import aws


@dataclass(frozen=True)
class DnsRecord:
    name: str
    type: str
    value: str

    def line(self) -> str:
        return f"{self.name}. {self.type} {self.value}"


def register_domain(domain: str) -> list[DnsRecord]:
    """Create (or re-read) the domain identity with DKIM; returns the DNS records the domain's owner publishes."""
    ses = aws.client("ses")
    token = str(ses.verify_domain_identity(Domain=domain)["VerificationToken"])
    dkim = [str(t) for t in ses.verify_domain_dkim(Domain=domain)["DkimTokens"]]
    return [
        DnsRecord(f"_amazonses.{domain}", "TXT", f'"{token}"'),
        *(DnsRecord(f"{t}._domainkey.{domain}", "CNAME", f"{t}.dkim.amazonses.com") for t in dkim),
    ]


def register_address(address: str) -> None:
    """A single address: SES emails it a confirmation link, which its owner follows."""
    aws.client("ses").verify_email_identity(EmailAddress=address)
