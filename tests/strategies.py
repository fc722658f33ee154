"""Hypothesis strategies: random applicant records for any scheme, built from its field specs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from hukoucalc.periods import month_of
from hukoucalc.scheme.model import FieldSpec, Scheme

FIRST_MONTH = month_of(1990, 1)


def periods(last: int) -> st.SearchStrategy[list[str]]:
    def text(pair: tuple[int, int]) -> str:
        a, b = sorted(pair)
        return f"{a // 12:04d}-{a % 12 + 1:02d}..{b // 12:04d}-{b % 12 + 1:02d}"

    month = st.integers(FIRST_MONTH, last + 3)
    return st.lists(st.tuples(month, month).map(text), max_size=3)


def field_value(spec: FieldSpec, last: int) -> st.SearchStrategy[Any]:
    if spec.type == "periods":
        return periods(last)
    if spec.type == "events":
        return st.lists(st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)).map(str), max_size=2)
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(sorted(spec.values or {}))
    if spec.type == "int":
        low = int(spec.min) if spec.min is not None else 0
        high = int(spec.max) if spec.max is not None else 40
        return st.integers(low, high)
    if spec.type == "decimal":
        places = spec.places or 0
        return st.decimals(0, 10**6, places=places, allow_nan=False, allow_infinity=False).map(
            lambda d: str(Decimal(d))
        )
    if spec.type == "date":
        return st.dates(dt.date(1955, 1, 1), dt.date(2002, 12, 31)).map(str)
    return st.just("测试")


def applicants(scheme: Scheme) -> st.SearchStrategy[dict[str, Any]]:
    """Valid applicant records: every required field, each optional one sometimes."""
    as_of = scheme.dates["as_of"]
    last = month_of(as_of.year, as_of.month)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in scheme.fields.items():
        if spec.type == "id_number":
            continue  # birth_date is given instead
        target = required if spec.required or name == "birth_date" else optional
        target[name] = field_value(spec, last)
    return st.fixed_dictionaries(required, optional=optional)
