"""Calendar months and sets of month periods, the raw material of duration indicators.

A month is an ordinal ``year * 12 + month - 1``; a period is an inclusive pair of months. The
compact text syntax, used in JSON and in CSV cells, is::

    2015-03..2021-12            one period, both ends included
    2015-03                     a single month
    2015-03..2018-06;2019-01..2021-12   several periods, separated by ";"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

Period = tuple[int, int]

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only, as in a CSV cell
FIRST_YEAR = 1800  # months and dates before it are refused (a typo such as 0000-01)
EARLY_MONTH = f"is not a month from {FIRST_YEAR} on"
EARLY_DATE = f"is not a date from {FIRST_YEAR} on"


def month_of(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of_date(day: date) -> int:
    return month_of(day.year, day.month)


def parse_month(text: str) -> int:
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    if int(match[1]) < FIRST_YEAR:
        raise ValueError(f"{text.strip()!r} {EARLY_MONTH}")
    return month_of(int(match[1]), int(match[2]))


def format_month(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def parse_period(text: str) -> Period:
    start, sep, end = text.strip().partition("..")
    first = parse_month(start)
    last = parse_month(end) if sep else first
    if last < first:
        raise ValueError(f"period {text.strip()!r} ends before it starts")
    return first, last


def parse_periods(value: object) -> tuple[Period, ...]:
    """Periods from the compact syntax, a list of such strings, or ``{"from", "to"}`` objects."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(parse_period(part) for part in value.split(";") if part.strip())
    if isinstance(value, list | tuple):
        out: list[Period] = []
        for item in value:
            if isinstance(item, dict) and set(item) == {"from", "to"}:
                out.append(parse_period(f"{item['from']}..{item['to']}"))
            elif isinstance(item, str):
                out.extend(parse_periods(item))
            else:
                raise ValueError(
                    f"{item!r} is not a period: use 'YYYY-MM..YYYY-MM' or {{'from', 'to'}}"
                )
        return tuple(out)
    raise ValueError(f"{value!r} is not a list of periods ('YYYY-MM..YYYY-MM;...')")


def format_periods(periods: Iterable[Period]) -> str:
    return ";".join(
        format_month(a) if a == b else f"{format_month(a)}..{format_month(b)}" for a, b in periods
    )


def merge(periods: Iterable[Period]) -> list[Period]:
    """Sorted, disjoint periods covering the same months (overlapping or touching ones joined)."""
    out: list[Period] = []
    for start, end in sorted(periods):
        if out and start <= out[-1][1] + 1:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(a: Sequence[Period], b: Sequence[Period]) -> list[Period]:
    out: list[Period] = []
    left, right = merge(a), merge(b)
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start <= end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Sequence[Period], b: Sequence[Period]) -> list[Period]:
    out: list[Period] = []
    holes = merge(b)
    for start, end in merge(a):
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end < cursor or hole_start > end:
                continue
            if hole_start > cursor:
                out.append((cursor, hole_start - 1))
            cursor = max(cursor, hole_end + 1)
        if cursor <= end:
            out.append((cursor, end))
    return out


def clip(periods: Sequence[Period], first: int, last: int) -> list[Period]:
    return intersect(periods, [(first, last)]) if first <= last else []


def count(periods: Sequence[Period]) -> int:
    return sum(end - start + 1 for start, end in merge(periods))


def continuous(periods: Sequence[Period], end: int, gap: int = 0) -> int:
    """Months covered in the run that ends at month ``end``.

    Walking back from ``end``, up to ``gap`` uncovered months in total are tolerated (e.g. months
    later made good by back-payment); the run stops before the uncovered month that would exceed
    the tolerance. Only covered months are counted.
    """
    covered = 0
    missing = 0
    spans = [p for p in merge(periods) if p[0] <= end]
    cursor = end
    for start, span_end in reversed(spans):
        stop = min(span_end, end)
        hole = cursor - stop
        if missing + hole > gap:
            return covered
        missing += hole
        covered += stop - start + 1
        cursor = start - 1
    return covered


def continuous_bridged(
    periods: Sequence[Period], bridge: Sequence[Period], end: int, limit: int
) -> int:
    """Months in the run that ends at month ``end``, bridged months included.

    A month of the run is covered by ``periods`` or, failing that, by ``bridge`` (months made
    good by back-payment); walking back from ``end``, the run stops at the first month in
    neither, or before the bridged month that would make more than ``limit`` in total. Covered
    and bridged months both count.
    """
    covered = clip(periods, -(10**9), end)
    extra = subtract(clip(bridge, -(10**9), end), covered)
    spans = merge([*covered, *extra])
    if not spans or spans[-1][1] != end:
        return 0
    start = spans[-1][0]
    used = 0
    for first, last in reversed(extra):  # sorted and disjoint: subtract() merges
        if last < start:
            break
        months = last - max(first, start) + 1
        if used + months > limit:
            start = last - (limit - used) + 1
            break
        used += months
    return end - start + 1
