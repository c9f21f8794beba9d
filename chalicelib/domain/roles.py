"""Roles and what they may do.

Roles are Cognito groups. CNIL: protocol-confidential remarks about a person are only for
the services that need them (protocol, cabinet) and administrators.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CABINET = "cabinet"
    PROTOCOLE = "protocole"
    COMMUNICATION = "communication"
    LECTEUR = "lecteur"


ALL_ROLES: tuple[str, ...] = tuple(r.value for r in Role)
WRITER_ROLES = frozenset({Role.ADMIN, Role.CABINET, Role.PROTOCOLE, Role.COMMUNICATION})
CONFIDENTIAL_READER_ROLES = frozenset({Role.ADMIN, Role.CABINET, Role.PROTOCOLE})
ADMIN_ROLES = frozenset({Role.ADMIN})
# Who may record a guest's answer after the RSVP deadline (taken by phone at the last minute): the services that
# settle the guest list, not communication.
DEADLINE_OVERRIDE_ROLES = frozenset({Role.ADMIN, Role.CABINET, Role.PROTOCOLE})
# Who may write and send campaigns: the services that speak for the tenant (the protocol service invites, it does
# not send newsletters).
CAMPAIGN_ROLES = frozenset({Role.ADMIN, Role.CABINET, Role.COMMUNICATION})
# Who may see and record campaign gifts (donors' identities and amounts): the candidate's cabinet and the admins.
DONATION_ROLES = frozenset({Role.ADMIN, Role.CABINET})


def can_write(roles: frozenset[str]) -> bool:
    return bool(roles & WRITER_ROLES)


def can_see_confidential(roles: frozenset[str]) -> bool:
    return bool(roles & CONFIDENTIAL_READER_ROLES)


def is_admin(roles: frozenset[str]) -> bool:
    return bool(roles & ADMIN_ROLES)


def can_send_campaigns(roles: frozenset[str]) -> bool:
    return bool(roles & CAMPAIGN_ROLES)


def can_override_deadline(roles: frozenset[str]) -> bool:
    return bool(roles & DEADLINE_OVERRIDE_ROLES)


def can_handle_donations(roles: frozenset[str]) -> bool:
    return bool(roles & DONATION_ROLES)
