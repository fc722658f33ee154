"""Hypothesis strategies: random applicant records for any scheme, built from its field specs.

Uniform draws almost never land on the day a rule changes its mind (born on ``born_from``, an
event on the first day of a window, insurance ending in the month of ``as_of``), so about half of
every date and month drawn here is taken from the scheme's own edges (:func:`edges`): each named
date in ``[dates]`` exactly, one day and one month either side, the first and last day of its
year, and, for dates of birth, the same days whole years earlier (a birthday on the day age is
measured, at every age a rule may test).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

from hukoucalc.applicant import looked_up
from hukoucalc.idnumber import check_character
from hukoucalc.periods import month_of, month_of_date, parse_period
from hukoucalc.roles import roles
from hukoucalc.scheme.model import FieldSpec, Scheme

FIRST_MONTH = month_of(1990, 1)
BORN = (dt.date(1955, 1, 1), dt.date(2002, 12, 31))  # dates of birth (and other date fields)
EVENTS = (dt.date(2010, 1, 1), dt.date(2026, 12, 31))
AGES = range(16, 66)  # the ages a scheme's rules test lie within these

T = TypeVar("T")


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), kept within a shorter month (01-31 → 02-28)."""
    ordinal = day.year * 12 + day.month - 1 + months
    year, month = divmod(ordinal, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Edges:
    """The days and months of a scheme where a rule may change its answer."""

    days: tuple[dt.date, ...]  # each named date, ±1 day, ±1 month, its year's first and last day
    births: tuple[dt.date, ...]  # the named dates and ±1 day, whole years of age earlier
    months: tuple[int, ...]  # the month ordinal of each named date, ±1 month


def edges(scheme: Scheme) -> Edges:
    named = sorted(set(scheme.dates.values()))
    one_day = dt.timedelta(days=1)
    days: set[dt.date] = set()
    births: set[dt.date] = set()
    for day in named:
        days |= {day - one_day, day, day + one_day, shift_months(day, -1), shift_months(day, 1)}
        days |= {dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)}
        for age in AGES:
            then = shift_months(day, -12 * age)
            births |= {then - one_day, then, then + one_day}
    months = {month_of_date(day) + k for day in named for k in (-1, 0, 1)}
    return Edges(tuple(sorted(days)), tuple(sorted(days | births)), tuple(sorted(months)))


def _within(values: tuple[T, ...], low: T, high: T) -> list[T]:
    return [v for v in values if low <= v <= high]  # type: ignore[operator]


def _or_edge(uniform: st.SearchStrategy[T], edge: list[T]) -> st.SearchStrategy[T]:
    """Half the draws from the edges (when there are any in range), half uniform."""
    return st.one_of(st.sampled_from(edge), uniform) if edge else uniform


def periods(last: int, edge_months: tuple[int, ...] = ()) -> st.SearchStrategy[list[str]]:
    def text(pair: tuple[int, int]) -> str:
        a, b = sorted(pair)
        return f"{a // 12:04d}-{a % 12 + 1:02d}..{b // 12:04d}-{b % 12 + 1:02d}"

    month = _or_edge(
        st.integers(FIRST_MONTH, last + 3), _within(edge_months, FIRST_MONTH, last + 3)
    )
    return st.lists(st.tuples(month, month).map(text), max_size=3)


def field_value(spec: FieldSpec, last: int, near: Edges | None = None) -> st.SearchStrategy[Any]:
    if spec.type == "periods":
        return periods(last, near.months if near else ())
    if spec.type == "events":
        day = _or_edge(st.dates(*EVENTS), _within(near.days, *EVENTS) if near else [])
        return st.lists(day.map(str), max_size=2)
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
        day = _or_edge(st.dates(*BORN), _within(near.births, *BORN) if near else [])
        return day.map(str)
    return st.just("测试")


def applicants(scheme: Scheme) -> st.SearchStrategy[dict[str, Any]]:
    """Valid applicant records: every required field, each optional one sometimes; dates and
    months often exactly at, or one day or month beside, the scheme's named dates."""
    as_of = scheme.dates["as_of"]
    last = month_of(as_of.year, as_of.month)
    near = edges(scheme)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    needed = looked_up(scheme)  # a by-field value's field, which the ID number would give
    for name, spec in scheme.fields.items():
        if spec.type == "id_number":
            continue  # birth_date is given instead
        target = required if spec.required or name == "birth_date" or name in needed else optional
        target[name] = field_value(spec, last, near)
    drawn = st.fixed_dictionaries(required, optional=optional)
    return drawn.map(lambda record: plausible(scheme, record))


def plausible(scheme: Scheme, record: dict[str, Any]) -> dict[str, Any]:
    """A drawn record made one that can be true (hukoucalc.plausible): born on or before the
    scheme's as_of, and no period starting before the age of 16."""
    born_field = roles(scheme).birth_date
    if born_field is None or born_field not in record:
        return record
    born = dt.date.fromisoformat(record[born_field])
    as_of = scheme.dates["as_of"]
    if born > as_of:
        born = born.replace(year=as_of.year - 30, day=min(born.day, 28))
    first = month_of_date(born) + 16 * 12
    out = {**record, born_field: str(born)}
    for name, spec in scheme.fields.items():
        if spec.type == "periods" and name in out:
            out[name] = [p for p in out[name] if parse_period(p)[0] >= first]
    return out


def with_id_numbers(scheme: Scheme, pool: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A drawn pool with a valid, unique ID number each (rank refuses a row without one), agreeing
    with the birth date and the sex drawn."""
    role = roles(scheme)
    if role.id_number is None or role.birth_date is None:
        return pool
    out = []
    for i, record in enumerate(pool):
        born = record.get(role.birth_date)
        if born is None:
            out.append(record)
            continue
        male = role.sex is None or record.get(role.sex, "male") == "male"
        first17 = f"110105{born.replace('-', '')}{2 * i + (1 if male else 2):03d}"
        out.append({**record, role.id_number: first17 + check_character(first17)})
    return out
