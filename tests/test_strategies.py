"""The test data itself: the applicant strategy reaches a scheme's named dates and their edges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import find, settings

from hukoucalc.periods import month_of_date, parse_periods
from hukoucalc.scheme.load import load_scheme

from .strategies import applicants, edges, shift_months

GUANGZHOU = load_scheme("guangzhou-2015").scheme  # as_of 2015-08-31, born 1970-08-01..1995-07-31
DAY = dt.timedelta(days=1)
SEARCH = settings(max_examples=1000, database=None, deadline=None)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2015, 7, 31), 1, dt.date(2015, 8, 31)),
        (dt.date(2015, 7, 31), -1, dt.date(2015, 6, 30)),  # kept within June
        (dt.date(2016, 3, 31), -1, dt.date(2016, 2, 29)),
        (dt.date(2015, 1, 15), -1, dt.date(2014, 12, 15)),  # across a year
        (dt.date(2015, 12, 15), 1, dt.date(2016, 1, 15)),
        (dt.date(2016, 2, 29), -12 * 45, dt.date(1971, 2, 28)),
    ],
)
def test_shift_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert shift_months(day, months) == expected


def test_edges_hold_every_named_date_and_its_neighbours() -> None:
    near = edges(GUANGZHOU)
    for day in GUANGZHOU.dates.values():
        around = {day - DAY, day, day + DAY, shift_months(day, -1), shift_months(day, 1)}
        assert around <= set(near.days), day
        assert {dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)} <= set(near.days)
        assert {month_of_date(day) - 1, month_of_date(day), month_of_date(day) + 1} <= set(
            near.months
        )
    # a 45th birthday on as_of, and the days either side of it and of the age window's ends
    assert {dt.date(1970, 8, 30), dt.date(1970, 8, 31), dt.date(1970, 9, 1)} <= set(near.births)
    assert {dt.date(1970, 7, 31), dt.date(1970, 8, 1), dt.date(1970, 8, 2)} <= set(near.births)
    assert {dt.date(1995, 7, 31), dt.date(1995, 8, 1), dt.date(1995, 8, 2)} <= set(near.births)


def test_drawn_applicants_reach_the_edges() -> None:
    """An event on the day after as_of, insurance ending in the month of as_of: rare draws for
    a uniform strategy over decades, common ones here."""
    drawn = applicants(GUANGZHOU)
    after = str(GUANGZHOU.dates["as_of"] + DAY)
    find(drawn, lambda r: after in r.get("donations", ()), settings=SEARCH)
    find(
        drawn,
        lambda r: any(
            b == month_of_date(GUANGZHOU.dates["as_of"])
            for _, b in parse_periods(r.get("social_insurance", []))
        ),
        settings=SEARCH,
    )
