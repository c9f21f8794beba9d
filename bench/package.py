"""The Lambda package's weight, built exactly as `infra/package.sh prod` builds it.

Every cold start of every function downloads the zip and unpacks it: a dependency that bloats it shows here, in
the next run, with the ten largest top-level folders. Prints the unpacked and zipped sizes against the budgets
(80 MB unpacked, 25 MB zipped; AWS's own limit is 250 MB unpacked) as ratios measured in this run.

    python -m bench.package [--keep DIR]     # --small is accepted (the package has one size)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.report import BenchFailure, heading, options, ratio, run_bench, seconds, share, stopwatch
from bench.run import PROJECT

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
    subprocess.run(["bash", "infra/package.sh", stage, str(out)], cwd=PROJECT, check=True, capture_output=True)
    return out / "deployment.zip"


def report(size: PackageSize, built_in: float) -> None:
    mb = 1e6
    heading(f"Lambda package (prod), built in {seconds(built_in)}")
    print(f"  unpacked  {size.unpacked / mb:6.1f} MB   {ratio(size.unpacked, UNPACKED_BUDGET)} of the 80 MB budget")
    print(f"  zipped    {size.zipped / mb:6.1f} MB   {ratio(size.zipped, ZIPPED_BUDGET)} of the 25 MB budget")
    print(f"  AWS limit {ratio(size.unpacked, LAMBDA_LIMIT)} of 250 MB unpacked")
    print("  largest top-level folders (unpacked):")
    for name, weight in size.folders[:10]:
        print(f"    {weight / mb:6.2f} MB  {share(weight, size.unpacked):>6}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.package", __doc__, "accepted for `make bench`; the package has one size")
    parser.add_argument("--keep", type=Path, help="build into this directory and keep it")
    args = parser.parse_args(argv)
    return run_bench(lambda: measure_build(args.keep))


def measure_build(keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="agora-package-") as scratch:
        with stopwatch() as building:
            try:
                zip_path = build(keep or Path(scratch))
            except subprocess.CalledProcessError as exc:
                tail = "\n".join((exc.stdout + exc.stderr).decode(errors="replace").strip().splitlines()[-15:])
                raise BenchFailure(f"infra/package.sh exited with {exc.returncode}:\n{tail}") from exc
        report(measure(zip_path), building.seconds)


if __name__ == "__main__":
    sys.exit(main())
