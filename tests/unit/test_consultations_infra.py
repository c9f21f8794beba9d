"""The hourly purge of consultations' link → response mappings in infra/resources.json: its schedule, a role that
reaches only the by-close index, the consultation it marks and the mappings it deletes (checked like the other jobs
in test_infra_template.py)."""

from __future__ import annotations

from tests.unit.test_infra_template import RESOURCES, _arn, _errors_alarms, _grants, _index, _schedule


def test_purge_consultation_links_role_touches_only_what_the_purge_needs() -> None:
    assert _grants("PurgeConsultationLinksRole") == {
        # store/consultations.closed_unpurged: the sparse by-close index, never a Scan; the consultation marked
        # purged under its version (PutItem), which takes it out of the index
        _index("ConsultationsTable", "by-close"): {"dynamodb:Query"},
        _arn("ConsultationsTable"): {"dynamodb:PutItem"},
        # store/consultations.delete_links: the mappings of one consultation (Query of its prefix, batch deletes)
        _arn("ConsultationAnswersTable"): {"dynamodb:Query", "dynamodb:BatchWriteItem"},
    }
    function = RESOURCES["PurgeConsultationLinks"]["Properties"]
    assert function["Role"] == {"Fn::GetAtt": ["PurgeConsultationLinksRole", "Arn"]}


def test_purge_consultation_links_runs_hourly_and_is_watched() -> None:
    assert _schedule("purge_consultation_links") == "rate(1 hour)"
    [alarm] = _errors_alarms("PurgeConsultationLinks")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
    assert alarm["AlarmActions"] == [{"Ref": "NotificationsTopic"}]
