"""Plain-language text for rules, measures and inputs, as shown in tables and JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hukoucalc.engine.points import decimal_text as num
from hukoucalc.kinds import kind
from hukoucalc.scheme.model import (
    AgeMeasure,
    Bands,
    ByField,
    Condition,
    EventsMeasure,
    Flag,
    Marginal,
    MonthsMeasure,
    PerUnit,
    Rule,
    Scheme,
    Table,
    ValueRef,
)


def unit_of(scheme: Scheme, measure: str | None, rule: Rule | None = None) -> str:
    if isinstance(rule, PerUnit) and rule.unit:
        return rule.unit
    m = scheme.measures.get(measure or "")
    if isinstance(m, MonthsMeasure):
        return "month"
    if isinstance(m, AgeMeasure):
        return "year"
    if isinstance(m, EventsMeasure):
        return "record"
    return ""


def plural(count: Decimal | int, unit: str) -> str:
    if not unit:
        return num(Decimal(count))
    if count == 1 or unit.endswith("s") or not unit.isascii():
        return f"{num(Decimal(count))} {unit}"
    return f"{num(Decimal(count))} {unit}s"


def rule_text(scheme: Scheme, rule: Rule, measure: str | None, chosen: Any = None) -> str:
    """The rule in words; for a table, only the row ``chosen`` when it is given."""
    unit = unit_of(scheme, measure, rule)
    if isinstance(rule, PerUnit):
        per = f"per {plural(rule.per, unit)}" if rule.per != 1 else f"per {unit or 'unit'}"
        text = f"{num(rule.points)} {per}"
        text += " (whole blocks only)" if rule.whole else ""
        if rule.minimum is not None:
            text += f", nothing below {plural(rule.minimum, unit)}"
        return text
    if isinstance(rule, Bands):
        bands = "; ".join(_band(b.from_, b.below) + f" → {num(b.points)}" for b in rule.bands)
        return f"{bands}; else {num(rule.default)}"
    if isinstance(rule, Marginal):
        tiers = "; ".join(
            _band(t.from_, t.below) + f": {num(t.points)} per {plural(t.per, unit)}"
            for t in rule.tiers
        )
        return f"{num(rule.base)} + {tiers}" if rule.base else tiers
    if isinstance(rule, Table):
        labels = scheme.fields[rule.field].values or {}
        if chosen is not None:
            points = rule.points.get(chosen, rule.default)
            return f"{labels.get(chosen, chosen)} → {num(points)} (table of {len(rule.points)})"
        return "; ".join(f"{labels.get(k, k)} {num(v)}" for k, v in rule.points.items())
    assert isinstance(rule, Flag)
    test = rule.field if rule.field else condition_text(rule.when)  # type: ignore[arg-type]
    return f"{num(rule.points)} if {test}"


def _band(start: Decimal | None, below: Decimal | None) -> str:
    if start is None and below is not None:
        return f"< {num(below)}"
    if below is None:
        return f"≥ {num(start or Decimal(0))}"
    return f"{num(start or Decimal(0))}–<{num(below)}"


def value_text(ref: ValueRef | None, record: dict[str, Any] | None = None) -> str:
    """A cap, floor or threshold; a by-field value as it applies to ``record`` when given."""
    if ref is None:
        return ""
    if isinstance(ref, Decimal):
        return num(ref)
    if isinstance(ref, ByField):
        if record is not None:
            chosen = record.get(ref.field)
            value = ref.values.get(chosen, ref.default) if isinstance(chosen, str) else ref.default
            return f"{num(value)} ({ref.field} {chosen or '—'})"
        return f"by {ref.field}: " + ", ".join(f"{k} {num(v)}" for k, v in ref.values.items())
    return ref


def condition_text(c: Condition) -> str:
    if c.all is not None:
        return " and ".join(f"({condition_text(x)})" for x in c.all)
    if c.any is not None:
        return " or ".join(f"({condition_text(x)})" for x in c.any)
    if c.not_ is not None:
        return f"not ({condition_text(c.not_)})"
    subject = c.measure or c.field or ""
    tests = []
    if c.is_ is not None:
        tests.append(f"is {'yes' if c.is_ else 'no'}")
    if c.in_ is not None:
        tests.append(f"in {', '.join(c.in_)}")
    if c.not_in is not None:
        tests.append(f"not in {', '.join(c.not_in)}")
    for word, ref in (("≥", c.at_least), ("≤", c.at_most), (">", c.above), ("<", c.below)):
        if ref is not None:
            tests.append(f"{word} {value_text(ref)}")
    for word, day in (("on or after", c.on_or_after), ("before", c.before)):
        if day is not None:
            tests.append(f"{word} {day}")
    return f"{subject} {' and '.join(tests)}"


def input_text(scheme: Scheme, name: str, value: Any) -> str:
    """An applicant's value of a field, as the user would write it."""
    spec = scheme.fields[name]
    return kind(spec).shown(spec, value)
