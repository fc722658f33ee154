"""The exact parsers of a batch, one a field kind (:mod:`hukoucalc.batch.kinds` finds them):
text cells in, typed columns and per-cell checks out, on whole columns.

A cell that does not parse gives a reason; the row is reported (row number, column, value,
reason) and left out of the ranking, while the other rows go on. They are the reference for the
fast parsers of :mod:`.canonical`, and say what is wrong where those do not type a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from hukoucalc import idnumber
from hukoucalc.batch.canonical import DATE_FORMAT, ID_FORMAT
from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, end_col, start_col
from hukoucalc.batch.names import TODAY
from hukoucalc.idnumber import CHECK, WEIGHTS
from hukoucalc.kinds.decimals import decimal_pattern, decimal_reason
from hukoucalc.kinds.integer import INT_DIGITS, TOO_LONG
from hukoucalc.periods import EARLY_DATE, FIRST_YEAR
from hukoucalc.periods import parse_periods as periods_of
from hukoucalc.scheme.model import FieldSpec
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
class Check:
    """A test for a bad cell, and the reason shown when it fails (built for bad rows only)."""

    bad: pl.Expr
    reason: pl.Expr | str


Checks = list[Check]


def fail(condition: pl.Expr, reason: pl.Expr | str) -> Checks:
    return [Check(condition, reason)]


def first_error(*errors: Checks) -> Checks:
    return [check for checks in errors for check in checks]


def any_bad(checks: Checks) -> pl.Expr:
    """Cheap: one boolean per row, no text (the reasons are built for the bad rows only)."""
    if not checks:
        return pl.lit(False)
    return pl.any_horizontal(c.bad.fill_null(False) for c in checks)


def reason_of(checks: Checks) -> pl.Expr:
    """The first failing check's reason."""
    out: pl.Expr = pl.lit(None, dtype=pl.String)
    for check in reversed(checks):
        reason = pl.lit(check.reason) if isinstance(check.reason, str) else check.reason
        out = pl.when(check.bad.fill_null(False)).then(reason).otherwise(out)
    return out


def parse_text(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    value = cell if spec.default is None else cell.fill_null(pl.lit(str(spec.default)))
    return Parsed([value.alias(name)], [])


def parse_id_number(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
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
    error = fail(bad, reason.map_elements(_id_reason, return_dtype=pl.String))
    return Parsed([text.alias(name), born], error, [stage1, stage2, stage3])


def parse_date(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    value, shaped = pl.col(name), cell.str.contains(DATE_FORMAT)
    error = first_error(
        fail(shaped & _early(cell), pl.format(f"'{{}}' {EARLY_DATE}", cell)),
        fail(
            cell.is_not_null() & (value.is_null() | ~shaped),
            pl.format("{} is not a date (YYYY-MM-DD)", cell),
        ),
    )
    return Parsed([value], error, [[cell.str.to_date("%Y-%m-%d", strict=False).alias(name)]])


def _early(text: pl.Expr) -> pl.Expr:
    """Whether a date or month written YYYY-... is from before FIRST_YEAR."""
    return text.str.slice(0, 4).cast(pl.Int32, strict=False) < FIRST_YEAR


def parse_bool(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    low = pl.col(f"~{name}low")
    default = bool(spec.default) if spec.default is not None else False
    value = (
        pl.when(low.is_in(_TRUE))
        .then(True)
        .when(low.is_in(_FALSE))
        .then(False)
        .otherwise(pl.lit(None if spec.required else default, dtype=pl.Boolean))
    )
    error = fail(
        cell.is_not_null() & ~low.is_in(_TRUE + _FALSE),
        pl.format(f"{{}} is not {YES_NO}", cell),
    )
    return Parsed([value.alias(name)], error, [[cell.str.to_lowercase().alias(f"~{name}low")]])


def parse_int(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
    ok = pl.col(f"~{name}ok")
    value = pl.when(ok).then(cell.cast(pl.Int64, strict=False)).otherwise(None)
    if spec.default is not None:
        value = pl.when(cell.is_null()).then(pl.lit(int(spec.default))).otherwise(value)
    errors = [
        fail(cell.str.contains(r"^[+-]?[0-9]+$") & ~ok, pl.format(f"{{}} {TOO_LONG}", cell)),
        fail(cell.is_not_null() & ~ok, pl.format("{} is not a whole number", cell)),
    ]
    errors += _range(pl.col(name), spec, 1)
    digits = rf"^[+-]?[0-9]{{1,{INT_DIGITS}}}$"
    stages = [[cell.str.contains(digits).alias(f"~{name}ok")], [value.alias(name)]]
    return Parsed([pl.col(name)], first_error(*errors), stages)


def parse_decimal(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
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
        fail(
            cell.is_not_null() & ~ok,
            pl.format(f"{{}} {decimal_reason(places)}", cell),
        )
    ]
    errors += _range(value, spec, 10**places)
    return Parsed([value.alias(name)], first_error(*errors))


def _range(value: pl.Expr, spec: FieldSpec, scale: int) -> list[Checks]:
    out = []
    if spec.min is not None:
        out.append(fail(value < int(spec.min * scale), f"below the minimum {spec.min}"))
    if spec.max is not None:
        out.append(fail(value > int(spec.max * scale), f"above the maximum {spec.max}"))
    return out


def parse_enum(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
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
    error = fail(
        cell.is_not_null() & pl.col(name).is_null(),
        pl.format(f"{{}} is not one of: {allowed}", cell),
    )
    return Parsed([pl.col(name)], error, [[code.alias(name)]])


def parse_events(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
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
    error = first_error(
        fail(early.is_not_null(), pl.format(f"'{{}}' {EARLY_DATE}", early)),
        fail(bad, pl.format("{} is not a list of dates (YYYY-MM-DD;YYYY-MM-DD)", cell)),
    )
    return Parsed([dates.alias(name)], error)


def parse_periods(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Parsed:
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
    error = fail(~valid, cell.map_elements(_periods_reason, return_dtype=pl.String))
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
        periods_of(text)
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
"""An exact parser: (field, spec, stripped cell, period width) -> typed columns and checks."""
