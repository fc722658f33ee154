"""Benchmark `hukoucalc rank` against `polars.read_csv` of the same file, in one run.

    python benchmarks/rank.py                   # 100k and 1M rows of beijing-2020
    python benchmarks/rank.py --sizes 100000 --repeat 5 --json

Pools are made once with `hukoucalc synth` (seed 1) under benchmarks/data/ (git-ignored) and reused
(benchmarks/timing.py). Each measurement is a fresh process, run alternately with the reference so
both share the machine's noise: the reference is `python -c "import polars; polars.read_csv(FILE,
...)"`, the job is `python -m hukoucalc rank FILE -s SCHEME -o OUT --errors ERR`. Printed: medians,
the ratio job / reference (the goal at 1M rows is <= 2.0), and each process's peak memory.
"""

from __future__ import annotations

import sys
import tempfile

from timing import alternate, arguments, pool, run_sizes  # benchmarks/timing.py


def bench(scheme: str, rows: int, repeat: int) -> dict[str, float | int]:
    path = pool(scheme, rows)
    with tempfile.TemporaryDirectory() as tmp:
        reference = [
            sys.executable,
            "-c",
            f"import polars; polars.read_csv({str(path)!r}, infer_schema=False)",
        ]
        job = [sys.executable, "-m", "hukoucalc", "rank", str(path), "-s", scheme]
        job += ["-o", f"{tmp}/ranked.csv", "--errors", f"{tmp}/bad.csv", "--json"]
        times = alternate(reference, job, repeat)
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "read_csv_s": times.reference_s,
        "rank_s": times.job_s,
        "ratio": times.ratio,
        "read_csv_peak_mb": times.reference_mb,
        "rank_peak_mb": times.job_mb,
    }


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--scheme", default="beijing-2020")
    done = run_sizes(parser, lambda args, rows: bench(args.scheme, rows, args.repeat))
    if done is None:
        return
    results, took = done
    header = ("rows", "MB", "read_csv", "rank", "ratio", "peak read", "peak rank")
    print("{:>9} {:>6} {:>9} {:>8} {:>6} {:>10} {:>10}".format(*header))
    for r in results:
        print(
            f"{r['rows']:>9,} {r['file_mb']:>6} {r['read_csv_s']:>8.2f}s {r['rank_s']:>7.2f}s "
            f"{r['ratio']:>5.2f}x {r['read_csv_peak_mb']:>8} MB {r['rank_peak_mb']:>8} MB"
        )
    print(f"(goal at 1M rows: ratio <= 2.0, peak < 2 GB; took {took:.0f}s)")


if __name__ == "__main__":
    main()
