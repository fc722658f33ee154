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
from pathlib import Path

import polars as pl
from timing import (  # benchmarks/timing.py
    arguments,
    pool,
    print_rank_table,
    rank_against_read,
    run_sizes,
)


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
    read = f"polars.read_excel({str(path)!r}, engine='calamine')"
    return rank_against_read(path, rows, scheme, read, "read_excel", repeat)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--scheme", default="beijing-2020")
    done = run_sizes(parser, lambda args, rows: bench(args.scheme, rows, args.repeat))
    if done is None:
        return
    results, took = done
    print_rank_table(results, "read_excel")
    print(f"(took {took:.0f}s)")


if __name__ == "__main__":
    main()
