"""The hourly purge of closed consultations' link → response mappings (services/consultations.purge_closed)."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.services import consultations

logger = logging.getLogger("agora.jobs.consultations")


def purge_links(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge, hourly: how many consultations had their mappings deleted."""
    purged = consultations.purge_closed()
    logger.info("consultation links purged for %s consultations", purged)
    return {"purged": purged}
