"""Agora never runs as `local` by accident: `local` verifies tokens itself, signs links with a public key and serves
the outbox of sent messages, so a function whose environment lost AGORA_STAGE must refuse to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.settings import Settings, get_settings, reset_settings

ROOT = Path(__file__).resolve().parents[2]


def import_app(stage: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "AGORA_STAGE"}
    if stage is not None:
        env["AGORA_STAGE"] = stage
    code = "import app; from chalicelib.api.routes import all_routes; print(sorted({r.path for r in all_routes()})[:3])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("stage", [None, "", "staging", "Local"])
def test_the_app_refuses_to_start_without_an_explicit_stage(stage: str | None) -> None:
    result = import_app(stage)
    assert result.returncode != 0
    assert "AGORA_STAGE must be set to local, dev or prod" in result.stderr


@pytest.mark.parametrize("stage", ["local", "dev", "prod"])
def test_each_stage_starts(stage: str) -> None:
    result = import_app(stage)
    assert result.returncode == 0, result.stderr


def test_settings_say_which_variable_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGORA_STAGE")
    reset_settings()
    try:
        with pytest.raises(RuntimeError, match="AGORA_STAGE"):
            get_settings()
    finally:
        monkeypatch.undo()
        reset_settings()
    assert Settings.load().stage == "local"  # the tests' own stage (tests/conftest.py)
