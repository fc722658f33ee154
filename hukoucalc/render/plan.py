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
    console.print(
        f"Target {target} ({kind}). Projected as if every period open at "
        f"the cut-off {plan.as_of} keeps running, up to {plan.until}."
    )
    console.print(chart(plan))
    if plan.first_round is not None:
        first = next(r for r in plan.rounds if r.year == plan.first_round)
        console.print(
            f"[bold green]First round reaching {target}: {plan.first_round}[/] "
            f"(projected {fixed(first.total, places)}, months counted to {first.as_of})."
        )
    else:
        last = plan.rounds[-1]
        console.print(
            f"[bold red]No round up to {last.year} (months counted to {last.as_of}) "
            f"reaches {target}.[/]"
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
    if target.kind == "cutoff":
        return f"the {target.year} cut-off"
    return (
        "the threshold" if target.kind == "threshold" else word_options(option("target"), options)
    )


def chart(plan: Plan) -> Table:
    """Score by round as bars, the target as a vertical line (│) across them."""
    target = Fraction(plan.target.score)
    top = max([target, *(Fraction(r.total) for r in plan.rounds)])
    scale = top if top > 0 else Fraction(1)
    mark = _column(target, scale)
    table = Table(title="Projected score by round", title_justify="left", box=None)
    table.add_column("round", justify="right")
    table.add_column("score", justify="right")
    table.add_column(f"target {fixed(plan.target.score, plan.places)} = │", no_wrap=True)
    table.add_column("")
    for r in plan.rounds:
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
        table.add_row(str(r.year), fixed(r.total, plan.places), "".join(cells), status)
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
