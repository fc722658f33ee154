"""``hukoucalc score``: one applicant's points, line by line, under one or more schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import (
    EncodingOpt,
    dated,
    print_json,
    reports_errors,
    run_date,
    stdout,
)


@reports_errors
def score(
    applicant: Annotated[
        Path,
        typer.Argument(
            metavar="APPLICANT", help="Applicant JSON file (see examples/applicant.json)."
        ),
    ],
    scheme: Annotated[
        list[str] | None,
        typer.Option(
            "--scheme",
            "-s",
            metavar="SCHEME",
            help="Bundled scheme name or .toml path; repeat to compare side by side. "
            'Default: the file\'s "scheme" key, else beijing (the latest Beijing round).',
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the stable JSON document instead of tables.")
    ] = False,
    id_number: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="APPLICANT is a batch (rank's input): score the row of this ID number.",
        ),
    ] = None,
    row: Annotated[
        int | None,
        typer.Option(
            "--row",
            min=1,
            metavar="N",
            help="APPLICANT is a batch: score row N (numbered as rank's bad rows are).",
        ),
    ] = None,
    encoding: EncodingOpt = None,
) -> None:
    """Score one applicant: every indicator's points with its rule and source, the eligibility gates, the total and the gap to the latest published cut-off.

    Example: hukoucalc score examples/applicant.json --scheme beijing-2018

    One row of a batch: hukoucalc score pool.csv -s beijing-2020 --id 110105198005100254
    """  # noqa: E501 (Click shows the first paragraph as the summary: keep it on one line)
    from hukoucalc.scoring import score_file, score_row  # noqa: PLC0415

    if id_number is None and row is None:
        cards = score_file(applicant, scheme or [], today=run_date())
    else:
        cards = score_row(
            applicant,
            scheme or [],
            today=run_date(),
            id_number=id_number,
            row=row,
            encoding=encoding,
        )
    if as_json:
        docs = [dated(card.model_dump(mode="json")) for card in cards]
        print_json(docs[0] if len(docs) == 1 else {"scorecards": docs})
        return
    from hukoucalc.render.score import render_scorecard, render_side_by_side  # noqa: PLC0415

    console = stdout()
    if len(cards) == 1:
        render_scorecard(cards[0], console)
    else:
        render_side_by_side(cards, console)
