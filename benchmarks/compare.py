"""Benchmark `hukoucalc compare` of three schemes against `hukoucalc rank` under one, in one run.

    python benchmarks/compare.py                   # 100k and 1M rows of beijing-2020
    python benchmarks/compare.py --sizes 100000 --repeat 5 --json

The pool is the one benchmarks/rank.py uses (beijing-2020, seed 1, under benchmarks/data/; made by
benchmarks/timing.py). The three schemes are beijing-2020 and two drafts extending it
(benchmarks/drafts/: a quota of 8,000; age taken a year later). Each measurement is a fresh process,
run alternately so both share the machine's noise: the reference is `python -m hukoucalc rank FILE
-s beijing-2020 -o OUT --errors ERR --json`, the job `python -m hukoucalc compare FILE -s
beijing-2020 -s DRAFT1 -s DRAFT2 --json --movers MOVERS --errors ERR`. Printed: medians, the ratio
compare / rank (goal <= 2.0) and each process's peak memory.
"""

from __future__ import annotations

import sys
import tempfile

from timing import ROOT, alternate, arguments, pool, run_sizes  # benchmarks/timing.py

SCHEME = "beijing-2020"
DRAFTS = [
    ROOT / "benchmarks" / "drafts" / f"beijing-2020-{d}.toml" for d in ("quota-8000", "age-later")
]


def bench(rows: int, repeat: int) -> dict[str, float | int]:
    path = pool(SCHEME, rows)
    with tempfile.TemporaryDirectory() as tmp:
        rank = [sys.executable, "-m", "hukoucalc", "rank", str(path), "-s", SCHEME]
        rank += ["-o", f"{tmp}/ranked.csv", "--errors", f"{tmp}/bad.csv", "--json"]
        job = [sys.executable, "-m", "hukoucalc", "compare", str(path), "-s", SCHEME]
        for draft in DRAFTS:
            job += ["-s", str(draft)]
        job += ["--json", "--movers", f"{tmp}/movers.csv", "--errors", f"{tmp}/bad2.csv"]
        times = alternate(rank, job, repeat)
    return {
        "rows": rows,
        "rank_s": times.reference_s,
        "compare_s": times.job_s,
        "ratio": times.ratio,
        "rank_peak_mb": times.reference_mb,
        "compare_peak_mb": times.job_mb,
    }


def main() -> None:
    done = run_sizes(arguments(__doc__), lambda args, rows: bench(rows, args.repeat))
    if done is None:
        return
    results, took = done
    header = ("rows", "rank (1)", "compare (3)", "ratio", "peak rank", "peak compare")
    print("{:>9} {:>9} {:>12} {:>6} {:>10} {:>13}".format(*header))
    for r in results:
        print(
            f"{r['rows']:>9,} {r['rank_s']:>8.2f}s {r['compare_s']:>11.2f}s {r['ratio']:>5.2f}x "
            f"{r['rank_peak_mb']:>7} MB {r['compare_peak_mb']:>10} MB"
        )
    print(f"(goal: ratio <= 2.0; took {took:.0f}s)")


if __name__ == "__main__":
    main()
