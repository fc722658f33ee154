"""The evaluator's backend for one applicant: plain Python integers and booleans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from math import lcm
from typing import Any

from hukoucalc import periods
from hukoucalc.engine.compile import Compiled, rule_unit
from hukoucalc.engine.evaluate import Evaluation, Evaluator, round_units
from hukoucalc.engine.ops import Compare, MonthsSpec, Ops
from hukoucalc.engine.trace import Recorder, Trace
from hukoucalc.scheme.model import Bands, Marginal, PerUnit, Scheme

_COMPARE = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


class ScalarOps(Ops[int, bool]):
    """Reads one normalised applicant record: field name -> int, Decimal, bool, str, date,
    tuple of periods or tuple of dates (absent or None when not given)."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.r = record

    def lit(self, n: int) -> int:
        return n

    def add(self, a: int, b: int) -> int:
        return a + b

    def sub(self, a: int, b: int) -> int:
        return a - b

    def mul(self, a: int, k: int) -> int:
        return a * k

    def floordiv(self, a: int, k: int) -> int:
        return a // k

    def minimum(self, a: int, b: int) -> int:
        return min(a, b)

    def maximum(self, a: int, b: int) -> int:
        return max(a, b)

    def where(self, c: bool, a: int, b: int) -> int:
        return a if c else b

    def compare(self, a: int, op: Compare, b: int) -> bool:
        return bool(_COMPARE[op](a, b))

    def truth(self, value: bool) -> bool:
        return value

    def and_(self, a: bool, b: bool) -> bool:
        return a and b

    def or_(self, a: bool, b: bool) -> bool:
        return a or b

    def not_(self, a: bool) -> bool:
        return not a

    def number(self, field: str, scale: int) -> int:
        value = self.r.get(field)
        if value is None:
            return 0
        scaled = Fraction(value if not isinstance(value, bool) else int(value)) * scale
        assert scaled.denominator == 1, f"{field} has more places than declared"
        return scaled.numerator

    def flag(self, field: str) -> bool:
        return bool(self.r.get(field))

    def enum_in(self, field: str, values: frozenset[str]) -> bool:
        return self.r.get(field) in values

    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> int:
        value = self.r.get(field)
        return mapping.get(value, default) if isinstance(value, str) else default

    def months(self, spec: MonthsSpec) -> int:
        covered: list[periods.Period] = []
        for name in spec.of:
            covered += self.r.get(name) or ()
        for name in spec.overlap:
            covered = periods.intersect(covered, self.r.get(name) or ())
        for name in spec.minus:
            covered = periods.subtract(covered, self.r.get(name) or ())
        first = spec.first if spec.first is not None else -(10**9)
        covered = periods.clip(covered, first, spec.last)
        if spec.continuous and spec.bridge:
            bridged: list[periods.Period] = []
            for name in spec.bridge:
                bridged += self.r.get(name) or ()
            bridged = periods.clip(bridged, first, spec.last)
            return periods.continuous_bridged(covered, bridged, spec.last, spec.bridge_max)
        if spec.continuous:
            return periods.continuous(covered, spec.last, spec.gap)
        return periods.count(covered)

    def age(self, field: str, on: dt.date) -> int:
        born: dt.date = self.r[field]
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def events(self, field: str, first: dt.date | None, last: dt.date) -> int:
        days: tuple[dt.date, ...] = self.r.get(field) or ()
        return sum(1 for d in days if (first is None or d >= first) and d <= last)

    def date_compare(self, field: str, op: Compare, day: dt.date) -> bool:
        value = self.r.get(field)
        return value is not None and bool(_COMPARE[op](value, day))


def evaluate_one(compiled: Compiled, record: Mapping[str, Any]) -> Evaluation[int, bool]:
    return Evaluator(compiled, ScalarOps(record)).run()


def explain_one(
    compiled: Compiled, record: Mapping[str, Any]
) -> tuple[Evaluation[int, bool], Trace]:
    """:func:`evaluate_one`, with the fields each line read while it was evaluated."""
    ops = Recorder(ScalarOps(record))
    return Evaluator(compiled, ops).run(), ops.trace


def round_fraction(value: Fraction, places: int, mode: str = "half_up") -> Fraction:
    """``value`` rounded to ``places`` decimals by the evaluator's own rule (:func:`round_units`
    on the scalar backend), for exact figures outside a scheme: in units of ``1 / (d * 10**places)``
    (``d``: the value's denominator) ``value`` is a whole number and a step of ``10**-places``
    is ``d`` units."""
    shift = 10**places
    kept = round_units(ScalarOps({}), value.numerator * shift, value.denominator, mode)
    return Fraction(kept, value.denominator * shift)


def rule_points(scheme: Scheme, rule: PerUnit | Bands | Marginal, amount: Fraction) -> Fraction:
    """The points a measure's ``rule`` gives for an exact ``amount`` of it, computed by the
    evaluator's own rule on the scalar backend, in a scale and unit fine enough to be exact:
    for the policy check's exact ranges (:mod:`hukoucalc.policy.maxima`)."""
    tiers = rule.tiers if isinstance(rule, Marginal) else []
    bounds = [b for tier in tiers for b in (tier.from_, tier.below) if b is not None]
    scale = lcm(amount.denominator, *(Fraction(b).denominator for b in bounds))
    unit = rule_unit(rule, scale)
    counted = (amount.numerator * (scale // amount.denominator), scale)
    points = Evaluator(Compiled(scheme, unit=unit), ScalarOps({})).rule(rule, counted)
    return Fraction(points, unit)
