"""What every benchmark shares: its command line, its run, and how it prints what it measured.

- `options`: the parser every bench starts from, with `--small` (the CI size `make bench BENCH_ARGS=--small` asks);
- `run_bench`: the bench's work timed, a `BenchFailure` reported as « bench failed » with exit status 1, then
  « (bench ran in N s) »;
- `stopwatch`, `seconds`: wall times, for orientation (the machine's speed, not the app's);
- `ratio`, `share`, `against_minimum`: figures of one run against each other, never absolute times alone;
- `Table`: a header, a rule and rows of right-aligned figures; `heading`, `indented`, `notes`: the rest of a report.

Standard library only: a bench imports it before moto, boto3 or the app.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


class BenchFailure(Exception):
    """The benchmark could not measure what it claims to (a request failed or returned wrong data)."""


def options(module: str, doc: str | None, small: str) -> argparse.ArgumentParser:
    """`python -m bench.NAME`'s parser: the first line of its docstring, `--small` with what it changes."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=(doc or "").strip().splitlines()[0])
    parser.add_argument("--small", action="store_true", help=small)
    return parser


def run_bench(work: Callable[[], None]) -> int:
    """The exit status of a bench: 0 once `work` has printed its report, 1 if it raised BenchFailure."""
    with stopwatch() as elapsed:
        try:
            work()
        except BenchFailure as exc:
            print(f"\nbench failed: {exc}", file=sys.stderr)
            return 1
    print(f"\n(bench ran in {seconds(elapsed.seconds)})")
    return 0


@dataclass
class Elapsed:
    seconds: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Elapsed]:
    """Wall time of the block, in `.seconds` once it is left (for orientation: the machine's speed, not the app's)."""
    elapsed = Elapsed()
    started = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed.seconds = time.perf_counter() - started


def seconds(value: float) -> str:
    """A duration as every bench prints it: a tenth of a second below 10 s, whole seconds above."""
    return f"{value:.1f} s" if value < 10 else f"{value:.0f} s"


def ratio(x: float, y: float) -> str:
    """x / y to two decimals, "-" when y is 0: every bench prints its ratios this way."""
    return f"{x / y:.2f}" if y else "-"


def share(part: float, whole: float) -> str:
    """part / whole as a percentage with one decimal, "-" when whole is 0."""
    return f"{100 * part / whole:.1f} %" if whole else "-"


def against_minimum(measured: float | Mapping[str, float], minimum: float) -> str:
    """A count against the fewest calls the design allows, as every bench states it: « measured / minimum 1.02 »,
    or, for several worlds, « measured / minimum: A 1.00, B 1.02 »."""
    if isinstance(measured, Mapping):
        return "measured / minimum: " + ", ".join(f"{name} {ratio(n, minimum)}" for name, n in measured.items())
    return f"measured / minimum {ratio(measured, minimum)}"


def heading(title: str) -> None:
    print(f"== {title} ==")


def indented(lines: Iterable[str], indent: str = "  ") -> None:
    for line in lines:
        print(indent + line)


def notes(title: str, found: Iterable[str]) -> None:
    """What a reader should know about the figures above: « notes: », then a dash a note."""
    print(f"{title}:")
    indented(found, "  - ")


@dataclass(frozen=True)
class Column:
    """A column of figures: its title and width; `spec` formats a number (".2f"), text is printed as it is."""

    title: str
    width: int
    spec: str = ""
    align: str = ">"

    def cell(self, value: Any) -> str:
        text = value if isinstance(value, str) else format(value, self.spec)
        return format(text, f"{self.align}{self.width}")


class Table:
    """What was measured in the first column (left-aligned), figures in the others (right-aligned), one space
    apart. A row may stop before the last column (a total that has no ratio)."""

    def __init__(self, label: str, width: int, *columns: Column, indent: str = "") -> None:
        self.columns = (Column(label, width, align="<"), *columns)
        self.indent = indent

    def line(self, *values: Any) -> str:
        return self.indent + " ".join(column.cell(v) for column, v in zip(self.columns, values, strict=False))

    def header(self) -> None:
        """The titles, then the rule under them."""
        print(self.line(*(c.title for c in self.columns)))
        self.rule()

    def rule(self) -> None:
        print(self.indent + "-" * (len(self.line(*(c.title for c in self.columns))) - len(self.indent)))

    def row(self, *values: Any) -> None:
        print(self.line(*values))
