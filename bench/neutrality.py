"""Neutrality benchmark: the L52-1 text check measured on a labelled French corpus.

    .venv/bin/python -m bench.neutrality [--small] [--misses N]

The corpus (tests/unit/neutrality_corpus.py) holds municipal sentences, half lawful communication of every kind,
half partisan or promotional, each in a category of the case law or of the CNCCFP's guide, split into a tuning
half and a held-out half (pairs in the order written, the SHA-256 of each sentence decides its half).
``neutrality.find`` runs on each sentence with the corpus's declared candidates, as an institution's assessment
runs it. The patterns were tuned on the tuning half only; the held-out half measures them.

Prints, for each half, measured in this run: the counts; the recall on partisan sentences (any finding: warning or
blocking) and how many of them are blocking; on lawful sentences, the blocking rate and the warning rate; the same
per category; then the worst misses (partisan sentences without a finding, lawful sentences blocked) and the
weakest catches (partisan found by a warning only, lawful warned), with the patterns that matched. Targets on the
held-out half: recall ≥ 90 %, lawful blocking ≤ 5 %. Exits 1 if the held-out half misses a target.
--small does the same (the corpus is small: a few hundred sentences, well under a second).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import TYPE_CHECKING

from bench.report import BenchFailure, Column, Table, heading, options, ratio, run_bench, share
from bench.run import use_bench_environment

if TYPE_CHECKING:
    from tests.unit.neutrality_corpus import Result

BY_CATEGORY = Table(
    "category",
    24,
    Column("label", 9, align="<"),
    Column("n", 3),
    Column("found", 8),
    Column("blocking", 9),
    Column("warning", 8),
    indent="  ",
)


def describe(result: Result) -> str:
    matched = ", ".join(f"{m.pattern_id}:{m.level[0]}" for m in result.matches) or "nothing"
    return f"    [{result.sample.category}] {result.sample.text}\n        → {matched}"


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.neutrality", __doc__, "CI size: the same run (the corpus is small)")
    parser.add_argument("--misses", type=int, default=10, help="misses and weak catches shown per half (default 10)")
    args = parser.parse_args(argv)
    use_bench_environment()
    return run_bench(lambda: measure(args.small, args.misses))


def measure(small: bool, shown: int) -> None:
    from tests.unit.neutrality_corpus import CANDIDATES, CORPUS, LAWFUL_BLOCKING_MAX, RECALL_TARGET, run, samples, score

    every = samples()
    heading("Neutrality (L52-1 al. 2): the text check on a labelled corpus, tuning half vs held-out half")
    print(
        f"{len(every)} sentences in {len(CORPUS)} categories, {len(CANDIDATES)} declared candidates; a partisan "
        "sentence is found by any match (warning or blocking); a lawful one is blocked by a blocking match"
    )
    if small:
        print("  --small: the same run (the corpus is the same size)")
    missed_targets: list[str] = []
    for half in ("tuning", "held-out"):
        results = run(s for s in every if s.half == half)
        s = score(results)
        print()
        print(f"-- {half} half: {s.partisan} partisan, {s.lawful} lawful --")
        print(
            f"partisan found (warning or blocking): {s.found}/{s.partisan} = {share(s.found, s.partisan)}"
            f"   of which blocking: {s.partisan_blocking} ({share(s.partisan_blocking, s.partisan)})"
        )
        print(
            f"lawful blocked: {s.lawful_blocking}/{s.lawful} = {share(s.lawful_blocking, s.lawful)}"
            f"   lawful warned: {s.lawful_warning}/{s.lawful} = {share(s.lawful_warning, s.lawful)}"
        )
        if half == "held-out":
            ok_recall, ok_blocking = s.recall >= RECALL_TARGET, s.blocking_rate <= LAWFUL_BLOCKING_MAX
            missed_targets = [
                *([] if ok_recall else [f"recall ≥ {RECALL_TARGET:.0%}"]),
                *([] if ok_blocking else [f"lawful blocking ≤ {LAWFUL_BLOCKING_MAX:.0%}"]),
            ]
            print(
                f"targets: recall ≥ {RECALL_TARGET:.0%}: {'met' if ok_recall else 'MISSED'} "
                f"(recall / target = {ratio(s.recall, RECALL_TARGET)}); lawful blocking ≤ {LAWFUL_BLOCKING_MAX:.0%}: "
                f"{'met' if ok_blocking else 'MISSED'}"
            )
        by_category: dict[str, list[Result]] = defaultdict(list)
        for r in results:
            by_category[r.sample.category].append(r)
        BY_CATEGORY.header()
        for name, rs in by_category.items():
            c = score(rs)
            if CORPUS[name].label == "partisan":
                cells = (share(c.found, c.partisan), share(c.partisan_blocking, c.partisan), "")
            else:
                cells = ("", share(c.lawful_blocking, c.lawful), share(c.lawful_warning, c.lawful))
            BY_CATEGORY.row(name, CORPUS[name].label, len(rs), *cells)
        missed = [r for r in results if r.sample.label == "partisan" and r.level == "ok"]
        blocked = [r for r in results if r.sample.label == "lawful" and r.level == "blocking"]
        print(f"worst misses: {len(missed)} partisan without a finding, {len(blocked)} lawful blocked")
        for r in (missed + blocked)[:shown]:
            print(describe(r))
        weak = [r for r in results if r.sample.label == "partisan" and r.level == "warning"]
        warned = [r for r in results if r.sample.label == "lawful" and r.level == "warning"]
        print(f"weakest catches: {len(weak)} partisan found by a warning only; {len(warned)} lawful warned")
        for r in (weak[: shown // 2] + warned[: shown - min(len(weak), shown // 2)])[:shown]:
            print(describe(r))
    if missed_targets:
        raise BenchFailure(f"the held-out half misses a target: {', '.join(missed_targets)}")


if __name__ == "__main__":
    sys.exit(main())
