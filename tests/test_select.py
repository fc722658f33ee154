"""Selection within the quota (``batch/select.py``) on small hand-made frames, checked by hand.

Totals are in units of 1/100 point. Competition ranks ("1224"): 1 + the number strictly ahead.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from hukoucalc.batch.names import key_col
from hukoucalc.batch.select import select
from hukoucalc.scheme.model import Selection

TOTALS = [9000, 8000, 8000, 7000, 6000]  # 90, 80, 80, 70, 60 points


def frame(totals: list[int], eligible: list[bool] | None = None, **keys: list[Any]) -> pl.DataFrame:
    columns: dict[str, Any] = {
        "eligible": eligible if eligible is not None else [True] * len(totals),
        "total": totals,
    }
    columns |= {key_col(name): values for name, values in keys.items()}
    return pl.DataFrame(columns)


def by_quota(quota: int) -> Selection:
    return Selection(mode="quota", quota=quota, source="doc#1")


def test_quota_ranks_are_competition_ranks_and_ties_at_the_cut_off_get_in() -> None:
    chosen = select(frame(TOTALS), by_quota(2), 100, quota=None)
    assert chosen.frame["rank"].to_list() == [1, 2, 2, 4, 5]
    assert chosen.frame["admitted"].to_list() == [True, True, True, False, False]
    assert (chosen.quota, chosen.cutoff_units, chosen.ties_at_cutoff) == (2, 8000, 2)


def test_quota_of_3_stops_before_the_4th_rank() -> None:
    """Dense ranks (1223) would admit the 70."""
    chosen = select(frame(TOTALS), by_quota(3), 100, quota=None)
    assert chosen.frame["admitted"].to_list() == [True, True, True, False, False]
    assert (chosen.cutoff_units, chosen.ties_at_cutoff) == (8000, 2)


def test_the_rank_equal_to_the_quota_is_admitted() -> None:
    chosen = select(frame(TOTALS), by_quota(5), 100, quota=4)  # the quota given wins
    assert chosen.frame["admitted"].to_list() == [True, True, True, True, False]
    assert (chosen.quota, chosen.cutoff_units, chosen.ties_at_cutoff) == (4, 7000, 1)


def test_ineligible_applicants_have_no_rank_and_take_no_place() -> None:
    chosen = select(frame(TOTALS, [False, True, True, True, True]), by_quota(2), 100, quota=None)
    assert chosen.frame["rank"].to_list() == [None, 1, 1, 3, 4]
    assert chosen.frame["admitted"].to_list() == [False, True, True, False, False]


def test_threshold_admits_everyone_at_or_above_it() -> None:
    selection = Selection(mode="threshold", threshold=80, source="doc#1")
    chosen = select(frame(TOTALS, [True, True, False, True, True]), selection, 100, quota=None)
    assert chosen.frame["qualified"].to_list() == [True, True, False, False, False]
    assert chosen.frame["admitted"].to_list() == [True, True, False, False, False]
    assert (chosen.cutoff_units, chosen.ties_at_cutoff) == (8000, 1)


def test_a_fractional_threshold_is_rounded_up_to_the_unit() -> None:
    """At or above 79.995 with totals in 1/100: 80.00 is, 79.99 is not."""
    selection = Selection(mode="threshold", threshold="79.995", source="doc#1")
    chosen = select(frame([8000, 7999]), selection, 100, quota=None)
    assert chosen.frame["qualified"].to_list() == [True, False]


def test_threshold_then_keys_ranks_by_each_key_in_turn() -> None:
    """At or above 60, then insurance months (more first), then age (younger first)."""
    selection = Selection(
        mode="threshold_then_keys",
        threshold=60,
        keys=[{"measure": "months", "order": "desc"}, {"measure": "age", "order": "asc"}],
        source="doc#1",
    )
    scored = frame(
        [7000, 6000, 6500, 9000, 5000, 6000],
        months=[120, 120, 120, 96, 200, 120],
        age=[30, 35, 30, 25, 20, 28],
    )
    chosen = select(scored, selection, 100, quota=None)
    # (120, 28) first; (120, 30) twice; (120, 35); (96, 25); the 50 is not qualified
    assert chosen.frame["rank"].to_list() == [2, 4, 2, 5, None, 1]
    assert chosen.frame["admitted"].to_list() == [True, True, True, True, False, True]
    quota = select(scored, selection.model_copy(update={"quota": 2}), 100, quota=None)
    assert quota.frame["admitted"].to_list() == [True, False, True, False, False, True]
    assert (quota.cutoff_units, quota.ties_at_cutoff) == (6000, 2)  # lowest admitted total
