"""Large contact exports in infra/resources.json: their queue, dead-letter queue and alarm, a role that reaches
only what one export needs, and the API's signed downloads (checked like the other jobs in test_infra_template.py).
"""

from __future__ import annotations

from tests.unit.test_infra_template import (
    EXPORT_FILES,
    PREFIX,
    RESOURCES,
    _arn,
    _check_one_message_per_invocation,
    _check_writes_under,
    _dead_letter_alarms,
    _grants,
    _index,
)


def test_export_contacts_role_touches_only_what_one_export_needs() -> None:
    assert _grants("ExportContactsRole") == {
        _arn("ExportsTable"): {"dynamodb:GetItem", "dynamodb:PutItem"},  # the job item, its outcome
        _arn("ContactsTable"): {"dynamodb:Query"},  # store/contacts.tenant_page: Query pages, never a Scan
        _arn("SegmentsTable"): {"dynamodb:GetItem"},  # the segment asked for
        # what a segment's filter may read (services/segments._facts_of)
        _arn("TenantsTable"): {"dynamodb:GetItem", "dynamodb:Query"},
        _arn("MandatesTable"): {"dynamodb:GetItem", "dynamodb:Query"},
        _arn("ConsentsTable"): {"dynamodb:GetItem", "dynamodb:Query"},
        _index("EventsTable", "*"): {"dynamodb:GetItem", "dynamodb:Query"},
        _index("InvitationsTable", "*"): {"dynamodb:GetItem", "dynamodb:Query"},
        _arn("MessagesTable"): {"dynamodb:GetItem", "dynamodb:Query"},
        _arn("ConsultationAnswersTable"): {"dynamodb:Query"},  # a segment's {"consultation", "answered"}
        _arn("AuditTable"): {"dynamodb:BatchWriteItem"},  # the ids exported (services/audit writes from a job)
        EXPORT_FILES: {"s3:PutObject"},  # the file; the API role signs its download
        _arn("ExportsQueue"): {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
    }
    assert RESOURCES["ExportContacts"]["Properties"]["Role"] == {"Fn::GetAtt": ["ExportContactsRole", "Arn"]}
    _check_writes_under(
        "chalicelib/services/exports.py",
        'f"exports/{job.tenant_id}/',
        "exports/T1/E1/contacts-2026-12-05.csv",
        EXPORT_FILES,
    )


def test_the_api_queues_exports_and_signs_their_downloads() -> None:
    grants = _grants("APIHandlerRole")
    assert grants[_arn("ExportsQueue")] == {"sqs:GetQueueUrl", "sqs:SendMessage"}
    # Presigned GETs act with the API role's rights for the one operation they sign; erasure (services/erasure.py)
    # deletes the versions of an export's file that holds an erased person, nothing rewrites one.
    assert grants[EXPORT_FILES] == {"s3:GetObject", "s3:DeleteObjectVersion"}
    assert {"dynamodb:GetItem", "dynamodb:PutItem"} <= grants[_arn("ExportsTable")]


def test_one_export_per_message_with_its_dead_letter_alarm() -> None:
    from chalicelib.services.exports import MAX_ATTEMPTS

    _check_one_message_per_invocation("export_contacts", "ExportsQueue", MAX_ATTEMPTS)
    [alarm] = _dead_letter_alarms("ExportsDeadLetterQueue")
    assert alarm["AlarmName"] == {"Fn::Sub": PREFIX + "exports-dlq-not-empty"}
