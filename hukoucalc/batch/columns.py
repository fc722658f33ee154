"""The evaluator's backend for a batch: polars expressions over typed columns.

Typed columns come from :mod:`.fields`: numbers as scaled Int64, enums as codes, dates, event
lists, and each period field as K pairs of Int32 month ordinals ``<field>#s<k>``/``<field>#e<k>``,
sorted, disjoint within a row, padded with the empty interval (0, -1).
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations, product

import polars as pl

from hukoucalc.engine.ops import Compare, MonthsSpec, Ops

EMPTY_START, EMPTY_END = 0, -1
Interval = tuple[pl.Expr, pl.Expr]


def start_col(field: str, k: int) -> str:
    return f"{field}#s{k}"


def end_col(field: str, k: int) -> str:
    return f"{field}#e{k}"


def age_on(born: pl.Expr, on: dt.date) -> pl.Expr:
    """Whole years from the date ``born`` to ``on`` (a birthday on ``on`` counts), as Int64."""
    before_birthday = (born.dt.month() > on.month) | (
        (born.dt.month() == on.month) & (born.dt.day() > on.day)
    )
    return on.year - born.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)


class ColumnOps(Ops[pl.Expr, pl.Expr]):
    """Builds expressions over ``frame``; shared values are materialised as columns."""

    def __init__(self, frame: pl.DataFrame, widths: dict[str, int]) -> None:
        self.frame = frame.lazy()  # shared values are added as columns, run once at the end
        self.schema = frame.schema
        self.widths = widths  # K per period field
        self._count = 0

    # -- materialising ------------------------------------------------------------------------

    def share(self, value: pl.Expr) -> pl.Expr:
        if value.meta.is_column() or value.meta.is_literal(allow_aliasing=False):
            return value
        self._count += 1
        name = f"__v{self._count}"
        self.frame = self.frame.with_columns(value.alias(name))
        return pl.col(name)

    # -- arithmetic -----------------------------------------------------------------------------

    def lit(self, n: int) -> pl.Expr:
        return pl.lit(n, dtype=pl.Int64)

    def add(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a + b

    def sub(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a - b

    def mul(self, a: pl.Expr, k: int) -> pl.Expr:
        return a if k == 1 else a * pl.lit(k, dtype=pl.Int64)

    def floordiv(self, a: pl.Expr, k: int) -> pl.Expr:
        return a if k == 1 else a // pl.lit(k, dtype=pl.Int64)

    def minimum(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return pl.min_horizontal(a, b)

    def maximum(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return pl.max_horizontal(a, b)

    def where(self, c: pl.Expr, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return pl.when(c).then(a).otherwise(b)

    def compare(self, a: pl.Expr, op: Compare, b: pl.Expr) -> pl.Expr:
        if op == ">=":
            return a >= b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        if op == "<":
            return a < b
        return a == b

    def truth(self, value: bool) -> pl.Expr:
        return pl.lit(value, dtype=pl.Boolean)

    def and_(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a & b

    def or_(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a | b

    def not_(self, a: pl.Expr) -> pl.Expr:
        return ~a

    # -- fields ---------------------------------------------------------------------------------

    def number(self, field: str, scale: int) -> pl.Expr:
        column = pl.col(field)
        if self.schema[field] == pl.Boolean:
            column = column.cast(pl.Int64)
        return column.fill_null(0)

    def flag(self, field: str) -> pl.Expr:
        return pl.col(field).fill_null(False)

    def enum_in(self, field: str, values: frozenset[str]) -> pl.Expr:
        return pl.col(field).is_in(sorted(values)).fill_null(False)

    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> pl.Expr:
        return (
            pl.col(field)
            .replace_strict(mapping, default=default, return_dtype=pl.Int64)
            .fill_null(default)
        )

    def age(self, field: str, on: dt.date) -> pl.Expr:
        # a missing date: 0, which decides nothing where it is allowed (Evaluator.needs)
        return age_on(pl.col(field), on).fill_null(0)

    def events(self, field: str, first: dt.date | None, last: dt.date) -> pl.Expr:
        inside = pl.element() <= pl.lit(last)
        if first is not None:
            inside = inside & (pl.element() >= pl.lit(first))
        return pl.col(field).list.eval(inside).list.sum().cast(pl.Int64).fill_null(0)

    def date_compare(self, field: str, op: Compare, day: dt.date) -> pl.Expr:
        return self.compare(pl.col(field), op, pl.lit(day)).fill_null(False)

    # -- months ---------------------------------------------------------------------------------

    def intervals(self, field: str) -> list[Interval]:
        return [
            (pl.col(start_col(field, k)), pl.col(end_col(field, k)))
            for k in range(self.widths.get(field, 0))
        ]

    def months(self, spec: MonthsSpec) -> pl.Expr:
        first = spec.first if spec.first is not None else EMPTY_START + 1
        if spec.continuous:
            if len(spec.of) == 1 and not spec.overlap and not spec.minus and spec.bridge:
                return self.share(self._bridged(spec, first))
            if len(spec.of) == 1 and not spec.overlap and not spec.minus:
                return self.share(self._continuous(spec.of[0], first, spec.last, spec.gap))
            return self.share(self._continuous_sets(spec, first))
        return self.share(self._covered(spec, pl.lit(first), spec.last))

    def _covered(self, spec: MonthsSpec, first: pl.Expr, last: int) -> pl.Expr:
        """Months of the measure's set (``of``, within ``overlap``, less ``minus``) in
        ``first..last``."""
        window: list[Interval] = [(first, pl.lit(last))]
        fixed = [window, *(self.intervals(name) for name in spec.overlap)]
        total: pl.Expr = pl.lit(0, dtype=pl.Int64)
        # inclusion-exclusion: |(A1 ∪ A2 ...) ∩ X \ (M1 ∪ M2 ...)|
        for n_of in range(1, len(spec.of) + 1):
            for of_set in combinations(spec.of, n_of):
                for n_minus in range(len(spec.minus) + 1):
                    for minus_set in combinations(spec.minus, n_minus):
                        sign = (-1) ** (n_of + 1) * (-1) ** n_minus
                        sets = fixed + [self.intervals(f) for f in (*of_set, *minus_set)]
                        term = _intersection_count(sets)
                        total = total + term if sign > 0 else total - term
        return total

    def _continuous_sets(self, spec: MonthsSpec, first: int) -> pl.Expr:
        """The run ending at ``last`` (``periods.continuous``) of a set made of several fields.

        Walking back from ``last``, the run takes every span of the set whose start ``t`` leaves
        at most ``gap`` uncovered months in ``t..last``, so it counts ``covered(t..last)`` for
        the earliest such start. A start of the set is a start of an ``of`` or ``overlap``
        interval, the month after a ``minus`` interval, or ``first``; trying each of those
        (any other month gives no more than the start before it) finds that earliest start.
        """
        last = spec.last
        starts: list[pl.Expr] = [pl.lit(first)]
        for name in (*spec.of, *spec.overlap):
            starts += [start for start, _ in self.intervals(name)]
        for name in spec.minus:
            starts += [end + 1 for _, end in self.intervals(name)]
        best: pl.Expr = pl.lit(0, dtype=pl.Int64)
        for start in starts:
            t = self.share(pl.max_horizontal(start.cast(pl.Int64), pl.lit(first, dtype=pl.Int64)))
            covered = self.share(self._covered(spec, t, last))
            uncovered = pl.lit(last + 1, dtype=pl.Int64) - t - covered
            taken = pl.when(uncovered <= spec.gap).then(covered).otherwise(0)
            best = pl.max_horizontal(best, taken)
        return best

    def _continuous(self, field: str, first: int, last: int, gap: int) -> pl.Expr:
        """Months covered in the run ending at ``last``, tolerating ``gap`` missing in total."""
        cursor: pl.Expr = pl.lit(last, dtype=pl.Int64)
        missing: pl.Expr = pl.lit(0, dtype=pl.Int64)
        covered: pl.Expr = pl.lit(0, dtype=pl.Int64)
        alive: pl.Expr = pl.lit(True)
        for start, end in reversed(self.intervals(field)):
            s = pl.max_horizontal(start, pl.lit(first)).cast(pl.Int64)
            e = pl.min_horizontal(end, pl.lit(last)).cast(pl.Int64)
            present = self.share(s <= e)
            hole = cursor - e
            take = self.share(alive & present & (missing + hole <= gap))
            alive = self.share(alive & ~(present & (missing + hole > gap)))
            missing = self.share(pl.when(take).then(missing + hole).otherwise(missing))
            covered = self.share(pl.when(take).then(covered + e - s + 1).otherwise(covered))
            cursor = self.share(pl.when(take).then(s - 1).otherwise(cursor))
        return covered

    def _bridged(self, spec: MonthsSpec, first: int) -> pl.Expr:
        """The run ending at ``spec.last`` of months covered by ``field`` or by a ``bridge``
        field, at most ``spec.bridge_max`` of them bridged (as :func:`periods.continuous_bridged`).

        First the run of the union: its start moves back over every interval that holds the
        month before it, in sweeps (each list newest first) until no chain of intervals is left.
        Then, if it holds too many bridged months, the latest start that keeps them within the
        limit, by bisection (bridged months in a window only fall as its start moves forward).
        """
        last = spec.last
        lists = [_clipped(self.intervals(name), first, last) for name in (*spec.of, *spec.bridge)]
        sizes = [len(x) for x in lists]
        sweeps = 1 + (min(sizes) if len(lists) == 2 else sum(sizes))
        start: pl.Expr = pl.lit(last + 1, dtype=pl.Int64)
        for _ in range(sweeps):
            for intervals in lists:
                for s, e in reversed(intervals):
                    holds = (s <= start - 1) & (e >= start - 1)
                    start = self.share(pl.when(holds).then(s).otherwise(start))
        covered, bridges = lists[0], lists[1:]

        def bridged(from_: pl.Expr) -> pl.Expr:
            window: list[Interval] = [(from_, pl.lit(last, dtype=pl.Int64))]
            return _union_count(bridges, [window]) - _union_count(bridges, [window, covered])

        limit = pl.lit(spec.bridge_max, dtype=pl.Int64)
        fits = self.share(bridged(start) <= limit)
        low = self.share(pl.when(fits).then(start - 1).otherwise(start))  # too many from here
        high = self.share(pl.when(fits).then(start).otherwise(last + 1))  # within the limit
        for _ in range(max(1, last - first + 2).bit_length()):
            mid = self.share((low + high) // 2)
            active = high - low > 1
            ok = self.share(bridged(mid) <= limit)
            low = self.share(pl.when(active & ~ok).then(mid).otherwise(low))
            high = self.share(pl.when(active & ok).then(mid).otherwise(high))
        return (pl.lit(last + 1, dtype=pl.Int64) - high).cast(pl.Int64)


def _clipped(intervals: list[Interval], first: int, last: int) -> list[Interval]:
    return [
        (pl.max_horizontal(s, pl.lit(first)).cast(pl.Int64), pl.min_horizontal(e, pl.lit(last)))
        for s, e in intervals
    ]


def _union_count(fields: list[list[Interval]], fixed: list[list[Interval]]) -> pl.Expr:
    """|(F1 ∪ F2 ...) ∩ X1 ∩ X2 ...| by inclusion-exclusion over the fields."""
    total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for n in range(1, len(fields) + 1):
        for chosen in combinations(fields, n):
            term = _intersection_count([*fixed, *chosen])
            total = total + term if n % 2 else total - term
    return total


def _intersection_count(sets: list[list[Interval]]) -> pl.Expr:
    """|S1 ∩ S2 ∩ ...| where each set is disjoint intervals: the sum of tuple overlaps."""
    if any(not intervals for intervals in sets):
        return pl.lit(0, dtype=pl.Int64)
    total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for combo in product(*sets):
        low = pl.max_horizontal(*(s for s, _ in combo))
        high = pl.min_horizontal(*(e for _, e in combo))
        total = total + (high.cast(pl.Int64) - low.cast(pl.Int64) + 1).clip(lower_bound=0)
    return total
