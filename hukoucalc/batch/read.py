"""Reading a batch file into text columns: CSV (UTF-8, UTF-8 with BOM, GB18030) or JSON Lines.

Every cell is read as text and typed later by :mod:`.fields`, so a bad cell becomes a reported
row, never a failed read. Columns are checked against the scheme before any work: an unknown
column or a missing required one stops the run with one message.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import polars as pl

from hukoucalc.batch.fields import ROW
from hukoucalc.errors import InputFileError
from hukoucalc.scheme.model import Scheme
from hukoucalc.textfile import read_text

EXTRA_COLUMNS = ("comment",)  # allowed beside the scheme's fields, ignored
ENCODINGS = ("utf-8", "gb18030")


@dataclass
class RawBatch:
    frame: pl.DataFrame  # ROW (spreadsheet row number) plus one text column per scheme field
    sha256: str
    encoding: str
    columns: list[str]  # the header's names, trimmed (a BOM and blanks around them removed)


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
) -> RawBatch:
    """The batch as text cells, checked against ``scheme``'s fields; ``unknown_columns`` words
    the error for columns that are not its fields (default: names the scheme)."""
    if path.is_dir():
        raise InputFileError("is a folder, not a file", where=str(path))
    if not path.is_file():
        raise InputFileError("no such file", where=str(path))
    if path.suffix.lower() == ".json":
        raise InputFileError(
            "one applicant's JSON file: use `hukoucalc score` for it, or give a batch as "
            ".csv or .jsonl (one JSON object a line)",
            where=str(path),
        )
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        raise InputFileError("a spreadsheet file: save it as CSV (UTF-8) first", where=str(path))
    hasher = _Hasher(path)
    hasher.start()
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        frame, used = _read_jsonl(path), "utf-8"
    else:
        frame, used = _read_csv(path, encoding)
    hasher.join()
    frame, columns = _conform(frame, scheme, path, unknown_columns or partial(_not_fields, scheme))
    frame = _without_blank_rows(frame, scheme)
    return RawBatch(frame=frame, sha256=hasher.digest, encoding=used, columns=columns)


def _without_blank_rows(frame: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    """A blank line is not an application. Only rows blank in one column (a required one if
    any: rarely blank) are checked in every column."""
    if not scheme.fields or frame.height == 0:
        return frame
    required = [n for n, spec in scheme.fields.items() if spec.required]
    first = (required or list(scheme.fields))[0]
    empty = [pl.col(n).is_null() | (pl.col(n).str.strip_chars() == "") for n in scheme.fields]
    maybe = frame.filter(pl.col(first).is_null() | (pl.col(first).str.strip_chars() == ""))
    blank = maybe.filter(pl.all_horizontal(empty)).select(ROW)
    return frame.join(blank, on=ROW, how="anti") if blank.height else frame


def _read_csv(path: Path, encoding: str | None) -> tuple[pl.DataFrame, str]:
    if path.stat().st_size == 0:
        raise InputFileError("the file is empty: a header row is expected", where=str(path))
    options = {"infer_schema": False}
    if encoding in (None, "utf-8", "utf8", "utf-8-sig"):
        try:
            frame = pl.read_csv(path, **options)  # type: ignore[arg-type]
            return _numbered(frame), "utf-8"
        except pl.exceptions.ComputeError as exc:
            if encoding is not None or "utf-8" not in str(exc).lower():
                raise InputFileError(
                    f"not a readable CSV: {_first_line(exc)}", where=str(path)
                ) from None
        except pl.exceptions.NoDataError:
            raise InputFileError(
                "the file is empty: a header row is expected", where=str(path)
            ) from None
    used = encoding or "gb18030"
    try:
        text = path.read_bytes().decode(used)
    except LookupError:
        raise InputFileError(f"unknown encoding '{used}'", where=str(path)) from None
    except UnicodeDecodeError as exc:
        tried = f"as {used}" if encoding else "as UTF-8 or GB18030"
        raise InputFileError(
            f"cannot be read {tried} (byte {exc.start}); save it as CSV UTF-8, "
            "or give the right --encoding",
            where=str(path),
        ) from None
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), **options)  # type: ignore[arg-type]
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"not a readable CSV: {_first_line(exc)}", where=str(path)) from None
    return _numbered(frame), used


def _read_jsonl(path: Path) -> pl.DataFrame:
    """One JSON object a line; values become the text a CSV cell would hold. Row numbers are
    line numbers; blank lines are skipped."""
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    lines = read_text(path, encoding="utf-8-sig").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputFileError(
                f"not valid JSON Lines: line {number}: {exc.msg}", where=str(path)
            ) from None
        if not isinstance(record, dict):
            raise InputFileError(
                f"not valid JSON Lines: line {number} is not a JSON object", where=str(path)
            )
        rows.append({key: _cell_text(value) for key, value in record.items()})
        numbers.append(number)
    if not rows:
        raise InputFileError(
            "the file is empty: one JSON object a line is expected", where=str(path)
        )
    columns = list(dict.fromkeys(key for row in rows for key in row))
    data = {c: [row.get(c) for row in rows] for c in columns}
    return pl.DataFrame(
        {ROW: numbers, **data}, schema={ROW: pl.Int64, **dict.fromkeys(columns, pl.String)}
    )


def _cell_text(value: object) -> str | None:
    """A JSON value as CSV cell text: lists joined by ';', {from, to} as 'from..to'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(t for t in (_cell_text(v) for v in value) if t)
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value['from']}..{value['to']}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)  # refused later as a bad cell
    return str(value)


def _numbered(frame: pl.DataFrame, start: int = 2) -> pl.DataFrame:
    """Row numbers as a spreadsheet shows them: the header is row 1 (a JSON Lines file has none)."""
    return frame.with_row_index(ROW, offset=start).with_columns(pl.col(ROW).cast(pl.Int64))


def _not_fields(scheme: Scheme, unknown: list[str]) -> str:
    return (
        f"column(s) {', '.join(unknown)} are not fields of scheme '{scheme.scheme.id}' "
        f"(`hukoucalc scheme template {scheme.scheme.id}` prints the header)"
    )


def _conform(
    frame: pl.DataFrame, scheme: Scheme, path: Path, unknown_columns: Callable[[list[str]], str]
) -> tuple[pl.DataFrame, list[str]]:
    """The scheme's fields as columns (absent ones empty), and the header's trimmed names."""
    present = [c for c in frame.columns if c != ROW]
    header = [re.sub(r"_duplicated_[0-9]+$", "", c.strip().lstrip("\ufeff")) for c in present]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise InputFileError(f"column(s) {', '.join(duplicated)} appear twice", where=str(path))
    if "" in header:
        raise InputFileError("a column has an empty name in the header row", where=str(path))
    frame = frame.rename(dict(zip(present, header, strict=True)))
    unknown = [c for c in header if c not in scheme.fields and c not in EXTRA_COLUMNS]
    if unknown:
        raise InputFileError(unknown_columns(unknown), where=str(path))
    missing = [n for n, spec in scheme.fields.items() if spec.required and n not in header]
    if missing:
        raise InputFileError(
            f"required column(s) {', '.join(missing)} are missing", where=str(path)
        )
    absent = [pl.lit(None, dtype=pl.String).alias(n) for n in scheme.fields if n not in header]
    return frame.with_columns(absent).select(ROW, *scheme.fields), header


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
