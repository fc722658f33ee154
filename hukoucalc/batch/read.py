"""Reading a batch file into text columns: CSV (UTF-8, UTF-8 with BOM, GB18030) or JSON Lines.

Every cell is read as text and typed later by :mod:`.fields`, so a bad cell becomes a reported
row, never a failed read. Columns are checked against the scheme before any work: an unknown
column or a missing required one stops the run with one message.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from hukoucalc.batch.fields import ROW
from hukoucalc.errors import InputFileError
from hukoucalc.scheme.model import Scheme

EXTRA_COLUMNS = ("comment",)  # allowed beside the scheme's fields, ignored
ENCODINGS = ("utf-8", "gb18030")


@dataclass
class RawBatch:
    frame: pl.DataFrame  # ROW (spreadsheet row number) plus one text column per scheme field
    sha256: str
    encoding: str
    columns: list[str]  # as in the file


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


def read_batch(path: Path, scheme: Scheme, *, encoding: str | None = None) -> RawBatch:
    if not path.is_file():
        raise InputFileError("no such file", where=str(path))
    hasher = _Hasher(path)
    hasher.start()
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        frame, used = _read_jsonl(path), "utf-8"
    else:
        frame, used = _read_csv(path, encoding)
    hasher.join()
    columns = [c for c in frame.columns if c != ROW]
    frame = _conform(frame, scheme, path)
    return RawBatch(frame=frame, sha256=hasher.digest, encoding=used, columns=columns)


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
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputFileError(
            f"not UTF-8 and not {used} either ({exc}); give --encoding", where=str(path)
        ) from None
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), **options)  # type: ignore[arg-type]
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"not a readable CSV: {_first_line(exc)}", where=str(path)) from None
    return _numbered(frame), used


def _read_jsonl(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"not valid JSON Lines: {_first_line(exc)}", where=str(path)) from None
    return _numbered(
        frame.select(_as_text(name, frame.schema[name]) for name in frame.columns), start=1
    )


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A JSON value as the text a CSV cell would hold (lists of periods or dates joined by ';')."""
    column = pl.col(name)
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        if isinstance(inner, pl.Struct):
            item = pl.concat_str(
                pl.element().struct.field("from"), pl.lit(".."), pl.element().struct.field("to")
            )
            return column.list.eval(item).list.join(";").alias(name)
        return column.list.eval(pl.element().cast(pl.String)).list.join(";").alias(name)
    if dtype == pl.Boolean:
        return pl.when(column).then(pl.lit("true")).when(~column).then(pl.lit("false")).alias(name)
    return column.cast(pl.String).alias(name)


def _numbered(frame: pl.DataFrame, start: int = 2) -> pl.DataFrame:
    """Row numbers as a spreadsheet shows them: the header is row 1 (a JSON Lines file has none)."""
    return frame.with_row_index(ROW, offset=start).with_columns(pl.col(ROW).cast(pl.Int64))


def _conform(frame: pl.DataFrame, scheme: Scheme, path: Path) -> pl.DataFrame:
    present = [c for c in frame.columns if c != ROW]
    header = [c.strip().lstrip("\ufeff") for c in present]
    frame = frame.rename(dict(zip(present, header, strict=True)))
    unknown = [c for c in header if c not in scheme.fields and c not in EXTRA_COLUMNS]
    if unknown:
        raise InputFileError(
            f"column(s) {', '.join(unknown)} are not fields of scheme '{scheme.scheme.id}' "
            f"(`hukoucalc scheme template {scheme.scheme.id}` prints the header)",
            where=str(path),
        )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise InputFileError(f"column(s) {', '.join(duplicated)} appear twice", where=str(path))
    missing = [n for n, spec in scheme.fields.items() if spec.required and n not in header]
    if missing:
        raise InputFileError(
            f"required column(s) {', '.join(missing)} are missing", where=str(path)
        )
    absent = [pl.lit(None, dtype=pl.String).alias(n) for n in scheme.fields if n not in header]
    return frame.with_columns(absent).select(ROW, *scheme.fields)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
