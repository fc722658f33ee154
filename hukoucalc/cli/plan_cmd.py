"""``hukoucalc plan``: when one applicant's projected score first reaches a target."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import (
    OPTIONS,
    dated,
    one_scheme,
    print_json,
    reports_errors,
    run_date,
    stdout,
)
from hukoucalc.errors import UsageError

_SIGNED = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


@reports_errors
def plan(
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
            help="Bundled scheme name or .toml path. "
            'Default: the file\'s "scheme" key, else beijing (the latest Beijing round).',
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            metavar="SCORE|cutoff|trend",
            help="Score to reach: a number; cutoff (the scheme's threshold or latest published "
            "cut-off); or trend (the cut-off projected from the published ones, a line per "
            "round). Default: trend where the scheme has 3 or more published cut-offs, "
            "else cutoff.",
        ),
    ] = None,
    trend_rounds: Annotated[
        int,
        typer.Option(
            metavar="N",
            help="With the trend: fit the least-squares line to the last N published cut-offs.",
        ),
    ] = 5,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="Project up to this accrual cut-off. Default: 20 years after the scheme's.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON document instead of the chart.")
    ] = False,
) -> None:
    """Project one applicant's score forward and find the first round that reaches the target, or why none does, with the single changes that would bring it forward.

    Example: hukoucalc plan examples/applicant-beijing-2020.json -s beijing --target trend
    """  # noqa: E501 (Click shows the first paragraph as the summary: keep it on one line)
    goal = _target(target) if target is not None else None
    last = _until(until) if until is not None else None
    from hukoucalc.planning import make_plan  # noqa: PLC0415
    from hukoucalc.scoring import load_applicant  # noqa: PLC0415

    several = "`hukoucalc score -s A -s B` shows several side by side"
    chosen = one_scheme(scheme, "plan", several) if scheme else None
    loaded, record = load_applicant(applicant, chosen, today=run_date())
    result = make_plan(
        loaded,
        record,
        applicant=str(applicant),
        target=goal,
        until=last,
        trend_rounds=trend_rounds,
    )
    if as_json:
        print_json(dated(result.model_dump(mode="json")))
        return
    from hukoucalc.render.plan import render_plan  # noqa: PLC0415

    render_plan(result, stdout(), options=OPTIONS)


def _target(text: str) -> Decimal | str:
    """``cutoff``, ``trend``, or a score written as a plain decimal, 0 or more (``1e400`` and
    ``-5`` are refused)."""
    if text.strip() in ("cutoff", "trend"):
        return text.strip()
    if _SIGNED.fullmatch(text.strip()) is None:
        raise UsageError(f"--target: {text!r} is not a number (e.g. 100.88), cutoff or trend")
    value = Decimal(text.strip())
    if value < 0:
        raise UsageError(f"--target: {text!r} is below 0: give the score to reach, e.g. 100.88")
    return value


def _until(text: str) -> dt.date:
    """A date read as the applicant file's dates are."""
    from hukoucalc.applicant import iso_date  # noqa: PLC0415

    try:
        day = iso_date(text)
    except ValueError as error:
        raise UsageError(f"--until: {error}") from None
    assert isinstance(day, dt.date)
    return day
