"""Who enters and who leaves the admitted set when a scheme replaces the baseline (the first).

Rank changes are taken over the applicants ranked under both schemes (eligible, and at or above
any threshold) as baseline rank − new rank, so a positive change is a better place. The median of
an even count is the mean of the two middle changes, exact (it may end in .5).
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl
from pydantic import BaseModel

from hukoucalc.batch.names import ADMITTED, RANK, ROW
from hukoucalc.compare.pool import Ranked
from hukoucalc.engine.points import Exact, exact_decimal

ID = "id"


class Movers(BaseModel):
    scheme: str
    baseline: str
    entering: int  # admitted under the scheme, not under the baseline
    leaving: int  # admitted under the baseline, not under the scheme
    overlap: int  # admitted under both
    ranked_both: int
    median_rank_change: Exact | None  # baseline rank − new rank; > 0: a better place
    entering_ids: list[str]  # by new rank, then id
    leaving_ids: list[str]  # by baseline rank, then id


def applicant_ids(frame: pl.DataFrame, id_field: str | None) -> pl.DataFrame:
    """ROW and the applicant's id: the ID number, or "row N" in a pool without one."""
    if id_field is not None:
        ident = pl.col(id_field).fill_null(pl.format("row {}", pl.col(ROW)))
    else:
        ident = pl.format("row {}", pl.col(ROW))
    return frame.select(ROW, ident.alias(ID))


def movers(baseline: Ranked, other: Ranked, ids: pl.DataFrame) -> tuple[Movers, pl.DataFrame]:
    """The summary and the movers' rows (id, scheme, direction, baseline_rank, new_rank)."""
    old = baseline.chosen.frame.select(ROW, pl.col(RANK).alias("b"), pl.col(ADMITTED).alias("ba"))
    new = other.chosen.frame.select(ROW, pl.col(RANK).alias("n"), pl.col(ADMITTED).alias("na"))
    both = old.join(new, on=ROW).join(ids, on=ROW, how="left")
    entering = both.filter(pl.col("na") & ~pl.col("ba")).sort("n", ID)
    leaving = both.filter(pl.col("ba") & ~pl.col("na")).sort("b", ID)
    change = (
        both.filter(pl.col("b").is_not_null() & pl.col("n").is_not_null())
        .select((pl.col("b") - pl.col("n")).alias("c"))
        .sort("c")["c"]
    )
    median = None
    if change.len():
        middle = Fraction(int(change[(change.len() - 1) // 2]) + int(change[change.len() // 2]), 2)
        median = exact_decimal(middle)
    summary = Movers(
        scheme=other.loaded.id,
        baseline=baseline.loaded.id,
        entering=entering.height,
        leaving=leaving.height,
        overlap=both.filter(pl.col("ba") & pl.col("na")).height,
        ranked_both=change.len(),
        median_rank_change=median,
        entering_ids=entering[ID].to_list(),
        leaving_ids=leaving[ID].to_list(),
    )
    rows = pl.concat(
        [
            part.select(
                pl.col(ID),
                pl.lit(other.loaded.id).alias("scheme"),
                pl.lit(direction).alias("direction"),
                pl.col("b").alias("baseline_rank"),
                pl.col("n").alias("new_rank"),
            )
            for part, direction in ((entering, "enter"), (leaving, "leave"))
        ]
    )
    return summary, rows
