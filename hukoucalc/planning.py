"""Path to admission: one applicant's score projected forward, the first round that reaches a
target, and the single changes that would bring it forward (the ``plan`` command's core).

The projection assumes the applicant keeps everything as now: a month period that is open at the
scheme's accrual cut-off (``as_of``: it covers that month, or ends in it) keeps running; closed
periods stay closed; no new events happen. Time moves by shifting every named date of the
scheme's ``[dates]`` table (``as_of``, ``age_on``, windows…) by the same number of months, so caps
saturate, age bands fall and "last N years" windows slide exactly as the scheme says. Date
literals written inside a measure or condition stay fixed. Rounds are yearly: round ``year + n``
has its dates shifted by ``12 n`` months. The one evaluator (:mod:`hukoucalc.engine`) scores every
month; nothing here knows any city.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from hukoucalc import __version__, periods
from hukoucalc.engine.compile import Compiled, compile_scheme
from hukoucalc.engine.points import Exact, Points, decimal_text, exact_decimal, exact_text
from hukoucalc.engine.reads import fields_read
from hukoucalc.engine.scalar import evaluate_one, round_fraction
from hukoucalc.errors import UsageError, option
from hukoucalc.kinds import kind as kind_of
from hukoucalc.roles import roles
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scheme.model import FieldSpec, Scheme
from hukoucalc.scorecard import SchemeRef, published_target

SCHEMA_VERSION = 1
DEFAULT_YEARS = 20  # how far the projection runs when no ``until`` is given
MAX_YEARS = 100
TREND_ROUNDS = 5  # the published rounds a trend is fitted to, by default
MIN_TREND = 3  # published cut-offs a trend needs (and from which it is the default target)
MAX_TREND_ROUNDS = 50

TREND = "trend"  # the target asking for the projected cut-off line
CUTOFF = "cutoff"  # the target asking for the threshold or the latest published cut-off


class TrendNote(BaseModel):
    """A published cut-off of the fitted series that carries a note (e.g. a disputed value):
    the value given in the scheme is used all the same."""

    year: int
    score: str
    note: str


class Trend(BaseModel):
    """How a rising cut-off is projected: the exact least-squares line through the last ``n``
    published cut-offs, ``line(year) = intercept + slope * (year - origin)``, each round's line
    rounded half-up to the scheme's places. ``slope`` and ``intercept`` are exact: a decimal
    when it terminates, else a fraction ``p/q``."""

    method: str  # "least_squares"
    n: int
    years: list[int]  # the published rounds fitted
    scores: list[str]
    origin: int  # the year the intercept is at (the last published round)
    slope: str  # points a year
    intercept: str  # the line at ``origin``
    notes: list[TrendNote]


class PlanTarget(BaseModel):
    kind: str  # "cutoff" (latest published), "threshold", "given" (passed in) or "trend"
    year: int | None
    score: Exact  # the line of the first projected round (the one line, unless "trend")
    trend: Trend | None = None


class RoundPoint(BaseModel):
    """The projected result of one yearly round."""

    year: int
    as_of: dt.date  # the round's accrual cut-off
    total: Exact
    eligible: bool
    failed_gates: list[str]
    target: Exact  # the line this round is measured against (a trend's projected line)
    reached: bool  # eligible and total >= target
    lines: dict[str, Exact]  # indicator id -> points


class Blocker(BaseModel):
    """A gate that still fails at the end of the projection."""

    gate: str
    label: str
    reason: str
    since: dt.date | None  # first accrual cut-off from which it fails for good; None: always


class Never(BaseModel):
    """Why no round reaches the target by ``until``."""

    best: Exact  # best projected round total
    best_round: int
    gates: list[Blocker]
    falling: list[str]  # indicators worth less at the end than now
    rising: list[str]  # indicators worth more at the end than now
    capped: list[str]  # indicators and groups whose cap bites at the end
    reasons: list[str]  # the same, in words


class Suggestion(BaseModel):
    """One single change to the applicant, and what it would do."""

    field: str
    label: str
    kind: str  # "enum", "bool" or "periods"
    before: str | bool | None
    after: str | bool
    change: str
    gain: Exact  # points gained in the scheme's own round
    total: Exact  # the total in that round after the change
    first_round: int | None


class Assumption(BaseModel):
    """A value of the applicant that the projection cannot move with time: either it lapses as
    the scheme says (``holds_for_months``: a status such as 应届毕业生), or it is assumed unchanged
    in every round (the scheme says nothing)."""

    field: str
    label: str
    value: str | bool  # the applicant's value (an enum's code, a number as text)
    shown: str  # the value in words
    holds_for_months: int | None  # None: assumed unchanged in every round
    lapses: dt.date | None  # the first accrual cut-off at which it no longer holds
    after: str | None  # the value from then on, in words


class Plan(BaseModel):
    schema_version: int
    hukoucalc: str
    scheme: SchemeRef
    applicant: str
    target: PlanTarget
    as_of: dt.date
    until: dt.date
    rounds: list[RoundPoint]
    first_month: dt.date | None  # first (shifted) accrual cut-off at which the target is reached
    first_round: int | None
    never: Never | None
    suggestions: list[Suggestion]
    assumptions: list[Assumption]
    places: int


@dataclasses.dataclass
class _Point:
    shift: int
    as_of: dt.date
    total: Fraction
    eligible: bool
    failed: list[str]
    lines: dict[str, int]
    capped: list[str]


def shift_date(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def continue_as_now(scheme: Scheme, record: dict[str, Any], now: int, last: int) -> dict[str, Any]:
    """The record with every period open at month ``now`` running on to month ``last``."""
    out = dict(record)
    for name, spec in scheme.fields.items():
        if kind_of(spec).spans and record.get(name):
            out[name] = tuple(
                (start, max(end, last)) if start <= now <= end else (start, end)
                for start, end in periods.merge(record[name])
            )
    return out


class _Projector:
    """Scores one record with the scheme's dates shifted by k months."""

    def __init__(self, compiled: Compiled, line: Callable[[int], Fraction]) -> None:
        self.compiled = compiled
        self.line = line  # round n (0: the scheme's own) -> the target it is measured against
        self._schemes: dict[int, Compiled] = {}
        fields = compiled.scheme.fields
        self.lapsing = [
            (name, spec.holds_for_months, lapsed_value(spec))
            for name, spec in fields.items()
            if spec.holds_for_months is not None
        ]

    def aged(self, record: dict[str, Any], k: int) -> dict[str, Any]:
        """The record ``k`` months on: a status the scheme says lapses (``holds_for_months``)
        falls back to its default once that many months have passed."""
        lapsed = {name: value for name, months, value in self.lapsing if k >= months}
        return record | lapsed if lapsed else record

    def shifted(self, k: int) -> Compiled:
        if k not in self._schemes:
            scheme = self.compiled.scheme
            dates = {name: shift_date(day, k) for name, day in scheme.dates.items()}
            moved = scheme.model_copy(update={"dates": dates})
            self._schemes[k] = dataclasses.replace(self.compiled, scheme=moved)
        return self._schemes[k]

    def at(self, record: dict[str, Any], k: int) -> _Point:
        compiled = self.shifted(k)
        ev = evaluate_one(compiled, self.aged(record, k))
        assert ev.total is not None and ev.eligible is not None
        capped = [i for i, r in ev.indicators.items() if r.capped]
        capped += [g for g, r in ev.groups.items() if r.capped]
        return _Point(
            shift=k,
            as_of=compiled.scheme.dates["as_of"],
            total=Fraction(ev.total, compiled.unit),
            eligible=bool(ev.eligible),
            failed=[g for g, passed in ev.gates.items() if not passed],
            lines={i: r.points for i, r in ev.indicators.items()},
            capped=capped,
        )

    def target(self, point: _Point) -> Fraction:
        """The line a point is measured against: its round's, or for a month between two
        rounds the next round's (the one whose cut-off it would count toward)."""
        return self.line(-(-point.shift // 12))

    def reached(self, point: _Point) -> bool:
        return point.eligible and point.total >= self.target(point)


def make_plan(
    loaded: LoadedScheme,
    record: dict[str, Any],
    *,
    applicant: str,
    target: Decimal | str | None = None,
    until: dt.date | None = None,
    trend_rounds: int = TREND_ROUNDS,
) -> Plan:
    """Project the applicant month by month up to ``until`` and find the first round reaching
    ``target``: a score, ``"cutoff"`` (the scheme's threshold or latest published cut-off) or
    ``"trend"`` (the cut-off projected from the last ``trend_rounds`` published ones, see
    :class:`Trend`). Default: the trend where the scheme has :data:`MIN_TREND` or more published
    cut-offs (and no threshold), else ``"cutoff"``."""
    scheme = loaded.scheme
    as_of = scheme.dates["as_of"]
    until = until or shift_date(as_of, 12 * DEFAULT_YEARS)
    given = option("until")
    if until < as_of:
        raise UsageError(f"{given} {until} is before the scheme's accrual cut-off {as_of}")
    if until > shift_date(as_of, 12 * MAX_YEARS):
        raise UsageError(f"{given} {until} is more than {MAX_YEARS} years after {as_of}")
    months = periods.month_of_date(until) - periods.month_of_date(as_of)
    if shift_date(as_of, months) > until:
        months -= 1
    compiled = compile_scheme(scheme, origin=loaded.origin)
    goal, line = _target(scheme, target, trend_rounds, compiled.places)
    projector = _Projector(compiled, line)
    now, last = periods.month_of_date(as_of), periods.month_of_date(until)
    base = continue_as_now(scheme, record, now, last)
    points = [projector.at(base, k) for k in range(months + 1)]
    rounds = points[::12]
    first_month = next((p.as_of for p in points if projector.reached(p)), None)
    first = next((n for n, p in enumerate(rounds) if projector.reached(p)), None)
    year = scheme.scheme.year
    unit = compiled.unit
    return Plan(
        schema_version=SCHEMA_VERSION,
        hukoucalc=__version__,
        scheme=SchemeRef.of(loaded),
        applicant=applicant,
        target=goal,
        as_of=as_of,
        until=until,
        rounds=[
            RoundPoint(
                year=year + n,
                as_of=p.as_of,
                total=exact_decimal(p.total),
                eligible=p.eligible,
                failed_gates=p.failed,
                target=exact_decimal(projector.target(p)),
                reached=projector.reached(p),
                lines={i: Points(v, unit).decimal() for i, v in p.lines.items()},
            )
            for n, p in enumerate(rounds)
        ],
        first_month=first_month,
        first_round=None if first is None else year + first,
        never=None if first is not None else _never(scheme, points, rounds, projector, year),
        suggestions=_suggestions(scheme, record, projector, rounds, now, last, year, first),
        assumptions=_assumptions(compiled, record),
        places=compiled.places,
    )


def _target(
    scheme: Scheme, given: Decimal | str | None, trend_rounds: int, places: int
) -> tuple[PlanTarget, Callable[[int], Fraction]]:
    """The target and the line of each projected round (round 0: the scheme's own)."""
    if isinstance(given, Decimal):
        score = Fraction(given)
        return PlanTarget(kind="given", year=None, score=exact_decimal(given)), lambda n: score
    if given not in (None, TREND, CUTOFF):
        raise UsageError(f"{option('target')}: {given!r} is not a score, {CUTOFF} or {TREND}")
    found = published_target(scheme)
    if given == TREND or (
        given is None
        and found is not None
        and found[0] == "cutoff"
        and len(scheme.cutoffs) >= MIN_TREND
    ):
        return _trend(scheme, trend_rounds, places)
    if found is None:
        raise UsageError(
            f"scheme '{scheme.scheme.id}' has no threshold and no published cut-off: "
            f"give the score to reach with {option('target')}"
        )
    kind, year, value, _ = found
    line = Fraction(value)
    return PlanTarget(kind=kind, year=year, score=exact_decimal(value)), lambda n: line


def _trend(
    scheme: Scheme, rounds: int, places: int
) -> tuple[PlanTarget, Callable[[int], Fraction]]:
    """The least-squares line through the last ``rounds`` published cut-offs, exact."""
    if not 2 <= rounds <= MAX_TREND_ROUNDS:
        raise UsageError(
            f"{option('trend_rounds')} {rounds}: fit the trend to 2 to {MAX_TREND_ROUNDS} rounds"
        )
    series = sorted(scheme.cutoffs, key=lambda c: c.year)
    if len(series) < MIN_TREND:
        raise UsageError(
            f"scheme '{scheme.scheme.id}' has {len(series)} published cut-off"
            f"{'' if len(series) == 1 else 's'}; a trend needs at least {MIN_TREND}: "
            f"give the score to reach with {option('target')}, or {CUTOFF}"
        )
    used = series[-rounds:]
    origin = used[-1].year
    xs = [Fraction(c.year - origin) for c in used]
    ys = [Fraction(c.score) for c in used]
    slope, intercept = least_squares(xs, ys)
    year = scheme.scheme.year

    def line(n: int) -> Fraction:
        return round_fraction(intercept + slope * (year + n - origin), places)

    trend = Trend(
        method="least_squares",
        n=len(used),
        years=[c.year for c in used],
        scores=[decimal_text(c.score) for c in used],
        origin=origin,
        slope=exact_text(slope.numerator, slope.denominator),
        intercept=exact_text(intercept.numerator, intercept.denominator),
        notes=[
            TrendNote(year=c.year, score=decimal_text(c.score), note=c.note) for c in used if c.note
        ],
    )
    return PlanTarget(kind=TREND, year=None, score=exact_decimal(line(0)), trend=trend), line


def least_squares(xs: list[Fraction], ys: list[Fraction]) -> tuple[Fraction, Fraction]:
    """``(slope, intercept)`` of the exact least-squares line ``y = intercept + slope * x``;
    at least two distinct ``xs``."""
    n = len(xs)
    mean_x, mean_y = sum(xs, Fraction(0)) / n, sum(ys, Fraction(0)) / n
    sxx = sum(((x - mean_x) ** 2 for x in xs), Fraction(0))
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Fraction(0))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def lapsed_value(spec: FieldSpec) -> Any:
    """The value a lapsed status falls back to: the field's default, else no / none / 0."""
    return kind_of(spec).default(spec)


def _shown(spec: FieldSpec, value: Any) -> str:
    if kind_of(spec).yes_no:
        return "yes" if value else "no"
    if kind_of(spec).choices:
        return (spec.values or {}).get(value, "—") if isinstance(value, str) else "—"
    return "—" if value is None else decimal_text(Decimal(value))


def _assumptions(compiled: Compiled, record: dict[str, Any]) -> list[Assumption]:
    """The applicant's set values of the fields the scheme reads that time does not move: those
    the scheme says lapse, and those assumed unchanged (not personal facts, periods or events)."""
    scheme = compiled.scheme
    read = fields_read(compiled)
    as_of = scheme.dates["as_of"]
    out = []
    personal = roles(scheme).personal
    for name, spec in scheme.fields.items():
        status = kind_of(spec).numeric or kind_of(spec).choices  # a value time does not move
        if name in personal or name not in read or not status:
            continue
        value = record.get(name)
        if value is None or value is False or value in (spec.default, 0):
            continue
        months = spec.holds_for_months
        out.append(
            Assumption(
                field=name,
                label=spec.label,
                value=value if isinstance(value, (bool, str)) else decimal_text(Decimal(value)),
                shown=_shown(spec, value),
                holds_for_months=months,
                lapses=None if months is None else shift_date(as_of, months),
                after=None if months is None else _shown(spec, lapsed_value(spec)),
            )
        )
    return out


def _text(value: Fraction) -> str:
    return decimal_text(value)


def _never(
    scheme: Scheme, points: list[_Point], rounds: list[_Point], projector: _Projector, year: int
) -> Never:
    start, end = points[0], points[-1]
    best_n = max(
        range(len(rounds)), key=lambda n: (rounds[n].total - projector.target(rounds[n]), -n)
    )
    best = rounds[best_n]
    line = projector.target(best)
    fixed = len({projector.target(r) for r in rounds}) == 1
    labels = {i.id: i.label for i in scheme.indicators} | {g.id: g.label for g in scheme.groups}
    unit = projector.compiled.unit

    def worth(ident: str, point: _Point) -> str:
        return Points(point.lines[ident], unit).text()

    falling = [i for i in start.lines if end.lines[i] < start.lines[i]]
    rising = [i for i in start.lines if end.lines[i] > start.lines[i]]
    blockers = []
    for gate in scheme.gates:
        if gate.id not in end.failed:
            continue
        since = len(points)
        while since > 0 and gate.id in points[since - 1].failed:
            since -= 1
        blockers.append(
            Blocker(
                gate=gate.id,
                label=gate.label,
                reason=gate.reason,
                since=None if since == 0 else points[since].as_of,
            )
        )
    reasons = []
    for b in blockers:
        when = "at every month" if b.since is None else f"from {b.since} on"
        reasons.append(f"gate '{b.gate}' ({b.label}) fails {when}: {b.reason}")
    if best.total < line:
        gap = _text(line - best.total)
        if fixed:
            reasons.append(
                f"the best projected score is {_text(best.total)} (round {year + best_n}), "
                f"{gap} short of the target"
            )
        else:
            reasons.append(
                f"the closest round is {year + best_n}: {_text(best.total)}, "
                f"{gap} short of its projected line {_text(line)}"
            )
        if falling:
            changes = ", ".join(f"{labels[i]} {worth(i, start)} → {worth(i, end)}" for i in falling)
            reasons.append(f"falling with time: {changes}")
        if rising:
            changes = ", ".join(f"{labels[i]} {worth(i, start)} → {worth(i, end)}" for i in rising)
            reasons.append(f"growing with time: {changes}")
        else:
            reasons.append("nothing the applicant accrues raises the score")
        if falling and end.total < best.total:
            reasons.append(f"after round {year + best_n} the falling indicators outrun accrual")
        if end.capped:
            reasons.append(f"capped by {end.as_of}: " + ", ".join(labels[i] for i in end.capped))
    elif not blockers:
        reasons.append(
            "the score reaches the target only in rounds when the applicant is ineligible"
        )
    return Never(
        best=exact_decimal(best.total),
        best_round=year + best_n,
        gates=blockers,
        falling=falling,
        rising=rising,
        capped=end.capped,
        reasons=reasons,
    )


def _candidates(
    scheme: Scheme, record: dict[str, Any], now: int, last: int
) -> Iterator[tuple[str, str, str | bool | None, str | bool, str, dict[str, Any]]]:
    """Single changes the scheme's own fields allow: another value of an enum field, a bool
    field turned on, a period field not running now started from next month."""
    start = periods.format_month(now + 1)
    personal = roles(scheme).personal  # facts of the person (the ID number fixes them)
    for name, spec in scheme.fields.items():
        if name in personal or spec.holds_for_months is not None:  # a status, not a choice
            continue
        current = record.get(name)
        if kind_of(spec).choices:
            values = spec.values or {}
            was = values.get(current, "—") if isinstance(current, str) else "—"
            for code, label in values.items():
                if code != current:
                    change = f"{spec.label}: {was} → {label}"
                    yield name, "enum", current, code, change, record | {name: code}
        elif kind_of(spec).yes_no and not current:
            change = f"{spec.label}: no → yes"
            yield name, "bool", bool(current), True, change, record | {name: True}
        elif kind_of(spec).spans:
            spans = periods.merge(current or ())
            if any(a <= now <= b for a, b in spans):
                continue
            change = f"{spec.label}: from {start} on"
            added = (*spans, (now + 1, last))
            yield name, "periods", None, f"{start}..", change, record | {name: added}


def _suggestions(
    scheme: Scheme,
    record: dict[str, Any],
    projector: _Projector,
    rounds: list[_Point],
    now: int,
    last: int,
    year: int,
    first: int | None,
) -> list[Suggestion]:
    found: list[tuple[Fraction, int, Suggestion]] = []
    for name, kind, before, after, change, changed in _candidates(scheme, record, now, last):
        moved = continue_as_now(scheme, changed, now, last)
        this_round = projector.at(moved, 0)
        gain = this_round.total - rounds[0].total
        new_first = next(
            (
                n
                for n in range(len(rounds))
                if projector.reached(this_round if n == 0 else projector.at(moved, 12 * n))
            ),
            None,
        )
        sooner = new_first is not None and (first is None or new_first < first)
        if gain <= 0 and not sooner:
            continue
        suggestion = Suggestion(
            field=name,
            label=scheme.fields[name].label,
            kind=kind,
            before=before,
            after=after,
            change=change,
            gain=exact_decimal(gain),
            total=exact_decimal(this_round.total),
            first_round=None if new_first is None else year + new_first,
        )
        order = new_first if new_first is not None else len(rounds)
        found.append((gain, order, suggestion))
    found.sort(key=lambda f: (-f[0], f[1], f[2].field, str(f[2].after)))
    return [s for _, _, s in found]
