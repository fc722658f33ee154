"""Months that bridge a continuous run (back-payment, 补缴): the scalar walk, the batch columns
and the scheme model agree (docs/schemes.md, "Months: back-paid months bridging a run")."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest

from hukoucalc import periods
from hukoucalc.errors import SchemeError
from hukoucalc.scheme.load import load_scheme

from .test_rank_agreement import assert_same_points, rank_rows, record, score_alone

M = periods.month_of
END = M(2023, 12)


@pytest.mark.parametrize(
    ("paid", "backpaid", "limit", "run"),
    [
        ([(M(2017, 1), M(2019, 2)), (M(2019, 7), END)], [(M(2019, 3), M(2019, 6))], 5, 84),
        ([(M(2017, 1), M(2019, 2)), (M(2019, 7), END)], [], 5, 54),
        ([(M(2017, 7), END)], [(M(2017, 1), M(2017, 6))], 5, 83),
        ([(M(2017, 7), END)], [(M(2017, 1), M(2017, 6))], 6, 84),
        ([(M(2017, 7), END)], [(M(2017, 1), M(2017, 6))], 0, 78),
        ([(M(2016, 1), END)], [(M(2020, 1), M(2020, 12))], 0, 96),  # paid anyway: not bridged
        ([(M(2016, 1), M(2023, 9))], [(M(2023, 10), END)], 5, 96),  # bridged up to the end
        ([(M(2016, 1), M(2023, 9))], [], 5, 0),  # the last months are missing
        ([], [(M(2023, 8), END)], 5, 5),
    ],
)
def test_the_run_walks_back_over_bridged_months(
    paid: list[periods.Period], backpaid: list[periods.Period], limit: int, run: int
) -> None:
    assert periods.continuous_bridged(paid, backpaid, END, limit) == run


SCHEME = """
[scheme]
id = "bridge-test"
city = "测试"
title = "bridge"
year = 2024

[sources.t]
title = "test"

[dates]
as_of = 2023-12-31

[fields.name]
type = "text"
label = "姓名"

[fields.paid]
type = "periods"
label = "paid"

[fields.backpaid]
type = "periods"
label = "back-paid"

[fields.backpaid2]
type = "periods"
label = "back-paid elsewhere"

[measures.run]
kind = "months"
of = ["paid"]
continuous = true
bridge = BRIDGE
bridge_max = LIMIT
START

[[indicators]]
id = "run"
label = "run"
source = "t#1"
measure = "run"
rule = { kind = "per_unit", points = 1, unit = "month" }

[selection]
mode = "quota"
quota = 10
source = "t#2"
"""


@pytest.mark.parametrize(
    ("bridge", "limit", "start", "seed"),
    [
        ('["backpaid"]', 5, "", 1),
        ('["backpaid"]', 2, "start = 2016-03-01", 2),
        ('["backpaid", "backpaid2"]', 5, "", 3),
    ],
)
def test_rank_and_score_agree_on_bridged_runs(
    tmp_path: Path, bridge: str, limit: int, start: str, seed: int
) -> None:
    text = SCHEME.replace("BRIDGE", bridge).replace("LIMIT", str(limit)).replace("START", start)
    path = tmp_path / "bridge.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scheme(str(path))
    rnd = random.Random(seed)
    low, high = M(2012, 1), M(2024, 6)  # some months after as_of

    def some_periods(most: int) -> str:
        out = []
        for _ in range(rnd.randint(0, most)):
            first = rnd.randint(low, high)
            last = min(high, first + rnd.randint(0, 40))
            out.append(f"{periods.format_month(first)}..{periods.format_month(last)}")
        return ";".join(out)

    rows = [
        {"name": f"a{n:03d}", "paid": some_periods(4), "backpaid": some_periods(2)}
        | {"backpaid2": some_periods(2)}
        for n in range(120)
    ]
    with tempfile.TemporaryDirectory() as folder:
        result, published = rank_rows(loaded, rows, Path(folder))
    assert result.errors.height == 0
    for row in rows:
        card = score_alone(loaded, record(loaded.scheme, row))
        assert_same_points(card, published[row["name"]], row)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('bridge = ["backpaid"]\nbridge_max = 5', "only to a 'continuous'"),
        ('continuous = true\nbridge = ["backpaid"]', "needs 'bridge_max'"),
        ("continuous = true\nbridge_max = 5", "'bridge_max' needs 'bridge'"),
        ('continuous = true\ngap = 2\nbridge = ["backpaid"]\nbridge_max = 5', "not both"),
        ('continuous = true\nbridge = ["nope"]\nbridge_max = 5', "no field 'nope'"),
        ('continuous = true\nbridge = ["name"]\nbridge_max = 5', "field 'name' is text"),
        (
            'continuous = true\nbridge = ["backpaid"]\nbridge_max = 5\nminus = ["backpaid2"]',
            "one 'of' field and no 'overlap' or 'minus'",
        ),
    ],
)
def test_a_bridge_is_checked(tmp_path: Path, keys: str, message: str) -> None:
    head, _, tail = SCHEME.partition("continuous = true\nbridge = BRIDGE\nbridge_max = LIMIT\n")
    path = tmp_path / "bad.toml"
    path.write_text(head + keys + "\n" + tail.replace("START", ""), encoding="utf-8")
    with pytest.raises(SchemeError, match=message):
        load_scheme(str(path))
