"""``hukoucalc rank`` under the bundled guangzhou-2015 scheme: the threshold, then the tie-break
chain of reference §3.5 (medical-insurance months, then unemployment-insurance months; applicants
still equal share a place), on the hand-built pool ``tests/data/rank/guangzhou-2015.csv``.

as_of 2015-07-31; every applicant is eligible except 庚 (born 1970-07-31, a day too old)::

    甲 本科 60            medical 127, unemployment 43   -> place 1
    乙 大专 40 + 目录 20   medical  84, unemployment 48   -> place 2
    丙 本科 60 + 纳税 20   medical  84, unemployment 48   -> place 2 (shared: points do not rank)
    丁 本科 60            medical  84, unemployment 36   -> place 4 (the second key decides)
    戊 本科 60 + 职称 60   medical  60, unemployment 60   -> place 5 (120 points, fewest months)
    己 中技 20 + 中级工 20 medical 211                    -> 40, below the threshold: no place
    庚 本科 60            medical 187                    -> not eligible (age)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from .test_rank import DATA, column, rank, read_rows

POOL = f"{DATA}/guangzhou-2015.csv"


def test_places_go_by_medical_then_unemployment_months(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ranked.csv"
    summary = rank(runner, POOL, "-s", "guangzhou-2015", "-o", out)
    assert summary["selection"] == "threshold_then_keys"
    assert (summary["eligible"], summary["ineligible"]) == (6, 1)
    assert (summary["qualified"], summary["admitted"], summary["ties_at_cutoff"]) == (5, 5, 1)
    assert summary["cutoff"] == "60"
    rows = read_rows(out)
    by_name = {r["name"]: r for r in rows}
    assert column(rows, "rank")[:5] == ["1", "2", "2", "4", "5"]
    assert [by_name[n]["rank"] for n in "甲乙丙丁戊己庚"] == ["1", "2", "2", "4", "5", "", ""]
    totals = ["60", "60", "80", "60", "120", "40", "60"]
    assert [by_name[n]["total"] for n in "甲乙丙丁戊己庚"] == totals
    assert [by_name[n]["admitted"] for n in "甲乙丙丁戊己庚"] == ["true"] * 5 + ["false"] * 2
    assert by_name["庚"]["eligible"] == "false"
    assert "1970" in by_name["庚"]["reason"]


@pytest.mark.parametrize(
    ("quota", "admitted"), [("1", 1), ("2", 3), ("3", 3), ("4", 4), ("5", 5), ("9", 5)]
)
def test_within_the_quota_applicants_sharing_the_last_place_all_qualify(
    runner: CliRunner, quota: str, admitted: int
) -> None:
    summary = rank(runner, POOL, "-s", "guangzhou-2015", "--quota", quota)
    assert summary["admitted"] == admitted
