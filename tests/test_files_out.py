"""Issue 12, the output side: outputs by suffix (.csv, .jsonl, .xlsx, .parquet), read back."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from hukoucalc.errors import ExitCode

from .invoke import assert_error, run

POOL = "tests/data/rank/beijing-2018.csv"
FORMULAS = "tests/data/rank/formulas.csv"
RANK = ("rank", POOL, "-s", "beijing-2018", "--quota", "4")


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def sheet(path: Path) -> Any:
    return openpyxl.load_workbook(path).worksheets[0]


def test_xlsx_output_is_a_workbook_with_text_ids_and_numeric_points(
    runner: CliRunner, tmp_path: Path
) -> None:
    run(runner, *RANK, "-o", tmp_path / "ranked.csv")
    expected = csv_rows(tmp_path / "ranked.csv")
    out = tmp_path / "ranked.xlsx"
    result = run(runner, *RANK, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"  # a zip: a workbook, not CSV under an .xlsx name
    ws = sheet(out)
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == list(expected[0])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(rows)}"
    ids = header.index("id_number")
    total = header.index("total")
    for got, want in zip(rows[1:], expected, strict=True):
        assert isinstance(got[ids], str) and got[ids] == want["id_number"]
        assert isinstance(got[total], int | float) and f"{got[total]:.2f}" == want["total"]
    total_cell = ws.cell(2, total + 1)
    assert total_cell.number_format == "0.00"
    assert ws.cell(2, ids + 1).data_type == "s"


def test_xlsx_text_never_becomes_a_formula(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ranked.xlsx"
    result = run(runner, "rank", FORMULAS, "-s", "beijing-2018", "-o", out)
    assert result.exit_code == 0, result.stderr
    rows = list(sheet(out).iter_rows(values_only=True))
    names = [row[rows[0].index("name")] for row in rows[1:]]
    assert "=1+2" in names and "+SUM(A1:A2)" in names  # as typed: text, not neutralised
    ws = sheet(out)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_parquet_output_keeps_the_types(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, *RANK, "-o", tmp_path / "ranked.csv")
    expected = csv_rows(tmp_path / "ranked.csv")
    out = tmp_path / "ranked.parquet"
    assert run(runner, *RANK, "-o", out).exit_code == 0
    frame = pl.read_parquet(out)
    assert frame.columns == list(expected[0])
    assert frame.schema["id_number"] == pl.String
    assert isinstance(frame.schema["total"], pl.Decimal)
    assert [str(v) for v in frame["total"]] == [r["total"] for r in expected]


@pytest.mark.parametrize("option", ["-o", "--errors"])
@pytest.mark.parametrize("name", ["ranked.txt", "ranked.xls", "ranked"])
def test_rank_refuses_an_output_of_no_known_format(
    runner: CliRunner, tmp_path: Path, option: str, name: str
) -> None:
    result = run(runner, *RANK, option, tmp_path / name)
    word = "--output" if option == "-o" else "--errors"
    assert_error(result, ExitCode.USAGE, word, f"'{name}'", ".csv, .jsonl, .parquet, .xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet"])
def test_errors_are_written_in_the_format_of_their_suffix(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"bad{suffix}"
    result = run(
        runner, "rank", "tests/data/rank/bad-rows.csv", "-s", "beijing-2018", "--errors", out
    )
    assert result.exit_code in (0, ExitCode.NOTHING_RANKED), result.stderr
    if suffix == ".csv":
        rows = csv_rows(out)
    elif suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    elif suffix == ".parquet":
        rows = pl.read_parquet(out).to_dicts()
    else:
        values = list(sheet(out).iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert rows and set(rows[0]) == {"row", "column", "value", "reason"}


def test_compare_movers_by_suffix(runner: CliRunner, tmp_path: Path) -> None:
    base = (
        "compare",
        "tests/data/compare/pool.csv",
        "-s",
        "tests/data/compare/a.toml",
        "-s",
        "tests/data/compare/b.toml",
    )
    bad = run(runner, *base, "--movers", tmp_path / "movers.txt")
    assert_error(bad, ExitCode.USAGE, "--movers", "'movers.txt'")
    out = tmp_path / "movers.xlsx"
    assert run(runner, *base, "--movers", out).exit_code == 0
    header = next(sheet(out).iter_rows(values_only=True))
    assert list(header) == ["id", "scheme", "direction", "baseline_rank", "new_rank"]


# -- safe files and signals ------------------------------------------------------------------------


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_new_output_holding_id_numbers_is_private(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    out, bad = tmp_path / f"ranked{suffix}", tmp_path / "bad.csv"
    run(
        runner,
        "rank",
        "tests/data/rank/bad-rows.csv",
        "-s",
        "beijing-2018",
        "-o",
        out,
        "--errors",
        bad,
    )
    assert mode(out) == 0o600 and mode(bad) == 0o600


@pytest.mark.parametrize("kept", [0o600, 0o640, 0o644])
def test_an_existing_outputs_mode_is_kept(runner: CliRunner, tmp_path: Path, kept: int) -> None:
    out = tmp_path / "ranked.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(kept)
    assert run(runner, *RANK, "-o", out).exit_code == 0
    assert mode(out) == kept and out.read_text("utf-8-sig") != "old\n"


def test_a_part_left_by_a_killed_run_is_removed_by_the_next(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "ranked.csv"
    dead = tmp_path / ".ranked.csv.999999999.k3j_x9q1.part"  # no such process
    old_style = tmp_path / ".ranked.csv.k3j_x9q1.part"
    alive = tmp_path / f".ranked.csv.{os.getppid()}.abcdefgh.part"  # a running process: kept
    other = tmp_path / ".other.csv.999999999.k3j_x9q1.part"  # another output's: kept
    for part in (dead, old_style, alive, other):
        part.write_text("half", encoding="utf-8")
    assert run(runner, *RANK, "-o", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, alive.name, other.name])


def _pool(runner: CliRunner, folder: Path, n: int) -> Path:
    pool = folder / "pool.csv"
    assert run(runner, "synth", "-s", "beijing-2020", "--n", str(n), "-o", pool).exit_code == 0
    return pool


@pytest.mark.parametrize(
    ("signum", "code"),
    [
        (signal.SIGTERM, ExitCode.TERMINATED),
        (signal.SIGHUP, ExitCode.HANGUP),
        (signal.SIGINT, ExitCode.INTERRUPTED),
    ],
)
def test_a_signal_during_the_write_leaves_the_old_file_and_no_part(
    runner: CliRunner, tmp_path: Path, signum: int, code: int
) -> None:
    pool = _pool(runner, tmp_path, 6000)
    out = tmp_path / "ranked.xlsx"  # written cell by cell in Python: a long write to stop
    out.write_bytes(b"old list")
    out.chmod(0o600)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hukoucalc",
            "rank",
            str(pool),
            "-s",
            "beijing-2020",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        assert process.poll() is None, "finished before the write could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "nothing written" in err and "Traceback" not in err
    assert out.read_bytes() == b"old list" and mode(out) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pool.csv", "ranked.xlsx"]


# -- the summary: why rows are left out; nothing ranked is an exit status -----------------------


def rank_json(runner: CliRunner, *args: str | Path) -> tuple[int, dict[str, Any], str]:
    result = run(runner, "rank", *args, "--json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_the_summary_breaks_down_the_invalid_and_the_ineligible(runner: CliRunner) -> None:
    code, summary, _ = rank_json(runner, "tests/data/rank/bad-rows.csv", "-s", "beijing-2018")
    assert code == 0
    reasons = summary["invalid_by_reason"]
    assert reasons["id_number: duplicate ID number"] == 2
    assert reasons["birth_date: … is not a date"] == 1
    assert reasons["sex: needed to look a value up by it: give it, or a valid ID number"] == 1
    assert sum(reasons.values()) >= summary["invalid"]
    code, summary, _ = rank_json(runner, POOL, "-s", "beijing-2018")
    assert summary["ineligible_by_gate"]["residence_permit"] == 1  # 吴八
    assert sum(summary["ineligible_by_gate"].values()) >= summary["ineligible"]


def test_every_row_invalid_is_said_on_stderr_and_exits_7(runner: CliRunner, tmp_path: Path) -> None:
    pool = tmp_path / "excel-dates.csv"
    pool.write_text(
        "id_number,name,birth_date,sex,residence_permit,social_insurance\n"
        "110105198005100254,张三,1980/5/10,male,true,2008-01..2017-12\n"
        "110105198203150244,李四,1982/3/15,female,true,2008-01..2017-12\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    code, summary, err = rank_json(runner, pool, "-s", "beijing-2018", "--errors", bad)
    assert code == ExitCode.NOTHING_RANKED == 7
    assert "every row is invalid (2)" in err
    assert summary["invalid"] == 2 and summary["invalid_by_reason"] == {
        "birth_date: … is not a date": 2
    }
    assert bad.exists()  # the bad rows are written: they say what to fix
    shown = run(runner, "rank", pool, "-s", "beijing-2018")
    assert shown.exit_code == 7 and "birth_date: … is not a date" in shown.stdout


def test_none_eligible_is_said_on_stderr_and_exits_7(runner: CliRunner, tmp_path: Path) -> None:
    pool = tmp_path / "no-permits.csv"
    pool.write_text(Path(POOL).read_text("utf-8").replace(",true,", ",false,"), encoding="utf-8")
    code, summary, err = rank_json(runner, pool, "-s", "beijing-2018")
    assert code == ExitCode.NOTHING_RANKED
    assert summary["eligible"] == 0 and "no applicant is eligible" in err


# -- the public list (公示名单) --------------------


def test_publish_writes_the_public_list_of_the_admitted(runner: CliRunner, tmp_path: Path) -> None:
    pub, out = tmp_path / "公示.csv", tmp_path / "ranked.csv"
    code, summary, err = rank_json(runner, *RANK[1:], "-o", out, "--publish", pub)
    assert code == 0 and summary["publish"] == str(pub)
    assert summary["publish_missing"] == ["单位"]  # a column of the office's file: not in this one
    assert "leaves out 单位" in err and "[publish]" in err
    rows = csv_rows(pub)
    ranked = [r for r in csv_rows(out) if r["admitted"] == "true"]
    header = list(rows[0])
    assert header[:4] == ["序号", "姓名", "出生年月", "公民身份号码"]
    assert header[-1] == "积分分值" and "合法稳定就业" in header and "单位名称" not in header
    assert len(rows) == len(ranked) == 5
    for got, want in zip(rows, ranked, strict=True):
        number = want["id_number"]
        assert got["公民身份号码"] == number[:6] + "********" + number[-4:]
        assert got["出生年月"] == f"{number[6:10]}-{number[10:12]}"
        assert (got["序号"], got["姓名"], got["积分分值"]) == (
            want["rank"],
            want["name"],
            want["total"],
        )
    assert rows[0]["公民身份号码"] == "110105********0252"


def test_publish_follows_the_schemes_publish_table(runner: CliRunner, tmp_path: Path) -> None:
    scheme = tmp_path / "mine.toml"
    scheme.write_text(
        '[scheme]\nextends = "beijing-2018"\nid = "mine"\n\n'
        "[publish]\n"
        'columns = ["id_number", "name", "total", "admitted"]\n'
        'headers = { total = "总分", admitted = "是否落户" }\n'
        'keep_start = 3\nkeep_end = 2\nmask = "#"\nadmitted_only = false\n',
        encoding="utf-8",
    )
    pub = tmp_path / "public.xlsx"
    code, summary, _ = rank_json(runner, POOL, "-s", scheme, "--quota", "4", "--publish", pub)
    assert code == 0 and summary["publish_missing"] == []
    rows = list(sheet(pub).iter_rows(values_only=True))
    assert rows[0] == ("公民身份号码", "姓名", "总分", "是否落户")
    assert len(rows) - 1 == summary["eligible"]  # every ranked applicant, not only the admitted
    assert rows[1][0] == "110#############52" and rows[1][1] == "王五"
    assert rows[1][2] == 82 and rows[1][3] is True
    assert sheet(pub).cell(2, 3).number_format == "0.00"


def test_publish_refuses_a_name_of_no_known_format(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, *RANK, "--publish", tmp_path / "public.doc")
    assert_error(result, ExitCode.USAGE, "--publish", "'public.doc'")
    assert list(tmp_path.iterdir()) == []


# -- explain one row: score a row of a batch --------------------------------------------------


def _as_json_file(folder: Path, row: dict[str, str]) -> Path:
    """The row as an applicant file: empty cells left out, booleans and whole numbers typed."""
    data: dict[str, Any] = {}
    for key, text in row.items():
        if text == "":
            continue
        if text in ("true", "false"):
            data[key] = text == "true"
        elif text.isdigit() and key != "id_number":
            data[key] = int(text)
        else:
            data[key] = text
    path = folder / "one.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["--id", "--row"])
def test_score_explains_one_row_of_a_batch_as_it_scores_a_json_file(
    runner: CliRunner, tmp_path: Path, how: str
) -> None:
    rows = csv_rows(Path(POOL))
    one = _as_json_file(tmp_path, rows[3])
    by = rows[3]["id_number"] if how == "--id" else "5"  # the 4th application: row 5 of the file
    for args in ((), ("--json",)):
        alone = run(runner, "score", one, "-s", "beijing-2018", *args)
        batch = run(runner, "score", POOL, "-s", "beijing-2018", how, by, *args)
        assert alone.exit_code == batch.exit_code == 0, batch.stderr
        shown = batch.stdout.replace(f"{POOL}, row 5", str(one))
        assert _unboxed(shown) == _unboxed(alone.stdout)  # boxes as wide as the applicant's name


def _unboxed(text: str) -> str:
    return " ".join(re.sub("[\u2500-\u257f]", " ", text).split())


def test_score_of_a_bad_row_gives_the_json_files_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(
        runner, "score", "tests/data/rank/bad-rows.csv", "-s", "beijing-2018", "--row", "3"
    )
    assert_error(
        result, ExitCode.APPLICANT, "bad-rows.csv, row 3", "field 'birth_date'", "is not a date"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--row", "99"), "no row 99"),
        (("--id", "110105198005100999"), "no applicant with the ID number 110105198005100999"),
        (("--id", "1", "--row", "2"), "give one of --id and --row"),
    ],
)
def test_score_of_a_row_not_there_is_a_usage_error(
    runner: CliRunner, args: tuple[str, ...], expected: str
) -> None:
    result = run(runner, "score", POOL, "-s", "beijing-2018", *args)
    assert_error(result, ExitCode.USAGE, expected)


# -- ID numbers and plausibility -----------------------------------------------------------------

HEAD = "id_number,name,birth_date,sex,residence_permit,social_insurance,rental\n"
GOOD = "110105198005100254,张三,,male,true,2008-01..2017-12,\n"


def _errors_of(runner: CliRunner, folder: Path, body: str, *scheme: str) -> list[dict[str, str]]:
    pool, bad = folder / "pool.csv", folder / "bad.csv"
    pool.write_text(HEAD + GOOD + body, encoding="utf-8")
    result = run(runner, "rank", pool, *(scheme or ("-s", "beijing-2018")), "--errors", bad)
    assert result.exit_code == 0, result.stderr
    return csv_rows(bad)


def test_a_row_without_an_id_number_is_a_bad_row(runner: CliRunner, tmp_path: Path) -> None:
    errors = _errors_of(runner, tmp_path, ",李四,1982-03-15,female,true,2008-01..2017-12,\n")
    assert [(e["row"], e["column"]) for e in errors] == [("3", "id_number")]
    assert errors[0]["reason"].startswith("the ID number is missing")


def test_a_scheme_may_allow_no_id_number_then_duplicates_are_by_name_and_birth_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    scheme = tmp_path / "anonymous.toml"
    scheme.write_text(
        '[scheme]\nextends = "beijing-2018"\nid = "anonymous"\n\n'
        "[selection]\nallow_missing_id = true\n",
        encoding="utf-8",
    )
    body = (
        ",李四,1982-03-15,female,true,2008-01..2017-12,\n"
        ",李四,1982-03-15,female,true,2009-01..2017-12,\n"
        ",李四,1983-03-15,female,true,2008-01..2017-12,\n"
    )
    errors = _errors_of(runner, tmp_path, body, "-s", str(scheme))
    assert [(e["row"], e["reason"]) for e in errors] == [
        ("3", "no ID number, and the same name and birth_date as rows 3, 4"),
        ("4", "no ID number, and the same name and birth_date as rows 3, 4"),
    ]


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (
            "110105201806010018,王五,2018-06-01,male,true,,",
            "birth_date",
            "birth date 2018-06-01 is after the scheme's cut-off 2017-12-31",
        ),
        (
            "110105198005100019,王五,1980-05-10,male,true,2008-01..2017-12,1979-01..2017-12",
            "rental",
            "a period from 1979-01 starts before the birth date 1980-05-10",
        ),
    ],
)
def test_an_implausible_record_is_a_bad_row_and_score_refuses_it_alike(
    runner: CliRunner, tmp_path: Path, cells: str, column: str, reason: str
) -> None:
    errors = _errors_of(runner, tmp_path, cells + "\n")
    assert [(e["row"], e["column"], e["reason"]) for e in errors] == [("3", column, reason)]
    row = dict(zip(HEAD.strip().split(","), cells.split(","), strict=True))
    scored = run(runner, "score", _as_json_file(tmp_path, row), "-s", "beijing-2018")
    assert_error(scored, ExitCode.APPLICANT, f"field '{column}'", reason)
    batch = run(runner, "score", tmp_path / "pool.csv", "-s", "beijing-2018", "--row", "3")
    assert_error(batch, ExitCode.APPLICANT, f"field '{column}'", reason)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet"])
def test_score_of_a_batch_without_a_row_asks_for_one(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    """Not 'not UTF-8 text (byte 15)' for a workbook: the file is a batch, name one row."""
    path = tmp_path / f"pool{suffix}"
    path.write_bytes(b"PK\x03\x04 not read")
    result = run(runner, "score", path, "-s", "beijing")
    assert_error(result, ExitCode.USAGE, "a batch of applications", "--id", "--row")
