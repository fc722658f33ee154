"""``hukoucalc rank``: validate and rank a batch of applications within the quota."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import (
    ApplicantsArg,
    DropExtraOpt,
    EncodingOpt,
    ErrorsOpt,
    OneSchemeOpt,
    SheetOpt,
    StrictOpt,
    dated,
    escape,
    one_scheme,
    print_json,
    reports_errors,
    run_date,
    stderr,
    stdout,
)
from hukoucalc.cli.progress import READ, WRITE, stage_bar
from hukoucalc.errors import ExitCode


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"
    parquet = "parquet"


@reports_errors
def rank(
    applicants: ApplicantsArg,
    scheme: OneSchemeOpt,
    quota: Annotated[
        int | None, typer.Option(min=0, metavar="N", help="Override the scheme's quota.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the ranked list here (.csv, .jsonl, .xlsx or .parquet).",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", help="Format of the ranked list (default: from -o's suffix)."),
    ] = None,
    errors: ErrorsOpt = None,
    publish: Annotated[
        Path | None,
        typer.Option(
            "--publish",
            metavar="FILE",
            help="Write the public list (公示名单: the scheme's [publish] columns, ID numbers "
            "masked, Chinese headers) here (.csv, .jsonl, .xlsx or .parquet).",
        ),
    ] = None,
    strict: StrictOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    drop_extra: DropExtraOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Validate and rank a batch of applications within the quota, with the cut-off, the ties, a publishable list and every bad row explained.

    Example: hukoucalc rank applicants.csv -s beijing-2020 -o ranked.csv --errors bad-rows.csv
    """  # noqa: E501 (Click shows the first paragraph as the summary: keep it on one line)
    from hukoucalc.atomic import check_outputs  # noqa: PLC0415
    from hukoucalc.batch.write import output_format  # noqa: PLC0415
    from hukoucalc.cli.outputs import write_rank_outputs  # noqa: PLC0415
    from hukoucalc.ranking import rank_file  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    check_outputs(
        {"--output": output, "--errors": errors, "--publish": publish}, source=applicants
    )  # before work
    if fmt is None and output is not None:
        fmt = Format(output_format(output, "output"))
    if errors is not None:
        output_format(errors, "errors")
    if publish is not None:
        output_format(publish, "publish")
    loaded = load_scheme(
        one_scheme(scheme, "rank", "`hukoucalc compare` ranks one pool under several")
    )
    fmt = fmt or Format.csv
    csv = output is not None and fmt == Format.csv  # text cells neutralised while ranking
    console = stderr()
    plan = [*READ, ("scoring", 0.6), ("ranking", 1.0), WRITE]
    with stage_bar(console, applicants.name, plan, quiet=as_json) as step:
        result = rank_file(
            applicants,
            loaded,
            today=run_date(),
            quota=quota,
            encoding=encoding,
            strict=strict,
            progress=step,
            spreadsheet=csv,
            sheet=sheet,
            drop_extra=drop_extra,
        )
        step(WRITE[0])
        write_rank_outputs(result, output, fmt.value, errors, publish=publish, scheme=loaded.scheme)

    if output is None:
        console.print("[dim]No --output given: the ranked list was not written.[/]")
    if result.summary.publish_missing:
        console.print(
            "[yellow]The public list leaves out[/] "
            + escape(", ".join(result.summary.publish_missing))
            + ": the scheme's \\[publish] names them, the ranked list has no such column"
        )
    if errors is None and result.errors.height:
        shown = result.errors.head(5).iter_rows(named=True)
        lines = [f"  row {e['row']}, {e['column']}: {escape(e['reason'])}" for e in shown]
        console.print(
            f"[yellow]{result.errors.height:,} bad cells[/] (first {len(lines)} below; "
            "--errors FILE writes them all):\n" + "\n".join(lines)
        )
    if as_json:
        print_json(dated(result.summary.model_dump(mode="json")))
    else:
        from hukoucalc.render.rank import render_summary  # noqa: PLC0415

        render_summary(result.summary, stdout())
    empty = result.summary.nothing_ranked
    if empty is not None:  # a script must notice: the files are written, the status says it
        console.print(f"[bold red]nothing ranked:[/] {escape(empty)}")
        raise typer.Exit(int(ExitCode.NOTHING_RANKED))
