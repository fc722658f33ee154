"""Who the admitted are under each scheme, so a drafter sees whom a draft favours.

Generic, from the fields the schemes share: age bands (from the birth date the baseline's age
measure uses, on its date), every enum field all schemes declare (by code; education level,
sex, …), and every period field all schemes declare, as the share of the admitted holding it
in the baseline's ``as_of`` month (own home, rental, … : housing type). Held fields overlap, so
their counts need not add up to the admitted.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Literal

import polars as pl
from pydantic import BaseModel

from hukoucalc.batch.columns import age_on, end_col, start_col
from hukoucalc.batch.names import ADMITTED, ROW
from hukoucalc.compare.pool import Ranked
from hukoucalc.compare.stats import half_up
from hukoucalc.engine.points import Exact
from hukoucalc.kinds import kind
from hukoucalc.periods import month_of_date
from hukoucalc.roles import resolve
from hukoucalc.scheme.model import AgeMeasure, FieldSpec

AGE_BANDS = (25, 30, 35, 40, 45, 50, 55)  # display bands of 5 years, not a policy's numbers
NOT_GIVEN = ""


class Category(BaseModel):
    code: str
    label: str
    counts: list[int]  # admitted in this category, one count per scheme (in order)


class Dimension(BaseModel):
    id: str
    label: str
    kind: Literal["age", "enum", "held"]
    categories: list[Category]
    spread: Exact = Decimal(0)  # the largest change of a category's share of the admitted from the
    # baseline to another scheme, in percentage points (0.1, half-up): how much this dimension
    # tells the schemes apart


def spread(counts: list[int], admitted: list[int]) -> Fraction:
    """The largest change, in percentage points, of one category's share of the admitted from
    the baseline (first) to another scheme."""
    shares = [
        Fraction(100 * n, whole) if whole else Fraction(0)
        for n, whole in zip(counts, admitted, strict=True)
    ]
    return max((abs(s - shares[0]) for s in shares[1:]), default=Fraction(0))


def composition(
    ranked: list[Ranked], fields: dict[str, FieldSpec], header: set[str]
) -> list[Dimension]:
    """The admitted under each scheme by age band, shared enum field and held period field."""
    base = ranked[0]
    admitted = [
        r.typed.join(r.chosen.frame.filter(pl.col(ADMITTED)).select(ROW), on=ROW, how="semi")
        for r in ranked
    ]
    shared = [n for n in fields if n in header and all(n in r.loaded.scheme.fields for r in ranked)]
    out: list[Dimension] = []
    age = _age(base, fields)
    if age is not None:
        out.append(_age_dimension(admitted, *age))
    for name in shared:
        if kind(fields[name]).choices:
            out.append(_enum(name, ranked, admitted))
    held = [n for n in shared if kind(fields[n]).spans]
    if held:
        out.append(_held(held, base, fields, admitted))
    sizes = [frame.height for frame in admitted]
    for dim in out:
        widest = max((spread(c.counts, sizes) for c in dim.categories), default=Fraction(0))
        dim.spread = half_up(widest, 1)
    return out


def _age(base: Ranked, fields: dict[str, FieldSpec]) -> tuple[pl.Expr, str] | None:
    measures = [m for m in base.loaded.scheme.measures.values() if isinstance(m, AgeMeasure)]
    if measures:
        birth, on = measures[0].birth, base.compiled.date(measures[0].on)
    elif (birth_date := resolve(fields).birth_date) is not None:
        birth, on = birth_date, base.compiled.date("as_of")
    else:
        return None
    return age_on(pl.col(birth), on), f"年龄（{on.isoformat()}）"


def _age_dimension(admitted: list[pl.DataFrame], years: pl.Expr, label: str) -> Dimension:
    edges = list(AGE_BANDS)
    names = [f"<{edges[0]}"] + [f"{a}–{b - 1}" for a, b in pairwise(edges)]
    names.append(f"≥{edges[-1]}")
    band = pl.lit(len(edges), dtype=pl.Int32)
    for k in reversed(range(len(edges))):
        band = pl.when(years < edges[k]).then(pl.lit(k, dtype=pl.Int32)).otherwise(band)
    counts = [_counts(frame.select(band.cast(pl.String).alias("v"))["v"]) for frame in admitted]
    categories = [
        Category(code=_ascii(name), label=name, counts=[c.get(str(k), 0) for c in counts])
        for k, name in enumerate(names)
    ]
    return Dimension(id="age", label=label, kind="age", categories=categories)


def _enum(name: str, ranked: list[Ranked], admitted: list[pl.DataFrame]) -> Dimension:
    labels: dict[str, str] = {}
    for r in ranked:
        for code, label in (r.loaded.scheme.fields[name].values or {}).items():
            labels.setdefault(code, label)
    counts = [_counts(frame[name]) for frame in admitted]
    if any(NOT_GIVEN in c for c in counts):
        labels[NOT_GIVEN] = "（未填）"
    categories = [
        Category(code=code, label=label, counts=[c.get(code, 0) for c in counts])
        for code, label in labels.items()
    ]
    return Dimension(
        id=name,
        label=ranked[0].loaded.scheme.fields[name].label,
        kind="enum",
        categories=categories,
    )


def _held(
    names: list[str], base: Ranked, fields: dict[str, FieldSpec], admitted: list[pl.DataFrame]
) -> Dimension:
    as_of = base.compiled.date("as_of")
    month = month_of_date(as_of)
    categories = []
    for name in names:
        counts = []
        for frame in admitted:
            k = 0
            held = pl.lit(False)
            while start_col(name, k) in frame.columns:
                s, e = pl.col(start_col(name, k)), pl.col(end_col(name, k))
                held = held | ((s <= month) & (e >= month))
                k += 1
            counts.append(int(frame.select(held.sum())[0, 0]) if frame.height else 0)
        categories.append(Category(code=name, label=fields[name].label, counts=counts))
    label = f"{as_of.year}年{as_of.month}月持有"
    return Dimension(id="held", label=label, kind="held", categories=categories)


def _ascii(band: str) -> str:
    return band.replace("–", "-").replace("≥", ">=")


def _counts(values: pl.Series) -> dict[str, int]:
    """How many of each text value (a missing one counted as NOT_GIVEN)."""
    found = values.fill_null(NOT_GIVEN).value_counts()
    return {row[0]: int(row[1]) for row in found.iter_rows()}
