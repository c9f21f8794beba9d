#!/usr/bin/env bash
# Opt-in (not part of `make test`): build the real deploy artefacts and lint the template.
#
#   infra/package.sh [STAGE] [OUT_DIR]        defaults: dev, out/
#
# Writes OUT_DIR/deployment.zip (app + requirements.txt, built for Lambda: pip downloads
# manylinux wheels from PyPI; then infra/slim.py drops what no function reads) and OUT_DIR/sam.json (Chalice's template deep-merged with
# infra/resources.json), then runs cfn-lint on it. See infra/README.md for the deploy itself.
set -euo pipefail
cd "$(dirname "$0")/.."

stage="${1:-dev}"
out="${2:-out}"
bin=".venv/bin"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-west-3}"

"$bin/python" -m infra.requirements --check
# Chalice packages app.py, chalicelib/ and vendor/ only; vendor/ lands beside app.py in Lambda, where
# chalicelib/messaging/templates.py looks for templates/.
"$bin/python" -m infra.vendor
start=$SECONDS
"$bin/chalice" package --stage "$stage" --merge-template infra/resources.json "$out"
echo "chalice package: $((SECONDS - start)) s"
"$bin/python" -m infra.monitoring "$out/sam.json"
"$bin/python" -m infra.slim "$out/deployment.zip"
"$bin/cfn-lint" --regions "$AWS_DEFAULT_REGION" -- "$out/sam.json"
echo "cfn-lint: ok"
echo "built $out/deployment.zip ($(du -h "$out/deployment.zip" | cut -f1)) and $out/sam.json"
if [ "$stage" != "dev" ]; then
  echo "note: deploy with --parameter-overrides StagePrefix=agora-$stage- (the template defaults to agora-dev-)"
fi
