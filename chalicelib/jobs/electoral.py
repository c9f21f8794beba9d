"""EventBridge schedule (daily): the electoral check (services/electoral_watch.py)."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.services import electoral_watch

logger = logging.getLogger("agora.jobs.electoral")


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    totals = electoral_watch.run()
    logger.info("electoral check: %s", totals)
    return totals
