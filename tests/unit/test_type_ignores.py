"""Every `# type: ignore` the type checker is told to accept names its error code and says why, on its line: mypy
(strict, `warn_unused_ignores`) proves each one is still needed, and this test that a reader can tell why."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore")
JUSTIFIED = re.compile(r"# type: ignore\[[a-z-]+(, [a-z-]+)*\]  # \S")


def _unjustified(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if IGNORE.search(line) and not JUSTIFIED.search(line)]


def test_each_ignore_in_the_application_names_its_code_and_its_reason() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted([*(ROOT / "chalicelib").rglob("*.py"), ROOT / "app.py"])
        for n in _unjustified(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_the_check_refuses_a_bare_or_unexplained_ignore() -> None:
    assert _unjustified("x = f()  # type: ignore\n") == [1]
    assert _unjustified("x = f()  # type: ignore[arg-type]\n") == [1]
    assert _unjustified("x = f()  # type: ignore[arg-type]  # the stub is wrong\n") == []
