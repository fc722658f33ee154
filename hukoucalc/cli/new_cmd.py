"""``hukoucalc scheme new``: write a starting scheme for a city, by options or by prompts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hukoucalc.cli.common import escape, reports_errors, stderr
from hukoucalc.errors import OutputError, UsageError


def _ask(
    value: str | None, option: str, question: str, interactive: bool, default: str | None = None
) -> str:
    """The option's value; else a prompt in a terminal; else a usage error naming the option."""
    if value is not None:
        return value
    if interactive:
        answer: str = typer.prompt(question, default=default, err=True)
        return answer
    if default is not None:
        return default
    hint = " (or --city-en in Latin letters, to make one)" if option == "--id" else ""
    raise UsageError(f"missing option {option}{hint}; in a terminal it is asked for")


def _number(text: str, option: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", "").strip())
    except ValueError:
        raise UsageError(f"'{text}' is not a whole number", where=option) from None


def _year(text: str, option: str, after: int = 0) -> int:
    """A year a scheme may name (FIRST_YEAR + ``after`` to LAST_YEAR)."""
    from hukoucalc.scheme.model import FIRST_YEAR, LAST_YEAR  # noqa: PLC0415 (start-up time)

    first = FIRST_YEAR + after
    year = _number(text, option)
    if not 1000 <= year <= 9999:
        raise UsageError(f"'{text}' is not a year (four digits, e.g. 2027)", where=option)
    if not first <= year <= LAST_YEAR:
        raise UsageError(f"'{text}' is not a year from {first} to {LAST_YEAR}", where=option)
    return year


@reports_errors
def new(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the scheme here (default: print it)."
        ),
    ] = None,
    city: Annotated[
        str | None, typer.Option(metavar="CITY", help="The city's name, as in 北京.")
    ] = None,
    city_en: Annotated[
        str | None, typer.Option(metavar="NAME", help="The city's English name.")
    ] = None,
    scheme_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Scheme id (default: from --city-en and --year, beijing-2027).",
        ),
    ] = None,
    population: Annotated[
        str | None,
        typer.Option(
            metavar="N", help="城区常住人口, urban resident population (sets the size class)."
        ),
    ] = None,
    population_year: Annotated[
        str | None,
        typer.Option(metavar="YEAR", help="Year of the population figure (default: --year - 1)."),
    ] = None,
    year: Annotated[
        str | None, typer.Option(metavar="YEAR", help="The application round, e.g. 2027.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --output file.")
    ] = False,
    prompt: Annotated[
        bool | None,
        typer.Option(
            "--prompt/--no-prompt",
            help="Ask for missing values (default: when standard input is a terminal).",
        ),
    ] = None,
) -> None:
    """Write a starting scheme for a city from the template, with placeholder values marked.

    Points settlement needs 3 million urban residents or more (国发〔2014〕51号 size classes).

    Example: hukoucalc scheme new --city 杭州 --city-en Hangzhou --population 8000000
    --year 2027 -o hangzhou-2027.toml
    """
    from hukoucalc.atomic import check_outputs, write_text_atomically  # noqa: PLC0415
    from hukoucalc.scheme.new import default_id, new_scheme, points_class, scheme_text  # noqa: PLC0415

    ask = sys.stdin.isatty() if prompt is None else prompt
    check_outputs({"-o": output})  # a folder, a device, a missing folder: before any question
    if output is not None and output.exists() and not force:
        raise OutputError("already exists; add --force to overwrite it", where=str(output))
    city = _ask(city, "--city", "City (name in Chinese, e.g. 北京)", ask)
    if city_en is None and ask:
        city_en = typer.prompt(
            "City in English (optional)", default="", show_default=False, err=True
        )
    people = _number(
        _ask(population, "--population", "Urban resident population 城区常住人口", ask),
        "--population",
    )
    points_class(people)  # refuse a city under 3 million before asking more
    # the round counts to 12-31 of the year before it: a year a scheme may name too
    round_ = _year(_ask(year, "--year", "Application round (year)", ask), "--year", after=1)
    counted = _year(
        _ask(
            population_year,
            "--population-year",
            "Year of the population figure",
            ask,
            str(round_ - 1),
        ),
        "--population-year",
    )
    if counted > round_:
        raise UsageError(
            f"{counted} is after the round {round_}: a figure the round can cite",
            where="--population-year",
        )
    ident = _ask(scheme_id, "--id", "Scheme id", ask, default_id(city_en, round_))
    loaded = new_scheme(
        city=city,
        city_en=city_en or None,
        year=round_,
        population=people,
        population_year=counted,
        scheme_id=ident,
    )
    text = scheme_text(loaded)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text_atomically(output, text)
    stderr().print(
        f"[green]wrote[/] {escape(str(output))} ({loaded.id}); replace its placeholders, "
        f"then run `hukoucalc scheme check {escape(str(output))}`"
    )
