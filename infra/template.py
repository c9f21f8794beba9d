"""Render the deployable CloudFormation template quickly, without building the Lambda package.

Runs Chalice's own `chalice package` code path (its resource graph, swagger, SAM generator and
--merge-template deep merge of infra/resources.json), with one step replaced: the deployment
package (pip-installing requirements.txt, ~30 s) is a stub zip. The template is the same as
`chalice package --stage STAGE --merge-template infra/resources.json OUT` writes; the zip is
not. Used by tests/unit/test_infra_template.py to lint the merged template with cfn-lint;
infra/package.sh builds the real package.

    python -m infra.template [--stage dev] OUT_DIR      # writes OUT_DIR/sam.json

Run it in a fresh process: Chalice imports app.py with the stage's environment variables,
and the routes' Cognito authorizer is decided at import (chalicelib/api/http.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile
from pathlib import Path
from unittest import mock

from infra import monitoring

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "infra" / "resources.json"


def render(out_dir: Path, stage: str = "dev", merge_template: Path = RESOURCES) -> Path:
    # Imported here: only this command needs Chalice's CLI machinery.
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.packager import LambdaDeploymentPackager

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    out_dir.mkdir(parents=True, exist_ok=True)
    stub = out_dir / "stub-deployment.zip"
    with zipfile.ZipFile(stub, "w") as z:
        z.writestr("app.py", "# stub: infra/template.py renders the template only\n")

    factory = CLIFactory(project_dir=str(ROOT), environ=os.environ)
    config = factory.create_config_obj(stage)
    packager = factory.create_app_packager(
        config, factory.create_package_options(), "cloudformation", "json", str(merge_template)
    )
    with mock.patch.object(LambdaDeploymentPackager, "create_deployment_package", lambda *_, **__: str(stub)):
        packager.package_app(config, str(out_dir), stage)
    stub.unlink()
    sam = out_dir / "sam.json"
    monitoring.main([str(sam)])  # as infra/package.sh does after `chalice package`
    return sam


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default="dev")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    print(render(args.out, args.stage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
