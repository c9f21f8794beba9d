"""The duplicates scan in infra/resources.json: its queue, dead-letter queue and alarm, and a role that reaches only
what one tenant's scan needs (checked like the other jobs in test_infra_template.py)."""

from __future__ import annotations

from tests.unit.test_infra_template import (
    PREFIX,
    RESOURCES,
    _arn,
    _check_one_message_per_invocation,
    _dead_letter_alarms,
    _grants,
)


def test_scan_duplicates_role_touches_only_what_one_tenants_scan_needs() -> None:
    assert _grants("ScanDuplicatesRole") == {
        # services/duplicates._tenant_profiles: store/contacts.tenant_page, one Query per page of the partition
        _arn("ContactsTable"): {"dynamodb:Query"},
        # the dismissed and the proposed pairs (Query), the new set written and the vanished deleted (BatchWriteItem)
        _arn("DuplicatesTable"): {"dynamodb:Query", "dynamodb:BatchWriteItem"},
        # its event source mapping consumes the queue; it sends nothing to it
        _arn("DuplicatesQueue"): {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    }
    assert RESOURCES["ScanDuplicates"]["Properties"]["Role"] == {"Fn::GetAtt": ["ScanDuplicatesRole", "Arn"]}


def test_the_api_queues_scans_and_reads_the_pairs() -> None:
    grants = _grants("APIHandlerRole")
    assert grants[_arn("DuplicatesQueue")] == {"sqs:GetQueueUrl", "sqs:SendMessage"}
    assert {"dynamodb:Query", "dynamodb:BatchWriteItem"} <= grants[_arn("DuplicatesTable")]


def test_one_scan_per_message_with_its_dead_letter_alarm() -> None:
    _check_one_message_per_invocation("scan_duplicates", "DuplicatesQueue", 3)
    [alarm] = _dead_letter_alarms("DuplicatesDeadLetterQueue")
    assert alarm["AlarmName"] == {"Fn::Sub": PREFIX + "duplicates-dlq-not-empty"}
