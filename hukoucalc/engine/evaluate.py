"""The one evaluator: a scheme's indicators, groups, gates and total, built through an Ops backend.

Values are integers: points in units of 1/D (``Compiled.unit``), quantities in their own scale
(``Compiled.scale``). The same walk gives one applicant's scorecard (:mod:`.scalar`) and a whole
batch's columns, so ``score`` and ``rank`` cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor, lcm
from typing import Generic

from hukoucalc.engine.compile import Compiled
from hukoucalc.engine.ops import B, Compare, MonthsSpec, Ops, V
from hukoucalc.periods import month_of_date
from hukoucalc.scheme.model import (
    AgeMeasure,
    Bands,
    ByField,
    CombineMeasure,
    Condition,
    EventsMeasure,
    Flag,
    Indicator,
    Marginal,
    MonthsMeasure,
    PerUnit,
    Rounding,
    Rule,
    Table,
    ValueMeasure,
    ValueRef,
)

Quantity = tuple[V, int]  # (integer value, scale): the real value is value / scale


@dataclass
class PartResult(Generic[V]):
    counted: tuple[V, int] | None
    raw: V
    points: V


@dataclass
class IndicatorResult(Generic[V, B]):
    parts: dict[str, PartResult[V]]
    applies: B
    raw: V
    points: V
    capped: B


@dataclass
class GroupResult(Generic[V, B]):
    raw: V
    points: V
    capped: B


@dataclass
class Evaluation(Generic[V, B]):
    """Every value of a scheme for one applicant (scalar backend) or a batch (columns)."""

    indicators: dict[str, IndicatorResult[V, B]] = field(default_factory=dict)
    groups: dict[str, GroupResult[V, B]] = field(default_factory=dict)
    gates: dict[str, B] = field(default_factory=dict)
    eligible: B | None = None
    subtotal: V | None = None
    total: V | None = None
    floored: B | None = None
    keys: dict[str, tuple[V, int]] = field(default_factory=dict)


class Evaluator(Generic[V, B]):
    def __init__(self, compiled: Compiled, ops: Ops[V, B]) -> None:
        self.c = compiled
        self.s = compiled.scheme
        self.o = ops
        self.unit = compiled.unit
        self._memo: dict[str, tuple[V, int]] = {}
        # An age is read lazily: each use of an age measure notes its date field with the
        # condition under which that use decides something (the line applies, the other items
        # of an all/any do not decide without it). A backend gives a missing date the age 0;
        # the caller refuses a record only where a noted condition holds (see ``needs``).
        self.needs: list[tuple[str, B]] = []
        self._guard: B = ops.truth(True)
        self._ages: dict[str, frozenset[str]] = {}

    # -- the whole scheme ---------------------------------------------------------------------

    def run(self) -> Evaluation[V, B]:
        o, out = self.o, Evaluation[V, B]()
        for ind in self.s.indicators:
            o.enter("indicator", ind.id)
            out.indicators[ind.id] = self.indicator(ind)
            o.leave()
        lines: list[V] = [out.indicators[i.id].points for i in self.s.indicators if i.group is None]
        for group in self.s.groups:
            members = [
                out.indicators[i.id].points for i in self.s.indicators if i.group == group.id
            ]
            raw = members[0]
            for value in members[1:]:
                raw = o.add(raw, value) if group.combine == "sum" else o.maximum(raw, value)
            raw = o.share(raw)
            o.enter("group", group.id)
            points, capped = self.clamp(raw, group.cap, None)
            o.leave()
            points = o.share(points)
            out.groups[group.id] = GroupResult(raw, points, capped)
            lines.append(points)
        subtotal = o.lit(0)
        for line in lines:
            subtotal = o.add(subtotal, line)
        subtotal = o.share(subtotal)
        total, floored = subtotal, o.truth(False)
        if self.s.total.floor is not None:
            total, floored = self.clamp(subtotal, None, self.s.total.floor)
        if self.s.total.round is not None:
            total = self.round(total, self.s.total.round)
        eligible = o.truth(True)
        for gate in self.s.gates:
            o.enter("gate", gate.id)
            passed = self.condition(gate.require)
            o.leave()
            out.gates[gate.id] = passed
            eligible = o.and_(eligible, passed)
        out.eligible, out.subtotal, out.total, out.floored = eligible, subtotal, total, floored
        for key in self.s.selection.keys:
            o.enter("key", key.measure)
            out.keys[key.measure] = self.quantity(key.measure)
            o.leave()
        return out

    def indicator(self, ind: Indicator) -> IndicatorResult[V, B]:
        o = self.o
        parts: dict[str, PartResult[V]] = {}
        raw = o.lit(0)
        outer, needs = self._guard, self.needs
        self._guard, self.needs = o.truth(True), []  # the parts' ages, relative to the line
        for part in ind.all_parts():
            o.enter("part", ind.id, part.id)
            before = len(self.needs)
            counted = self.quantity(part.measure) if part.measure else None
            points = self.rule(part.rule, counted)
            if part.when is not None:
                after = len(self.needs)
                test = self.condition(part.when)
                self.needs[before:after] = [  # the part's ages count only where it applies
                    (born, o.and_(test, guard)) for born, guard in self.needs[before:after]
                ]
                points = o.where(test, points, o.lit(0))
            rounded = o.share(self.round(points, part.round) if part.round else points)
            parts[part.id] = PartResult(counted, points, rounded)
            o.leave()
            raw = o.add(raw, rounded)
        inside, self._guard, self.needs = self.needs, outer, needs
        applies = self.condition(ind.when) if ind.when is not None else o.truth(True)
        if ind.when is not None:
            self._guard = o.and_(outer, applies)
        for born, guard in inside:
            self.needs.append((born, o.and_(self._guard, guard)))
        raw = o.share(raw)
        points, capped = self.clamp(raw, ind.cap, ind.floor)
        self._guard = outer
        if ind.round is not None:
            points = self.round(points, ind.round)
        if ind.when is not None:  # a line that does not apply scores 0: no cap, no floor
            raw = o.where(applies, raw, o.lit(0))
            points = o.where(applies, points, o.lit(0))
            capped = o.and_(applies, capped)
        return IndicatorResult(parts, applies, raw, o.share(points), capped)

    # -- rules --------------------------------------------------------------------------------

    def rule(self, rule: Rule, counted: tuple[V, int] | None) -> V:
        o = self.o
        if isinstance(rule, Table):
            mapping = {k: self.points(v) for k, v in rule.points.items()}
            return o.enum_map(rule.field, mapping, self.points(rule.default))
        if isinstance(rule, Flag):
            test = o.flag(rule.field) if rule.field else self.condition(rule.when)  # type: ignore[arg-type]
            return o.where(test, o.lit(self.points(rule.points)), o.lit(0))
        assert counted is not None
        q, scale = counted
        if isinstance(rule, PerUnit):
            if rule.whole:
                step = Fraction(rule.per) * scale  # units of the measure in one block
                blocks = o.floordiv(o.mul(q, step.denominator), step.numerator)
                points = o.mul(blocks, self.points(rule.points))
            else:
                points = o.mul(q, self.coefficient(rule.points, rule.per, scale))
            if rule.minimum is not None:
                reached = self.compare_const(q, scale, ">=", rule.minimum)
                points = o.where(reached, points, o.lit(0))
            return points
        if isinstance(rule, Bands):
            result = o.lit(self.points(rule.default))
            for band in reversed(rule.bands):
                inside = o.truth(True)
                if band.from_ is not None:
                    inside = o.and_(inside, self.compare_const(q, scale, ">=", band.from_))
                if band.below is not None:
                    inside = o.and_(inside, self.compare_const(q, scale, "<", band.below))
                result = o.where(inside, o.lit(self.points(band.points)), result)
            return result
        assert isinstance(rule, Marginal)
        result = o.lit(self.points(rule.base))
        for tier in rule.tiers:
            low = int(Fraction(tier.from_) * scale)
            part = o.maximum(q, o.lit(low))
            if tier.below is not None:
                part = o.minimum(part, o.lit(int(Fraction(tier.below) * scale)))
            within = o.sub(part, o.lit(low))
            result = o.add(result, o.mul(within, self.coefficient(tier.points, tier.per, scale)))
        return result

    def coefficient(self, points: Decimal, per: Decimal, scale: int) -> int:
        """Units of 1/D point per unit of a measure of this scale (exact by construction of D)."""
        value = Fraction(points) / Fraction(per) / scale * self.unit
        assert value.denominator == 1, "compile_scheme chose a unit too coarse"
        return value.numerator

    def points(self, value: Decimal | int) -> int:
        scaled = Fraction(value) * self.unit
        assert scaled.denominator == 1, "compile_scheme chose a unit too coarse"
        return scaled.numerator

    # -- caps, floors, rounding -----------------------------------------------------------------

    def clamp(self, raw: V, cap: ValueRef | None, floor_: ValueRef | None) -> tuple[V, B]:
        o = self.o
        points, capped = raw, o.truth(False)
        if cap is not None:
            bound = self.bound(cap)
            capped = o.compare(raw, ">", bound)
            points = o.minimum(points, bound)
        if floor_ is not None:
            bound = self.bound(floor_)
            capped = o.or_(capped, o.compare(raw, "<", bound))
            points = o.maximum(points, bound)
        return points, capped

    def bound(self, ref: ValueRef) -> V:
        """A cap or floor in points units."""
        value, scale = self.value(ref, self.unit)
        return self.o.mul(value, self.unit // scale) if scale != self.unit else value

    def round(self, value: V, rounding: Rounding) -> V:
        """Round a points value to ``places``; D is a multiple of 10**places by construction."""
        step = self.unit // 10**rounding.places
        return value if step == 1 else round_units(self.o, value, step, rounding.mode)

    # -- quantities -----------------------------------------------------------------------------

    def quantity(self, name: str) -> tuple[V, int]:
        """A measure's or number field's value and scale, evaluated once (a recording backend
        is told each use, so that every line using it is said to read its fields; each use of
        an age notes its date field under the current condition, see ``needs``)."""
        self.o.enter("quantity", name)
        result = self._quantity(name)
        self.o.leave()
        for born in self.ages(name):
            self.needs.append((born, self._guard))
        return result

    def ages(self, name: str) -> frozenset[str]:
        """The date fields whose age a measure depends on (through sums and caps too)."""
        if name not in self._ages:
            self._ages[name] = frozenset()  # a measure never depends on itself (checks)
            m = self.s.measures.get(name)
            found: set[str] = set()
            if isinstance(m, AgeMeasure):
                found.add(m.birth)
            elif isinstance(m, CombineMeasure):
                found.update(*(self.ages(n) for n in m.of))
            if m is not None and isinstance(m.cap, str):
                found.update(self.ages(m.cap))
            self._ages[name] = frozenset(found)
        return self._ages[name]

    def _collect(self, c: Condition) -> tuple[B, list[tuple[str, B]]]:
        """A condition's value, and the ages it used under conditions relative to it."""
        needs, guard = self.needs, self._guard
        self.needs, self._guard = [], self.o.truth(True)
        try:
            value = self.condition(c)
            return value, self.needs
        finally:
            self.needs, self._guard = needs, guard

    def _items(self, items: list[Condition], every: bool) -> B:
        """``all`` (``every``) or ``any`` of ``items``; an item's ages are needed only where
        the other items leave the result to it (all: they hold; any: none holds)."""
        o = self.o
        done = [self._collect(item) for item in items]
        result = o.truth(every)
        for value, _ in done:
            result = o.and_(result, value) if every else o.or_(result, value)
        for i, (_, needs) in enumerate(done):
            if not needs:
                continue
            others = o.truth(True)
            for j, (value, _) in enumerate(done):
                if j != i:
                    others = o.and_(others, value if every else o.not_(value))
            for born, guard in needs:
                self.needs.append((born, o.and_(self._guard, o.and_(others, guard))))
        return result

    def _quantity(self, name: str) -> tuple[V, int]:
        if name in self._memo:
            return self._memo[name]
        measure = self.s.measures.get(name)
        if measure is None:  # a number field used directly
            result = (self.o.number(name, self.c.scale(name)), self.c.scale(name))
        else:
            result = self.measure(measure)
            if measure.cap is not None:
                bound, scale = self.value(measure.cap, result[1])
                value, common = self.align(result, (bound, scale))
                result = (self.o.minimum(value[0], value[1]), common)
        result = (self.o.share(result[0]), result[1])
        self._memo[name] = result
        return result

    def measure(self, m: object) -> tuple[V, int]:
        o, c = self.o, self.c
        if isinstance(m, MonthsMeasure):
            last = month_of_date(c.window_end(m.end))
            first = None
            if m.start is not None:
                first = month_of_date(c.date(m.start))
            elif m.last_months is not None:
                first = last - m.last_months + 1
            spec = MonthsSpec(
                tuple(m.of),
                tuple(m.overlap),
                tuple(m.minus),
                first,
                last,
                m.continuous,
                m.gap,
                tuple(m.bridge or ()),
                m.bridge_max or 0,
            )
            return o.months(spec), 1
        if isinstance(m, AgeMeasure):
            return o.age(m.birth, c.date(m.on)), 1
        if isinstance(m, ValueMeasure):
            return o.number(m.field, c.scale(m.field)), c.scale(m.field)
        if isinstance(m, EventsMeasure):
            end = c.window_end(m.end)
            start: dt.date | None = c.date(m.start) if m.start is not None else None
            if m.last_years is not None:
                start = dt.date(end.year - m.last_years + 1, 1, 1)
            if m.per_year is None:
                return o.events(m.field, start, end), 1
            assert start is not None, "checks: 'per_year' needs a bounded window"
            counted = o.lit(0)
            for year in range(start.year, end.year + 1):
                jan1, dec31 = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
                in_year = o.events(m.field, jan1, dec31)
                counted = o.add(counted, o.minimum(in_year, o.lit(m.per_year)))
            return counted, 1
        assert isinstance(m, CombineMeasure)
        values = [self.quantity(name) for name in m.of]
        if m.kind in ("quotient", "remainder"):
            (q, scale), by = values[0], m.by or 1
            whole = o.floordiv(q, by * scale)
            return (
                (whole, 1) if m.kind == "quotient" else (o.sub(q, o.mul(whole, by * scale)), scale)
            )
        acc = values[0]
        for value in values[1:]:
            (a, b), scale = self.align(acc, value)
            combined = {
                "sum": o.add,
                "difference": o.sub,
                "min": o.minimum,
                "max": o.maximum,
            }[m.kind](a, b)
            acc = (combined, scale)
        return acc

    def align(self, a: tuple[V, int], b: tuple[V, int]) -> tuple[tuple[V, V], int]:
        scale = lcm(a[1], b[1])
        return (self.o.mul(a[0], scale // a[1]), self.o.mul(b[0], scale // b[1])), scale

    def value(self, ref: ValueRef, scale: int) -> tuple[V, int]:
        """A number, measure or by-field value; constants in ``scale`` when exact."""
        o = self.o
        if isinstance(ref, str):
            return self.quantity(ref)
        if isinstance(ref, ByField):
            values = [ref.default, *ref.values.values()]
            need = lcm(scale, *(Fraction(v).denominator for v in values))
            mapping = {k: int(Fraction(v) * need) for k, v in ref.values.items()}
            return o.enum_map(ref.field, mapping, int(Fraction(ref.default) * need)), need
        need = lcm(scale, Fraction(ref).denominator)
        return o.lit(int(Fraction(ref) * need)), need

    # -- conditions -----------------------------------------------------------------------------

    def condition(self, c: Condition) -> B:
        o = self.o
        if c.all is not None:
            return self._items(c.all, every=True)
        if c.any is not None:
            return self._items(c.any, every=False)
        if c.not_ is not None:
            return o.not_(self.condition(c.not_))
        result = o.truth(True)
        if c.is_ is not None:
            assert c.field is not None
            test = o.flag(c.field)
            result = o.and_(result, test if c.is_ else o.not_(test))
        if c.in_ is not None:
            assert c.field is not None
            result = o.and_(result, o.enum_in(c.field, frozenset(c.in_)))
        if c.not_in is not None:
            assert c.field is not None
            result = o.and_(result, o.not_(o.enum_in(c.field, frozenset(c.not_in))))
        for op, day in ((">=", c.on_or_after), ("<", c.before)):
            if day is not None:
                assert c.field is not None
                result = o.and_(result, o.date_compare(c.field, op, self.c.date(day)))  # type: ignore[arg-type]
        tests: list[tuple[Compare, ValueRef | None]] = [
            (">=", c.at_least),
            ("<=", c.at_most),
            (">", c.above),
            ("<", c.below),
        ]
        subject = c.measure or c.field
        for op, ref in tests:
            if ref is None:
                continue
            assert subject is not None
            q = self.quantity(subject)
            if isinstance(ref, Decimal):
                result = o.and_(result, self.compare_const(q[0], q[1], op, ref))
            else:
                (a, b), _ = self.align(q, self.value(ref, q[1]))
                result = o.and_(result, o.compare(a, op, b))
        return result

    def compare_const(self, q: V, scale: int, op: Compare, const: Decimal) -> B:
        """``q / scale  op  const``, exactly, with an integer on the right."""
        o, x = self.o, Fraction(const) * scale
        if op in (">=", "<"):
            return o.compare(q, op, o.lit(ceil(x)))
        if op in (">", "<="):
            return o.compare(q, op, o.lit(floor(x)))
        return o.compare(q, "==", o.lit(int(x))) if x.denominator == 1 else o.truth(False)


def round_units(o: Ops[V, B], value: V, step: int, mode: str) -> V:
    """``value`` (integer units) rounded to a multiple of ``step`` by ``mode``: the one rounding
    rule, for the engine's backends and for the policy check's exact bounds."""
    value = o.share(value)
    neg = o.compare(value, "<", o.lit(0))
    magnitude = o.share(o.where(neg, o.sub(o.lit(0), value), value))
    down = o.share(o.floordiv(magnitude, step))  # toward zero, on the magnitude
    rest = o.share(o.sub(magnitude, o.mul(down, step)))
    if mode in ("floor", "ceiling"):
        # floor of a negative number is away from zero
        away = mode == "floor"
        up_if = o.and_(o.compare(rest, ">", o.lit(0)), neg if away else o.not_(neg))
    elif mode == "down":
        up_if = o.truth(False)
    elif mode == "up":
        up_if = o.compare(rest, ">", o.lit(0))
    elif mode == "half_up":
        up_if = o.compare(o.mul(rest, 2), ">=", o.lit(step))
    else:  # half_even
        odd = o.compare(o.sub(down, o.mul(o.floordiv(down, 2), 2)), "==", o.lit(1))
        half = o.compare(o.mul(rest, 2), "==", o.lit(step))
        up_if = o.or_(o.compare(o.mul(rest, 2), ">", o.lit(step)), o.and_(half, odd))
    kept = o.mul(o.add(down, o.where(up_if, o.lit(1), o.lit(0))), step)
    return o.where(neg, o.sub(o.lit(0), kept), kept)
