"""`make deploy`: what is uploaded and what CloudFormation is asked (S3 under moto, CloudFormation stubbed: moto does
not run the SAM transform), for a first deploy and an update."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from infra import deploy

TEMPLATE = {
    "Parameters": {"StagePrefix": {}, "CorsOrigins": {}, "AlarmEmail": {}, "PublicBaseUrl": {}},
    "Resources": {
        "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "SendReminders": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "UsersTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
    },
}


def _args(**given: Any) -> argparse.Namespace:
    return deploy.parser().parse_args(
        ["--stage", "prod", "--bucket", "artefacts"]
        + [x for k, v in given.items() for x in (f"--{k.replace('_', '-')}", v)]
    )


@pytest.fixture
def out(tmp_path: Path) -> Path:
    (tmp_path / "deployment.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (tmp_path / "sam.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    return tmp_path


def test_the_options_become_the_stacks_parameters() -> None:
    plan = deploy.plan_of(
        _args(domain="api.ville-exemple.fr", cors="https://crm.ville-exemple.fr", alarm_email="ops@operateur.fr")
    )
    assert plan.stack == "agora-prod"
    assert plan.parameters == {
        "StagePrefix": "agora-prod-",
        "PublicBaseUrl": "https://api.ville-exemple.fr/api",
        "CorsOrigins": "https://crm.ville-exemple.fr",
        "AlarmEmail": "ops@operateur.fr",
    }
    # An update keeps what was not given; a create leaves it to the template's defaults.
    update = deploy.parameters_for(deploy.plan_of(_args()), TEMPLATE, stack_exists=True)
    assert {"ParameterKey": "CorsOrigins", "UsePreviousValue": True} in update
    assert deploy.parameters_for(deploy.plan_of(_args()), TEMPLATE, stack_exists=False) == [
        {"ParameterKey": "StagePrefix", "ParameterValue": "agora-prod-"}
    ]


def test_a_parameter_the_template_lacks_is_refused() -> None:
    plan = deploy.plan_of(_args(inbound_domain="reponses.example.fr"))
    with pytest.raises(SystemExit, match="InboundDomain"):
        deploy.parameters_for(plan, TEMPLATE, stack_exists=False)


def test_a_dry_run_calls_nothing(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def no_client(name: str) -> Any:
        raise AssertionError(f"a dry run made a {name} client")

    assert deploy.deploy(deploy.plan_of(_args(cors="https://crm.example.fr")), out, no_client, dry_run=True) == {}
    printed = capsys.readouterr().out
    assert "agora-prod" in printed and "CorsOrigins = https://crm.example.fr" in printed


@pytest.mark.parametrize("exists", [False, True], ids=["create", "update"])
def test_the_zip_and_template_are_uploaded_and_the_change_set_executed(out: Path, exists: bool) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-3")
        s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        cfn = boto3.client("cloudformation", region_name="eu-west-3")
        stub = Stubber(cfn)
        stack = {"StackName": "agora-prod", "CreationTime": "2026-12-05T00:00:00Z"}
        if exists:
            stub.add_response("describe_stacks", {"Stacks": [{**stack, "StackStatus": "UPDATE_COMPLETE"}]})
        else:
            stub.add_client_error("describe_stacks", "ValidationError", "Stack with id agora-prod does not exist")
        stub.add_response(
            "create_change_set",
            {"Id": "cs", "StackId": "sid"},
            {
                "StackName": "agora-prod",
                "ChangeSetName": ANY,
                "ChangeSetType": "UPDATE" if exists else "CREATE",
                "TemplateURL": ANY,
                "Parameters": ANY,
                "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
                "Tags": ANY,
            },
        )
        stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE", "Changes": []})  # the waiter
        stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE", "Changes": []})  # shown
        stub.add_response("execute_change_set", {})
        done = "UPDATE_COMPLETE" if exists else "CREATE_COMPLETE"
        stub.add_response("describe_stacks", {"Stacks": [{**stack, "StackStatus": done}]})  # the waiter
        outputs = [{"OutputKey": "EndpointURL", "OutputValue": "https://x.execute-api/api/"}]
        stub.add_response("describe_stacks", {"Stacks": [{**stack, "StackStatus": done, "Outputs": outputs}]})
        with stub:
            got = deploy.deploy(deploy.plan_of(_args()), out, lambda name: {"s3": s3, "cloudformation": cfn}[name])
        stub.assert_no_pending_responses()
        assert got == {"EndpointURL": "https://x.execute-api/api/"}
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="artefacts")["Contents"])
        assert len(keys) == 2 and all(k.startswith("agora-prod/") for k in keys)
        (template_key,) = [k for k in keys if k.endswith(".json")]
        (zip_key,) = [k for k in keys if k.endswith(".zip")]
        uploaded = json.loads(s3.get_object(Bucket="artefacts", Key=template_key)["Body"].read())
        for name in ("APIHandler", "SendReminders"):
            assert uploaded["Resources"][name]["Properties"]["CodeUri"] == {"Bucket": "artefacts", "Key": zip_key}
