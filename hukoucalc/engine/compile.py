"""Static analysis of a scheme before any applicant is scored.

It gives every quantity its scale (months count in 1s, a 2-place decimal field in 1/100s) and
finds the scheme-wide unit D: the least common multiple of the denominators of every rate, cap,
floor and rounding step, so that every intermediate value is an exact integer number of 1/D
points. It also proves that every indicator's points are finite decimals (a rate of 1/12 per
month needs a rounding rule), so that what is shown is exactly what is ranked. Dates are not
resolved here: :meth:`Compiled.date` looks a named date up when the evaluator asks, and
:meth:`Compiled.window_end` keeps a window from reaching past ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import lcm

from hukoucalc.engine.units import MAX_DENOMINATOR, places_of, terminates
from hukoucalc.errors import SchemeError
from hukoucalc.kinds import kind
from hukoucalc.scheme.model import (
    Bands,
    ByField,
    CombineMeasure,
    Flag,
    Indicator,
    Marginal,
    Measure,
    PerUnit,
    Rule,
    Scheme,
    Table,
    ValueMeasure,
    ValueRef,
)


@dataclass
class Compiled:
    """A scheme ready to evaluate: unit, scales, resolved dates, display places."""

    scheme: Scheme
    unit: int = 1
    scales: dict[str, int] = field(default_factory=dict)
    places: int = 0

    def date(self, ref: dt.date | str) -> dt.date:
        return ref if isinstance(ref, dt.date) else self.scheme.dates[ref]

    def window_end(self, ref: dt.date | str) -> dt.date:
        """The ``end`` of a months or events window: never after ``as_of`` (nothing after the
        accrual cut-off counts; ``scheme check`` notes an ``end`` beyond it)."""
        return min(self.date(ref), self.scheme.dates["as_of"])

    def scale(self, quantity: str) -> int:
        return self.scales[quantity]


def compile_scheme(scheme: Scheme, *, origin: str = "") -> Compiled:
    """Analyse a (cross-checked) scheme; SchemeError if its numbers cannot be exact."""
    out = Compiled(scheme)
    for name, spec in scheme.fields.items():
        scale = kind(spec).scale
        if scale is not None:
            out.scales[name] = scale(spec)
    for name in scheme.measures:
        _scale(out, name, scheme.measures)
    dens: list[int] = []
    final_places = 0
    for ind in scheme.indicators:
        den = _indicator_den(out, ind, dens, origin)
        final_places = max(final_places, places_of(den))
    for group in scheme.groups:
        dens.append(_value_den(out, group.cap))
    if scheme.total.floor is not None:
        dens.append(Fraction(scheme.total.floor).denominator)
    if scheme.total.round is not None:
        dens.append(10**scheme.total.round.places)
        final_places = max(final_places, scheme.total.round.places)
    out.unit = lcm(1, *dens)
    if out.unit > MAX_DENOMINATOR:
        raise SchemeError(
            f"the rates need a unit of 1/{out.unit} point; simplify them or add rounding",
            where=origin,
        )
    out.places = final_places
    return out


def _scale(out: Compiled, name: str, measures: dict[str, Measure]) -> int:
    if name in out.scales:
        return out.scales[name]
    m = measures[name]
    if isinstance(m, ValueMeasure):
        scale = out.scales[m.field]
    elif isinstance(m, CombineMeasure):
        scale = lcm(*(_scale(out, dep, measures) for dep in m.of))
    else:
        scale = 1
    if isinstance(m.cap, str):  # a cap keeps the finer of the two scales (see Evaluator.value)
        scale = lcm(scale, _scale(out, m.cap, measures) if m.cap in measures else out.scales[m.cap])
    elif m.cap is not None:
        scale = lcm(scale, _value_den(out, m.cap))
    out.scales[name] = scale
    return scale


def _indicator_den(out: Compiled, ind: Indicator, dens: list[int], origin: str) -> int:
    total_den = 1
    for part in ind.all_parts():
        scale = out.scales.get(part.measure, 1) if part.measure else 1
        raw = _rule_den(part.rule, scale, ind, origin)
        dens.append(raw)
        if part.round is not None:
            raw = 10**part.round.places
            dens.append(raw)
        total_den = lcm(total_den, raw)
    for bound in (ind.cap, ind.floor):
        den = _value_den(out, bound)
        dens.append(den)
        total_den = lcm(total_den, den)
    if ind.round is not None:
        total_den = 10**ind.round.places
        dens.append(total_den)
    if not terminates(total_den):
        raise SchemeError(
            f"indicators[{ind.id}]: points can be fractions like 1/{total_den} of a point, "
            "which have no exact decimal form; add a 'round' (or 'part_round') saying how "
            "they are rounded",
            where=origin,
        )
    return total_den


def _rule_den(rule: Rule, scale: int, ind: Indicator, origin: str) -> int:
    if isinstance(rule, Marginal):
        for tier in rule.tiers:
            for bound in (tier.from_, tier.below):
                if bound is not None and (Fraction(bound) * scale).denominator != 1:
                    raise SchemeError(
                        f"indicators[{ind.id}]: tier bound {bound} is finer than the measure",
                        where=origin,
                    )
    return rule_unit(rule, scale)


def rule_unit(rule: Rule, scale: int) -> int:
    """The least D such that ``rule`` gives a whole number of 1/D points for every value of a
    measure counted in 1/``scale`` (tier bounds must be whole in that scale)."""
    if isinstance(rule, PerUnit):
        if rule.whole:
            return Fraction(rule.points).denominator
        return (Fraction(rule.points) / (Fraction(rule.per) * scale)).denominator
    if isinstance(rule, Bands):
        return lcm(
            *(Fraction(v).denominator for v in [rule.default, *(b.points for b in rule.bands)])
        )
    if isinstance(rule, Marginal):
        dens = [Fraction(rule.base).denominator]
        for tier in rule.tiers:
            dens.append((Fraction(tier.points) / (Fraction(tier.per) * scale)).denominator)
        return lcm(*dens)
    if isinstance(rule, Table):
        values = [rule.default, *rule.points.values()]
        return lcm(*(Fraction(v).denominator for v in values))
    assert isinstance(rule, Flag)
    return Fraction(rule.points).denominator


def _value_den(out: Compiled, ref: ValueRef | None) -> int:
    if ref is None:
        return 1
    if isinstance(ref, Decimal):
        return Fraction(ref).denominator
    if isinstance(ref, ByField):
        return lcm(*(Fraction(v).denominator for v in [ref.default, *ref.values.values()]))
    return out.scales.get(ref, 1)
