"""``scheme list`` and ``scheme show``: a scheme file as readable tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from hukoucalc.describe import condition_text, rule_text, value_text
from hukoucalc.engine.units import format_decimal
from hukoucalc.scheme.load import LoadedScheme


def render_list(loaded: list[LoadedScheme], console: Console) -> None:
    table = Table(title="Bundled schemes", title_justify="left")
    for column in ("id", "city", "year", "selection", "title"):
        table.add_column(column, overflow="fold")
    for s in loaded:
        meta, sel = s.scheme.scheme, s.scheme.selection
        how = sel.mode + (f" {sel.quota}" if sel.quota is not None else "")
        how += f" ≥{format_decimal(sel.threshold)}" if sel.threshold is not None else ""
        table.add_row(s.id, meta.city, str(meta.year), how, meta.title)
    console.print(table)


def render_scheme(loaded: LoadedScheme, console: Console) -> None:
    s = loaded.scheme
    meta = s.scheme
    console.print(f"[bold]{meta.title}[/]  ({loaded.id}, sha256 {loaded.sha256[:12]})")
    console.print(f"{meta.city} · round {meta.year} · from {loaded.origin}")
    if meta.urban_population is not None:
        pop = meta.urban_population
        console.print(f"urban population {pop.value:,} ({pop.year}, {pop.source})")
    if meta.confidence:
        console.print(f"[yellow]doubts:[/] {meta.confidence}")
    dates = Table(title="Dates", title_justify="left")
    dates.add_column("name")
    dates.add_column("date")
    for name, day in s.dates.items():
        dates.add_row(name, str(day))
    console.print(dates)

    ind = Table(title="Indicators", title_justify="left")
    for column in ("id", "label", "rule", "cap / floor", "group", "source"):
        ind.add_column(column, overflow="fold")
    for i in s.indicators:
        rules = "\n".join(
            (f"{p.label}: " if i.parts else "")
            + rule_text(s, p.rule, p.measure)
            + (f" (round {p.round.places} {p.round.mode})" if p.round else "")
            for p in i.all_parts()
        )
        if i.when is not None:
            rules += f"\nonly if {condition_text(i.when)}"
        bounds = " / ".join(x for x in (value_text(i.cap), value_text(i.floor)) if x)
        ind.add_row(i.id, i.label, rules, bounds, i.group or "", i.source)
    console.print(ind)
    if s.groups:
        groups = Table(title="Groups", title_justify="left")
        for column in ("id", "label", "combine", "cap", "source"):
            groups.add_column(column, overflow="fold")
        for g in s.groups:
            groups.add_row(g.id, g.label, g.combine, value_text(g.cap), g.source)
        console.print(groups)
    if s.gates:
        gates = Table(title="Eligibility gates", title_justify="left")
        for column in ("id", "label", "requires", "kind", "source"):
            gates.add_column(column, overflow="fold")
        for gate in s.gates:
            gates.add_row(gate.id, gate.label, condition_text(gate.require), gate.kind, gate.source)
        console.print(gates)
    sel = s.selection
    line = f"[bold]Selection[/]: {sel.mode}"
    if sel.quota is not None:
        line += f", quota {sel.quota:,}"
    if sel.threshold is not None:
        line += f", threshold {format_decimal(sel.threshold)}"
    if sel.keys:
        line += ", then by " + ", ".join(f"{k.measure} ({k.order})" for k in sel.keys)
    console.print(line + f"  [dim]{sel.source}[/]")
    if s.total.floor is not None:
        console.print(f"Total floored at {format_decimal(s.total.floor)}")
    for cut in sorted(s.cutoffs, key=lambda c: c.year):
        admitted = f", {cut.admitted:,} admitted" if cut.admitted else ""
        where = f"[dim]{cut.source} {cut.tag or ''}[/]"
        console.print(f"Cut-off {cut.year}: {format_decimal(cut.score)}{admitted} {where}")
