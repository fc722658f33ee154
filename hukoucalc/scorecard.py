"""One applicant's result under one scheme: the ``score`` command's model and JSON document.

The JSON form (``hukoucalc score --json``) is stable and documented in the README: points are
decimal strings, exact (the model holds exact Decimals: :data:`hukoucalc.engine.points.Exact`);
the scheme is named by id and content hash; the tool by its version.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from hukoucalc import __version__
from hukoucalc.describe import input_text, plural, rule_text, unit_of, value_text
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.points import Exact, ExactFraction, Points, exact_decimal
from hukoucalc.engine.scalar import explain_one
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scheme.model import Scheme, Table


class Counted(BaseModel):
    part: str
    label: str
    inputs: dict[str, str]
    counted: str | None
    rule: str
    points: ExactFraction  # exact: a part is rounded only as part of its line


class IndicatorLine(BaseModel):
    id: str
    label: str
    category: str
    group: str | None
    source: str
    parts: list[Counted]
    applies: bool
    points: Exact
    capped: bool
    cap: str | None
    note: str | None


class GroupLine(BaseModel):
    id: str
    label: str
    combine: str
    members: list[str]
    points: Exact
    capped: bool
    cap: str | None


class GateLine(BaseModel):
    id: str
    label: str
    kind: str
    source: str
    passed: bool
    reason: str | None


class Target(BaseModel):
    kind: str  # "cutoff" (last published lowest admitted score) or "threshold"
    year: int | None
    score: Exact
    gap: Exact  # score minus total: > 0 means points short
    reached: bool
    tag: str | None


class SchemeRef(BaseModel):
    id: str
    title: str
    city: str
    year: int
    sha256: str
    origin: str

    @classmethod
    def of(cls, loaded: LoadedScheme) -> SchemeRef:
        """Which scheme a result is under, as the ``score`` and ``plan`` documents name it."""
        meta = loaded.scheme.scheme
        return cls(
            id=loaded.id,
            title=meta.title,
            city=meta.city,
            year=meta.year,
            sha256=loaded.sha256,
            origin=loaded.origin,
        )


class Scorecard(BaseModel):
    hukoucalc: str
    scheme: SchemeRef
    applicant: str
    indicators: list[IndicatorLine]
    groups: list[GroupLine]
    gates: list[GateLine]
    eligible: bool
    subtotal: Exact
    total: Exact
    floored: bool
    target: Target | None
    places: int


def score_record(loaded: LoadedScheme, record: dict[str, Any], *, applicant: str) -> Scorecard:
    """Score one validated applicant record and explain every line."""
    scheme = loaded.scheme
    compiled = compile_scheme(scheme, origin=loaded.origin)
    ev, trace = explain_one(compiled, record)

    def pts(units: int) -> Decimal:
        return Points(units, compiled.unit).decimal()

    indicators = []
    for ind in scheme.indicators:
        result = ev.indicators[ind.id]
        line_reads = trace.own.get(("indicator", ind.id), ())  # its when, cap and floor
        parts = []
        for part in ind.all_parts():
            got = result.parts[part.id]
            counted = None
            if got.counted is not None:
                value = Decimal(got.counted[0]) / got.counted[1]
                counted = plural(value, unit_of(scheme, part.measure, part.rule))
            # what the part read while evaluated, then what decides the whole line
            fields = dict.fromkeys((*trace.of("part", ind.id, part.id), *line_reads))
            parts.append(
                Counted(
                    part=part.id,
                    label=part.label,
                    inputs={f: input_text(scheme, f, record.get(f)) for f in fields},
                    counted=counted,
                    rule=rule_text(scheme, part.rule, part.measure, _chosen(part.rule, record)),
                    points=Fraction(got.points, compiled.unit),
                )
            )
        bounds = [f"cap {value_text(ind.cap, record)}" if ind.cap is not None else ""]
        bounds.append(f"floor {value_text(ind.floor, record)}" if ind.floor is not None else "")
        indicators.append(
            IndicatorLine(
                id=ind.id,
                label=ind.label,
                category=ind.category,
                group=ind.group,
                source=ind.source,
                parts=parts,
                applies=result.applies,
                points=pts(result.points),
                capped=result.capped,
                cap=", ".join(b for b in bounds if b) or None,
                note=ind.note,
            )
        )
    groups = [
        GroupLine(
            id=g.id,
            label=g.label,
            combine=g.combine,
            members=[i.id for i in scheme.indicators if i.group == g.id],
            points=pts(ev.groups[g.id].points),
            capped=ev.groups[g.id].capped,
            cap=value_text(g.cap, record) or None,
        )
        for g in scheme.groups
    ]
    gates = [
        GateLine(
            id=g.id,
            label=g.label,
            kind=g.kind,
            source=g.source,
            passed=ev.gates[g.id],
            reason=None if ev.gates[g.id] else g.reason,
        )
        for g in scheme.gates
    ]
    assert ev.total is not None and ev.subtotal is not None and ev.eligible is not None
    total = Points(ev.total, compiled.unit)
    return Scorecard(
        hukoucalc=__version__,
        scheme=SchemeRef.of(loaded),
        applicant=applicant,
        indicators=indicators,
        groups=groups,
        gates=gates,
        eligible=ev.eligible,
        subtotal=pts(ev.subtotal),
        total=total.decimal(),
        floored=bool(ev.floored),
        target=_target(loaded, total),
        places=compiled.places,
    )


def published_target(scheme: Scheme) -> tuple[str, int | None, Decimal, str | None] | None:
    """The line an applicant aims at: ``(kind, year, score, tag)`` of the threshold (threshold
    modes) or of the latest published cut-off; None when the scheme has neither."""
    if scheme.selection.mode != "quota" and scheme.selection.threshold is not None:
        return "threshold", None, scheme.selection.threshold, None
    if not scheme.cutoffs:
        return None
    latest = max(scheme.cutoffs, key=lambda c: c.year)
    return "cutoff", latest.year, latest.score, latest.tag


def _target(loaded: LoadedScheme, total: Points) -> Target | None:
    found = published_target(loaded.scheme)
    if found is None:
        return None
    kind, year, line, tag = found
    return Target(
        kind=kind,
        year=year,
        score=exact_decimal(line),
        gap=exact_decimal(Fraction(line) - total.fraction()),
        reached=total.fraction() >= Fraction(line),
        tag=tag,
    )


def _chosen(rule: object, record: dict[str, Any]) -> Any:
    return record.get(rule.field) if isinstance(rule, Table) else None
