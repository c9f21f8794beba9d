"""The From line of a tenant's emails: its own sender when the operator assigned that address to it, otherwise the
deployment's default sender (an operator domain). Checked when an admin sets it and again at every send, so a value
stored before the rule existed, or by any other path, never leaves (domain/senders.py says why)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.senders import SenderGrant
from chalicelib.errors import Conflict, ValidationFailed
from chalicelib.store.tenants import SENDER_GRANT_KEY


class SenderNotAllowed(Conflict):
    code = "sender_not_allowed"


def grant_of(settings: Mapping[str, Any]) -> SenderGrant:
    return SenderGrant.from_doc(settings.get(SENDER_GRANT_KEY))


def check_setting(settings: Mapping[str, Any], sender_email: str | None) -> None:
    """PATCH /settings: a sender outside the tenant's assignment is a 422 on the field, with what is allowed."""
    if sender_email is None:
        return
    grant = grant_of(settings)
    if not grant.allows(sender_email):
        message = (
            "Cette adresse d'expédition n'est pas attribuée à votre espace. Adresses possibles : "
            f"{grant.describe()}. L'exploitant de la plateforme attribue les domaines d'envoi."
        )
        raise ValidationFailed([{"field": "sender_email", "message": message}])


def from_address(settings: Mapping[str, Any]) -> tuple[str, str] | None:
    """(display name, address) of the tenant's sender, or None for the deployment's default sender.

    Raises SenderNotAllowed when the stored sender is not (or no longer) assigned to the tenant: nothing is sent.
    """
    email = settings.get("sender_email")
    if not email:
        return None
    if not grant_of(settings).allows(email):
        raise SenderNotAllowed(
            f"L'adresse d'expédition {email} n'est pas attribuée à cet espace : aucun message n'est parti. "
            "Choisissez une adresse autorisée dans les réglages (sender_email)."
        )
    return str(settings.get("sender_name") or settings.get("name") or ""), str(email)
