"""The weekly retention run (services/retention.py): every tenant whose policy is enabled."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.services import retention

logger = logging.getLogger("agora.jobs.retention")


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge, weekly: tenant id → contacts anonymised."""
    done = retention.run_all()
    logger.info("retention run: %s contacts anonymised in %s tenants", sum(done.values()), len(done))
    return done
