"""The fault-injection suite (tests/support/fault_suite.py): every handler AWS may retry or interrupt, under one
fault at a time at every fourth position of its AWS calls (every eighth for the scenarios whose runs are long;
every one in `make bench`, which prints the table of faults × handlers: bench/faults.py), loses nothing unreported
and does nothing twice."""

from __future__ import annotations

import pytest

from tests.support.fault_scenarios import SCENARIOS, emails_to, local_parts, quick, seed_tenant, tenant_of
from tests.support.fault_suite import KINDS, REDELIVERED, Delivery, Effects, check, describe, request_delivery

STRIDE = 4  # every fourth call position: a quarter of the runs of bench/faults.py, within CI's time


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_no_effect_is_lost_or_done_twice_under_any_single_fault(aws_mock: object, scenario: type) -> None:
    with quick():
        # A scenario whose seed is long (an earlier import, a file's analysis) says so: every `ci_stride`-th position
        # here, every one in bench/faults.py.
        report = check(scenario(), getattr(scenario, "ci_stride", STRIDE))
    assert report.calls > 0 and report.effects > 0 and report.verdicts
    for kind in (*KINDS, REDELIVERED):  # every kind of fault met the handler at least once
        assert report.count(kind) > 0, kind
    assert [describe(v) for v in report.failures] == []


class _SendsOnEveryDelivery:
    """A handler written without a mark: it sends its email each time it runs. The suite must catch it."""

    name = "careless"

    def seed(self, run: str) -> list[Delivery]:
        from chalicelib.messaging import outbound
        from chalicelib.messaging.outbound import Email

        seed_tenant(run)
        to = f"p0@{tenant_of(run)}.exemple.fr"
        email = Email(to=to, subject="Bonjour", text="Bonjour.")
        return [request_delivery("careless", lambda: outbound.send_email(tenant_of(run), email))]

    def effects(self, run: str) -> Effects:
        return Effects(local_parts(emails_to(f"{tenant_of(run)}.exemple.fr")))


def test_the_suite_catches_a_handler_that_sends_twice(aws_mock: object) -> None:
    with quick():
        report = check(_SendsOnEveryDelivery())
    doubled = {str(v.fault) for v in report.failures if v.duplicated}
    assert "redelivered" in doubled  # delivered twice, sent twice
    assert any(fault.startswith("timeout_after@") for fault in doubled)  # the answer lost, the client sends again
