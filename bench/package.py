"""The Lambda package's weight, built exactly as `infra/package.sh prod` builds it.

Every cold start of every function downloads the zip and unpacks it: a dependency that bloats it shows here, in
the next run, with the ten largest top-level folders. Prints the unpacked and zipped sizes against the budgets
(80 MB unpacked, 25 MB zipped; AWS's own limit is 250 MB unpacked) as ratios measured in this run.

    python -m bench.package [--keep DIR]     # --small is accepted (the package has one size)
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNPACKED_BUDGET = 80_000_000
ZIPPED_BUDGET = 25_000_000
LAMBDA_LIMIT = 250_000_000  # unpacked, every layer included


@dataclass(frozen=True)
class PackageSize:
    unpacked: int
    zipped: int
    folders: list[tuple[str, int]]  # top-level folder (or file) → unpacked bytes, largest first


def measure(zip_path: Path) -> PackageSize:
    with zipfile.ZipFile(zip_path) as zipped:
        entries = zipped.infolist()
    folders: Counter[str] = Counter()
    for entry in entries:
        folders[entry.filename.split("/", 1)[0]] += entry.file_size
    return PackageSize(sum(e.file_size for e in entries), zip_path.stat().st_size, folders.most_common())


def build(out: Path, stage: str = "prod") -> Path:
    """`infra/package.sh STAGE OUT`: requirements check, templates vendored, `chalice package`, slimming, cfn-lint."""
    subprocess.run(["bash", "infra/package.sh", stage, str(out)], cwd=ROOT, check=True, capture_output=True)
    return out / "deployment.zip"


def report(size: PackageSize, seconds: float) -> None:
    mb = 1e6
    print(f"Lambda package (prod), built in {seconds:.0f} s")
    print(f"  unpacked  {size.unpacked / mb:6.1f} MB   {size.unpacked / UNPACKED_BUDGET:5.2f} of the 80 MB budget")
    print(f"  zipped    {size.zipped / mb:6.1f} MB   {size.zipped / ZIPPED_BUDGET:5.2f} of the 25 MB budget")
    print(f"  AWS limit {size.unpacked / LAMBDA_LIMIT:5.2f} of 250 MB unpacked")
    print("  largest top-level folders (unpacked):")
    for name, weight in size.folders[:10]:
        print(f"    {weight / mb:6.2f} MB  {weight / size.unpacked:5.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="accepted for `make bench`; the package has one size")
    parser.add_argument("--keep", type=Path, help="build into this directory and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agora-package-") as scratch:
        out = args.keep or Path(scratch)
        started = time.monotonic()
        zip_path = build(out)
        report(measure(zip_path), time.monotonic() - started)


if __name__ == "__main__":
    main()
