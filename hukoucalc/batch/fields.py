"""Vectorised validation of a batch: text cells in, typed columns and per-cell errors out.

Every field type of the scheme language has a parser here that works on whole columns. A cell
that does not parse gives a reason; the row is reported (row number, column, value, reason) and
left out of the ranking, while the other rows go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from hukoucalc import idnumber
from hukoucalc.applicant import FUTURE_BIRTH
from hukoucalc.batch.ages import missing_ages
from hukoucalc.batch.canonical import DATE_FORMAT, FAST, ID_FORMAT, Fast
from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, end_col, start_col
from hukoucalc.batch.names import ROW, TODAY
from hukoucalc.idnumber import CHECK, WEIGHTS
from hukoucalc.kinds import kind
from hukoucalc.kinds.decimals import decimal_pattern, decimal_reason
from hukoucalc.kinds.integer import INT_DIGITS, TOO_LONG
from hukoucalc.kinds.jsonvalue import REQUIRED
from hukoucalc.periods import EARLY_DATE, FIRST_YEAR, parse_periods
from hukoucalc.roles import FEMALE, MALE, SEX_CODES, roles
from hukoucalc.scheme.model import FieldSpec, Scheme
from hukoucalc.words import FALSE, TRUE, YES_NO

_TRUE, _FALSE = list(TRUE), list(FALSE)
_MONTH = r"[0-9]{4}-[0-9]{2}"
_PERIODS = rf"^({_MONTH}(\.\.{_MONTH})?)(;{_MONTH}(\.\.{_MONTH})?)*;?$"


@dataclass
class Parsed:
    """A field's typed columns and error, and intermediate columns to compute first (stages)."""

    typed: list[pl.Expr]
    error: Checks
    stages: list[list[pl.Expr]] = field(default_factory=list)


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


@dataclass
class Check:
    """A test for a bad cell, and the reason shown when it fails (built for bad rows only)."""

    bad: pl.Expr
    reason: pl.Expr | str


Checks = list[Check]


def _fail(condition: pl.Expr, reason: pl.Expr | str) -> Checks:
    return [Check(condition, reason)]


def _first_error(*errors: Checks) -> Checks:
    return [check for checks in errors for check in checks]


def _any_bad(checks: Checks) -> pl.Expr:
    """Cheap: one boolean per row, no text (the reasons are built for the bad rows only)."""
    if not checks:
        return pl.lit(False)
    return pl.any_horizontal(c.bad.fill_null(False) for c in checks)


def _reason(checks: Checks) -> pl.Expr:
    """The first failing check's reason."""
    out: pl.Expr = pl.lit(None, dtype=pl.String)
    for check in reversed(checks):
        reason = pl.lit(check.reason) if isinstance(check.reason, str) else check.reason
        out = pl.when(check.bad.fill_null(False)).then(reason).otherwise(out)
    return out


def _text(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    value = cell if spec.default is None else cell.fill_null(pl.lit(str(spec.default)))
    return Parsed([value.alias(name)], [])


def _id_number(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    tmp = f"~{name}"
    text = pl.col(f"{tmp}text")
    stage1 = [cell.str.to_uppercase().alias(f"{tmp}text")]
    chunks = ((0, 6), (6, 6), (12, 5))  # three integer casts, then arithmetic on digits
    stage2 = [
        text.str.slice(start, size).cast(pl.Int64, strict=False).alias(f"{tmp}c{start}")
        for start, size in chunks
    ]
    stage2.append(text.str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias(f"{name}#born"))
    total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for start, size in chunks:
        chunk = pl.col(f"{tmp}c{start}")
        for j in range(size):
            total = total + chunk // 10 ** (size - 1 - j) % 10 * WEIGHTS[start + j]
    stage3 = [
        (total % 11)
        .replace_strict(dict(enumerate(CHECK)), return_dtype=pl.String)
        .alias(f"{tmp}check")
    ]
    born, expected = pl.col(f"{name}#born"), pl.col(f"{tmp}check")
    impossible = (born > pl.col(TODAY)) | (born.dt.year() < FIRST_YEAR)
    bad = ~text.str.contains(ID_FORMAT) | born.is_null() | impossible
    bad = cell.is_not_null() & (bad | (text.str.slice(17, 1) != expected)).fill_null(True)
    # why, in the words of the check of a JSON file (built for the bad cells only)
    reason = pl.struct(cell.alias("id"), pl.col(TODAY).alias("today"))
    error = _fail(bad, reason.map_elements(_id_reason, return_dtype=pl.String))
    return Parsed([text.alias(name), born], error, [stage1, stage2, stage3])


def _date(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    value, shaped = pl.col(name), cell.str.contains(DATE_FORMAT)
    error = _first_error(
        _fail(shaped & _early(cell), pl.format(f"'{{}}' {EARLY_DATE}", cell)),
        _fail(
            cell.is_not_null() & (value.is_null() | ~shaped),
            pl.format("{} is not a date (YYYY-MM-DD)", cell),
        ),
    )
    return Parsed([value], error, [[cell.str.to_date("%Y-%m-%d", strict=False).alias(name)]])


def _early(text: pl.Expr) -> pl.Expr:
    """Whether a date or month written YYYY-... is from before FIRST_YEAR."""
    return text.str.slice(0, 4).cast(pl.Int32, strict=False) < FIRST_YEAR


def _bool(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    low = pl.col(f"~{name}low")
    default = bool(spec.default) if spec.default is not None else False
    value = (
        pl.when(low.is_in(_TRUE))
        .then(True)
        .when(low.is_in(_FALSE))
        .then(False)
        .otherwise(pl.lit(None if spec.required else default, dtype=pl.Boolean))
    )
    error = _fail(
        cell.is_not_null() & ~low.is_in(_TRUE + _FALSE),
        pl.format(f"{{}} is not {YES_NO}", cell),
    )
    return Parsed([value.alias(name)], error, [[cell.str.to_lowercase().alias(f"~{name}low")]])


def _int(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    ok = pl.col(f"~{name}ok")
    value = pl.when(ok).then(cell.cast(pl.Int64, strict=False)).otherwise(None)
    if spec.default is not None:
        value = pl.when(cell.is_null()).then(pl.lit(int(spec.default))).otherwise(value)
    errors = [
        _fail(cell.str.contains(r"^[+-]?[0-9]+$") & ~ok, pl.format(f"{{}} {TOO_LONG}", cell)),
        _fail(cell.is_not_null() & ~ok, pl.format("{} is not a whole number", cell)),
    ]
    errors += _range(pl.col(name), spec, 1)
    digits = rf"^[+-]?[0-9]{{1,{INT_DIGITS}}}$"
    stages = [[cell.str.contains(digits).alias(f"~{name}ok")], [value.alias(name)]]
    return Parsed([pl.col(name)], _first_error(*errors), stages)


def _decimal(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    places = spec.places or 0
    ok = cell.str.contains(f"^{decimal_pattern(places)}$")
    negative = cell.str.starts_with("-")
    digits = cell.str.strip_chars_start("+-")
    whole = digits.str.split(".").list.get(0, null_on_oob=True).cast(pl.Int64, strict=False)
    frac = digits.str.split(".").list.get(1, null_on_oob=True).fill_null("")
    frac_units = (
        frac.str.pad_end(places, "0").cast(pl.Int64, strict=False).fill_null(0)
        if places
        else pl.lit(0)
    )
    scaled = whole * 10**places + frac_units
    value = pl.when(ok).then(pl.when(negative).then(-scaled).otherwise(scaled)).otherwise(None)
    if spec.default is not None:
        default_units = int(spec.default * 10**places)
        value = pl.when(cell.is_null()).then(pl.lit(default_units)).otherwise(value)
    errors = [
        _fail(
            cell.is_not_null() & ~ok,
            pl.format(f"{{}} {decimal_reason(places)}", cell),
        )
    ]
    errors += _range(value, spec, 10**places)
    return Parsed([value.alias(name)], _first_error(*errors))


def _range(value: pl.Expr, spec: FieldSpec, scale: int) -> list[Checks]:
    out = []
    if spec.min is not None:
        out.append(_fail(value < int(spec.min * scale), f"below the minimum {spec.min}"))
    if spec.max is not None:
        out.append(_fail(value > int(spec.max * scale), f"above the maximum {spec.max}"))
    return out


def _enum(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    values = spec.values or {}
    by_label = {label: code for code, label in values.items()}
    code = (
        pl.when(cell.is_in(list(values)))
        .then(cell)
        .otherwise(cell.replace_strict(by_label, default=None, return_dtype=pl.String))
    )
    if spec.default is not None:
        code = pl.when(cell.is_null()).then(pl.lit(str(spec.default))).otherwise(code)
    allowed = ", ".join(values)
    error = _fail(
        cell.is_not_null() & pl.col(name).is_null(),
        pl.format(f"{{}} is not one of: {allowed}", cell),
    )
    return Parsed([pl.col(name)], error, [[code.alias(name)]])


def _events(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    parts = (
        cell.fill_null("")
        .str.replace_all(r"\s", "")
        .str.split(";")
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    dates = parts.list.eval(pl.element().str.to_date("%Y-%m-%d", strict=False))
    bad = (
        dates.list.eval(pl.element().is_null()).list.any()
        | ~parts.list.eval(pl.element().str.contains(DATE_FORMAT)).list.all()
    )
    early = parts.list.eval(
        pl.element().filter(pl.element().str.contains(DATE_FORMAT) & _early(pl.element()))
    ).list.first()
    error = _first_error(
        _fail(early.is_not_null(), pl.format(f"'{{}}' {EARLY_DATE}", early)),
        _fail(bad, pl.format("{} is not a list of dates (YYYY-MM-DD;YYYY-MM-DD)", cell)),
    )
    return Parsed([dates.alias(name)], error)


def _periods(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    """K = ``width`` (start, end) month-ordinal pairs, padded with the empty interval, plus a
    ``<name>#clean`` flag: false where the periods overlap or are out of order (merged later).
    Intermediate columns (``~<name>...``) are computed once, stage by stage."""
    tmp = f"~{name}"
    text = (  # as the scalar parser: blanks ignored, empty items between ';' skipped
        cell.fill_null("")
        .str.replace_all(r"\s", "")
        .str.replace_all(";;+", ";")
        .str.strip_chars(";")
    )
    stage1 = [
        ((text == "") | text.str.contains(_PERIODS)).alias(f"{tmp}ok"),
        text.str.split_exact(";", max(width - 1, 0)).alias(f"{tmp}parts"),
    ]
    ok = pl.col(f"{tmp}ok")
    stage2, stage2b, stage3 = [], [], []
    for k in range(width):
        part = pl.col(f"{tmp}parts").struct.field(f"field_{k}")
        first, last = _yyyymm(part.str.slice(0, 7)), _yyyymm(part.str.slice(-7, 7))
        stage2 += [
            (ok & part.is_not_null() & (part != "")).alias(f"{tmp}p{k}"),
            first.alias(f"{tmp}s{k}"),  # YYYYMM as a number: one cast for year and month
            last.alias(f"{tmp}e{k}"),
        ]
        stage2b += [
            (_month_ok(pl.col(f"{tmp}s{k}")) & _month_ok(pl.col(f"{tmp}e{k}"))).alias(f"{tmp}m{k}"),
            _ordinal(pl.col(f"{tmp}s{k}")).alias(f"{tmp}s{k}"),
            _ordinal(pl.col(f"{tmp}e{k}")).alias(f"{tmp}e{k}"),
        ]
    months_ok, ordered, clean = pl.lit(True), pl.lit(True), pl.lit(True)
    january = FIRST_YEAR * 12  # the ordinal of January of the first year
    for k in range(width):
        present, s, e = pl.col(f"{tmp}p{k}"), pl.col(f"{tmp}s{k}"), pl.col(f"{tmp}e{k}")
        months_ok = months_ok & (~present | pl.col(f"{tmp}m{k}"))
        ordered = ordered & (~present | ((e >= s) & (s >= january) & (e >= january)))
        if k:
            clean = clean & (~present | (s > pl.col(f"{tmp}e{k - 1}")))
    stage3 += [months_ok.alias(f"{tmp}months"), ordered.alias(f"{tmp}ordered")]
    valid = ok & pl.col(f"{tmp}months") & pl.col(f"{tmp}ordered")
    typed: list[pl.Expr] = []
    for k in range(width):
        keep = valid & pl.col(f"{tmp}p{k}")
        s, e = pl.col(f"{tmp}s{k}"), pl.col(f"{tmp}e{k}")
        typed.append(
            pl.when(keep).then(s).otherwise(EMPTY_START).cast(pl.Int32).alias(start_col(name, k))
        )
        typed.append(
            pl.when(keep).then(e).otherwise(EMPTY_END).cast(pl.Int32).alias(end_col(name, k))
        )
    typed.append((clean | ~valid).alias(f"{name}#clean"))
    # why, in the words of the parser of a JSON file (built for the bad cells only)
    error = _fail(~valid, cell.map_elements(_periods_reason, return_dtype=pl.String))
    return Parsed(typed, error, [stage1, stage2, stage2b, stage3])


def _id_reason(cell: dict[str, Any]) -> str:
    text = cell["id"]
    try:
        idnumber.validate(text, today=cell["today"])
    except ValueError as exc:
        return str(exc)
    return f"ID number {text!r} is not valid"


def _periods_reason(text: str) -> str:
    """Why a cell is not periods, as the scalar parser of a JSON file says it (bad rows only)."""
    try:
        parse_periods(text)
    except ValueError as exc:
        return str(exc)
    return f"{text} is not a list of periods (YYYY-MM..YYYY-MM;...)"


def _yyyymm(month: pl.Expr) -> pl.Expr:
    """'2015-03' as the number 201503 (null when not digits)."""
    return month.str.replace("-", "", literal=True).cast(pl.Int64, strict=False)


def _ordinal(yyyymm: pl.Expr) -> pl.Expr:
    return yyyymm // 100 * 12 + yyyymm % 100 - 1


def _month_ok(yyyymm: pl.Expr) -> pl.Expr:
    number = yyyymm % 100
    return ((number >= 1) & (number <= 12)).fill_null(False)


Exact = Callable[[str, FieldSpec, pl.Expr, int], Parsed]
EXACT: dict[str, Exact] = {  # each field kind's exact parser (its fast one: canonical.FAST)
    "text": _text,
    "id_number": _id_number,
    "date": _date,
    "bool": _bool,
    "int": _int,
    "decimal": _decimal,
    "enum": _enum,
    "periods": _periods,
    "events": _events,
}


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
        if spec.type in FAST:
            one = FAST[spec.type](name, spec, pl.col(name), width)
        else:  # no fast parser: the exact one, on every row
            cell = _cell(name)
            exact = EXACT[spec.type](name, spec, cell, width)
            checks = exact.error
            if spec.required:
                checks = _fail(cell.is_null(), REQUIRED) + checks
            one = Fast(exact.typed, ~_any_bad(checks), exact.stages)
        typed += one.typed
        parsed.append(one)
    ok = pl.all_horizontal(one.ok for one in parsed) if parsed else pl.lit(True)
    lazy = _staged(raw.lazy(), parsed, today)
    frame = lazy.select(*typed, ok.fill_null(False).alias("!ok")).collect()
    frame, agreement = _agreement(frame, scheme, today, id_format=pl.lit(True))
    checks = [check for one in agreement.values() for check in one]
    if checks:
        frame = frame.with_columns(pl.col("!ok") & ~_any_bad(checks))
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
        one = EXACT[spec.type](name, spec, cell, widths.get(name, 0))
        if spec.required:
            one.error = _fail(cell.is_null(), REQUIRED) + one.error
        one.stages = [[_cell(name).alias(f"~{name}")], *one.stages]
        parsed[name] = one
        typed_exprs += one.typed
    bad = [_any_bad(one.error).alias(f"!{name}") for name, one in parsed.items()]
    checked = _staged(raw.lazy(), parsed.values(), today).select(*typed_exprs, *bad).collect()
    flags = [f"!{name}" for name in parsed]
    frame = checked.drop(flags)
    errors = [
        _reasons(checked, pl.col(f"!{name}"), raw, name, one, today) for name, one in parsed.items()
    ]
    frame, agreement = _agreement(frame, scheme, today)
    errors += [
        _reasons(frame, _any_bad(checks), frame, name, Parsed([], checks), today)
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
        .select(ROW, pl.lit(name).alias("column"), _reason(one.error).alias("reason"))
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
    """Birth date and sex must agree with the ID number; the birth date is filled from it; a
    birth date after ``today`` is refused (one that is missing only where an age needs it: see
    :func:`hukoucalc.batch.ages.missing_ages`). ``id_format``: whether the ID number
    is well formed, when already known."""
    checks: dict[str, Checks] = {}
    role = roles(scheme)
    number = role.id_number
    if number is not None:
        born = pl.col(f"{number}#born")
        if role.birth_date is not None:
            given = pl.col(role.birth_date)
            checks.setdefault(role.birth_date, []).extend(
                _fail(
                    given.is_not_null() & born.is_not_null() & (given != born),
                    pl.format("disagrees with the ID number ({})", born.cast(pl.String)),
                )
            )
        if role.sex is not None:
            odd = pl.col(number).str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1
            from_id = pl.when(odd).then(pl.lit(MALE)).otherwise(pl.lit(FEMALE))
            sex = pl.col(role.sex)
            checks.setdefault(role.sex, []).extend(
                _fail(
                    sex.is_in(list(SEX_CODES))
                    & born.is_not_null()
                    & (pl.col(number).str.contains(ID_FORMAT) if id_format is None else id_format)
                    & (sex != from_id),
                    pl.format("'{}' disagrees with the ID number", sex),
                )
            )
    for birth in _birth_fields(scheme):
        if number is not None and birth == role.birth_date:
            frame = frame.with_columns(
                pl.coalesce(pl.col(birth), pl.col(f"{number}#born")).alias(birth)
            )
        born = pl.col(birth)
        checks.setdefault(birth, []).extend(
            _fail(
                born > pl.lit(today, dtype=pl.Date),
                pl.format(FUTURE_BIRTH, born.cast(pl.String)),
            )
        )
    return frame, checks


def _birth_fields(scheme: Scheme) -> list[str]:
    from hukoucalc.scheme.model import AgeMeasure  # noqa: PLC0415

    return sorted({m.birth for m in scheme.measures.values() if isinstance(m, AgeMeasure)})
