"""Reading a batch file into text columns: CSV (UTF-8, UTF-8 with BOM, GB18030) or JSON Lines.

Every cell is read as text and typed later by :mod:`.fields`, so a bad cell becomes a reported
row, never a failed read. A row the reader cannot take as it stands (a CSV row with fewer or more
cells than the header, a JSON line repeating a key) is reported the same way, in
:attr:`RawBatch.errors`. Columns are checked against the scheme before any work: an unknown
column or a missing required one stops the run with one message.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import polars as pl

from hukoucalc.batch.names import ROW
from hukoucalc.errors import InputFileError, option
from hukoucalc.kinds import kind
from hukoucalc.kinds.jsonvalue import Digits, cell_text, json_cell
from hukoucalc.roles import roles
from hukoucalc.scheme.model import Scheme
from hukoucalc.textfile import NOT_TEXT, check_readable, is_text, read_text, shown

EXTRA_COLUMNS = ("comment",)  # allowed beside the scheme's fields when none is carried, ignored


ERRORS = pl.Schema({ROW: pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String})


@dataclass
class RawBatch:
    frame: pl.DataFrame  # ROW (spreadsheet row number) plus one text column per scheme field
    sha256: str
    encoding: str
    columns: list[str]  # the header's names, trimmed; a field named by its label: its id
    errors: pl.DataFrame  # rows read but not as they stand: ROW, column, value, reason
    carried: pl.DataFrame  # ROW and the carried columns (no field of the scheme), as read

    def with_cell_errors(self, cells: pl.DataFrame) -> pl.DataFrame:
        """The reader's errors and the cell errors of the other rows (a row with too few cells
        is reported once, not once for every cell it lacks)."""
        if self.errors.height == 0:
            return cells
        others = cells.join(self.errors.select(ROW), on=ROW, how="anti")
        return pl.concat([self.errors, others.cast(ERRORS)])


class _Hasher(threading.Thread):
    """SHA-256 of a file, computed beside the parse (hashlib releases the GIL)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.digest = ""

    def run(self) -> None:
        h = hashlib.sha256()
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                h.update(chunk)
        self.digest = h.hexdigest()


def read_batch(
    path: Path,
    scheme: Scheme,
    *,
    encoding: str | None = None,
    unknown_columns: Callable[[list[str]], str] | None = None,
    sheet: str | None = None,
    drop_extra: bool = False,
) -> RawBatch:
    """The batch as text cells, checked against ``scheme``'s fields. A column that is no field
    is carried (see :func:`_conform`), left out with ``drop_extra``, or, given
    ``unknown_columns``, an error worded by it. ``sheet``: the workbook's sheet (default: the
    first)."""
    check_readable(path)  # read whole, twice: parse and checksum
    suffix = path.suffix.lower()
    if suffix == ".json":
        raise InputFileError(
            "one applicant's JSON file: use `hukoucalc score` for it, or give a batch as "
            ".csv, .jsonl (one JSON object a line), .xlsx or .parquet",
            where=str(path),
        )
    if suffix in (".xls", ".ods", ".xlsm", ".xlsb", ".et"):
        raise InputFileError(
            f"a {suffix} spreadsheet: save it as .xlsx (or CSV UTF-8) first", where=str(path)
        )
    if sheet is not None and suffix != ".xlsx":
        raise InputFileError(f"{option('sheet')} is for an .xlsx workbook", where=str(path))
    jsonl = suffix in (".jsonl", ".ndjson")
    binary = suffix in (".xlsx", ".parquet")
    if not binary:
        check_bounds(path, header=not jsonl)  # before polars sees it: it could grow unbounded
    hasher = _Hasher(path)
    hasher.start()
    broken: list[int] = []
    if jsonl:
        (frame, errors, broken), used = _read_jsonl(path, scheme), "utf-8"
    elif suffix == ".xlsx":
        frame, errors = read_workbook(path, scheme, sheet)
        used = "xlsx"
    elif suffix == ".parquet":
        frame, errors = read_parquet(path, scheme)
        used = "parquet"
    else:
        frame, errors, broken, used = _read_csv(path, encoding)
    hasher.join()
    frame, columns, carried = _conform(frame, scheme, path, unknown_columns, drop_extra=drop_extra)
    frame = _without_blank_rows(frame, scheme, keep=broken)
    if errors.height:  # none for a blank line: it is no application
        errors = errors.join(frame.select(ROW), on=ROW, how="semi")
        shape = errors["reason"].str.contains(", the header has ", literal=True).all()
        if shape and errors.height == frame.height and errors["reason"].n_unique() == 1:
            raise InputFileError(  # not a few bad rows: the header does not fit the file
                f"every row: {errors['reason'][0]}; is the header row right?", where=str(path)
            )
        names = header_names(scheme)  # the reader's errors name columns as the header does
        errors = errors.with_columns(pl.col("column").replace(names))
    if not binary:  # a CSV saved by Excel from a column of numbers: 1.10105E+17
        errors = pl.concat([errors, _scientific_ids(frame, scheme)])
    return RawBatch(
        frame=frame.drop(carried),
        sha256=hasher.digest,
        encoding=used,
        columns=columns,
        errors=errors,
        carried=frame.select(ROW, *carried),
    )


AS_NUMBER = (
    "is stored as a number, which keeps 15 digits (1.10105E+17): format the column as Text "
    "in the workbook and type the ID numbers again"
)
_MIDNIGHT = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$"


_SCIENTIFIC = r"^\s*[0-9](\.[0-9]+)?[eE]\+?[0-9]+\s*$"


def _scientific_ids(frame: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    """A bad cell for each ID number written as a number in scientific notation (Excel's
    ``1.10105E+17``): its digits are lost, and the reason says how to keep them."""
    ids = [n for n in (roles(scheme).id_number,) if n is not None]
    found = [
        frame.filter(
            pl.col(n).str.contains("E", literal=True) | pl.col(n).str.contains("e", literal=True)
        )
        .filter(pl.col(n).str.contains(_SCIENTIFIC))
        .select(
            ROW,
            pl.lit(n).alias("column"),
            pl.col(n).alias("value"),
            pl.lit(AS_NUMBER).alias("reason"),
        )
        for n in ids
    ]
    return pl.concat([pl.DataFrame(schema=ERRORS), *found])


def read_workbook(
    path: Path, scheme: Scheme, sheet: str | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A sheet of an .xlsx workbook (the first, or ``sheet``) as text cells, read by calamine
    (``fastexcel``). A cell keeps its text; a date cell is its date (``YYYY-MM-DD``); an ID
    number stored as a number is a bad cell (its last digits are lost: never guessed)."""
    import fastexcel  # noqa: PLC0415 (start-up time: only an .xlsx needs it)

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # calamine's own errors: a damaged or encrypted file
        raise InputFileError(
            f"not a readable .xlsx workbook: {_first_line(exc)}", where=str(path)
        ) from None
    if sheet is not None and sheet not in reader.sheet_names:
        raise InputFileError(
            f"no sheet named '{sheet}' (the workbook has {', '.join(reader.sheet_names)}): "
            f"give the right {option('sheet')}",
            where=str(path),
        )
    which: str | int = sheet if sheet is not None else 0
    try:
        head = reader.load_sheet(which, n_rows=0)
        width = len(head.available_columns())
        if width > MAX_COLUMNS:
            raise InputFileError(
                f"the header has {width:,} columns, more than the {MAX_COLUMNS:,} read: not a "
                "header of applicant fields",
                where=str(path),
            )
        frame = reader.load_sheet(which, dtypes="string").to_polars()
    except fastexcel.FastExcelError as exc:
        raise InputFileError(
            f"not a readable .xlsx sheet: {_first_line(exc)}", where=str(path)
        ) from None
    frame = _numbered(frame, path)
    midnight = frame.select(pl.col(pl.String).str.ends_with(" 00:00:00").any())
    dated = [c for c in midnight.columns if midnight[c][0]]  # date cells: in few columns
    frame = frame.with_columns(pl.col(c).str.replace(_MIDNIGHT, "$1") for c in dated)
    names = header_names(scheme)
    number = roles(scheme).id_number
    ids = [c for c in frame.columns if number is not None and names.get(_trimmed(c)) == number]
    if not ids or frame.height == 0:
        return frame, pl.DataFrame(schema=ERRORS)
    # a cell that reads as a yes/no is a number (or a yes/no) cell, never text: found in one pass
    typed = reader.load_sheet(which, use_columns=ids, dtypes=dict.fromkeys(ids, "boolean"))
    numbers = _numbered(typed.to_polars(), path)
    found = [
        numbers.filter(pl.col(c).is_not_null())
        .select(ROW)
        .join(frame.select(ROW, c), on=ROW)
        .select(
            ROW,
            pl.lit(_trimmed(c)).alias("column"),
            pl.col(c).alias("value"),
            pl.lit(AS_NUMBER).alias("reason"),
        )
        for c in ids
    ]
    return frame, pl.concat([pl.DataFrame(schema=ERRORS), *found])


def read_parquet(path: Path, scheme: Scheme) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A Parquet file as text cells: text as it is, whole numbers as their digits, dates as
    ``YYYY-MM-DD``; an ID number stored as a fraction (a float) is a bad cell."""
    try:
        schema = pl.read_parquet_schema(path)
        if len(schema) > MAX_COLUMNS:
            raise InputFileError(
                f"{len(schema):,} columns, more than the {MAX_COLUMNS:,} read: not a table of "
                "applicant fields",
                where=str(path),
            )
        frame = pl.read_parquet(path)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(
            f"not a readable Parquet file: {_first_line(exc)}", where=str(path)
        ) from None
    except OSError as exc:
        raise InputFileError(f"not a readable Parquet file: {exc}", where=str(path)) from None
    names, number = header_names(scheme), roles(scheme).id_number
    floats = [
        c
        for c, dtype in frame.schema.items()
        if dtype.is_float() and number is not None and names.get(_trimmed(c)) == number
    ]
    frame = _numbered(frame.with_columns(pl.all().cast(pl.String)), path)
    frame = frame.with_columns(
        pl.col(c).str.replace(_MIDNIGHT, "$1")
        for c, dtype in schema.items()
        if dtype == pl.Datetime
    )
    found = [
        frame.filter(pl.col(c).is_not_null()).select(
            ROW,
            pl.lit(_trimmed(c)).alias("column"),
            pl.col(c).alias("value"),
            pl.lit(AS_NUMBER).alias("reason"),
        )
        for c in floats
    ]
    return frame, pl.concat([pl.DataFrame(schema=ERRORS), *found])


MAX_HEADER_BYTES = 1 << 20
MAX_COLUMNS = 2000
_SAMPLE = 1 << 16


def check_bounds(path: Path, *, header: bool) -> None:
    """Refuse a text file that no applicant list can be, before any parser sees it: mostly NUL
    bytes (a disk image, a failed copy), or (with ``header``) a header line over 1 MB or of more
    than 2,000 columns. A parser given one of these grows to many times the file's size."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 1)
        samples = [head[:_SAMPLE]]
        for at in (size // 2, max(0, size - _SAMPLE)):
            if at > len(head):
                handle.seek(at)
                samples.append(handle.read(_SAMPLE))
    sampled = sum(len(s) for s in samples)
    if sampled and sum(s.count(0) for s in samples) * 2 > sampled:
        raise InputFileError(
            "mostly NUL bytes: not a text file of applications (a damaged copy or a disk image?)",
            where=str(path),
        )
    if not header:
        return
    end = min((at for at in (head.find(b"\n"), head.find(b"\r")) if at >= 0), default=-1)
    line = head if end < 0 else head[:end]
    if len(line) > MAX_HEADER_BYTES:
        raise InputFileError(
            f"the header line is over {MAX_HEADER_BYTES // (1 << 20)} MB: not a header of "
            "applicant fields",
            where=str(path),
        )
    columns = re.sub(rb'"[^"]*"', b"q", line).count(b",") + 1
    if columns > MAX_COLUMNS:
        raise InputFileError(
            f"the header has {columns:,} columns, more than the {MAX_COLUMNS:,} read: not a "
            "header of applicant fields",
            where=str(path),
        )


def _without_blank_rows(frame: pl.DataFrame, scheme: Scheme, *, keep: list[int]) -> pl.DataFrame:
    """A blank line is not an application. Only rows blank in one column (a required one if
    any: rarely blank) are checked in every column. The rows in ``keep`` (records that could not
    be read: they are reported) stay."""
    if not scheme.fields or frame.height == 0:
        return frame
    required = [n for n, spec in scheme.fields.items() if spec.required]
    first = (required or list(scheme.fields))[0]
    empty = [pl.col(n).is_null() | (pl.col(n).str.strip_chars() == "") for n in scheme.fields]
    maybe = frame.filter(pl.col(first).is_null() | (pl.col(first).str.strip_chars() == ""))
    blank = maybe.filter(pl.all_horizontal(empty)).select(ROW)
    if keep:
        blank = blank.filter(~pl.col(ROW).is_in(keep))
    return frame.join(blank, on=ROW, how="anti") if blank.height else frame


def _read_csv(
    path: Path, encoding: str | None
) -> tuple[pl.DataFrame, pl.DataFrame, list[int], str]:
    """The cells, the rows not read as they stand (cells that do not match the header, a
    malformed quote, bytes that are not text), the rows not read at all, and the encoding used.

    The encoding is never guessed wrong: UTF-8 unless the file is not UTF-8 text; a file with a
    few bytes that are not UTF-8 (one Latin-1 byte) stays UTF-8, and the rows holding them are
    bad rows; GB18030 only when all of the file decodes as GB18030 and little of it as UTF-8."""
    if path.stat().st_size == 0:
        raise InputFileError("the file is empty: a header row is expected", where=str(path))
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    eol = "\r" if b"\r" in head and b"\n" not in head else "\n"  # lone CR: old Mac exports
    if encoding in (None, "utf-8", "utf8", "utf-8-sig"):
        try:
            frame, ragged = _parse_csv(path, eol, path)
            return frame, _shape_errors(frame, ragged, path.read_bytes, eol), [], "utf-8"
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc).lower():  # not as polars takes CSV: a stray quote?
                try:
                    text = path.read_bytes().decode("utf-8-sig")
                    return (*_parse_text(text, eol, path), "utf-8")
                except UnicodeDecodeError:  # and bytes that are not UTF-8: judged below
                    pass
        except pl.exceptions.NoDataError:
            raise InputFileError(
                "the file is empty: a header row is expected", where=str(path)
            ) from None
        data = path.read_bytes()
        if _mostly_utf8(data):
            frame, errors, broken = _parse_text(data.decode("utf-8-sig", "replace"), eol, path)
            return frame, pl.concat([errors, _not_utf8(frame)]), broken, "utf-8"
        if encoding is not None:
            raise InputFileError(
                f"not UTF-8 text: {_bad_utf8(data)}; give the right "
                f"{option('encoding')} (gb18030?), or save it as CSV UTF-8",
                where=str(path),
            )
    used = encoding or "gb18030"
    data = path.read_bytes()
    try:
        text = data.decode(used)
    except LookupError:
        raise InputFileError(f"unknown encoding '{used}'", where=str(path)) from None
    except UnicodeDecodeError as exc:
        tried = f"as {used}" if encoding else "as UTF-8 or GB18030"
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"cannot be read {tried} (line {line}); save it as CSV UTF-8, "
            f"or give the right {option('encoding')}",
            where=str(path),
        ) from None
    return (*_parse_text(text.removeprefix("\ufeff"), eol, path), used)


NOT_UTF8 = "holds bytes that are not UTF-8 text (shown as \ufffd): save the file as CSV UTF-8"


def _mostly_utf8(data: bytes) -> bool:
    """Whether text that is not all UTF-8 is UTF-8 with a few bad bytes: more of its non-ASCII
    characters decode as UTF-8 than bytes fail to (GB18030 text read as UTF-8 fails almost
    everywhere: its byte pairs seldom make UTF-8 sequences)."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(re.findall("[\udc80-\udcff]", text))
    return len(re.findall("[^\x00-\x7f\udc80-\udcff]", text)) > bad


def _not_utf8(frame: pl.DataFrame) -> pl.DataFrame:
    """A bad cell for each cell holding U+FFFD, what a byte that is not UTF-8 decodes as."""
    found = [
        frame.filter(pl.col(c).str.contains("\ufffd", literal=True)).select(
            ROW,
            pl.lit(_trimmed(c)).alias("column"),
            pl.col(c).alias("value"),
            pl.lit(NOT_UTF8).alias("reason"),
        )
        for c in frame.columns
        if c != ROW
    ]
    return pl.concat([pl.DataFrame(schema=ERRORS), *found])


def _parse_text(text: str, eol: str, path: Path) -> tuple[pl.DataFrame, pl.DataFrame, list[int]]:
    """CSV text read as :func:`_read_csv` returns it; a text polars cannot take as it stands
    (a stray or unbalanced quote) is split into records first, and the malformed ones are bad
    rows."""
    data = text.encode("utf-8")
    try:
        frame, ragged = _parse_csv(io.BytesIO(data), eol, path)
        return frame, _shape_errors(frame, ragged, lambda: data, eol), []
    except pl.exceptions.NoDataError:
        raise InputFileError(
            "the file is empty: a header row is expected", where=str(path)
        ) from None
    except pl.exceptions.ComputeError:
        return _parse_records(text, eol, path)


# possessive (*+): a cell is read one way only, so a malformed line fails in linear time
_FIELD = '(?:"(?:[^"]|"")*+"|[^",]*+)'
_COMPLETE = re.compile(f"{_FIELD}(?:,{_FIELD})*+", re.S)
_OPEN = re.compile(f'(?:{_FIELD},)*+"(?:[^"]|"")*+', re.S)  # a quoted cell going on past the line
_LOOKAHEAD = 50  # lines a quoted cell may span


def _cells_of(record: str) -> int:
    return re.sub('"(?:[^"]|"")*"', "q", record).count(",") + 1


def _parse_records(text: str, eol: str, path: Path) -> tuple[pl.DataFrame, pl.DataFrame, list[int]]:
    """The records of a CSV text that polars refuses, one at a time: a line with a stray quote
    (``王"芳``), or whose quoted cell does not close within a record of the header's width, is a
    bad row, and the records around it are read as usual. Rows are counted as polars counts
    them: a record is a row, a blank line too."""
    lines = text.split(eol)
    if lines and lines[-1] == "":
        lines.pop()
    records: list[str] = []
    numbers: list[int] = []
    bad: list[dict[str, object]] = []
    header: list[str] = []
    width = 0
    at, row = 0, 1
    while at < len(lines):
        record, taken = _record(lines, at, eol, width)
        if row == 1:
            if record is None:
                raise InputFileError('the header row has an unbalanced quote (")', where=str(path))
            header = pl.read_csv(io.BytesIO(record.encode()), infer_schema=False).columns
            width = len(header)
            records.append(record)
        elif record is None:
            bad.append(_bad_record(row, lines[at], 'a stray or unbalanced quote (")'))
        elif record.strip() == "":
            numbers.append(row)  # a blank line: a row of empty cells, as polars reads it
            records.append("," * (width - 1))
        elif (cells := _cells_of(record.removesuffix("\r"))) != width:
            column = _trimmed(header[cells]) if cells < width else "*"
            noun = "cell" if cells == 1 else "cells"
            reason = f"{cells} {noun}, the header has {width}"
            bad.append({ROW: row, "column": column, "value": None, "reason": reason})
        else:
            numbers.append(row)
            records.append(record)
        at += taken
        row += 1
    data = "\n".join(records) + "\n"
    frame = pl.read_csv(io.BytesIO(data.encode()), infer_schema=False)
    if frame.height != len(numbers):  # the records were not split as polars splits them
        raise InputFileError("not a readable CSV: its quotes cannot be matched", where=str(path))
    _no_row_column(frame.columns, path)
    frame = frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64)).select(ROW, *frame.columns)
    errors = pl.DataFrame(bad, schema=ERRORS)
    unread = pl.DataFrame({ROW: [e[ROW] for e in bad]}, schema={ROW: pl.Int64})
    frame = pl.concat([frame, unread], how="diagonal").sort(ROW)
    return frame, errors, unread[ROW].to_list()


def _record(lines: list[str], at: int, eol: str, width: int) -> tuple[str | None, int]:
    """The record starting at line ``at`` and how many lines it takes; None (one line taken)
    for a line that starts no well-formed record."""
    line = lines[at]
    if _COMPLETE.fullmatch(line.removesuffix("\r")):
        return line, 1
    if _OPEN.fullmatch(line):
        record = line
        for end in range(at + 1, min(len(lines), at + 1 + _LOOKAHEAD)):
            record += eol + lines[end]
            body = record.removesuffix("\r")
            if _COMPLETE.fullmatch(body) and (width == 0 or _cells_of(body) == width):
                return record, end - at + 1
            if not _OPEN.fullmatch(record):
                break
    return None, 1


def _bad_record(row: int, line: str, reason: str) -> dict[str, object]:
    value = shown(line[:200] + ("…" if len(line) > 200 else ""))
    return {ROW: row, "column": "*", "value": value, "reason": f"{reason}: the row is not read"}


def _parse_csv(source: Path | io.BytesIO, eol: str, path: Path) -> tuple[pl.DataFrame, bool]:
    """The numbered text cells, and whether a row had more cells than the header (cut)."""
    options = {"infer_schema": False, "eol_char": eol}
    try:
        return _numbered(pl.read_csv(source, **options), path), False  # type: ignore[arg-type]
    except pl.exceptions.ComputeError as exc:
        if "more fields than defined" not in str(exc):
            raise
    if isinstance(source, io.BytesIO):
        source.seek(0)
    frame = pl.read_csv(source, truncate_ragged_lines=True, **options)  # type: ignore[arg-type]
    return _numbered(frame, path), True


def _shape_errors(
    frame: pl.DataFrame, ragged: bool, data: Callable[[], bytes], eol: str
) -> pl.DataFrame:
    """A row with fewer or more cells than the header: its cells cannot be trusted to be in
    their columns, so it is a bad row. polars gives a missing cell as null, as an empty one: only
    the rows whose last cell is null (all, if a row was cut) are counted again, from the text."""
    header = [c for c in frame.columns if c != ROW]
    suspects = (frame if ragged else frame.filter(pl.col(header[-1]).is_null())).select(ROW)
    if suspects.height == 0:
        return pl.DataFrame(schema=ERRORS)
    cells = _cell_counts(data(), eol, suspects[ROW] - 1)
    bad = suspects.with_columns(cells.alias("cells")).filter(pl.col("cells") != len(header))
    names = {k: _trimmed(name) for k, name in enumerate(header)}
    return bad.select(
        ROW,
        pl.col("cells").replace_strict(names, default="*", return_dtype=pl.String).alias("column"),
        pl.lit(None, dtype=pl.String).alias("value"),
        pl.format(
            f"{{}} {{}}, the header has {len(header)}",
            "cells",
            pl.when(pl.col("cells") == 1).then(pl.lit("cell")).otherwise(pl.lit("cells")),
        ).alias("reason"),
    )


def _cell_counts(data: bytes, eol: str, records: pl.Series) -> pl.Series:
    """Cells in these records of a CSV text (0 is the header), counted on its lines: the
    separators, plus one, once every quoted text is one character (its separators and line
    breaks gone, so that lines are records again). '""' goes first, in one bytes pass: an empty
    cell or an escaped quote, the common case; then the few quoted texts left, in one C pass."""
    if b'"' in data:
        data = re.sub(rb'"[^"]*"', b"q", data.replace(b'""', b"q"))
    lines = _lines(data, eol)
    at = pl.DataFrame({"at": records.cast(pl.Int64)})
    given = at.join(
        lines.with_row_index("at").cast({"at": pl.Int64}),
        on="at",
        how="left",
        maintain_order="left",
    )["line"]
    cells = (
        pl.when(given.is_null() | (given == ""))
        .then(0)
        .otherwise(given.str.count_matches(",", literal=True) + 1)
    )
    return pl.select(cells.cast(pl.Int64).alias("cells"))["cells"]


def _lines(data: bytes, eol: str) -> pl.DataFrame:
    """The text's lines, one cell each: NUL as separator and no quoting (NUL cuts a line)."""
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator="\x00",
        quote_char=None,
        eol_char=eol,
        schema={"line": pl.String},
        truncate_ragged_lines=True,
    )


def _bad_utf8(data: bytes) -> str:
    """Where a text stops being UTF-8: its line."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"line {line}"
    return "an invalid byte"


def _read_jsonl(path: Path, scheme: Scheme) -> tuple[pl.DataFrame, pl.DataFrame, list[int]]:
    """One JSON object a line; values become the text a CSV cell would hold, once their JSON
    type is judged as an applicant file's is (:mod:`hukoucalc.kinds.jsonvalue`). Row numbers are
    line numbers; blank lines are skipped. A key given twice in a line is a bad row; so is a line
    that is not a JSON object (cut short by a failed export): the other lines are read."""
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    errors: list[dict[str, object]] = []
    broken: list[int] = []
    lines = read_text(path, encoding="utf-8-sig").splitlines()
    strings = {n for n, spec in scheme.fields.items() if kind(spec).json(spec, "") is None}
    names = header_names(scheme)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        twice: dict[str, list[object]] = {}
        problem = "not a JSON object"
        try:
            record = json.loads(
                line,
                parse_float=Decimal,
                parse_int=Digits,  # the digits as given: a 5,000-digit number is a bad cell
                object_pairs_hook=partial(_object, twice),
            )
            if isinstance(record, dict):
                cells = _cells(record, scheme, strings, number, errors, names)
        except json.JSONDecodeError as exc:
            record, problem = None, f"not a JSON object ({exc.msg}, column {exc.colno})"
        except RecursionError:
            raise InputFileError(
                f"not valid JSON Lines: line {number} is nested too deeply", where=str(path)
            ) from None
        if not isinstance(record, dict):
            value = shown(line[:200] + ("…" if len(line) > 200 else ""))
            errors.append({ROW: number, "column": "*", "value": value, "reason": problem})
            broken.append(number)
            rows.append({})
            numbers.append(number)
            continue
        errors += [
            {
                ROW: number,
                "column": key,
                "value": " | ".join(cell_text(v) or "" for v in values),
                "reason": f"given {len(values)} times in the line: which one is meant?",
            }
            for key, values in twice.items()
        ]
        for key, text in cells.items():  # a lone surrogate (a \ud800 escape) can't be written
            if text is not None and not is_text(text):
                cells[key] = shown(text)
                reason = f"'{cells[key]}' {NOT_TEXT}"  # as a JSON file's text field says
                errors.append({ROW: number, "column": key, "value": cells[key], "reason": reason})
        rows.append(cells)
        numbers.append(number)
    if not rows:
        raise InputFileError(
            "the file is empty: one JSON object a line is expected", where=str(path)
        )
    if len(broken) == len(rows):
        raise InputFileError(
            f"not JSON Lines: no line is a JSON object (line {numbers[0]}: {errors[0]['reason']})",
            where=str(path),
        )
    columns = list(dict.fromkeys(key for row in rows for key in row))
    _no_row_column(columns, path)
    data = {c: [row.get(c) for row in rows] for c in columns}
    frame = pl.DataFrame(
        {ROW: numbers, **data}, schema={ROW: pl.Int64, **dict.fromkeys(columns, pl.String)}
    )
    return frame, pl.DataFrame(errors, schema=ERRORS), broken


def _object(twice: dict[str, list[object]], pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object as a dict; the keys it repeats are added to ``twice``, with their values."""
    record = dict(pairs)
    if len(record) < len(pairs):
        counts = Counter(key for key, _ in pairs)
        for key, value in pairs:
            if counts[key] > 1:
                twice.setdefault(key, []).append(value)
    return record


def _cells(
    record: dict[str, object],
    scheme: Scheme,
    strings: set[str],
    row: int,
    errors: list[dict[str, object]],
    names: dict[str, str],
) -> dict[str, str | None]:
    """A JSON line's values as cell text; a value whose JSON type does not fit its field is a
    bad cell (shown as given), with the reason an applicant file gets. ``strings``: the fields
    that take a JSON string (the common case, not judged again)."""
    cells: dict[str, str | None] = {}
    for key, value in record.items():
        if type(value) is str and key in strings:
            cells[key] = value
            continue
        spec = scheme.fields.get(names.get(_trimmed(key), ""))
        try:
            cells[key] = json_cell(spec, value) if spec is not None else cell_text(value)
        except ValueError as exc:
            cells[key] = cell_text(value)
            errors.append(
                {ROW: row, "column": _trimmed(key), "value": cells[key], "reason": str(exc)}
            )
    return cells


def _numbered(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Row numbers as a spreadsheet shows them: the header is row 1."""
    _no_row_column(frame.columns, path)
    return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))


def _no_row_column(columns: list[str], path: Path) -> None:
    """The name of the row numbers' column is the tool's own."""
    if any(_trimmed(c) == ROW for c in columns):
        raise InputFileError(f"a column named {ROW}: that name is hukoucalc's own", where=str(path))


def _not_fields(scheme: Scheme, unknown: list[str]) -> str:
    return (
        f"column(s) {', '.join(unknown)} are not fields of scheme '{scheme.scheme.id}' "
        f"(`hukoucalc scheme template {scheme.scheme.id}` prints the header)"
    )


def header_names(scheme: Scheme) -> dict[str, str]:
    """The names a header may give each field: its id, its label and the aliases the scheme
    declares. A label or alias two fields share names neither (the id does)."""
    claims: dict[str, set[str]] = {}
    for name, spec in scheme.fields.items():
        for given in (spec.label, *(spec.aliases or ())):
            claims.setdefault(given.strip(), set()).add(name)
    names = {given: next(iter(ids)) for given, ids in claims.items() if len(ids) == 1 and given}
    return {**names, **{name: name for name in scheme.fields}}


def _folded(name: str) -> str:
    """A name as a near miss is judged: full-width forms, case, blanks, ``_`` and ``-`` gone."""
    return re.sub(r"[\s_\-（）()]", "", unicodedata.normalize("NFKC", name).casefold())


def _near_miss(name: str, names: dict[str, str]) -> str | None:
    """The field ``name`` looks like a misspelling of, if any: the same once folded, the start
    of a label (学历 for 学历（学位）), or close to one (身份证号码 for 公民身份号码)."""
    folded = {_folded(given): field for given, field in names.items()}
    mine = _folded(name)
    if mine in folded:
        return folded[mine]
    if len(mine) >= 2:
        for given, field in folded.items():
            if given.startswith(mine) and not given.isascii():
                return field
    close = difflib.get_close_matches(mine, list(folded), n=1, cutoff=0.7)
    return folded[close[0]] if close else None


def _conform(
    frame: pl.DataFrame,
    scheme: Scheme,
    path: Path,
    unknown_columns: Callable[[list[str]], str] | None,
    *,
    drop_extra: bool,
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """The scheme's fields as columns (absent ones empty) and the carried columns after them;
    the header's names (fields by their id, others trimmed) and the carried columns' names.

    A column is a field named by its id, its label or an alias; one that is none of these is
    carried (or an error, given ``unknown_columns``), unless it looks like a misspelt field."""
    present = [c for c in frame.columns if c != ROW]
    header = [re.sub(r"_duplicated_[0-9]+$", "", _trimmed(c)) for c in present]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise InputFileError(f"column(s) {', '.join(duplicated)} appear twice", where=str(path))
    if "" in header:
        raise InputFileError("a column has an empty name in the header row", where=str(path))
    names = header_names(scheme)
    fields = [names.get(c) for c in header]
    twice = sorted({f for f in fields if f is not None and fields.count(f) > 1})
    if twice:
        given = [f"{c} ({f})" for c, f in zip(header, fields, strict=True) if f in twice]
        raise InputFileError(
            f"column(s) {', '.join(given)} name the same field twice", where=str(path)
        )
    unknown = [c for c, f in zip(header, fields, strict=True) if f is None]
    if unknown_columns is not None:
        unknown = [c for c in unknown if c not in EXTRA_COLUMNS]
        if unknown:
            raise InputFileError(unknown_columns(unknown), where=str(path))
    near = [(c, f) for c in unknown if (f := _near_miss(c, names)) is not None]
    if near:
        shown_near = ", ".join(f"'{c}' (field {f}, {scheme.fields[f].label})" for c, f in near)
        raise InputFileError(
            f"column(s) {shown_near} look like a misspelt field: name the column by the field's "
            "id or label (or declare the name in the scheme's aliases); a column carried into "
            "the list must not look like a field",
            where=str(path),
        )
    header = [f if f is not None else c for c, f in zip(header, fields, strict=True)]
    frame = frame.rename(dict(zip(present, header, strict=True)))
    missing = [n for n, spec in scheme.fields.items() if spec.required and n not in header]
    if missing:
        none = all(f is None for f in fields)  # a title above the header, or another sheet?
        hint = "; no column is a field: is the header the first row?" if none else ""
        raise InputFileError(
            f"required column(s) {', '.join(missing)} are missing{hint}", where=str(path)
        )
    carried = [] if drop_extra or unknown_columns is not None else unknown
    absent = [pl.lit(None, dtype=pl.String).alias(n) for n in scheme.fields if n not in header]
    return frame.with_columns(absent).select(ROW, *scheme.fields, *carried), header, carried


def _trimmed(name: str) -> str:
    """A header name as written: without blanks around it or a byte-order mark before it."""
    return name.strip().lstrip("\ufeff")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
