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
from hukoucalc.errors import ApplicantError
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
        """Completed years; 0 for a missing date, which decides nothing where it is allowed
        (the evaluator's ``needs`` say where it would, see :func:`missing_ages`)."""
        born: dt.date | None = self.r.get(field)
        if born is None:
            return 0
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def events(self, field: str, first: dt.date | None, last: dt.date) -> int:
        days: tuple[dt.date, ...] = self.r.get(field) or ()
        return sum(1 for d in days if (first is None or d >= first) and d <= last)

    def date_compare(self, field: str, op: Compare, day: dt.date) -> bool:
        value = self.r.get(field)
        return value is not None and bool(_COMPARE[op](value, day))


def evaluate_one(compiled: Compiled, record: Mapping[str, Any]) -> Evaluation[int, bool]:
    """One record's evaluation; ApplicantError if an age it needs has no date."""
    evaluator = Evaluator(compiled, ScalarOps(record))
    result = evaluator.run()
    _refuse_missing(compiled, record, evaluator)
    return result


def missing_ages(compiled: Compiled, record: Mapping[str, Any]) -> list[str]:
    """The date fields the record leaves out although an age of them decides something: a
    line that applies reads it, a gate or key reads it, or a condition turns on it."""
    evaluator = Evaluator(compiled, ScalarOps(record))
    evaluator.run()
    return _missing(record, evaluator)


def _missing(record: Mapping[str, Any], evaluator: Evaluator[int, bool]) -> list[str]:
    return sorted({born for born, needed in evaluator.needs if needed and record.get(born) is None})


def _refuse_missing(
    compiled: Compiled, record: Mapping[str, Any], evaluator: Evaluator[int, bool]
) -> None:
    for born in _missing(record, evaluator):
        label = compiled.scheme.fields[born].label
        raise ApplicantError(
            f"field '{born}' ({label}): needed for age: give it, or a valid ID number"
        )


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
