"""A value is judged the same in an applicant JSON file (``score``: the Pydantic model) and in a
CSV cell (``rank``: the fast and the exact batch parsers): the same verdict, the same reason.

Each case is run both ways: ``score`` must refuse the file (exit 5) naming the field and the
reason; ``rank --errors`` must report exactly that cell, with the same reason, and rank nothing.
The reading of the JSON file itself (a key twice, deep nesting, a huge number) has no CSV
counterpart and is checked through ``score`` alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hukoucalc.errors import ExitCode

from .invoke import assert_error, run

ID = "110105198501010012"  # born 1985-01-01, male: rank refuses a row without an ID number
BASE: dict[str, dict[str, Any]] = {  # a valid applicant of each scheme used below
    "beijing-2018": {
        "id_number": ID,
        "sex": "male",
        "birth_date": "1985-01-01",
        "residence_permit": True,
    },
    "shenzhen-2020": {"id_number": ID, "birth_date": "1985-01-01"},
    "guangzhou-2015": {"id_number": ID, "birth_date": "1985-01-01", "residence_permit": True},
    "tests/data/parity/places6.toml": {"birth_date": "1985-01-01", "residence_permit": True},
    "tests/data/parity/beijing-no-id.toml": {
        "sex": "male",
        "birth_date": "1985-01-01",
        "residence_permit": True,
    },
}
LATER = dt.date.today() + dt.timedelta(days=400)

CASES = [  # scheme, field, value in JSON, the reason both must give (the CSV cell: str(value))
    pytest.param(
        "beijing-2018",
        "social_insurance",
        "0000-01..2019-12",
        "'0000-01' is not a month from 1800 on",
        id="period-year-0000",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        "2005-01..2019-12;1799-12..2000-01",
        "'1799-12' is not a month from 1800 on",
        id="period-second-range-1799",
    ),
    pytest.param(
        "beijing-2018",
        "birth_date",
        "1799-12-31",
        "'1799-12-31' is not a date from 1800 on",
        id="date-1799",
    ),
    pytest.param(
        "beijing-2018",
        "tax_violations",
        "2019-05-01;0001-05-01",
        "'0001-05-01' is not a date from 1800 on",
        id="event-year-0001",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        "２０１５-01..2019-12",
        "'２０１５-01' is not a month (YYYY-MM)",
        id="period-full-width-digits",
    ),
    pytest.param(
        "guangzhou-2015",
        "iit_3y",
        "１２.５",
        "１２.５ is not a number of at most 15 digits and 2 decimal places",
        id="decimal-full-width-digits",
    ),
    pytest.param(
        "guangzhou-2015",
        "iit_3y",
        1234567890123456,
        "1234567890123456 is not a number of at most 15 digits and 2 decimal places",
        id="decimal-16-digits",
    ),
    pytest.param(
        "tests/data/parity/beijing-no-id.toml",  # allows no ID number: one would disagree
        "birth_date",
        str(LATER),
        f"birth date {LATER} is in the future",
        id="birth-date-in-the-future",
    ),
    pytest.param(
        "shenzhen-2020",
        "credit_overdue_short",
        1000000000000000,
        "1000000000000000 has more than 15 digits",
        id="int-16-digits",
    ),
    pytest.param(
        "beijing-2018",
        "innovation_national_award",
        1000000000000000,
        "1000000000000000 has more than 15 digits",
        id="int-16-digits-above-the-maximum",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        "2015-13..2019-12",
        "'2015-13' is not a month (YYYY-MM)",
        id="period-month-13",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        "2019-12..2015-01",
        "period '2019-12..2015-01' ends before it starts",
        id="period-reversed",
    ),
    pytest.param(
        "beijing-2018",
        "id_number",
        "1101051985010100",
        "ID number '1101051985010100' has 16 characters, not 18",
        id="id-number-short",
    ),
    pytest.param(
        "beijing-2018",
        "id_number",
        "110105198501010030",  # born 1985-01-01, as the base applicant
        "ID number '110105198501010030': check character should be 9",
        id="id-number-check-character",
    ),
    pytest.param(
        "tests/data/parity/places6.toml",
        "iit_3y",
        "18446745073709.551616",  # in millionths past 2**63: was read as 1,000,000 by rank
        "18446745073709.551616 is not a number of at most 12 digits and 6 decimal places",
        id="decimal-units-past-64-bits",
    ),
]


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def cell(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@pytest.mark.parametrize(("scheme", "name", "value", "reason"), CASES)
def test_score_and_rank_give_the_same_verdict_and_reason(
    runner: CliRunner, tmp_path: Path, scheme: str, name: str, value: Any, reason: str
) -> None:
    applicant = {**BASE[scheme], name: value}
    path = tmp_path / "applicant.json"
    path.write_text(json.dumps(applicant, ensure_ascii=False), encoding="utf-8")
    scored = run(runner, "score", path, "-s", scheme)
    assert_error(scored, ExitCode.APPLICANT, f"field '{name}'", f"): {reason}")

    pool, out, bad = tmp_path / "pool.csv", tmp_path / "ranked.csv", tmp_path / "bad.csv"
    with pool.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(applicant)
        writer.writerow(cell(v) for v in applicant.values())
    ranked = run(runner, "rank", pool, "-s", scheme, "-o", out, "--errors", bad, "--json")
    assert ranked.exit_code == ExitCode.NOTHING_RANKED, (ranked.stdout, ranked.stderr)
    assert [(e["row"], e["column"], e["reason"]) for e in read_rows(bad)] == [("2", name, reason)]
    assert read_rows(out) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(
            '{"sex": "male", "residence_permit": true, "birth_date": "1985-01-01",'
            ' "education": "doctor", "education": "none"}',
            "key 'education' appears twice in one object",
            id="duplicate-key",
        ),
        pytest.param(
            '{"sex": "male", "residence_permit": true, "birth_date": "1985-01-01",'
            ' "social_insurance": [{"from": "2005-01", "to": "2009-12", "to": "2019-12"}]}',
            "key 'to' appears twice in one object",
            id="duplicate-key-nested",
        ),
        pytest.param("[" * 200_000 + "]" * 200_000, "nested too deeply", id="deep-nesting"),
        pytest.param(
            '{"innovation_national_award": ' + "1" * 5000 + "}",
            "a whole number of 5000 digits",
            id="huge-number",
        ),
    ],
)
def test_a_json_file_that_cannot_be_taken_as_written_is_an_input_error(
    runner: CliRunner, tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "applicant.json"
    path.write_text(text, encoding="utf-8")
    result = run(runner, "score", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, str(path), reason)


def test_a_lone_surrogate_is_not_text_in_a_json_file_or_a_json_lines_batch(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "\\ud800" is valid JSON but no UTF-8 file can hold it: refused alike, never exit 70."""
    line = json.dumps({**BASE["beijing-2018"], "name": "@"}).replace('"@"', '"\\ud800x"')
    reason = "'\\ud800x' is not valid text (a lone UTF-16 surrogate, as a \\ud800 escape gives)"
    one = tmp_path / "applicant.json"
    one.write_text(line, encoding="utf-8")
    scored = run(runner, "score", one, "-s", "beijing-2018")
    assert_error(scored, ExitCode.APPLICANT, "field 'name'", reason)
    batch, bad = tmp_path / "pool.jsonl", tmp_path / "bad.csv"
    batch.write_text(line + "\n", encoding="utf-8")
    ranked = run(runner, "rank", batch, "-s", "beijing-2018", "--errors", bad, "--json")
    assert ranked.exit_code == ExitCode.NOTHING_RANKED, ranked.stderr
    assert [(e["row"], e["column"], e["reason"]) for e in read_rows(bad)] == [("1", "name", reason)]


@pytest.mark.parametrize(
    ("scheme", "extra"),
    [
        pytest.param("beijing-2018", '"sex": " male "', id="enum-code-with-blanks"),
        pytest.param("guangzhou-2015", '"iit_3y": 1e5', id="decimal-in-exponent-form"),
    ],
)
def test_a_value_taken_by_score_is_taken_alike_by_rank(
    runner: CliRunner, tmp_path: Path, scheme: str, extra: str
) -> None:
    """A JSON file and the same object as a JSON Lines batch give one total."""
    key = extra.split(":", maxsplit=1)[0].strip('"')
    line = json.dumps({k: v for k, v in BASE[scheme].items() if k != key})[:-1] + ", " + extra + "}"
    one, batch, out = tmp_path / "a.json", tmp_path / "pool.jsonl", tmp_path / "ranked.csv"
    one.write_text(line, encoding="utf-8")
    batch.write_text(line + "\n", encoding="utf-8")
    scored = run(runner, "score", one, "-s", scheme, "--json")
    assert scored.exit_code == ExitCode.OK, scored.stderr
    ranked = run(runner, "rank", batch, "-s", scheme, "-o", out, "--json")
    assert json.loads(ranked.stdout)["invalid"] == 0, ranked.stderr
    (row,) = read_rows(out)
    assert Decimal(row["total"]) == Decimal(json.loads(scored.stdout)["total"])


JSON_CASES = [  # scheme, field, a JSON value of a type the field does not take, the reason
    pytest.param("beijing-2018", "residence_permit", 1, "Input should be a valid boolean, got 1"),
    pytest.param("beijing-2018", "name", 12345, "Input should be a valid string, got 12345"),
    pytest.param("beijing-2018", "name", True, "Input should be a valid string, got True"),
    pytest.param("beijing-2018", "name", ["a"], "Input should be a valid string, got ['a']"),
    pytest.param(
        "beijing-2018",
        "id_number",
        110105198501010030,
        "Input should be a valid string, got 110105198501010030",
    ),
    pytest.param("beijing-2018", "sex", 1, "1 is not one of: male (男), female (女)"),
    pytest.param("beijing-2018", "birth_date", 19850101, "19850101 is not a date (YYYY-MM-DD)"),
    pytest.param(
        "beijing-2018",
        "innovation_national_award",
        "1",
        "Input should be a valid integer, got '1'",
    ),
    pytest.param(
        "beijing-2018",
        "innovation_national_award",
        True,
        "Input should be a valid integer, got True",
    ),
    pytest.param(
        "beijing-2018",
        "innovation_national_award",
        Decimal("1.0"),
        "Input should be a valid integer, got 1.0",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        5,
        "5 is not a list of periods ('YYYY-MM..YYYY-MM;...')",
    ),
    pytest.param(
        "beijing-2018",
        "social_insurance",
        [5],
        "5 is not a period: use 'YYYY-MM..YYYY-MM' or {'from', 'to'}",
    ),
    pytest.param("beijing-2018", "tax_violations", 5, "Input should be a valid tuple, got 5"),
    pytest.param("beijing-2018", "tax_violations", [5], "5 is not a date (YYYY-MM-DD)"),
    pytest.param(
        "guangzhou-2015",
        "iit_3y",
        True,
        "Decimal input should be an integer, float, string or Decimal object, got True",
    ),
    pytest.param("beijing-2018", "residence_permit", None, "required field is missing"),
]  # a null sex is not among them: the base applicant's ID number gives it (test_sex_from_id)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str).replace('"1.0"', "1.0")


@pytest.mark.parametrize(("scheme", "name", "value", "reason"), JSON_CASES)
def test_a_json_value_of_the_wrong_type_is_refused_alike_by_score_and_rank(
    runner: CliRunner, tmp_path: Path, scheme: str, name: str, value: Any, reason: str
) -> None:
    """The JSON type is judged once (hukoucalc.kinds.jsonvalue): a JSON file and a JSON Lines
    batch refuse it with one reason (a JSON Lines batch used to take 1 as "1")."""
    applicant = {**BASE[scheme], name: value}
    line = _json(applicant)
    one, batch = tmp_path / "applicant.json", tmp_path / "pool.jsonl"
    one.write_text(line, encoding="utf-8")
    batch.write_text(line + "\n", encoding="utf-8")
    scored = run(runner, "score", one, "-s", scheme)
    assert_error(scored, ExitCode.APPLICANT, f"field '{name}'", f"): {reason}")
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    ranked = run(runner, "rank", batch, "-s", scheme, "-o", out, "--errors", bad, "--json")
    assert ranked.exit_code == ExitCode.NOTHING_RANKED, (ranked.stdout, ranked.stderr)
    assert [(e["row"], e["column"], e["reason"]) for e in read_rows(bad)] == [("1", name, reason)]
    assert read_rows(out) == []


@pytest.mark.parametrize(("scheme", "name", "value", "reason"), CASES)
def test_a_bad_value_is_refused_alike_in_a_json_lines_batch(
    runner: CliRunner, tmp_path: Path, scheme: str, name: str, value: Any, reason: str
) -> None:
    """Each value case of a JSON file and a CSV cell, as a JSON Lines batch gives it."""
    batch, bad = tmp_path / "pool.jsonl", tmp_path / "bad.csv"
    batch.write_text(json.dumps({**BASE[scheme], name: value}) + "\n", encoding="utf-8")
    ranked = run(runner, "rank", batch, "-s", scheme, "--errors", bad, "--json")
    assert ranked.exit_code == ExitCode.NOTHING_RANKED, (ranked.stdout, ranked.stderr)
    assert [(e["row"], e["column"], e["reason"]) for e in read_rows(bad)] == [("1", name, reason)]
