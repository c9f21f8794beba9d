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

import argparse
import sys
import time
from collections import defaultdict
from typing import TYPE_CHECKING

from bench.run import PROJECT, ratio

if TYPE_CHECKING:
    from tests.unit.neutrality_corpus import Result


def pct(x: int, n: int) -> str:
    return f"{100 * x / n:5.1f} %" if n else "    -  "


def describe(result: Result) -> str:
    matched = ", ".join(f"{m.pattern_id}:{m.level[0]}" for m in result.matches) or "nothing"
    return f"    [{result.sample.category}] {result.sample.text}\n        → {matched}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neutrality", description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="CI size: the same run (the corpus is small)")
    parser.add_argument("--misses", type=int, default=10, help="misses and weak catches shown per half (default 10)")
    args = parser.parse_args(argv)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))

    from tests.unit.neutrality_corpus import CANDIDATES, CORPUS, LAWFUL_BLOCKING_MAX, RECALL_TARGET, run, samples, score

    started = time.perf_counter()
    every = samples()
    print("== Neutrality (L52-1 al. 2): the text check on a labelled corpus, tuning half vs held-out half ==")
    print(
        f"{len(every)} sentences in {len(CORPUS)} categories, {len(CANDIDATES)} declared candidates; a partisan "
        "sentence is found by any match (warning or blocking); a lawful one is blocked by a blocking match"
    )
    if args.small:
        print("  --small: the same run (the corpus is the same size)")
    failed = False
    for half in ("tuning", "held-out"):
        results = run(s for s in every if s.half == half)
        s = score(results)
        print()
        print(f"-- {half} half: {s.partisan} partisan, {s.lawful} lawful --")
        print(
            f"partisan found (warning or blocking): {s.found}/{s.partisan} = {pct(s.found, s.partisan)}"
            f"   of which blocking: {s.partisan_blocking} ({pct(s.partisan_blocking, s.partisan).strip()})"
        )
        print(
            f"lawful blocked: {s.lawful_blocking}/{s.lawful} = {pct(s.lawful_blocking, s.lawful)}"
            f"   lawful warned: {s.lawful_warning}/{s.lawful} = {pct(s.lawful_warning, s.lawful)}"
        )
        if half == "held-out":
            ok_recall, ok_blocking = s.recall >= RECALL_TARGET, s.blocking_rate <= LAWFUL_BLOCKING_MAX
            failed = not (ok_recall and ok_blocking)
            print(
                f"targets: recall ≥ {RECALL_TARGET:.0%}: {'met' if ok_recall else 'MISSED'} "
                f"(recall / target = {ratio(s.recall, RECALL_TARGET)}); lawful blocking ≤ {LAWFUL_BLOCKING_MAX:.0%}: "
                f"{'met' if ok_blocking else 'MISSED'}"
            )
        by_category: dict[str, list[Result]] = defaultdict(list)
        for r in results:
            by_category[r.sample.category].append(r)
        header = f"  {'category':24} {'label':9} {'n':>3} {'found':>8} {'blocking':>9} {'warning':>8}"
        print(header)
        print("  " + "-" * (len(header) - 2))
        for name, rs in by_category.items():
            c = score(rs)
            if CORPUS[name].label == "partisan":
                cells = f"{pct(c.found, c.partisan):>8} {pct(c.partisan_blocking, c.partisan):>9} {'':>8}"
            else:
                cells = f"{'':>8} {pct(c.lawful_blocking, c.lawful):>9} {pct(c.lawful_warning, c.lawful):>8}"
            print(f"  {name:24} {CORPUS[name].label:9} {len(rs):>3} {cells}")
        missed = [r for r in results if r.sample.label == "partisan" and r.level == "ok"]
        blocked = [r for r in results if r.sample.label == "lawful" and r.level == "blocking"]
        print(f"worst misses: {len(missed)} partisan without a finding, {len(blocked)} lawful blocked")
        for r in (missed + blocked)[: args.misses]:
            print(describe(r))
        weak = [r for r in results if r.sample.label == "partisan" and r.level == "warning"]
        warned = [r for r in results if r.sample.label == "lawful" and r.level == "warning"]
        print(f"weakest catches: {len(weak)} partisan found by a warning only; {len(warned)} lawful warned")
        for r in (weak[: args.misses // 2] + warned[: args.misses - min(len(weak), args.misses // 2)])[: args.misses]:
            print(describe(r))
    print(f"\n(bench ran in {time.perf_counter() - started:.1f} s)")
    if failed:
        print("\nbench failed: the held-out half misses a target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
