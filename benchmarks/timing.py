"""What the batch benchmarks share: the synthetic pools, one timed fresh process, and the
alternating runs of a reference and a job (so both share the machine's noise).

Pools are made once with `hukoucalc synth` (seed 1) under benchmarks/data/ (git-ignored) and
reused. Only the standard library: run with the interpreter that has hukoucalc installed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Pair:
    """Medians (s) and peaks (MB) of a reference and a job, measured alternately."""

    reference_s: float
    job_s: float
    reference_mb: int
    job_mb: int

    @property
    def ratio(self) -> float:
        return round(self.job_s / self.reference_s, 2)


def alternate(reference: list[str], job: list[str], repeat: int) -> Pair:
    """Run the reference once to warm the file cache, then both ``repeat`` times in turn."""
    (reference_s, reference_mb), (job_s, job_mb) = in_turn([reference, job], repeat)
    return Pair(reference_s=reference_s, job_s=job_s, reference_mb=reference_mb, job_mb=job_mb)


def in_turn(commands: list[list[str]], repeat: int) -> list[tuple[float, int]]:
    """Median seconds and peak MB of each command: the first runs once to warm the file cache,
    then all of them ``repeat`` times in turn."""
    measure(commands[0])
    times: list[list[float]] = [[] for _ in commands]
    peaks = [0] * len(commands)
    for _ in range(repeat):
        for k, command in enumerate(commands):
            seconds, peak = measure(command)
            times[k].append(seconds)
            peaks[k] = max(peaks[k], peak)
    return [
        (round(statistics.median(t), 3), round(peak / 1024))
        for t, peak in zip(times, peaks, strict=True)
    ]


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """The options every batch benchmark takes: --sizes, --repeat, --json."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


Results = list[dict[str, object]]


def run_sizes(
    parser: argparse.ArgumentParser, bench: Callable[[argparse.Namespace, int], dict[str, object]]
) -> tuple[Results, float] | None:
    """Parse the options and run ``bench`` for each of ``--sizes``: with ``--json``, print the
    results and return None; else return them and the time it all took (s)."""
    args = parser.parse_args()
    started = time.perf_counter()
    results = [bench(args, int(n)) for n in args.sizes.split(",")]
    if args.json:
        print(json.dumps(results, indent=2))
        return None
    return results, time.perf_counter() - started


def rank_against_read(
    path: Path, rows: int, scheme: str, read: str, label: str, repeat: int
) -> dict[str, float | int]:
    """``hukoucalc rank`` of ``path`` against ``python -c "import polars; <read>"`` (the same
    file read by polars), run alternately; medians, their ratio and both peaks, keyed by
    ``label`` (``read_csv``, ``read_excel``)."""
    with tempfile.TemporaryDirectory() as tmp:
        reference = [sys.executable, "-c", f"import polars; {read}"]
        job = [sys.executable, "-m", "hukoucalc", "rank", str(path), "-s", scheme]
        job += ["-o", f"{tmp}/ranked.csv", "--errors", f"{tmp}/bad.csv", "--json"]
        times = alternate(reference, job, repeat)
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        f"{label}_s": times.reference_s,
        "rank_s": times.job_s,
        "ratio": times.ratio,
        f"{label}_peak_mb": times.reference_mb,
        "rank_peak_mb": times.job_mb,
    }


def print_rank_table(results: list[dict[str, float | int]], label: str) -> None:
    """The rows of :func:`rank_against_read`, one line a pool size."""
    header = ("rows", "MB", label, "rank", "ratio", "peak read", "peak rank")
    print("{:>9} {:>6} {:>10} {:>8} {:>6} {:>10} {:>10}".format(*header))
    for r in results:
        print(
            f"{r['rows']:>9,} {r['file_mb']:>6} {r[label + '_s']:>9.2f}s {r['rank_s']:>7.2f}s "
            f"{r['ratio']:>5.2f}x {r[label + '_peak_mb']:>8} MB {r['rank_peak_mb']:>8} MB"
        )
