"""``hukoucalc compare``: one applicant pool under several schemes, against the first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import (
    OPTIONS,
    ApplicantsArg,
    EncodingOpt,
    ErrorsOpt,
    StrictOpt,
    dated,
    print_json,
    reports_errors,
    run_date,
    stderr,
    stdout,
)
from hukoucalc.cli.progress import READ, WRITE, stage_bar


@reports_errors
def compare(
    applicants: ApplicantsArg,
    scheme: Annotated[
        list[str],
        typer.Option(
            "--scheme",
            "-s",
            metavar="SCHEME",
            help="Scheme (name or .toml), twice or more; the first is the baseline.",
        ),
    ],
    quota: Annotated[
        int | None,
        typer.Option(
            min=0, metavar="N", help="One quota for every scheme (default: each its own)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", help="Write a self-contained HTML report with charts here."
        ),
    ] = None,
    movers: Annotated[
        Path | None,
        typer.Option(
            "--movers",
            metavar="FILE",
            help="Write who enters and who leaves here (.csv, .jsonl, .xlsx or .parquet).",
        ),
    ] = None,
    errors: ErrorsOpt = None,
    strict: StrictOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Compare how several schemes rank the same applicant pool: cut-offs, who enters and leaves, which indicators drive it, who the admitted are, and what changed in the rules.

    Example: hukoucalc compare pool.csv -s beijing-2020 -s my-draft.toml --report report.html
    """  # noqa: E501 (Click shows the first paragraph as the summary: keep it on one line)
    from hukoucalc.atomic import check_outputs  # noqa: PLC0415
    from hukoucalc.batch.write import output_format  # noqa: PLC0415
    from hukoucalc.cli.outputs import write_compare_outputs  # noqa: PLC0415
    from hukoucalc.compare.job import compare  # noqa: PLC0415
    from hukoucalc.compare.pool import rank_pool  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    check_outputs({"--movers": movers, "--errors": errors, "--report": report}, source=applicants)
    for path, parameter in ((movers, "movers"), (errors, "errors")):
        if path is not None:
            output_format(path, parameter)
    loaded = [load_scheme(ref) for ref in scheme]
    console = stderr()
    plan = [*READ, *((f"scoring under {one.id}", 0.6) for one in loaded), ("comparing", 0.5), WRITE]
    with stage_bar(console, applicants.name, plan, quiet=as_json) as step:
        pool = rank_pool(
            applicants,
            loaded,
            today=run_date(),
            quota=quota,
            encoding=encoding,
            strict=strict,
            progress=step,
        )
        step("comparing")
        result = compare(pool)
        step(WRITE[0])
        write_compare_outputs(result, movers=movers, errors=errors, report=report)
    if errors is None and result.errors.height:
        console.print(
            f"[yellow]{result.errors.height:,} bad cells[/] in {result.comparison.invalid:,} rows, "
            "left out under every scheme (--errors FILE writes them all)"
        )
    if as_json:
        print_json(dated(result.comparison.model_dump(mode="json")))
        return
    from hukoucalc.render.compare import render_comparison  # noqa: PLC0415

    render_comparison(result.comparison, stdout(), options=OPTIONS)
