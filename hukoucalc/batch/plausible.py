"""Implausible rows of a typed batch, in one pass: the batch side of :mod:`hukoucalc.plausible`
(born after the cut-off, a period before birth), with the same reasons."""

from __future__ import annotations

import datetime as dt

import polars as pl

from hukoucalc.plausible import BEFORE_BIRTH, BORN_AFTER, period_fields
from hukoucalc.roles import roles
from hukoucalc.scheme.model import Scheme


def batch_errors(frame: pl.DataFrame, scheme: Scheme, row: str, today: dt.date) -> pl.DataFrame:
    """The implausible rows of a typed batch: ``row``, column, value, reason (one a row; a
    birth date after ``today`` is refused as such, elsewhere)."""
    role = roles(scheme)
    empty = pl.DataFrame(
        schema={row: pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String}
    )
    if role.birth_date is None or role.birth_date not in frame.columns or frame.height == 0:
        return empty
    born = pl.col(role.birth_date)
    if role.id_number is not None and f"{role.id_number}#born" in frame.columns:
        born = pl.coalesce(born, pl.col(f"{role.id_number}#born"))  # the ID number's, if blank
    born_text = born.dt.strftime("%Y-%m-%d").fill_null("")  # all null: polars 2.1 panics
    first = born.dt.year().cast(pl.Int32) * 12 + born.dt.month().cast(pl.Int32) - 1
    checks: list[tuple[str, pl.Expr, pl.Expr, pl.Expr]] = []  # column, bad, value, reason
    cutoff = scheme.dates.get("as_of")
    if cutoff is not None:
        checks.append(
            (
                role.birth_date,
                (born > pl.lit(cutoff)) & (born <= pl.lit(today)),
                born_text,
                pl.format(
                    BORN_AFTER.replace("{born}", "{}").replace("{cutoff}", str(cutoff)), born_text
                ),
            )
        )
    for name in period_fields(scheme):
        starts = [c for c in frame.columns if c.startswith(f"{name}#s")]
        if not starts:
            continue
        # a row of fewer periods than the widest pads its slots with month 0: no period
        start = pl.min_horizontal(pl.when(pl.col(c) > 0).then(pl.col(c)) for c in starts)
        month = pl.date(start // 12, start % 12 + 1, 1).dt.strftime("%Y-%m").fill_null("")
        checks.append(
            (
                name,
                start < first,
                month,
                pl.format(
                    BEFORE_BIRTH.replace("{start}", "{}").replace("{born}", "{}"), month, born_text
                ),
            )
        )
    if not checks:
        return empty
    # the rows failing any check first (usually none: one pass over the batch), then which
    suspect = frame.filter(pl.any_horizontal(bad.fill_null(False) for _, bad, _, _ in checks))
    if suspect.height == 0:
        return empty
    # the first failing check of a row: one reason a row, as score gives
    found = [
        suspect.filter(bad.fill_null(False)).select(
            pl.col(row),
            pl.lit(name).alias("column"),
            shown.alias("value"),
            why.alias("reason"),
            pl.lit(k).alias("__check"),
        )
        for k, (name, bad, shown, why) in enumerate(checks)
    ]
    every = pl.concat(found).sort(row, "__check")
    return every.unique(row, keep="first", maintain_order=True).drop("__check")
