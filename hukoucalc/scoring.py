"""Scoring applicant files: choose the schemes, validate the record for each, score it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hukoucalc.applicant import META_KEYS, read_json, validate_applicant
from hukoucalc.errors import ApplicantError, HukoucalcError, UsageError, option
from hukoucalc.kinds import integer, kind
from hukoucalc.scheme.load import DEFAULT_SCHEME, LoadedScheme, load_scheme
from hukoucalc.scheme.model import Scheme
from hukoucalc.scorecard import Scorecard, score_record

BATCH_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx", ".parquet")  # rank's input

if TYPE_CHECKING:
    import polars as pl

_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


def score_file(path: Path, scheme_refs: list[str], *, today: dt.date) -> list[Scorecard]:
    """Scorecards for the applicant in ``path`` under each scheme (or the file's own scheme);
    ``today`` decides validity (a birth date after it is refused)."""
    if path.suffix.lower() in BATCH_SUFFIXES:
        raise UsageError(
            f"a batch of applications ({path.suffix}), not one applicant's JSON file: name the "
            f"row to explain with {option('id_number')} or {option('row')}",
            where=str(path),
        )
    data = read_json(path)
    loaded = [load_scheme(ref) for ref in scheme_refs] or [_own_scheme(data, path)]
    known = {name for s in loaded for name in s.scheme.fields}
    cards = []
    for scheme in loaded:
        # with several schemes, a key another scheme declares is not a typo for this one
        own = {k: v for k, v in data.items() if k in scheme.scheme.fields or k in META_KEYS}
        extra = {k: v for k, v in data.items() if k not in known and k not in META_KEYS}
        record = validate_applicant(scheme.scheme, own | extra, where=str(path), today=today)
        cards.append(score_record(scheme, record, applicant=str(path)))
    return cards


def load_applicant(
    path: Path, scheme_ref: str | None, *, today: dt.date
) -> tuple[LoadedScheme, dict[str, Any]]:
    """One applicant file under one scheme (``scheme_ref``, else the file's own): the scheme and
    the validated record."""
    data = read_json(path)
    loaded = load_scheme(scheme_ref) if scheme_ref else _own_scheme(data, path)
    return loaded, validate_applicant(loaded.scheme, data, where=str(path), today=today)


def _own_scheme(data: dict[str, Any], path: Path) -> LoadedScheme:
    """The scheme the file names in its "scheme" key (a path is relative to the file)."""
    ref = data.get("scheme", DEFAULT_SCHEME)
    if not isinstance(ref, str):
        raise ApplicantError("key 'scheme': a scheme name or path is expected", where=str(path))
    beside = path.parent / ref
    if ref.endswith(".toml") and beside.is_file():
        ref = str(beside)
    try:
        return load_scheme(ref)
    except HukoucalcError as exc:
        exc.message = f"key 'scheme': {exc.render()}"
        exc.where = str(path)
        raise


def score_row(
    path: Path,
    scheme_refs: list[str],
    *,
    today: dt.date,
    id_number: str | None = None,
    row: int | None = None,
    encoding: str | None = None,
) -> list[Scorecard]:
    """Scorecards of one row of a batch file (``rank``'s input), found by its ID number or its
    row number (as ``rank`` reports rows), under each scheme (default: the latest Beijing
    round): exactly as :func:`score_file` scores the same applicant in a JSON file, and refused
    with the same error."""
    import polars as pl  # noqa: PLC0415 (score of a JSON file never imports polars)

    from hukoucalc.batch.names import ROW  # noqa: PLC0415 (the batch reader: only here)
    from hukoucalc.batch.read import read_batch  # noqa: PLC0415
    from hukoucalc.roles import roles  # noqa: PLC0415

    if (id_number is None) == (row is None):
        raise UsageError(
            f"give one of {option('id_number')} and {option('row')}: which row of the batch",
            where=str(path),
        )
    cards = []
    for loaded in [load_scheme(ref) for ref in scheme_refs or [DEFAULT_SCHEME]]:
        scheme = loaded.scheme
        frame = read_batch(path, scheme, encoding=encoding).frame
        if row is not None:
            found = frame.filter(pl.col(ROW) == row)
            missing = f"no row {row} (the rows of applications are {_rows(frame[ROW])})"
        else:
            field = roles(scheme).id_number
            if field is None:
                raise UsageError(
                    f"{option('id_number')}: {loaded.id} has no ID number field: give "
                    f"{option('row')}",
                    where=str(path),
                )
            wanted = (id_number or "").strip().upper()
            found = frame.filter(pl.col(field).str.strip_chars().str.to_uppercase() == wanted)
            missing = f"no applicant with the ID number {id_number}"
        if found.height == 0:
            raise UsageError(missing, where=str(path))
        if found.height > 1:
            rows = ", ".join(str(r) for r in found[ROW].to_list())
            raise ApplicantError(
                f"the ID number {id_number} is on rows {rows} (ID numbers are unique): give "
                f"{option('row')}",
                where=str(path),
            )
        cells = found.row(0, named=True)
        where = f"{path}, row {cells[ROW]}"
        record = validate_applicant(scheme, _record(scheme, cells), where=where, today=today)
        cards.append(score_record(loaded, record, applicant=where))
    return cards


def _rows(rows: pl.Series) -> str:
    return "none" if rows.len() == 0 else f"{rows.min()!s}-{rows.max()!s}"


def _record(scheme: Scheme, cells: dict[str, Any]) -> dict[str, Any]:
    """A batch row as an applicant file gives it: empty cells left out, whole numbers of an int
    field as numbers, anything else as the text it is (judged as a JSON file's text is)."""
    out: dict[str, Any] = {}
    for name, spec in scheme.fields.items():
        text = cells.get(name)
        if text is None or not str(text).strip():
            continue
        text = str(text).strip()
        out[name] = int(text) if kind(spec) is integer.KIND and _WHOLE.fullmatch(text) else text
    return out
