"""infra/resources.json for replies: the inbound domain and region as deployment parameters, SES's receipt rule
(S3 action under inbound/, notifying the inbound-mail topic), the two jobs' roles, least privilege."""

from __future__ import annotations

import json
import re

from chalicelib.settings import Settings
from tests.unit.test_infra_template import CONFIG, RESOURCES, TEMPLATE, _arn, _grants, _index

INBOUND_FILES = json.dumps({"Fn::Sub": "${FilesBucket.Arn}/inbound/*"})
QUEUE_CONSUMER = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}


def test_inbound_domain_and_region_are_parameters_the_senders_and_the_job_receive() -> None:
    domain, region = TEMPLATE["Parameters"]["InboundDomain"], TEMPLATE["Parameters"]["InboundRegion"]
    assert domain["Default"] == Settings.model_fields["inbound_domain"].default == ""  # off unless set
    for value in ("", "reponses.ville-demo.fr", "in.agora.example"):
        assert re.fullmatch(domain["AllowedPattern"], value), value
        Settings(stage="dev", inbound_domain=value)  # the same values the code accepts
    for value in ("Reponses.fr", "reponses", "-x.fr", "a b.fr", "x.fr."):
        assert not re.fullmatch(domain["AllowedPattern"], value), value
    for value in ("", "eu-west-1", "us-east-1", "ap-southeast-2"):
        assert re.fullmatch(region["AllowedPattern"], value), value
    for value in ("eu-west", "EU-WEST-1", "paris"):
        assert not re.fullmatch(region["AllowedPattern"], value), value
    carriers = {n for n, r in RESOURCES.items() if json.dumps({"Ref": "InboundDomain"}) in json.dumps(r)}
    assert carriers == {"APIHandler", "SendReminders", "SendCampaigns", "HandleInboundMail", "InboundRule"}
    for function in ("APIHandler", "SendReminders", "SendCampaigns", "HandleInboundMail"):
        assert RESOURCES[function]["Properties"]["Environment"]["Variables"]["AGORA_INBOUND_DOMAIN"] == {
            "Ref": "InboundDomain"
        }
    # Only the local stage names a domain (the demo's); the stack's parameter gives dev and prod theirs.
    assert CONFIG["stages"]["local"]["environment_variables"]["AGORA_INBOUND_DOMAIN"]
    assert all("AGORA_INBOUND_DOMAIN" not in CONFIG["stages"][s]["environment_variables"] for s in ("dev", "prod"))


def test_the_receipt_rule_stores_replies_under_inbound_and_notifies_the_topic() -> None:
    rule = RESOURCES["InboundRule"]
    assert rule["Condition"] == RESOURCES["InboundRuleSet"]["Condition"] == "ReceivesMailHere"
    assert rule["Properties"]["Rule"]["Recipients"] == [{"Ref": "InboundDomain"}]
    assert rule["Properties"]["Rule"]["ScanEnabled"] is True  # spam and virus verdicts, read by the job
    (action,) = rule["Properties"]["Rule"]["Actions"]
    assert action == {
        "S3Action": {
            "BucketName": {"Ref": "FilesBucket"},
            "ObjectKeyPrefix": "inbound/",
            "TopicArn": {"Ref": "InboundMailTopic"},
        }
    }
    assert "FilesBucketPolicy" in rule["DependsOn"]  # SES checks it may write before accepting the rule
    statements = RESOURCES["FilesBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (ses,) = [s for s in statements if s.get("Principal") == {"Service": "ses.amazonaws.com"}]
    assert (ses["Action"], ses["Resource"]) == ("s3:PutObject", {"Fn::Sub": "${FilesBucket.Arn}/inbound/*"})
    assert ses["Condition"] == {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}}
    rules = RESOURCES["FilesBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    (expiry,) = [r for r in rules if r.get("Prefix") == "inbound/"]
    assert expiry["ExpirationInDays"] <= 30  # the reply is kept as an excerpt; the raw email is not


def test_the_inbound_queue_hears_the_stacks_topic_and_the_inbound_regions() -> None:
    statement = RESOURCES["InboundMailQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    sources = json.dumps(statement["Condition"]["ArnEquals"]["aws:SourceArn"])
    assert '{"Ref": "InboundMailTopic"}' in sources
    assert "arn:${AWS::Partition}:sns:${InboundRegion}:${AWS::AccountId}:${StagePrefix}inbound-mail" in sources
    sms = RESOURCES["SmsInboundQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert sms["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": "SmsInboundTopic"}
    for topic, queue in (("InboundMailTopic", "InboundMailQueue"), ("SmsInboundTopic", "SmsInboundQueue")):
        subscriptions = [
            r["Properties"]
            for r in RESOURCES.values()
            if r.get("Type") == "AWS::SNS::Subscription" and r["Properties"]["TopicArn"] == {"Ref": topic}
        ]
        assert subscriptions == [{"TopicArn": {"Ref": topic}, "Protocol": "sqs", "Endpoint": _arn_of(queue)}]


def _arn_of(resource: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [resource, "Arn"]}


def test_handle_inbound_mail_role_touches_only_what_matching_a_reply_needs() -> None:
    assert _grants("HandleInboundMailRole") == {
        _index("RepliesTable", "by-reply"): {"dynamodb:Query"},  # the reply address it was sent to
        _index("RepliesTable", "by-message"): {"dynamodb:Query"},  # the message In-Reply-To names
        _index("MessagesTable", "by-provider-id"): {"dynamodb:Query"},  # or the campaign message it names
        _arn("ContactsTable"): {"dynamodb:GetItem"},
        _arn("ContactIndexTable"): {"dynamodb:Query"},  # the tenant's contacts with the sender's address
        _arn("InteractionsTable"): {"dynamodb:PutItem"},  # the reply in the contact's history
        _arn("InboxTable"): {"dynamodb:PutItem"},
        _arn("ConsentsTable"): {"dynamodb:Query", "dynamodb:PutItem"},  # STOP: email consent withdrawn
        _arn("SuppressionsTable"): {"dynamodb:PutItem"},  # and the addresses suppressed
        INBOUND_FILES: {"s3:GetObject"},  # the S3 action's copy of the email
        _arn("InboundMailQueue"): QUEUE_CONSUMER,
    }


def test_handle_sms_inbound_role_touches_only_what_a_stop_needs() -> None:
    assert _grants("HandleSmsInboundRole") == {
        _index("ContactIndexTable", "by-phone"): {"dynamodb:Query"},  # the number's contacts, in every tenant
        _arn("ContactsTable"): {"dynamodb:GetItem"},
        _arn("InteractionsTable"): {"dynamodb:PutItem"},
        _arn("ConsentsTable"): {"dynamodb:Query", "dynamodb:PutItem"},
        _arn("SmsInboundQueue"): QUEUE_CONSUMER,
    }
