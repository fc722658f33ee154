"""A batch's rows that leave out a date whose age decides something for them: the batch side of
the evaluator's lazy ages (``Evaluator.needs``), as :func:`hukoucalc.engine.scalar.missing_ages`
is for one record."""

from __future__ import annotations

import polars as pl

from hukoucalc.batch.columns import ColumnOps
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.evaluate import Evaluator
from hukoucalc.scheme.model import Scheme


def missing_ages(
    frame: pl.DataFrame, widths: dict[str, int], scheme: Scheme, births: list[str], row: str
) -> pl.DataFrame:
    """Errors (row, column, value, reason) for the rows that leave out a date whose age decides
    something for them (a line that applies, a gate, a condition that turns on it: the
    evaluator's ``needs``); scored on the rows missing one only, so a full batch costs nothing."""
    out = pl.DataFrame(
        schema={row: pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String}
    )
    if not births:
        return out
    lacking = frame.filter(pl.any_horizontal(pl.col(b).is_null() for b in births))
    if lacking.height == 0:
        return out
    ops = ColumnOps(lacking, widths)
    evaluator = Evaluator(compile_scheme(scheme, origin=scheme.scheme.id), ops)
    evaluator.run()
    found = []
    for born in births:
        guards = [guard for name, guard in evaluator.needs if name == born]
        if not guards:
            continue
        needed = pl.any_horizontal(g.fill_null(False) for g in guards) & pl.col(born).is_null()
        rows = ops.frame.filter(needed).select(row).collect()
        found.append(
            rows.with_columns(
                pl.lit(born).alias("column"),
                pl.lit(None, dtype=pl.String).alias("value"),
                pl.lit("needed for age: give it, or a valid ID number").alias("reason"),
            )
        )
    return pl.concat([out, *found]) if found else out
