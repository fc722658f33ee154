"""Outputs of the batch commands: only regular files are written (a device or a pipe is never
replaced, as root could), a link is written through, and a command's outputs are all written
or none (a failure on the second leaves the first untouched)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hukoucalc import atomic
from hukoucalc.errors import ExitCode, OutputError

from .invoke import assert_error, run

POOL = "tests/data/rank/beijing-2018.csv"
RANK = ("rank", POOL, "-s", "beijing-2018")


@pytest.mark.parametrize("option", ["-o", "--errors"])
def test_a_pipe_is_never_replaced_by_a_file(runner: CliRunner, tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = run(runner, *RANK, option, fifo)
    assert_error(
        result, ExitCode.OUTPUT, "pipe.csv", "a device, pipe or socket, not a regular file"
    )
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe.csv"]


def test_a_device_is_refused_even_at_the_last_moment(tmp_path: Path) -> None:
    """write_all checks again (a path may change between the check and the write)."""
    fifo = tmp_path / "late.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic.write_text_atomically(fifo, "text")
    assert fifo.is_fifo()


def test_a_link_is_written_through(runner: CliRunner, tmp_path: Path) -> None:
    target, link = tmp_path / "real.csv", tmp_path / "link.csv"
    target.write_text("old\n", encoding="utf-8")
    link.symlink_to(target)
    result = run(runner, *RANK, "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8-sig").startswith("rank,")


def test_a_failed_second_output_leaves_the_first_untouched(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    ranked.write_text("the list of an earlier run\n", encoding="utf-8")
    real = atomic.write_all

    def failing(outputs: list[tuple[Path, atomic.Writer]], **options: Any) -> None:
        def full(temp: str) -> None:
            Path(temp).write_text("half", encoding="utf-8")
            raise OSError(28, "No space left on device")

        real([*outputs[:-1], (outputs[-1][0], full)], **options)

    monkeypatch.setattr("hukoucalc.cli.outputs.write_all", failing)
    result = run(runner, *RANK, "-o", ranked, "--errors", bad)
    assert_error(result, ExitCode.OUTPUT, "bad.csv", "No space left on device")
    assert ranked.read_text(encoding="utf-8") == "the list of an earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranked.csv"]  # no .part left


def test_compare_writes_all_its_outputs_or_none(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    movers, report = tmp_path / "movers.csv", tmp_path / "report.html"
    real = atomic.write_all

    def failing(outputs: list[tuple[Path, atomic.Writer]], **options: Any) -> None:
        def too_big(temp: str) -> None:
            raise OSError(27, "File too large")

        real([*outputs[:-1], (outputs[-1][0], too_big)], **options)

    monkeypatch.setattr("hukoucalc.cli.outputs.write_all", failing)
    schemes = ("-s", "tests/data/compare/a.toml", "-s", "tests/data/compare/b.toml")
    pool = "tests/data/compare/pool.csv"
    result = run(runner, "compare", pool, *schemes, "--movers", movers, "--report", report)
    assert_error(result, ExitCode.OUTPUT, "report.html", "File too large")
    assert list(tmp_path.iterdir()) == []
