"""Benchmark `hukoucalc rank` against `polars.read_csv` of the same file, in one run.

    python benchmarks/rank.py                   # 100k and 1M rows of beijing-2020
    python benchmarks/rank.py --sizes 100000 --repeat 5 --json

Pools are made once with `hukoucalc synth` (seed 1) under benchmarks/data/ (git-ignored) and
reused. Each measurement is a fresh process, run alternately with the reference so both share the
machine's noise: the reference is `python -c "import polars; polars.read_csv(FILE, ...)"`, the
job is `python -m hukoucalc rank FILE -s SCHEME -o OUT --errors ERR`. Printed: medians, the
ratio job / reference (the goal at 1M rows is <= 2.0), and each process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "elapsed = time.perf_counter() - t\n"
    "if done.returncode:\n"
    "    sys.stderr.write(done.stderr.decode(errors='replace'))\n"
    "    sys.exit(done.returncode)\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def pool(scheme: str, rows: int) -> Path:
    path = DATA / f"{scheme}-{rows}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"making {path.name} ...", file=sys.stderr)
        command = [sys.executable, "-m", "hukoucalc", "synth", "-s", scheme]
        command += ["--n", str(rows), "--seed", "1", "-o", str(path)]
        subprocess.run(command, check=True, capture_output=True)
    return path


def measure(command: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (KiB) of one fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
    elapsed, peak = done.stdout.split()
    return float(elapsed), int(peak)


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
        measure(reference)  # warm the file cache
        ref_times, job_times, ref_peak, job_peak = [], [], 0, 0
        for _ in range(repeat):
            seconds, peak = measure(reference)
            ref_times.append(seconds)
            ref_peak = max(ref_peak, peak)
            seconds, peak = measure(job)
            job_times.append(seconds)
            job_peak = max(job_peak, peak)
    ref, got = statistics.median(ref_times), statistics.median(job_times)
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "read_csv_s": round(ref, 3),
        "rank_s": round(got, 3),
        "ratio": round(got / ref, 2),
        "read_csv_peak_mb": round(ref_peak / 1024),
        "rank_peak_mb": round(job_peak / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scheme", default="beijing-2020")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    started = time.perf_counter()
    results = [bench(args.scheme, int(n), args.repeat) for n in args.sizes.split(",")]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    header = ("rows", "MB", "read_csv", "rank", "ratio", "peak read", "peak rank")
    print("{:>9} {:>6} {:>9} {:>8} {:>6} {:>10} {:>10}".format(*header))
    for r in results:
        print(
            f"{r['rows']:>9,} {r['file_mb']:>6} {r['read_csv_s']:>8.2f}s {r['rank_s']:>7.2f}s "
            f"{r['ratio']:>5.2f}x {r['read_csv_peak_mb']:>8} MB {r['rank_peak_mb']:>8} MB"
        )
    print(
        f"(goal at 1M rows: ratio <= 2.0, peak < 2 GB; took {time.perf_counter() - started:.0f}s)"
    )


if __name__ == "__main__":
    main()
