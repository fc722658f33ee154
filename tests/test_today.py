"""One `today`: the day that decides validity is resolved once by the CLI (``--today`` or
``$HUKOUCALC_TODAY``, else the system's date), passed down, and recorded in every --json
document."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hukoucalc.applicant import validate_applicant
from hukoucalc.errors import ApplicantError, ExitCode
from hukoucalc.scheme.load import load_scheme

from .invoke import assert_error, run

PACKAGE = Path(__file__).resolve().parents[1] / "hukoucalc"
APPLICANT = "examples/applicant.json"  # ID number 110105198003074515: born 1980-03-07
POOL = "tests/data/rank/beijing-2018.csv"  # 张三 110105198005100254: born 1980-05-10


def _json(runner: CliRunner, *args: str) -> Any:
    result = run(runner, *args, "--json")
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_score_refuses_an_id_number_born_after_today(runner: CliRunner) -> None:
    result = run(runner, "--today", "1980-03-06", "score", APPLICANT)
    assert_error(result, ExitCode.APPLICANT, "birth date 1980-03-07 is impossible")
    assert run(runner, "--today", "1980-03-07", "score", APPLICANT).exit_code == 0


def test_the_day_may_come_from_the_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUKOUCALC_TODAY", "1980-03-06")
    assert_error(run(runner, "score", APPLICANT), ExitCode.APPLICANT, "is impossible")
    # the option wins over the environment
    assert run(runner, "--today", "2000-01-01", "score", APPLICANT).exit_code == 0


def test_rank_refuses_rows_born_after_today(runner: CliRunner) -> None:
    before = _json(runner, "--today", "1980-05-09", "rank", POOL, "-s", "beijing-2018")
    on_the_day = _json(runner, "--today", "1980-05-10", "rank", POOL, "-s", "beijing-2018")
    assert before["invalid"] == on_the_day["invalid"] + 1
    assert (before["today"], on_the_day["today"]) == ("1980-05-09", "1980-05-10")


def test_a_birth_date_for_an_age_after_today_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """The template's age is computed from a birth date given as such (no ID number)."""
    args = ("score", "examples/applicant-template.json")  # born 1990-06-15
    future = "field 'birth_date' (出生日期): birth date 1990-06-15 is in the future"
    assert_error(run(runner, "--today", "1990-06-14", *args), ExitCode.APPLICANT, future)
    assert run(runner, "--today", "1990-06-15", *args).exit_code == 0
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "id_number,name,birth_date,residence_permit,social_insurance\n"
        "110105199006150020,甲,1990-06-15,true,2016-03..2025-12\n",
        encoding="utf-8",
    )
    rank = ("rank", str(pool), "-s", "template")
    assert _json(runner, "--today", "1990-06-15", *rank)["invalid"] == 0
    result = run(runner, "--today", "1990-06-14", *rank, "--strict")
    assert_error(result, ExitCode.APPLICANT, "row 2", "birth date 1990-06-15 is in the future")


def test_the_library_takes_the_day_as_a_parameter() -> None:
    scheme = load_scheme("beijing-2018").scheme
    data = json.loads(Path(APPLICANT).read_text(encoding="utf-8"))
    data.pop("scheme")
    assert validate_applicant(scheme, data, where="a", today=dt.date(1980, 3, 7))
    with pytest.raises(ApplicantError, match="1980-03-07 is impossible"):
        validate_applicant(scheme, data, where="a", today=dt.date(1980, 3, 6))


@pytest.mark.parametrize(
    "args",
    [
        ("score", APPLICANT),
        ("score", APPLICANT, "-s", "beijing-2018", "-s", "beijing-2020"),
        ("rank", POOL, "-s", "beijing-2018"),
        ("plan", "examples/applicant-beijing-2020.json"),
        (
            "compare",
            "tests/data/compare/pool.csv",
            "-s",
            "tests/data/compare/a.toml",
            "-s",
            "tests/data/compare/b.toml",
        ),
        ("scheme", "check", "template"),
        ("scheme", "list"),
        ("scheme", "diff", "beijing-2018", "beijing-2020"),
    ],
    ids=["score", "score-several", "rank", "plan", "compare", "check", "list", "diff"],
)
def test_every_json_document_records_the_day(runner: CliRunner, args: tuple[str, ...]) -> None:
    doc = _json(runner, "--today", "2026-02-03", *args)
    documents = doc.get("scorecards", [doc]) if isinstance(doc, dict) else doc
    assert documents
    assert all(d["today"] == "2026-02-03" for d in documents)


def test_the_default_is_the_system_date(runner: CliRunner) -> None:
    before = dt.date.today().isoformat()
    doc = _json(runner, "score", APPLICANT)
    assert doc["today"] in (before, dt.date.today().isoformat())
    assert list(doc)[:2] == ["hukoucalc", "today"]


@pytest.mark.parametrize("given", ["yesterday", "2026-02-30", "2026-2-3", ""])
def test_a_day_that_is_no_date_is_a_usage_error(runner: CliRunner, given: str) -> None:
    result = run(runner, "--today", given, "score", APPLICANT)
    assert result.exit_code == ExitCode.USAGE
    assert "YYYY-MM-DD" in result.stderr


def test_only_the_cli_reads_the_clock() -> None:
    readers = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\btoday\(\)|\bnow\(", line)
    ]
    assert [where.partition(":")[0] for where in readers] == ["hukoucalc/cli/common.py"]
