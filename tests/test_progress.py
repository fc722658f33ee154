"""The progress bar of ``rank`` and ``compare`` on a terminal: every stage is named, in order,
with its number; nothing is drawn when stderr is not a terminal or with ``--json``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from hukoucalc.cli.progress import stage_bar

from .invoke import run

RANK_POOL = "tests/data/rank/beijing-2018.csv"
COMPARE_POOL = "tests/data/compare/pool.csv"
COMPARE = ("-s", "tests/data/compare/a.toml", "-s", "tests/data/compare/b.toml")


def _terminal(monkeypatch: pytest.MonkeyPatch, command: str) -> io.StringIO:
    """stderr of ``command`` as a 120-column terminal without colours; what it drew."""
    drawn = io.StringIO()
    console = Console(
        file=drawn,
        force_terminal=True,
        width=120,
        color_system=None,
        _environ={"TERM": "xterm"},  # the runner's TERM=dumb would hide the bar, as it should
    )
    monkeypatch.setattr(f"hukoucalc.cli.{command}_cmd.stderr", lambda: console)
    return drawn


def _stages(drawn: str) -> list[str]:
    """The stages drawn, in order, each once (a label ends where the bar or the padding starts)."""
    found: list[str] = []
    for stage in re.findall(r"\[\d+/\d+\] (\S+(?: \S+)*?)(?=\s{2,}|\s[━╸╺])", drawn):
        if stage not in found:
            found.append(stage)
    return found


def test_rank_names_each_stage_in_order(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    drawn = _terminal(monkeypatch, "rank")
    result = run(runner, "rank", RANK_POOL, "-s", "beijing-2018", "-o", tmp_path / "r.csv")
    assert result.exit_code == 0, result.stderr
    shown = drawn.getvalue()
    stages = ["reading", "validating", "scoring", "ranking", "writing results"]
    for k, stage in enumerate(stages, start=1):
        assert f"beijing-2018.csv [{k}/5] {stage}" in shown
    assert _stages(shown) == stages


def test_compare_names_each_stage_and_scheme_in_order(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = _terminal(monkeypatch, "compare")
    result = run(runner, "compare", COMPARE_POOL, *COMPARE)
    assert result.exit_code == 0, result.stderr
    assert _stages(drawn.getvalue()) == [
        "reading",
        "validating",
        "scoring under cmp-current",
        "scoring under cmp-draft",
        "comparing",
        "writing results",
    ]


def test_json_draws_no_bar(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _terminal(monkeypatch, "rank")
    result = run(runner, "rank", RANK_POOL, "-s", "beijing-2018", "--json")
    assert result.exit_code == 0, result.stderr
    assert "[1/5]" not in drawn.getvalue()


def test_the_bar_moves_by_each_stages_weight() -> None:
    drawn = io.StringIO()
    console = Console(file=drawn, force_terminal=True, width=60, color_system=None)
    with stage_bar(console, "[pool].csv", [("a", 1.0), ("b", 3.0)]) as step:
        step("a")
        step("b")
        with pytest.raises(ValueError, match="'c' is not in list"):
            step("c")  # a stage the plan does not name is a bug, not a silent bar
    shown = drawn.getvalue()
    assert "[pool].csv [1/2] a" in shown and "[pool].csv [2/2] b" in shown


def test_not_shown_is_silent() -> None:
    drawn = io.StringIO()
    console = Console(file=drawn, force_terminal=True, width=60)
    with stage_bar(console, "pool.csv", [("a", 1.0)], quiet=True) as step:
        step("a")
        step("not a stage")
    assert drawn.getvalue() == ""
