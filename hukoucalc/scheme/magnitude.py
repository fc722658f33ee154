"""A proof that the batch engine's 64-bit integers never overflow for a scheme.

``rank`` computes every value as a polars Int64 column of 1/D point (:mod:`hukoucalc.engine`),
which wraps around silently past 2^63 - 1. Here the one evaluator runs once through a backend of
intervals: each value is the least and greatest integer it can take for any applicant the batch
reader accepts (numbers under 10^15, scaled by their places, or within the field's ``min``/``max``;
months, ages and event counts within what a cell can hold). A scheme any of whose intermediate
values, or shown values (``units * 10**places``), can leave Int64 is refused, naming the line.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from hukoucalc.engine.compile import Compiled
from hukoucalc.engine.evaluate import Evaluator
from hukoucalc.engine.ops import Compare, MonthsSpec, Ops
from hukoucalc.errors import SchemeError
from hukoucalc.kinds import kind
from hukoucalc.kinds.decimals import whole_digits

INT64 = 2**63 - 1
MAX_MONTHS = 10_000 * 12  # month ordinals: at most years 0000-9999 (YYYY-MM), a loose bound
MAX_YEARS_OF_AGE = 10_000  # dates are years 0001-9999
MAX_EVENTS = 10**7  # dates in one cell: a 100 MB cell
Span = tuple[int, int]


class _Overflow(Exception):
    def __init__(self, value: int) -> None:
        self.value = value


class IntervalOps(Ops[Span, None]):
    """Each value as (least, greatest); truth values are unknown (None)."""

    def __init__(self, compiled: Compiled) -> None:
        self.c = compiled

    def _span(self, lo: int, hi: int) -> Span:
        for end in (lo, hi):
            if abs(end) > INT64:
                raise _Overflow(end)
        return lo, hi

    def lit(self, n: int) -> Span:
        return self._span(n, n)

    def add(self, a: Span, b: Span) -> Span:
        return self._span(a[0] + b[0], a[1] + b[1])

    def sub(self, a: Span, b: Span) -> Span:
        return self._span(a[0] - b[1], a[1] - b[0])

    def mul(self, a: Span, k: int) -> Span:
        ends = (a[0] * k, a[1] * k)
        return self._span(min(ends), max(ends))

    def floordiv(self, a: Span, k: int) -> Span:
        return self._span(a[0] // k, a[1] // k)

    def minimum(self, a: Span, b: Span) -> Span:
        return self._span(min(a[0], b[0]), min(a[1], b[1]))

    def maximum(self, a: Span, b: Span) -> Span:
        return self._span(max(a[0], b[0]), max(a[1], b[1]))

    def where(self, c: None, a: Span, b: Span) -> Span:
        return self._span(min(a[0], b[0]), max(a[1], b[1]))

    def compare(self, a: Span, op: Compare, b: Span) -> None:
        return None

    def truth(self, value: bool) -> None:
        return None

    def and_(self, a: None, b: None) -> None:
        return None

    def or_(self, a: None, b: None) -> None:
        return None

    def not_(self, a: None) -> None:
        return None

    def number(self, field: str, scale: int) -> Span:
        spec = self.c.scheme.fields[field]
        if kind(spec).yes_no:
            return 0, 1
        # the most a cell can hold: whole digits as the readers allow them, then the places
        most = 10 ** whole_digits(spec.places or 0) * scale - 1
        lo = int(spec.min * scale) if spec.min is not None else -most
        hi = int(spec.max * scale) if spec.max is not None else most
        return self._span(lo, hi)

    def flag(self, field: str) -> None:
        return None

    def enum_in(self, field: str, values: frozenset[str]) -> None:
        return None

    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> Span:
        values = [default, *mapping.values()]
        return self._span(min(values), max(values))

    def months(self, spec: MonthsSpec) -> Span:
        return 0, MAX_MONTHS

    def age(self, field: str, on: dt.date) -> Span:
        return -MAX_YEARS_OF_AGE, MAX_YEARS_OF_AGE

    def events(self, field: str, first: dt.date | None, last: dt.date) -> Span:
        return 0, MAX_EVENTS

    def date_compare(self, field: str, op: Compare, day: dt.date) -> None:
        return None


def check_magnitudes(compiled: Compiled, *, origin: str) -> None:
    """SchemeError if a value of the batch engine can leave Int64 (naming the first line that
    can: each indicator is walked alone first, then the whole scheme)."""
    scheme = compiled.scheme
    ops = IntervalOps(compiled)
    shown = 10**compiled.places
    at = "(the scheme)"
    try:
        for ind in scheme.indicators:
            at = f"indicators[{ind.id}]"
            points = Evaluator(compiled, ops).indicator(ind).points
            ops.mul(points, shown)  # decimal_column: units * 10**places
        if scheme.selection.threshold is not None:
            at = "selection.threshold"  # batch/select.py compares the total with it in units
            ops.lit(math.ceil(Fraction(scheme.selection.threshold) * compiled.unit))
        at = "groups, gates, selection keys or the total"
        evaluation = Evaluator(compiled, ops).run()
        for value in (evaluation.total, *(g.points for g in evaluation.groups.values())):
            assert value is not None
            ops.mul(value, shown)
    except _Overflow as exc:
        raise SchemeError(
            f"{at}: values can reach {abs(exc.value):.3g} units of 1/{compiled.unit} point "
            "for applicants the batch reader accepts, beyond the 64-bit integers 'rank' "
            "computes with: lower the rule's numbers, or give the fields it reads a 'min' "
            "and 'max'",
            where=origin,
        ) from None
