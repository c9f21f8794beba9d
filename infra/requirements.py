"""The lock files: requirements.lock (everything `make install` installs) and requirements.txt (the Lambda package).

pyproject.toml says what Agora needs; the locks say exactly which versions, transitively, so that a clean clone, CI
and the Lambda package run what was tested:

- requirements.lock: pyproject's dependencies with the `dev` extra, resolved by uv for every platform (`--universal`:
  a newcomer's macOS as well as CI's Linux). `make install` installs it, then the project itself without resolving.
- requirements.txt: what `chalice package` vendors (it never reads pyproject.toml): the Lambda's dependencies
  (pyproject's `dependencies` but chalice, which Chalice packages itself), resolved for Lambda's platform
  (manylinux x86_64, Python 3.11) with requirements.lock as constraints, so every version is the tested one.

    python -m infra.requirements            # resolve both again (uv, needs the package index); keeps existing pins
    python -m infra.requirements --check    # offline: both agree with pyproject.toml and with each other

uv reuses a lock's pins when it resolves again (`-o` an existing file), so regenerating after editing pyproject.toml
changes only what the edit requires. `--upgrade` moves everything to the newest versions allowed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
PYTHON = "3.11"  # the Lambda runtime (.chalice/config.json)
# Lambda's python3.11 runs on Amazon Linux 2 (glibc 2.26; python3.12 and later on Amazon Linux 2023), x86_64
# (Architectures in the template). A compiled wheel must be manylinux_2_26 or older; uv's nearest target below it is
# manylinux_2_17. chalice package compiles, on the build machine, whatever has no such wheel: `foreign_builds` finds
# those in a built package (tests/e2e/test_lambda_package.py).
LAMBDA_PLATFORM = "x86_64-manylinux_2_17"
LAMBDA_GLIBC = (2, 26)

# Left out of the Lambda package, with the reason.
EXCLUDED = {
    # Chalice copies its runtime module (chalice/app.py) into the package itself and drops a
    # vendored `chalice` directory; listing it would only vendor its CLI's dependencies
    # (click, pip, setuptools, pyyaml, inquirer...).
    "chalice": "packaged by Chalice itself",
}


def project_name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement ("pyjwt[crypto]==2.1" -> "pyjwt")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _pyproject() -> dict[str, list[str]]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return {"": list(data["dependencies"]), **data.get("optional-dependencies", {})}


def lambda_requirements() -> list[str]:
    """pyproject's dependencies that the Lambda package carries."""
    return [d.strip() for d in _pyproject()[""] if project_name(d) not in EXCLUDED]


def pins(path: Path) -> dict[str, str]:
    """name → version of a lock file's `name==version` lines (markers aside; a name pinned twice under different
    markers keeps its first version, and the check below compares every line)."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        found.setdefault(project_name(requirement.name), spec.version)
    return found


def _loose_lines() -> list[str]:
    out = []
    for path in (LOCK, REQUIREMENTS):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not re.match(r"^[A-Za-z0-9._\[\],-]+==[^\s;]+(\s*;.*)?$", line):
                out.append(f"{path.name}: not an exact pin: {line}")
    return out


def _unlocked(locked: dict[str, str]) -> list[str]:
    """pyproject's dependencies (every extra) the lock lacks or pins outside their specifier."""
    out = []
    for extra, deps in _pyproject().items():
        for dep in deps:
            requirement = Requirement(dep)
            name = project_name(requirement.name)
            version = locked.get(name)
            if name == "agora":
                continue  # the dev extra names the project's own local extra
            if version is None:
                out.append(f"requirements.lock lacks {name} ({extra or 'dependencies'})")
            elif not requirement.specifier.contains(version, prereleases=True):
                out.append(f"requirements.lock pins {name}=={version}, pyproject.toml asks {requirement.specifier}")
    return out


def problems() -> list[str]:
    """What makes the locks disagree with pyproject.toml or with each other (empty: they agree)."""
    missing = [f"{path.name} is missing" for path in (LOCK, REQUIREMENTS) if not path.exists()]
    if missing:
        return missing
    locked, packaged = pins(LOCK), pins(REQUIREMENTS)
    out = _loose_lines() + _unlocked(locked)
    wanted = [project_name(d) for d in lambda_requirements()]
    out += [f"requirements.txt lacks {name}" for name in wanted if name not in packaged]
    out += [f"requirements.txt carries {name}, which must stay out" for name in EXCLUDED if name in packaged]
    out += [
        f"requirements.txt pins {name}=={version}, requirements.lock {locked.get(name)}"
        for name, version in packaged.items()
        if locked.get(name) != version
    ]
    return out


def foreign_builds(unpacked: Path) -> list[str]:
    """The distributions of an unpacked Lambda package whose wheel does not run on Lambda's glibc: built from
    source on this machine (`linux_x86_64`), or manylinux for a newer glibc than LAMBDA_GLIBC."""
    found = []
    for wheel in sorted(unpacked.glob("*.dist-info/WHEEL")):
        tags = [line.split(":", 1)[1].strip() for line in wheel.read_text().splitlines() if line.startswith("Tag:")]
        if tags and not any(_runs_on_lambda(tag.rsplit("-", 1)[-1]) for tag in tags):
            found.append(f"{wheel.parent.name}: {', '.join(tags)}")
    return found


def _runs_on_lambda(platform: str) -> bool:
    if platform == "any":
        return True
    legacy = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12), "manylinux2014_x86_64": (2, 17)}
    if platform in legacy:
        return legacy[platform] <= LAMBDA_GLIBC
    match = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform)
    return match is not None and (int(match.group(1)), int(match.group(2))) <= LAMBDA_GLIBC


def _uv(*args: str) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is not installed: `make install` installs it (pyproject's dev extra)")
    subprocess.run([uv, "pip", "compile", "--quiet", "--no-header", *args], cwd=ROOT, check=True)


def resolve(upgrade: bool = False) -> None:
    more = ["--upgrade"] if upgrade else []
    _uv("pyproject.toml", "--extra", "dev", "--universal", "--python-version", PYTHON, "-o", LOCK.name, *more)
    with tempfile.TemporaryDirectory() as tmp:
        wanted = Path(tmp) / "lambda.in"
        wanted.write_text("".join(f"{d}\n" for d in lambda_requirements()), encoding="utf-8")
        _uv(
            str(wanted),
            "--constraint",
            LOCK.name,
            "--python-version",
            PYTHON,
            "--python-platform",
            LAMBDA_PLATFORM,
            "--no-annotate",
            "-o",
            REQUIREMENTS.name,
        )
    header = "# The Lambda package's dependencies, pinned: generated by `python -m infra.requirements`; do not edit.\n"
    REQUIREMENTS.write_text(header + REQUIREMENTS.read_text(encoding="utf-8"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the locks disagree with pyproject.toml")
    mode.add_argument("--upgrade", action="store_true", help="resolve every version again, newest first")
    args = parser.parse_args(argv)
    if not args.check:
        resolve(upgrade=args.upgrade)
        print(f"wrote {LOCK.name} and {REQUIREMENTS.name}")
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("run `python -m infra.requirements` to resolve the locks again", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
