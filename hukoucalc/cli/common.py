"""What every command shares: the consoles, error handling and the --json printer."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from hukoucalc.errors import ExitCode, HukoucalcError
from hukoucalc.textfile import visible

# Options of the batch commands (rank, compare), declared once.
ApplicantsArg = Annotated[
    Path,
    typer.Argument(
        metavar="APPLICANTS", help="CSV (UTF-8, BOM or GB18030), .jsonl, .xlsx or .parquet."
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="The .xlsx workbook's sheet (default: the first)."
    ),
]
DropExtraOpt = Annotated[
    bool,
    typer.Option(
        "--drop-extra",
        help="Leave out the columns that are no field of the scheme (default: carried into the "
        "ranked list, never scored).",
    ),
]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--errors",
        metavar="FILE",
        help="Write every bad row here (.csv, .jsonl, .xlsx or .parquet).",
    ),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Stop at the first bad row, writing nothing.")
]


def _known_encoding(name: str | None) -> str | None:
    """An encoding Python knows, checked before any file is read (a usage error, exit 2)."""
    import codecs  # noqa: PLC0415

    if name is not None:
        try:
            codecs.lookup(name)
        except LookupError:
            raise typer.BadParameter(
                f"unknown encoding '{name}' (CSV exports are utf-8, utf-8-sig or gb18030)"
            ) from None
    return name


EncodingOpt = Annotated[
    str | None,
    typer.Option(
        metavar="ENCODING",
        help="Input encoding (default: detect UTF-8 / GB18030).",
        callback=_known_encoding,
    ),
]

# The --scheme of a command that ranks or projects under one scheme: declared repeatable so that a
# second one is refused (one_scheme) rather than silently replacing the first, as Click would.
OneSchemeOpt = Annotated[
    list[str],
    typer.Option("--scheme", "-s", metavar="SCHEME", help="Bundled scheme name or .toml path."),
]

# The options by which the CLI passes each library parameter that an error or a rendering may be
# about (hukoucalc.errors.option): the library names the parameter, the CLI words it as its option.
OPTIONS = {
    "all": "--all",
    "city": "--city",
    "city_en": "--city-en",
    "drop_extra": "--drop-extra",
    "encoding": "--encoding",
    "errors": "--errors",
    "id_number": "--id",
    "json": "--json",
    "movers": "--movers",
    "output": "--output",
    "population": "--population",
    "publish": "--publish",
    "report": "--report",
    "row": "--row",
    "scheme_id": "--id",
    "schemes": "--scheme",
    "sheet": "--sheet",
    "strict": "--strict",
    "target": "--target",
    "trend_rounds": "--trend-rounds",
    "until": "--until",
    "year": "--year",
}


def error_text(exc: HukoucalcError) -> str:
    """An error's message as the CLI shows it: the parameters it is about named as options."""
    return exc.render(OPTIONS)


P = ParamSpec("P")
R = TypeVar("R")


class _State:
    debug = False
    today: dt.date | None = None  # resolved once per invocation (the app's callback)


state = _State()

TODAY_ENV = "HUKOUCALC_TODAY"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def resolve_today(given: str | None) -> dt.date:
    """The day that decides validity (a birth date after it is impossible): ``given``
    (``--today`` or ``$HUKOUCALC_TODAY``, YYYY-MM-DD), else the system's date. The one place
    hukoucalc reads the clock; the day is passed down and recorded in every --json document."""
    if given is None:
        return dt.date.today()
    text = given.strip()
    try:
        if _ISO_DAY.fullmatch(text) is None:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{given}' is not a date as YYYY-MM-DD") from None


def run_date() -> dt.date:
    """The day this invocation runs as (see :func:`resolve_today`)."""
    if state.today is None:
        state.today = resolve_today(None)
    return state.today


def dated(document: dict[str, Any]) -> dict[str, Any]:
    """A --json document with the day that decided validity (``today``, ISO), placed after the
    tool version when it has one, else first."""
    day = run_date().isoformat()
    if "hukoucalc" not in document:
        return {"today": day, **document}
    out: dict[str, Any] = {}
    for key, value in document.items():
        out[key] = value
        if key == "hukoucalc":
            out["today"] = day
    return out


def stdout() -> Any:
    from rich.console import Console  # noqa: PLC0415 (start-up time)

    return Console(highlight=False, emoji=False)


def stderr() -> Any:
    from rich.console import Console  # noqa: PLC0415 (start-up time)

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def escape(text: str) -> str:
    """Text shown through Rich: its own square brackets kept literal, its control characters
    escaped (:func:`visible`)."""
    from rich.markup import escape as rich_escape  # noqa: PLC0415

    return rich_escape(visible(text))


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a HukoucalcError into one message on stderr and its documented exit code; Ctrl-C,
    SIGTERM and SIGHUP into a word and 130, 143, 129 (temporary files removed, no output
    changed)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from hukoucalc.atomic import Terminated, on_signals  # noqa: PLC0415

        try:
            with on_signals():
                return command(*args, **kwargs)
        except HukoucalcError as exc:  # an expected error: its message, even with --debug
            stderr().print(f"[bold red]error:[/] {escape(error_text(exc))}")
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            stderr().print("interrupted, nothing written")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Terminated as stop:
            stderr().print(f"stopped by {stop}, nothing written")
            code = ExitCode.HANGUP if stop.signum == signal.SIGHUP else ExitCode.TERMINATED
            raise typer.Exit(int(code)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception:
            if state.debug:
                raise
            import traceback  # noqa: PLC0415

            stderr().print(
                "[bold red]internal error[/] (a bug in hukoucalc; "
                "run `hukoucalc --debug <command> ...` and report it):\n"
                + escape(traceback.format_exc(limit=-1).strip().splitlines()[-1])
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return run


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def _plain(value: Any) -> Any:
    """Numbers a JSON Schema carries (bounds): integers stay integers, others become text."""
    from decimal import Decimal  # noqa: PLC0415

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def one_scheme(given: list[str], command: str, several: str) -> str:
    """The one --scheme of ``command`` (given at least once); more than one is a usage error
    pointing to the command that takes several (``several``)."""
    from hukoucalc.errors import UsageError  # noqa: PLC0415

    if len(given) > 1:
        raise UsageError(
            f"{command} takes one --scheme, not {len(given)} ({', '.join(given)}); {several}"
        )
    return given[0]
