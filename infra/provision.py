"""Create every AWS resource the app needs, idempotently, against the configured endpoint.

Used by `make run` (moto server) and by the test suite (moto `mock_aws`). In AWS the same
resources come from CloudFormation (`chalice package` + infra/resources.json); table
definitions here come from the PynamoDB models, so the two cannot drift on keys and GSIs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from chalicelib import aws
from chalicelib.auth import KIND_CLAIM, TENANT_CLAIM
from chalicelib.domain.roles import ALL_ROLES
from chalicelib.jobs import registry
from chalicelib.settings import Settings
from chalicelib.store.base import all_models

# The operator's own domain (the default sender's): locally SES refuses mail from an unverified identity, as AWS does.
# Tenants' domains are the operator's assignments (infra/tenant.py); the demo seed makes them.
SES_IDENTITIES = ("operateur-demo.fr",)
SNS_TOPICS = ("ses-events", "notifications", "inbound-mail", "sms-inbound")
# Topics delivering to a job's queue of the same name, as the stack's subscriptions do (infra/resources.json).
SUBSCRIBED_TOPICS = ("ses-events", "inbound-mail", "sms-inbound")


@dataclass(frozen=True)
class Provisioned:
    user_pool_id: str
    user_pool_arn: str
    client_id: str
    queues: dict[str, str]
    topics: dict[str, str]
    bucket: str


def create_tables() -> None:
    for model in all_models():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)


def _user_pool(name: str) -> tuple[str, str, str]:
    cognito = aws.cognito()
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next((p["Id"] for p in pools if p["Name"] == name), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=name,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 12,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                }
            },
            Schema=[
                {"Name": TENANT_CLAIM.removeprefix("custom:"), "AttributeDataType": "String", "Mutable": False},
                {"Name": KIND_CLAIM.removeprefix("custom:"), "AttributeDataType": "String", "Mutable": False},
            ],
        )["UserPool"]["Id"]
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    existing = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    for role in ALL_ROLES:
        if role not in existing:
            cognito.create_group(UserPoolId=pool_id, GroupName=role)
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next((c["ClientId"] for c in clients if c["ClientName"] == "web"), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            GenerateSecret=False,
        )["UserPoolClient"]["ClientId"]
    return pool_id, arn, client_id


def _queue_with_dlq(name: str, max_receive_count: int) -> str:
    """The queue and its dead-letter queue, with the stack's maxReceiveCount (infra/resources.json)."""
    sqs = aws.sqs()
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)})
    return str(sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": redrive})["QueueUrl"])


def provision(settings: Settings) -> Provisioned:
    create_tables()
    pool_id, pool_arn, client_id = _user_pool(f"{settings.table_prefix}users")
    # Every job's queue, with the redrive count the stack gives it (chalicelib/jobs/registry.py).
    queues = {
        job.queue: _queue_with_dlq(settings.queue_name(job.queue), job.max_receive_count) for job in registry.QUEUE_JOBS
    }
    sns = aws.client("sns")
    topics = {t: sns.create_topic(Name=f"{settings.table_prefix}{t}")["TopicArn"] for t in SNS_TOPICS}
    # SES's sending events, the replies SES receives and the SMS received reach their jobs as in the stack: topic →
    # queue (SesEventsSubscription…). Moto delivers what is published to the topic into the queue, wrapped in SNS's
    # envelope, as AWS does. Moto stores SES receipt rules but never runs them: locally, a reply arrives by publishing
    # SES's receipt notification (with `content`) to the inbound-mail topic.
    for topic in SUBSCRIBED_TOPICS:
        queue_arn = aws.sqs().get_queue_attributes(QueueUrl=queues[topic], AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        sns.subscribe(TopicArn=topics[topic], Protocol="sqs", Endpoint=queue_arn)
    ses = aws.client("ses")
    # The default sender's domain too (settings.default_sender, ne-pas-repondre@operateur-demo.fr unless overridden).
    sender_domain = parseaddr(settings.default_sender)[1].rpartition("@")[2]
    for domain in dict.fromkeys(filter(None, (*SES_IDENTITIES, sender_domain))):
        ses.verify_domain_identity(Domain=domain)
    # The configuration set every SendRawEmail names (messaging/outbound.py), "<prefix>mail" as in the stack.
    config_sets = ses.list_configuration_sets().get("ConfigurationSets", [])
    if not any(c["Name"] == settings.ses_configuration_set for c in config_sets):
        ses.create_configuration_set(ConfigurationSet={"Name": settings.ses_configuration_set})
    bucket = settings.files_bucket
    s3 = aws.client("s3")
    existing: list[dict[str, Any]] = s3.list_buckets().get("Buckets", [])
    if not any(b["Name"] == bucket for b in existing):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.region})
    # Versioned as in the stack (VersioningConfiguration): an import reads the version of its file it checked,
    # whatever a presigned URL, still valid, PUTs afterwards (services/rne_import.py).
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    # Uploads (presigned PUTs of large import files) announce themselves on the imports queue.
    imports_arn = aws.sqs().get_queue_attributes(QueueUrl=queues["imports"], AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": imports_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                }
            ]
        },
    )
    return Provisioned(pool_id, pool_arn, client_id, queues, topics, bucket)
