"""Per-scheme figures of a comparison: counts, cut-off, ties, the admitted's scores, and which
lines (indicators and groups) the admitted's points come from. All exact.

Quartiles are nearest-rank quartiles (the ⌈p·n⌉-th lowest admitted total): a score that someone
really has, exact. The mean is the exact mean rounded half-up to two more places than the scheme
shows its points with. Shares are percentages rounded half-up to 0.01.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import ceil

import polars as pl
from pydantic import BaseModel

from hukoucalc.batch.names import (
    ADMITTED,
    ELIGIBLE,
    QUALIFIED,
    SUBTOTAL,
    TOTAL,
    gate_col,
    group_col,
    indicator_col,
)
from hukoucalc.compare.pool import Ranked
from hukoucalc.engine.points import Exact, Points, exact_decimal
from hukoucalc.engine.scalar import round_fraction
from hukoucalc.ranking import Bin, histogram

QUARTILES = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))


class Line(BaseModel):
    """An ungrouped indicator or a group: the lines whose points add up to the subtotal."""

    id: str
    label: str
    kind: str  # "indicator" or "group"
    points: Exact  # sum over the admitted
    mean: Exact  # per admitted applicant
    share: Exact | None  # percent of the admitted's summed subtotals


class Exclusion(BaseModel):
    """A gate and how many of the pool fail it (one applicant may fail several)."""

    gate: str
    reason: str
    failing: int


class SchemeStats(BaseModel):
    id: str
    title: str
    sha256: str
    origin: str
    as_of: str  # the round's reference date (dates.as_of)
    selection: str
    quota: int | None
    threshold: Exact | None
    eligible: int
    excluded_by: list[Exclusion]  # each gate anyone fails, most failed first
    qualified: int
    admitted: int
    cutoff: Exact | None
    ties_at_cutoff: int
    mean: Exact | None
    quartiles: list[Exact]  # [Q1, median, Q3] of the admitted's totals
    lowest: Exact | None
    highest: Exact | None
    lines: list[Line]
    histogram: list[Bin]  # eligible applicants by total, bins of 5 points


def scheme_stats(one: Ranked) -> SchemeStats:
    loaded, comp, chosen = one.loaded, one.compiled, one.chosen
    scheme, unit, frame = loaded.scheme, comp.unit, chosen.frame
    admitted = frame.filter(pl.col(ADMITTED))
    totals = admitted[TOTAL].sort().to_list()
    n = len(totals)

    def points(units: int) -> Decimal:  # to the scheme's places, as the ranked list writes them
        return Points(units, unit).decimal(comp.places)

    mean = half_up(Fraction(sum(totals), n * unit), comp.places + 2) if n else None
    quartiles = [points(totals[max(ceil(p * n), 1) - 1]) for p in QUARTILES] if n else []
    return SchemeStats(
        id=loaded.id,
        title=scheme.scheme.title,
        sha256=loaded.sha256,
        origin=loaded.origin,
        as_of=comp.date("as_of").isoformat(),
        selection=scheme.selection.mode,
        quota=chosen.quota,
        threshold=exact_decimal(scheme.selection.threshold)
        if scheme.selection.threshold is not None
        else None,
        eligible=int(frame[ELIGIBLE].sum()),
        excluded_by=_exclusions(one),
        qualified=int(frame[QUALIFIED].sum()),
        admitted=n,
        cutoff=points(chosen.cutoff_units) if chosen.cutoff_units is not None else None,
        ties_at_cutoff=chosen.ties_at_cutoff,
        mean=mean,
        quartiles=quartiles,
        lowest=points(totals[0]) if n else None,
        highest=points(totals[-1]) if n else None,
        lines=_lines(one, admitted),
        histogram=histogram(frame, unit, chosen.cutoff_units),
    )


def _exclusions(one: Ranked) -> list[Exclusion]:
    gates = one.loaded.scheme.gates
    frame = one.chosen.frame
    if not gates or not frame.height:
        return []
    failing = frame.select((~pl.col(gate_col(g.id))).sum().alias(g.id) for g in gates).row(0)
    found = [
        Exclusion(gate=g.id, reason=g.reason, failing=int(n))
        for g, n in zip(gates, failing, strict=True)
        if n
    ]
    return sorted(found, key=lambda e: -e.failing)


def _lines(one: Ranked, admitted: pl.DataFrame) -> list[Line]:
    scheme, unit = one.loaded.scheme, one.compiled.unit
    lines = [
        ("indicator", i.id, i.label, indicator_col(i.id)) for i in scheme.indicators if not i.group
    ]
    lines += [("group", g.id, g.label, group_col(g.id)) for g in scheme.groups]
    sums = admitted.select(pl.col(c).sum() for _, _, _, c in lines) if lines else None
    whole = int(admitted[SUBTOTAL].sum()) if admitted.height else 0
    out = []
    n, places = admitted.height, one.compiled.places + 2
    for kind, ident, label, column in lines:
        total = int(sums[column][0]) if sums is not None else 0
        out.append(
            Line(
                id=ident,
                label=label,
                kind=kind,
                points=Points(total, unit).decimal(),
                mean=half_up(Fraction(total, n * unit) if n else Fraction(0), places),
                share=half_up(Fraction(100 * total, whole), 2) if whole else None,
            )
        )
    return out


def half_up(value: Fraction, places: int) -> Decimal:
    """A fraction as a Decimal with ``places`` decimals, rounded half away from zero by the
    engine's one rounding rule."""
    kept = round_fraction(value, places, "half_up")
    return exact_decimal(kept, places)  # exact: kept has places decimals
