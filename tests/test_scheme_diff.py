"""``scheme diff``: every difference of a hand-made pair, the Beijing 2018 → 2020 revision, JSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from hukoucalc.render.diff import render_diff
from hukoucalc.scheme.diff import diff_schemes
from hukoucalc.scheme.dump import dump_scheme
from hukoucalc.scheme.load import load_scheme
from tests.invoke import assert_error, flat, run

BASE = "tests/data/diff/base.toml"
DRAFT = "tests/data/diff/draft.toml"

# (kind, key, label, old, new) as in the JSON document: every difference of draft.toml
PAIR: list[tuple[str, str, str, Any, Any]] = [
    ("changed", "scheme.id", "", "diff-base", "diff-draft"),
    ("changed", "scheme.year", "", 2024, 2025),
    ("added", "scheme.extends", "", None, "base.toml"),
    ("changed", "dates.as_of", "", "2023-12-31", "2024-12-31"),
    ("changed", "dates.age_on", "", "2023-01-01", "2024-01-01"),
    (
        "changed",
        "indicators[insurance].rule",
        "社会保险",
        {"kind": "per_unit", "points": "3", "per": "12", "unit": "month"},
        {
            "kind": "marginal",
            "tiers": [
                {"from": "0", "below": "120", "points": "0.25"},
                {"from": "120", "points": "0.5"},
            ],
        },
    ),
    ("changed", "indicators[housing].parts[rental].rule.points", "住所 › 租赁住房", "0.5", "1"),
    ("changed", "indicators[housing].cap", "住所", "20", "25"),
    ("changed", "indicators[age].rule.bands[1].points", "年龄", "0", "10"),
    (
        "removed",
        "indicators[honour]",
        "荣誉表彰",
        {
            "id": "honour",
            "label": "荣誉表彰",
            "source": "doc#8",
            "rule": {"kind": "flag", "points": "20", "field": "honour"},
        },
        None,
    ),
    (
        "added",
        "indicators[education]",
        "学历",
        None,
        {
            "id": "education",
            "label": "学历",
            "source": "doc#7",
            "rule": {
                "kind": "table",
                "field": "education",
                "points": {"bachelor": "15", "master": "26"},
            },
        },
    ),
    ("changed", "groups[extra].combine", "加分项", "sum", "max"),
    ("removed", "groups[extra].cap", "加分项", "20", None),
    ("changed", "gates[insurance].label", "社保满5年", "社保满7年", "社保满5年"),
    ("changed", "gates[insurance].require.at_least", "社保满5年", "84", "60"),
    ("changed", "gates[insurance].reason", "社保满5年", "社保不满7年", "社保不满5年"),
    ("changed", "selection.mode", "", "quota", "threshold"),
    ("changed", "selection.quota", "", 6000, 5000),
    ("added", "selection.threshold", "", None, "100"),
    ("added", "cutoffs[2024]", "", None, {"year": 2024, "score": "92.5", "source": "doc#6"}),
    (
        "added",
        "fields.education",
        "学历",
        None,
        {"type": "enum", "label": "学历", "values": {"bachelor": "本科", "master": "硕士"}},
    ),
]


def _rows(document: dict[str, Any]) -> list[tuple[str, str, str, Any, Any]]:
    return [(c["kind"], c["key"], c["label"], c["old"], c["new"]) for c in document["changes"]]


def test_hand_made_pair_every_difference() -> None:
    """Lists matched by id (the draft reorders indicators and parts: no change for that)."""
    result = diff_schemes(load_scheme(BASE).scheme, load_scheme(DRAFT).scheme)
    assert _rows(result.to_json()) == PAIR
    assert not result.identical


def test_sections_in_order() -> None:
    result = diff_schemes(load_scheme(BASE).scheme, load_scheme(DRAFT).scheme)
    assert list(result.sections()) == [
        "scheme",
        "dates",
        "indicators",
        "groups",
        "gates",
        "selection",
        "cutoffs",
        "fields",
    ]


def test_reverse_swaps_added_and_removed() -> None:
    a, b = load_scheme(BASE).scheme, load_scheme(DRAFT).scheme
    forward = {c.key: (c.kind, c.old, c.new) for c in diff_schemes(a, b).changes}
    backward = {c.key: (c.kind, c.old, c.new) for c in diff_schemes(b, a).changes}
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    assert backward == {key: (swap[kind], new, old) for key, (kind, old, new) in forward.items()}


def test_a_source_is_labelled_by_its_title(tmp_path: Path) -> None:
    text = Path(BASE).read_text(encoding="utf-8")
    more = tmp_path / "more.toml"
    more.write_text(
        text.replace(
            'title = "Test document"\n', 'title = "Test document"\nurl = "https://x.cn"\n'
        ),
        encoding="utf-8",
    )
    (change,) = diff_schemes(load_scheme(BASE).scheme, load_scheme(str(more)).scheme).changes
    assert (change.kind, change.key, change.label) == ("added", "sources.doc.url", "Test document")


@pytest.mark.parametrize("name", ["beijing-2018", "beijing-2020", "template"])
def test_same_content_is_identical(name: str, tmp_path: Path) -> None:
    """A scheme against itself written out again by tomli-w (other layout, same content)."""
    loaded = load_scheme(name)
    copy = tmp_path / "copy.toml"
    copy.write_text(dump_scheme(loaded.scheme), encoding="utf-8")
    result = diff_schemes(loaded.scheme, load_scheme(str(copy)).scheme)
    assert result.identical
    assert result.to_json() == {"a": name, "b": name, "identical": True, "changes": []}


def test_beijing_2018_to_2020() -> None:
    """The 2020 revision's known changes (reference §1.3, §1.4, §1.6)."""
    result = diff_schemes(load_scheme("beijing-2018").scheme, load_scheme("beijing-2020").scheme)
    changes = {c["key"]: c for c in result.to_json()["changes"]}

    def row(key: str) -> tuple[str, Any, Any]:
        return changes[key]["kind"], changes[key]["old"], changes[key]["new"]

    assert row("scheme.year") == ("changed", 2018, 2020)
    assert row("dates.as_of") == ("changed", "2017-12-31", "2019-12-31")
    assert row("dates.age_on") == ("changed", "2017-01-01", "2019-01-01")
    # partial credentials mapped down one level (§1.4)
    assert row("indicators[education].rule.points.bachelor_partial") == ("added", None, "10.5")
    assert changes["indicators[education].rule.points.bachelor_partial"]["label"] == "教育背景"
    # age: one band of 20 becomes 20/16/12/8/4 (then the default 0)
    kind, old, new = row("indicators[age].rule.bands")
    assert kind == "changed" and old == [{"below": "46", "points": "20"}]
    assert [band["points"] for band in new] == ["20", "16", "12", "8", "4"]
    # 职住区域 and 创新创业 rebuilt, 纳税 changed part
    assert changes["indicators[area_home]"]["kind"] == "removed"
    assert changes["indicators[area]"]["kind"] == "added"
    assert changes["indicators[innovation_contest]"]["kind"] == "added"
    assert changes["indicators[tax].parts[tax_paid]"]["kind"] == "removed"
    assert changes["indicators[tax].parts[iit]"]["label"] == "纳税 › 个人所得税≥10万元的年份"
    # study deduction capped at fixed years per level
    assert row("indicators[study_deduction].floor.values.doctor") == ("changed", "-11", "-37")
    # published cut-offs
    assert row("cutoffs[2018]")[0] == "removed"
    assert row("cutoffs[2020]")[2]["score"] == "97.13"
    assert row("cutoffs[2021]")[2]["score"] == "100.88"
    # unchanged parameters are not listed
    assert not any(key.startswith("indicators[employment].rule") for key in changes)
    assert "selection.quota" not in changes
    assert {c["kind"] for c in changes.values()} == {"added", "removed", "changed"}


def test_cli_table(runner: CliRunner) -> None:
    result = run(runner, "scheme", "diff", BASE, DRAFT)
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert out.startswith("diff-base → diff-draft")
    for title in ("metadata", "dates", "indicators", "groups", "gates", "selection", "cut-offs"):
        assert f"{title} ┏" in out, title
    lines = [flat(line) for line in result.stdout.splitlines()]
    assert "~ indicators[housing].cap 20 25" in lines
    assert "~ gates[insurance].require.at_least 84 60" in lines
    assert "− groups[extra].cap 20" in lines
    assert "+ selection.threshold 100" in lines
    assert "住所" in lines  # the label, under the first row of the item
    assert out.endswith(
        "5 added (+), 2 removed (−), 13 changed (~); and 1 change of sources, notes and labels "
        f"(`hukoucalc scheme diff --all {BASE} {DRAFT}` lists them)"  # as the user named them
    )
    assert "gates[insurance].label" not in out  # a label: not what the rule does


def test_cli_table_all_lists_sources_notes_and_labels(runner: CliRunner) -> None:
    result = run(runner, "scheme", "diff", "--all", BASE, DRAFT)
    lines = [flat(line) for line in result.stdout.splitlines()]
    assert '~ gates[insurance].label "社保满7年" "社保满5年"' in lines
    assert flat(result.stdout).endswith("5 added (+), 2 removed (−), 14 changed (~)")


def test_cli_table_at_80_columns_reads() -> None:
    """Four columns fit 80 characters; a whole removed item shows its body (its id and label are
    in the parameter column), and an item's label is shown once for its consecutive rows."""
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    result = run(narrow, "scheme", "diff", "beijing-2018", "beijing-2020")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    lines = [flat(line) for line in result.stdout.splitlines()]
    assert "− indicators[area_both] { source =" in lines
    assert 'id = "area_both"' not in result.stdout
    # seven rows of indicators[education], its label once
    assert [line for line in lines if line == "教育背景"] == ["教育背景"]
    assert "~ dates.as_of 2017-12-31 2019-12-31" in lines


def test_render_value_text() -> None:
    """Whole tables (a rule whose kind changed, an added cut-off) as inline TOML."""
    console = Console(file=StringIO(), width=300, color_system=None)
    render_diff(diff_schemes(load_scheme(BASE).scheme, load_scheme(DRAFT).scheme), console)
    out = flat(console.file.getvalue())  # type: ignore[attr-defined]
    assert '{ kind = "per_unit", points = 3, per = 12, unit = "month" }' in out
    assert 'cutoffs[2024] { year = 2024, score = 92.5, source = "doc#6" }' in out


def test_cli_identical(runner: CliRunner) -> None:
    result = run(runner, "scheme", "diff", "beijing-2020", "schemes/beijing-2020.toml")
    assert result.exit_code == 0
    assert flat(result.stdout) == "beijing-2020 → beijing-2020 no differences"


def test_cli_json(runner: CliRunner) -> None:
    result = run(runner, "scheme", "diff", BASE, DRAFT, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    base, draft = load_scheme(BASE), load_scheme(DRAFT)
    assert document["a"] == {"id": "diff-base", "sha256": base.sha256, "origin": BASE}
    assert document["b"] == {"id": "diff-draft", "sha256": draft.sha256, "origin": DRAFT}
    assert document["identical"] is False
    assert _rows(document) == PAIR
    assert {c["section"] for c in document["changes"]} >= {"scheme", "cutoffs", "fields"}


def test_cli_bad_scheme(runner: CliRunner) -> None:
    assert_error(run(runner, "scheme", "diff", BASE, "nowhere.toml"), 3, "nowhere.toml")
    assert_error(run(runner, "scheme", "diff", "atlantis", BASE), 4, "unknown scheme 'atlantis'")
    assert_error(
        run(runner, "scheme", "diff", BASE, "tests/data/mini_overlapping_bands.toml"), 4, "bands"
    )


def test_an_item_named_like_a_label_is_a_rule_change(runner: CliRunner, tmp_path: Path) -> None:
    """A field named "title" (Shanghai's 职称) is an applicant field, not a scheme's title."""
    text = Path("schemes/beijing-2020.toml").read_text(encoding="utf-8")
    draft = tmp_path / "draft.toml"
    draft.write_text(
        text.replace('id = "beijing-2020"', 'id = "with-title"')
        + '\n[fields.title]\ntype = "text"\nlabel = "职称"\nrequired = true\n',
        encoding="utf-8",
    )
    out = flat(run(runner, "scheme", "diff", "beijing-2020", draft).stdout)
    assert "+ fields.title" in out
    assert "the rules are the same" not in out
