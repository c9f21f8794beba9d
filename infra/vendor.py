"""Copy templates/ into vendor/templates/ before `chalice package` (infra/package.sh).

Chalice packages app.py, chalicelib/ and the contents of vendor/, which land beside app.py in Lambda; the app
looks for templates/ beside chalicelib/ (chalicelib/messaging/templates.py), so one path serves the repository
and the package.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def vendor_templates(project: Path = ROOT) -> Path:
    target = project / "vendor" / "templates"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(project / "templates", target)
    return target


if __name__ == "__main__":
    print(f"copied templates to {vendor_templates()}")
    sys.exit(0)
