"""The ``compare`` job: the pool under each scheme, the movers, the composition, the parameter
diffs, as one document (the JSON output of ``compare``, documented in the README).
It never prints and never writes: :mod:`hukoucalc.cli.outputs` writes the files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from pydantic import BaseModel, field_serializer

from hukoucalc import __version__
from hukoucalc.compare.composition import Dimension, composition
from hukoucalc.compare.movers import Movers, applicant_ids, movers
from hukoucalc.compare.pool import Pool
from hukoucalc.compare.stats import SchemeStats, scheme_stats
from hukoucalc.roles import resolve
from hukoucalc.scheme.diff import SchemeDiff, diff_schemes


class Comparison(BaseModel):
    """The JSON document of ``compare``."""

    hukoucalc: str
    input: dict[str, str]
    rows: int
    invalid: int
    quota: int | None  # the quota given to every scheme, if any
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
