"""Benchmark `hukoucalc rank` of an .xlsx pool against `polars.read_excel` of the same file.

    python benchmarks/rank_xlsx.py                    # 100k and 1M rows of beijing-2020
    python benchmarks/rank_xlsx.py --sizes 100000 --repeat 3

The workbook is the CSV pool of benchmarks/rank.py (`hukoucalc synth`, seed 1) written once as
one sheet of text cells with xlsxwriter's constant-memory mode, under benchmarks/data/
(git-ignored). Each measurement is a fresh process, run alternately with the reference: `python
-c "import polars; polars.read_excel(FILE, engine='calamine')"` (the same reader `rank` uses,
every cell typed as polars infers it); the job is `python -m hukoucalc rank FILE -s SCHEME -o OUT
--errors ERR`. Printed: medians, the ratio job / reference, and each process's peak memory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl
from timing import alternate, arguments, pool, run_sizes  # benchmarks/timing.py


def workbook(scheme: str, rows: int) -> Path:
    """The CSV pool as an .xlsx of text cells (made once)."""
    source = pool(scheme, rows)
    path = source.with_suffix(".xlsx")
    if not path.exists():
        import xlsxwriter  # noqa: PLC0415

        print(f"making {path.name} ...", file=sys.stderr)
        frame = pl.read_csv(source, infer_schema=False)
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("名单")
        sheet.write_row(0, 0, frame.columns)
        for r, values in enumerate(frame.iter_rows(), start=1):
            for c, value in enumerate(values):
                if value is not None:
                    sheet.write_string(r, c, value)
        book.close()
    return path


def bench(scheme: str, rows: int, repeat: int) -> dict[str, float | int]:
    path = workbook(scheme, rows)
    with tempfile.TemporaryDirectory() as tmp:
        reference = [
            sys.executable,
            "-c",
            f"import polars; polars.read_excel({str(path)!r}, engine='calamine')",
        ]
        job = [sys.executable, "-m", "hukoucalc", "rank", str(path), "-s", scheme]
        job += ["-o", f"{tmp}/ranked.csv", "--errors", f"{tmp}/bad.csv", "--json"]
        times = alternate(reference, job, repeat)
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "read_excel_s": times.reference_s,
        "rank_s": times.job_s,
        "ratio": times.ratio,
        "read_excel_peak_mb": times.reference_mb,
        "rank_peak_mb": times.job_mb,
    }


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--scheme", default="beijing-2020")
    done = run_sizes(parser, lambda args, rows: bench(args.scheme, rows, args.repeat))
    if done is None:
        return
    results, took = done
    header = ("rows", "MB", "read_excel", "rank", "ratio", "peak read", "peak rank")
    print("{:>9} {:>6} {:>10} {:>8} {:>6} {:>10} {:>10}".format(*header))
    for r in results:
        print(
            f"{r['rows']:>9,} {r['file_mb']:>6} {r['read_excel_s']:>9.2f}s {r['rank_s']:>7.2f}s "
            f"{r['ratio']:>5.2f}x {r['read_excel_peak_mb']:>8} MB {r['rank_peak_mb']:>8} MB"
        )
    print(f"(took {took:.0f}s)")


if __name__ == "__main__":
    main()
