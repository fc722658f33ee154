"""Writing results: atomically (never a half-written file), Excel-safe CSV or JSON Lines.

CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly. A text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is neutralised with a leading apostrophe; numbers, negative points included, stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from hukoucalc import atomic

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(columns: Iterable[str]) -> list[pl.Expr]:
    """Text columns made safe for spreadsheets."""
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    return [
        pl.when(pl.col(c).str.contains(pattern))
        .then(pl.concat_str(pl.lit("'"), pl.col(c)))
        .otherwise(pl.col(c))
        .alias(c)
        for c in columns
    ]


def frame_writer(frame: pl.DataFrame, fmt: str) -> atomic.Writer:
    """A writer of ``frame`` as CSV (with a BOM) or JSON Lines, for :func:`atomic.write_all`."""

    def write(temp: str) -> None:
        if fmt == "jsonl":  # exact decimals as strings: JSON numbers are read as floats
            decimals = [c for c, t in frame.schema.items() if isinstance(t, pl.Decimal)]
            frame.with_columns(pl.col(decimals).cast(pl.String)).write_ndjson(temp)
        else:
            frame.write_csv(temp, include_bom=True)

    return write


def write_atomically(frame: pl.DataFrame, path: Path, fmt: str) -> None:
    """Write ``frame`` as CSV or JSON Lines to a temporary file beside ``path``, then rename it."""
    atomic.write_atomically(path, frame_writer(frame, fmt))
