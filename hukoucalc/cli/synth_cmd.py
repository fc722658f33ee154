"""``hukoucalc synth``: a synthetic applicant pool for one or more schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import reports_errors, stderr

MAX_N = 10_000_000  # drawing takes about 0.85 GB of memory a million (1.7 GB of file)


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
    n: Annotated[
        int,
        typer.Option(
            "--n", min=1, max=MAX_N, metavar="N", help=f"Number of applicants (at most {MAX_N:,})."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write (.csv, .jsonl, .xlsx or .parquet).",
        ),
    ],
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="K", help="Random seed: same seed, same file.")
    ] = 0,
    dirty: Annotated[
        bool, typer.Option("--dirty", help="Add a few bad rows and duplicate ID numbers.")
    ] = False,
) -> None:
    """Write a synthetic applicant pool (.csv, .jsonl, .xlsx or .parquet) of every field declared.

    Example: hukoucalc synth -s beijing-2020 --n 100000 --seed 1 -o pool.csv
    """
    from hukoucalc.atomic import check_outputs  # noqa: PLC0415
    from hukoucalc.batch.synth import synthesise  # noqa: PLC0415
    from hukoucalc.batch.write import output_format, write_atomically  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    check_outputs({"--output": output})  # before the pool is drawn
    fmt = output_format(output, "output")
    schemes = [load_scheme(ref).scheme for ref in scheme]
    frame = synthesise(schemes, n, seed, dirty=dirty)
    write_atomically(frame, output, fmt)
    stderr().print(f"wrote {n:,} applicants ({len(frame.columns)} columns) to {output}")
