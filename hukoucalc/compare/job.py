"""The ``compare`` job: the pool under each scheme, the movers, the composition, the parameter
diffs, as one document (the ``compare --json`` output; README, "JSON output of compare --json").
It never prints; :func:`write_movers` writes the movers' file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, field_serializer

from hukoucalc import __version__
from hukoucalc.atomic import Writer
from hukoucalc.batch.write import frame_writer, neutralise
from hukoucalc.compare.composition import Dimension, composition
from hukoucalc.compare.movers import Movers, applicant_ids, movers
from hukoucalc.compare.pool import Pool
from hukoucalc.compare.stats import SchemeStats, scheme_stats
from hukoucalc.roles import resolve
from hukoucalc.scheme.diff import SchemeDiff, diff_schemes


class Comparison(BaseModel):
    """The ``compare --json`` document."""

    hukoucalc: str
    input: dict[str, str]
    rows: int
    invalid: int
    quota: int | None  # the --quota given to every scheme, if any
    baseline: str
    schemes: list[SchemeStats]
    movers: list[Movers]  # each scheme after the first against the baseline
    composition: list[Dimension]
    diffs: list[SchemeDiff]  # each scheme after the first against the baseline
    movers_file: str | None = None
    report: str | None = None

    @field_serializer("diffs")
    def _diffs(self, diffs: list[SchemeDiff]) -> list[dict[str, Any]]:
        return [d.to_json() for d in diffs]


@dataclass
class CompareResult:
    comparison: Comparison
    movers: pl.DataFrame  # id, scheme, direction, baseline_rank, new_rank
    errors: pl.DataFrame  # row, column, value, reason


def compare(pool: Pool) -> CompareResult:
    """Compare each scheme of a ranked pool (:func:`.pool.rank_pool`) with the first."""
    base, others = pool.ranked[0], pool.ranked[1:]
    ids = applicant_ids(base.typed, resolve(pool.fields).id_number)
    moved = [movers(base, other, ids) for other in others]
    header = set(pool.raw.columns)
    comparison = Comparison(
        hukoucalc=__version__,
        input={"path": str(pool.path), "sha256": pool.raw.sha256, "encoding": pool.raw.encoding},
        rows=pool.raw.frame.height,
        invalid=pool.invalid,
        quota=pool.quota,
        baseline=base.loaded.id,
        schemes=[scheme_stats(r) for r in pool.ranked],
        movers=[summary for summary, _ in moved],
        composition=composition(pool.ranked, pool.fields, header),
        diffs=[diff_schemes(base.loaded.scheme, o.loaded.scheme) for o in others],
    )
    rows = pl.concat([frame for _, frame in moved]) if moved else pl.DataFrame()
    return CompareResult(comparison=comparison, movers=rows, errors=pool.errors)


def write_outputs(
    result: CompareResult, *, movers: Path | None, errors: Path | None, report: Path | None
) -> None:
    """The movers (CSV: id, scheme, direction, baseline_rank, new_rank), the bad rows (CSV) and
    the HTML report: all or none, each atomically, never over the input or each other."""
    from hukoucalc.atomic import check_outputs, text_writer, write_all  # noqa: PLC0415
    from hukoucalc.render.report_html import render_report  # noqa: PLC0415

    outputs = {"--movers": movers, "--errors": errors, "--report": report}
    check_outputs(outputs, source=Path(result.comparison.input["path"]))
    writes: list[tuple[Path, Writer]] = []
    if movers is not None:
        writes.append((movers, frame_writer(result.movers.with_columns(neutralise(["id"])), "csv")))
    if errors is not None:
        safe = result.errors.with_columns(neutralise(["value", "reason"]))
        writes.append((errors, frame_writer(safe, "csv")))
    if report is not None:
        writes.append((report, text_writer(render_report(result.comparison))))
    write_all(writes)  # all or none
    result.comparison.movers_file = None if movers is None else str(movers)
    result.comparison.report = None if report is None else str(report)
