"""Ranking a batch of applications under a scheme: validate, score, select, publish.

The core of ``hukoucalc rank``: reads the file (:mod:`.batch.read`), types and checks every cell
(:mod:`.batch.fields`), scores the valid rows with the one evaluator (:mod:`.batch.score`),
selects within the quota (:mod:`.batch.select`) and returns the publishable list, the bad rows and
a summary. It never prints and never writes; :mod:`hukoucalc.cli.outputs` writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from hukoucalc import __version__
from hukoucalc.batch.fields import Typed, type_batch
from hukoucalc.batch.names import (
    ADMITTED,
    ELIGIBLE,
    QUALIFIED,
    RANK,
    ROW,
    TOTAL,
    gate_col,
    group_col,
    indicator_col,
)
from hukoucalc.batch.plausible import batch_errors
from hukoucalc.batch.read import read_batch
from hukoucalc.batch.score import decimal_column, score_batch
from hukoucalc.batch.select import select
from hukoucalc.batch.write import neutralise
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.points import Exact, Points, exact_decimal
from hukoucalc.errors import ApplicantError, InputFileError, option
from hukoucalc.kinds import kind
from hukoucalc.roles import Roles, roles
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scheme.model import FieldSpec, Scheme

Progress = Callable[[str], None]
CONTENT = "__content"
PLACE = "__place"
WORDS = ("reason", "registration")  # the list's own text columns: neutralised in CSV too


class Bin(BaseModel):
    low: Exact
    high: Exact
    count: int
    cutoff: bool  # the cut-off score falls in this bin


class RankSummary(BaseModel):
    """The ``rank --json`` document."""

    hukoucalc: str
    scheme: dict[str, str]
    input: dict[str, str]
    selection: str
    rows: int
    invalid: int
    ineligible: int
    eligible: int
    qualified: int
    quota: int | None
    threshold: Exact | None
    admitted: int
    cutoff: Exact | None
    ties_at_cutoff: int
    histogram: list[Bin]
    ineligible_by_gate: dict[str, int] = {}
    """gate id -> the ineligible rows failing it (a row failing two gates counts under each)"""
    invalid_by_reason: dict[str, int] = {}
    """'column: reason' (the cell's value and details left out) -> the invalid rows, most first"""
    output: str | None = None
    errors: str | None = None
    carried: list[str] = []  # the file's columns that are no field: in the list, never scored
    publish: str | None = None
    """the public list's file, when written"""
    publish_missing: list[str] = []
    """columns the scheme's [publish] names that the ranked list lacks: left out of it"""

    @property
    def nothing_ranked(self) -> str | None:
        """Why the ranking is empty (no row, every row invalid, none eligible), else None."""
        if self.rows == 0:
            return "no applications in the file"
        if self.invalid == self.rows:
            return f"every row is invalid ({self.invalid:,})"
        if self.eligible == 0:
            return (
                f"no applicant is eligible ({self.ineligible:,} ineligible, "
                f"{self.invalid:,} invalid)"
            )
        return None


@dataclass
class RankResult:
    summary: RankSummary
    ranked: pl.DataFrame  # the publishable list: text, exact decimals, rank, booleans
    errors: pl.DataFrame  # row, column, value, reason
    spreadsheet: bool = False  # text cells of ``ranked`` already neutralised (CSV only)
    text: tuple[str, ...] = WORDS  # the columns neutralised in CSV (spreadsheets)
    carried: tuple[str, ...] = ()  # the file's other columns, in ``ranked`` after "total"


def rank_file(
    path: Path,
    loaded: LoadedScheme,
    *,
    today: dt.date,
    quota: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    spreadsheet: bool = False,
    sheet: str | None = None,
    drop_extra: bool = False,
) -> RankResult:
    """Validate, score and rank every application in ``path``; with ``spreadsheet``, the text
    cells of the list are neutralised already (cheaper before it is put in order: to be
    written as CSV). ``today`` decides validity (a birth date after it is refused).

    The file's columns that are no field of the scheme are carried unchanged into the list,
    after the total (never scored; ``drop_extra`` leaves them out); ``sheet``: an .xlsx
    workbook's sheet."""
    step = progress or (lambda _: None)
    scheme = loaded.scheme
    role = roles(scheme)
    compiled = compile_scheme(scheme, origin=loaded.origin)
    step("reading")
    raw = read_batch(path, scheme, encoding=encoding, sheet=sheet, drop_extra=drop_extra)
    carried = [c for c in raw.carried.columns if c != ROW]
    _check_carried(carried, scheme, role, path)
    step("validating")
    typed = type_batch(raw.frame, scheme, today=today)
    typed.errors = raw.with_cell_errors(implausible(typed, scheme, today))
    typed, errors, invalid = keep_valid(
        typed, role.id_number, path, strict=strict, anonymous=_anonymous(scheme, role)
    )
    valid = typed.frame
    text = [n for n, spec in scheme.fields.items() if kind(spec).text]
    content = _content(raw.frame, valid, scheme.fields, role.id_number)
    cells = valid.select(ROW, *text).with_columns(content)
    if carried:  # under names of their own: a carried 'total' is not the total
        extra = raw.carried.rename({c: CARRIED + c for c in carried})
        cells = cells.join(extra, on=ROW, how="left", maintain_order="left")
    rows, raw.frame = raw.frame.height, raw.frame.clear()  # the text cells are not needed again
    step("scoring")
    scored = score_batch(typed, compiled)
    step("ranking")
    chosen = select(scored.frame, scheme.selection, compiled.unit, quota=quota)
    ranked = _publishable(
        chosen.frame,
        cells,
        loaded,
        role,
        compiled.unit,
        compiled.places,
        spreadsheet=spreadsheet,
        carried=carried,
    )
    frame = chosen.frame
    eligible = int(frame[ELIGIBLE].sum())
    summary = RankSummary(
        hukoucalc=__version__,
        scheme={"id": loaded.id, "sha256": loaded.sha256, "origin": loaded.origin},
        input={"path": str(path), "sha256": raw.sha256, "encoding": raw.encoding},
        selection=scheme.selection.mode,
        rows=rows,
        invalid=invalid,
        ineligible=frame.height - eligible,
        eligible=eligible,
        qualified=int(frame[QUALIFIED].sum()),
        quota=chosen.quota,
        threshold=exact_decimal(scheme.selection.threshold)
        if scheme.selection.threshold is not None
        else None,
        admitted=int(frame[ADMITTED].sum()),
        cutoff=_points(chosen.cutoff_units, compiled.unit),
        ties_at_cutoff=chosen.ties_at_cutoff,
        histogram=histogram(frame, compiled.unit, chosen.cutoff_units),
        carried=carried,
        ineligible_by_gate=by_gate(frame, [g.id for g in scheme.gates]),
        invalid_by_reason=by_reason(errors),
    )
    return RankResult(
        summary=summary,
        ranked=ranked,
        errors=errors,
        spreadsheet=spreadsheet,
        text=(*role.published, *WORDS, *carried),
        carried=tuple(carried),
    )


CARRIED = "carried:"


def list_columns(scheme: Scheme, role: Roles) -> list[str]:
    """The ranked list's own columns (a carried column may not take one's name)."""
    return [
        "rank",
        *role.published,
        *(i.id for i in scheme.indicators),
        *(g.id for g in scheme.groups),
        "total",
        "eligible",
        "admitted",
        *WORDS,
    ]


def _check_carried(carried: list[str], scheme: Scheme, role: Roles, path: Path) -> None:
    taken = sorted(set(carried) & set(list_columns(scheme, role)))
    if taken:
        raise InputFileError(
            f"column(s) {', '.join(taken)} are no field of scheme '{scheme.scheme.id}' but are "
            f"named as columns of the ranked list: rename them, or leave the columns that are "
            f"no field out with {option('drop_extra')}",
            where=str(path),
        )


def implausible(typed: Typed, scheme: Scheme, today: dt.date) -> pl.DataFrame:
    """The cell errors of a typed batch with its implausible rows (:mod:`hukoucalc.plausible`:
    born after the cut-off, a period before birth, work before 16) added."""
    found = batch_errors(typed.frame, scheme, ROW, today)
    if found.height == 0:
        return typed.errors
    return pl.concat([typed.errors, found.cast(typed.errors.schema)])


def _anonymous(scheme: Scheme, role: Roles) -> tuple[str, ...] | None:
    """None when every applicant must give an ID number (the default of a scheme with an ID
    number field); else the fields duplicates are found on without one: name + birth date."""
    if role.id_number is None or not scheme.selection.allow_missing_id:
        return None
    return tuple(n for n in (role.name, role.birth_date) if n is not None)


MISSING_ID = (
    "the ID number is missing: every applicant gives one, unique (a scheme allows none only "
    "by selection.allow_missing_id)"
)


def keep_valid(
    typed: Typed,
    id_number: str | None,
    path: Path,
    *,
    strict: bool,
    anonymous: tuple[str, ...] | None = (),
) -> tuple[Typed, pl.DataFrame, int]:
    """The valid rows of a typed batch, every error as published (row, column, value, reason;
    duplicate ID numbers of the ``id_number`` field included, by row and column) and how many
    rows are bad; with ``strict``, the first error stops the run. ``anonymous``: None when a
    row without an ID number is bad; else the fields (name, birth date) on which rows without
    one are duplicates (empty: none checked)."""
    errors = _with_duplicates(typed.errors, typed.frame, id_number)
    if id_number is not None:
        errors = _without_id(errors, typed.frame, id_number, anonymous)
    errors = errors.sort(ROW, "column")
    if strict and errors.height:
        first = errors.row(0, named=True)
        raise ApplicantError(
            f"row {first[ROW]}, column '{first['column']}': {first['reason']} "
            f"({option('strict')} stops at the first bad row; nothing was written)",
            where=str(path),
        )
    bad_rows = errors.select(ROW).unique()
    valid = typed.frame.join(bad_rows, on=ROW, how="anti") if bad_rows.height else typed.frame
    published = errors.rename({ROW: "row"}).with_columns(pl.col("value").fill_null(""))
    return Typed(frame=valid, widths=typed.widths, errors=typed.errors), published, bad_rows.height


def _without_id(
    errors: pl.DataFrame, typed: pl.DataFrame, id_number: str, anonymous: tuple[str, ...] | None
) -> pl.DataFrame:
    """Rows without an ID number: each a bad row (``anonymous`` None), or duplicates of each
    other on the ``anonymous`` fields (name + birth date)."""
    # a row whose ID number is already wrong, or that was not read at all ("*"), says so already
    blamed = errors.filter(pl.col("column").is_in([id_number, "*"])).select(ROW)
    none = typed.filter(pl.col(id_number).is_null()).join(blamed, on=ROW, how="anti")
    if none.height == 0:
        return errors
    if anonymous is None:
        found = none.select(
            pl.col(ROW),
            pl.lit(id_number).alias("column"),
            pl.lit("").alias("value"),
            pl.lit(MISSING_ID).alias("reason"),
        )
        return pl.concat([errors, found.cast(errors.schema)])
    keys = [k for k in anonymous if k in none.columns]
    if not keys:
        return errors
    rows = (
        none.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
        .group_by(keys)
        .agg(pl.col(ROW).sort())
        .filter(pl.col(ROW).list.len() > 1)
    )
    if rows.height == 0:
        return errors
    found = (
        rows.with_columns(pl.col(ROW).alias("all"))
        .explode(ROW)
        .select(
            pl.col(ROW),
            pl.lit(keys[0]).alias("column"),
            pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator=" ").alias("value"),
            pl.format(
                "no ID number, and the same {} as rows {}",
                pl.lit(" and ".join(keys)),
                pl.col("all").list.eval(pl.element().cast(pl.String)).list.join(", "),
            ).alias("reason"),
        )
    )
    return pl.concat([errors, found.cast(errors.schema)])


def by_gate(frame: pl.DataFrame, gates: list[str]) -> dict[str, int]:
    """The ineligible rows failing each gate (a row failing two counts under each)."""
    if not gates:
        return {}
    failed = frame.filter(~pl.col(ELIGIBLE)).select(
        (~pl.col(gate_col(g))).sum().alias(g) for g in gates
    )
    return {g: int(failed[g][0] or 0) for g in gates}


_DETAILS = re.compile(
    r"\s*\([^)]*\)"  # (rows 9, 15), (YYYY-MM-DD), (1990-03-07)
    r"|'[^']*'"  # a quoted value
    r"|\b[0-9]+(?:\.[0-9]+)?\b"  # a number
)


def _why(column: str, value: str, reason: str) -> str:
    if value:
        reason = reason.replace(value, "…")
    return (
        f"{column}: "
        + _DETAILS.sub(lambda m: "" if m.group().lstrip().startswith("(") else "…", reason).strip()
    )


def by_reason(errors: pl.DataFrame) -> dict[str, int]:
    """The invalid rows by reason: 'column: reason', the cell's value and the details left out
    (``2017-13-01 is not a date (YYYY-MM-DD)`` counts as ``birth_date: … is not a date``), most
    first; a row with two reasons counts under each. Each distinct (column, value, reason) is
    worded once; the rows are counted by polars."""
    keys = errors.select("column", "value", "reason").unique()
    worded = keys.with_columns(
        pl.Series("why", [_why(c, v or "", r) for c, v, r in keys.iter_rows()], pl.String)
    )
    counts = (
        errors.join(worded, on=["column", "value", "reason"], how="left", nulls_equal=True)
        .unique(["row", "why"])
        .group_by("why")
        .len()
        .sort(["len", "why"], descending=[True, False])
    )
    return dict(zip(counts["why"].to_list(), counts["len"].to_list(), strict=True))


def _points(units: int | None, unit: int) -> Decimal | None:
    return None if units is None else Points(units, unit).decimal()


def _with_duplicates(errors: pl.DataFrame, typed: pl.DataFrame, name: str | None) -> pl.DataFrame:
    """Every row whose ID number another row also carries is reported (the office decides)."""
    if name is None:
        return errors
    bad_id = errors.filter(pl.col("column") == name).select(ROW)
    good = typed.select(ROW, name).filter(pl.col(name).is_not_null())
    if bad_id.height:
        good = good.join(bad_id, on=ROW, how="anti")
    hashes = good[name].hash(seed=0).sort()  # candidates first: a sort of integers is cheap
    repeated = hashes.filter(hashes == hashes.shift(1))
    if repeated.len() == 0:
        return errors
    good = good.filter(pl.col(name).hash(seed=0).is_in(repeated.unique().implode()))
    rows = good.group_by(name).agg(pl.col(ROW).sort()).filter(pl.col(ROW).list.len() > 1)
    if rows.height == 0:
        return errors
    dup = (
        rows.explode(ROW, keep_nulls=False)
        .join(rows.rename({ROW: "all"}), on=name)
        .select(
            pl.col(ROW),
            pl.lit(name).alias("column"),
            pl.col(name).alias("value"),
            pl.format(
                "duplicate ID number (rows {})",
                pl.col("all").list.eval(pl.element().cast(pl.String)).list.join(", "),
            ).alias("reason"),
        )
    )
    return pl.concat([errors, dup.cast(errors.schema)])


def _content(
    raw: pl.DataFrame, valid: pl.DataFrame, fields: dict[str, FieldSpec], id_number: str | None
) -> pl.Expr:
    """A content key for the last ties (identical rows are interchangeable): a fixed-seed hash of
    every cell, so the order never depends on the input's row order. Valid ID numbers are
    unique, so only rows without one need it."""
    if id_number is None:
        rows = valid.select(ROW)
    else:
        rows = valid.filter(pl.col(id_number).is_null()).select(ROW)
    if rows.height == 0:
        return pl.lit(None, dtype=pl.UInt64).alias(CONTENT)
    hashes = raw.join(rows, on=ROW, how="semi").select(
        ROW, pl.struct(list(fields)).hash(seed=0).alias(CONTENT)
    )
    return (
        pl.col(ROW)
        .replace_strict(hashes[ROW], hashes[CONTENT], default=None, return_dtype=pl.UInt64)
        .alias(CONTENT)
    )


def _publishable(
    frame: pl.DataFrame,
    cells: pl.DataFrame,
    loaded: LoadedScheme,
    role: Roles,
    unit: int,
    places: int,
    *,
    spreadsheet: bool = False,
    carried: list[str] | None = None,
) -> pl.DataFrame:
    """Rank, id, name, every indicator's points, total, the ``carried`` columns (as read,
    under their own names), eligible, admitted, reason, in an order
    that depends only on the content: ties by ID number, then name, then the whole row. With
    ``spreadsheet``, text cells are neutralised (those read from the file before the rows are
    put in order: reading them in file order is ~5x faster than after)."""
    scheme = loaded.scheme
    if frame[ROW].equals(cells[ROW]):  # scored in the same order: no join needed
        frame = frame.hstack(cells.drop(ROW))
    else:
        frame = frame.join(cells, on=ROW, how="left")
    reasons = [
        pl.when(~pl.col(gate_col(g.id))).then(pl.lit(g.reason)).otherwise(None)
        for g in scheme.gates
    ]
    below = "below the cut-off" if scheme.selection.mode == "quota" else "below the threshold"
    if scheme.selection.mode == "threshold_then_keys":
        below = "below the threshold, or after the last place"
    reason = (
        pl.when(~pl.col(ELIGIBLE))
        .then(pl.concat_str(reasons, separator="；", ignore_nulls=True) if reasons else pl.lit(""))
        .when(~pl.col(ADMITTED))
        .then(pl.lit(below))
        .otherwise(pl.lit(""))
    )
    # rank (null when not ranked), eligible and admitted keep their types: CSV writes them as
    # "", "true", "false"; JSON Lines as numbers, null and booleans
    columns: list[pl.Expr] = [pl.col(RANK).alias("rank")]
    columns += [pl.col(n).fill_null("") for n in role.published]
    columns += [
        decimal_column(pl.col(indicator_col(i.id)), unit, places).alias(i.id)
        for i in scheme.indicators
    ]
    columns += [
        decimal_column(pl.col(group_col(g.id)), unit, places).alias(g.id) for g in scheme.groups
    ]
    columns += [
        decimal_column(pl.col(TOTAL), unit, places).alias("total"),
        *(pl.col(CARRIED + c).alias(c) for c in carried or []),
        pl.col(ELIGIBLE).alias("eligible"),
        pl.col(ADMITTED).alias("admitted"),
        reason.alias("reason"),
    ]
    registration = role.registration
    if registration is not None:
        labels = scheme.fields[registration].values or {}
        columns.append(
            pl.when(pl.col(ADMITTED))
            .then(pl.col(registration).replace_strict(labels, default=pl.col(registration)))
            .otherwise(pl.lit(""))
            .alias("registration")
        )
    order: list[pl.Expr] = [pl.col(RANK), pl.col(TOTAL)]
    if role.id_number is not None and frame[role.id_number].null_count() == 0:
        # unique valid ID numbers: ordered as their first 17 digits are (the 18th follows)
        order.append(pl.col(role.id_number).str.slice(0, 17).cast(pl.Int64))
    else:
        order += [pl.col(n) for n in role.published]
        order.append(pl.col(CONTENT))
    descending = [False, True] + [False] * (len(order) - 2)
    used = {name for column in columns for name in column.meta.root_names()}
    ordered = frame.select(c for c in frame.columns if c in used)
    place = _order(frame, order, descending).arg_sort()  # each row's place in the list
    if spreadsheet:
        ordered = ordered.with_columns(
            neutralise([*role.published, *(CARRIED + c for c in carried or [])])
        )
    # sorting by a unique key moves the columns 3-5x faster than gathering them by position
    listed = ordered.with_columns(place.alias(PLACE)).sort(PLACE).select(columns)
    if spreadsheet:
        listed = listed.with_columns(neutralise(c for c in WORDS if c in listed.columns))
    return listed


def _order(frame: pl.DataFrame, keys: list[pl.Expr], descending: list[bool]) -> pl.Series:
    """Row positions sorting ``frame`` by ``keys`` (nulls last), by one stable sort a key from
    the last: polars sorts one column several times faster than several columns at once."""
    names = [f"__key{k}" for k in range(len(keys))]
    order = frame.select(key.alias(name) for key, name in zip(keys, names, strict=True))
    order = order.with_row_index("__at")
    for name, down in reversed(list(zip(names, descending, strict=True))):
        order = order.sort(name, descending=down, nulls_last=True, maintain_order=True)
    return order["__at"]


def histogram(frame: pl.DataFrame, unit: int, cutoff: int | None, width: int = 5) -> list[Bin]:
    """Eligible applicants by total, in bins of ``width`` points (multiples of it, so bins of
    several schemes line up); the bin holding the cut-off is marked."""
    eligible = frame.filter(pl.col(ELIGIBLE))
    if eligible.height == 0:
        return []
    step = width * unit
    counts = (
        eligible.group_by((pl.col(TOTAL) // step).alias("bin"))
        .agg(pl.len().alias("count"))
        .sort("bin")
    )
    cut_bin = cutoff // step if cutoff is not None else None
    low_bin, high_bin = int(counts["bin"].min()), int(counts["bin"].max())  # type: ignore[arg-type]
    found = dict(zip(counts["bin"].to_list(), counts["count"].to_list(), strict=True))
    return [
        Bin(
            low=Points(b * step, unit).decimal(),
            high=Points((b + 1) * step, unit).decimal(),
            count=int(found.get(b, 0)),
            cutoff=b == cut_bin,
        )
        for b in range(low_bin, high_bin + 1)
    ]
