"""The linter: tier gaps, caps that never bite or always do, lines that can never score, cliffs,
group caps below a member, conditions that can never hold.

Every number is worked out exactly from the scheme (:mod:`.spans`, :mod:`.maxima`); where a
maximum is unbounded the message says so. Overlapping bands and tiers never get here: the loader
refuses them (exit 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from hukoucalc.policy.conditions import Satisfiability
from hukoucalc.policy.finding import Finding
from hukoucalc.policy.maxima import Maxima, text
from hukoucalc.policy.spans import Quantities, Span, months_block
from hukoucalc.scheme.model import (
    Band,
    Bands,
    Condition,
    EventsMeasure,
    Flag,
    Group,
    Indicator,
    Marginal,
    MonthsMeasure,
    Part,
    PerUnit,
    Scheme,
    Table,
    Tier,
    ValueRef,
)

DEFAULT_CLIFF = Decimal(2)
"""Points one more month may add to a line before ``check`` calls it a cliff: more than the
steepest per-month rate of a real scheme (Shenzhen's 1.5 a month for pension insurance), so a
bigger jump is a step in the rule, not a rate."""


def lint(scheme: Scheme, *, cliff: Decimal = DEFAULT_CLIFF) -> list[Finding]:
    return list(_Linter(scheme, Fraction(cliff)).run())


class _Linter:
    def __init__(self, scheme: Scheme, cliff: Fraction) -> None:
        self.s = scheme
        self.cliff = cliff
        self.q = Quantities(scheme)
        self.sat = Satisfiability(scheme, self.q)
        self.m = Maxima(scheme, self.q, self.sat)

    def run(self) -> Iterator[Finding]:
        yield from self._windows()
        for name, measure in self.s.measures.items():
            if measure.cap is not None and not isinstance(measure.cap, str):
                yield from self._cap(
                    f"measures.{name}.cap", measure.cap, self.q.natural(name), "the measure"
                )
        for ind in self.s.indicators:
            yield from self._indicator(ind)
        for group in self.s.groups:
            yield from self._group(group)
        for gate in self.s.gates:
            if not self.sat.possible(gate.require):
                yield Finding(
                    "error",
                    "gate-never-passes",
                    f"gates[{gate.id}].require",
                    "this condition can never be true, so no applicant is ever eligible",
                )

    def _windows(self) -> Iterator[Finding]:
        """Months and events windows that reach past ``as_of``: the engine ends them there."""
        dates = self.s.dates
        as_of = dates.get("as_of")
        if as_of is None:
            return
        for name, m in self.s.measures.items():
            if not isinstance(m, MonthsMeasure | EventsMeasure):
                continue
            end = m.end if isinstance(m.end, dt.date) else dates.get(m.end)
            if end is None or end <= as_of:
                continue
            start = m.start if isinstance(m.start, dt.date | None) else dates.get(m.start)
            empty = start is not None and start > as_of
            yield Finding(
                "info",
                "window-after-as-of",
                f"measures.{name}.end",
                f"the window ends {end}, after as_of ({as_of}): nothing after the accrual "
                "cut-off counts, so it ends at as_of"
                + (f"; it starts {start}, so it is empty this round" if empty else ""),
            )

    # -- indicators -----------------------------------------------------------------------------

    def _indicator(self, ind: Indicator) -> Iterator[Finding]:
        at = f"indicators[{ind.id}]"
        if ind.when is not None:
            yield from self._when(f"{at}.when", ind.when)
        for part in ind.all_parts():
            where = f"{at}.parts[{part.id}]" if ind.parts else at
            yield from self._part(where, part)
        raw = self.m.raw(ind)
        if ind.cap is not None and not isinstance(ind.cap, str):
            yield from self._negative_cap(f"{at}.cap", ind.cap, "line")
            yield from self._cap(f"{at}.cap", ind.cap, raw, "the line")
        final = self.m.indicator(ind)
        if _zero(final):
            yield Finding(
                "warning", "never-scores", at, f"this line can never score: {self._why_zero(ind)}"
            )

    def _why_zero(self, ind: Indicator) -> str:
        if ind.when is not None and not self.sat.possible(ind.when):
            return "its 'when' can never be true"
        raw = self.m.raw(ind)
        if not _zero(raw):
            return "its cap or floor holds it at 0"
        reasons = []
        for part in ind.all_parts():
            flag_when = part.rule.when if isinstance(part.rule, Flag) else None
            if part.when is not None and not self.sat.possible(part.when):
                reasons.append(f"part '{part.id}' has a 'when' that can never be true")
            elif flag_when is not None and not self.sat.possible(flag_when):
                reasons.append("its flag's 'when' can never be true")
            elif part.measure is not None and _zero(self.q.of(part.measure)):
                reasons.append(f"its measure '{part.measure}' is always 0")
            else:
                reasons.append("its rule gives 0 points for every value")
        return "; ".join(dict.fromkeys(reasons))

    def _part(self, at: str, part: Part) -> Iterator[Finding]:
        rule = part.rule
        if part.when is not None:
            yield from self._when(f"{at}.when", part.when)
        if isinstance(rule, Flag) and rule.when is not None:
            yield from self._when(f"{at}.rule.when", rule.when)
        if isinstance(rule, Bands):
            yield from self._band_gaps(f"{at}.rule", rule, part.measure)
        elif isinstance(rule, Marginal):
            yield from self._tier_gaps(f"{at}.rule", rule, part.measure)
        elif isinstance(rule, Table):
            spec = self.s.fields[rule.field]
            missing = [code for code in spec.values or {} if code not in rule.points]
            if missing:
                yield Finding(
                    "info",
                    "table-missing-value",
                    f"{at}.rule.points",
                    f"'{rule.field}' {'value' if len(missing) == 1 else 'values'} "
                    f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no row in the "
                    f"table: {'it scores' if len(missing) == 1 else 'they score'} the default "
                    f"{text(Fraction(rule.default))}",
                )
        if isinstance(rule, PerUnit | Bands | Marginal) and part.measure is not None:
            yield from self._cliff(f"{at}.rule", rule, part.measure)

    def _band_gaps(self, at: str, rule: Bands, measure: str | None) -> Iterator[Finding]:
        for n, end, start in self._gaps(rule.bands, measure):
            yield Finding(
                "warning",
                "band-gap",
                f"{at}.bands[{n}]",
                f"no band holds {end} up to below {start}: those values score the "
                f"default {text(Fraction(rule.default))}",
            )

    def _tier_gaps(self, at: str, rule: Marginal, measure: str | None) -> Iterator[Finding]:
        for n, end, start in self._gaps(rule.tiers, measure):
            yield Finding(
                "warning",
                "tier-gap",
                f"{at}.tiers[{n}]",
                f"no tier covers the amount from {end} to {start}: it earns no points",
            )

    def _gaps(
        self, steps: Sequence[Band | Tier], measure: str | None
    ) -> Iterator[tuple[int, Decimal, Decimal]]:
        """``(n, end, start)`` for each step ``n`` that starts after the one before it ends,
        where the measure can take a value in between."""
        span = self.q.of(measure) if measure else Span(None, None)
        for n in range(1, len(steps)):
            end, start = steps[n - 1].below, steps[n].from_
            if end is None or start is None or end == start:
                continue
            if span.has_grid_point(Fraction(end), Fraction(start)):
                yield n, end, start

    def _cliff(self, at: str, rule: PerUnit | Bands | Marginal, measure: str) -> Iterator[Finding]:
        block = months_block(self.s, measure)
        if block is None:
            return
        found = self.m.jump(rule, measure)
        if found is None or abs(found[0]) <= self.cliff:
            return
        change, x = found
        if block == 1:
            step = f"of '{measure}' (from {x} to {x + 1} months)"
        else:
            step = f"completing a {block}-month block of '{measure}' (from {x} to {x + 1} blocks)"
        verb = "raises" if change > 0 else "lowers"
        yield Finding(
            "warning",
            "cliff",
            at,
            f"one more month {step} {verb} this line by {text(abs(change))} points, more than "
            f"the cliff of {text(self.cliff)}",
        )

    def _when(self, at: str, condition: Condition) -> Iterator[Finding]:
        if not self.sat.possible(condition):
            yield Finding(
                "warning",
                "when-never-true",
                at,
                "this condition can never be true, so what it guards never counts",
            )

    # -- caps and groups ------------------------------------------------------------------------

    def _cap(self, at: str, ref: ValueRef, raw: Span, what: str) -> Iterator[Finding]:
        bound = self.q.value(ref)
        assert bound.lo is not None and bound.hi is not None  # a number or a by-field table
        if raw.lo is not None and bound.hi <= raw.lo:
            yield Finding(
                "warning",
                "cap-always-binds",
                at,
                f"the cap ({text(bound.hi)}) is at or below the least {what} can be "
                f"({text(raw.lo)}): {what} is always the cap",
            )
        elif raw.hi is not None and raw.hi < bound.lo:
            yield Finding(
                "warning",
                "cap-unreachable",
                at,
                f"the cap ({text(bound.lo)}) can never be reached: {what} is at most "
                f"{text(raw.hi)}",
            )
        elif raw.hi is not None and raw.hi == bound.lo:
            yield Finding(
                "info",
                "cap-never-bites",
                at,
                f"the cap ({text(bound.lo)}) equals the most {what} can be: it never changes it",
            )

    def _negative_cap(self, at: str, ref: ValueRef, what: str) -> Iterator[Finding]:
        """A cap bounds points from above: one below 0 makes every applicant lose points."""
        bound = self.q.value(ref)
        if bound.lo is not None and bound.lo < 0:
            yield Finding(
                "error",
                "negative-cap",
                at,
                f"the cap ({text(bound.lo)}) is below 0: the {what} then scores at most "
                f"{text(bound.lo)}, so a bonus becomes a penalty; a deduction is limited by a "
                "'floor', not a cap",
            )

    def _group(self, group: Group) -> Iterator[Finding]:
        at = f"groups[{group.id}]"
        if group.cap is None or isinstance(group.cap, str):
            return
        yield from self._negative_cap(f"{at}.cap", group.cap, "group")
        yield from self._cap(f"{at}.cap", group.cap, self.m.group_raw(group), "the group")
        bound = self.q.value(group.cap)
        assert bound.hi is not None
        for member in self.m.members(group):
            most = self.m.indicator(member).hi
            if most is not None and most <= bound.hi:
                continue
            yield Finding(
                "warning" if most is not None else "info",
                "group-cap-below-member",
                f"{at}.cap",
                f"the group cap ({text(bound.hi)}) is below what '{member.id}' alone can score "
                f"({text(most)}): it can never count in full",
            )


def _zero(span: Span) -> bool:
    return span.lo == 0 and span.hi == 0
