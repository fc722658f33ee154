"""Writing results: atomically (never a half-written file), in the format the file's suffix names.

``.csv`` is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly. A text cell that
a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is neutralised with a leading apostrophe; numbers, negative points included, stay numbers.
``.jsonl`` carries exact decimals as strings. ``.xlsx`` (written with xlsxwriter, imported only
then) keeps text cells as text (an ID number is never a number, a leading ``=`` never a formula),
points as numbers shown with the scheme's places, a frozen header and an autofilter.
``.parquet`` keeps every column's type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

from hukoucalc import atomic
from hukoucalc.errors import OutputError, UsageError, option

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
}
"""The output formats, by the file's suffix (lower case)."""
XLSX_ROWS = 1_048_576  # a worksheet's rows, the header included


def output_format(path: Path, parameter: str) -> str:
    """The format of an output file, from its suffix; any other suffix is a usage error about
    ``parameter`` (the caller's name for it: :func:`hukoucalc.errors.option`)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(set(FORMATS) - {".ndjson"}))
        raise UsageError(
            f"'{path.name}': an output file is named by its format: {known}",
            where=option(parameter),
        )
    return fmt


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
    """A writer of ``frame`` in ``fmt`` (csv, jsonl, xlsx, parquet), for
    :func:`atomic.write_all`. CSV cells are written as they are: neutralise text first."""

    def write(temp: str) -> None:
        if fmt == "jsonl":  # exact decimals as strings: JSON numbers are read as floats
            decimals = [c for c, t in frame.schema.items() if isinstance(t, pl.Decimal)]
            frame.with_columns(pl.col(decimals).cast(pl.String)).write_ndjson(temp)
        elif fmt == "xlsx":
            write_xlsx(frame, temp)
        elif fmt == "parquet":
            frame.write_parquet(temp)
        elif fmt == "csv":
            frame.write_csv(temp, include_bom=True)
        else:
            raise ValueError(f"unknown output format {fmt!r}")

    return write


def write_xlsx(frame: pl.DataFrame, path: str, sheet: str = "Sheet1") -> None:
    """``frame`` as one worksheet: a bold frozen header with an autofilter, text as text (never
    a number, a formula or a link), decimals as numbers shown with their scale's places,
    integers as numbers, booleans as booleans, dates as dates; a null is an empty cell."""
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 (only for .xlsx)

    if frame.height + 1 > XLSX_ROWS:
        raise OutputError(
            f"{frame.height:,} rows do not fit in a worksheet ({XLSX_ROWS - 1:,} at most): "
            "write .csv or .parquet"
        )
    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,  # row by row: memory does not grow with the list
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    try:
        sheet_ = book.add_worksheet(sheet)
        bold = book.add_format({"bold": True})
        writers: list[Callable[[int, int, Any], object]] = []
        for col, (name, dtype) in enumerate(frame.schema.items()):
            writers.append(_cell_writer(book, sheet_, dtype))
            sheet_.write_string(0, col, name, bold)
            sheet_.set_column(col, col, _width(frame, name))
        for row, values in enumerate(frame.iter_rows(), start=1):
            for col, value in enumerate(values):
                if value is not None:
                    writers[col](row, col, value)
        sheet_.freeze_panes(1, 0)
        if frame.width:
            sheet_.autofilter(0, 0, frame.height, frame.width - 1)
    finally:
        book.close()


def _cell_writer(book: Any, sheet: Any, dtype: pl.DataType) -> Callable[[int, int, Any], object]:
    if isinstance(dtype, pl.Decimal):
        places = dtype.scale or 0
        shown = book.add_format({"num_format": "0." + "0" * places if places else "0"})
        return lambda r, c, v: sheet.write_number(r, c, float(v), shown)
    if dtype.is_numeric():
        return sheet.write_number  # type: ignore[no-any-return]
    if dtype == pl.Boolean:
        return sheet.write_boolean  # type: ignore[no-any-return]
    if dtype == pl.Date:
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        return lambda r, c, v: sheet.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), day)
    return lambda r, c, v: sheet.write_string(r, c, str(v))


def _width(frame: pl.DataFrame, name: str) -> int:
    """A column wide enough for its header and the first cells (CJK characters count twice)."""
    sample = [name, *(str(v) for v in frame[name].head(50).to_list() if v is not None)]
    return min(60, max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in s) for s in sample) + 2)


def write_atomically(frame: pl.DataFrame, path: Path, fmt: str, *, private: bool = True) -> None:
    """Write ``frame`` in ``fmt`` to a temporary file beside ``path``, then rename it; a new
    file is 0600 when ``private`` (it holds ID numbers)."""
    atomic.write_atomically(path, frame_writer(frame, fmt), private=private)
