"""Vectorised validation of a batch: text cells in, typed columns and per-cell errors out.

Every field type of the scheme language has a parser here that works on whole columns. A cell
that does not parse gives a reason; the row is reported (row number, column, value, reason) and
left out of the ranking, while the other rows go on.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, end_col, start_col
from hukoucalc.scheme.model import FieldSpec, Scheme

ROW = "__row"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_TRUE = ["true", "1", "yes", "y", "t", "是", "有"]
_FALSE = ["false", "0", "no", "n", "f", "否", "无"]
_MONTH = r"\d{4}-\d{2}"
_PERIODS = rf"^({_MONTH}(\.\.{_MONTH})?)(;{_MONTH}(\.\.{_MONTH})?)*;?$"
_ENC = 100_000  # an interval (s, e) packed as s * _ENC + e, to sort with one key


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


def _fail(condition: pl.Expr, reason: pl.Expr | str) -> pl.Expr:
    reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
    return pl.when(condition).then(reason_expr).otherwise(None)


def _first_error(*errors: pl.Expr) -> pl.Expr:
    return pl.coalesce(*errors) if len(errors) > 1 else errors[0]


def parse_field(name: str, spec: FieldSpec) -> tuple[list[pl.Expr], pl.Expr]:
    """Typed expressions (aliased) and an error expression (null when the cell is fine)."""
    cell = _cell(name)
    missing = _fail(cell.is_null(), "required field is missing") if spec.required else None
    typed, error = _PARSERS[spec.type](name, spec, cell)
    if missing is not None:
        error = _first_error(missing, error)
    return typed, error.alias(name)


def _text(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    value = cell if spec.default is None else cell.fill_null(pl.lit(str(spec.default)))
    return [value.alias(name)], pl.lit(None, dtype=pl.String)


def _id_number(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    text = cell.str.to_uppercase()
    shape = text.str.contains(r"^\d{17}[\dX]$")
    born = text.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    total: pl.Expr = pl.lit(0, dtype=pl.Int32)
    for i, weight in enumerate(_WEIGHTS):
        total = total + text.str.slice(i, 1).cast(pl.Int32, strict=False) * weight
    expected = (total % 11).replace_strict(dict(enumerate(_CHECK)), return_dtype=pl.String)
    error = _first_error(
        _fail(cell.is_not_null() & ~shape, "ID number: 17 digits then a digit or X expected"),
        _fail(cell.is_not_null() & born.is_null(), "ID number: no valid birth date in it"),
        _fail(
            cell.is_not_null() & (text.str.slice(17, 1) != expected),
            pl.format("ID number: check character should be {}", expected),
        ),
    )
    return [text.alias(name), born.alias(f"{name}#born")], error


def _date(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    value = cell.str.to_date("%Y-%m-%d", strict=False)
    ok = cell.str.contains(r"^\d{4}-\d{2}-\d{2}$")
    error = _fail(
        cell.is_not_null() & (value.is_null() | ~ok),
        pl.format("{} is not a date (YYYY-MM-DD)", cell),
    )
    return [value.alias(name)], error


def _bool(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    low = cell.str.to_lowercase()
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
        pl.format("{} is not true/false (also 1/0, yes/no, 是/否)", cell),
    )
    return [value.alias(name)], error


def _int(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    ok = cell.str.contains(r"^[+-]?\d{1,15}$")
    value = pl.when(ok).then(cell.cast(pl.Int64, strict=False)).otherwise(None)
    if spec.default is not None:
        value = pl.when(cell.is_null()).then(pl.lit(int(spec.default))).otherwise(value)
    errors = [_fail(cell.is_not_null() & ~ok, pl.format("{} is not a whole number", cell))]
    errors += _range(value, spec, 1)
    return [value.alias(name)], _first_error(*errors)


def _decimal(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    places = spec.places or 0
    pattern = rf"^[+-]?\d{{1,15}}(\.\d{{0,{places}}})?$" if places else r"^[+-]?\d{1,15}$"
    ok = cell.str.contains(pattern)
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
            pl.format(f"{{}} is not a number with at most {places} decimal places", cell),
        )
    ]
    errors += _range(value, spec, 10**places)
    return [value.alias(name)], _first_error(*errors)


def _range(value: pl.Expr, spec: FieldSpec, scale: int) -> list[pl.Expr]:
    out = []
    if spec.min is not None:
        out.append(_fail(value < int(spec.min * scale), f"below the minimum {spec.min}"))
    if spec.max is not None:
        out.append(_fail(value > int(spec.max * scale), f"above the maximum {spec.max}"))
    return out


def _enum(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
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
        cell.is_not_null() & code.is_null(), pl.format(f"{{}} is not one of: {allowed}", cell)
    )
    return [code.alias(name)], error


def _events(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    parts = (
        cell.fill_null("")
        .str.replace_all(r"\s", "")
        .str.split(";")
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    dates = parts.list.eval(pl.element().str.to_date("%Y-%m-%d", strict=False))
    bad = (
        dates.list.eval(pl.element().is_null()).list.any()
        | ~parts.list.eval(pl.element().str.contains(r"^\d{4}-\d{2}-\d{2}$")).list.all()
    )
    error = _fail(bad, pl.format("{} is not a list of dates (YYYY-MM-DD;YYYY-MM-DD)", cell))
    return [dates.alias(name)], error


def _periods_raw(name: str, spec: FieldSpec, cell: pl.Expr) -> tuple[list[pl.Expr], pl.Expr]:
    """First pass: packed, sorted intervals per cell (expanded by :func:`expand_periods`)."""
    text = cell.fill_null("").str.replace_all(r"\s", "")
    ok = (text == "") | text.str.contains(_PERIODS)
    items = text.str.split(";").list.eval(pl.element().filter(pl.element() != ""))
    first = pl.element().str.slice(0, 7)
    last = pl.element().str.slice(-7, 7)

    def ordinal(month: pl.Expr) -> pl.Expr:
        year = month.str.slice(0, 4).cast(pl.Int64, strict=False)
        return year * 12 + month.str.slice(5, 2).cast(pl.Int64, strict=False) - 1

    def month_ok(month: pl.Expr) -> pl.Expr:
        number = month.str.slice(5, 2).cast(pl.Int64, strict=False)
        return (number >= 1) & (number <= 12)

    packed = items.list.eval(ordinal(first) * _ENC + ordinal(last)).list.sort()
    months_ok = items.list.eval(month_ok(first) & month_ok(last)).list.all()
    ordered = items.list.eval(ordinal(last) >= ordinal(first)).list.all()
    error = _first_error(
        _fail(~ok, pl.format("{} is not a list of periods (YYYY-MM..YYYY-MM;...)", cell)),
        _fail(ok & ~months_ok, pl.format("{}: a month is not 01-12", cell)),
        _fail(ok & months_ok & ~ordered, pl.format("{}: a period ends before it starts", cell)),
    )
    return [pl.when(ok & months_ok & ordered).then(packed).otherwise(None).alias(name)], error


_PARSERS = {
    "text": _text,
    "id_number": _id_number,
    "date": _date,
    "bool": _bool,
    "int": _int,
    "decimal": _decimal,
    "enum": _enum,
    "events": _events,
    "periods": _periods_raw,
}


def _merge_packed(packed: list[int] | None) -> list[int]:
    """Merge overlapping packed intervals of one cell (the rare rows that need it)."""
    from hukoucalc.periods import merge  # noqa: PLC0415

    pairs = [(p // _ENC, p % _ENC) for p in packed or []]
    return [s * _ENC + e for s, e in merge(pairs)]


def expand_periods(frame: pl.DataFrame, name: str) -> tuple[pl.DataFrame, int]:
    """Replace the packed list column ``name`` by K sorted, disjoint (start, end) pairs."""
    packed = pl.col(name)
    width = int(frame.select(packed.list.len().max()).item() or 0)
    overlap = pl.lit(False)
    for k in range(1, width):
        prev_end = packed.list.get(k - 1, null_on_oob=True) % _ENC
        start = packed.list.get(k, null_on_oob=True) // _ENC
        overlap = overlap | (start <= prev_end).fill_null(False)
    needs = frame.select(overlap.any()).item() if width > 1 else False
    if needs:
        merged = packed.map_elements(_merge_packed, return_dtype=pl.List(pl.Int64))
        frame = frame.with_columns(pl.when(overlap).then(merged).otherwise(packed).alias(name))
        width = int(frame.select(packed.list.len().max()).item() or 0)
    pairs = []
    for k in range(width):
        item = packed.list.get(k, null_on_oob=True)
        pairs.append((item // _ENC).fill_null(EMPTY_START).cast(pl.Int32).alias(start_col(name, k)))
        pairs.append((item % _ENC).fill_null(EMPTY_END).cast(pl.Int32).alias(end_col(name, k)))
    return frame.with_columns(pairs).drop(name), width


def type_batch(raw: pl.DataFrame, scheme: Scheme) -> Typed:
    """Typed columns and cell errors for a frame of text cells (ROW plus one column a field)."""
    typed_exprs: list[pl.Expr] = [pl.col(ROW)]
    error_exprs: list[pl.Expr] = []
    for name, spec in scheme.fields.items():
        typed, error = parse_field(name, spec)
        typed_exprs += typed
        error_exprs.append(error)
    frame = raw.select(typed_exprs)
    errors = raw.select(pl.col(ROW), *error_exprs)
    frame, errors = _agreement(frame, scheme, errors)
    long = (
        errors.unpivot(index=ROW, variable_name="column", value_name="reason")
        .filter(pl.col("reason").is_not_null())
        .join(
            raw.unpivot(index=ROW, variable_name="column", value_name="value"),
            on=[ROW, "column"],
            how="left",
        )
        .select(ROW, "column", "value", "reason")
    )
    widths: dict[str, int] = {}
    for name, spec in scheme.fields.items():
        if spec.type == "periods":
            frame, widths[name] = expand_periods(frame, name)
    return Typed(frame=frame, widths=widths, errors=long)


def _agreement(
    frame: pl.DataFrame, scheme: Scheme, errors: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Birth date and sex must agree with the ID number; the birth date is filled from it; a
    birth date that an age measure needs must be there."""
    checks: dict[str, list[pl.Expr]] = {}
    ids = [n for n, s in scheme.fields.items() if s.type == "id_number"]
    if ids:
        born = pl.col(f"{ids[0]}#born")
        if "birth_date" in scheme.fields:
            given = pl.col("birth_date")
            checks.setdefault("birth_date", []).append(
                _fail(
                    given.is_not_null() & born.is_not_null() & (given != born),
                    pl.format("disagrees with the ID number ({})", born.cast(pl.String)),
                )
            )
        if scheme.fields.get("sex") is not None:
            odd = pl.col(ids[0]).str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1
            from_id = pl.when(odd).then(pl.lit("male")).otherwise(pl.lit("female"))
            sex = pl.col("sex")
            checks.setdefault("sex", []).append(
                _fail(
                    sex.is_in(["male", "female"]) & born.is_not_null() & (sex != from_id),
                    pl.format("'{}' disagrees with the ID number", sex),
                )
            )
    for birth in _birth_fields(scheme):
        if ids and birth == "birth_date":
            frame = frame.with_columns(
                pl.coalesce(pl.col(birth), pl.col(f"{ids[0]}#born")).alias(birth)
            )
        checks.setdefault(birth, []).append(
            _fail(pl.col(birth).is_null(), "needed for age: give it, or a valid ID number")
        )
    if checks:
        found = frame.select(
            pl.col(ROW),
            *(_first_error(*exprs).alias(f"{name}#chk") for name, exprs in checks.items()),
        )
        errors = (
            errors.join(found, on=ROW, how="left")
            .with_columns(
                pl.coalesce(pl.col(name), pl.col(f"{name}#chk")).alias(name) for name in checks
            )
            .drop([f"{name}#chk" for name in checks])
        )
    return frame, errors


def _birth_fields(scheme: Scheme) -> list[str]:
    from hukoucalc.scheme.model import AgeMeasure  # noqa: PLC0415

    return sorted({m.birth for m in scheme.measures.values() if isinstance(m, AgeMeasure)})
