"""Alarms, log retention, X-Ray tracing and schedule dead-letter queues for every function of the packaged template.

Chalice writes the functions (one per route handler, queue consumer and schedule) into sam.json; a static merge
template cannot name resources for functions added later, so this step reads the packaged template and adds, for
each function: its log group with the stage's retention (created before Lambda creates it unbounded), and alarms on
errors, throttles and a duration near its timeout; for the API: 5xx and latency; for each DynamoDB table: throttled
requests; for the account's SES reputation: bounce and complaint rates; for each schedule: a dead-letter queue and a
retry policy, with an alarm when it is not empty. Every alarm notifies the stack's NotificationsTopic, to which the
`AlarmEmail` deploy parameter subscribes an operator. Each function also gets `Tracing: Active` and, in its role,
the two X-Ray calls that send its segments (chalicelib/observability.py traces handlers and AWS calls in Lambda).

    python -m infra.monitoring OUT/sam.json      # in place; infra/package.sh and infra/template.py run it

Thresholds (SES): AWS puts an account under review from a 5 % bounce rate and a 0.1 % complaint rate (« Amazon SES
sending review process FAQs »): the alarms fire at those values, before the account's sending is paused (10 % and
0.5 %).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

TOPIC = {"Ref": "NotificationsTopic"}
DURATION_SHARE = 0.8  # of the function's timeout: a function this slow is close to being cut off mid-work
API_LATENCY_MS = 3000  # p90 over 5 minutes
API_5XX_PER_5_MIN = 5
SES_BOUNCE_RATE = 0.05
SES_COMPLAINT_RATE = 0.001
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)  # CloudWatch's values
RULES_ARN = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*"
# X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions: IAM accepts only "*" for
# them (« Actions, resources, and condition keys for AWS X-Ray »). Write-only, and only the function's own traces.
TRACING_POLICY: dict[str, Any] = {
    "PolicyName": "Tracing",
    "PolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "XRayTraces",
                "Effect": "Allow",
                "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                "Resource": "*",
            }
        ],
    },
}
SCHEDULE_RETRIES = 4  # EventBridge's attempts before the event goes to the schedules' dead-letter queue

PARAMETERS: dict[str, Any] = {
    "AlarmEmail": {
        "Type": "String",
        "Default": "",
        "AllowedPattern": "^([^@\\s]+@[^@\\s]+\\.[^@\\s]+)?$",
        "Description": "The operator's address subscribed to every alarm (CloudWatch → the notifications topic). "
        "AWS sends a confirmation email first. Empty: no subscription.",
    },
    "LogRetentionDays": {
        "Type": "Number",
        "Default": 90,
        "AllowedValues": list(RETENTION_DAYS),
        "Description": "Days the functions' logs are kept (they hold no personal data: chalicelib/observability.py).",
    },
}


def _alarm(name: str, description: str, metric: dict[str, Any], threshold: float, **extra: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": {"Fn::Sub": "${StagePrefix}" + name},
            "AlarmDescription": description,
            **metric,
            "EvaluationPeriods": extra.pop("EvaluationPeriods", 1),
            "Threshold": threshold,
            "ComparisonOperator": extra.pop("ComparisonOperator", "GreaterThanThreshold"),
            "TreatMissingData": "notBreaching",
            "AlarmActions": [TOPIC],
            **extra,
        },
    }


def _metric(namespace: str, name: str, statistic: str, dimensions: dict[str, Any], period: int = 300) -> dict[str, Any]:
    stat = {"ExtendedStatistic": statistic} if statistic.startswith("p") else {"Statistic": statistic}
    return {
        "Namespace": namespace,
        "MetricName": name,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
        "Period": period,
        **stat,
    }


def _kebab(name: str) -> str:
    """APIHandler → api-handler, SendReminders → send-reminders."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


def _function_resources(name: str, function: dict[str, Any]) -> dict[str, dict[str, Any]]:
    timeout_s = int(function["Properties"].get("Timeout", 60))
    dims = {"FunctionName": {"Ref": name}}
    label = _kebab(name)
    return {
        f"{name}LogGroup": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "Properties": {
                "LogGroupName": {"Fn::Sub": "/aws/lambda/${" + name + "}"},
                "RetentionInDays": {"Ref": "LogRetentionDays"},
            },
        },
        f"{name}ErrorsAlarm": _alarm(
            f"{label}-errors",
            f"La fonction {name} a échoué (erreurs Lambda).",
            _metric("AWS/Lambda", "Errors", "Sum", dims, 900),
            0,
        ),
        f"{name}ThrottlesAlarm": _alarm(
            f"{label}-throttles",
            f"La fonction {name} est limitée par la concurrence du compte (throttles Lambda).",
            _metric("AWS/Lambda", "Throttles", "Sum", dims, 300),
            0,
        ),
        f"{name}DurationAlarm": _alarm(
            f"{label}-duration",
            f"La fonction {name} approche de son délai maximal ({timeout_s} s).",
            _metric("AWS/Lambda", "Duration", "Maximum", dims, 300),
            int(DURATION_SHARE * timeout_s * 1000),
        ),
    }


def _trace(function: dict[str, Any], resources: dict[str, Any]) -> None:
    """`Tracing: Active` on the function, and its role allowed to send the traces (once, whoever shares it)."""
    function["Properties"]["Tracing"] = "Active"
    role = function["Properties"].get("Role")
    if not (isinstance(role, dict) and "Fn::GetAtt" in role):
        raise ValueError(f"a function's role must be a role of the template to be allowed X-Ray: {role!r}")
    policies = resources[role["Fn::GetAtt"][0]]["Properties"].setdefault("Policies", [])
    if all(p.get("PolicyName") != TRACING_POLICY["PolicyName"] for p in policies):
        policies.append(json.loads(json.dumps(TRACING_POLICY)))


def _schedule_dead_letters(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each schedule's target retries, then leaves the event in one queue for the operator (infra/README.md)."""
    scheduled = []
    for name, r in resources.items():
        if r["Type"] != "AWS::Serverless::Function":
            continue
        for event in (r["Properties"].get("Events") or {}).values():
            if event.get("Type") == "Schedule":
                event["Properties"]["DeadLetterConfig"] = {"Arn": {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "Arn"]}}
                event["Properties"]["RetryPolicy"] = {
                    "MaximumRetryAttempts": SCHEDULE_RETRIES,
                    "MaximumEventAgeInSeconds": 3600,
                }
                scheduled.append(name)
    if not scheduled:
        return {}
    return {
        "SchedulesDeadLetterQueue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": "${StagePrefix}schedules-dlq"},
                "MessageRetentionPeriod": 1209600,
                "SqsManagedSseEnabled": True,
            },
        },
        "SchedulesDeadLetterQueuePolicy": {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [{"Ref": "SchedulesDeadLetterQueue"}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "Arn"]},
                            "Condition": {"ArnLike": {"aws:SourceArn": {"Fn::Sub": RULES_ARN}}},
                        }
                    ],
                },
            },
        },
        "SchedulesDeadLetterAlarm": _alarm(
            "schedules-dlq-not-empty",
            "Une tâche planifiée n'a pas pu être lancée (file de lettres mortes des planifications non vide) : "
            + ", ".join(sorted(scheduled))
            + ".",
            _metric(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                {"QueueName": {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "QueueName"]}},
            ),
            0,
        ),
    }


def _throttle_sum(metric_id: str, metric_name: str, table: str) -> dict[str, Any]:
    """One of the two series summed by a table's throttling alarm (reads or writes, five minutes)."""
    return {
        "Id": metric_id,
        "ReturnData": False,
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/DynamoDB",
                "MetricName": metric_name,
                "Dimensions": [{"Name": "TableName", "Value": {"Ref": table}}],
            },
            "Period": 300,
            "Stat": "Sum",
        },
    }


def _table_alarms(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, r in resources.items():
        if r["Type"] != "AWS::DynamoDB::Table":
            continue
        out[f"{name}ThrottlesAlarm"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmName": {"Fn::Sub": "${StagePrefix}" + f"{_kebab(name)}-throttled"},
                "AlarmDescription": f"Des lectures ou écritures de la table {name} sont limitées (throttling).",
                "Metrics": [
                    _throttle_sum("reads", "ReadThrottleEvents", name),
                    _throttle_sum("writes", "WriteThrottleEvents", name),
                    {"Id": "throttled", "Expression": "reads + writes", "Label": "throttled", "ReturnData": True},
                ],
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [TOPIC],
            },
        }
    return out


def _api_and_ses_alarms() -> dict[str, dict[str, Any]]:
    api = {"ApiName": {"Fn::Sub": "${StagePrefix}api"}, "Stage": "api"}
    return {
        "Api5xxAlarm": _alarm(
            "api-5xx",
            f"L'API a répondu par une erreur serveur (5xx) plus de {API_5XX_PER_5_MIN} fois en 5 minutes.",
            _metric("AWS/ApiGateway", "5XXError", "Sum", api),
            API_5XX_PER_5_MIN,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        ),
        "ApiLatencyAlarm": _alarm(
            "api-latency",
            f"L'API est lente : 90 % des réponses en plus de {API_LATENCY_MS / 1000:.0f} s sur 15 minutes.",
            _metric("AWS/ApiGateway", "Latency", "p90", api),
            API_LATENCY_MS,
            EvaluationPeriods=3,
        ),
        "SesBounceRateAlarm": _alarm(
            "ses-bounce-rate",
            "Taux de rebond SES au seuil d'examen du compte par AWS (5 %) : vérifiez les listes envoyées.",
            _metric("AWS/SES", "Reputation.BounceRate", "Maximum", {}, 3600),
            SES_BOUNCE_RATE,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        ),
        "SesComplaintRateAlarm": _alarm(
            "ses-complaint-rate",
            "Taux de plaintes SES au seuil d'examen du compte par AWS (0,1 %) : vérifiez le consentement des "
            "destinataires.",
            _metric("AWS/SES", "Reputation.ComplaintRate", "Maximum", {}, 3600),
            SES_COMPLAINT_RATE,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        ),
    }


def add(template: dict[str, Any]) -> dict[str, Any]:
    """The template with the monitoring of every function, table, the API and SES; a resource already defined
    under the same name (a hand-written alarm of resources.json) is kept as it is."""
    resources: dict[str, Any] = template["Resources"]
    template.setdefault("Parameters", {}).update(PARAMETERS)
    template.setdefault("Conditions", {})["HasAlarmEmail"] = {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    added: dict[str, dict[str, Any]] = {}
    for name, r in list(resources.items()):
        if r["Type"] == "AWS::Serverless::Function":
            added |= _function_resources(name, r)
            _trace(r, resources)
        elif r["Type"] == "AWS::Serverless::Api":
            r["Properties"]["TracingEnabled"] = True  # the trace starts at API Gateway and follows into the Lambda
    added |= _table_alarms(resources)
    added |= _schedule_dead_letters(resources)
    added |= _api_and_ses_alarms()
    added["AlarmEmailSubscription"] = {
        "Type": "AWS::SNS::Subscription",
        "Condition": "HasAlarmEmail",
        "Properties": {"TopicArn": TOPIC, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}},
    }
    for name, resource in added.items():
        resources.setdefault(name, resource)
    return template


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m infra.monitoring OUT/sam.json", file=sys.stderr)
        return 2
    path = Path(args[0])
    path.write_text(json.dumps(add(json.loads(path.read_text(encoding="utf-8"))), indent=2), encoding="utf-8")
    print(f"monitoring added to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
