"""A city office's real files read honestly (issue 12, the input side).

Hostile inputs refused before a parser sees them, control characters kept off the terminal,
encodings never guessed wrong, malformed records costing only their rows, workbooks and Parquet
files, headers by label, and the columns a scheme does not score carried into the list.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hukoucalc.errors import ExitCode

from .invoke import assert_error, flat, run

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests/data/rank/beijing-2018.csv"
SCHEME = ("-s", "beijing-2018")


def lines() -> list[str]:
    """The pool's lines: the header, then rows 2..10 (张三 is row 2, 周七 row 3, 吴八 row 4)."""
    return SOURCE.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def rank(runner: CliRunner, path: Path, tmp_path: Path, *args: str) -> dict[str, Any]:
    """`rank --json` with -o and --errors in tmp_path: exit 0, the summary, the two files."""
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    result = run(runner, "rank", path, *SCHEME, "-o", out, "--errors", bad, *args, "--json")
    assert result.exit_code == ExitCode.OK, (result.stdout, result.stderr)
    return {**json.loads(result.stdout), "ranked": read_rows(out), "bad": read_rows(bad)}


def errors(summary: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(int(e["row"]), e["column"], e["reason"]) for e in summary["bad"]]


# -- bounded on hostile input --------------------------------------------------------------------


def test_a_header_of_2001_columns_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "wide.csv", [",".join(f"c{k}" for k in range(2001)), "1" * 3])
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "wide.csv", "2,001 columns", "2,000")


def test_a_header_line_over_1_mb_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b"x" * (1 << 20) + b"y\n1\n")
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "long.csv", "header line is over 1 MB")


def test_a_file_of_nul_bytes_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("nul.csv", "nul.jsonl"):
        path = tmp_path / name
        path.write_bytes(b"id_number,name\n" + b"\0" * 300_000)
        result = run(runner, "rank", path, *SCHEME)
        assert_error(result, ExitCode.INPUT_FILE, name, "mostly NUL bytes")


def test_control_characters_of_a_cell_never_reach_the_terminal(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[1] = rows[1].replace(",male,", ",\x1b[2Jmale\r,")
    result = run(runner, "rank", write(tmp_path, "esc.csv", rows), *SCHEME)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "\\x1b[2Jmale is not one of" in flat(result.stderr)
