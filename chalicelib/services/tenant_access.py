"""Whether a tenant's space is open: the operator disables one (`python -m infra.tenant disable`) and every
authenticated call of its users then answers 403 « Espace désactivé », its public pages say the service is
unavailable, and the scheduled jobs pass it over.

Disabling the tenant's Cognito users stops new sign-ins and token refreshes, but an ID token already issued stays
valid until it expires (an hour by default), and API Gateway's authorizer checks only its signature: so the API
itself asks, for every authenticated request (api/http.py). The answer is kept per Lambda container for
`TTL_SECONDS`, so that a request costs no read of the tenant's settings but one every TTL per tenant and container:
a disable reaches every container within that delay (the operator's command says so).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from chalicelib.errors import Forbidden
from chalicelib.store import tenants

DISABLED_MESSAGE: Final = "Espace désactivé."
TTL_SECONDS: Final = 30.0

_known: dict[str, tuple[float, bool]] = {}  # tenant id → (read at, monotonic; disabled)


def disabled_since(settings: Mapping[str, Any]) -> str | None:
    """When the operator disabled the tenant whose settings these are (UTC ISO-8601), None while it is open."""
    value = settings.get(tenants.DISABLED_KEY)
    return str(value) if value else None


def disabled_in(settings: Mapping[str, Any]) -> bool:
    """Whether settings already read (a job's, a public page's) say the tenant is disabled."""
    return disabled_since(settings) is not None


def is_disabled(tenant_id: str, clock: Callable[[], float] = time.monotonic) -> bool:
    """The tenant's state, read at most once per `TTL_SECONDS` in this container."""
    now = clock()
    cached = _known.get(tenant_id)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    settings = tenants.get_settings_item(tenant_id)
    disabled = settings is not None and disabled_in(settings.data)
    _known[tenant_id] = (now, disabled)
    return disabled


def ensure_open(tenant_id: str) -> None:
    """403 « Espace désactivé » for a disabled tenant."""
    if is_disabled(tenant_id):
        raise Forbidden(DISABLED_MESSAGE)


def forget(tenant_id: str | None = None) -> None:
    """Drop what this container knows (of one tenant, or all): the operator's command, then tests, read afresh."""
    if tenant_id is None:
        _known.clear()
    else:
        _known.pop(tenant_id, None)
