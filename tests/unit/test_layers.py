"""The layers keep their promises: read from the source (AST), so that a forbidden import fails here, in review,
rather than as a coupling discovered months later.

- Services reach AWS only through `store/` (DynamoDB, S3, Cognito) and `messaging/` (SES, SNS, SQS): they never
  import PynamoDB, boto3, botocore or `chalicelib.aws`, nor touch a PynamoDB model (`…Item`) of the store.
- Services never import `schemas/`: they take domain values and entities and return them; the HTTP contract
  (parsing bodies, building responses) lives in `schemas/` and the routes.
- `schemas/` may import from the store only its entity types (`store/entities.py`).
- Routes and jobs never touch the store: they call services.
- The domain is pure: it imports only the domain and the standard library.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"

AWS_MODULES = ("pynamodb", "boto3", "botocore", "chalicelib.aws")
# parsing, validation, distances, reading a workbook from bytes; no I/O
PURE_LIBRARIES = {"phonenumbers", "email_validator", "holidays", "rapidfuzz", "openpyxl", "icalendar"}
STORE_MODEL = re.compile(r"^_?[A-Z]\w*(Item|Guard)$")  # PynamoDB models of the store: InvitationItem, InvitationGuard


def _modules(layer: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / layer).rglob("*.py") if p.name != "__init__.py")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import of the file, at any depth (a lazy import inside a function counts)."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [alias.name for alias in node.names]
            found.append((node.module, names))
            # `from chalicelib import aws` imports the module chalicelib.aws
            found.extend((f"{node.module}.{name}", []) for name in names)
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


SERVICES = _modules("services")


@pytest.mark.parametrize("path", SERVICES, ids=_ids(SERVICES))
def test_services_reach_aws_only_through_store_and_messaging(path: Path) -> None:
    offending = sorted({m for m, _ in _imports(path) if _within(m, AWS_MODULES)})
    assert offending == [], f"{path.name} imports {offending}: go through store/ or messaging/"


@pytest.mark.parametrize("path", SERVICES, ids=_ids(SERVICES))
def test_services_never_touch_a_pynamodb_model(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    touched = sorted(
        {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and STORE_MODEL.match(node.attr)}
        | {
            name
            for module, names in _imports(path)
            if module.startswith("chalicelib.store")
            for name in names
            if STORE_MODEL.match(name)
        }
    )
    assert touched == [], f"{path.name} uses the store's PynamoDB models {touched}: use entities"


@pytest.mark.parametrize("path", SERVICES, ids=_ids(SERVICES))
def test_services_never_import_the_http_contract(path: Path) -> None:
    offending = sorted({m for m, _ in _imports(path) if _within(m, ("chalicelib.schemas",))})
    assert offending == [], f"{path.name} imports {offending}: parse in the route, build responses in schemas/"


SCHEMAS = _modules("schemas")


@pytest.mark.parametrize("path", SCHEMAS, ids=_ids(SCHEMAS))
def test_schemas_import_only_the_entities_of_the_store(path: Path) -> None:
    offending = sorted(
        {
            m
            for m, _ in _imports(path)
            if (_within(m, ("chalicelib.store",)) and not _within(m, ("chalicelib.store.entities",)))
            or _within(m, (*AWS_MODULES, "chalicelib.services"))
        }
        - {"chalicelib.store.entities"}
    )
    # `from chalicelib.store import entities` is the entity module itself
    offending = [m for m in offending if m != "chalicelib.store"]
    assert offending == [], f"{path.name} imports {offending}"


EDGES = _modules("api") + _modules("jobs")


@pytest.mark.parametrize("path", EDGES, ids=_ids(EDGES))
def test_routes_and_jobs_call_services_not_the_store(path: Path) -> None:
    offending = sorted(
        {
            m
            for m, names in _imports(path)
            if (_within(m, ("chalicelib.store",)) and m != "chalicelib.store.entities" and "entities" not in names)
            or _within(m, AWS_MODULES)
        }
    )
    offending = [m for m in offending if m != "chalicelib.store.entities"]
    assert offending == [], f"{path.name} imports {offending}"


DOMAIN = _modules("domain")


@pytest.mark.parametrize("path", DOMAIN, ids=_ids(DOMAIN))
def test_the_domain_is_pure(path: Path) -> None:
    stdlib = sys.stdlib_module_names
    offending = sorted(
        {
            m
            for m, _ in _imports(path)
            if not _within(m, ("chalicelib.domain",))
            and m.split(".")[0] not in stdlib
            and m.split(".")[0] not in PURE_LIBRARIES
            and m not in ("__future__",)
            and not (m.startswith("chalicelib.domain") or m == "chalicelib")
        }
    )
    assert offending == [], f"{path.name} imports {offending}: the domain imports only the domain"


def test_the_guard_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The scanner itself: a lazy boto3 import and a store model are both found."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import boto3\n    from chalicelib.store.events import EventItem\n")
    modules = [m for m, _ in _imports(sample)]
    assert "boto3" in modules
    assert any(STORE_MODEL.match(n) for _, names in _imports(sample) for n in names)
