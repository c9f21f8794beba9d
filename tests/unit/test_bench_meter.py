"""bench.run.AwsMeter: the calls it counts and the seconds it attributes to each service, which the campaign bench
prints to say where a campaign's time goes beyond its SES calls."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bench import run
from bench.run import AwsMeter, Calls


def _model(service: str, operation: str) -> Any:
    return SimpleNamespace(name=operation, service_model=SimpleNamespace(service_name=service))


def test_seconds_from_a_calls_start_to_its_after_call_go_to_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([10.0, 10.5, 20.0, 20.25, 30.0, 31.0])
    monkeypatch.setattr(run.time, "perf_counter", lambda: next(clock))
    meter, calls = AwsMeter(), Calls()
    with meter.counting(calls):
        for service, operation in [("ses", "SendRawEmail"), ("dynamodb", "BatchGetItem"), ("ses", "SendRawEmail")]:
            meter.start_call(params={})
            meter.before_call(_model(service, operation))
            meter.after_call(_model(service, operation), {"Responses": {"t": [{}, {}]}})
    assert calls.seconds == {"ses": 1.5, "dynamodb": 0.25}
    assert calls.operations == {("ses", "SendRawEmail"): 2, ("dynamodb", "BatchGetItem"): 1}
    assert calls.items == {"BatchGetItem": 2}


def test_calls_outside_a_counted_block_count_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run.time, "perf_counter", lambda: 1.0)
    meter, calls = AwsMeter(), Calls()
    meter.start_call(params={})
    meter.before_call(_model("ses", "SendRawEmail"))
    with meter.counting(calls):  # the call began before the block: its end alone is not timed
        meter.after_call(_model("ses", "SendRawEmail"), {})
    assert calls.seconds == {} and calls.operations == {}
