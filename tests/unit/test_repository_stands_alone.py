"""The repository stands alone: comments and docs cite the rule and its public source, never a tracker issue number
nor a file outside the repository (a design note or research notes kept next to it), which a reader of this
repository cannot open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (
    "chalicelib",
    "app.py",
    "infra",
    "bench",
    "tests",
    "templates",
    "docs",
    "README.md",
    "Makefile",
    "pyproject.toml",
)
TEXT_SUFFIXES = {".py", ".md", ".json", ".j2", ".html", ".txt", ".sh", ".toml", ".cfg", ".yml", ".yaml", ""}
SKIPPED_DIRS = {".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis", "vendor"}
THIS_FILE = Path(__file__).resolve()

FORBIDDEN = {
    # « issue #4 », « issue 4 », « issue4-… » (an id): the tracker's numbering means nothing here.
    "tracker-issue-numbers": re.compile(r"issue ?#\d|\bissue \d|\bissue\d", re.IGNORECASE),
    # The design note and research notes that lived beside the repository, by name or by path.
    "files-outside-the-repository": re.compile(
        r"legal-fr\.md|anchors\.md|style\.md|DESIGN\.md|\.\./shared|shared/reference|\blegal-fr\b", re.IGNORECASE
    ),
}


def _files() -> Iterator[Path]:
    for name in SCANNED:
        top = ROOT / name
        candidates = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in candidates:
            if not path.is_file() or path.resolve() == THIS_FILE or path.suffix not in TEXT_SUFFIXES:
                continue
            if SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
                continue
            yield path


def test_the_scan_sees_the_sources() -> None:
    scanned = {p.relative_to(ROOT).as_posix() for p in _files()}
    assert {"app.py", "README.md", "chalicelib/domain/protocol/precedence.py", "infra/README.md"} <= scanned
    assert any(p.startswith("templates/") for p in scanned)


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_no_citation_the_repository_cannot_resolve(kind: str) -> None:
    pattern = FORBIDDEN[kind]
    places = []
    for path in _files():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, start=1):
            if found := pattern.search(line):
                places.append(f"{path.relative_to(ROOT).as_posix()}:{number}: {found.group(0)!r}: {line.strip()[:100]}")
    assert not places, "cite the rule and its public source instead:\n" + "\n".join(places)
