"""Runs INSIDE an unpacked Lambda package, with nothing on the path but the package and the standard library
(`python -S`, as tests/e2e/test_lambda_package.py starts it): imports the app as Lambda does and calls one entry
point of each kind with the events AWS sends. Reads the calls as JSON on stdin, prints one JSON result per call.

Nothing here may import a test dependency: a missing runtime dependency must fail the way it would in AWS.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid
from typing import Any


class _Context:
    """The parts of Lambda's context object the app and Powertools read."""

    function_name = "agora-prod-probe"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:agora-prod-probe"
    memory_limit_in_mb = 512
    aws_request_id = "probe"
    log_group_name = "/aws/lambda/agora-prod-probe"
    log_stream_name = "probe"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def http_event(call: dict[str, Any]) -> dict[str, Any]:
    """An API Gateway REST proxy event, as the Cognito authorizer hands it on (claims in the request context)."""
    headers = {"Host": "probe.execute-api.eu-west-3.amazonaws.com", **call.get("headers", {})}
    body = call.get("body")
    context: dict[str, Any] = {
        "resourcePath": call["resource"],
        "httpMethod": call["method"],
        "path": f"/api{call['path']}",
        "stage": "api",
        "domainName": headers["Host"],
        "requestId": str(uuid.uuid4()),
        "identity": {"sourceIp": "127.0.0.1"},
    }
    if call.get("claims"):
        context["authorizer"] = {"claims": call["claims"]}
    return {
        "resource": call["resource"],
        "path": call["path"],
        "httpMethod": call["method"],
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": call.get("query"),
        "multiValueQueryStringParameters": {k: [v] for k, v in (call.get("query") or {}).items()} or None,
        "pathParameters": call.get("params"),
        "stageVariables": None,
        "requestContext": context,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def sqs_event(call: dict[str, Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "probe",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:eu-west-3:123456789012:{call['queue']}",
                "awsRegion": "eu-west-3",
            }
            for body in call["bodies"]
        ]
    }


def schedule_event() -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-12-04T08:00:00Z",
        "region": "eu-west-3",
        "resources": ["arn:aws:events:eu-west-3:123456789012:rule/probe"],
        "detail": {},
    }


def run(call: dict[str, Any]) -> dict[str, Any]:
    import app  # as Lambda does: the handler string is app.<name>

    if call["kind"] == "http":
        answer = app.app(http_event(call), _Context())
        body = answer.get("body") or ""
        if answer.get("isBase64Encoded"):
            raw = base64.b64decode(body)
            return {"status": answer["statusCode"], "headers": answer.get("headers", {}), "bytes_head": raw[:8].hex()}
        return {"status": answer["statusCode"], "headers": answer.get("headers", {}), "body": body}
    handler = getattr(app, call["handler"])
    event = sqs_event(call) if call["kind"] == "sqs" else schedule_event()
    return {"result": handler(event, _Context())}


def main() -> None:
    results = []
    for call in json.load(sys.stdin):
        try:
            results.append(run(call))
        except Exception as exc:  # reported to the test, which shows it
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    loaded = sorted({name.split(".")[0] for name in sys.modules})
    print(json.dumps({"results": results, "modules": loaded}))


if __name__ == "__main__":
    main()
