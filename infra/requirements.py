"""Generate requirements.txt from pyproject.toml's [project].dependencies.

`chalice package` vendors only what requirements.txt lists (it never reads pyproject.toml),
so requirements.txt is generated from pyproject and checked in; tests/unit/test_packaging.py
fails when the two drift.

    python -m infra.requirements            # write requirements.txt
    python -m infra.requirements --stdout   # print it
    python -m infra.requirements --check    # exit 1 if requirements.txt is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements.txt"

# Left out of the Lambda package, with the reason.
EXCLUDED = {
    # Chalice copies its runtime module (chalice/app.py) into the package itself and drops a
    # vendored `chalice` directory; listing it would only vendor its CLI's dependencies
    # (click, pip, setuptools, pyyaml, inquirer...).
    "chalice": "packaged by Chalice itself",
}

HEADER = (
    "# Generated from pyproject.toml [project].dependencies by `python -m infra.requirements`; do not edit.\n"
    "# Read by `chalice package` to build the Lambda package.\n"
)


def project_name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement ("pyjwt[crypto]==2.1" -> "pyjwt")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def render(pyproject: Path = PYPROJECT) -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    deps = data["project"]["dependencies"]
    lines = [d.strip() for d in deps if project_name(d) not in EXCLUDED]
    return HEADER + "".join(f"{line}\n" for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print instead of writing requirements.txt")
    mode.add_argument("--check", action="store_true", help="exit 1 if requirements.txt is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        current = REQUIREMENTS.read_text(encoding="utf-8") if REQUIREMENTS.exists() else ""
        if current != text:
            print("requirements.txt is out of date: run `python -m infra.requirements`", file=sys.stderr)
            return 1
        return 0
    REQUIREMENTS.write_text(text, encoding="utf-8")
    print(f"wrote {REQUIREMENTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
