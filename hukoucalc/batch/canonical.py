"""Fast typing of canonical cells, the common case of a batch, in few column passes.

A cell written the way ``hukoucalc synth`` and ``scheme template`` write it (no surrounding
blanks, enum codes or labels, ``true``/``false``, ``YYYY-MM..YYYY-MM`` periods joined by ``;``)
is typed here with cheap column operations (one parser a field kind, which
:mod:`hukoucalc.batch.kinds` finds), and flagged ``ok`` when it is valid. A row with any
cell not ``ok`` goes to the exact parsers of :mod:`.fields`, which also say what is wrong. Where
a cell is ``ok`` both give the same value, so the split changes only the speed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, end_col, start_col
from hukoucalc.batch.layout import Layout
from hukoucalc.batch.names import TODAY
from hukoucalc.idnumber import WEIGHTS
from hukoucalc.kinds.integer import INT_DIGITS
from hukoucalc.periods import FIRST_YEAR
from hukoucalc.scheme.model import FieldSpec
from hukoucalc.words import FALSE, TRUE

ID_FORMAT = r"^[0-9]{17}[0-9X]$"
DATE_FORMAT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_RANGE = Layout("9999-99..9999-99", 8)
_PART = 17  # a range and its ";"
_ID = Layout("99999999999999999?", 2)
_DATE = Layout("9999-99-99", 2)


@dataclass
class Fast:
    """A field's typed columns (as the exact parser names and types them) and its ``ok`` flag;
    ``stages``: intermediate columns (``~<field>...``) computed first, stage by stage."""

    typed: list[pl.Expr]
    ok: pl.Expr
    stages: list[list[pl.Expr]] = field(default_factory=list)


def blank(cell: pl.Expr) -> pl.Expr:
    return cell.is_null() | (cell == "")


def _missing_ok(cell: pl.Expr, spec: FieldSpec) -> pl.Expr:
    """A blank cell is valid unless the field is required."""
    return pl.lit(False) if spec.required else blank(cell)


def _or_default(cell: pl.Expr, value: pl.Expr, default: object) -> pl.Expr:
    return value if default is None else pl.when(blank(cell)).then(pl.lit(default)).otherwise(value)


def _staged(prefix: str, values: list[pl.Expr]) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Intermediate columns ``<prefix><k>`` for ``values``, and references to them."""
    return [v.alias(f"{prefix}{k}") for k, v in enumerate(values)], [
        pl.col(f"{prefix}{k}") for k in range(len(values))
    ]


def fast_id_number(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    """18 bytes, read as nine 16-bit words: the check character (ISO 7064 MOD 11-2) and the
    birth date YYYYMMDD at offset 6 by integer arithmetic."""
    stage, words = _staged(f"~{name}#w", _ID.words(cell))
    total = _ID.digit(words, 0) * WEIGHTS[0]  # at most 17 * 9 * 10: a 16-bit word holds it
    for j, weight in enumerate(WEIGHTS[1:], start=1):
        total = total + _ID.digit(words, j) * weight
    remainder = total % 11  # the check character is CHECK[remainder]
    expected = pl.when(remainder == 2).then(ord("X")).otherwise(48 + (12 - remainder) % 11)
    check = _ID.byte(words, 17) == expected
    parts = (_ID.number(words, at, n) for at, n in ((6, 4), (10, 2), (12, 2)))
    stages, real, born = _calendar(f"~{name}#", *parts)
    checks = (_ID.matches(words) & check).alias(f"~{name}#ok")
    ok = pl.col(f"~{name}#ok") & real & (born <= pl.col(TODAY))
    missing = pl.lit(False) if spec.required else cell.is_null()  # "" goes to the exact parser
    return Fast(
        [cell.alias(name), born.alias(f"{name}#born")],
        ok.fill_null(False) | missing,
        [stage, [checks, *stages[0]], stages[1]],
    )


def _calendar(
    prefix: str, year: pl.Expr, month: pl.Expr, day: pl.Expr
) -> tuple[list[list[pl.Expr]], pl.Expr, pl.Expr]:
    """Stages computing whether year-month-day is a real date from 1800 on, and that date (days
    since 1970-01-01 by H. Hinnant's days-from-civil, in exact integers): (stages, real, date)."""
    numbers, (y, m, d) = _staged(prefix, [year, month, day])
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    last = pl.when(m == 2).then(28 + leap.cast(pl.Int32)).when(m.is_in([4, 6, 9, 11]))
    real = (m >= 1) & (m <= 12) & (d >= 1) & (d <= last.then(30).otherwise(31)) & (y >= FIRST_YEAR)
    shifted = y - (m <= 2).cast(pl.Int32)  # years from March: the leap day comes last
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    days = era * 146097 + of_era_days - 719468
    stage, (ok, date) = _staged(prefix + "d", [real, days])
    value = pl.when(ok).then(date).cast(pl.Int32).cast(pl.Date)
    return [numbers, stage], ok, value


def fast_text(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    text = cell.str.strip_chars()
    value = pl.when(text == "").then(None).otherwise(text)
    if spec.default is not None:
        value = value.fill_null(pl.lit(str(spec.default)))
    ok = pl.lit(True) if not spec.required else value.is_not_null()
    return Fast([value.alias(name)], ok)


def fast_date(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    """YYYY-MM-DD from 1800 on, read as five 16-bit words."""
    stage, words = _staged(f"~{name}#w", _DATE.words(cell))
    parts = (_DATE.number(words, at, n) for at, n in ((0, 4), (5, 2), (8, 2)))
    stages, real, value = _calendar(f"~{name}#", *parts)
    ok = (_DATE.matches(words) & real).fill_null(False)
    return Fast([value.alias(name)], ok | _missing_ok(cell, spec), [stage, *stages])


def fast_enum(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    values = spec.values or {}
    codes = {label: code for code, label in values.items()} | {code: code for code in values}
    found = cell.replace_strict(codes, default=None, return_dtype=pl.String)
    code = pl.col(f"~{name}#code")  # staged: polars does not share a replace_strict
    value = _or_default(cell, code, None if spec.default is None else str(spec.default))
    ok = code.is_not_null() | _missing_ok(cell, spec)
    return Fast([value.alias(name)], ok, [[found.alias(f"~{name}#code")]])


def fast_bool(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    mapping = dict.fromkeys(TRUE, True) | dict.fromkeys(FALSE, False)
    found = cell.replace_strict(mapping, default=None, return_dtype=pl.Boolean)
    truth = pl.col(f"~{name}#truth")  # staged: polars does not share a replace_strict
    default = None if spec.required else bool(spec.default) if spec.default is not None else False
    value = pl.when(blank(cell)).then(pl.lit(default, dtype=pl.Boolean)).otherwise(truth)
    ok = truth.is_not_null() | _missing_ok(cell, spec)
    return Fast([value.alias(name)], ok, [[found.alias(f"~{name}#truth")]])


def fast_int(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    number = cell.cast(pl.Int64, strict=False)  # [+-]digits; INT_DIGITS bytes: so many digits
    default = None if spec.default is None else int(spec.default)
    value = _or_default(cell, number, default)
    ok = (number.is_not_null() & (cell.str.len_bytes() <= INT_DIGITS)) | _missing_ok(cell, spec)
    if spec.min is not None:
        ok = ok & (value >= int(spec.min)).fill_null(True)
    if spec.max is not None:
        ok = ok & (value <= int(spec.max)).fill_null(True)
    return Fast([value.cast(pl.Int64).alias(name)], ok)


def fast_events(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    """Blank, or one date (events are rare); a list of dates goes to the exact parser."""
    day = cell.str.to_date("%Y-%m-%d", strict=False)
    empty = pl.lit(pl.Series([[]], dtype=pl.List(pl.Date))).first()
    value = pl.when(day.is_not_null()).then(pl.concat_list(day)).otherwise(empty)
    ok = day.is_not_null() & cell.str.contains(DATE_FORMAT) & (day.dt.year() >= FIRST_YEAR)
    return Fast([value.alias(name)], ok | _missing_ok(cell, spec))


def fast_periods(name: str, spec: FieldSpec, cell: pl.Expr, width: int) -> Fast:
    """Blank, or up to ``width`` ranges ``YYYY-MM..YYYY-MM`` joined by ``;``, sorted and
    disjoint, each read as two 64-bit words (a single month ``YYYY-MM`` is left to the exact
    parser)."""
    tmp = f"~{name}#"
    size = cell.str.len_bytes()
    stage1: list[pl.Expr] = []
    parts: list[list[pl.Expr]] = []
    for k in range(width):
        part = cell if width == 1 else cell.str.slice(_PART * k, _PART - 1)
        words, refs = _staged(f"{tmp}{k}w", _RANGE.words(part))
        stage1 += words
        parts.append(refs)
    stage2: list[pl.Expr] = []  # year and month of start and end, and the shape
    stage3: list[pl.Expr] = []  # month ordinals, and whether the period is good
    for k, words in enumerate(parts):
        numbers, (y0, m0, y1, m1) = _staged(
            f"{tmp}{k}n",
            [_RANGE.number(words, at, n) for at, n in ((0, 4), (5, 2), (9, 4), (14, 2))],
        )
        stage2 += [*numbers, _RANGE.matches(words).alias(f"{tmp}{k}m")]
        start, end = y0 * 12 + m0 - 1, y1 * 12 + m1 - 1
        good = pl.col(f"{tmp}{k}m") & (end >= start) & (y0 >= FIRST_YEAR)  # then y1 is too
        for month in (m0, m1):
            good = good & (month >= 1) & (month <= 12)
        stage3 += [start.alias(f"{tmp}s{k}"), end.alias(f"{tmp}e{k}"), good.alias(f"{tmp}g{k}")]
    ok: pl.Expr = pl.lit(True) if width <= 1 else (size + 1) % _PART == 0
    if width > 1:
        ok = ok & (cell.str.count_matches(";", literal=True) == (size + 1) // _PART - 1)
    typed: list[pl.Expr] = []
    for k, words in enumerate(parts):
        present = words[0].is_not_null()
        start, end = pl.col(f"{tmp}s{k}"), pl.col(f"{tmp}e{k}")
        good = pl.col(f"{tmp}g{k}")
        if k:
            good = good & (start > pl.col(f"{tmp}e{k - 1}"))
        ok = ok & (good if k == 0 else ~present | good)
        typed.append(
            pl.when(present)
            .then(start)
            .otherwise(EMPTY_START)
            .cast(pl.Int32)
            .alias(start_col(name, k))
        )
        typed.append(
            pl.when(present).then(end).otherwise(EMPTY_END).cast(pl.Int32).alias(end_col(name, k))
        )
    return Fast(typed, ok.fill_null(False) | _missing_ok(cell, spec), [stage1, stage2, stage3])


FastParser = Callable[[str, FieldSpec, pl.Expr, int], Fast]
"""A fast parser: (field, spec, raw cell, period width) -> typed columns and ``ok`` flag."""
