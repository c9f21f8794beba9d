"""The local stack's contract file (infra/local_stack.py): its existence says the stack is ready, so it appears
whole. Read half written, it broke an end-to-end test when two stacks started at once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from infra import local_stack


def test_the_state_file_appears_whole_by_a_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "run" / "state.json"
    seen_at_rename: list[bool] = []
    rename = os.replace

    def watched(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        seen_at_rename.append(Path(destination).exists())  # the target did not exist, half written, before
        rename(source, destination)

    monkeypatch.setattr(local_stack.os, "replace", watched)
    local_stack.publish_state(target, {"api_url": "http://127.0.0.1:8000", "tenants": [{"slug": "ville-démo"}]})
    assert seen_at_rename == [False]
    assert json.loads(target.read_text(encoding="utf-8"))["tenants"] == [{"slug": "ville-démo"}]
    assert sorted(p.name for p in target.parent.iterdir()) == ["state.json"]  # no partial file left
