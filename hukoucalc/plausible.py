"""Records that type-check but cannot be true: a birth date after the scheme's accrual cut-off
(``dates.as_of``), a period before the birth date. (Insurance or employment before the age of 16
is not checked yet: bundled scenarios and synthetic pools hold such periods; see
:func:`hukoucalc.roles.work_periods`.)

One wording for both paths: :func:`batch_errors` marks the bad rows of a typed batch (``rank``),
:func:`record_error` refuses one applicant (``score``), with the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from hukoucalc.periods import format_month, month_of_date
from hukoucalc.roles import roles
from hukoucalc.scheme.model import Scheme

BORN_AFTER = "birth date {born} is after the scheme's cut-off {cutoff}"
BEFORE_BIRTH = "a period from {start} starts before the birth date {born}"


def _periods(scheme: Scheme) -> list[str]:
    return [n for n, spec in scheme.fields.items() if spec.type == "periods"]


def record_error(scheme: Scheme, record: dict[str, Any], today: dt.date) -> tuple[str, str] | None:
    """The first implausible field of a validated record and why, else None (a birth date
    after ``today`` is refused as such, elsewhere)."""
    role = roles(scheme)
    born = record.get(role.birth_date) if role.birth_date else None
    if not isinstance(born, dt.date):
        return None
    cutoff = scheme.dates.get("as_of")
    if cutoff is not None and cutoff < born <= today:
        return role.birth_date or "", BORN_AFTER.format(born=born, cutoff=cutoff)
    first = month_of_date(born)
    for name in _periods(scheme):
        starts = [start for start, _ in record.get(name) or ()]
        if not starts:
            continue
        start = min(starts)
        if start < first:
            return name, BEFORE_BIRTH.format(start=format_month(start), born=born)
    return None


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
    for name in _periods(scheme):
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
