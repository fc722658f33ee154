"""Cross-reference checks that a single Pydantic model cannot make on its own.

Each problem is reported with the key path it concerns (``indicators[housing].rule.field``),
so a scheme author can go straight to the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from hukoucalc.kinds import kind
from hukoucalc.roles import ROLE_KINDS, SEX_CODES, fits
from hukoucalc.scheme.model import (
    AgeMeasure,
    Bands,
    ByField,
    CombineMeasure,
    Condition,
    EventsMeasure,
    FieldSpec,
    Flag,
    Marginal,
    MonthsMeasure,
    PerUnit,
    Rule,
    Scheme,
    Table,
    ValueMeasure,
    ValueRef,
)

Problem = tuple[str, str]
NUMERIC = ("int", "decimal", "bool")  # the numeric kinds, as a message lists them


def problems(scheme: Scheme) -> list[Problem]:
    """Every cross-reference problem of a scheme, as ``(key path, message)`` pairs."""
    return list(_Checker(scheme).run())


def citations(scheme: Scheme) -> list[tuple[str, str]]:
    """Every ``source`` citation of a scheme: (its key, the cited source id)."""
    cited: list[tuple[str, str]] = [("selection.source", scheme.selection.source)]
    if scheme.scheme.urban_population is not None:
        cited.append(("scheme.urban_population.source", scheme.scheme.urban_population.source))
    cited += [(f"cutoffs[{c.year}].source", c.source) for c in scheme.cutoffs]
    cited += [(f"indicators[{i.id}].source", i.source) for i in scheme.indicators]
    cited += [(f"groups[{g.id}].source", g.source) for g in scheme.groups]
    cited += [(f"gates[{g.id}].source", g.source) for g in scheme.gates]
    return [(at, text.partition("#")[0].strip()) for at, text in cited]


def quantity_names(scheme: Scheme) -> set[str]:
    """Names that count as a quantity: measures, and int/decimal/bool fields."""
    numeric = {name for name, spec in scheme.fields.items() if kind(spec).numeric}
    return set(scheme.measures) | numeric


class _Checker:
    def __init__(self, scheme: Scheme) -> None:
        self.s = scheme
        self.quantities = quantity_names(scheme)

    def run(self) -> Iterator[Problem]:
        s = self.s
        if "as_of" not in s.dates:
            yield "dates.as_of", "the accrual cut-off date 'as_of' is required"
        yield from self._sources()
        for name in s.measures:
            if name in s.fields:
                yield (
                    f"measures.{name}",
                    f"'{name}' is already a field: a measure needs its own name",
                )
        for name, measure in s.measures.items():
            yield from self._measure(f"measures.{name}", measure)
        yield from self._cycles()
        yield from self._unique("indicators", [i.id for i in s.indicators])
        yield from self._unique("groups", [g.id for g in s.groups])
        yield from self._unique("gates", [g.id for g in s.gates])
        group_ids = {g.id for g in s.groups}
        for ind in s.indicators:
            at = f"indicators[{ind.id}]"
            if ind.id in group_ids:
                yield at, f"'{ind.id}' is also a group id"
            if ind.group is not None and ind.group not in group_ids:
                yield f"{at}.group", f"no group '{ind.group}' is declared"
            yield from self._unique(f"{at}.parts", [p.id for p in ind.parts or []])
            for part in ind.all_parts():
                where = f"{at}.parts[{part.id}]" if ind.parts else at
                yield from self._rule(where, part.measure, part.rule)
                if part.when is not None:
                    yield from self._condition(f"{where}.when", part.when)
            if ind.when is not None:
                yield from self._condition(f"{at}.when", ind.when)
            yield from self._value(f"{at}.cap", ind.cap)
            yield from self._value(f"{at}.floor", ind.floor)
        for group in s.groups:
            if not any(i.group == group.id for i in s.indicators):
                yield f"groups[{group.id}]", "no indicator belongs to this group"
            yield from self._value(f"groups[{group.id}].cap", group.cap)
        for gate in s.gates:
            yield from self._condition(f"gates[{gate.id}].require", gate.require)
        if s.selection.registration is not None:
            yield from self._field("selection.registration", s.selection.registration, "enum")
        yield from self._roles()
        for n, key in enumerate(s.selection.keys):
            if key.measure not in self.quantities:
                yield f"selection.keys[{n}].measure", f"no measure or number field '{key.measure}'"

    def _roles(self) -> Iterator[Problem]:
        """A declared role fits the field's type, and one field at most declares each."""
        declared: dict[str, list[str]] = {}
        for name, spec in self.s.fields.items():
            if spec.role is None:
                continue
            declared.setdefault(spec.role, []).append(name)
            if not fits(spec.role, spec):
                kind = ROLE_KINDS[spec.role].name
                codes = " and ".join(SEX_CODES)
                want = f"an {kind} with codes {codes}" if spec.role == "sex" else ""
                want = want or f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} field"
                yield f"fields.{name}.role", f"role '{spec.role}' needs {want}"
        for role, names in declared.items():
            if len(names) > 1:
                yield f"fields.{names[1]}.role", f"role '{role}' is already '{names[0]}''s"

    # -- pieces --------------------------------------------------------------------------------

    def _sources(self) -> Iterator[Problem]:
        for at, ref in citations(self.s):
            if ref not in self.s.sources:
                yield at, f"source '{ref}' is not in [sources] (cite as 'source_id#locator')"

    def _unique(self, at: str, ids: list[str]) -> Iterator[Problem]:
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                yield f"{at}[{ident}]", f"the id '{ident}' is used twice"
            seen.add(ident)

    def _field(self, at: str, name: str, *types: str) -> Iterator[Problem]:
        spec = self.s.fields.get(name)
        if spec is None:
            yield at, f"no field '{name}' is declared in [fields]"
        elif spec.type not in types:
            yield at, f"field '{name}' is {spec.type}; {' or '.join(types)} expected"

    def _date(self, at: str, ref: object) -> Iterator[Problem]:
        if isinstance(ref, str) and ref not in self.s.dates:
            yield at, f"no date '{ref}' in [dates]"

    def _quantity(self, at: str, name: str | None) -> Iterator[Problem]:
        if name is not None and name not in self.quantities:
            yield at, f"no measure or int/decimal/bool field '{name}'"

    def _measure(self, at: str, m: object) -> Iterator[Problem]:
        if isinstance(m, MonthsMeasure):
            lists = (("of", m.of), ("overlap", m.overlap), ("minus", m.minus))
            for key, names in (*lists, ("bridge", m.bridge or [])):
                for name in names:
                    yield from self._field(f"{at}.{key}", name, "periods")
            if m.start is not None and m.last_months is not None:
                yield at, "give 'start' or 'last_months', not both"
            yield from self._date(f"{at}.start", m.start)
            yield from self._date(f"{at}.end", m.end)
        elif isinstance(m, AgeMeasure):
            yield from self._field(f"{at}.birth", m.birth, "date")
            yield from self._date(f"{at}.on", m.on)
        elif isinstance(m, ValueMeasure):
            yield from self._field(f"{at}.field", m.field, *NUMERIC)
        elif isinstance(m, EventsMeasure):
            yield from self._field(f"{at}.field", m.field, "events")
            if m.start is not None and m.last_years is not None:
                yield at, "give 'start' or 'last_years', not both"
            if m.per_year is not None and m.start is None and m.last_years is None:
                yield at, "'per_year' needs a bounded window: give 'start' or 'last_years'"
            yield from self._date(f"{at}.start", m.start)
            yield from self._date(f"{at}.end", m.end)
        elif isinstance(m, CombineMeasure):
            for name in m.of:
                yield from self._quantity(f"{at}.of", name)
        cap = getattr(m, "cap", None)
        yield from self._value(f"{at}.cap", cap)

    def _cycles(self) -> Iterator[Problem]:
        def deps(name: str) -> list[str]:
            m = self.s.measures[name]
            out = list(m.of) if isinstance(m, CombineMeasure) else []
            if isinstance(m.cap, str):
                out.append(m.cap)
            return [d for d in out if d in self.s.measures]

        state: dict[str, int] = {}

        def visit(name: str) -> bool:
            if state.get(name) == 1:
                return True
            if state.get(name) == 2:
                return False
            state[name] = 1
            cyclic = any(visit(d) for d in deps(name))
            state[name] = 2
            return cyclic

        for name in self.s.measures:
            if name not in state and visit(name):
                yield f"measures.{name}", "measures refer to each other in a cycle"

    def _rule(self, at: str, measure: str | None, rule: Rule) -> Iterator[Problem]:
        needs_measure = isinstance(rule, PerUnit | Bands | Marginal)
        if needs_measure and measure is None:
            yield f"{at}.measure", f"a '{rule.kind}' rule needs a 'measure' to count"
        if not needs_measure and measure is not None:
            yield f"{at}.measure", f"a '{rule.kind}' rule takes no 'measure'"
        yield from self._quantity(f"{at}.measure", measure)
        if isinstance(rule, PerUnit) and rule.per <= 0:
            yield f"{at}.rule.per", "'per' must be positive"
        elif isinstance(rule, Bands):
            yield from _ranges(
                f"{at}.rule.bands", [(b.from_, b.below) for b in rule.bands], contiguous=False
            )
        elif isinstance(rule, Marginal):
            yield from _ranges(
                f"{at}.rule.tiers", [(t.from_, t.below) for t in rule.tiers], contiguous=False
            )
            for n, tier in enumerate(rule.tiers):
                if tier.per <= 0:
                    yield f"{at}.rule.tiers[{n}].per", "'per' must be positive"
        elif isinstance(rule, Table):
            yield from self._enum_keys(f"{at}.rule", rule.field, list(rule.points))
        elif isinstance(rule, Flag):
            if rule.field is not None:
                yield from self._field(f"{at}.rule.field", rule.field, "bool")
            if rule.when is not None:
                yield from self._condition(f"{at}.rule.when", rule.when)

    def _enum_keys(self, at: str, field: str, keys: list[str]) -> Iterator[Problem]:
        spec = self.s.fields.get(field)
        found = list(self._field(f"{at}.field", field, "enum"))
        if found or spec is None:
            yield from found
            return
        for key in keys:
            if key not in (spec.values or {}):
                yield at, f"'{key}' is not a value of enum field '{field}'"

    def _value(self, at: str, ref: ValueRef | None) -> Iterator[Problem]:
        if isinstance(ref, str):
            yield from self._quantity(at, ref)
        elif isinstance(ref, ByField):
            yield from self._enum_keys(at, ref.field, list(ref.values))

    def _condition(self, at: str, c: Condition) -> Iterator[Problem]:
        for n, sub in enumerate(c.all or []):
            yield from self._condition(f"{at}.all[{n}]", sub)
        for n, sub in enumerate(c.any or []):
            yield from self._condition(f"{at}.any[{n}]", sub)
        if c.not_ is not None:
            yield from self._condition(f"{at}.not", c.not_)
        if c.measure is not None:
            if c.measure not in self.s.measures:
                yield f"{at}.measure", f"no measure '{c.measure}'"
            if c.is_ is not None or c.in_ is not None or c.not_in is not None:
                yield at, "a measure is tested with at_least/at_most/above/below"
            if c.on_or_after is not None or c.before is not None:
                yield at, "on_or_after/before test a date field, not a measure"
        if c.field is not None:
            yield from self._field_test(at, c, self.s.fields.get(c.field))
        for key in ("at_least", "at_most", "above", "below"):
            yield from self._value(f"{at}.{key}", getattr(c, key))
        yield from self._date(f"{at}.on_or_after", c.on_or_after)
        yield from self._date(f"{at}.before", c.before)

    def _field_test(self, at: str, c: Condition, spec: FieldSpec | None) -> Iterator[Problem]:
        assert c.field is not None
        if spec is None:
            yield f"{at}.field", f"no field '{c.field}' is declared in [fields]"
            return
        if c.is_ is not None:
            yield from self._field(f"{at}.field", c.field, "bool")
        if c.in_ is not None or c.not_in is not None:
            yield from self._enum_keys(at, c.field, (c.in_ or []) + (c.not_in or []))
        numeric = (c.at_least, c.at_most, c.above, c.below)
        if any(x is not None for x in numeric):
            yield from self._field(f"{at}.field", c.field, "int", "decimal")
        if c.on_or_after is not None or c.before is not None:
            yield from self._field(f"{at}.field", c.field, "date")


def _ranges(
    at: str, ranges: list[tuple[Decimal | None, Decimal | None]], *, contiguous: bool
) -> Iterator[Problem]:
    """Bands and tiers: each from < below, in ascending order, none overlapping."""
    previous_end: Decimal | None = None
    for n, (start, end) in enumerate(ranges):
        if start is not None and end is not None and start >= end:
            yield f"{at}[{n}]", f"'from' {start} is not below 'below' {end}"
        if n > 0:
            if previous_end is None:
                yield f"{at}[{n}]", "the previous band has no upper end, so this one overlaps it"
            elif start is None or start < previous_end:
                yield f"{at}[{n}]", f"overlaps the previous band (which ends below {previous_end})"
            elif contiguous and start != previous_end:
                yield f"{at}[{n}]", f"gap between {previous_end} and {start}"
        previous_end = end
