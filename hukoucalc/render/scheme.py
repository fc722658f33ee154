"""``scheme list`` and ``scheme show``: a scheme file as readable tables."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hukoucalc.describe import condition_text, rule_text, value_text
from hukoucalc.engine.points import decimal_text
from hukoucalc.kinds import KINDS
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scheme.model import Cutoff, Scheme, Selection


def render_list(
    loaded: list[LoadedScheme], console: Console, aliases: dict[str, str] | None = None
) -> None:
    """The schemes; then each one's round with its dates and, once published, the round's
    cut-off; then the bare city names that stand for a latest round."""
    table = Table(title="Bundled schemes", title_justify="left")
    for column in ("id", "city", "year"):
        table.add_column(column, no_wrap=True)
    table.add_column("selection")
    table.add_column("title", overflow="fold", min_width=16)
    for s in loaded:
        meta, sel = s.scheme.scheme, s.scheme.selection
        table.add_row(
            escape(s.id), escape(meta.city), str(meta.year), _selection(sel), escape(meta.title)
        )
    console.print(table)
    rounds = Table(title="Rounds: dates and published cut-off", title_justify="left")
    for column in ("id", "round", "as of", "age on", "cut-off", "admitted"):
        rounds.add_column(column, no_wrap=True)
    for s in loaded:
        cut = round_cutoff(s.scheme)
        age_on = s.scheme.dates.get("age_on")
        rounds.add_row(
            escape(s.id),
            str(s.scheme.scheme.year),
            s.scheme.dates["as_of"].isoformat(),
            age_on.isoformat() if age_on else "—",
            "—" if cut is None else decimal_text(cut.score) + (f" {cut.tag}" if cut.tag else ""),
            "" if cut is None or cut.admitted is None else f"{cut.admitted:,}",
        )
    console.print(rounds)
    for alias, name in (aliases or {}).items():
        console.print(f"[dim]{escape(alias)} = {escape(name)} (the latest round)[/]")


def round_cutoff(s: Scheme) -> Cutoff | None:
    """The published cut-off of the scheme's own round, if there is one yet."""
    return next((c for c in s.cutoffs if c.year == s.scheme.year), None)


def _fields(s: Scheme) -> Table:
    """What an applicant gives: each field with its type, whether it is required (else its
    default), and its allowed values or bounds."""
    table = _table("Fields (an applicant's keys, a batch's columns)", "field", "type", "values")
    for name, spec in s.fields.items():
        kind = KINDS[spec.type]
        if spec.required:
            need = "required"
        elif spec.default is None and not kind.yes_no:
            need = "optional"
        else:  # a bool not given is false
            need = f"default {_shown(False if spec.default is None else spec.default)}"
        allowed = [f"{code} = {label}" for code, label in (spec.values or {}).items()]
        low, high = (None if b is None else decimal_text(b) for b in (spec.min, spec.max))
        if low is not None or high is not None:
            allowed.append(
                f"{low} to {high}" if low and high else f"≥ {low}" if low else f"≤ {high}"
            )
        shown = f"{kind.display(spec)}\n[dim]{need}[/]"
        table.add_row(_name(name, spec.label), shown, escape("\n".join(allowed)))
    return table


def _shown(default: object) -> str:
    """A field's default as a user writes it."""
    if isinstance(default, bool):
        return str(default).lower()
    return decimal_text(default) if isinstance(default, Decimal) else str(default)


def _selection(sel: Selection) -> str:
    """The mode in words with its parameters: "quota 6,000", "threshold 120", "threshold 110,
    quota 4,694", "threshold 60 then keys, quota 4,500"."""
    words = []
    if sel.threshold is not None:
        words.append(f"threshold {decimal_text(sel.threshold)}")
        if sel.mode == "threshold_then_keys":
            words[-1] += " then keys"
    if sel.quota is not None:
        words.append(f"quota {sel.quota:,}")
    return ", ".join(words) or sel.mode


def _provenance(source: str, tag: str | None, note: str | None) -> Text:
    """A line's source, its confidence tag (anything short of official flagged) and its note."""
    text = Text(source, style="dim")
    if tag:
        text.append(f"  [{tag}]", style="yellow" if tag in ("V-3P", "MEM") else "green")
    if note:
        text.append(f"\n{note}")
    return text


def _name(id_: str, label: str, extra: str = "") -> str:
    """A line's label, its id below it (dim); scheme text is never read as markup."""
    return f"{escape(label)}\n[dim]{escape(id_ + extra)}[/]"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    for i, column in enumerate(columns):
        table.add_column(column, overflow="fold", ratio=(2 if i == len(columns) - 1 else 1))
    return table


def _groups_and_gates(s: Scheme, console: Console) -> None:
    if s.groups:
        groups = _table("Groups", "group", "combine", "source, note")
        for g in s.groups:
            how = g.combine + (f", cap {value_text(g.cap)}" if g.cap is not None else "")
            groups.add_row(_name(g.id, g.label), escape(how), _provenance(g.source, None, g.note))
        console.print(groups)
    if s.gates:
        gates = _table("Eligibility gates", "gate", "requires", "source, confidence, note")
        for gate in s.gates:
            gates.add_row(
                _name(gate.id, gate.label, f" · {gate.kind}"),
                escape(condition_text(gate.require)),
                _provenance(gate.source, gate.confidence, gate.note),
            )
        console.print(gates)


def render_scheme(loaded: LoadedScheme, console: Console) -> None:
    s = loaded.scheme
    meta = s.scheme
    console.print(
        f"[bold]{escape(meta.title)}[/]  ({escape(loaded.id)}, sha256 {loaded.sha256[:12]})"
    )
    console.print(escape(f"{meta.city} · round {meta.year} · from {loaded.origin}"))
    if meta.urban_population is not None:
        pop = meta.urban_population
        line = f"urban population {pop.value:,} ({pop.year}, {pop.source})"
        console.print(escape(line + (f" — {pop.note}" if pop.note else "")))
    if meta.confidence:
        console.print(f"[yellow]doubts:[/] {escape(meta.confidence)}")
    dates = Table(title="Dates", title_justify="left")
    dates.add_column("name")
    dates.add_column("date")
    for name, day in s.dates.items():
        dates.add_row(name, str(day))
    console.print(dates)
    console.print(_fields(s))

    ind = _table("Indicators", "indicator", "rule", "source, confidence, note")
    for i in s.indicators:
        rules = "\n".join(
            (f"{p.label}: " if i.parts else "")
            + rule_text(s, p.rule, p.measure)
            + (f" (round {p.round.places} {p.round.mode})" if p.round else "")
            for p in i.all_parts()
        )
        if i.when is not None:
            rules += f"\nonly if {condition_text(i.when)}"
        for word, bound in (("cap", i.cap), ("floor", i.floor)):
            if bound is not None:
                rules += f"\n{word} {value_text(bound)}"
        if i.round is not None:
            rules += f"\nround {i.round.places} {i.round.mode}"
        group = f" · group {i.group}" if i.group else ""
        ind.add_row(
            _name(i.id, i.label, f" · {i.category}{group}"),
            escape(rules),
            _provenance(i.source, i.confidence, i.note),
        )
    console.print(ind)
    _groups_and_gates(s, console)
    sel = s.selection
    details = _selection(sel)
    if sel.keys:
        details += "; keys: " + ", ".join(f"{k.measure} ({k.order})" for k in sel.keys)
    console.print(f"[bold]Selection[/]: {escape(details)}  [dim]{escape(sel.source)}[/]")
    if sel.note:
        console.print(Text(sel.note))
    if s.total.floor is not None:
        console.print(f"Total floored at {decimal_text(s.total.floor)}")
    for cut in sorted(s.cutoffs, key=lambda c: c.year):
        admitted = f", {cut.admitted:,} admitted" if cut.admitted else ""
        where = "[dim]" + escape(f"{cut.source} {cut.tag or ''}") + "[/]"
        note = escape(f" — {cut.note}") if cut.note else ""
        console.print(f"Cut-off {cut.year}: {decimal_text(cut.score)}{admitted} {where}{note}")
