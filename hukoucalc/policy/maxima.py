"""The least and greatest points a rule, a part, an indicator or a group can give, exactly.

Each rule is a function of its measure that is monotone, linear or piecewise (per unit, bands,
marginal tiers), so its extremes over the measure's :class:`~hukoucalc.policy.spans.Span` are at
the span's ends or next to a breakpoint; an unbounded end is followed by the rule's slope there
and reported as unbounded (``None``), never guessed. A line's parts are added as if independent,
so an indicator's range may be wider than what applicants can reach, never narrower.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from hukoucalc.engine.points import fraction_text
from hukoucalc.engine.scalar import round_fraction, rule_points
from hukoucalc.policy.conditions import Satisfiability
from hukoucalc.policy.spans import (
    ZERO,
    Quantities,
    Span,
    add,
    cap,
    floor,
    hull,
    max_hi,
    max_lo,
)
from hukoucalc.scheme.model import (
    Bands,
    Flag,
    Group,
    Indicator,
    Marginal,
    Part,
    PerUnit,
    Rounding,
    Rule,
    Scheme,
    Table,
)

MeasureRule = PerUnit | Bands | Marginal


def rule_at(scheme: Scheme, rule: MeasureRule, x: Fraction) -> Fraction:
    """The points a measure rule gives for the amount ``x``: the engine's own evaluation."""
    return rule_points(scheme, rule, x)


def breakpoints(rule: MeasureRule) -> list[Fraction]:
    if isinstance(rule, PerUnit):
        return [] if rule.minimum is None else [Fraction(rule.minimum)]
    if isinstance(rule, Bands):
        bounds = [b for band in rule.bands for b in (band.from_, band.below)]
    else:
        bounds = [b for tier in rule.tiers for b in (tier.from_, tier.below)]
    return [Fraction(b) for b in bounds if b is not None]


def _slope_up(rule: MeasureRule) -> Fraction:
    """Points per unit as the amount grows without bound."""
    if isinstance(rule, PerUnit):
        return Fraction(rule.points)
    if isinstance(rule, Marginal):
        return sum((Fraction(t.points) for t in rule.tiers if t.below is None), Fraction(0))
    return Fraction(0)


def _slope_down(rule: MeasureRule) -> Fraction:
    """Points per unit (as the amount falls without bound), sign as for growth."""
    if isinstance(rule, PerUnit) and rule.minimum is None:
        return Fraction(rule.points)
    return Fraction(0)  # marginal tiers and bands are constant far below; a minimum gives 0


def measure_rule_span(scheme: Scheme, rule: MeasureRule, over: Span) -> Span:
    if over.empty:
        return ZERO
    xs = [x for x in (over.lo, over.hi) if x is not None]
    for b in breakpoints(rule):
        xs += [over.at_least(b), over.below(b)]
    if over.contains(Fraction(0)):
        xs.append(Fraction(0))
    xs = [x for x in xs if over.contains(x)]
    if not xs:  # a span between two grid points of a breakpoint: any inside value
        xs = [over.lo if over.lo is not None else over.hi or Fraction(0)]
    values = [rule_at(scheme, rule, x) for x in xs]
    lo: Fraction | None = min(values)
    hi: Fraction | None = max(values)
    for slope in ([_slope_up(rule)] if over.hi is None else []) + (
        [-_slope_down(rule)] if over.lo is None else []
    ):
        if slope > 0:
            hi = None
        elif slope < 0:
            lo = None
    return Span(lo, hi)


def round_to(x: Fraction, rounding: Rounding) -> Fraction:
    """``x`` rounded as the engine rounds, by its own rule."""
    return round_fraction(x, rounding.places, rounding.mode)


def rounded(span: Span, rounding: Rounding | None) -> Span:
    if rounding is None:
        return span
    lo = None if span.lo is None else round_to(span.lo, rounding)
    hi = None if span.hi is None else round_to(span.hi, rounding)
    return Span(lo, hi)


def values_span(values: Iterable[Fraction]) -> Span:
    found = list(values)
    return Span(min(found), max(found)) if found else ZERO


def text(x: Fraction | None) -> str:
    """A bound as a reader sees it: an exact decimal, a fraction, or "unbounded"."""
    if x is None:
        return "unbounded"
    return fraction_text(x)


class Maxima:
    """Point ranges of every rule, part, indicator and group of one scheme."""

    def __init__(self, scheme: Scheme, quantities: Quantities, sat: Satisfiability) -> None:
        self.s = scheme
        self.q = quantities
        self.sat = sat

    def rule(self, rule: Rule, measure: str | None) -> Span:
        if isinstance(rule, Table):
            spec = self.s.fields[rule.field]
            codes = list(spec.values or {})
            values = [Fraction(rule.points[c]) for c in codes if c in rule.points]
            absent = not spec.required and spec.default is None
            if absent or any(c not in rule.points for c in codes):
                values.append(Fraction(rule.default))
            return values_span(values)
        if isinstance(rule, Flag):
            if rule.when is not None and not self.sat.possible(rule.when):
                return ZERO
            return values_span([Fraction(0), Fraction(rule.points)])
        assert measure is not None
        return measure_rule_span(self.s, rule, self.q.of(measure))

    def part(self, part: Part) -> Span:
        if part.when is not None:
            if not self.sat.possible(part.when):
                return ZERO
            return hull(rounded(self.rule(part.rule, part.measure), part.round), ZERO)
        return rounded(self.rule(part.rule, part.measure), part.round)

    def raw(self, ind: Indicator) -> Span:
        """The sum of an indicator's parts, before its cap, floor, rounding and ``when``."""
        total = ZERO
        for part in ind.all_parts():
            total = add(total, self.part(part))
        return Span(total.lo, total.hi)

    def indicator(self, ind: Indicator) -> Span:
        span = self.raw(ind)
        if ind.cap is not None:
            span = cap(span, self.q.value(ind.cap))
        if ind.floor is not None:
            span = floor(span, self.q.value(ind.floor))
        span = rounded(Span(span.lo, span.hi), ind.round)
        if ind.when is not None:
            return hull(span, ZERO) if self.sat.possible(ind.when) else ZERO
        return span

    def members(self, group: Group) -> list[Indicator]:
        return [i for i in self.s.indicators if i.group == group.id]

    def group_raw(self, group: Group) -> Span:
        spans = [self.indicator(i) for i in self.members(group)]
        out = spans[0]
        for span in spans[1:]:
            if group.combine == "sum":
                out = add(out, span)
            else:
                out = Span(max_lo(out.lo, span.lo), max_hi(out.hi, span.hi))
        return Span(out.lo, out.hi)

    def group(self, group: Group) -> Span:
        raw = self.group_raw(group)
        return raw if group.cap is None else cap(raw, self.q.value(group.cap))

    # -- cliffs ---------------------------------------------------------------------------------

    def jump(self, rule: MeasureRule, measure: str) -> tuple[Fraction, Fraction] | None:
        """The largest change (in absolute value) one more unit of a stepping-by-1 measure makes,
        and the amount it happens from; None when the measure cannot step by one."""
        over = self.q.of(measure)
        if over.empty or (over.lo is not None and over.hi is not None and over.hi - over.lo < 1):
            return None
        xs = [b for x in breakpoints(rule) for b in (Fraction(math.ceil(x)) - 1, Fraction(x))]
        start = over.lo if over.lo is not None else Fraction(0)
        xs.append(start)
        if isinstance(rule, PerUnit) and rule.whole:
            per = Fraction(rule.per)
            first = math.floor(start / per) + 1
            xs += [Fraction(math.ceil(k * per)) - 1 for k in range(first, first + per.denominator)]
        best: tuple[Fraction, Fraction] | None = None
        for x in xs:
            if not (over.contains(x) and over.contains(x + 1)):
                continue
            change = rule_at(self.s, rule, x + 1) - rule_at(self.s, rule, x)
            if best is None or abs(change) > abs(best[0]):
                best = (change, x)
        return best
