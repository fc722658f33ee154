"""What values a scheme's quantities can take, worked out exactly from the scheme alone.

A :class:`Span` is a closed range (``None`` = unbounded) of multiples of ``step``: months, ages
and counts step by 1, a 2-place decimal field by 1/100. Spans are sound over-approximations: a
value outside the span can never occur, so whatever ``scheme check`` proves from them holds for
every applicant (what it cannot prove, it does not report).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from hukoucalc.kinds import kind
from hukoucalc.periods import month_of_date
from hukoucalc.scheme.model import (
    AgeMeasure,
    ByField,
    CombineMeasure,
    EventsMeasure,
    FieldSpec,
    MonthsMeasure,
    Scheme,
    ValueMeasure,
    ValueRef,
)

Bound = Fraction | None


@dataclass(frozen=True)
class Span:
    lo: Bound
    hi: Bound
    step: Fraction | None = None  # None (or 0): any value, e.g. points

    @property
    def empty(self) -> bool:
        return self.lo is not None and self.hi is not None and self.lo > self.hi

    def contains(self, x: Fraction) -> bool:
        return (self.lo is None or x >= self.lo) and (self.hi is None or x <= self.hi)

    def at_least(self, x: Fraction) -> Fraction:
        """The smallest grid value >= x."""
        return x if not self.step else math.ceil(x / self.step) * self.step

    def at_most(self, x: Fraction) -> Fraction:
        """The largest grid value <= x."""
        return x if not self.step else math.floor(x / self.step) * self.step

    def above(self, x: Fraction) -> Fraction:
        """The smallest grid value > x (x itself for a continuous span: an open bound)."""
        if not self.step:
            return x
        return (math.floor(x / self.step) + 1) * self.step

    def below(self, x: Fraction) -> Fraction:
        """The largest grid value < x."""
        if not self.step:
            return x
        return (math.ceil(x / self.step) - 1) * self.step

    def meet(self, lo: Bound, hi: Bound) -> Span:
        new_lo = lo if self.lo is None else self.lo if lo is None else max(self.lo, lo)
        new_hi = hi if self.hi is None else self.hi if hi is None else min(self.hi, hi)
        return Span(new_lo, new_hi, self.step)

    def has_grid_point(self, start: Bound, end_excluded: Bound) -> bool:
        """Whether a value of this span lies in [start, end_excluded)."""
        lo = self.lo if start is None else self.at_least(start)
        if self.lo is not None and lo is not None:
            lo = max(lo, self.lo)
        hi = self.hi if end_excluded is None else self.below(end_excluded)
        if self.hi is not None and hi is not None:
            hi = min(hi, self.hi)
        return lo is None or hi is None or lo <= hi


def gcd_step(*steps: Fraction | None) -> Fraction | None:
    """The largest step every value of the given grids is a multiple of."""
    known = [s for s in steps if s is not None]
    if len(known) != len(steps) or not known:
        return None
    den = math.lcm(*(s.denominator for s in known))
    step = Fraction(math.gcd(*(int(s * den) for s in known)), den)
    return step or None


def hull(*spans: Span) -> Span:
    los = [s.lo for s in spans]
    his = [s.hi for s in spans]
    lo = None if any(x is None for x in los) else min(x for x in los if x is not None)
    hi = None if any(x is None for x in his) else max(x for x in his if x is not None)
    return Span(lo, hi, gcd_step(*(s.step for s in spans)))


def constant(x: Fraction) -> Span:
    """A single value; as a grid, 0 constrains nothing (every step divides it)."""
    return Span(x, x, abs(x) if x else Fraction(0))


ZERO = constant(Fraction(0))


def months_block(scheme: Scheme, name: str) -> int | None:
    """Months one unit of a measure stands for: 1 for a months measure, N for its whole N-month
    blocks (a ``quotient`` of one by N); None for any other quantity."""
    m = scheme.measures.get(name)
    if isinstance(m, MonthsMeasure):
        return 1
    inner = scheme.measures.get(m.of[0]) if isinstance(m, CombineMeasure) else None
    if isinstance(m, CombineMeasure) and m.kind == "quotient" and isinstance(inner, MonthsMeasure):
        return m.by
    return None


class Quantities:
    """Spans of a scheme's number fields and measures (measure caps included)."""

    def __init__(self, scheme: Scheme) -> None:
        self.s = scheme
        self._memo: dict[str, Span] = {}

    def of(self, name: str) -> Span:
        if name not in self._memo:
            self._memo[name] = self._compute(name)
        return self._memo[name]

    def natural(self, name: str) -> Span:
        """A measure's span before its own ``cap``."""
        measure = self.s.measures[name]
        return self._measure(measure)

    def _compute(self, name: str) -> Span:
        measure = self.s.measures.get(name)
        if measure is None:
            return self.field(self.s.fields[name])
        span = self._measure(measure)
        if measure.cap is None:
            return span
        return cap(span, self.value(measure.cap))

    def field(self, spec: FieldSpec) -> Span:
        if kind(spec).yes_no:
            return Span(Fraction(0), Fraction(1), Fraction(1))
        step = kind(spec).step(spec)
        lo = None if spec.min is None else Fraction(spec.min)
        hi = None if spec.max is None else Fraction(spec.max)
        span = Span(lo, hi, step)
        if not spec.required and spec.default is None:  # an absent number counts as 0
            span = hull(span, Span(Fraction(0), Fraction(0), step))
        return span

    def value(self, ref: ValueRef) -> Span:
        """What a number, a measure or field name, or a by-field table can be."""
        if isinstance(ref, str):
            return self.of(ref)
        if isinstance(ref, ByField):
            values = [Fraction(v) for v in (*ref.values.values(), ref.default)]
            return Span(min(values), max(values), gcd_step(*values))
        return constant(Fraction(ref))

    def _measure(self, m: object) -> Span:
        one = Fraction(1)
        if isinstance(m, MonthsMeasure):
            window: int | None = m.last_months
            if m.start is not None:
                first = month_of_date(self._date(m.start))
                end = min(self._date(m.end), self._date("as_of"))  # as Compiled.window_end
                window = max(0, month_of_date(end) - first + 1)
            return Span(Fraction(0), None if window is None else Fraction(window), one)
        if isinstance(m, AgeMeasure):
            return Span(None, None, one)  # a birth date after the reference date is negative
        if isinstance(m, EventsMeasure):
            return Span(Fraction(0), None, one)
        if isinstance(m, ValueMeasure):
            return self.field(self.s.fields[m.field])
        assert isinstance(m, CombineMeasure)
        parts = [self.of(name) for name in m.of]
        step = gcd_step(*(p.step for p in parts))
        if m.kind == "sum":
            return Span(_sum(p.lo for p in parts), _sum(p.hi for p in parts), step)
        if m.kind == "difference":
            head, rest = parts[0], parts[1:]
            lo = _sum([head.lo, *(_neg(p.hi) for p in rest)])
            hi = _sum([head.hi, *(_neg(p.lo) for p in rest)])
            return Span(lo, hi, step)
        if m.kind in ("min", "max"):
            acc = parts[0]
            for p in parts[1:]:
                acc = cap(acc, p) if m.kind == "min" else floor(acc, p)
            return acc
        by = Fraction(m.by or 1)
        x = parts[0]
        if m.kind == "quotient":
            lo = None if x.lo is None else Fraction(math.floor(x.lo / by))
            hi = None if x.hi is None else Fraction(math.floor(x.hi / by))
            return Span(lo, hi, one)
        rest_step = gcd_step(x.step, by)
        top = by - (rest_step or Fraction(0))
        if x.lo is not None and x.hi is not None and x.lo >= 0 and x.hi < by:
            return Span(x.lo, x.hi, rest_step)
        return Span(Fraction(0), top, rest_step)

    def _date(self, ref: dt.date | str) -> dt.date:
        return ref if isinstance(ref, dt.date) else self.s.dates[ref]


def _sum(values: Iterable[Bound]) -> Bound:
    total = Fraction(0)
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _neg(x: Bound) -> Bound:
    return None if x is None else -x


def min_lo(a: Bound, b: Bound) -> Bound:
    """The lower bound of min(x, y) (None is -inf)."""
    return None if a is None or b is None else min(a, b)


def min_hi(a: Bound, b: Bound) -> Bound:
    """The upper bound of min(x, y) (None is +inf)."""
    return b if a is None else a if b is None else min(a, b)


def max_lo(a: Bound, b: Bound) -> Bound:
    """The lower bound of max(x, y) (None is -inf)."""
    return b if a is None else a if b is None else max(a, b)


def max_hi(a: Bound, b: Bound) -> Bound:
    """The upper bound of max(x, y) (None is +inf)."""
    return None if a is None or b is None else max(a, b)


def add(a: Span, b: Span) -> Span:
    return Span(_sum([a.lo, b.lo]), _sum([a.hi, b.hi]), gcd_step(a.step, b.step))


def cap(span: Span, bound: Span) -> Span:
    """min(value, bound)."""
    return Span(
        min_lo(span.lo, bound.lo), min_hi(span.hi, bound.hi), gcd_step(span.step, bound.step)
    )


def floor(span: Span, bound: Span) -> Span:
    """max(value, bound)."""
    return Span(
        max_lo(span.lo, bound.lo), max_hi(span.hi, bound.hi), gcd_step(span.step, bound.step)
    )
