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

from timing import (  # benchmarks/timing.py
    arguments,
    pool,
    print_rank_table,
    rank_against_read,
    run_sizes,
)


def bench(scheme: str, rows: int, repeat: int) -> dict[str, float | int]:
    path = pool(scheme, rows)
    read = f"polars.read_csv({str(path)!r}, infer_schema=False)"
    return rank_against_read(path, rows, scheme, read, "read_csv", repeat)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--scheme", default="beijing-2020")
    done = run_sizes(parser, lambda args, rows: bench(args.scheme, rows, args.repeat))
    if done is None:
        return
    results, took = done
    print_rank_table(results, "read_csv")
    print(f"(goal at 1M rows: ratio <= 2.0, peak < 2 GB; took {took:.0f}s)")


if __name__ == "__main__":
    main()
