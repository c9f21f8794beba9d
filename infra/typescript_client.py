"""The frontend's typed client (clients/typescript): the OpenAPI document as the prod stage serves it, the TypeScript
types openapi-typescript generates from it, and a type check of the client and its usage examples.

Both files are committed, so that a change of the HTTP contract shows in a diff of the change that made it; `make
test` regenerates them in a temporary folder and fails, with the diff, when the committed ones differ.

    python -m infra.typescript_client           # write clients/typescript/openapi.json and src/schema.d.ts, check
    python -m infra.typescript_client --check   # regenerate aside, compare, type-check (make test)

Node and npm come from the machine (Debian's `nodejs` and `npm`, which `make test` installs when missing); the npm
packages from clients/typescript/package-lock.json (`npm ci`), pinned like the Python ones.
"""

from __future__ import annotations

import argparse
import difflib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from infra.prod_stage import PROD_STAGE

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "clients" / "typescript"
DOCUMENT = CLIENT / "openapi.json"
TYPES = CLIENT / "src" / "schema.d.ts"

# A field with a default is optional in the types: a request may leave it out, and an answer is read without
# assuming what the document does not require.
GENERATOR_OPTIONS = ("--default-non-nullable=false",)
_EXPORT = "import json, app; from chalicelib.api.openapi import document; print(json.dumps(document(), indent=2))"


class ClientCheckFailed(Exception):
    """The committed client differs from what the document generates, or does not type-check."""


def export_document() -> str:
    """The document of the prod stage's routes (without the local stack's /dev routes and Swagger UI, which the
    hosted frontend never calls), from a fresh interpreter (this one's environment may be another stage's), as
    committed: indented, one trailing newline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGORA_", "POWERTOOLS_", "AWS_"))}
    env.update(PROD_STAGE)
    result = _run([sys.executable, "-c", _EXPORT], cwd=ROOT, env=env, what="exporting the OpenAPI document")
    json.loads(result)  # a document, not a traceback's tail
    return result.rstrip("\n") + "\n"


def generate_types(document: str, folder: Path) -> str:
    """openapi-typescript's output for `document` (written in `folder`)."""
    source, target = folder / "openapi.json", folder / "schema.d.ts"
    source.write_text(document)
    _run(
        [_bin("openapi-typescript"), str(source), *GENERATOR_OPTIONS, "--output", str(target)],
        cwd=CLIENT,
        what="openapi-typescript",
    )
    return target.read_text()


def type_check(project: Path = CLIENT) -> None:
    """tsc over the client and its usage examples: a route or a field the examples use and the document lost
    fails here."""
    _run([_bin("tsc"), "--noEmit", "--project", str(project)], cwd=project, what="tsc")


def install() -> None:
    """The pinned npm packages, unless node_modules already holds exactly the lock's; one process at a time (test
    workers may ask together)."""
    lock, installed = CLIENT / "package-lock.json", CLIENT / "node_modules" / ".package-lock.json"
    with open(CLIENT / ".install.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if installed.exists() and _packages(installed) == _packages(lock):
            return
        if shutil.which("npm") is None:
            raise ClientCheckFailed("npm is missing: install Debian's nodejs and npm (make test does)")
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENT, what="npm ci")


def differences(committed: Path, generated: str) -> list[str]:
    """A unified diff of the committed file against the generated text (empty when they agree)."""
    current = committed.read_text() if committed.exists() else ""
    name = str(committed.relative_to(ROOT))
    return list(
        difflib.unified_diff(
            current.splitlines(keepends=True), generated.splitlines(keepends=True), f"{name} (committed)", name
        )
    )


def check() -> None:
    install()
    document = export_document()
    with tempfile.TemporaryDirectory() as folder:
        types = generate_types(document, Path(folder))
    diff = differences(DOCUMENT, document) + differences(TYPES, types)
    if diff:
        shown = "".join(diff[:200]) + ("…\n" if len(diff) > 200 else "")
        raise ClientCheckFailed(
            f"{shown}The HTTP contract changed: run `python -m infra.typescript_client` and commit "
            "clients/typescript (the frontend sees the change in that diff)."
        )
    type_check()


def write() -> None:
    install()
    document = export_document()
    DOCUMENT.write_text(document)
    with tempfile.TemporaryDirectory() as folder:
        TYPES.write_text(generate_types(document, Path(folder)))
    type_check()


def _packages(lock: Path) -> Any:
    packages = json.loads(lock.read_text()).get("packages", {})
    return {name: entry.get("version") for name, entry in packages.items() if name}


def _bin(name: str) -> str:
    return str(CLIENT / "node_modules" / ".bin" / name)


def _run(command: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> str:
    try:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    except FileNotFoundError as exc:
        raise ClientCheckFailed(f"{what}: {exc.filename} not found (npm ci installs it)") from None
    if result.returncode != 0:
        raise ClientCheckFailed(f"{what} failed:\n{(result.stdout + result.stderr).strip()[-4000:]}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = parser.parse_args()
    try:
        check() if args.check else write()
    except ClientCheckFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print("clients/typescript: the types agree with the OpenAPI document and type-check.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
