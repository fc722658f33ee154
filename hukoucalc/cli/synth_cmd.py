"""``hukoucalc synth``: a synthetic applicant pool for one or more schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import reports_errors, stderr


@reports_errors
def synth(
    scheme: Annotated[
        list[str],
        typer.Option(
            "--scheme",
            "-s",
            metavar="SCHEME",
            help="Scheme(s); with several, the pool has the union of fields.",
        ),
    ],
    n: Annotated[int, typer.Option("--n", min=1, metavar="N", help="Number of applicants.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="CSV file to write.")
    ],
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="K", help="Random seed: same seed, same file.")
    ] = 0,
    dirty: Annotated[
        bool, typer.Option("--dirty", help="Add a few bad rows and duplicate ID numbers.")
    ] = False,
) -> None:
    """Write a synthetic applicant pool (CSV) exercising every field the schemes declare.

    Example: hukoucalc synth -s beijing-2020 --n 100000 --seed 1 -o pool.csv
    """
    from hukoucalc.atomic import check_outputs  # noqa: PLC0415
    from hukoucalc.batch.synth import synthesise  # noqa: PLC0415
    from hukoucalc.batch.write import write_atomically  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    check_outputs({"--output": output})  # before the pool is drawn
    schemes = [load_scheme(ref).scheme for ref in scheme]
    frame = synthesise(schemes, n, seed, dirty=dirty)
    write_atomically(frame, output, "csv")
    stderr().print(f"wrote {n:,} applicants ({len(frame.columns)} columns) to {output}")
