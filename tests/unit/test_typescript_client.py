"""The frontend's typed client (infra/typescript_client.py): generated from the document, committed, and checked
by `make test`; these tests show that the check would see a change of contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from infra import typescript_client as ts


@pytest.fixture(scope="module")
def committed_document() -> dict[str, object]:
    ts.install()
    return dict(json.loads(ts.DOCUMENT.read_text()))


def test_a_changed_document_shows_as_a_diff_of_the_committed_files() -> None:
    document = ts.DOCUMENT.read_text()
    assert ts.differences(ts.DOCUMENT, document) == []
    changed = document.replace('"next_cursor"', '"next_page"', 1)
    diff = "".join(ts.differences(ts.DOCUMENT, changed))
    assert '-          "next_cursor": {' in diff and '+          "next_page": {' in diff


def test_the_committed_types_are_what_the_committed_document_generates(
    committed_document: dict[str, object], tmp_path: Path
) -> None:
    types = ts.generate_types(ts.DOCUMENT.read_text(), tmp_path)
    assert ts.differences(ts.TYPES, types) == []
    assert '"/contacts": {' in types and "CampaignReport: {" in types


def test_a_field_the_frontend_reads_and_the_document_drops_fails_the_type_check(
    committed_document: dict[str, object], tmp_path: Path
) -> None:
    """The examples read a page's next_cursor: a document without it no longer type-checks."""
    project = tmp_path / "client"
    (project / "src").mkdir(parents=True)
    for name in ("package.json", "tsconfig.json"):
        shutil.copy(ts.CLIENT / name, project / name)
    for name in ("index.ts", "examples.ts"):
        shutil.copy(ts.CLIENT / "src" / name, project / "src" / name)
    (project / "node_modules").symlink_to(ts.CLIENT / "node_modules")
    schemas = committed_document["components"]["schemas"]  # type: ignore[index]
    page = schemas["Page_Contact"]
    page["properties"].pop("next_cursor")
    page["required"] = [r for r in page["required"] if r != "next_cursor"]
    (project / "src" / "schema.d.ts").write_text(ts.generate_types(json.dumps(committed_document), tmp_path))
    with pytest.raises(ts.ClientCheckFailed, match=r"examples\.ts.*next_cursor"):
        ts.type_check(project)
    (project / "src" / "schema.d.ts").write_text(ts.TYPES.read_text())
    ts.type_check(project)  # the committed types pass, in the same copy
