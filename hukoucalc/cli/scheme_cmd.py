"""``hukoucalc scheme ...``: list, show, validate, diff; the applicant schema and CSV header."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hukoucalc.cli import new_cmd
from hukoucalc.cli.common import (
    dated,
    error_text,
    escape,
    print_json,
    reports_errors,
    stderr,
    stdout,
)

if TYPE_CHECKING:
    from hukoucalc.scheme.load import LoadedScheme
    from hukoucalc.scheme.model import Cutoff

app = typer.Typer(
    no_args_is_help=True,
    help="Work with schemes: list, show, validate, check, diff, start a new one; the applicant "
    "schema and CSV template.",
)

SchemeArg = Annotated[
    str, typer.Argument(metavar="SCHEME", help="Bundled scheme name or path to a .toml file.")
]


@app.command("list")
@reports_errors
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the bundled schemes.

    Example: hukoucalc scheme list
    """
    from hukoucalc.errors import HukoucalcError  # noqa: PLC0415
    from hukoucalc.render.scheme import round_cutoff  # noqa: PLC0415
    from hukoucalc.scheme.load import bundled_names, latest_round, load_scheme  # noqa: PLC0415

    loaded, broken = [], []
    for name in bundled_names():
        try:
            loaded.append(load_scheme(name))
        except HukoucalcError as exc:  # one broken file must not hide the others
            broken.append(error_text(exc))
    for message in broken:
        stderr().print(f"[red]invalid[/] {escape(message)}")
    cities = sorted({s.id.rsplit("-", 1)[0] for s in loaded if re.search(r"-[0-9]{4}$", s.id)})
    aliases = {c: n for c in cities if (n := latest_round(c)) is not None}
    if as_json:
        print_json(
            [
                dated(
                    {
                        "id": s.id,
                        "city": s.scheme.scheme.city,
                        "year": s.scheme.scheme.year,
                        "title": s.scheme.scheme.title,
                        "selection": s.scheme.selection.mode,
                        "as_of": s.scheme.dates["as_of"].isoformat(),
                        "cutoff": _cutoff_json(round_cutoff(s.scheme)),
                        "latest_of": next((c for c, n in aliases.items() if n == s.id), None),
                        "sha256": s.sha256,
                    }
                )
                for s in loaded
            ]
        )
        return
    from hukoucalc.render.scheme import render_list  # noqa: PLC0415

    render_list(loaded, stdout(), aliases)


def _cutoff_json(cut: Cutoff | None) -> dict[str, object] | None:
    from hukoucalc.engine.points import decimal_text  # noqa: PLC0415

    if cut is None:
        return None
    return {"year": cut.year, "score": decimal_text(cut.score), "tag": cut.tag}


@app.command()
@reports_errors
def show(scheme: SchemeArg) -> None:
    """Show a scheme as readable tables: dates, fields, indicators, gates, selection.

    Example: hukoucalc scheme show beijing-2018
    """
    from hukoucalc.render.scheme import render_scheme  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    render_scheme(load_scheme(scheme), stdout())


@app.command()
@reports_errors
def validate(
    files: Annotated[
        list[str], typer.Argument(metavar="FILE", help="Scheme files (or bundled names).")
    ],
) -> None:
    """Validate scheme files; each error names the file and the key.

    Example: hukoucalc scheme validate schemes/*.toml
    """
    codes: list[int] = []
    for loaded in _load_each(files, codes):
        stderr().print(f"[green]ok[/] {loaded.origin} ({loaded.id}, sha256 {loaded.sha256[:12]})")
    if codes:
        raise typer.Exit(max(codes))


@app.command()
@reports_errors
def schema(scheme: SchemeArg) -> None:
    """Print the JSON Schema of an applicant file under a scheme.

    Example: hukoucalc scheme schema beijing-2020 > applicant.schema.json
    """
    from hukoucalc.applicant import applicant_model  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    loaded = load_scheme(scheme)
    document = applicant_model(loaded.scheme).model_json_schema()
    document["title"] = f"Applicant under {loaded.id}"
    print_json(document)


@app.command()
@reports_errors
def template(
    scheme: SchemeArg,
    labels: Annotated[
        bool,
        typer.Option(
            "--labels",
            help="Name the columns by the fields' labels (the Chinese header); a batch file may "
            "name its columns either way.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the header to a .csv or .xlsx file."
        ),
    ] = None,
) -> None:
    """Print an empty CSV (header row) with the columns a batch needs under a scheme.

    Example: hukoucalc scheme template beijing-2020 --labels -o 申请名单.xlsx
    """
    from hukoucalc.atomic import check_outputs, write_all  # noqa: PLC0415
    from hukoucalc.errors import UsageError  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    loaded = load_scheme(scheme)
    fields = loaded.scheme.fields
    header = [spec.label if labels else name for name, spec in fields.items()]
    suffix = output.suffix.lower() if output is not None else ".csv"
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(f"--output: a .csv or .xlsx file, not '{suffix or output}'")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(header)
    if output is None:
        typer.echo(buffer.getvalue(), nl=False)
        return
    check_outputs({"--output": output})
    if suffix == ".csv":
        text = buffer.getvalue()
        write_all([(output, lambda temp: Path(temp).write_text(text, encoding="utf-8-sig"))])
    else:
        write_all([(output, lambda temp: _header_workbook(temp, header))])
    stderr().print(f"wrote the header of {escape(loaded.id)} to {escape(str(output))}")


def _header_workbook(path: str, header: list[str]) -> None:
    """A workbook of one sheet: the header row, bold and frozen; every column formatted as text
    (so that an ID number typed in stays its 18 characters, never a number)."""
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415

    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("名单")
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "num_format": "@"})
    for column, name in enumerate(header):
        sheet.set_column(column, column, max(10, 2 * len(name)), text)
        sheet.write_string(0, column, name, bold)
    sheet.freeze_panes(1, 0)
    book.close()


@app.command()
@reports_errors
def diff(
    a: Annotated[str, typer.Argument(metavar="A", help="The first scheme (bundled name or path).")],
    b: Annotated[
        str, typer.Argument(metavar="B", help="The second scheme (bundled name or path).")
    ],
    every: Annotated[
        bool, typer.Option("--all", help="Also list changes of sources, notes and labels.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (every change).")] = False,
) -> None:
    """Show what changes from scheme A to scheme B, parameter by parameter.

    Example: hukoucalc scheme diff beijing-2018 beijing-2020
    """
    from hukoucalc.scheme.diff import diff_schemes  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    old, new = load_scheme(a), load_scheme(b)
    result = diff_schemes(old.scheme, new.scheme)
    if as_json:
        document = result.to_json()
        document["a"] = {"id": old.id, "sha256": old.sha256, "origin": old.origin}
        document["b"] = {"id": new.id, "sha256": new.sha256, "origin": new.origin}
        print_json(dated(document))
        return
    from hukoucalc.render.diff import render_diff  # noqa: PLC0415

    again = f"`hukoucalc scheme diff --all {a} {b}`"  # as the user named them: ids or paths
    render_diff(result, stdout(), provenance=every, again=again)


app.command(name="new")(new_cmd.new)


@app.command()
@reports_errors
def check(
    schemes: Annotated[
        list[str],
        typer.Argument(metavar="SCHEME", help="Scheme files (or bundled names)."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list, one entry per scheme.")
    ] = False,
    cliff: Annotated[
        str,
        typer.Option(
            "--cliff",
            metavar="POINTS",
            help="Report one more month raising a line by more than this many points.",
        ),
    ] = "2",
) -> None:
    """Check schemes against the national rules (国发〔2014〕25号/51号) and lint them.

    Exit 0 when no scheme has an error (warnings and notes allowed), 1 when one has; a scheme
    that cannot be read exits 3 (missing file, bad TOML) or 4 (invalid scheme), after the others
    are checked.

    Example: hukoucalc scheme check schemes/*.toml
    """
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415

    from hukoucalc.errors import ExitCode, UsageError  # noqa: PLC0415
    from hukoucalc.policy import check_scheme  # noqa: PLC0415
    from hukoucalc.render.check import check_document, passed, render_check  # noqa: PLC0415
    from hukoucalc.scheme.model import Num  # noqa: PLC0415

    try:
        threshold = TypeAdapter(Num).validate_python(cliff)
    except ValidationError:
        raise UsageError(f"--cliff: '{cliff}' is not a number of points") from None
    if not threshold.is_finite() or threshold < 0:
        raise UsageError(f"--cliff: '{cliff}' must be a number of points, 0 or more")
    codes: list[int] = []
    documents = []
    for loaded in _load_each(schemes, codes):
        findings = check_scheme(loaded, cliff=threshold)
        if not passed(findings):
            codes.append(int(ExitCode.CHECK_FAILED))
        if as_json:
            documents.append(dated(check_document(loaded, findings)))
        else:
            render_check(loaded, findings, stdout())
    if as_json:
        print_json(documents)
    if codes:
        raise typer.Exit(max(codes))


def _load_each(refs: list[str], codes: list[int]) -> Iterator[LoadedScheme]:
    """Each scheme that loads; each that does not is reported and its exit code added to
    ``codes``, so that every file is looked at before the command fails with the worst code."""
    from hukoucalc.errors import HukoucalcError  # noqa: PLC0415
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    for ref in refs:
        try:
            loaded = load_scheme(ref)
        except HukoucalcError as exc:
            stderr().print(f"[bold red]error:[/] {escape(error_text(exc))}")
            codes.append(int(exc.exit_code))
            continue
        yield loaded
