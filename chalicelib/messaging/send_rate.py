"""How fast campaign emails may leave: the account's SES send rate, shared by the sending workers.

In AWS the rate is SES's own (GetSendQuota's MaxSendRate, read once per container: it changes when AWS raises the
quota, not between two chunks); `AGORA_SEND_RATE` overrides it, which the local stack uses (moto answers 1 per
second, a sandbox account's rate, whatever the machine can do). Each worker paces itself at its share of the rate:
the campaign queue's consumers are at most `max_concurrency` at once (chalicelib/jobs/registry.py), so together
they never exceed it. SES's own throttling, should it still happen, is handled by the caller (retried, then the
rest of the chunk deferred).
"""

from __future__ import annotations

import time
from functools import lru_cache

from chalicelib import aws
from chalicelib.settings import get_settings


@lru_cache(maxsize=1)
def _quota_rate() -> float:
    return float(aws.client("ses").get_send_quota()["MaxSendRate"])


def per_second() -> float:
    """The account's sends per second (the setting if given, else SES's quota)."""
    configured = get_settings().send_rate
    return float(configured) if configured else _quota_rate()


class Pacer:
    """At most `rate` calls per second from this worker: `wait` sleeps until the next call is due."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 1.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def pacer(workers: int) -> Pacer:
    """This worker's share of the account's rate."""
    return Pacer(per_second() / max(workers, 1))
