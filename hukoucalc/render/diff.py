"""``scheme diff``: the differences of two schemes as one table per section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.engine.units import format_decimal
from hukoucalc.scheme.diff import SECTIONS, SchemeDiff

WIDEST = 100
"""Characters of a whole added or removed table shown in a cell (the JSON has all of it)."""

_MARK = {"added": "[green]+ added[/]", "removed": "[red]− removed[/]", "changed": "~ changed"}


def render_diff(
    diff: SchemeDiff, console: Console, *, a: str | None = None, b: str | None = None
) -> None:
    """Columns headed ``a`` and ``b``: by default the schemes' ids (``A``/``B`` if the same)."""
    same = diff.a == diff.b
    a = a or ("A" if same else diff.a)
    b = b or ("B" if same else diff.b)
    console.print(f"[bold]{escape(diff.a)}[/] → [bold]{escape(diff.b)}[/]")
    if diff.identical:
        console.print("no differences")
        return
    for section, changes in diff.sections().items():
        table = Table(title=SECTIONS.get(section, section), title_justify="left")
        table.add_column("change", no_wrap=True)
        table.add_column("key", overflow="fold")
        table.add_column("label", overflow="fold")
        table.add_column(a, overflow="fold")
        table.add_column(b, overflow="fold")
        for c in changes:
            old = "" if c.kind == "added" else value_text(c.old)
            new = "" if c.kind == "removed" else value_text(c.new)
            table.add_row(_MARK[c.kind], escape(c.key), escape(c.label), escape(old), escape(new))
        console.print(table)
    counts = {kind: sum(c.kind == kind for c in diff.changes) for kind in _MARK}
    console.print(", ".join(f"{n} {kind}" for kind, n in counts.items()))


def value_text(value: Any) -> str:
    """A scheme value as TOML-like text: ``20``, ``2019-12-31``, ``{ below = 46, points = 20 }``."""
    text = _inline(value)
    return text if len(text) <= WIDEST else text[: WIDEST - 1] + "…"


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + " }"
    return str(value)
