"""EventBridge schedule (every 15 minutes): the reminders job (services/reminders.py)."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.services import reminders

logger = logging.getLogger("agora.jobs.reminders")


def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    totals = reminders.run()
    logger.info("reminders run: %s", totals)
    return totals
