"""What the 2.0x goal of `rank` leaves for its own work: the cost of its unavoidable parts.

    python benchmarks/floor.py                 # 1M rows of beijing-2020, 3 rounds
    python benchmarks/floor.py --sizes 100000 --repeat 5 --json

`rank` must start, read the file, and write a list of about the same size in rank order (not in
file order). Each of these is timed here as a fresh process, in turn with the reference of
`rank.py` (`polars.read_csv` of the pool alone) and with `rank` itself, and given as a ratio to
the reference:

    start-up         import what `rank` imports before it reads (polars, the CLI, the ranking)
    read+write       read the pool and write it back as CSV, in file order
    read+order+write read it, put the rows in a content order (as a ranked list is), write it
    floor            start-up, then read+order+write: a `rank` that checks and scores nothing
    rank             `hukoucalc rank FILE -s SCHEME -o OUT --errors ERR --json`

The written copy has the pool's 21 text columns (173 MB at 1M rows); rank's list has 20 columns,
14 of them exact decimals (155 MB).
"""

from __future__ import annotations

import sys
import tempfile

from timing import arguments, in_turn, pool, run_sizes  # benchmarks/timing.py

START = "import polars, hukoucalc.cli, hukoucalc.ranking"


def bench(scheme: str, rows: int, repeat: int) -> dict[str, object]:
    path = pool(scheme, rows)
    with tempfile.TemporaryDirectory() as tmp:
        read = f"import polars as pl; frame = pl.read_csv({str(path)!r}, infer_schema=False)"
        write = f"; frame.write_csv({tmp + '/copy.csv'!r}, include_bom=True)"
        order = "; frame = frame.sort(pl.col('id_number').hash(seed=0))"
        python = [sys.executable, "-c"]
        rank = [
            "rank",
            str(path),
            "-s",
            scheme,
            "-o",
            f"{tmp}/ranked.csv",
            "--errors",
            f"{tmp}/bad.csv",
        ]
        jobs = {
            "read_csv": [*python, read],
            "start-up": [*python, START],
            "read+write": [*python, read + write],
            "read+order+write": [*python, read + order + write],
            "floor": [*python, f"{START}; {read}{order}{write}"],
            "rank": [sys.executable, "-m", "hukoucalc", *rank, "--json"],
        }
        measured = in_turn(list(jobs.values()), repeat)
    reference = measured[0][0]
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "jobs": {
            name: {"s": s, "ratio": round(s / reference, 2), "peak_mb": mb}
            for name, (s, mb) in zip(jobs, measured, strict=True)
        },
    }


def main() -> None:
    parser = arguments(__doc__)
    parser.set_defaults(sizes="1000000")
    parser.add_argument("--scheme", default="beijing-2020")
    done = run_sizes(parser, lambda args, rows: bench(args.scheme, rows, args.repeat))
    if done is None:
        return
    results, took = done
    for result in results:
        print(f"{result['rows']:,} rows, {result['file_mb']} MB")
        jobs = result["jobs"]
        assert isinstance(jobs, dict)
        for name, job in jobs.items():
            print(f"  {name:>17} {job['s']:>6.2f}s {job['ratio']:>5.2f}x {job['peak_mb']:>6} MB")
    print(f"(ratio: to read_csv; took {took:.0f}s)")


if __name__ == "__main__":
    main()
