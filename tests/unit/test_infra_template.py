"""infra/resources.json, the merge template for `chalice package`: checked against the code it deploys.

Tables against the PynamoDB models, gateway responses against the API's error shape, IAM
against the calls the code makes, the Cognito pool against the claims auth.py reads; then
the merged template (Chalice's real output, infra/template.py) is linted with cfn-lint.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from chalice.utils import to_cfn_resource_name
from pynamodb.attributes import TTLAttribute
from pynamodb.indexes import GlobalSecondaryIndex, Index, LocalSecondaryIndex
from pynamodb.models import Model

from chalicelib.auth import KIND_CLAIM, TENANT_CLAIM
from chalicelib.domain.roles import ALL_ROLES
from chalicelib.errors import AgoraError
from chalicelib.jobs.registry import QUEUE_JOBS, SCHEDULES
from chalicelib.store.base import all_models

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = json.loads((ROOT / "infra" / "resources.json").read_text(encoding="utf-8"))
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
PREFIX = "${StagePrefix}"
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
STAGES = ("local", "dev", "prod")
# Each stage variable of .chalice/config.json naming a resource, and the stack's value every
# function gets instead (so the code points at its own stack's resources).
STACK_ENV: dict[str, Any] = {
    "AGORA_TABLE_PREFIX": {"Ref": "StagePrefix"},  # tables and queues are "<prefix><name>"
    "AGORA_FILES_BUCKET": {"Ref": "FilesBucket"},
}
# Queue resource -> the job consuming it (chalicelib/jobs/registry.py: every queue is declared there once).
QUEUES = {f"{to_cfn_resource_name(job.queue)}Queue": job for job in QUEUE_JOBS}


def _of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in RESOURCES.items() if r.get("Type") == kind}


def _statements(role: str) -> list[dict[str, Any]]:
    return [s for p in RESOURCES[role]["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _arn(resource: str) -> str:
    """A resource's ARN as a policy names it (JSON, as _grants keys it)."""
    return json.dumps({"Fn::GetAtt": [resource, "Arn"]})


def _index(table: str, name: str) -> str:
    """One index of a table as a policy names it (JSON, as _grants keys it)."""
    return json.dumps({"Fn::Sub": "${" + table + ".Arn}/index/" + name})


def _event_sources(kind: str) -> list[Any]:
    """app.py's event sources of one kind: chalice.app's SQSEventConfig, ScheduledEventConfig…"""
    import chalice.app

    from app import app

    return [s for s in app.event_sources if isinstance(s, getattr(chalice.app, kind))]


def _schedule(function: str) -> str:
    """The schedule expression of a scheduled function."""
    schedules = {s.name: s for s in _event_sources("ScheduledEventConfig")}
    return str(schedules[function].schedule_expression.to_string())


def _stage_timeouts(function: str) -> dict[str, int]:
    """The function's lambda_timeout in each stage of .chalice/config.json (each must name it)."""
    return {stage: CONFIG["stages"][stage]["lambda_functions"][function]["lambda_timeout"] for stage in STAGES}


def _errors_alarms(function: str) -> list[dict[str, Any]]:
    """The alarms (their properties) watching a function's own metrics (by its resource name)."""
    return [
        a["Properties"]
        for a in _of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
    ]


def _dead_letter_alarms(dlq: str) -> list[dict[str, Any]]:
    """The alarms (their properties) watching a dead-letter queue (by its resource name)."""
    return [
        a["Properties"]
        for a in _of_type("AWS::CloudWatch::Alarm").values()
        if {"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq, "QueueName"]}} in a["Properties"]["Dimensions"]
    ]


def _check_one_message_per_invocation(function: str, queue: str, max_receive_count: int) -> None:
    """A job given one message at a time (a failure redelivers that one alone), with 300 s in every stage; its queue
    retries `max_receive_count` times and hides a message for at least 6 times that timeout (AWS's advice)."""
    [source] = [s for s in _event_sources("SQSEventConfig") if s.name == function]
    assert source.batch_size == 1
    assert _stage_timeouts(function) == dict.fromkeys(STAGES, 300)
    properties = RESOURCES[queue]["Properties"]
    assert properties["RedrivePolicy"]["maxReceiveCount"] == max_receive_count
    assert properties["VisibilityTimeout"] >= 6 * 300


def _check_writes_under(module: str, key: str, example: str, grant: str) -> None:
    """The S3 key a module writes (`key`, as its source spells it; `example`, one such key) falls under the object
    pattern its role is granted: IAM is not enforced locally, so no other test would see a key outside it."""
    assert key in (ROOT / module).read_text(encoding="utf-8")
    assert fnmatch.fnmatchcase(example, json.loads(grant)["Fn::Sub"].split("/", 1)[1])


def _function_source(path: str, name: str) -> str:
    """The text of one top-level function of a module, from its `def` to the next."""
    source = (ROOT / path).read_text(encoding="utf-8")
    start = source.index(f"def {name}(")
    return source[start : source.index("\ndef ", start)]


# --- tables -------------------------------------------------------------------------------


def _key_schema(attributes: dict[str, Any]) -> list[dict[str, str]]:
    keys = [{"AttributeName": a.attr_name, "KeyType": "HASH"} for a in attributes.values() if a.is_hash_key]
    keys += [{"AttributeName": a.attr_name, "KeyType": "RANGE"} for a in attributes.values() if a.is_range_key]
    return keys


def _projection(index: Index[Any]) -> dict[str, Any]:
    projection = index.Meta.projection
    spec: dict[str, Any] = {"ProjectionType": projection.projection_type}
    if getattr(projection, "non_key_attributes", None):
        spec["NonKeyAttributes"] = sorted(projection.non_key_attributes)
    return spec


def _indexes(model: type[Model]) -> list[Index[Any]]:
    found = {}
    for klass in reversed(model.__mro__):
        found.update({name: v for name, v in vars(klass).items() if isinstance(v, Index)})
    return list(found.values())


def expected_table(model: type[Model]) -> dict[str, Any]:
    """The CloudFormation properties a model implies, derived from its attributes and indexes."""
    attributes = model.get_attributes()
    key_attrs = [a for a in attributes.values() if a.is_hash_key or a.is_range_key]
    props: dict[str, Any] = {"KeySchema": _key_schema(attributes)}
    for kind, prop in (
        (GlobalSecondaryIndex, "GlobalSecondaryIndexes"),
        (LocalSecondaryIndex, "LocalSecondaryIndexes"),
    ):
        specs = []
        for index in _indexes(model):
            if isinstance(index, kind):
                specs.append(
                    {
                        "IndexName": index.Meta.index_name,
                        "KeySchema": _key_schema(index.Meta.attributes),
                        "Projection": _projection(index),
                    }
                )
                key_attrs += list(index.Meta.attributes.values())
        if specs:
            props[prop] = sorted(specs, key=lambda s: s["IndexName"])
    props["AttributeDefinitions"] = sorted(
        {(a.attr_name, a.attr_type) for a in key_attrs}
    )  # compared as (name, type) pairs
    ttl = [a.attr_name for a in attributes.values() if isinstance(a, TTLAttribute)]
    if ttl:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    return props


def _table_name(model: type[Model]) -> dict[str, str]:
    return {"Fn::Sub": PREFIX + vars(model.Meta)["table_name"].short}


def _tables_by_name() -> dict[str, dict[str, Any]]:
    return {json.dumps(r["Properties"]["TableName"]): r for r in _of_type("AWS::DynamoDB::Table").values()}


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_model_has_its_table(model: type[Model]) -> None:
    table = _tables_by_name().get(json.dumps(_table_name(model)))
    assert table is not None, f"no table named {_table_name(model)} for {model.__name__}"
    props = table["Properties"]
    expected = expected_table(model)
    actual = {
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": sorted((d["AttributeName"], d["AttributeType"]) for d in props["AttributeDefinitions"]),
    }
    for prop in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if prop in props:
            actual[prop] = sorted(
                ({k: v for k, v in i.items() if k != "ProvisionedThroughput"} for i in props[prop]),
                key=lambda s: s["IndexName"],
            )
    if "TimeToLiveSpecification" in props:
        actual["TimeToLiveSpecification"] = props["TimeToLiveSpecification"]
    assert actual == expected
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def _store_models() -> list[type[Model]]:
    """Every concrete model of chalicelib/store, including those sharing another model's table."""
    import importlib
    import pkgutil

    import chalicelib.store
    from chalicelib.store.base import BaseModel

    for module in pkgutil.iter_modules(chalicelib.store.__path__):
        importlib.import_module(f"chalicelib.store.{module.name}")
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        model = stack.pop()
        stack += model.__subclasses__()
        if model.__module__.startswith("chalicelib.store."):  # not the models the store's own tests declare
            found.append(model)
    return found


def test_models_sharing_a_table_agree_on_its_keys() -> None:
    """A model outside all_models() (InvitationGuard) lives in the table of one inside it, with the same keys."""
    listed = {json.dumps(_table_name(m)): m for m in all_models()}
    for model in _store_models():
        owner = listed.get(json.dumps(_table_name(model)))
        assert owner is not None, f"{model.__name__}: its table is not created (add it to all_models())"
        assert _key_schema(model.get_attributes()) == _key_schema(owner.get_attributes()), model.__name__
        shared = set(model.get_attributes()) & set(owner.get_attributes())
        for name in shared:
            assert model.get_attributes()[name].attr_type == owner.get_attributes()[name].attr_type, (model, name)


def test_no_table_without_a_model() -> None:
    modelled = {json.dumps(_table_name(m)) for m in all_models()}
    assert set(_tables_by_name()) == modelled


def test_names_follow_the_stage_prefix_of_chalice_config() -> None:
    stages = CONFIG["stages"]
    assert (
        TEMPLATE["Parameters"]["StagePrefix"]["Default"] == stages["dev"]["environment_variables"]["AGORA_TABLE_PREFIX"]
    )
    for name in ("dev", "prod"):
        env = stages[name]["environment_variables"]
        assert not any(v.endswith("_QUEUE_NAME") for v in env), name  # queue names derive from the prefix
        assert env["AGORA_FILES_BUCKET"].startswith(env["AGORA_TABLE_PREFIX"] + "files"), name
        assert re.fullmatch(TEMPLATE["Parameters"]["StagePrefix"]["AllowedPattern"], env["AGORA_TABLE_PREFIX"])
    # The template names the queues "${StagePrefix}audit"…; app.py names them from the stage's prefix at import
    # (the SQS event sources), so the stage's names are the stack's.
    for queue, job in QUEUES.items():
        assert RESOURCES[queue]["Properties"]["QueueName"] == {"Fn::Sub": PREFIX + job.queue}, queue
    queues = {json.dumps(r["Properties"]["QueueName"]) for n, r in _of_type("AWS::SQS::Queue").items()}
    declared = {json.dumps({"Fn::Sub": PREFIX + q}) for job in QUEUE_JOBS for q in (job.queue, job.queue + "-dlq")}
    assert queues == declared  # no queue of the stack that no job consumes
    # Bucket names are global: the stack's bucket adds the account and region to the prefixed name.
    assert RESOURCES["FilesBucket"]["Properties"]["BucketName"]["Fn::Sub"].startswith(PREFIX + "files")


# --- gateway responses ----------------------------------------------------------------------

GATEWAY_RESPONSES = {
    "UNAUTHORIZED": (401, "unauthorized"),
    "ACCESS_DENIED": (401, "unauthorized"),
    "EXPIRED_TOKEN": (401, "unauthorized"),
    "INVALID_SIGNATURE": (401, "unauthorized"),
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large"),
    "THROTTLED": (429, "rate_limited"),
    "QUOTA_EXCEEDED": (429, "rate_limited"),
    "BAD_REQUEST_BODY": (400, "bad_request"),
    "BAD_REQUEST_PARAMETERS": (400, "bad_request"),
    "DEFAULT_5XX": (500, "internal_error"),
}


def _gateway_responses() -> dict[str, Any]:
    return RESOURCES["RestAPI"]["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]


def test_gateway_responses_cover_api_gateways_own_errors() -> None:
    responses = _gateway_responses()
    for kind, (status, code) in GATEWAY_RESPONSES.items():
        assert kind in responses, kind
        assert responses[kind]["statusCode"] == str(status), kind
        body = json.loads(responses[kind]["responseTemplates"]["application/json"])
        assert body["error"]["code"] == code, kind


@pytest.mark.parametrize("kind", sorted(_gateway_responses()))
def test_gateway_responses_have_the_api_error_shape(kind: str) -> None:
    response = _gateway_responses()[kind]
    assert set(response["responseTemplates"]) == {"application/json"}
    template = response["responseTemplates"]["application/json"]
    assert "$" not in template  # a static body: nothing for API Gateway to substitute
    body = json.loads(template)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["details"] == []
    assert body["error"]["message"].strip()
    # The same (code, status) pairs as the app's own errors (chalicelib/errors.py).
    known = {cls.code: cls.status for cls in AgoraError.__subclasses__()} | {"internal_error": 500}
    assert known.get(body["error"]["code"]) == int(response["statusCode"])
    headers = response["responseParameters"]
    assert headers["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
    assert headers["gatewayresponse.header.Cache-Control"] == "'no-store'"


# --- Cognito, queues ------------------------------------------------------------------------


def test_user_pool_issues_the_claims_auth_reads() -> None:
    pool = RESOURCES["UserPool"]["Properties"]
    assert pool["UsernameAttributes"] == ["email"]
    custom = {f"custom:{a['Name']}": a for a in pool["Schema"]}
    for claim in (TENANT_CLAIM, KIND_CLAIM):
        assert custom[claim]["AttributeDataType"] == "String"
        assert custom[claim]["Mutable"] is False
    # Users never create themselves: a self sign-up could choose its own tenant_id.
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    groups = {r["Properties"]["GroupName"] for r in _of_type("AWS::Cognito::UserPoolGroup").values()}
    assert groups == set(ALL_ROLES)
    client = RESOURCES["UserPoolClient"]["Properties"]
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert client["GenerateSecret"] is False
    assert not any(a.startswith("custom:") for a in client.get("WriteAttributes", []))


def test_every_stage_variable_naming_a_resource_comes_from_the_stack() -> None:
    for name in ("dev", "prod"):
        variables = set(CONFIG["stages"][name]["environment_variables"]) - {"AGORA_STAGE"}
        assert variables <= set(STACK_ENV), f"{name}: give {sorted(variables - set(STACK_ENV))} a stack value"


def test_functions_get_the_pool_and_names_from_the_stack() -> None:
    for function in ("APIHandler", "ProcessImport"):
        env = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        assert env["AGORA_USER_POOL_ID"] == {"Ref": "UserPool"}, function
        assert env["AGORA_USER_POOL_CLIENT_ID"] == {"Ref": "UserPoolClient"}, function
    for function in _chalice_functions():
        env = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        for variable, value in STACK_ENV.items():
            assert env.get(variable) == value, (function, variable)


def _sqs_handlers() -> list[tuple[str, str]]:
    """(Chalice's function resource name, the queue resource it consumes) for every SQS handler."""
    queues = {json.dumps(r["Properties"]["QueueName"]): name for name, r in _of_type("AWS::SQS::Queue").items()}
    handlers = []
    for source in _event_sources("SQSEventConfig"):
        # app.py reads the queue name from the (local) stage variables, "agora-local-<suffix>".
        suffix = source.queue.removeprefix(os.environ["AGORA_TABLE_PREFIX"])
        queue = queues.get(json.dumps({"Fn::Sub": PREFIX + suffix}))
        assert queue is not None, f"{source.name}: no queue named {PREFIX + suffix} in infra/resources.json"
        handlers.append((to_cfn_resource_name(source.name), queue))
    return handlers


def test_sqs_handlers_are_the_registrys_jobs() -> None:
    handlers = sorted(_sqs_handlers())
    assert handlers == sorted((to_cfn_resource_name(job.name), queue) for queue, job in QUEUES.items())
    batch = {s.name: s.batch_size for s in _event_sources("SQSEventConfig")}
    assert batch == {job.name: job.batch_size for job in QUEUE_JOBS}


def test_schedules_are_the_registrys() -> None:
    scheduled = {s.name: s.schedule_expression for s in _event_sources("ScheduledEventConfig")}
    assert scheduled == {s.name: s.expression for s in SCHEDULES}


def test_stages_give_each_job_the_registrys_timeout_and_memory() -> None:
    for name, stage in CONFIG["stages"].items():
        functions = stage.get("lambda_functions", {})
        for job in (*QUEUE_JOBS, *SCHEDULES):
            settings = functions.get(job.name, {})
            assert settings.get("lambda_timeout", CONFIG["lambda_timeout"]) == job.timeout, (name, job.name)
            memory = getattr(job, "memory", None) or CONFIG["lambda_memory_size"]
            assert settings.get("lambda_memory_size", CONFIG["lambda_memory_size"]) == memory, (name, job.name)
        assert set(functions) <= {j.name for j in (*QUEUE_JOBS, *SCHEDULES)}, name


def test_sqs_handlers_have_a_dead_letter_queue_and_partial_batch_responses() -> None:
    for function, queue in _sqs_handlers():
        _check_sqs_handler(function, queue)


def test_queues_redeliver_as_often_as_the_registry_says() -> None:
    """The stack's maxReceiveCount is the registry's, which the local stack and the jobs counting attempts read."""
    for queue, job in QUEUES.items():
        assert RESOURCES[queue]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == job.max_receive_count, queue
        # AWS: a queue's visibility timeout at least 6 times its function's timeout.
        assert RESOURCES[queue]["Properties"]["VisibilityTimeout"] >= 6 * job.timeout, queue


def _check_sqs_handler(function: str, queue: str) -> None:
    redrive = RESOURCES[queue]["Properties"].get("RedrivePolicy")
    assert redrive, f"{queue}: no dead-letter queue"
    dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": [dlq, "Arn"]}, queue
    assert RESOURCES[dlq]["Type"] == "AWS::SQS::Queue", queue
    assert "RedrivePolicy" not in RESOURCES[dlq]["Properties"], dlq
    assert 1 <= redrive["maxReceiveCount"] <= 10, queue
    assert RESOURCES[dlq]["Properties"]["MessageRetentionPeriod"] == 1209600, dlq  # 14 days, the maximum
    # Someone hears of a message landing in the dead-letter queue.
    alarms = _dead_letter_alarms(dlq)
    assert len(alarms) == 1, f"{dlq}: no alarm"
    assert alarms[0]["MetricName"] == "ApproximateNumberOfMessagesVisible", dlq
    assert alarms[0]["AlarmActions"] == [{"Ref": "NotificationsTopic"}], dlq
    # AWS: a queue's visibility timeout at least 6 times its function's timeout (the merged
    # template is checked too, below, with Chalice's per-function timeout).
    assert RESOURCES[queue]["Properties"]["VisibilityTimeout"] >= 6 * CONFIG["lambda_timeout"], queue
    event = RESOURCES[function]["Properties"]["Events"][function + "SqsEventSource"]["Properties"]
    assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"], function
    # Dicts deep-merge: an intrinsic replacing Chalice's {"Fn::Sub": ...} must use the same key,
    # or the merged value holds two functions (the merged-template lint below catches it too).
    assert event["Queue"] == {"Fn::Sub": "${" + queue + ".Arn}"}, function


# --- IAM ------------------------------------------------------------------------------------


def _chalice_functions() -> list[str]:
    from app import app

    names = ["APIHandler"]
    names += [to_cfn_resource_name(e.name) for e in app.event_sources]
    names += [to_cfn_resource_name(f.name) for f in app.pure_lambda_functions]
    return names


def test_every_function_has_its_own_role() -> None:
    for function in _chalice_functions():
        role = RESOURCES.get(function, {}).get("Properties", {}).get("Role")
        assert role is not None, f"{function}: give it its own role in infra/resources.json"
        assert role != {"Fn::GetAtt": ["DefaultRole", "Arn"]}
        assert RESOURCES[role["Fn::GetAtt"][0]]["Type"] == "AWS::IAM::Role"


# sns:Publish to a PhoneNumber (an SMS) has no resource ARN: IAM accepts only Resource "*" for it. The one
# exception to "no statement on every resource", for exactly that action, and documented in the role's Metadata.
SMS_STATEMENT = {"Sid": "SendSmsToPhoneNumbers", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"}
SMS_SENDERS = {"APIHandlerRole", "SendRemindersRole", "SendCampaignsRole"}
# sns:ListPhoneNumbersOptedOut (SNS's SMS opt-out list, read before an SMS campaign and for its preview) has no
# resource ARN either: read-only, for the roles that plan SMS campaigns, documented in their Metadata.
SMS_OPT_OUTS_STATEMENT = {
    "Sid": "ListSmsOptOuts",
    "Effect": "Allow",
    "Action": ["sns:ListPhoneNumbersOptedOut"],
    "Resource": "*",
}
SMS_OPT_OUT_READERS = {"APIHandlerRole", "SendCampaignsRole"}
# ses:GetSendQuota (the account's send rate, messaging/send_rate.py) has no resource ARN either: read-only, for the
# campaign workers only, documented in their role's Metadata.
SEND_QUOTA_STATEMENT = {"Sid": "SendQuota", "Effect": "Allow", "Action": ["ses:GetSendQuota"], "Resource": "*"}


def test_no_iam_statement_on_every_resource() -> None:
    for role in _of_type("AWS::IAM::Role"):
        for statement in _statements(role):
            if (
                (statement == SMS_STATEMENT and role in SMS_SENDERS)
                or (statement == SMS_OPT_OUTS_STATEMENT and role in SMS_OPT_OUT_READERS)
                or (statement == SEND_QUOTA_STATEMENT and role == "SendCampaignsRole")
            ):
                assert statement["Sid"] in RESOURCES[role]["Metadata"]["Notes"], role  # says why
                continue
            assert "*" not in _as_list(statement["Resource"]), (role, statement.get("Sid"))
            assert not any("*" in a for a in _as_list(statement["Action"])), (role, statement.get("Sid"))
    default = [a for s in _statements("DefaultRole") for a in _as_list(s["Action"])]
    assert all(a.startswith("logs:") for a in default)


# Indexes no request reads, only a job: the API role is not given them. Tenants by-kind lists the institutions for
# the daily electoral check (store/tenants.tenant_ids_of_kind, called by services/electoral_watch only).
JOB_ONLY_INDEXES = {
    "TenantsTable": (
        "tenant_ids_of_kind",
        # The daily electoral job, and the operator's sender assignment and tenant listing (infra/tenant.py, the
        # operator's credentials; no function imports them: see below).
        {
            "chalicelib/store/tenants.py",
            "chalicelib/services/electoral_watch.py",
            "chalicelib/services/retention.py",  # the weekly retention run
            "chalicelib/services/sender_assignment.py",
            "chalicelib/services/tenant_provisioning.py",
        },
    ),
    # A reply's address or the message it answers (services/replies, the inbound-mail job); a STOP's number among
    # the contacts of every tenant (the sms-inbound job).
    "RepliesTable": ("address_by_", {"chalicelib/store/replies.py", "chalicelib/services/replies.py"}),
    "ContactIndexTable": (
        "contacts_with_phone",
        {"chalicelib/store/search_index.py", "chalicelib/services/replies.py"},
    ),
    # The consultations closed and not yet purged, of every tenant (services/consultations.purge_closed, the
    # hourly purge_consultation_links job).
    "ConsultationsTable": (
        "closed_unpurged",
        {"chalicelib/store/consultations.py", "chalicelib/services/consultations.py"},
    ),
}


@pytest.mark.parametrize("module", ["sender_assignment", "tenant_provisioning"])
def test_no_function_imports_the_operators_modules(module: str) -> None:
    importers = {
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "chalicelib").rglob("*.py"), ROOT / "app.py"]
        if module in path.read_text(encoding="utf-8")
    }
    assert importers == set()  # only infra/tenant.py (and the demo seed) use them


def test_api_role_reaches_every_table_and_index_and_never_scans() -> None:
    (tables,) = [s for s in _statements("APIHandlerRole") if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert "dynamodb:Scan" not in tables["Action"]  # nothing on a request path scans
    for name, table in _of_type("AWS::DynamoDB::Table").items():
        assert {"Fn::GetAtt": [name, "Arn"]} in tables["Resource"], name
        if table["Properties"].get("GlobalSecondaryIndexes"):
            granted = {"Fn::Sub": "${" + name + ".Arn}/index/*"} in tables["Resource"]
            assert granted is (name not in JOB_ONLY_INDEXES), name
    for name, (reader, files) in JOB_ONLY_INDEXES.items():
        callers = {
            str(path.relative_to(ROOT))
            for path in (ROOT / "chalicelib").rglob("*.py")
            if reader in path.read_text(encoding="utf-8")
        }
        assert callers == files, f"{name}: {reader} is used by {sorted(callers)}: does the API read the index now?"


def test_api_role_allows_the_cognito_calls_the_code_makes() -> None:
    calls = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        calls |= set(re.findall(r"\.(admin_[a-z_]+)\(", path.read_text(encoding="utf-8")))
    needed = {"cognito-idp:" + "".join(w.capitalize() for w in c.split("_")) for c in calls}
    allowed = {
        a
        for s in _statements("APIHandlerRole")
        if s.get("Resource") == {"Fn::GetAtt": ["UserPool", "Arn"]}
        for a in s["Action"]
    }
    assert needed, "no Cognito admin call found: has chalicelib/services/users.py moved?"
    assert needed <= allowed


def test_write_audit_role_touches_only_the_audit_table_and_queue() -> None:
    resources = [r for s in _statements("WriteAuditRole") if s["Sid"] != "Logs" for r in _as_list(s["Resource"])]
    assert sorted(json.dumps(r) for r in resources) == sorted([_arn("AuditTable"), _arn("AuditQueue")])


def _grants(role: str) -> dict[str, set[str]]:
    """Resource (as JSON) -> actions the role allows on it, logs left out."""
    grants: dict[str, set[str]] = {}
    for statement in _statements(role):
        assert statement["Effect"] == "Allow"
        if statement["Sid"] == "Logs":
            continue
        for resource in _as_list(statement["Resource"]):
            grants.setdefault(json.dumps(resource), set()).update(_as_list(statement["Action"]))
    return grants


IMPORT_FILES = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/imports/*"})
UPLOAD_FILES = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/uploads/*"})  # presigned PUTs of large files
LETTER_FILES = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/letters/*"})  # the rendered PDFs
# The invitation letters the API prints itself (services/invitation_sending._store_letters), beside the mail merges.
INVITATION_LETTERS = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/letters/*/invitations-*"})
EXPORT_FILES = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/exports/*"})  # large contact exports (services/exports)
FILES_BUCKET = json.dumps({"Fn::GetAtt": ["FilesBucket", "Arn"]})  # listing letters' versions (erasure)
SES_IDENTITIES = json.dumps({"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"})
SES_CONFIGURATION_SET = json.dumps(
    {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${MailConfigurationSet}"}
)
SMS = json.dumps("*")
TABLE_ACCESS = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
}


def test_api_role_uploads_import_files_and_queues_imports() -> None:
    grants = _grants("APIHandlerRole")
    bucket = {r for r in grants if "FilesBucket" in r}
    # only import, letter and export keys (and the listing of letters' versions, for erasure)
    assert bucket == {IMPORT_FILES, UPLOAD_FILES, LETTER_FILES, INVITATION_LETTERS, EXPORT_FILES, FILES_BUCKET}
    assert grants[IMPORT_FILES] == grants[UPLOAD_FILES] == {"s3:PutObject"}
    assert grants[_arn("ImportsQueue")] == {"sqs:GetQueueUrl", "sqs:SendMessage"}


def test_api_role_queues_letters_and_signs_their_downloads() -> None:
    grants = _grants("APIHandlerRole")
    assert grants[_arn("LettersQueue")] == {"sqs:GetQueueUrl", "sqs:SendMessage"}
    # The presigned download URLs (services/letters.download_links) act with the API role's rights, for the one
    # operation they sign (GetObject): erasure (services/erasure.py) deletes a letter's versions, nothing rewrites one.
    assert grants[LETTER_FILES] == {"s3:GetObject", "s3:DeleteObjectVersion"}
    assert grants[_arn("LettersTable")] >= TABLE_ACCESS


def test_api_role_lists_only_the_versions_it_erases() -> None:
    """Erasure deletes every version of the letters and exports naming the person: it lists versions under those
    prefixes only, and deletes versions there only."""
    listing = [s for s in _statements("APIHandlerRole") if s.get("Sid") == "ErasedFileVersions"]
    assert [s["Action"] for s in listing] == [["s3:ListBucketVersions"]]
    assert listing[0]["Condition"] == {"StringLike": {"s3:prefix": ["letters/*", "exports/*"]}}
    grants = _grants("APIHandlerRole")
    assert grants[FILES_BUCKET] == {"s3:ListBucketVersions"}
    assert grants[EXPORT_FILES] == {"s3:GetObject", "s3:DeleteObjectVersion"}


def test_api_role_prints_invitation_letters_under_their_own_keys() -> None:
    grants = _grants("APIHandlerRole")
    assert grants[INVITATION_LETTERS] == {"s3:PutObject"}
    _check_writes_under(
        "chalicelib/services/invitation_sending.py",
        'f"letters/{p.tenant_id}/invitations-',
        "letters/T1/invitations-E1-X.pdf",
        INVITATION_LETTERS,
    )


def test_api_role_sends_email_and_sms() -> None:
    grants = _grants("APIHandlerRole")
    assert grants[SES_IDENTITIES] == grants[SES_CONFIGURATION_SET] == {"ses:SendRawEmail"}
    assert grants[SMS] == {"sns:Publish", "sns:ListPhoneNumbersOptedOut"}  # the SMS campaign preview reads the latter


def test_every_role_sends_only_from_the_addresses_the_operator_assigned() -> None:
    from chalicelib.settings import Settings

    senders = [
        (role, s)
        for role in _of_type("AWS::IAM::Role")
        for s in _statements(role)
        if any(a.startswith("ses:Send") for a in _as_list(s["Action"]))
    ]
    assert {role for role, _ in senders} == {
        "APIHandlerRole",
        "SendRemindersRole",
        "CheckTenantElectoralRole",
        "SendCampaignsRole",
    }
    for role, statement in senders:
        assert statement["Condition"] == {"StringLike": {"ses:FromAddress": {"Ref": "SenderFromAddresses"}}}, role
    parameter = TEMPLATE["Parameters"]["SenderFromAddresses"]
    assert parameter["Type"] == "CommaDelimitedList"
    default_address = Settings.model_fields["default_sender"].default.rsplit("<", 1)[1].rstrip(">")
    assert any(fnmatch.fnmatchcase(default_address, p) for p in parameter["Default"].split(","))
    for value in ("*@ville-demo.fr", "mairie@ville-demo.fr"):
        assert re.fullmatch(parameter["AllowedPattern"], value), value
    for value in ("*", "*@*", "*.fr", "mairie@*"):  # never a pattern that lets a role write as anybody
        assert not re.fullmatch(parameter["AllowedPattern"], value), value


def test_process_import_role_touches_only_what_the_import_needs() -> None:
    # Contact imports (services/contact_import) also record consents and read the tenant's custom fields.
    tables = ("ImportsTable", "ContactsTable", "ContactIndexTable", "MandatesTable", "ConsentsTable", "TenantsTable")
    expected = {_arn(t): TABLE_ACCESS for t in tables}
    expected |= {
        _index("MandatesTable", "*"): TABLE_ACCESS,
        # The version of the file that was checked (GetObject and HeadObject with VersionId): services/rne_import;
        # a contact import writes its table and duplicates plan next to the file (services/contact_import).
        IMPORT_FILES: {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"},
        UPLOAD_FILES: {"s3:GetObject", "s3:GetObjectVersion"},
        _arn("ImportsQueue"): {
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:SendMessage",  # the next chunk
        },
        _arn("AuditQueue"): {"sqs:GetQueueUrl", "sqs:SendMessage"},
        # A row naming a person who asked for erasure is rejected: their keyed hashes, read (services/erasure).
        _arn("ErasuresTable"): {"dynamodb:BatchGetItem"},
    }
    assert _grants("ProcessImportRole") == expected
    # Every index of the tables it reaches (but those only another job reads), and nothing it does not reach.
    for name in tables:
        if RESOURCES[name]["Properties"].get("GlobalSecondaryIndexes") and name not in JOB_ONLY_INDEXES:
            assert _index(name, "*") in expected, name
    # services/rne_import fails an import on its last delivery: the queue must not redeliver past it.
    from chalicelib.services.rne_import import MAX_ATTEMPTS

    assert RESOURCES["ImportsQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == MAX_ATTEMPTS


def test_render_letters_role_touches_only_what_the_letters_job_needs() -> None:
    expected = {
        _arn("LettersTable"): {"dynamodb:GetItem", "dynamodb:PutItem"},  # the job item, its progress
        _arn("TenantsTable"): {"dynamodb:GetItem"},  # the tenant's settings (letterhead, signatory)
        _arn("ContactsTable"): {"dynamodb:BatchGetItem"},  # recipients and their partners
        _arn("MandatesTable"): {"dynamodb:Query"},  # mandates_store.for_contacts: on the table, no index
        _arn("InteractionsTable"): {"dynamodb:BatchWriteItem"},  # a `letter` interaction per recipient
        LETTER_FILES: {"s3:PutObject"},  # the PDFs; the API role signs their downloads
        _arn("LettersQueue"): {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    }
    assert _grants("RenderLettersRole") == expected
    # services/letters marks a job failed on its last delivery: the queue must not redeliver past it.
    from chalicelib.services.letters import MAX_ATTEMPTS

    assert RESOURCES["LettersQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == MAX_ATTEMPTS


def test_send_reminders_role_touches_only_what_the_reminders_job_needs() -> None:
    expected = {
        # services/reminders: the due rule items (the sparse by-due index, never a Scan), their runs recorded
        # (PutItem), an offer's expiry rescheduled (services/events.schedule_offer_expiry: GetItem, PutItem).
        _arn("RemindersTable"): {"dynamodb:GetItem", "dynamodb:PutItem"},
        _index("RemindersTable", "by-due"): {"dynamodb:Query"},
        _arn("EventsTable"): {"dynamodb:GetItem"},
        # the guests of a rule (by-status), the « sending »/« sent » marks (conditional UpdateItem), offers and
        # no-shows saved under their version (PutItem)
        _arn("InvitationsTable"): {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
        _index("InvitationsTable", "by-event"): {"dynamodb:Query"},
        _index("InvitationsTable", "by-status"): {"dynamodb:Query"},
        _arn("EventSeatsTable"): {"dynamodb:GetItem", "dynamodb:UpdateItem"},  # seats freed and offered
        _arn("ContactsTable"): {"dynamodb:GetItem", "dynamodb:BatchGetItem"},  # the guest's addresses
        _arn("MandatesTable"): {"dynamodb:Query"},  # the formule d'appel: mandates_store.for_contact, no index
        _arn("TenantsTable"): {"dynamodb:GetItem"},  # the tenant's sender and name
        _arn("InteractionsTable"): {"dynamodb:PutItem"},  # the message in the contact's history
        _arn("RepliesTable"): {"dynamodb:PutItem"},  # the reply address of each email (services/replies)
        SES_IDENTITIES: {"ses:SendRawEmail"},
        SES_CONFIGURATION_SET: {"ses:SendRawEmail"},
        SMS: {"sns:Publish"},
    }
    assert _grants("SendRemindersRole") == expected
    assert RESOURCES["SendReminders"]["Properties"]["Role"] == {"Fn::GetAtt": ["SendRemindersRole", "Arn"]}
    # The local outbox (outbound._record, s3:PutObject under outbox/) is written in the local stage only.
    assert not any("FilesBucket" in r for r in expected)


def test_send_campaigns_role_touches_only_what_the_campaign_workers_need() -> None:
    expected = {
        # services/campaign_delivery: the campaign read, its status and counters moved (UpdateItem, never a Put)
        _arn("CampaignsTable"): {"dynamodb:GetItem", "dynamodb:UpdateItem"},
        # the messages planned (BatchWriteItem), read by chunk (BatchGetItem), marked and recorded (UpdateItem, in
        # transactions), a replanned campaign's queued ones (Query)
        _arn("MessagesTable"): {
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
        },
        # the audience: the segment, the tenant's contacts (Query pages) or the ones named (BatchGetItem), their
        # consents and suppressions (BatchGetItem), the facts a filter reads (mandates, attendance, consents)
        _arn("ContactsTable"): {"dynamodb:BatchGetItem", "dynamodb:Query"},
        _arn("ConsentsTable"): {"dynamodb:BatchGetItem", "dynamodb:Query"},
        _arn("SuppressionsTable"): {"dynamodb:BatchGetItem"},
        _arn("SegmentsTable"): {"dynamodb:GetItem"},
        _index("MandatesTable", "by-end"): {"dynamodb:Query"},
        _index("EventsTable", "by-series"): {"dynamodb:Query"},
        _index("InvitationsTable", "by-status"): {"dynamodb:Query"},
        _arn("TenantsTable"): {"dynamodb:GetItem"},
        _arn("ConsultationAnswersTable"): {"dynamodb:Query"},  # a segment's {"consultation", "answered"}
        _arn("RepliesTable"): {"dynamodb:PutItem"},  # the campaign's reply address (services/replies.py)
        _arn("ShortLinksTable"): {"dynamodb:BatchWriteItem"},  # SMS opt-out links mapped before the sends
        _arn("CampaignsQueue"): {
            "sqs:GetQueueUrl",
            "sqs:SendMessage",  # chunks, and the rest of a throttled chunk, deferred
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        },
        SES_IDENTITIES: {"ses:SendRawEmail"},
        SES_CONFIGURATION_SET: {"ses:SendRawEmail"},
        # the account's send quota; SMS to phone numbers and SNS's opt-out list (no resource ARN for either)
        json.dumps("*"): {"ses:GetSendQuota", "sns:Publish", "sns:ListPhoneNumbersOptedOut"},
    }
    assert _grants("SendCampaignsRole") == expected
    assert RESOURCES["SendCampaigns"]["Properties"]["Role"] == {"Fn::GetAtt": ["SendCampaignsRole", "Arn"]}
    assert _grants("StartCampaignsRole") == {
        _arn("CampaignsTable"): {"dynamodb:UpdateItem"},
        _index("CampaignsTable", "by-due"): {"dynamodb:Query"},
        _arn("CampaignsQueue"): {"sqs:GetQueueUrl", "sqs:SendMessage"},
    }
    assert _schedule("start_campaigns") == "rate(5 minutes)"
    # SES events find their campaign message by SES's id (the by-provider-id index) and record it.
    mail_events = _grants("HandleMailEventsRole")
    assert mail_events[_arn("MessagesTable")] == {"dynamodb:UpdateItem"}
    assert mail_events[_index("MessagesTable", "by-provider-id")] == {"dynamodb:Query"}


def test_send_reminders_runs_every_15_minutes() -> None:
    assert _schedule("send_reminders") == "rate(15 minutes)"
    assert _stage_timeouts("send_reminders") == dict.fromkeys(STAGES, 300)
    # Someone hears of a run that fails as a whole (one event's trouble is caught and logged by the job).
    [alarm] = _errors_alarms("SendReminders")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
    assert alarm["AlarmActions"] == [{"Ref": "NotificationsTopic"}]


def test_check_electoral_calendar_role_only_queues_the_institutions() -> None:
    """The schedule's part (electoral_watch.fan_out): list the institutions, one message each on the electoral queue."""
    expected = {
        # store/tenants.tenant_ids_of_kind: the sparse by-kind index, never a Scan
        _index("TenantsTable", "by-kind"): {"dynamodb:Query"},
        # aws.queue_url (GetQueueUrl), then SendMessageBatch, which IAM authorizes as sqs:SendMessage
        _arn("ElectoralQueue"): {"sqs:GetQueueUrl", "sqs:SendMessage"},
    }
    assert _grants("CheckElectoralCalendarRole") == expected
    assert RESOURCES["CheckElectoralCalendar"]["Properties"]["Role"] == {
        "Fn::GetAtt": ["CheckElectoralCalendarRole", "Arn"]
    }
    fan_out = _function_source("chalicelib/services/electoral_watch.py", "fan_out")
    # The fan-out sends through messaging/queues.send_batch on the electoral queue: GetQueueUrl of the queue's
    # name (settings.queue_name("electoral") is electoral_queue_name), then SendMessageBatch.
    assert 'queues.send_batch("electoral",' in fan_out and "tenant_ids_of_kind(" in fan_out
    queues = (ROOT / "chalicelib" / "messaging" / "queues.py").read_text(encoding="utf-8")
    send_batch = _function_source("chalicelib/messaging/queues.py", "send_batch")
    assert "aws.queue_url(get_settings().queue_name(queue))" in queues and "_url(queue)" in send_batch
    assert ".send_message_batch(" in send_batch
    settings = (ROOT / "chalicelib" / "settings.py").read_text(encoding="utf-8")
    assert 'def electoral_queue_name(self) -> str:\n        return self.queue_name("electoral")' in settings
    assert "CheckElectoralCalendarRole" not in SMS_SENDERS


def test_check_tenant_electoral_role_touches_only_what_one_tenants_check_needs() -> None:
    expected = {
        # services/electoral_watch.check_tenant: the tenant's settings (compliance.TenantContext.load,
        # event_messages.tenant_settings: GetItem); the list of institutions is the schedule's, not its own
        _arn("TenantsTable"): {"dynamodb:GetItem"},
        # services/elections.elections_for: the deployment's and the tenant's corrections (Query per scope)
        _arn("ElectionsTable"): {"dynamodb:Query"},
        # the next 90 days' events (by-start), a series' earlier occurrences (by-series): the index items carry
        # the whole event (ALL), so no GetItem on the table
        _index("EventsTable", "by-start"): {"dynamodb:Query"},
        _index("EventsTable", "by-series"): {"dynamodb:Query"},
        # compliance.invitation_count: Query with Select=COUNT on by-event
        _index("InvitationsTable", "by-event"): {"dynamodb:Query"},
        # the override in force (GetItem), the assessment stored (PutItem), « notified# » claims (conditional
        # PutItem), read again before the digest (BatchGetItem), marked told (conditional PutItem) or released
        # when the email could not go (conditional DeleteItem)
        _arn("ElectoralTable"): {
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
        },
        _arn("UsersTable"): {"dynamodb:Query"},  # the recipients: users.all_for, on the table
        SES_IDENTITIES: {"ses:SendRawEmail"},  # the digest, from the default sender, in the configuration set
        SES_CONFIGURATION_SET: {"ses:SendRawEmail"},
        # its event source mapping consumes the queue (as RenderLettersRole its own); it sends nothing to it
        _arn("ElectoralQueue"): {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    }
    assert _grants("CheckTenantElectoralRole") == expected
    assert RESOURCES["CheckTenantElectoral"]["Properties"]["Role"] == {
        "Fn::GetAtt": ["CheckTenantElectoralRole", "Arn"]
    }
    assert "SendEmail" in RESOURCES["CheckTenantElectoralRole"]["Metadata"]["Notes"]  # why identity/*
    # No SMS, no audit (assess_and_store records nothing; overrides are the API's), no outbox: outbound._record
    # writes s3 outbox/ in the local stage only.
    source = (ROOT / "chalicelib" / "services" / "electoral_watch.py").read_text(encoding="utf-8")
    assert "send_sms" not in source and "audit" not in source
    assert not any("FilesBucket" in r for r in expected)
    assert "CheckTenantElectoralRole" not in SMS_SENDERS


def test_check_electoral_calendar_runs_daily_at_5_utc() -> None:
    assert _schedule("check_electoral_calendar") == "cron(0 5 * * ? *)"
    assert _stage_timeouts("check_electoral_calendar") == dict.fromkeys(STAGES, 300)
    # Someone hears of a fan-out that fails (a tenant's own check that fails is retried alone, then lands in the
    # electoral dead-letter queue and its alarm: test_check_tenant_electoral_checks_one_tenant_per_message).
    [alarm] = _errors_alarms("CheckElectoralCalendar")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == ("Sum", "GreaterThanThreshold", 0)
    assert alarm["AlarmActions"] == [{"Ref": "NotificationsTopic"}]
    assert alarm["AlarmName"] == {"Fn::Sub": PREFIX + "check-electoral-calendar-errors"}
    assert "CheckElectoralCalendar" in alarm["AlarmDescription"]


def test_check_tenant_electoral_checks_one_tenant_per_message() -> None:
    # One tenant per invocation: a failure redelivers that tenant alone.
    _check_one_message_per_invocation("check_tenant_electoral", "ElectoralQueue", 3)
    [alarm] = _dead_letter_alarms("ElectoralDeadLetterQueue")
    assert alarm["AlarmName"] == {"Fn::Sub": PREFIX + "electoral-dlq-not-empty"}
    assert "L52-1" in alarm["AlarmDescription"]
    # The SQS consumers are watched through their dead-letter queue, not their errors (a first failure is retried).
    assert not _errors_alarms("CheckTenantElectoral")


# --- messaging: link secret, sender, configuration set, public URL --------------------------

LINK_SECRET_REF = {"Fn::Sub": "{{resolve:secretsmanager:${LinkSecret}:SecretString}}"}
# They sign public links (RSVP pages, calendar files, a campaign email's unsubscribe link).
MESSAGING_FUNCTIONS = ("APIHandler", "SendReminders", "SendCampaigns")
# They send email without links to sign: the sender and configuration set, no secret, no public URL.
EMAIL_ONLY_FUNCTIONS = ("CheckTenantElectoral",)  # the electoral digest


def test_link_secret_is_generated_and_reaches_the_functions_that_sign_links() -> None:
    secret = RESOURCES["LinkSecret"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    props = secret["Properties"]
    assert "SecretString" not in props  # generated by Secrets Manager, never a value in the template
    generate = props["GenerateSecretString"]
    assert generate["PasswordLength"] >= 32
    assert generate["ExcludePunctuation"] is True  # AGORA_LINK_SECRETS is comma-separated: no comma in a key
    assert "SecretStringTemplate" not in generate and "GenerateStringKey" not in generate  # a plain string
    assert secret["DeletionPolicy"] == secret["UpdateReplacePolicy"] == "Retain"  # links already sent stay valid
    # Resolved by CloudFormation at deploy: no function reads Secrets Manager at run time.
    for role in _of_type("AWS::IAM::Role"):
        assert not any(a.startswith("secretsmanager:") for s in _statements(role) for a in _as_list(s["Action"]))
    for function in MESSAGING_FUNCTIONS:
        env = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        assert env["AGORA_LINK_SECRETS"] == LINK_SECRET_REF, function
    # Nowhere else: no parameter, stage variable or other function carries a key.
    assert not any("SECRET" in name.upper() for name in TEMPLATE["Parameters"])
    for stage in CONFIG["stages"].values():
        assert "AGORA_LINK_SECRETS" not in stage.get("environment_variables", {})
    assert "AGORA_LINK_SECRETS" not in CONFIG.get("environment_variables", {})
    carriers = {n for n, r in RESOURCES.items() if json.dumps(LINK_SECRET_REF) in json.dumps(r)}
    assert carriers == set(MESSAGING_FUNCTIONS)


def test_messaging_functions_get_sender_configuration_set_and_public_url() -> None:
    from chalicelib.settings import Settings
    from infra.provision import SES_IDENTITIES as LOCAL_IDENTITIES

    sender = TEMPLATE["Parameters"]["DefaultSender"]
    assert sender["Default"] == Settings.model_fields["default_sender"].default
    assert re.fullmatch(sender["AllowedPattern"], sender["Default"])
    assert sender["Default"].rsplit("@", 1)[1].rstrip(">") in LOCAL_IDENTITIES  # the local SES verifies it
    assert RESOURCES["MailConfigurationSet"]["Properties"]["Name"] == {"Fn::Sub": PREFIX + "mail"}
    for function in (*MESSAGING_FUNCTIONS, *EMAIL_ONLY_FUNCTIONS):
        env = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        assert env["AGORA_DEFAULT_SENDER"] == {"Ref": "DefaultSender"}, function
        assert env["AGORA_SES_CONFIGURATION_SET"] == {"Ref": "MailConfigurationSet"}, function
    for function in EMAIL_ONLY_FUNCTIONS:
        env = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        assert "AGORA_LINK_SECRETS" not in env and "AGORA_PUBLIC_BASE_URL" not in env, function
    # The job links to the API's own URL unless a public URL (a custom domain) is given. The API cannot name its
    # own RestAPI (the swagger names APIHandler's ARN: a circular dependency): it gets the parameter, empty by
    # default, and then builds the URL from the request it serves.
    url = TEMPLATE["Parameters"]["PublicBaseUrl"]
    assert url["Default"] == ""
    for value in ("", "https://agora.ville-demo.fr", "https://x.example/api"):
        assert re.fullmatch(url["AllowedPattern"], value), value
    for value in ("http://agora.ville-demo.fr", "https://agora.ville-demo.fr/", "https://a b"):
        assert not re.fullmatch(url["AllowedPattern"], value), value
    assert RESOURCES["SendReminders"]["Properties"]["Environment"]["Variables"]["AGORA_PUBLIC_BASE_URL"] == {
        "Fn::If": [
            "HasPublicBaseUrl",
            {"Ref": "PublicBaseUrl"},
            {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api"},
        ]
    }
    assert RESOURCES["APIHandler"]["Properties"]["Environment"]["Variables"]["AGORA_PUBLIC_BASE_URL"] == {
        "Ref": "PublicBaseUrl"
    }
    assert TEMPLATE["Conditions"]["HasPublicBaseUrl"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "PublicBaseUrl"}, ""]}]}


def test_operator_tenants_reach_the_api_only() -> None:
    """AGORA_OPERATOR_TENANTS: whose admins edit the deployment-wide election calendar (services/elections)."""
    from chalicelib.settings import Settings

    operators = TEMPLATE["Parameters"]["OperatorTenants"]
    assert operators["Type"] == "String"
    assert operators["Default"] == Settings.model_fields["operator_tenants"].default == ""  # nobody, unless named
    for value in ("", "operateur", "T1,T2", "01J0ABCDEFGHJKMNPQRSTVWXYZ,demo-ville"):
        assert re.fullmatch(operators["AllowedPattern"], value), value
        assert Settings(operator_tenants=value).is_operator(value.split(",")[0]) is bool(value), value
    for value in ("T1,", ",T1", "T1,,T2", "T1 T2", " T1"):
        assert not re.fullmatch(operators["AllowedPattern"], value), value
    # The API checks it (elections._scope); the daily job reads the calendar but never who may edit it.
    carriers = {n for n, r in RESOURCES.items() if json.dumps({"Ref": "OperatorTenants"}) in json.dumps(r)}
    assert carriers == {"APIHandler"}
    env = RESOURCES["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env["AGORA_OPERATOR_TENANTS"] == {"Ref": "OperatorTenants"}
    for stage in CONFIG["stages"].values():  # the stack's value only: no stage names an operator
        assert "AGORA_OPERATOR_TENANTS" not in stage.get("environment_variables", {})


# --- the merged template (Chalice's output + infra/resources.json) ----------------------------


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`chalice package --stage dev --merge-template infra/resources.json` without building the zip.

    In a fresh process: Chalice imports app.py with the dev stage's environment variables.
    """
    out = tmp_path_factory.mktemp("package")
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-west-3")}
    subprocess.run(
        [sys.executable, "-m", "infra.template", "--stage", "dev", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {"path": out / "sam.json", "template": json.loads((out / "sam.json").read_text(encoding="utf-8"))}


def test_merge_patches_only_resources_chalice_generates(merged: dict[str, Any]) -> None:
    resources = merged["template"]["Resources"]
    patches = [name for name, r in RESOURCES.items() if "Type" not in r]
    assert patches  # the functions (APIHandler, WriteAudit, ..., CheckTenantElectoral), RestAPI, DefaultRole
    for name in patches:
        assert "Type" in resources[name], f"{name} is patched but Chalice no longer generates it"


def test_routes_carry_the_cognito_authorizer_except_public_ones(merged: dict[str, Any]) -> None:
    from chalicelib.api.http import is_public

    body = merged["template"]["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    authorizer = body["securityDefinitions"]["AgoraCognito"]["x-amazon-apigateway-authorizer"]
    assert authorizer["providerARNs"] == [{"Fn::GetAtt": ["UserPool", "Arn"]}]
    for path, methods in body["paths"].items():
        for method, spec in methods.items():
            if method == "options":
                continue
            public = is_public(path) or path.startswith("/{fallback")
            expected = None if public else [{"AgoraCognito": []}]
            assert spec.get("security") == expected, (method, path)


PUBLIC_THROTTLING = {"ThrottlingRateLimit": 25, "ThrottlingBurstLimit": 50}  # README, « Limits »


def test_public_routes_are_throttled_on_the_stage(merged: dict[str, Any]) -> None:
    """API Gateway's ceiling for /public/* (shared by all clients), beside the app's per-invitation limit."""
    from chalicelib.api.routes import all_routes

    api = merged["template"]["Resources"]["RestAPI"]
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in api["Properties"]["MethodSettings"]}
    public = {(r.path, r.method) for r in all_routes() if r.path.startswith("/public/")}
    assert public
    for path, method in public:
        encoded = "/" + path.replace("/", "~1")  # API Gateway's escaping: /a/b is /~1a~1b
        setting = settings[(encoded, method)]
        assert {k: setting[k] for k in PUBLIC_THROTTLING} == PUBLIC_THROTTLING, (path, method)
    assert all(path.startswith("/~1public~1") for path, _ in settings)  # signed-in users are not throttled here
    assert api["Type"] == "AWS::Serverless::Api"  # MethodSettings is SAM's property of the stage


def test_sqs_queues_outlast_their_functions_timeout(merged: dict[str, Any]) -> None:
    resources = merged["template"]["Resources"]
    handlers = _sqs_handlers()
    assert handlers
    for function, queue in handlers:
        # Chalice's timeout (lambda_timeout, per stage or function) against the stack's queue.
        assert resources[queue]["Properties"]["VisibilityTimeout"] >= 6 * resources[function]["Properties"]["Timeout"]
        event = resources[function]["Properties"]["Events"][function + "SqsEventSource"]
        assert event["Type"] == "SQS"
        assert event["Properties"]["Queue"] == {"Fn::Sub": "${" + queue + ".Arn}"}
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


# infra/monitoring.py: a schedule's event that cannot reach its function is retried, then kept for the operator.
SCHEDULE_DEAD_LETTERS = {
    "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "Arn"]}},
    "RetryPolicy": {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 3600},
}


def test_send_reminders_is_scheduled_with_its_own_role_and_timeout(merged: dict[str, Any]) -> None:
    function = merged["template"]["Resources"]["SendReminders"]
    assert function["Properties"]["Events"]["SendRemindersEvent"] == {
        "Type": "Schedule",
        "Properties": {"Schedule": "rate(15 minutes)", **SCHEDULE_DEAD_LETTERS},
    }
    assert function["Properties"]["Timeout"] == 300
    assert function["Properties"]["Role"] == {"Fn::GetAtt": ["SendRemindersRole", "Arn"]}
    env = function["Properties"]["Environment"]["Variables"]
    assert env["AGORA_LINK_SECRETS"] == LINK_SECRET_REF
    assert env["AGORA_STAGE"] == "dev"


def test_check_electoral_calendar_is_scheduled_with_its_own_role_and_timeout(merged: dict[str, Any]) -> None:
    function = merged["template"]["Resources"]["CheckElectoralCalendar"]
    assert function["Properties"]["Events"]["CheckElectoralCalendarEvent"] == {
        "Type": "Schedule",
        "Properties": {"Schedule": "cron(0 5 * * ? *)", **SCHEDULE_DEAD_LETTERS},  # daily at 05:00 UTC
    }
    assert function["Properties"]["Timeout"] == 300
    assert function["Properties"]["Role"] == {"Fn::GetAtt": ["CheckElectoralCalendarRole", "Arn"]}
    env = function["Properties"]["Environment"]["Variables"]
    assert env["AGORA_TABLE_PREFIX"] == {"Ref": "StagePrefix"}  # the electoral queue is "<prefix>electoral"
    assert env["AGORA_STAGE"] == "dev"
    # It only queues the tenants: no email, so no sender or configuration set.
    assert not {"AGORA_DEFAULT_SENDER", "AGORA_SES_CONFIGURATION_SET", "AGORA_LINK_SECRETS"} & set(env)
    assert "AGORA_OPERATOR_TENANTS" not in env
    api = merged["template"]["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert api["AGORA_OPERATOR_TENANTS"] == {"Ref": "OperatorTenants"}


def test_check_tenant_electoral_consumes_the_electoral_queue_with_its_own_role(merged: dict[str, Any]) -> None:
    resources = merged["template"]["Resources"]
    function = resources["CheckTenantElectoral"]["Properties"]
    assert function["Timeout"] == 300
    assert function["Role"] == {"Fn::GetAtt": ["CheckTenantElectoralRole", "Arn"]}
    event = function["Events"]["CheckTenantElectoralSqsEventSource"]
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == {"Fn::Sub": "${ElectoralQueue.Arn}"}
    assert event["Properties"]["BatchSize"] == 1
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    env = function["Environment"]["Variables"]
    assert env["AGORA_STAGE"] == "dev"
    assert env["AGORA_TABLE_PREFIX"] == {"Ref": "StagePrefix"}
    assert env["AGORA_DEFAULT_SENDER"] == {"Ref": "DefaultSender"}
    assert env["AGORA_SES_CONFIGURATION_SET"] == {"Ref": "MailConfigurationSet"}
    assert "AGORA_LINK_SECRETS" not in env and "AGORA_OPERATOR_TENANTS" not in env
    for name in ("ElectoralQueue", "ElectoralDeadLetterQueue", "ElectoralDeadLetterAlarm", "CheckTenantElectoralRole"):
        assert name in resources, name


def _references(value: Any) -> set[str]:
    """Logical ids a value names through Ref, Fn::GetAtt or Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text)}
                if isinstance(inner, list):
                    found |= _references(inner[1])
            else:
                found |= _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner)
    return found


def test_merged_template_has_no_circular_dependency(merged: dict[str, Any]) -> None:
    """cfn-lint does not see through the swagger of RestAPI; CloudFormation would refuse the stack."""
    resources = merged["template"]["Resources"]
    graph = {
        name: (_references(r) | set(_as_list(r.get("DependsOn", [])))) & set(resources) for name, r in resources.items()
    }
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            assert state.get(dep) != 1, " -> ".join([*path, name, dep])
            if dep not in state:
                visit(dep, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_merged_template_passes_cfn_lint(merged: dict[str, Any]) -> None:
    pytest.importorskip("cfnlint")
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(merged["path"], config=ManualArgs(regions=["eu-west-3"]))
    assert not matches, "\n".join(str(m) for m in matches)


def test_uploads_announce_themselves_on_the_imports_queue() -> None:
    """A presigned upload under uploads/ must reach the import worker: bucket notification + queue policy."""
    resources = json.loads((ROOT / "infra" / "resources.json").read_text())["Resources"]
    [config] = resources["FilesBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert config["Queue"] == {"Fn::GetAtt": ["ImportsQueue", "Arn"]}
    assert config["Event"] == "s3:ObjectCreated:*"
    assert config["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "uploads/"}]
    assert resources["FilesBucket"]["DependsOn"] == "ImportsQueuePolicy"
    [statement] = resources["ImportsQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"} and statement["Action"] == "sqs:SendMessage"
    assert "aws:SourceArn" in statement["Condition"]["ArnLike"]


def test_the_files_bucket_keeps_the_versions_imports_read() -> None:
    """An import reads the version of its file it checked (services/rne_import): the bucket must be versioned, as
    the local one is (infra/provision.py; tests/api/test_rne_import_acceptance.py)."""
    assert RESOURCES["FilesBucket"]["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}


# --- CORS ------------------------------------------------------------------------------------------------------


def test_gateway_responses_carry_the_stages_first_origin() -> None:
    """API Gateway's own errors cannot echo the request's Origin: they carry the first allowed origin, so that the
    hosted frontend can read a 401 or a 429 (api/cors.py answers everything the app itself returns)."""
    first = {"Fn::Join": ["", ["'", {"Fn::Select": [0, {"Ref": "CorsOrigins"}]}, "'"]]}
    for kind, response in _gateway_responses().items():
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == first, kind
        assert headers["gatewayresponse.header.Vary"] == "'Origin'", kind


def test_the_api_function_reads_the_allowed_origins_from_the_deploy_parameters() -> None:
    import re

    from chalicelib.settings import ORIGIN

    env = RESOURCES["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert env["AGORA_CORS_ORIGINS"] == {"Fn::Join": [",", {"Ref": "CorsOrigins"}]}
    parameter = TEMPLATE["Parameters"]["CorsOrigins"]
    assert parameter["Type"] == "CommaDelimitedList"
    pattern = re.compile(parameter["AllowedPattern"])
    for good in ("https://crm.ville-exemple.fr", "http://localhost:5173", ""):
        assert pattern.fullmatch(good) and (good == "" or ORIGIN.fullmatch(good)), good
    for bad in ("*", "https://crm.ville-exemple.fr/", "crm.ville-exemple.fr", "https://x.fr/app"):
        assert not pattern.fullmatch(bad) and not ORIGIN.fullmatch(bad), bad


# --- monitoring (infra/monitoring.py) -------------------------------------------------------------------------------


def _alarms_on(resources: dict[str, Any], namespace: str, metric: str, dimension: Any) -> list[dict[str, Any]]:
    found = []
    for r in resources.values():
        props = r.get("Properties", {})
        if r["Type"] != "AWS::CloudWatch::Alarm":
            continue
        if (props.get("Namespace"), props.get("MetricName")) == (namespace, metric) and dimension in [
            d["Value"] for d in props.get("Dimensions", [])
        ]:
            found.append(props)
    return found


def test_every_function_has_its_log_retention_and_alarms(merged: dict[str, Any]) -> None:
    """Errors, throttles and a duration near the timeout, for every function Chalice generates (a function added
    later gets them too), each notifying the operator's topic; logs kept the stage's retention, not forever."""
    resources = merged["template"]["Resources"]
    functions = {n: r for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert len(functions) >= 14
    groups = {
        json.dumps(r["Properties"]["LogGroupName"]): r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Logs::LogGroup"
    }
    for name, function in functions.items():
        group = groups[json.dumps({"Fn::Sub": "/aws/lambda/${" + name + "}"})]
        assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        ref = {"Ref": name}
        for metric in ("Errors", "Throttles", "Duration"):
            (alarm,) = _alarms_on(resources, "AWS/Lambda", metric, ref)
            assert {"Ref": "NotificationsTopic"} in alarm["AlarmActions"], (name, metric)
        (duration,) = _alarms_on(resources, "AWS/Lambda", "Duration", ref)
        timeout_ms = function["Properties"]["Timeout"] * 1000
        assert 0.5 * timeout_ms < duration["Threshold"] < timeout_ms


# infra/monitoring.py: X-Ray's two write calls, which have no resource-level permission (IAM accepts only "*").
XRAY_STATEMENT = {
    "Sid": "XRayTraces",
    "Effect": "Allow",
    "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    "Resource": "*",
}


def test_every_function_is_traced_and_its_role_may_send_the_traces(merged: dict[str, Any]) -> None:
    """`Tracing: Active` on every function Chalice generates (one added later too), X-Ray's write calls in its own
    role and nothing more of X-Ray anywhere; the API's stage starts the trace (chalicelib/observability.py)."""
    resources = merged["template"]["Resources"]
    functions = {n: r for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert set(functions) >= set(_chalice_functions())
    for name, function in functions.items():
        assert function["Properties"]["Tracing"] == "Active", name
        role = function["Properties"]["Role"]["Fn::GetAtt"][0]
        policies = resources[role]["Properties"]["Policies"]
        statements = [s for p in policies for s in p["PolicyDocument"]["Statement"]]
        assert [s for s in statements if any(a.startswith("xray:") for a in _as_list(s["Action"]))] == [
            XRAY_STATEMENT
        ], name
    assert resources["RestAPI"]["Properties"]["TracingEnabled"] is True


def test_tables_api_ses_and_schedules_are_watched(merged: dict[str, Any]) -> None:
    template = merged["template"]
    resources = template["Resources"]
    tables = [n for n, r in resources.items() if r["Type"] == "AWS::DynamoDB::Table"]
    for table in tables:
        alarm = resources[f"{table}ThrottlesAlarm"]["Properties"]
        metrics = {m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m}
        assert metrics == {"ReadThrottleEvents", "WriteThrottleEvents"}
    api_name = {"Fn::Sub": "${StagePrefix}api"}
    assert resources["RestAPI"]["Properties"]["Name"] == api_name  # the alarms find the stage's API by its name
    assert _alarms_on(resources, "AWS/ApiGateway", "5XXError", api_name)
    assert _alarms_on(resources, "AWS/ApiGateway", "Latency", api_name)
    rates = {
        r["Properties"]["MetricName"]: r["Properties"]["Threshold"]
        for r in resources.values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and r["Properties"].get("Namespace") == "AWS/SES"
    }
    assert rates == {"Reputation.BounceRate": 0.05, "Reputation.ComplaintRate": 0.001}
    schedules = [
        e["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
        for e in (r["Properties"].get("Events") or {}).values()
        if e["Type"] == "Schedule"
    ]
    assert schedules and all(
        s["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "Arn"]}} for s in schedules
    )
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail" and subscription["Properties"]["Protocol"] == "email"
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""


def test_files_expire_by_kind() -> None:
    """Uploads and exports are working copies (a week); letters a year; every old version within a month."""
    rules = {r["Id"]: r for r in RESOURCES["FilesBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}
    expiry = {r.get("Prefix"): r.get("ExpirationInDays") for r in rules.values()}
    assert expiry["uploads/"] == 7 and expiry["exports/"] == 7 and expiry["letters/"] == 365
    assert all(r["NoncurrentVersionExpiration"]["NoncurrentDays"] <= 30 for r in rules.values())
