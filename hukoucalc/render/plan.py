"""The ``plan`` command's output: a chart of the projected score by round with the target line,
the first round reaching it (or why none does), and the suggestions."""

from __future__ import annotations

from fractions import Fraction

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.errors import Options, option, word_options
from hukoucalc.planning import Plan, PlanTarget, Suggestion
from hukoucalc.render.score import fixed, heading

BAR = 40
PER_FIELD = 2
SHOWN_SUGGESTIONS = 10


def render_plan(plan: Plan, console: Console, *, options: Options | None = None) -> None:
    places = plan.places
    console.print(heading(plan.scheme, plan.applicant))
    target = fixed(plan.target.score, places)
    kind = target_kind(plan.target, options)
    trend = plan.target.trend
    if trend is None:
        console.print(
            f"Target {target} ({kind}). Projected as if every period open at "
            f"the cut-off {plan.as_of} keeps running, up to {plan.until}."
        )
    else:
        console.print(
            f"Target: {kind}, {target} in {plan.rounds[0].year}. Projected as if every period "
            f"open at the cut-off {plan.as_of} keeps running, up to {plan.until}."
        )
        for line in trend_lines(plan):
            console.print(f"  · {escape(line)}")
    for line in assumption_lines(plan):
        console.print(f"  · {escape(line)}")
    console.print(chart(plan))
    if plan.first_round is not None:
        first = next(r for r in plan.rounds if r.year == plan.first_round)
        reaching = target if trend is None else f"its line {fixed(first.target, places)}"
        console.print(
            f"[bold green]First round reaching {reaching}: {plan.first_round}[/] "
            f"(projected {fixed(first.total, places)}, months counted to {first.as_of})."
        )
    else:
        last = plan.rounds[-1]
        line = target if trend is None else "its projected line"
        console.print(
            f"[bold red]No round up to {last.year} (months counted to {last.as_of}) "
            f"reaches {line}.[/]"
        )
    if plan.first_month is not None:
        console.print(
            f"Month by month, the target is first reached at the cut-off {plan.first_month}."
        )
    if plan.never is not None:
        for reason in plan.never.reasons:
            console.print(f"  · {escape(reason)}")
    console.print(suggestions_table(plan, options))


def target_kind(target: PlanTarget, options: Options | None = None) -> str:
    """Where the target comes from; a given one by the caller's name of ``target``."""
    if target.trend is not None:
        return f"the cut-off trend of the last {target.trend.n} rounds"
    if target.kind == "cutoff":
        return f"the {target.year} cut-off"
    return (
        "the threshold" if target.kind == "threshold" else word_options(option("target"), options)
    )


def assumption_lines(plan: Plan) -> list[str]:
    """The applicant's values time does not move: the lapsing ones, then the unchanged ones."""
    lines = [
        f"lapses as the scheme says: {a.label} {a.shown} for {a.holds_for_months} months, "
        f"{a.after} from the cut-off {a.lapses} on"
        for a in plan.assumptions
        if a.holds_for_months is not None
    ]
    kept = [f"{a.label} ({a.shown})" for a in plan.assumptions if a.holds_for_months is None]
    if kept:
        lines.append("assumed unchanged in every round: " + ", ".join(kept))
    return lines


def trend_lines(plan: Plan) -> list[str]:
    """How the trend was fitted, in words: the series, the line, the notes of its values."""
    trend = plan.target.trend
    assert trend is not None
    series = ", ".join(f"{y} {s}" for y, s in zip(trend.years, trend.scores, strict=True))
    lines = [
        f"least squares over the last {trend.n} published cut-offs ({series}): "
        f"line = {trend.intercept} + {trend.slope} × (year − {trend.origin}), "
        f"each round's rounded half-up to {plan.places} places"
    ]
    lines += [f"the {n.year} cut-off {n.score} is used as given: {n.note}" for n in trend.notes]
    return lines


def chart(plan: Plan) -> Table:
    """Score by round as bars, the target as a vertical line (│) across them (a trend: each
    round's projected line, in its own column too)."""
    trend = plan.target.trend is not None
    targets = [Fraction(r.target) for r in plan.rounds]
    top = max([*targets, *(Fraction(r.total) for r in plan.rounds)])
    scale = top if top > 0 else Fraction(1)
    title = "Projected score and cut-off line by round" if trend else "Projected score by round"
    table = Table(title=title, title_justify="left", box=None)
    table.add_column("round", justify="right")
    table.add_column("score", justify="right")
    if trend:
        table.add_column("line", justify="right")
        table.add_column("score █, line │", no_wrap=True)
    else:
        table.add_column(f"target {fixed(plan.target.score, plan.places)} = │", no_wrap=True)
    table.add_column("")
    for r, target in zip(plan.rounds, targets, strict=True):
        mark = _column(target, scale)
        length = _column(Fraction(r.total), scale)
        cells = ["█" if i < length else " " for i in range(BAR + 1)]
        if 0 <= mark <= BAR:
            cells[mark] = "│"
        if r.reached:
            status = "[green]reached[/]"
        elif not r.eligible:
            status = "[yellow]not eligible: " + escape(", ".join(r.failed_gates)) + "[/]"
        else:
            status = ""
        line = [fixed(r.target, plan.places)] if trend else []
        table.add_row(str(r.year), fixed(r.total, plan.places), *line, "".join(cells), status)
    return table


def _column(value: Fraction, scale: Fraction) -> int:
    return max(0, int(value * BAR / scale))


def _best_per_field(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The ranked suggestions, keeping the first PER_FIELD of each field (its best values), so
    that one field's many values do not crowd out the others."""
    taken: dict[str, int] = {}
    kept = []
    for suggestion in suggestions:
        taken[suggestion.field] = taken.get(suggestion.field, 0) + 1
        if taken[suggestion.field] <= PER_FIELD:
            kept.append(suggestion)
    return kept


def suggestions_table(plan: Plan, options: Options | None = None) -> Table | str:
    if not plan.suggestions:
        return "No single change of the scheme's fields adds points or brings the round forward."
    shown = _best_per_field(plan.suggestions)[:SHOWN_SUGGESTIONS]
    more = len(plan.suggestions) - len(shown)
    note = f" ({more} more with {word_options(option('json'), options)})" if more > 0 else ""
    table = Table(
        title=f"Single changes (at most {PER_FIELD} a field), by points gained{note}",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("change", overflow="fold")
    table.add_column(f"points in {plan.scheme.year}", justify="right")
    table.add_column("first round", justify="right")
    for n, s in enumerate(shown, start=1):
        first = str(s.first_round) if s.first_round is not None else "never"
        if s.first_round is not None and s.first_round != plan.first_round:
            first = f"[bold]{first}[/]"
        table.add_row(str(n), escape(s.change), f"+{fixed(s.gain, plan.places)}", first)
    return table
