"""The ``compare`` tables: the schemes side by side, the movers, the points' sources, the
composition of the admitted, the parameter diffs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.compare.job import Comparison
from hukoucalc.compare.stats import Line, SchemeStats, half_up
from hukoucalc.render.diff import render_diff

SHOWN_IDS = 3


def percent(count: int, whole: int) -> str:
    """``count`` as a percentage of ``whole``, to 0.1, half-up ("—" for nothing)."""
    return f"{half_up(Fraction(100 * count, whole), 1)}%" if whole else "—"


def render_comparison(doc: Comparison, console: Console) -> None:
    ids = [s.id for s in doc.schemes]
    _schemes(doc, ids, console)
    _movers(doc, console)
    _lines(doc, ids, console)
    _composition(doc, ids, console)
    _diffs(doc, console)
    console.print(
        f"[dim]{doc.rows:,} rows read, {doc.invalid:,} invalid (left out under every scheme) · "
        f"input sha256 {doc.input['sha256'][:12]} ({doc.input['encoding']})[/]"
    )
    for what, path in (("movers", doc.movers_file), ("report", doc.report)):
        if path:
            console.print(f"{what} written to {path}")


def _table(title: str, first: str, ids: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for ident in ids:
        table.add_column(ident, justify="right")
    return table


def summary_rows(schemes: list[SchemeStats]) -> list[tuple[str, list[str]]]:
    """The figures of each scheme, as the rows of a side-by-side table (plain text)."""
    s = schemes
    rows: list[tuple[str, list[str]]] = [
        ("selection", [x.selection for x in s]),
        ("quota", [f"{x.quota:,}" if x.quota is not None else "—" for x in s]),
        ("eligible", [f"{x.eligible:,}" for x in s]),
    ]
    if any(x.threshold is not None for x in s):
        rows.append(("at or above the threshold", [f"{x.qualified:,}" for x in s]))
    rows += [
        ("admitted", [f"{x.admitted:,}" for x in s]),
        ("cut-off score", [x.cutoff or "—" for x in s]),
        ("ties at the cut-off", [f"{x.ties_at_cutoff:,}" for x in s]),
        ("mean of the admitted", [x.mean or "—" for x in s]),
    ]
    for k, name in enumerate(("Q1", "median", "Q3")):
        rows.append(
            (f"{name} of the admitted", [x.quartiles[k] if x.quartiles else "—" for x in s])
        )
    rows.append(("highest", [x.highest or "—" for x in s]))
    return rows


def line_table(schemes: list[SchemeStats]) -> list[tuple[str, str, list[Line | None]]]:
    """Every line id of any scheme (id, label, each scheme's line or None), in first-seen order."""
    order: dict[str, str] = {}
    for s in schemes:
        for line in s.lines:
            order.setdefault(line.id, line.label)
    return [
        (ident, label, [next((x for x in s.lines if x.id == ident), None) for s in schemes])
        for ident, label in order.items()
    ]


def _schemes(doc: Comparison, ids: list[str], console: Console) -> None:
    table = _table(f"The pool under each scheme (baseline: {doc.baseline})", "", ids)
    for label, values in summary_rows(doc.schemes):
        table.add_row(label, *values)
    console.print(table)


def _movers(doc: Comparison, console: Console) -> None:
    if not doc.movers:
        return
    table = Table(title=f"Who enters and who leaves, against {doc.baseline}", title_justify="left")
    table.add_column("scheme")
    for name in ("enter", "leave", "admitted under both", "median rank change"):
        table.add_column(name, justify="right")
    for m in doc.movers:
        change = m.median_rank_change or "—"
        if m.median_rank_change is not None and Decimal(m.median_rank_change) > 0:
            change = "+" + change
        table.add_row(m.scheme, f"{m.entering:,}", f"{m.leaving:,}", f"{m.overlap:,}", change)
    console.print(table)
    notes = ["rank change = baseline rank − new rank, over applicants ranked under both"]
    for m in doc.movers:
        for what, ids, count in (
            ("entering", m.entering_ids, m.entering),
            ("leaving", m.leaving_ids, m.leaving),
        ):
            if ids:
                more = " …" if count > SHOWN_IDS else ""
                notes.append(f"{m.scheme}, first {what}: {', '.join(ids[:SHOWN_IDS])}{more}")
    console.print("[dim]" + "\n".join(escape(n) for n in notes) + "[/]")


def _lines(doc: Comparison, ids: list[str], console: Console) -> None:
    table = _table("Share of the admitted's points (mean points)", "line", ids)
    for ident, label, lines in line_table(doc.schemes):
        cells = ["" if x is None else f"{x.share or '—'}% ({x.mean})" for x in lines]
        table.add_row(f"{ident} {label}", *cells)
    console.print(table)


def _composition(doc: Comparison, ids: list[str], console: Console) -> None:
    admitted = [s.admitted for s in doc.schemes]
    for dim in doc.composition:
        table = _table(f"The admitted by {dim.label}", dim.id, ids)
        for cat in dim.categories:
            if not any(cat.counts):
                continue
            cells = [f"{n:,} ({percent(n, a)})" for n, a in zip(cat.counts, admitted, strict=True)]
            code = "" if dim.kind == "age" else f"{cat.code} "
            table.add_row(f"{code}{cat.label}", *cells)
        console.print(table)


def _diffs(doc: Comparison, console: Console) -> None:
    for diff in doc.diffs:
        console.print()
        render_diff(diff, console)
