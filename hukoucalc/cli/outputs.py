"""Writing the files of ``rank`` and ``compare``: the layer above the domain, which returns data.

Each command's outputs are written all or none, each atomically, never over the input or each
other (:mod:`hukoucalc.atomic`); the outputs are named by their options in any error.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from hukoucalc.atomic import Writer, check_outputs, text_writer, write_all
from hukoucalc.batch.write import frame_writer, neutralise, output_format
from hukoucalc.cli.common import OPTIONS
from hukoucalc.compare.job import CompareResult
from hukoucalc.publish import public_list
from hukoucalc.ranking import RankResult
from hukoucalc.roles import roles
from hukoucalc.scheme.model import Scheme


def write_rank_outputs(
    result: RankResult,
    output: Path | None,
    fmt: str,
    errors_path: Path | None,
    *,
    publish: Path | None = None,
    scheme: Scheme | None = None,
) -> None:
    """Write the ranked list, the bad rows and the public list (of ``scheme``'s ``[publish]``):
    all or none, each atomically, never over the input; the summary then names the files
    written. The ranked list and the bad rows hold ID numbers: 0600 when new; the public list
    masks them."""
    outputs = {"--output": output, "--errors": errors_path, "--publish": publish}
    check_outputs(outputs, source=Path(result.summary.input["path"]))
    writes: list[tuple[Path, Writer]] = []
    if output is not None:
        ranked = result.ranked
        if result.spreadsheet and fmt != "csv":
            raise ValueError("a list neutralised for spreadsheets is written as CSV only")
        if fmt == "csv" and not result.spreadsheet:
            ranked = ranked.with_columns(neutralise(c for c in result.text if c in ranked.columns))
        writes.append((output, frame_writer(ranked, fmt)))
    if errors_path is not None:
        writes.append((errors_path, errors_writer(result.errors, errors_path)))
    private = [path for path, _ in writes]  # ID numbers: 0600 when new
    if publish is not None:
        if scheme is None:
            raise ValueError("the public list needs its scheme")
        public = public_list(result.ranked, scheme, roles(scheme))
        writes.append((publish, public_writer(public.frame, publish)))
        result.summary.publish_missing = public.missing
    write_all(writes, private=private)
    result.summary.publish = None if publish is None else str(publish)
    result.summary.output = None if output is None else str(output)
    result.summary.errors = None if errors_path is None else str(errors_path)


def write_compare_outputs(
    result: CompareResult, *, movers: Path | None, errors: Path | None, report: Path | None
) -> None:
    """The movers (CSV: id, scheme, direction, baseline_rank, new_rank), the bad rows (CSV) and
    the HTML report: all or none, each atomically, never over the input or each other."""
    from hukoucalc.render.report_html import render_report  # noqa: PLC0415 (start-up time)

    outputs = {"--movers": movers, "--errors": errors, "--report": report}
    check_outputs(outputs, source=Path(result.comparison.input["path"]))
    writes: list[tuple[Path, Writer]] = []
    if movers is not None:
        fmt = output_format(movers, "movers")
        listed = result.movers
        if fmt == "csv":
            listed = listed.with_columns(neutralise(["id"]))
        writes.append((movers, frame_writer(listed, fmt)))
    if errors is not None:
        writes.append((errors, errors_writer(result.errors, errors)))
    if report is not None:
        writes.append((report, text_writer(render_report(result.comparison, options=OPTIONS))))
    write_all(writes, private=[p for p in (movers, errors) if p is not None])  # all or none
    result.comparison.movers_file = None if movers is None else str(movers)
    result.comparison.report = None if report is None else str(report)


def public_writer(frame: pl.DataFrame, path: Path) -> Writer:
    """The public list in the format of ``path``'s suffix; in CSV its text neutralised."""
    fmt = output_format(path, "publish")
    if fmt == "csv":
        frame = frame.with_columns(neutralise(c for c, t in frame.schema.items() if t == pl.String))
    return frame_writer(frame, fmt)


def errors_writer(errors: pl.DataFrame, path: Path) -> Writer:
    """The bad rows (row, column, value, reason) in the format of ``path``'s suffix."""
    fmt = output_format(path, "errors")
    if fmt == "csv":
        errors = errors.with_columns(neutralise(["value", "reason"]))
    return frame_writer(errors, fmt)
