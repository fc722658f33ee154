"""Selection within the quota, exactly as a scheme declares it, with competition ranks.

* ``quota``: rank eligible applicants by total; everyone whose rank is within the quota is
  admitted, so all applicants tied at the cut-off score get in (Beijing 2018: 6,019 for 6,000).
* ``threshold``: every eligible applicant at or above the threshold is admitted (Shanghai 120).
* ``threshold_then_keys``: at or above the threshold, then ordered by the scheme's keys
  (Guangzhou: medical-insurance months, then ...); remaining ties share a place; within the
  quota when there is one.

Ranks are competition ranks ("1224"): rank = 1 + the number of applicants strictly ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil

import polars as pl

from hukoucalc.batch.names import ADMITTED, ELIGIBLE, QUALIFIED, RANK, TOTAL, key_col
from hukoucalc.scheme.model import Selection


@dataclass
class Selected:
    frame: pl.DataFrame  # the scored frame plus qualified, rank, admitted
    quota: int | None
    cutoff_units: int | None  # lowest admitted total
    ties_at_cutoff: int  # applicants sharing the last admitted rank


def competition_rank(frame: pl.DataFrame, keys: list[tuple[str, bool]], pool: str) -> pl.Series:
    """Competition ranks over rows where ``pool`` is true (null elsewhere), by ``keys``
    (column, descending), in the frame's own row order."""
    if len(keys) == 1 and frame[keys[0][0]].null_count() == 0:
        key, down = keys[0]  # polars' own "min" rank is the competition rank
        values = frame.select(pl.when(pl.col(pool)).then(pl.col(key)))
        return values.to_series().rank("min", descending=down).cast(pl.Int64).alias(RANK)
    index = "__idx"
    ranked = (
        frame.with_row_index(index)
        .filter(pl.col(pool))
        .sort([k for k, _ in keys], descending=[d for _, d in keys])
    )
    changed = pl.lit(False)
    for key, _ in keys:
        changed = changed | (pl.col(key) != pl.col(key).shift(1)).fill_null(True)
    position = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    ranked = ranked.select(
        index, pl.when(changed).then(position).otherwise(None).forward_fill().alias(RANK)
    )
    joined = frame.with_row_index(index).join(ranked, on=index, how="left")
    return joined.sort(index)[RANK]


def select(scored: pl.DataFrame, selection: Selection, unit: int, *, quota: int | None) -> Selected:
    """Add ``qualified``, ``rank`` and ``admitted`` to a scored frame (total in units of 1/unit)."""
    quota = quota if quota is not None else selection.quota
    threshold = (
        ceil(Fraction(selection.threshold) * unit) if selection.threshold is not None else None
    )
    qualified = pl.col(ELIGIBLE)
    if selection.mode != "quota" and threshold is not None:
        qualified = qualified & (pl.col(TOTAL) >= threshold)
    frame = scored.with_columns(qualified.alias(QUALIFIED))
    if selection.mode == "threshold_then_keys":
        keys = [(key_col(k.measure), k.order == "desc") for k in selection.keys]
        frame = frame.with_columns(competition_rank(frame, keys, QUALIFIED))
    else:
        frame = frame.with_columns(competition_rank(frame, [(TOTAL, True)], QUALIFIED))
    admitted = pl.col(QUALIFIED)
    if quota is not None:
        admitted = admitted & (pl.col(RANK) <= quota)
    frame = frame.with_columns(admitted.fill_null(False).alias(ADMITTED))
    chosen = frame.filter(pl.col(ADMITTED))
    cutoff = chosen[TOTAL].min() if chosen.height else None
    last_rank = chosen[RANK].max() if chosen.height else None
    ties = int(chosen.filter(pl.col(RANK) == last_rank).height) if chosen.height else 0
    return Selected(
        frame=frame,
        quota=quota,
        cutoff_units=int(cutoff) if cutoff is not None else None,  # type: ignore[arg-type]
        ties_at_cutoff=ties,
    )
