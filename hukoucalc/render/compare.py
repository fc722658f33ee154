"""The ``compare`` tables: the schemes side by side, the movers, the points' sources, the
composition of the admitted, the parameter diffs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.compare.composition import Dimension
from hukoucalc.compare.job import Comparison
from hukoucalc.compare.stats import Line, SchemeStats, half_up
from hukoucalc.describe import plural
from hukoucalc.engine.points import plain
from hukoucalc.errors import Options, option, word_options
from hukoucalc.render.diff import render_diff
from hukoucalc.render.rank import footer

SHOWN_IDS = 3
SHOWN_DIMENSIONS = 4  # composition tables in the terminal (all of them in JSON and the report)
SHOWN_CATEGORIES = 8  # rows of one composition table in the terminal


def percent(count: int, whole: int) -> str:
    """``count`` as a percentage of ``whole``, to 0.1, half-up ("—" for nothing, "<0.1%" for
    a few that round to nothing)."""
    if not whole:
        return "—"
    shown = half_up(Fraction(100 * count, whole), 1)
    return "<0.1%" if count and shown == 0 else f"{plain(shown)}%"


def signed(change: Decimal | None) -> str:
    """A median rank change with its sign ("+3": a better place), "—" for none."""
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + plain(change)


def _shown(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)


def most_informative(dimensions: list[Dimension]) -> list[Dimension]:
    """The composition dimensions, those that tell the schemes apart most first (stable)."""
    return sorted(dimensions, key=lambda d: -d.spread)


def share_cell(line: Line | None) -> str:
    """A line's share of the admitted's points and its mean ("" where the scheme lacks it)."""
    if line is None:
        return ""
    share = "—" if line.share is None else f"{plain(line.share)}%"
    return f"{share} ({plain(line.mean)})"


def render_comparison(doc: Comparison, console: Console, *, options: Options | None = None) -> None:
    """The comparison as tables; ``options`` words the ways to see more (the CLI's options)."""
    ids = [s.id for s in doc.schemes]
    _schemes(doc, ids, console)
    _movers(doc, console)
    _lines(doc, ids, console)
    _composition(doc, ids, console, options)
    _diffs(doc, console, options)
    provenance = (
        f"{doc.rows:,} rows read, {doc.invalid:,} invalid (left out under every scheme) · "
        f"input sha256 {doc.input['sha256'][:12]} ({doc.input['encoding']})"
    )
    footer(console, provenance, [("movers", doc.movers_file), ("report", doc.report)])


def _table(title: str, first: str, ids: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for ident in ids:  # a long id folds rather than losing the end that tells drafts apart
        table.add_column(ident, justify="right", overflow="fold")
    return table


def summary_rows(schemes: list[SchemeStats]) -> list[tuple[str, list[str]]]:
    """The figures of each scheme, as the rows of a side-by-side table (plain text)."""
    s = schemes
    rows: list[tuple[str, list[str]]] = []
    if len({x.as_of for x in s}) > 1:
        rows.append(("reference date (as_of)", [x.as_of for x in s]))
    rows += [
        ("selection", [x.selection for x in s]),
        ("quota", [f"{x.quota:,}" if x.quota is not None else "—" for x in s]),
        ("eligible", [f"{x.eligible:,}" for x in s]),
    ]
    if any(x.excluded_by for x in s):
        rows.append(("most failed gate", [_most_failed(x) for x in s]))
    if any(x.threshold is not None for x in s):
        rows.append(("at or above the threshold", [f"{x.qualified:,}" for x in s]))
    rows += [
        ("admitted", [f"{x.admitted:,}" for x in s]),
        ("cut-off score", [_shown(x.cutoff) for x in s]),
        ("ties at the cut-off", [f"{x.ties_at_cutoff:,}" for x in s]),
        ("mean of the admitted", [_shown(x.mean) for x in s]),
    ]
    for k, name in enumerate(("Q1", "median", "Q3")):
        rows.append(
            (f"{name} of the admitted", [plain(x.quartiles[k]) if x.quartiles else "—" for x in s])
        )
    rows.append(("highest", [_shown(x.highest) for x in s]))
    return rows


def _most_failed(stats: SchemeStats) -> str:
    if not stats.excluded_by:
        return "—"
    first = stats.excluded_by[0]
    return f"{first.reason} ({first.failing:,})"


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
    note = rounds_note(doc.schemes)
    if note:
        console.print(f"[yellow]{escape(note)}[/]")


def rounds_note(schemes: list[SchemeStats]) -> str | None:
    """A warning when the schemes count on different dates (different application rounds)."""
    if len({x.as_of for x in schemes}) < 2:
        return None
    return (
        "The schemes count on different dates (as_of): a pool made for one round may fail "
        "another's continuity gates (see 'most failed gate'). Drafts of one round share its dates."
    )


def _movers(doc: Comparison, console: Console) -> None:
    if not doc.movers:
        return
    table = Table(title=f"Who enters and who leaves, against {doc.baseline}", title_justify="left")
    table.add_column("scheme", overflow="fold")
    for name in ("enter", "leave", "admitted under both", "median rank change"):
        table.add_column(name, justify="right")
    for m in doc.movers:
        counts = (f"{m.entering:,}", f"{m.leaving:,}", f"{m.overlap:,}")
        table.add_row(m.scheme, *counts, signed(m.median_rank_change))
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
        table.add_row(f"{ident} {label}", *(share_cell(x) for x in lines))
    console.print(table)


def _composition(
    doc: Comparison, ids: list[str], console: Console, options: Options | None
) -> None:
    """The dimensions that tell the schemes apart most, each with its most common categories;
    the rest are named in a note (all of them are in the JSON document and the report)."""
    admitted = [s.admitted for s in doc.schemes]
    ordered = most_informative(doc.composition)
    for dim in ordered[:SHOWN_DIMENSIONS]:
        spread = plural(dim.spread, "point")
        title = f"The admitted by {dim.label} (shares differ by up to {spread})"
        table = _table(title, dim.id, ids)
        present = [c for c in dim.categories if any(c.counts)]
        shown = sorted(present, key=lambda c: -sum(c.counts))[:SHOWN_CATEGORIES]
        for cat in (c for c in present if c in shown):  # in the scheme's own order
            cells = [f"{n:,} ({percent(n, a)})" for n, a in zip(cat.counts, admitted, strict=True)]
            code = "" if dim.kind == "age" else f"{cat.code} "
            table.add_row(f"{code}{cat.label}", *cells)
        if len(present) > len(shown):
            table.add_row(f"[dim]… {len(present) - len(shown)} smaller categories[/]")
        console.print(table)
    rest = ordered[SHOWN_DIMENSIONS:]
    if rest:
        names = ", ".join(f"{d.id} {plain(d.spread)}" for d in rest)
        console.print(
            escape(f"Not shown (shares differ by up to, in points): {names}. ")
            + word_options(
                f"Every dimension and category is in {option('json')} and {option('report')}.",
                options,
            )
        )


def _diffs(doc: Comparison, console: Console, options: Options | None) -> None:
    again = word_options(f"`hukoucalc scheme diff {option('all')} A B`", options)
    for diff in doc.diffs:
        console.print()
        render_diff(diff, console, again=again)
