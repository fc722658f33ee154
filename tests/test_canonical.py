"""The fast typing of canonical cells (batch/canonical.py) changes only the speed: on any mix of
canonical, near-canonical and bad cells, ``type_batch`` gives exactly what the exact parsers give
alone (same typed values, same errors, same period widths), and canonical rows take the fast path.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukoucalc.batch import fields
from hukoucalc.batch.fields import type_batch
from hukoucalc.batch.kinds import batch_kind
from hukoucalc.batch.names import ROW
from hukoucalc.scheme.load import load_scheme

from .invoke import TODAY

SCHEME = load_scheme("beijing-2020").scheme
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def month(n: int) -> str:
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


months = st.integers(1795 * 12, 2030 * 12)
canonical_months = st.integers(1800 * 12, 2030 * 12)  # months before 1800 are refused
ranges = st.tuples(months, months).map(lambda p: f"{month(min(p))}..{month(max(p))}")
odd_parts = st.sampled_from(
    [
        "2015-13",
        "2015-00..2015-02",
        "2016-01..2015-01",
        "2015-1..2015-02",
        "x",
        "",
        " ",
        "２０15-01",
    ]
)


@st.composite
def canonical_periods(draw: st.DrawFn) -> str:
    cuts = sorted(draw(st.sets(canonical_months, max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return ";".join(f"{month(a)}..{month(b)}" for a, b in pairs)


periods = st.one_of(
    canonical_periods(),
    st.lists(st.one_of(ranges, months.map(month), odd_parts), max_size=3).map(";".join),
    st.lists(ranges, max_size=3).map(" ; ".join),
)


def id_number(body: str, corrupt: bool) -> str:
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    check = "10X98765432"[total % 11]
    return body + ("0" if corrupt and check != "0" else "1" if corrupt else check)


@st.composite
def ids(draw: st.DrawFn, good: bool) -> str:
    low = dt.date(1800 if good else 1790, 1, 1)
    born = draw(st.dates(low, dt.date(2025, 12, 31))).strftime("%Y%m%d")
    if not good and draw(st.booleans()):
        born = born[:6] + draw(st.sampled_from(["00", "29", "30", "31", "32"]))
    body = "110105" + born + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    text = id_number(body, not good and draw(st.integers(0, 3)) == 0)
    if good:
        return text
    return draw(st.sampled_from([text, text, text.lower(), text[:17], f" {text}", ""]))


dates = st.dates(dt.date(1700, 1, 1), dt.date(2030, 12, 31)).map(str)
canonical_dates = st.dates(dt.date(1800, 1, 1), dt.date(2030, 12, 31)).map(str)
odd_dates = st.sampled_from(
    [
        "1980-02-30",
        "1980-01-32",
        "1980-04-31",
        "1900-02-29",
        "1980-1-01",
        "19800101",
        "+980-01-01",
        "1981-02-29",
    ]
)
# per field type: cells in canonical form, and any cells (odd ones included)
GOOD = {
    "id_number": ids(good=True),
    "text": st.sampled_from(["张三", "李四"]),
    "date": canonical_dates,
    "bool": st.sampled_from(["true", "false", "是", "否", "1", "0", ""]),
    "int": st.sampled_from(["0", "3", "+2", "-0", "007", ""]),
    "events": st.one_of(st.just(""), canonical_dates),
    "periods": canonical_periods(),
}
ANY = {
    "id_number": ids(good=False),
    "text": st.sampled_from(["张三", " 李四 ", "", "=1+1"]),
    "date": st.one_of(dates, odd_dates, st.just("")),
    "bool": st.sampled_from(["true", "false", "TRUE", "是", "maybe", "", " no"]),
    "int": st.sampled_from(["0", "3", "4", "-1", "1.5", " 2", "9999999999999999", ""]),
    "events": st.sampled_from(["", "2019-05-15", "2019-05-15;2018-01-01", "2019-02-30", "x"]),
    "periods": periods,
}


def cells(name: str, good: bool) -> st.SearchStrategy[str]:
    spec = SCHEME.fields[name]
    if spec.type == "enum":
        values = spec.values or {}
        odd = [] if good else ["", " none", "MALE", "?"]
        return st.sampled_from([*values, *values.values(), *odd])
    return (GOOD if good else ANY)[spec.type]


@st.composite
def rows(draw: st.DrawFn) -> dict[str, str]:
    """Mostly canonical rows, with up to two cells of any kind."""
    row = draw(st.fixed_dictionaries({name: cells(name, True) for name in SCHEME.fields}))
    born = row["id_number"][6:14]  # birth date and sex as the ID number says
    row["birth_date"] = draw(st.sampled_from(["", f"{born[:4]}-{born[4:6]}-{born[6:]}"]))
    row["sex"] = "male" if int(row["id_number"][16]) % 2 else "female"
    for name in draw(st.sets(st.sampled_from(list(SCHEME.fields)), max_size=2)):
        row[name] = draw(cells(name, False))
    return row


def typed_alone(raw: pl.DataFrame) -> fields.Typed:
    periods_ = [n for n, spec in SCHEME.fields.items() if spec.type == "periods"]
    return fields._exact(raw, SCHEME, fields._widths(raw, periods_), TODAY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=25))
def test_fast_typing_changes_nothing(batch: list[dict[str, str]]) -> None:
    raw = pl.DataFrame(batch, schema=dict.fromkeys(SCHEME.fields, pl.String))
    raw = raw.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    got, expected = type_batch(raw, SCHEME, today=TODAY), typed_alone(raw)
    assert got.widths == expected.widths
    assert got.frame.columns == expected.frame.columns
    assert got.frame.sort(ROW).equals(expected.frame.sort(ROW))
    assert got.errors.sort(ROW, "column").equals(expected.errors.sort(ROW, "column"))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=20, max_size=20))
def test_most_rows_are_fast(batch: list[dict[str, str]]) -> None:
    """Not a vacuous comparison above: rows of the same kind do take the fast path."""
    raw = pl.DataFrame(batch, schema=dict.fromkeys(SCHEME.fields, pl.String))
    raw = raw.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    periods_ = [n for n, spec in SCHEME.fields.items() if spec.type == "periods"]
    _, ok = fields._fast(raw, SCHEME, fields._canonical_widths(raw, periods_), TODAY)
    assert ok.sum() > 0


def test_canonical_rows_take_the_fast_path() -> None:
    from hukoucalc.batch.synth import synthesise  # noqa: PLC0415

    raw = synthesise([SCHEME], 300, seed=3).with_row_index(ROW, offset=2)
    raw = raw.with_columns(pl.col(ROW).cast(pl.Int64))
    periods_ = [n for n, spec in SCHEME.fields.items() if spec.type == "periods"]
    _, ok = fields._fast(raw, SCHEME, fields._canonical_widths(raw, periods_), TODAY)
    assert ok.all()  # synth writes canonical cells only
    assert all(batch_kind(spec).fast is not None for spec in SCHEME.fields.values())


DAYS = "19800131 19800132 19000229 20000229 17991231 18000101"
TRICKY = {
    "birth_date": [
        "1980-01-31",
        "1980-01-32",
        "1980-04-31",
        "1980-02-29",
        "1900-02-29",
        "2000-02-29",
        "1799-12-31",
        "1800-01-01",
        "9999-12-31",
        "1980-1-01",
        "+980-01-01",
        "1980-13-01",
        "",
    ],
    "id_number": [
        *(id_number(f"110105{day}123", False) for day in DAYS.split()),
        id_number("11010519800411123", True),
        "11010519800411123x",
        "",
    ],
    "social_insurance": [
        "2015-03..2016-01",
        "2015-03..2016-13",
        "2015-00..2016-01",
        "2015-03",
        "2016-01..2015-01",
        "2015-01..2015-06;2015-06..2015-09",
        "2015-01..2015-06;2014-01..2014-02",
        "2015-01..2015-06;2015-07..2015-09",
        "2015-01..2015-06x2015-07..2015-09",
        "",
    ],
}


def test_tricky_cells_alone() -> None:
    for name, texts in TRICKY.items():
        one = SCHEME.model_copy(update={"fields": {name: SCHEME.fields[name]}, "measures": {}})
        raw = pl.DataFrame({ROW: range(2, 2 + len(texts)), name: texts})
        periods_ = [name] if name == "social_insurance" else []
        expected = fields._exact(raw, one, fields._widths(raw, periods_), TODAY)
        got = type_batch(raw, one, today=TODAY)
        assert got.frame.sort(ROW).equals(expected.frame.sort(ROW)), name
        assert got.errors.sort(ROW).equals(expected.errors.sort(ROW)), name
