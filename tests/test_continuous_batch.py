"""A ``continuous`` months measure over several fields (with ``overlap`` and ``minus``) is ranked
by the batch backend exactly as ``score`` counts it (``periods.continuous``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukoucalc import periods
from hukoucalc.batch.columns import EMPTY_END, EMPTY_START, ColumnOps, end_col, start_col
from hukoucalc.engine.ops import MonthsSpec
from hukoucalc.engine.scalar import ScalarOps
from hukoucalc.scheme.load import load_scheme

from .test_rank_agreement import assert_same_points, cell, rank_rows, score_alone

LAST = periods.month_of(2023, 12)
FIELDS = ("a", "b", "c", "d")


def _periods(draw: st.DrawFn) -> list[periods.Period]:
    month = st.integers(LAST - 40, LAST + 2)
    pairs = draw(st.lists(st.tuples(month, st.integers(0, 8)), max_size=4))
    return [(start, start + length) for start, length in pairs]


@st.composite
def _case(draw: st.DrawFn) -> tuple[MonthsSpec, list[dict[str, list[periods.Period]]]]:
    of = tuple(draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True)))
    rest = [f for f in FIELDS if f not in of]
    overlap = tuple(draw(st.lists(st.sampled_from(rest), max_size=1)))
    minus = tuple(f for f in draw(st.lists(st.sampled_from(rest), max_size=1)) if f not in overlap)
    first = draw(st.none() | st.integers(LAST - 36, LAST))
    spec = MonthsSpec(of, overlap, minus, first, LAST, True, draw(st.integers(0, 6)))
    rows = [{f: _periods(draw) for f in FIELDS} for _ in range(draw(st.integers(1, 6)))]
    return spec, rows


def _frame(rows: list[dict[str, list[periods.Period]]]) -> tuple[pl.DataFrame, dict[str, int]]:
    """Period fields as the batch reader types them: merged, sorted, padded pairs of months."""
    merged = [{f: periods.merge(row[f]) for f in FIELDS} for row in rows]
    widths = {f: max(1, *(len(row[f]) for row in merged)) for f in FIELDS}
    columns: dict[str, list[int]] = {}
    for f in FIELDS:
        for k in range(widths[f]):
            columns[start_col(f, k)] = [
                row[f][k][0] if k < len(row[f]) else EMPTY_START for row in merged
            ]
            columns[end_col(f, k)] = [
                row[f][k][1] if k < len(row[f]) else EMPTY_END for row in merged
            ]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Int32)), widths


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case())
def test_batch_continuous_over_several_fields_is_the_scalar_count(
    case: tuple[MonthsSpec, list[dict[str, list[periods.Period]]]],
) -> None:
    spec, rows = case
    frame, widths = _frame(rows)
    ops = ColumnOps(frame, widths)
    months = ops.months(spec)  # first: it adds the shared columns to ops.frame
    got = ops.frame.select(months.alias("m")).collect()["m"].to_list()
    assert got == [ScalarOps(row).months(spec) for row in rows]


SCHEME = Path(__file__).parent / "data" / "rank" / "continuous-two.toml"


def test_rank_and_score_agree_on_a_continuous_measure_over_two_fields() -> None:
    loaded = load_scheme(str(SCHEME))
    pool = [
        # insured under a contract, then self-employed: one run
        {"social_insurance": "2019-01..2021-06", "self_insured": "2021-07..2023-12"},
        # a two-month hole: tolerated (gap = 2), the earlier run counts
        {"social_insurance": "2018-01..2021-06", "self_insured": "2021-09..2023-12"},
        # a three-month hole: the run starts after it
        {"social_insurance": "2018-01..2021-06", "self_insured": "2021-10..2023-12"},
        # overlapping periods of the two fields count once; unemployment taken out
        {
            "social_insurance": "2017-01..2022-12",
            "self_insured": "2020-01..2023-12",
            "unemployed": "2023-03..2023-04",
        },
        {"social_insurance": "", "self_insured": ""},
    ]
    rows = [{"name": f"a{i}", **{k: cell(v) for k, v in a.items()}} for i, a in enumerate(pool)]
    with tempfile.TemporaryDirectory() as folder:
        result, published = rank_rows(loaded, rows, Path(folder))
    assert result.errors.height == 0, result.errors
    totals = []
    for row in rows:
        card = score_alone(loaded, {k: v for k, v in row.items() if v})
        assert_same_points(card, published[row["name"]], row)
        totals.append(published[row["name"]]["total"])
    assert totals == ["5.00", "5.75", "2.25", "6.75", "0.00"]  # 60, 70, 27, 82, 0 months
