"""Vectorised validation of a batch: text cells in, typed columns and per-cell errors out.

Each field is typed by its kind's parsers (:mod:`.kinds`): the fast one of :mod:`.canonical` on
every row, the exact one of :mod:`.exact` on the rows the fast one does not take. A cell that
does not parse gives a reason; the row is reported (row number, column, value, reason) and left
out of the ranking, while the other rows go on. Here too: the birth date and sex the ID number
fixes, and the period cells merged where they overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from hukoucalc.applicant import FUTURE_BIRTH, looked_up, needed_for_lookup
from hukoucalc.batch.ages import missing_ages
from hukoucalc.batch.canonical import ID_FORMAT, Fast
from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, end_col, start_col
from hukoucalc.batch.exact import Checks, Parsed, any_bad, fail, reason_of
from hukoucalc.batch.kinds import batch_kind
from hukoucalc.batch.names import ROW, TODAY
from hukoucalc.idnumber import FEMALE, MALE
from hukoucalc.kinds import kind
from hukoucalc.kinds.jsonvalue import REQUIRED
from hukoucalc.roles import SEX_CODES, roles
from hukoucalc.scheme.model import Scheme


@dataclass
class Typed:
    """The typed columns of a batch, their period widths, and the errors found."""

    frame: pl.DataFrame  # ROW plus one typed column per field (periods as K pairs)
    widths: dict[str, int]
    errors: pl.DataFrame  # ROW, column, value, reason


def _cell(name: str) -> pl.Expr:
    """The raw text of a cell, stripped; empty as null."""
    text = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _merge_rows(frame: pl.DataFrame, name: str, width: int) -> pl.DataFrame:
    """Sort and merge the periods of the (rare) rows whose periods overlap or are unordered."""
    from hukoucalc.periods import merge  # noqa: PLC0415

    flag = f"{name}#clean"
    columns = [c for k in range(width) for c in (start_col(name, k), end_col(name, k))]
    dirty = frame.filter(~pl.col(flag)).select(ROW, *columns)
    if dirty.height == 0:
        return frame.drop(flag)
    fixed: dict[str, list[int]] = {column: [] for column in columns}
    for row in dirty.iter_rows():
        pairs = [(row[1 + 2 * k], row[2 + 2 * k]) for k in range(width)]
        merged = merge(p for p in pairs if p[0] <= p[1])
        merged += [(EMPTY_START, EMPTY_END)] * (width - len(merged))
        for k, (s, e) in enumerate(merged):
            fixed[start_col(name, k)].append(s)
            fixed[end_col(name, k)].append(e)
    patch = pl.DataFrame({ROW: dirty[ROW], **fixed}).cast(dict.fromkeys(columns, pl.Int32))
    return frame.update(patch, on=ROW).drop(flag)


def type_batch(raw: pl.DataFrame, scheme: Scheme, *, today: dt.date) -> Typed:
    """Typed columns and cell errors for a frame of text cells (ROW plus one column a field);
    ``today`` decides validity (a birth date after it is refused).

    Canonical cells are typed fast (:mod:`.canonical`); the rows with any other cell are typed
    again, and their errors explained, by the exact parsers below. Fast rows come first: nothing
    downstream depends on the row order."""
    periods = [n for n, spec in scheme.fields.items() if kind(spec).spans]
    fast, ok = _fast(raw, scheme, _canonical_widths(raw, periods), today)
    slow_raw = raw.filter(~ok)
    widths = _widths(slow_raw, periods)
    widths = {n: max(widths[n], _width(fast, n)) for n in periods}
    fast = _padded(fast, widths)
    if slow_raw.height == 0:
        return Typed(frame=fast, widths=widths, errors=_ages(fast, widths, scheme, None))
    slow = _exact(slow_raw, scheme, widths, today)
    fast = fast.filter(ok)
    frame = pl.concat([fast, slow.frame.select(fast.columns).cast(fast.schema)])
    return Typed(frame=frame, widths=widths, errors=_ages(fast, widths, scheme, slow.errors))


def _ages(
    frame: pl.DataFrame, widths: dict[str, int], scheme: Scheme, errors: pl.DataFrame | None
) -> pl.DataFrame:
    """``errors`` (none: an empty table) with those of the rows of ``frame`` that leave out a
    date whose age decides something for them (:func:`hukoucalc.batch.ages.missing_ages`)."""
    found = missing_ages(frame, widths, scheme, _birth_fields(scheme), ROW)
    base = _long_errors([], frame) if errors is None else errors
    return pl.concat([base, found.cast(base.schema)]) if found.height else base


def _fast(
    raw: pl.DataFrame, scheme: Scheme, widths: dict[str, int], today: dt.date
) -> tuple[pl.DataFrame, pl.Series]:
    """Every row typed by the canonical parsers, and which rows they typed exactly."""
    typed: list[pl.Expr] = [pl.col(ROW)]
    parsed: list[Fast] = []
    for name, spec in scheme.fields.items():
        width = widths.get(name, 0)
        parsers = batch_kind(spec)
        if parsers.fast is not None:
            one = parsers.fast(name, spec, pl.col(name), width)
        else:  # no fast parser: the exact one, on every row
            cell = _cell(name)
            exact = parsers.exact(name, spec, cell, width)
            checks = exact.error
            if spec.required:
                checks = fail(cell.is_null(), REQUIRED) + checks
            one = Fast(exact.typed, ~any_bad(checks), exact.stages)
        typed += one.typed
        parsed.append(one)
    ok = pl.all_horizontal(one.ok for one in parsed) if parsed else pl.lit(True)
    lazy = _staged(raw.lazy(), parsed, today)
    frame = lazy.select(*typed, ok.fill_null(False).alias("!ok")).collect()
    frame, agreement = _agreement(frame, scheme, today, id_format=pl.lit(True))
    checks = [check for one in agreement.values() for check in one]
    if checks:
        frame = frame.with_columns(pl.col("!ok") & ~any_bad(checks))
    return frame.drop("!ok"), frame["!ok"]


def _canonical_widths(raw: pl.DataFrame, names: list[str]) -> dict[str, int]:
    """Periods a canonical cell of each column holds at most (two or more: 33 bytes or more)."""
    if not names or raw.height == 0:
        return dict.fromkeys(names, 0)
    long = [pl.col(n).filter(pl.col(n).str.len_bytes() >= 33) for n in names]
    counts = raw.select(c.str.count_matches(";", literal=True).max() for c in long)
    return {n: 1 + int(counts[n][0] or 0) for n in names}


def _width(frame: pl.DataFrame, name: str) -> int:
    k = 0
    while start_col(name, k) in frame.columns:
        k += 1
    return k


def _padded(frame: pl.DataFrame, widths: dict[str, int]) -> pl.DataFrame:
    """Empty intervals up to each period field's width, in the exact parsers' column order."""
    have = {name: _width(frame, name) for name in widths}
    if have == widths:
        return frame
    columns: list[pl.Expr] = []
    for column in frame.columns:
        columns.append(pl.col(column))
        for name, want in widths.items():
            if have[name] and column == end_col(name, have[name] - 1):
                for k in range(have[name], want):
                    columns.append(pl.lit(EMPTY_START, dtype=pl.Int32).alias(start_col(name, k)))
                    columns.append(pl.lit(EMPTY_END, dtype=pl.Int32).alias(end_col(name, k)))
    return frame.select(columns)


def _exact(raw: pl.DataFrame, scheme: Scheme, widths: dict[str, int], today: dt.date) -> Typed:
    """Typed columns and every cell error, by the exact parsers (the reference for the fast)."""
    period_fields = [n for n, spec in scheme.fields.items() if kind(spec).spans]
    typed_exprs: list[pl.Expr] = [pl.col(ROW)]
    parsed: dict[str, Parsed] = {}
    for name, spec in scheme.fields.items():
        cell = pl.col(f"~{name}")  # the stripped text, computed once (stage 0)
        one = batch_kind(spec).exact(name, spec, cell, widths.get(name, 0))
        if spec.required:
            one.error = fail(cell.is_null(), REQUIRED) + one.error
        one.stages = [[_cell(name).alias(f"~{name}")], *one.stages]
        parsed[name] = one
        typed_exprs += one.typed
    bad = [any_bad(one.error).alias(f"!{name}") for name, one in parsed.items()]
    checked = _staged(raw.lazy(), parsed.values(), today).select(*typed_exprs, *bad).collect()
    flags = [f"!{name}" for name in parsed]
    frame = checked.drop(flags)
    errors = [
        _reasons(checked, pl.col(f"!{name}"), raw, name, one, today) for name, one in parsed.items()
    ]
    frame, agreement = _agreement(frame, scheme, today)
    errors += [
        _reasons(frame, any_bad(checks), frame, name, Parsed([], checks), today)
        for name, checks in agreement.items()
    ]
    for name in period_fields:
        frame = _merge_rows(frame, name, widths[name])
    found = [e for e in errors if e is not None]
    return Typed(
        frame=frame, widths=widths, errors=_ages(frame, widths, scheme, _long_errors(found, raw))
    )


def _staged(lazy: pl.LazyFrame, parsed: Iterable[Parsed | Fast], today: dt.date) -> pl.LazyFrame:
    """The intermediate columns of the fields' parsers, stage by stage, after the column of the
    day that decides validity (``TODAY``, which parsers read as ``pl.col(TODAY)``)."""
    lazy = lazy.with_columns(pl.lit(today, dtype=pl.Date).alias(TODAY))
    stages: dict[int, list[pl.Expr]] = {}
    for one in parsed:
        for n, stage in enumerate(one.stages):
            stages.setdefault(n, []).extend(stage)
    for n in sorted(stages):
        lazy = lazy.with_columns(stages[n])
    return lazy


def _reasons(
    rows: pl.DataFrame, bad: pl.Expr, base: pl.DataFrame, name: str, one: Parsed, today: dt.date
) -> pl.DataFrame | None:
    """Reasons for the rows where ``bad`` holds, computed on those rows of ``base`` only."""
    bad_rows = rows.filter(bad).select(ROW)
    if bad_rows.height == 0:
        return None
    subset = base.lazy().join(bad_rows.lazy(), on=ROW, how="semi")
    return (
        _staged(subset, [one], today)
        .select(ROW, pl.lit(name).alias("column"), reason_of(one.error).alias("reason"))
        .collect()
    )


def _widths(raw: pl.DataFrame, names: list[str]) -> dict[str, int]:
    """How many periods the fullest cell of each period column holds."""
    if not names or raw.height == 0:
        return dict.fromkeys(names, 0)
    counts = raw.select(
        (pl.col(n).str.count_matches(";", literal=True).fill_null(0) + 1).max().alias(n)
        for n in names
    )
    return {n: int(counts[n][0]) for n in names}


def _long_errors(found: list[pl.DataFrame], raw: pl.DataFrame) -> pl.DataFrame:
    """One line per bad cell: row, column, value as given, reason (first failing check)."""
    empty = pl.DataFrame(
        schema={ROW: pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String}
    )
    if not found:
        return empty
    lines = pl.concat(found).unique([ROW, "column"], keep="first", maintain_order=True)
    values = [
        lines.filter(pl.col("column") == column)
        .join(raw.select(ROW, pl.col(column).cast(pl.String).alias("value")), on=ROW, how="left")
        .select(ROW, "column", "value", "reason")
        for column in lines["column"].unique(maintain_order=True).to_list()
    ]
    return pl.concat([empty, *values])


def _agreement(
    frame: pl.DataFrame, scheme: Scheme, today: dt.date, id_format: pl.Expr | None = None
) -> tuple[pl.DataFrame, dict[str, Checks]]:
    """Birth date and sex must agree with the ID number and are filled from it; a birth date
    after ``today`` is refused (one that is missing only where an age needs it: see
    :func:`hukoucalc.batch.ages.missing_ages`); a field a by-field value is looked up by must be
    there. ``id_format``: whether the ID number is well formed, when already known."""
    checks: dict[str, Checks] = {}
    role = roles(scheme)
    number = role.id_number
    if number is not None:
        born = pl.col(f"{number}#born")
        if role.birth_date is not None:
            given = pl.col(role.birth_date)
            checks.setdefault(role.birth_date, []).extend(
                fail(
                    given.is_not_null() & born.is_not_null() & (given != born),
                    pl.format("disagrees with the ID number ({})", born.cast(pl.String)),
                )
            )
        if role.sex is not None:
            odd = pl.col(number).str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1
            from_id = pl.when(odd).then(pl.lit(MALE)).otherwise(pl.lit(FEMALE))
            sex = pl.col(role.sex)
            checks.setdefault(role.sex, []).extend(
                fail(
                    sex.is_in(list(SEX_CODES))
                    & born.is_not_null()
                    & (pl.col(number).str.contains(ID_FORMAT) if id_format is None else id_format)
                    & (sex != from_id),
                    pl.format("'{}' disagrees with the ID number", sex),
                )
            )
            # the sex the ID number fixes, where not given (checked above once filled)
            filled = pl.when(sex.is_null() & born.is_not_null()).then(from_id).otherwise(sex)
            frame = frame.with_columns(filled.alias(role.sex))
    for birth in _birth_fields(scheme):
        if number is not None and birth == role.birth_date:
            frame = frame.with_columns(
                pl.coalesce(pl.col(birth), pl.col(f"{number}#born")).alias(birth)
            )
        born = pl.col(birth)
        checks.setdefault(birth, []).extend(
            fail(
                born > pl.lit(today, dtype=pl.Date),
                pl.format(FUTURE_BIRTH, born.cast(pl.String)),
            )
        )
    for name in looked_up(scheme):
        reason = needed_for_lookup(scheme, name)
        checks.setdefault(name, []).extend(fail(pl.col(name).is_null(), reason))
    return frame, checks


def _birth_fields(scheme: Scheme) -> list[str]:
    from hukoucalc.scheme.model import AgeMeasure  # noqa: PLC0415

    return sorted({m.birth for m in scheme.measures.values() if isinstance(m, AgeMeasure)})
