"""Trim the Lambda package `chalice package` built: what no deployed function can read leaves the zip.

Every cold start of every function downloads and unpacks the whole package, so nothing goes in that the functions
never read:
- botocore's and boto3's models of the AWS services Agora does not call (botocore ships some 400 of them, 20 MB
  of the package); the services kept are listed in SERVICES, and tests/unit/test_packaging.py fails when the code
  builds a client for a service that is not;
- the sources and stubs that only a compiler or a type checker reads (`.c`, `.pyx`, `.pxd`, `.pyi`): the compiled
  modules built from them stay;
- the test suites some libraries ship inside their package (icalendar's: 1.0 MB of its 1.9 MB);
- rapidfuzz's AVX2 builds (4.9 MB): each module has a generic build beside it, which rapidfuzz imports when the AVX2
  one is missing (`contextlib.suppress(ImportError)` in rapidfuzz/fuzz.py and its siblings), with the same results;
- Pillow's AVIF codec (7.7 MB): Agora reads no AVIF image (PNG QR codes, the fonts of its PDFs), and Pillow
  disables the format when `PIL._avif` is missing (PIL/AvifImagePlugin.py).

    python -m infra.slim out/deployment.zip     # rewrites the zip in place and prints what it removed
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

# The AWS services the deployed code calls: chalicelib/aws.py's clients, PynamoDB (dynamodb), and STS, which
# botocore's credential chain may call (assume-role, web identity).
SERVICES = frozenset({"cognito-idp", "dynamodb", "s3", "ses", "sns", "sqs", "sts"})
DEAD_SUFFIXES = (".c", ".pyx", ".pxd", ".pyi")
DEAD_FOLDERS = ("icalendar/tests/",)
_DEAD_FILES = re.compile(
    r"^(rapidfuzz/(.+/)?[a-z_]+_cpp_avx2\.cpython-[^/]+\.so"
    r"|PIL/_avif\.cpython-[^/]+\.so|pillow\.libs/libavif-[^/]+)$"
)
_SERVICE_MODEL = re.compile(r"^(botocore|boto3)/data/([^/]+)/")


@dataclass(frozen=True)
class Trimmed:
    kept: int
    removed: int
    removed_bytes: int


def removable(name: str) -> bool:
    """True for an entry no deployed function reads."""
    match = _SERVICE_MODEL.match(name)
    if match and match.group(2) not in SERVICES:
        return True
    return name.endswith(DEAD_SUFFIXES) or name.startswith(DEAD_FOLDERS) or _DEAD_FILES.match(name) is not None


def slim(path: Path) -> Trimmed:
    """Rewrite the zip without its removable entries (same compression, entries' metadata kept)."""
    partial = path.with_suffix(".slim.zip")
    kept = removed = removed_bytes = 0
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if removable(info.filename):
                removed += 1
                removed_bytes += info.file_size
                continue
            target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
            kept += 1
    os.replace(partial, path)
    return Trimmed(kept, removed, removed_bytes)


if __name__ == "__main__":
    zip_path = Path(sys.argv[1] if len(sys.argv) > 1 else "out/deployment.zip")
    result = slim(zip_path)
    print(
        f"slimmed {zip_path}: {result.removed} files ({result.removed_bytes / 1e6:.1f} MB) removed, {result.kept} kept"
    )
