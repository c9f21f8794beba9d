"""Fault injection: the table of faults × handlers, every handler AWS may retry or interrupt under one fault at a
time, at every position of its AWS calls (tests/support/fault_suite.py says what each fault is).

    .venv/bin/python -m bench.faults [--small]

For each scenario: the AWS calls of its clean run (the positions faults are injected at), the faults injected of
each kind, the runs that ended with an effect lost (and not reported as uncertain) or done twice (both must be 0),
the effects the product reported as uncertain (a campaign message `unknown`: a worker died between its mark and
SES's answer) and the deliveries dead-lettered. The same suite runs in `make test`
(tests/service/test_fault_injection.py, at every fourth position, every eighth for the scenarios whose runs are
long), which fails on any loss or duplicate; --small injects at every twentieth position.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.report import BenchFailure, Column, Table, heading, notes, options, run_bench, stopwatch
from bench.report import seconds as show_seconds


def main(stride: int) -> None:
    from bench.run import QUIET
    from tests.support.environment import use_local_stage

    use_local_stage({"AGORA_LOG_LEVEL": "CRITICAL", **QUIET})
    from tests.support.fault_scenarios import SCENARIOS
    from tests.support.fault_suite import KINDS, REDELIVERED, describe

    heading(f"Fault injection: one fault a run, at {'every' if stride == 1 else f'every {stride}th'} call position")
    kinds = (*KINDS, REDELIVERED)
    table = Table(
        "scenario (handlers)",
        44,
        Column("calls", 6),
        *(Column(kind, max(len(kind), 5)) for kind in kinds),
        Column("lost", 5),
        Column("twice", 5),
        Column("uncertain", 9),
        Column("dlq", 4),
    )
    table.header()
    total, failures, elapsed_all = 0, [], 0.0
    for scenario in SCENARIOS:
        with stopwatch() as elapsed:
            report = _checked(scenario, stride)
        elapsed_all += elapsed.seconds
        fired = [report.count(kind) for kind in kinds]
        total += sum(fired)
        table.row(
            f"{report.scenario} ({', '.join(report.handlers)})"[:44],
            report.calls,
            *fired,
            sum(bool(v.lost) for v in report.verdicts),
            sum(bool(v.duplicated) for v in report.verdicts),
            sum(v.uncertain for v in report.verdicts),
            sum(v.dead_lettered for v in report.verdicts),
        )
        failures += [f"{report.scenario} {describe(v)}" for v in report.failures]
    table.rule()
    print(f"  {total:,} faults injected in {show_seconds(elapsed_all)}; runs lost or doubled: {len(failures)}")
    notes(
        "notes",
        [
            "lost: an effect of the clean run missing and not reported as uncertain; twice: an effect more often",
            "uncertain: sends the product reports as perhaps not done (`unknown`, or listed among sends to check)",
            "dlq: deliveries that failed every attempt (max_receive_count) and went to the dead-letter queue",
            "each scenario in an embedded AWS of its own: one holding every scenario's tenants slowed the later ones",
        ],
    )
    if failures:
        raise BenchFailure("; ".join(failures[:10]))


def _checked(scenario: Any, stride: int) -> Any:
    """The scenario's report, in a fresh moto with the app's resources provisioned."""
    from moto import mock_aws

    from infra.local_stack import provision_into
    from tests.support.fault_scenarios import quick
    from tests.support.fault_suite import check
    from tests.support.moto_transactions import item_level_rollback

    with mock_aws(), item_level_rollback():
        provision_into({})
        with quick():
            return check(scenario(), stride)


if __name__ == "__main__":
    args = options(
        "bench.faults", __doc__, "a fault at every twentieth call position instead of every one"
    ).parse_args()
    sys.exit(run_bench(lambda: main(20 if args.small else 1)))
