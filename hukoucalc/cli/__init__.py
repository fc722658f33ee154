"""The ``hukoucalc`` command line: parses, calls one core function, renders.

Results go to stdout, messages and errors to stderr; errors map to the exit codes of
:class:`hukoucalc.errors.ExitCode`. Heavy modules are imported inside the commands that use them,
so ``hukoucalc --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated

import typer

from hukoucalc import __version__
from hukoucalc.cli import compare_cmd, plan_cmd, rank_cmd, scheme_cmd, score_cmd, synth_cmd
from hukoucalc.cli.common import TODAY_ENV, resolve_today, state

app = typer.Typer(
    name="hukoucalc",
    no_args_is_help=True,
    # None: plain Click help. Typer's Rich help imports rich.markdown and rich.traceback, which
    # alone cost ~0.6x the start-up of `import typer, rich, pydantic` (benchmarks/startup.py).
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    help="Exact points and rankings for points-based hukou settlement (积分落户), "
    "from city schemes kept as data.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hukoucalc {__version__}")
        raise typer.Exit()


def _day(given: str | None) -> str | None:
    """A --today that is a date, checked as the option is read (Click names the option)."""
    if given is not None:
        resolve_today(given)
    return given


@app.callback()
def _main(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show a traceback for unexpected errors (before the command)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar=TODAY_ENV,
            metavar="YYYY-MM-DD",
            callback=_day,
            help="The day that decides validity, e.g. of a birth date (default: the system's "
            "date; recorded in every --json document).",
        ),
    ] = None,
) -> None:
    state.debug = debug
    state.today = resolve_today(today)


app.command(name="score")(score_cmd.score)
app.command(name="rank")(rank_cmd.rank)
app.command(name="synth")(synth_cmd.synth)
app.command(name="compare")(compare_cmd.compare)
app.command(name="plan")(plan_cmd.plan)
app.add_typer(scheme_cmd.app, name="scheme")


def main() -> None:
    """The console entry point: runs the command, then ends the process at once.

    Every output is written (atomically) and closed by the time a command returns, so tearing
    the interpreter down only frees memory: ~0.1 s after ranking a million rows, which the
    operating system does for free. Uncaught exceptions still propagate (with their traceback)."""
    try:
        app()
        code = 0
    except SystemExit as done:
        code = exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`) or stream
            stream.flush()
    os._exit(code)


def exit_status(code: object) -> int:
    """The process status ``sys.exit(code)`` gives: None is 0, an int itself, anything else is
    printed to stderr and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
