"""Deploy a stage: build the package and template (infra/package.sh), upload them, and create or update the stack.

    make deploy STAGE=prod DEPLOY_BUCKET=my-artefacts DOMAIN=api.ville-exemple.fr \\
        CORS_ORIGINS=https://crm.ville-exemple.fr ALARM_EMAIL=exploitation@operateur.fr \\
        SENDER_ADDRESSES='*@operateur.fr,*@ville-exemple.fr' DEFAULT_SENDER='Agora <ne-pas-repondre@operateur.fr>'

    python -m infra.deploy --stage prod --bucket my-artefacts [--domain …] [--cors …] [--alarm-email …]
        [--sender-addresses …] [--default-sender …] [--inbound-domain … --inbound-region …]
        [--operator-tenants …] [--dry-run] [--skip-build]

The stack is `agora-<stage>`, its resources prefixed `agora-<stage>-`. The Lambda zip goes to the artefacts bucket
under a key of its SHA-256 (a re-deploy of the same code uploads nothing new), the template too, then a change set
is created (CREATE or UPDATE), shown, executed, waited for, and the stack's outputs printed: the API's URL and the
pool the first admin is created in (`python -m infra.tenant --stage <stage> create …`, infra/README.md). Parameters
not given keep the stack's current value on an update (UsePreviousValue), the template's default on a create.
`--dry-run` builds and prints what would be deployed, and calls nothing in AWS. Nothing deploys from CI: CI builds
the package and lints the template (tests/unit/test_infra_template.py, tests/e2e/test_lambda_package.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]  # IAM roles, and the SAM transform
STAGES = ("dev", "prod")


@dataclass(frozen=True)
class Plan:
    stage: str
    bucket: str
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def stack(self) -> str:
        return f"agora-{self.stage}"

    @property
    def prefix(self) -> str:
        return f"agora-{self.stage}-"


OPTIONS = {  # option → template parameter
    "domain": "PublicBaseUrl",
    "cors": "CorsOrigins",
    "alarm_email": "AlarmEmail",
    "sender_addresses": "SenderFromAddresses",
    "default_sender": "DefaultSender",
    "inbound_domain": "InboundDomain",
    "inbound_region": "InboundRegion",
    "operator_tenants": "OperatorTenants",
    "log_retention_days": "LogRetentionDays",
}


def plan_of(args: argparse.Namespace) -> Plan:
    """The parameters to set: the stage's prefix always, the others when given (a domain becomes the links' base)."""
    parameters = {"StagePrefix": f"agora-{args.stage}-"}
    for option, name in OPTIONS.items():
        value = getattr(args, option, None)
        if value:
            parameters[name] = f"https://{value}/api" if option == "domain" and "://" not in value else value
    return Plan(args.stage, args.bucket, parameters)


def parameters_for(plan: Plan, template: dict[str, Any], stack_exists: bool) -> list[dict[str, Any]]:
    """CloudFormation's Parameters: those given, and for the others the stack's previous value on an update. A
    parameter given that the template does not have is refused (a typo would otherwise deploy without it)."""
    unknown = sorted(set(plan.parameters) - set(template.get("Parameters", {})))
    if unknown:
        raise SystemExit(f"the template has no parameter {', '.join(unknown)}: rebuild it (infra/package.sh)")
    out: list[dict[str, Any]] = []
    for name in sorted(template.get("Parameters", {})):
        if name in plan.parameters:
            out.append({"ParameterKey": name, "ParameterValue": plan.parameters[name]})
        elif stack_exists:
            out.append({"ParameterKey": name, "UsePreviousValue": True})
    return out


def with_code_location(template: dict[str, Any], bucket: str, key: str) -> dict[str, Any]:
    """Every function's CodeUri (`./deployment.zip` as Chalice writes it) pointed at the uploaded zip."""
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = {"Bucket": bucket, "Key": key}
    return template


def build(stage: str, out: Path) -> None:
    subprocess.run([str(ROOT / "infra" / "package.sh"), stage, str(out)], cwd=ROOT, check=True)


def deploy(plan: Plan, out: Path, clients: Any, *, dry_run: bool = False) -> dict[str, str]:
    """Upload, change set, execute; the stack's outputs. `clients(name)` gives a boto3 client."""
    zip_path, sam = out / "deployment.zip", out / "sam.json"
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    code_key = f"{plan.stack}/{digest}.zip"
    template = with_code_location(json.loads(sam.read_text(encoding="utf-8")), plan.bucket, code_key)
    body = json.dumps(template)
    template_key = f"{plan.stack}/{hashlib.sha256(body.encode()).hexdigest()}.json"
    if dry_run:
        print(f"[dry run] stack {plan.stack}: s3://{plan.bucket}/{code_key}, s3://{plan.bucket}/{template_key}")
        for p in parameters_for(plan, template, stack_exists=False):
            print(f"[dry run]   {p['ParameterKey']} = {p['ParameterValue']}")
        return {}
    s3, cfn = clients("s3"), clients("cloudformation")
    s3.upload_file(str(zip_path), plan.bucket, code_key)
    s3.put_object(Bucket=plan.bucket, Key=template_key, Body=body.encode())
    region = s3.meta.region_name
    url = f"https://{plan.bucket}.s3.{region}.amazonaws.com/{template_key}"
    exists = _stack_exists(cfn, plan.stack)
    name = f"agora-{digest[:12]}-{template_key.split('/')[-1][:12]}"
    cfn.create_change_set(
        StackName=plan.stack,
        ChangeSetName=name,
        ChangeSetType="UPDATE" if exists else "CREATE",
        TemplateURL=url,
        Parameters=parameters_for(plan, template, exists),
        Capabilities=CAPABILITIES,
        Tags=[{"Key": "app", "Value": "agora"}, {"Key": "stage", "Value": plan.stage}],
    )
    try:
        cfn.get_waiter("change_set_create_complete").wait(StackName=plan.stack, ChangeSetName=name)
    except Exception:
        described = cfn.describe_change_set(StackName=plan.stack, ChangeSetName=name)
        reason = described.get("StatusReason", "")
        if "didn't contain changes" in reason or "No updates" in reason:
            print(f"{plan.stack}: nothing to change")
            return _outputs(cfn, plan.stack)
        raise SystemExit(f"change set refused: {reason}") from None
    for change in cfn.describe_change_set(StackName=plan.stack, ChangeSetName=name).get("Changes", []):
        rc = change.get("ResourceChange", {})
        print(f"  {rc.get('Action', '?'):8} {rc.get('LogicalResourceId')} ({rc.get('ResourceType')})")
    cfn.execute_change_set(StackName=plan.stack, ChangeSetName=name)
    waiter = "stack_update_complete" if exists else "stack_create_complete"
    cfn.get_waiter(waiter).wait(StackName=plan.stack, WaiterConfig={"Delay": 15, "MaxAttempts": 240})
    return _outputs(cfn, plan.stack)


def _stack_exists(cfn: Any, stack: str) -> bool:
    try:
        stacks = cfn.describe_stacks(StackName=stack)["Stacks"]
    except Exception as exc:  # botocore ClientError « does not exist »
        if "does not exist" in str(exc):
            return False
        raise
    return bool(stacks) and stacks[0]["StackStatus"] != "REVIEW_IN_PROGRESS"


def _outputs(cfn: Any, stack: str) -> dict[str, str]:
    (described,) = cfn.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stage", required=True, choices=STAGES)
    p.add_argument("--bucket", required=True, help="an S3 bucket of the account for the build artefacts")
    for option in OPTIONS:
        p.add_argument(f"--{option.replace('_', '-')}", dest=option, default=None)
    p.add_argument("--out", type=Path, default=None, help="build directory (default: out/<stage>)")
    p.add_argument("--skip-build", action="store_true", help="deploy what --out already holds")
    p.add_argument("--dry-run", action="store_true", help="build and print; call nothing in AWS")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    plan = plan_of(args)
    out = args.out or ROOT / "out" / plan.stage
    if not args.skip_build:
        build(plan.stage, out)

    def clients(name: str) -> Any:
        import boto3  # the operator's credentials and region, as the AWS CLI reads them

        return boto3.client(name)

    outputs = deploy(plan, out, clients, dry_run=args.dry_run)
    for key in sorted(outputs):
        print(f"{key}: {outputs[key]}")
    if outputs:
        print(f"next: python -m infra.tenant --stage {plan.stage} create --id … --kind … --name … --admin …")
    return 0


if __name__ == "__main__":
    sys.exit(main())
