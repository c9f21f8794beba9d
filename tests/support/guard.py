"""A fence around tests of hostile templates: if a bound regresses, the test fails fast instead of hanging the run
or swapping the machine.

The address space may grow by `extra_bytes` at most (a huge allocation raises MemoryError) and the process exits
after `seconds` (faulthandler's watchdog thread fires even inside one long C call, such as ``10 ** 10 ** 10``,
where no signal handler would run). Linux only, like the rest of the stack; elsewhere the memory fence is skipped.
"""

from __future__ import annotations

import faulthandler
import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


@contextmanager
def fenced(seconds: float = 20.0, extra_bytes: int = 1 << 30) -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _address_space()
    if used is not None:
        cap = used + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
