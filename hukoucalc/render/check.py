"""``scheme check``: findings as a table per scheme, a verdict line, and the JSON document."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hukoucalc.describe import plural
from hukoucalc.policy import Finding, SizeClass, class_of
from hukoucalc.policy.finding import SEVERITIES
from hukoucalc.scheme.load import LoadedScheme

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def counts(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


def passed(findings: list[Finding]) -> bool:
    return not any(f.severity == "error" for f in findings)


def class_text(loaded: LoadedScheme, cls: SizeClass | None) -> str:
    population = loaded.scheme.scheme.urban_population
    if cls is None or population is None:
        return "size class unknown (no urban population)"
    return f"size class {cls.name}: 城区常住人口 {population.value:,} ({population.year})"


def render_check(loaded: LoadedScheme, findings: list[Finding], console: Console) -> None:
    """One row per finding: its severity, then its code and key over the message, so that the
    message keeps most of the width (keys are long: ``indicators[housing].parts[own].rule``)."""
    if findings:
        table = Table(title=f"{loaded.id} ({loaded.origin})", title_justify="left", show_lines=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("code · key / message", overflow="fold")
        for f in findings:
            style = _STYLE[f.severity]
            table.add_row(
                f"[{style}]{f.severity}[/]",
                f"[bold]{f.code}[/] · {escape(f.key)}\n{escape(f.message)}",
            )
        console.print(table)
    console.print(verdict_line(loaded, findings))


def verdict_line(loaded: LoadedScheme, findings: list[Finding]) -> str:
    """``beijing-2018: passes (0 errors, 1 warning, 3 info)``, then the size class below it: the
    words of the table's severity column and of the JSON document."""
    n = counts(findings)
    verdict = "[green]passes[/]" if passed(findings) else "[bold red]fails[/]"
    tally = f"{plural(n['error'], 'error')}, {plural(n['warning'], 'warning')}, {n['info']} info"
    return (
        f"{escape(loaded.id)}: {verdict} ({tally})\n"
        f"  {escape(class_text(loaded, class_of(loaded.scheme)))}"
    )


def check_document(loaded: LoadedScheme, findings: list[Finding]) -> dict[str, Any]:
    """One scheme's entry in the JSON list (documented in docs/schemes.md)."""
    cls = class_of(loaded.scheme)
    population = loaded.scheme.scheme.urban_population
    return {
        "scheme": loaded.id,
        "origin": loaded.origin,
        "sha256": loaded.sha256,
        "size_class": None
        if cls is None or population is None
        else {
            "id": cls.id,
            "name": cls.name,
            "population": population.value,
            "year": population.year,
        },
        "passed": passed(findings),
        "counts": counts(findings),
        "findings": [f.as_dict() for f in findings],
    }
