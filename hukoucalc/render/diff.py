"""``scheme diff``: the differences of two schemes as one table per section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.describe import plural
from hukoucalc.engine.points import decimal_text
from hukoucalc.scheme.diff import SECTIONS, SchemeDiff

WIDEST = 100
"""Characters of a whole added or removed table shown in a cell (the JSON has all of it)."""

WIDEST_CELL = 60
"""The same in the terminal, where four columns share the width (or the console's width if
wider)."""

_MARK = {"added": "[green]+[/]", "removed": "[red]−[/]", "changed": "[yellow]~[/]"}


def render_diff(
    diff: SchemeDiff,
    console: Console,
    *,
    a: str | None = None,
    b: str | None = None,
    provenance: bool = False,
    again: str | None = None,
) -> None:
    """Columns headed ``a`` and ``b``: by default the schemes' ids (``A``/``B`` if the same).

    One row per parameter: a mark (``+`` added, ``−`` removed, ``~`` changed), the key with the
    label of what it belongs to below it (once for consecutive rows of the same item), the values.
    Changes of sources, notes and labels are counted, and listed only with ``provenance``;
    ``again`` is the command that lists them (the caller words it: the CLI with its options).
    """
    same = diff.a == diff.b
    a = a or ("A" if same else diff.a)
    b = b or ("B" if same else diff.b)
    console.print(f"[bold]{escape(diff.a)}[/] → [bold]{escape(diff.b)}[/]")
    if diff.identical:
        console.print("no differences")
        return
    for section, changes in diff.sections(provenance=provenance).items():
        table = Table(title=SECTIONS.get(section, section), title_justify="left")
        table.add_column("", no_wrap=True)
        table.add_column("parameter", overflow="fold", ratio=2)
        table.add_column(a, overflow="fold", ratio=2)
        table.add_column(b, overflow="fold", ratio=2)
        shown, widest = "", max(WIDEST_CELL, console.width)
        for c in changes:
            old = "" if c.kind == "added" else value_text(_body(c.old), widest)
            new = "" if c.kind == "removed" else value_text(_body(c.new), widest)
            where = escape(c.key)
            if c.label and c.label != shown:
                where += f"\n[dim]{escape(c.label)}[/]"
            shown = c.label
            table.add_row(_MARK[c.kind], where, escape(old), escape(new))
        console.print(table)
    listed = [c for c in diff.changes if provenance or not c.provenance]
    counts = {kind: sum(c.kind == kind for c in listed) for kind in _MARK}
    tally = ", ".join(f"{n} {kind} ({_MARK[kind]})" for kind, n in counts.items())
    if not listed:
        tally = "the rules are the same"
    hidden = len(diff.changes) - len(listed)
    if hidden:
        tally += f"; and {plural(hidden, 'change')} of sources, notes and labels"
        tally += f" ({escape(again)} lists them)" if again else " (not listed)"
    console.print(tally)


def _body(value: Any) -> Any:
    """A whole item without its ``id`` and ``label``: the key and the label column show them."""
    if isinstance(value, dict) and "id" in value:
        return {k: v for k, v in value.items() if k not in ("id", "label")}
    return value


def value_text(value: Any, widest: int = WIDEST) -> str:
    """A scheme value as TOML-like text: ``20``, ``2019-12-31``, ``{ below = 46, points = 20 }``,
    cut to ``widest`` characters."""
    text = _inline(value)
    return text if len(text) <= widest else text[: widest - 1] + "…"


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + " }"
    return str(value)
