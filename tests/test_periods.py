"""Month periods: the compact syntax, set operations, counting and continuity."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hukoucalc import periods
from hukoucalc.periods import (
    clip,
    continuous,
    count,
    format_month,
    format_periods,
    intersect,
    merge,
    month_of,
    month_of_date,
    parse_month,
    parse_period,
    parse_periods,
    subtract,
)


def m(text: str) -> int:
    return parse_month(text)


def p(text: str) -> list[periods.Period]:
    return list(parse_periods(text))


# -- months --------------------------------------------------------------------------------------


def test_month_ordinals() -> None:
    assert month_of(2017, 12) == 2017 * 12 + 11
    assert month_of(2018, 1) == month_of(2017, 12) + 1
    assert month_of_date(date(2017, 12, 31)) == month_of(2017, 12)
    assert month_of_date(date(2018, 1, 1)) == month_of(2018, 1)
    assert parse_month("2015-03") == month_of(2015, 3)
    assert parse_month(" 2015-03 ") == month_of(2015, 3)
    assert format_month(month_of(2015, 3)) == "2015-03"
    assert format_month(month_of(1999, 12)) == "1999-12"


@pytest.mark.parametrize(
    "text", ["2015-13", "2015-00", "2015-3", "15-03", "2015/03", "2015-03-01", "", "March"]
)
def test_bad_month(text: str) -> None:
    with pytest.raises(ValueError, match="is not a month"):
        parse_month(text)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("1800-01", month_of(1800, 1)),  # the first month accepted
        ("2015-01", month_of(2015, 1)),
        ("2015-12", month_of(2015, 12)),  # December is month 11 of the ordinal's 0..11
        ("2016-01", month_of(2015, 12) + 1),
    ],
)
def test_month_edges(text: str, month: int) -> None:
    assert parse_month(text) == month
    assert format_month(month) == text


def test_the_month_before_the_first_year_is_refused() -> None:
    with pytest.raises(ValueError, match="'1799-12' is not a month from 1800 on"):
        parse_month("1799-12")


# -- syntax --------------------------------------------------------------------------------------


def test_parse_period() -> None:
    assert parse_period("2015-03..2021-12") == (month_of(2015, 3), month_of(2021, 12))
    assert parse_period("2015-03") == (month_of(2015, 3), month_of(2015, 3))
    assert parse_period("2015-03..2015-03") == (month_of(2015, 3), month_of(2015, 3))
    assert parse_period(" 2015-03 .. 2015-04 ") == (month_of(2015, 3), month_of(2015, 4))


def test_period_ending_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_period("2016-01..2015-12")


@pytest.mark.parametrize("text", ["2015-03..", "..2015-03", "2015-03...2015-04", "2015-03-2015-04"])
def test_bad_period(text: str) -> None:
    with pytest.raises(ValueError, match="is not a month"):
        parse_period(text)


def test_parse_periods_forms() -> None:
    expected = ((month_of(2015, 3), month_of(2018, 6)), (month_of(2019, 1), month_of(2021, 12)))
    assert parse_periods("2015-03..2018-06;2019-01..2021-12") == expected
    assert parse_periods(" 2015-03..2018-06 ; 2019-01..2021-12 ;") == expected
    assert parse_periods(["2015-03..2018-06", "2019-01..2021-12"]) == expected
    assert parse_periods(["2015-03..2018-06;2019-01..2021-12"]) == expected
    assert (
        parse_periods([{"from": "2015-03", "to": "2018-06"}, {"from": "2019-01", "to": "2021-12"}])
        == expected
    )
    assert parse_periods(("2015-03..2018-06", "2019-01..2021-12")) == expected


def test_parse_periods_keeps_order_and_overlaps() -> None:
    # parsing does not merge: that is the set operations' job
    assert parse_periods("2019-01..2019-06;2018-01..2019-03") == (
        (month_of(2019, 1), month_of(2019, 6)),
        (month_of(2018, 1), month_of(2019, 3)),
    )


@pytest.mark.parametrize("empty", [None, "", ";", [], ()])
def test_parse_periods_empty(empty: object) -> None:
    assert parse_periods(empty) == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2015, "is not a list of periods"),
        ({"from": "2015-01", "to": "2015-02"}, "is not a list of periods"),
        ([{"from": "2015-01"}], "is not a period"),
        ([{"from": "2015-01", "to": "2015-02", "note": "x"}], "is not a period"),
        ([201501], "is not a period"),
        ("2015-01..2015-02;2015-13", "is not a month"),
        ([{"from": "2016-01", "to": "2015-02"}], "ends before it starts"),
    ],
)
def test_parse_periods_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_periods(value)


def test_format_periods() -> None:
    assert format_periods(p("2015-03..2018-06;2019-01")) == "2015-03..2018-06;2019-01"
    assert format_periods([]) == ""


# -- set operations ------------------------------------------------------------------------------


def test_merge() -> None:
    assert merge([]) == []
    # overlapping, touching (consecutive months join), contained, unsorted
    assert merge(p("2015-06..2015-12;2015-01..2015-08")) == p("2015-01..2015-12")
    assert merge(p("2015-01..2015-06;2015-07..2015-12")) == p("2015-01..2015-12")
    assert merge(p("2015-01..2015-12;2015-03..2015-04")) == p("2015-01..2015-12")
    assert merge(p("2017-01;2015-01..2015-05;2015-07")) == p("2015-01..2015-05;2015-07;2017-01")


def test_intersect() -> None:
    assert intersect(p("2015-01..2015-12"), p("2015-06..2016-06")) == p("2015-06..2015-12")
    assert intersect(p("2015-01..2015-06"), p("2015-06..2015-12")) == p("2015-06")
    assert intersect(p("2015-01..2015-05"), p("2015-06..2015-12")) == []
    assert intersect(p("2015-01..2015-12"), []) == []
    assert intersect(
        p("2010-01..2010-12;2012-01..2012-12"), p("2010-06..2012-03;2012-11..2013-02")
    ) == p("2010-06..2010-12;2012-01..2012-03;2012-11..2012-12")
    # the inputs need not be merged or sorted
    assert intersect(p("2015-07..2015-12;2015-01..2015-08"), p("2015-03..2015-09")) == p(
        "2015-03..2015-09"
    )


def test_subtract() -> None:
    year = p("2015-01..2015-12")
    assert subtract(year, p("2015-04..2015-06")) == p("2015-01..2015-03;2015-07..2015-12")
    assert subtract(year, p("2014-06..2015-03")) == p("2015-04..2015-12")
    assert subtract(year, p("2015-10..2016-03")) == p("2015-01..2015-09")
    assert subtract(year, p("2014-01..2016-12")) == []
    assert subtract(year, []) == year
    assert subtract([], year) == []
    assert subtract(year, p("2015-11;2015-02..2015-03;2015-03..2015-05")) == p(
        "2015-01;2015-06..2015-10;2015-12"
    )
    assert subtract(p("2015-01..2015-03;2015-06..2015-09"), p("2015-03..2015-07")) == p(
        "2015-01..2015-02;2015-08..2015-09"
    )


def test_clip() -> None:
    spans = p("2014-06..2015-03;2015-10..2016-12")
    assert clip(spans, m("2015-01"), m("2015-12")) == p("2015-01..2015-03;2015-10..2015-12")
    assert clip(spans, m("2015-04"), m("2015-09")) == []
    assert clip(spans, m("2016-01"), m("2015-01")) == []  # an empty window


def test_count() -> None:
    assert count([]) == 0
    assert count(p("2003-07..2017-12")) == 174
    assert count(p("2001-01..2017-12")) == 204
    assert count(p("2015-01..2015-12;2015-06..2016-06")) == 18  # overlaps once
    assert count(p("2015-01;2015-01;2015-02")) == 2


# -- continuity ----------------------------------------------------------------------------------

END = m("2017-12")


def test_continuous_without_gaps() -> None:
    assert continuous([], END) == 0
    assert continuous(p("2010-01..2017-12"), END) == 96
    # later months are outside the window, and touching periods are one run
    assert continuous(p("2010-01..2018-06"), END) == 96
    assert continuous(p("2010-01..2013-12;2014-01..2017-12"), END) == 96
    assert continuous(p("2018-01..2018-06"), END) == 0


def test_continuous_gap_tolerance_is_a_total() -> None:
    six = p("2008-01..2016-06;2017-01..2017-12")  # 6 missing months
    five = p("2008-01..2016-07;2017-01..2017-12")  # 5 missing months
    assert continuous(six, END, gap=5) == 12
    assert continuous(six, END, gap=6) == 114
    assert continuous(five, END, gap=5) == 115
    assert continuous(five, END, gap=4) == 12
    assert continuous(five, END) == 12
    # two gaps of 3: the second one exceeds the 5 months in total
    two = p("2000-01..2011-06;2011-10..2014-09;2015-01..2017-12")
    assert continuous(two, END, gap=5) == 72
    assert continuous(two, END, gap=6) == 210
    assert count(two) == 210


def test_continuous_counts_a_trailing_hole() -> None:
    # insurance stopped in 2017-09: the 3 months up to the end are missing
    stopped = p("2010-01..2017-09")
    assert continuous(stopped, END, gap=3) == 93
    assert continuous(stopped, END, gap=2) == 0
    # missing months before the first covered month do not matter
    assert continuous(p("2015-01..2017-12"), END, gap=0) == 36


# -- properties ----------------------------------------------------------------------------------

month = st.integers(min_value=0, max_value=60)
period = st.tuples(month, st.integers(min_value=0, max_value=24)).map(lambda t: (t[0], t[0] + t[1]))
period_list = st.lists(period, max_size=6)


def months_of(spans: list[periods.Period]) -> set[int]:
    return {x for a, b in spans for x in range(a, b + 1)}


@given(period_list, period_list)
def test_union_never_counts_more_than_the_parts(a: list, b: list) -> None:
    assert count(merge(a + b)) <= count(a) + count(b)
    assert count(merge(a + b)) >= max(count(a), count(b))


@given(period_list, period_list)
def test_intersection_and_difference_partition(a: list, b: list) -> None:
    assert count(a) == count(intersect(a, b)) + count(subtract(a, b))


@given(period_list, month, st.integers(min_value=0, max_value=8))
def test_continuous_at_most_count(a: list, end: int, gap: int) -> None:
    run = continuous(a, end, gap)
    assert 0 <= run <= count(clip(a, -1, end)) <= count(a)
    assert continuous(a, end, gap + 1) >= run  # more tolerance never shortens the run


@given(period_list)
def test_merge_is_sorted_disjoint_and_separated(a: list) -> None:
    merged = merge(a)
    assert months_of(merged) == months_of(a)
    for (_, end), (start, _) in pairwise(merged):
        assert start > end + 1  # touching periods would have been joined
    assert merge(merged) == merged


@given(period_list, period_list, month, month)
def test_set_operations_match_sets_of_months(a: list, b: list, first: int, last: int) -> None:
    assert months_of(intersect(a, b)) == months_of(a) & months_of(b)
    assert months_of(subtract(a, b)) == months_of(a) - months_of(b)
    assert months_of(clip(a, first, last)) == {x for x in months_of(a) if first <= x <= last}
    assert count(a) == len(months_of(a))
    for result in (intersect(a, b), subtract(a, b)):
        assert result == merge(result)


@given(period_list, month, st.integers(min_value=0, max_value=8))
def test_continuous_matches_a_month_by_month_walk(a: list, end: int, gap: int) -> None:
    covered = months_of(a)
    run = missing = 0
    for x in range(end, -1, -1):
        if not any(y <= x for y in covered):
            break  # nothing covered further back
        if x in covered:
            run += 1
        else:
            missing += 1
            if missing > gap:
                break
    assert continuous(a, end, gap) == run


@given(period_list)
def test_format_then_parse_round_trips(a: list) -> None:
    base = month_of(2000, 1)
    shifted = merge([(x + base, y + base) for x, y in a])
    assert list(parse_periods(format_periods(shifted))) == shifted
