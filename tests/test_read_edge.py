"""Malformed batch files: each is read honestly, as bad rows or one clear file error.

Rows with too few or too many cells, lone CR line ends, pipes and ``-``, hostile JSON Lines
(deep nesting, huge integers, repeated keys) and a wrong ``--encoding``. Every fixture is made in
``tmp_path`` from the hand-checked pool ``tests/data/rank/beijing-2018.csv`` (9 applicants, its
empty cells unquoted, as a spreadsheet writes them; the last column is mostly empty).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hukoucalc.batch.read import _cell_counts
from hukoucalc.errors import ExitCode

from .invoke import assert_error, flat, run

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests/data/rank/beijing-2018.csv"
SCHEME = ("-s", "beijing-2018")


def lines() -> list[str]:
    """The pool's lines: the header, then rows 2..10 (张三 is row 2, 周七 row 3, 吴八 row 4)."""
    return SOURCE.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, name: str, rows: list[str], end: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes((end.join(rows) + end).encode("utf-8"))
    return path


def rank(runner: CliRunner, path: Path, tmp_path: Path, *args: str) -> dict[str, Any]:
    """`rank --json` with -o and --errors in tmp_path: exit 0, the summary, the two files."""
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    result = run(runner, "rank", path, *SCHEME, "-o", out, "--errors", bad, *args, "--json")
    assert result.exit_code == ExitCode.OK, (result.stdout, result.stderr)
    return {**json.loads(result.stdout), "ranked": read_rows(out), "bad": read_rows(bad)}


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def errors(summary: dict[str, Any]) -> list[tuple[int, str, str, str]]:
    return [(int(e["row"]), e["column"], e["value"], e["reason"]) for e in summary["bad"]]


# -- rows with fewer or more cells than the header -------------------------------------------------


def test_a_short_row_is_a_bad_row_and_is_not_ranked(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    assert rows[3].startswith("110105198308080254,吴八,")
    rows[3] = "110105198308080254,吴八,male"  # 3 cells: no insurance, no education...
    summary = rank(runner, write(tmp_path, "short.csv", rows), tmp_path)
    assert errors(summary) == [(4, "residence_permit", "", "3 cells, the header has 10")]
    assert (summary["rows"], summary["invalid"]) == (9, 1)
    assert "吴八" not in [r["name"] for r in summary["ranked"]]
    assert len(summary["ranked"]) == 8  # the rows whose last cell is empty are whole: kept


def test_a_row_short_by_its_last_cell_only_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    assert rows[1].endswith(",bachelor,false,")  # 10 cells, the last one empty
    rows[1] = rows[1][:-1]  # 9 cells
    summary = rank(runner, write(tmp_path, "short.csv", rows), tmp_path)
    assert errors(summary) == [(2, "tax_violations", "", "9 cells, the header has 10")]


def test_a_short_row_after_a_quoted_line_break_keeps_its_row_number(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[1] = rows[1].replace(",张三,", ',"张三\n(二, 三)",')  # one record on two lines
    rows[3] = "110105198308080254,吴八"
    summary = rank(runner, write(tmp_path, "short.csv", rows), tmp_path)
    assert errors(summary) == [(4, "sex", "", "2 cells, the header has 10")]


def test_strict_stops_at_a_short_row(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    rows[3] = "110105198308080254,吴八,male"
    path = write(tmp_path, "short.csv", rows)
    result = run(runner, "rank", path, *SCHEME, "--strict")
    assert_error(result, ExitCode.APPLICANT, "short.csv", "row 4", "3 cells, the header has 10")


def test_a_long_row_is_a_bad_row_with_its_row_number(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    rows[2] = rows[2].replace("周七", "周,七")  # an unquoted comma: every cell after it moves
    summary = rank(runner, write(tmp_path, "long.csv", rows), tmp_path)
    assert errors(summary) == [(3, "*", "", "11 cells, the header has 10")]
    assert (summary["rows"], summary["invalid"]) == (9, 1)
    assert len(summary["ranked"]) == 8


def test_every_row_misfitting_the_header_is_a_file_error(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    rows[0] = rows[0].removesuffix(",tax_violations")  # the header lost a name
    path = write(tmp_path, "header.csv", rows)
    result = run(runner, "rank", path, *SCHEME)
    assert_error(
        result, ExitCode.INPUT_FILE, "header.csv", "10 cells, the header has 9", "header row"
    )


def test_compare_reports_a_short_row_too(runner: CliRunner, tmp_path: Path) -> None:
    compare = ROOT / "tests/data/compare"
    rows = (compare / "pool.csv").read_text(encoding="utf-8").splitlines()
    assert rows[3].startswith("110105197507201026,P3,1975-07-20,")
    rows[3] = "110105197507201026,P3,1975-07-20"
    bad = tmp_path / "bad.csv"
    path = write(tmp_path, "short.csv", rows)
    schemes = ("-s", compare / "a.toml", "-s", compare / "b.toml")
    result = run(runner, "compare", path, *schemes, "--errors", bad)
    assert result.exit_code == ExitCode.OK, (result.stdout, result.stderr)
    found = [(e["row"], e["column"], e["reason"]) for e in read_rows(bad)]
    assert [f for f in found if f[0] == "4"] == [("4", "education", "3 cells, the header has 8")]


# -- line ends, pipes, standard input, encodings ------------------------------------------------


def test_lone_cr_line_ends_read_as_lines(runner: CliRunner, tmp_path: Path) -> None:
    expected = rank(runner, write(tmp_path, "lf.csv", lines()), tmp_path)
    summary = rank(runner, write(tmp_path, "cr.csv", lines(), end="\r"), tmp_path)
    assert (summary["rows"], summary["invalid"]) == (9, 0)
    assert summary["ranked"] == expected["ranked"]


@pytest.mark.skipif(sys.platform == "win32", reason="no named pipes")
def test_a_pipe_is_not_a_regular_file(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pool.csv"
    os.mkfifo(fifo)
    result = run(runner, "rank", fifo, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "pool.csv", "not a regular file")


def test_standard_input_is_refused_with_its_own_message(runner: CliRunner) -> None:
    result = run(runner, "rank", "-", *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "standard input is not supported")


def test_gb18030_read_as_utf8_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gb.csv"
    path.write_bytes(("\n".join(lines()) + "\n").encode("gb18030"))
    result = run(runner, "rank", path, *SCHEME, "--encoding", "utf-8")
    assert_error(result, ExitCode.INPUT_FILE, "gb.csv", "not UTF-8", "line 2", "--encoding")


# -- JSON Lines ----------------------------------------------------------------------------------


def jsonl(tmp_path: Path, first: str | None = None, extra: str | None = None) -> Path:
    """The pool as JSON Lines (张三 on line 1): ``first`` replaces its first line, ``extra`` is
    put in as line 2."""
    records = list(csv.DictReader(io.StringIO("\n".join(lines()))))
    text = [json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) for r in records]
    if first is not None:
        text[0] = first
    if extra is not None:
        text.insert(1, extra)
    path = tmp_path / "pool.jsonl"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


ZHANG = (  # row 2 of the pool, as a JSON object without its closing brace
    '{"id_number": "110105198005100254", "name": "张三", "sex": "male", "residence_permit": '
    '"true", "social_insurance": "2008-01..2017-12", "rental": "2008-01..2017-12", '
    '"education": "bachelor", "tax_qualifies": "false"'
)


def test_a_deeply_nested_line_is_a_file_error(runner: CliRunner, tmp_path: Path) -> None:
    path = jsonl(tmp_path, extra="[" * 200_000 + "]" * 200_000)
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "pool.jsonl", "line 2", "nested too deeply")
    assert "RecursionError" not in flat(result.stderr)


def test_a_5000_digit_integer_is_a_bad_cell(runner: CliRunner, tmp_path: Path) -> None:
    path = jsonl(tmp_path, first=ZHANG + f', "tax_violations": {"9" * 5000}}}')
    summary = rank(runner, path, tmp_path)
    [(row, column, value, reason)] = errors(summary)
    assert (row, column, value) == (1, "tax_violations", "9" * 5000)
    assert reason.startswith("Input should be a valid tuple, got 999")  # a number, not dates
    assert (summary["rows"], summary["invalid"]) == (9, 1)


def test_a_repeated_key_is_a_bad_row(runner: CliRunner, tmp_path: Path) -> None:
    summary = rank(runner, jsonl(tmp_path, first=ZHANG + ', "sex": "female"}'), tmp_path)
    assert errors(summary) == [
        (1, "sex", "male | female", "given 2 times in the line: which one is meant?")
    ]
    assert len(summary["ranked"]) == 8


def test_a_row_of_one_cell_says_cell(runner: CliRunner, tmp_path: Path) -> None:
    """A stray line at the end of an export (one cell): "1 cell", not "1 cells"."""
    path = tmp_path / "stray.csv"
    made = run(runner, "synth", "-s", "beijing-2020", "--n", "3", "-o", path)
    assert made.exit_code == 0, made.stderr
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    path.write_bytes(path.read_bytes() + b"x\n")
    bad = tmp_path / "bad.csv"
    result = run(runner, "rank", path, "-s", "beijing-2020", "--errors", bad, "--json")
    assert result.exit_code == 0, result.stderr
    line = bad.read_text(encoding="utf-8-sig").splitlines()[1]
    assert line.endswith(f'"1 cell, the header has {len(header)}"')


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_column_named_like_the_row_numbers_is_refused(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    """`__row` is the tool's own column (was exit 70 in a CSV, overwrote row numbers in JSONL)."""
    path = tmp_path / f"pool{suffix}"
    if suffix == ".csv":
        path.write_text("__row,sex\n7,male\n", encoding="utf-8")
    else:
        path.write_text('{"__row": 7, "sex": "male"}\n', encoding="utf-8")
    result = run(runner, "rank", path, "-s", "beijing-2020")
    assert_error(result, ExitCode.INPUT_FILE, path.name, "a column named __row")


_CELL = st.one_of(
    st.text(alphabet="ab ,", max_size=4).filter(lambda t: "," not in t),  # bare
    st.text(alphabet='ab,\n"', max_size=5).map(lambda t: '"' + t.replace('"', '""') + '"'),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=8))
def test_cells_are_counted_as_a_csv_parser_counts_them(rows: list[list[str]]) -> None:
    """The cell count of each record, quoted commas, quotes and line breaks included, is the
    csv module's (the batch reader counts them in one pass over the text's lines)."""
    text = "\n".join(",".join(row) for row in rows) + "\n"
    expected = [len(record) for record in csv.reader(io.StringIO(text, newline=""))]
    records = pl.Series(range(len(expected)))
    assert _cell_counts(text.encode(), "\n", records).to_list() == expected
