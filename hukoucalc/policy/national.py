"""The national rules (``national.toml``) applied to one scheme: size class, whether the city may
run points at all, the main indicators and quota it must carry, the insurance-gate ceiling."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.points import exact_text
from hukoucalc.engine.reads import trace_scheme
from hukoucalc.engine.trace import Trace
from hukoucalc.kinds import kind
from hukoucalc.policy.finding import Finding
from hukoucalc.policy.rules import SizeClass, national_rules, size_class
from hukoucalc.policy.spans import months_block
from hukoucalc.scheme.model import Condition, Scheme


def class_of(scheme: Scheme) -> SizeClass | None:
    """The city's size class under 国发〔2014〕51号, or None when the scheme gives no population."""
    population = scheme.scheme.urban_population
    return None if population is None else size_class(population.value)


def check_national(scheme: Scheme) -> list[Finding]:
    return list(_national(scheme))


def _national(scheme: Scheme) -> Iterator[Finding]:
    if scheme.scheme.settlement is False:
        yield Finding(
            "info",
            "not-settlement",
            "scheme.settlement",
            "the points open public services, not hukou settlement (settlement = false): the "
            "national rules for points settlement (size class, main indicators, quota, "
            "insurance-gate ceilings) do not apply",
        )
        return
    population = scheme.scheme.urban_population
    cls = class_of(scheme)
    if population is None or cls is None:
        yield Finding(
            "warning",
            "population-missing",
            "scheme.urban_population",
            "no urban population (城区常住人口) is given, so the city's size class under "
            "国发〔2014〕51号 is unknown and the national rules were not checked",
        )
        return
    city = f"{population.value:,} urban residents ({population.year}) make the city a {cls.name}"
    if cls.points == "forbidden":
        yield Finding(
            "error",
            "points-in-small-city",
            "scheme.urban_population",
            f"{city}, under 3 million: it must not run points settlement ({cls.points_source})",
        )
    elif cls.points == "allowed":
        yield Finding(
            "info",
            "points-optional",
            "scheme.urban_population",
            f"{city}: points settlement is allowed, not required ({cls.points_source})",
        )
    else:
        yield from _required(scheme, cls)
    if cls.insurance_ceiling_years is not None:
        yield from _insurance_gates(scheme, cls)


def _required(scheme: Scheme, cls: SizeClass) -> Iterator[Finding]:
    required = national_rules().required
    served = {m for i in scheme.indicators for m in i.serves}
    served |= {m for g in scheme.gates for m in g.serves}
    served |= {m for k in scheme.selection.keys for m in k.serves}
    for ident, label in required.main_indicators.items():
        if ident not in served:
            yield Finding(
                "error",
                "main-indicator-missing",
                "indicators",
                f"no indicator, gate or ranking key serves '{ident}' ({label}), a main indicator "
                f"a {cls.name} must carry ({required.source}); mark the line that implements "
                f'it with serves = ["{ident}"]',
            )
    selection = scheme.selection
    if selection.mode != "quota" and selection.quota is None:
        yield Finding(
            "error",
            "quota-missing",
            "selection.quota",
            f"a {cls.name} admits within a total quota ({required.quota_source}); selection "
            f"mode '{selection.mode}' gives none",
        )


def _insurance_gates(scheme: Scheme, cls: SizeClass) -> Iterator[Finding]:
    ceiling = cls.insurance_ceiling_years
    assert ceiling is not None
    trace = trace_scheme(compile_scheme(scheme))  # what each line reads, as evaluated
    insurance_fields = _insurance_fields(scheme, trace)
    for gate in scheme.gates:
        at = f"gates[{gate.id}].require"
        if "insurance_years" not in gate.serves:
            if set(trace.of("gate", gate.id)) & insurance_fields:
                yield Finding(
                    "warning",
                    "insurance-gate-untagged",
                    f"gates[{gate.id}]",
                    "this gate reads the social-insurance periods but does not say serves = "
                    f'["insurance_years"], so its length was not checked against the {ceiling}-'
                    f"year ceiling of a {cls.name}",
                )
            continue
        found = months_required(scheme, gate.require, at)
        if found is None:
            yield Finding(
                "warning",
                "insurance-gate-unread",
                at,
                "cannot read how many months of social insurance this gate asks for (a "
                "'measure' of months, or of whole blocks of months, tested with 'at_least' or "
                "'above' a number is expected)",
            )
            continue
        months, where = found
        if months > ceiling * 12:
            limit = "no social insurance at all" if ceiling == 0 else f"at most {ceiling} years"
            yield Finding(
                "error",
                "insurance-gate-too-long",
                where,
                f"the gate asks for {months} months ({exact_text(months, 12)} years) of social "
                f"insurance; a {cls.name} may ask for {limit} ({cls.insurance_source})",
            )


def months_required(scheme: Scheme, c: Condition, at: str) -> tuple[int, str] | None:
    """The months of a months measure a condition requires at least, and the key of that test;
    None when it cannot be read."""
    if c.all is not None:
        found = [months_required(scheme, sub, f"{at}.all[{n}]") for n, sub in enumerate(c.all)]
        known = [f for f in found if f is not None]
        return max(known, key=lambda f: f[0]) if known else None
    if c.any is not None:
        found = [months_required(scheme, sub, f"{at}.any[{n}]") for n, sub in enumerate(c.any)]
        if not found or any(f is None for f in found):
            return None
        return min((f for f in found if f is not None), key=lambda f: f[0])
    if c.measure is None:
        return None
    block = months_block(scheme, c.measure)
    if block is None:
        return None
    best: tuple[int, str] | None = None
    for key, ref, strict in (("at_least", c.at_least, False), ("above", c.above, True)):
        if not isinstance(ref, Decimal):
            continue
        bound = Fraction(ref)
        units = math.floor(bound) + 1 if strict else math.ceil(bound)
        months = max(units, 0) * block
        if best is None or months > best[0]:
            best = (months, f"{at}.{key}")
    return best


def _insurance_fields(scheme: Scheme, trace: Trace) -> set[str]:
    """The period fields that the lines and keys serving insurance years count (read by their
    measures)."""
    names = [
        p.measure
        for i in scheme.indicators
        if "insurance_years" in i.serves
        for p in i.all_parts()
        if p.measure
    ]
    names += [k.measure for k in scheme.selection.keys if "insurance_years" in k.serves]
    found = {f for n in names for f in trace.of("quantity", n)}
    return {f for f in found if f in scheme.fields and kind(scheme.fields[f]).spans}
