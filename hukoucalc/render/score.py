"""The ``score`` command's tables: one scorecard in full, or several side by side."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hukoucalc.engine.points import decimal_text, exact_decimal
from hukoucalc.engine.units import terminates
from hukoucalc.scorecard import SchemeRef, Scorecard, Target


def fixed(value: Decimal | Fraction, places: int) -> str:
    """Points to ``places`` at least, never rounded (a target typed with more digits keeps
    them); a part with no decimal (10/3, an unrounded part) as ≈ to ``places``, half up."""
    if isinstance(value, Fraction):
        if not terminates(value.denominator):
            return "≈" + decimal_text(value, places)
        value = exact_decimal(value)
    shown = max(places, -int(value.as_tuple().exponent))
    return decimal_text(value, shown)  # exact: never fewer places than the value has


def heading(scheme: SchemeRef, applicant: str) -> Panel:
    """The scheme's title, id and hash, and the applicant, boxed: the top of a card or plan."""
    head = Text.assemble(
        (scheme.title, "bold"),
        f"\nscheme {scheme.id} · sha256 {scheme.sha256[:12]}",
        f" · applicant {applicant}",
    )
    return Panel(head, expand=False)


def render_scorecard(card: Scorecard, console: Console) -> None:
    places = card.places
    console.print(heading(card.scheme, card.applicant))
    console.print(_points_table(card, console.width))
    if card.gates:
        console.print(_gates_table(card))
    verdict = "[green]eligible[/]" if card.eligible else "[red]not eligible[/]"
    floor = " (floored)" if card.floored else ""
    console.print(f"[bold]Total {fixed(card.total, places)}[/]{floor} — {verdict}")
    if card.target is not None:
        console.print(target_text(card.target, places))
    else:
        console.print("[dim]No published cut-off or threshold in this scheme to compare with.[/]")


NARROW = 110
"""At this width or less the points table shares it out by ratio, so that an input (a field
name, a period such as 2003-07..2017-12) keeps a line of its own instead of being cut mid-word."""


def _points_table(card: Scorecard, width: int) -> Table:
    places = card.places
    narrow = width <= NARROW
    table = Table(title="Points", title_justify="left", show_lines=False, expand=narrow)
    # narrow: the numbers' columns fixed, the text columns sharing the rest by ratio
    table.add_column("Indicator", overflow="fold", ratio=3 if narrow else None)
    table.add_column("Input used", overflow="fold", max_width=28, ratio=5 if narrow else None)
    table.add_column("Counted", overflow="fold", min_width=10, width=10 if narrow else None)
    table.add_column("Rule · source", overflow="fold", max_width=40, ratio=4 if narrow else None)
    table.add_column(
        "Points · cap", justify="right", min_width=8, max_width=16, width=12 if narrow else None
    )
    in_group = {g.id: g for g in card.groups}
    shown_groups: set[str] = set()
    for line in card.indicators:
        several = len(line.parts) > 1
        cap = ("bit: " if line.capped else "") + (line.cap or "") if line.cap else ""
        for n, part in enumerate(line.parts):
            label = line.label if n == 0 else ""
            if several:
                if n == 0:
                    table.add_row(label, "", "", f"[dim]{line.source}[/]", "")
                label = f"  · {part.label}"
            inputs = "\n".join(f"{k}: {v}" for k, v in part.inputs.items())
            rule = part.rule if several else f"{part.rule}\n[dim]{line.source}[/]"
            points = fixed(part.points, places) if several else fixed(line.points, places)
            table.add_row(
                label, inputs, part.counted or "", rule, _with_cap(points, "" if several else cap)
            )
        if several:
            table.add_row(
                "", "", "", "  = sum of parts", _with_cap(fixed(line.points, places), cap)
            )
        if not line.applies:
            table.add_row("", "", "", "[yellow]condition not met: 0[/]", "")
        group = in_group.get(line.group or "")
        last_member = group is not None and group.members[-1] == line.id
        if group is not None and last_member and group.id not in shown_groups:
            shown_groups.add(group.id)
            how = "best one only" if group.combine == "max" else "sum"
            cap = f"{'bit: ' if group.capped else ''}cap {group.cap}" if group.cap else ""
            table.add_row(
                Text(f"= {group.label}", style="bold"),
                "",
                "",
                how,
                _with_cap(fixed(group.points, places), cap),
            )
            table.add_section()
    return table


def _with_cap(points: str, cap: str) -> str:
    """The points, with the cap that applies to them on a dim line below."""
    return f"{points}\n[dim]{cap}[/]" if cap else points


def _gates_table(card: Scorecard) -> Table:
    gates = Table(title="Eligibility", title_justify="left")
    gates.add_column("Gate")
    gates.add_column("Result")
    gates.add_column("Reason · source", overflow="fold")
    for gate in card.gates:
        mark = "[green]pass[/]" if gate.passed else "[red]FAIL[/]"
        kind = " (一票否决)" if gate.kind == "veto" else ""
        reason = f"{gate.reason} " if gate.reason else ""
        gates.add_row(gate.label + kind, mark, f"{reason}[dim]{gate.source}[/]")
    return gates


def target_text(target: Target, places: int) -> str:
    gap = target.gap
    what = (
        f"{target.year} cut-off {fixed(target.score, places)}"
        if target.kind == "cutoff"
        else f"threshold {fixed(target.score, places)}"
    )
    tag = f" [dim]({target.tag})[/]" if target.tag else ""
    if gap > 0:
        return f"{fixed(target.gap, places)} points short of the {what}{tag}"
    return f"{fixed(-gap, places)} points above the {what}{tag}"


def _total_lines(card: Scorecard) -> dict[str, tuple[str, Decimal]]:
    out = {i.id: (i.label, i.points) for i in card.indicators if i.group is None}
    out.update({g.id: (g.label, g.points) for g in card.groups})
    return out


def render_side_by_side(cards: list[Scorecard], console: Console) -> None:
    table = Table(title="Scores side by side", title_justify="left")
    table.add_column("Indicator")
    for card in cards:
        table.add_column(f"{card.scheme.id}\n[dim]{card.scheme.sha256[:12]}[/]", justify="right")
    # the lines that add up to each total: ungrouped indicators, and groups
    lines = [_total_lines(card) for card in cards]
    labels: dict[str, str] = {}
    for card_lines in lines:
        for ident, (label, _) in card_lines.items():
            labels.setdefault(ident, label)
    for ident, label in labels.items():
        cells = []
        for card, card_lines in zip(cards, lines, strict=True):
            found = card_lines.get(ident)
            cells.append("—" if found is None else fixed(found[1], card.places))
        table.add_row(label, *cells)
    table.add_section()
    table.add_row("[bold]Total[/]", *(f"[bold]{fixed(c.total, c.places)}[/]" for c in cards))
    table.add_row("Eligible", *("[green]yes[/]" if c.eligible else "[red]no[/]" for c in cards))
    table.add_row(
        "Failed gates",
        *(", ".join(g.label for g in c.gates if not g.passed) or "—" for c in cards),
    )
    table.add_row(
        "Target",
        *(target_text(c.target, c.places) if c.target else "—" for c in cards),
    )
    console.print(table)
