"""End-to-end support: the real local stack (`python -m infra.local_stack`, as `make run` starts it).

`start_stack(directory)` starts one on a free PORT with its state file in `directory` and yields
(state, process, state_file) once the state file exists (the API answers /health by then); on exit
it stops the stack as Ctrl-C would (SIGINT, so chalice local and moto stop too), killing it only if
it does not stop in time. The `stack` fixture gives each test module its own stack (~20 s to start).

`token(state, tenant, role)` logs a demo user of that tenant in through Cognito and returns the ID token.
The browser fixtures (`chromium`, `page`) are imported here once: defined in two modules, the session-scoped
browser would be launched twice, and Playwright's sync API refuses a second one inside the first's event loop.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from infra.login import id_token
from tests.support.browser import chromium, page  # noqa: F401  (one session-wide browser for every e2e module)

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180  # seconds
STOP_TIMEOUT = 30
LOCAL_LINK_KEY = b"agora-local-stage-only"  # the local stage's public link key (chalicelib/settings.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def start_stack(directory: Path) -> Iterator[tuple[dict[str, Any], subprocess.Popen[bytes], Path]]:
    """A local stack on a free PORT, its state file and log (stack.log) in `directory`."""
    state_file = directory / "state.json"
    log_path = directory / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AGORA_"))}
    # The schedules (reminders, daily electoral check) every 15 s rather than every minute, so tests wait less.
    env.update(
        PORT=str(free_port()),
        AGORA_STATE_FILE=str(state_file),
        AGORA_LOCAL_SCHEDULE_SECONDS="15",
        PYTHONUNBUFFERED="1",
    )
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local_stack"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not state_file.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("local stack did not start:\n" + log_path.read_text())
                time.sleep(0.5)
            state = json.loads(state_file.read_text(encoding="utf-8"))
            yield state, process, state_file
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """As Ctrl-C: local_stack then stops chalice local (its child) and moto; a kill would leave chalice running."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[dict[str, Any], subprocess.Popen[bytes], Path]]:
    """One local stack per test module: (state, process, state_file)."""
    with start_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


def token(state: dict[str, Any], tenant: str, role: str = "admin") -> str:
    user = next(u for t in state["tenants"] if t["id"] == tenant for u in t["users"] if role in u["roles"])
    return id_token(state, user["email"], user["password"])
