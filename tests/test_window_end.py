"""A months or events window never reaches past ``as_of`` (docs/schemes.md, "Months: total,
overlap, minus"): an ``end`` after it is taken as ``as_of``, in ``score`` and ``rank`` alike, and
``scheme check`` notes it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hukoucalc.policy import check_scheme
from hukoucalc.scheme.load import load_scheme

from .test_rank_agreement import assert_same_points, rank_rows, record, score_alone

SCHEME = """
[scheme]
id = "window-end-test"
city = "测试"
title = "window end"
year = 2024

[sources.t]
title = "test"

[dates]
as_of = 2023-12-31
later = 2024-06-30

[fields.name]
type = "text"
label = "姓名"

[fields.paid]
type = "periods"
label = "paid"

[fields.records]
type = "events"
label = "records"

[measures.months_to_later]
kind = "months"
of = ["paid"]
end = "later"

[measures.months_after]
kind = "months"
of = ["paid"]
start = 2024-01-01
end = 2024-12-31

[measures.records_to_later]
kind = "events"
field = "records"
end = "later"

[[indicators]]
id = "months"
label = "months"
source = "t#1"
measure = "months_to_later"
rule = { kind = "per_unit", points = 1, unit = "month" }

[[indicators]]
id = "after"
label = "after"
source = "t#1"
measure = "months_after"
rule = { kind = "per_unit", points = 100, unit = "month" }

[[indicators]]
id = "records"
label = "records"
source = "t#1"
measure = "records_to_later"
rule = { kind = "per_unit", points = 1000, unit = "record" }

[selection]
mode = "quota"
quota = 10
source = "t#2"
"""

ROW = {"name": "a", "paid": "2023-01..2024-06", "records": "2023-12-31;2024-01-01;2024-05-01"}


def test_nothing_after_as_of_counts_in_score_and_rank(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(SCHEME, encoding="utf-8")
    loaded = load_scheme(str(path))
    card = score_alone(loaded, record(loaded.scheme, ROW))
    points = {line.id: str(line.points) for line in card.indicators}
    assert points == {"months": "12", "after": "0", "records": "1000"}
    with tempfile.TemporaryDirectory() as folder:
        _, published = rank_rows(loaded, [ROW], Path(folder))
    assert_same_points(card, published["a"], ROW)


def test_scheme_check_notes_a_window_past_as_of(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(SCHEME, encoding="utf-8")
    found = [f for f in check_scheme(load_scheme(str(path))) if f.code == "window-after-as-of"]
    assert [(f.severity, f.key) for f in found] == [
        ("info", "measures.months_to_later.end"),
        ("info", "measures.months_after.end"),
        ("info", "measures.records_to_later.end"),
    ]
    assert "empty this round" in found[1].message
    assert "empty" not in found[0].message
