"""The ``rank`` summary: counts, cut-off, ties, and a histogram with the cut-off marked."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.engine.points import plain
from hukoucalc.ranking import RankSummary
from hukoucalc.textfile import visible

BAR = 40


def render_summary(summary: RankSummary, console: Console) -> None:
    table = Table(
        title=f"Ranking under {summary.scheme['id']}", title_justify="left", show_header=False
    )
    table.add_column("")
    table.add_column("", justify="right")
    quota = f"{summary.quota:,}" if summary.quota is not None else "—"
    rows = [
        ("rows read", f"{summary.rows:,}"),
        (
            "invalid" + (" (see the errors file)" if summary.errors and summary.invalid else ""),
            f"{summary.invalid:,}",
        ),
        *_breakdown(summary.invalid_by_reason),
        ("ineligible", f"{summary.ineligible:,}"),
        *_breakdown({f"fails {g}": n for g, n in summary.ineligible_by_gate.items() if n}),
        ("eligible", f"{summary.eligible:,}"),
    ]
    if summary.threshold is not None:
        rows.append(
            (f"at or above the threshold {plain(summary.threshold)}", f"{summary.qualified:,}")
        )
    rows += [
        ("quota", quota),
        ("admitted", f"[bold]{summary.admitted:,}[/]"),
        (
            "cut-off score (lowest admitted)",
            "—" if summary.cutoff is None else plain(summary.cutoff),
        ),
        ("admitted at the last place (ties)", f"{summary.ties_at_cutoff:,}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    if summary.rows == 0:
        console.print("[yellow]No applications in the file[/]: nothing to rank.")
    if summary.histogram:
        most = max(b.count for b in summary.histogram) or 1
        hist = Table(title="Eligible applicants by total", title_justify="left", box=None)
        hist.add_column("total", justify="right")
        hist.add_column("count", justify="right")
        hist.add_column("")
        for b in summary.histogram:
            bar = "█" * max(1 if b.count else 0, round(b.count * BAR / most))
            mark = " ◀ cut-off" if b.cutoff else ""
            hist.add_row(
                f"{plain(b.low)}–<{plain(b.high)}", f"{b.count:,}", f"{bar}[bold]{mark}[/]"
            )
        console.print(hist)
    if summary.carried:
        console.print(
            "carried into the list, not scored: " + escape(visible(", ".join(summary.carried)))
        )
    provenance = (
        f"scheme sha256 {summary.scheme['sha256'][:12]} · input sha256 "
        f"{summary.input['sha256'][:12]} ({summary.input['encoding']})"
    )
    footer(
        console,
        provenance,
        [
            ("ranked list", summary.output),
            ("bad rows", summary.errors),
            ("public list", summary.publish),
        ],
    )


SHOWN = 8  # reasons listed under a count; the rest summed


def _breakdown(counts: dict[str, int]) -> list[tuple[str, str]]:
    """Indented lines under a count: the first reasons, the rest summed (--json has them all)."""
    items = sorted(counts.items(), key=lambda item: -item[1])
    lines = [(f"  [dim]{escape(what)}[/]", f"[dim]{n:,}[/]") for what, n in items[:SHOWN]]
    if len(items) > SHOWN:
        rest = sum(n for _, n in items[SHOWN:])
        lines.append((f"  [dim]{len(items) - SHOWN} other reasons[/]", f"[dim]{rest:,}[/]"))
    return lines


def footer(console: Console, provenance: str, outputs: list[tuple[str, str | None]]) -> None:
    """The end of a batch command's output: where the figures come from (dim), then each file
    written."""
    console.print(f"[dim]{escape(provenance)}[/]")
    for what, path in outputs:
        if path:
            console.print(f"{what} written to {escape(path)}")
