"""``scheme new``: a starting scheme that validates, round-trips, passes ``scheme check``; prompts
in a terminal, options in a script, refusals with their exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hukoucalc.cli import app
from hukoucalc.policy import check_scheme
from hukoucalc.scheme.dump import dump_scheme
from hukoucalc.scheme.load import LoadedScheme, load_scheme
from tests.invoke import assert_error, run

HANGZHOU = ("--city", "杭州", "--city-en", "Hangzhou", "--population", "8000000", "--year", "2027")

# every size class that may run points, at its bounds (国发〔2014〕51号, reference §6.2)
POPULATIONS = [3_000_000, 4_999_999, 5_000_000, 9_999_999, 10_000_000, 25_000_000]


def _write(text: str, path: Path) -> LoadedScheme:
    path.write_text(text, encoding="utf-8")
    return load_scheme(str(path))


def _new(runner: CliRunner, population: int | str, *more: str) -> Result:
    args = ("--city", "某市", "--population", str(population), "--year", "2027", "--id", "x-2027")
    return run(runner, "scheme", "new", *args, *more)


@pytest.mark.parametrize("population", POPULATIONS)
def test_output_validates_and_round_trips(
    runner: CliRunner, population: int, tmp_path: Path
) -> None:
    result = _new(runner, population)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    loaded = _write(result.stdout, tmp_path / "new.toml")
    meta = loaded.scheme.scheme
    assert (meta.id, meta.city, meta.city_en, meta.year) == ("x-2027", "某市", None, 2027)
    assert meta.urban_population is not None
    assert (meta.urban_population.value, meta.urban_population.year) == (population, 2026)
    assert loaded.scheme.dates["as_of"] == dt.date(2026, 12, 31)
    assert loaded.scheme.dates["age_on"] == dt.date(2027, 1, 1)
    again = _write(dump_scheme(loaded.scheme), tmp_path / "again.toml")
    assert again.scheme == loaded.scheme
    assert again.sha256 == loaded.sha256


@pytest.mark.parametrize("population", POPULATIONS)
def test_passes_check(runner: CliRunner, population: int, tmp_path: Path) -> None:
    loaded = _write(_new(runner, population).stdout, tmp_path / "new.toml")
    errors = [f for f in check_scheme(loaded) if f.severity == "error"]
    assert errors == []


def test_carries_the_main_indicators_and_marks_placeholders(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = run(runner, "scheme", "new", *HANGZHOU)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# 杭州积分落户管理办法（草案）: a starting scheme")
    assert "makes 杭州 a 特大城市" in text
    assert "PLACEHOLDERS, NOT POLICY" in text
    scheme = _write(text, tmp_path / "hangzhou.toml").scheme
    assert scheme.scheme.id == "hangzhou-2027"
    served = {main for indicator in scheme.indicators for main in indicator.serves}
    assert served == {"employment", "residence", "insurance_years", "residence_years"}
    assert scheme.selection.mode == "quota"
    for indicator in scheme.indicators:
        assert (indicator.note or "").startswith("Placeholder"), indicator.id
    assert scheme.selection.source.startswith("placeholder#")
    assert scheme.scheme.urban_population is not None
    assert scheme.scheme.urban_population.source.startswith("placeholder#")
    assert scheme.gates[1].source.startswith("placeholder#")  # the insurance gate's length


def test_same_options_same_file(runner: CliRunner) -> None:
    assert run(runner, "scheme", "new", *HANGZHOU).stdout == (
        run(runner, "scheme", "new", *HANGZHOU).stdout
    )


def test_prompts(runner: CliRunner, tmp_path: Path) -> None:
    """City, English name, population, round; the population year and id take their defaults."""
    answers = "杭州\nHangzhou\n8,000,000\n2027\n\n\n"
    result = runner.invoke(app, ["scheme", "new", "--prompt"], input=answers)
    assert result.exit_code == 0, result.stderr
    for question in (
        "City (name in Chinese",
        "城区常住人口",
        "[2026]",
        "Scheme id [hangzhou-2027]",
    ):
        assert question in result.stderr
    toml = result.stdout[result.stdout.index("# 杭州") :]  # CliRunner echoes the answers first
    assert toml == run(runner, "scheme", "new", *HANGZHOU).stdout


def test_prompts_only_for_what_is_missing(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["scheme", "new", "--prompt", "--city", "杭州", "--year", "2027"],
        input="\n8000000\n\nhz\n",  # no English name, population, default year, id
    )
    assert result.exit_code == 0, result.stderr
    assert "City (name" not in result.stderr
    assert "City in English" in result.stderr  # optional, asked in a terminal
    assert 'id = "hz"' in result.stdout


def test_prompted_small_city_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scheme", "new", "--prompt"], input="某县\n\n2500000\n")
    assert result.exit_code == 2
    assert "Application round" not in result.stderr  # refused before asking more
    assert "应取消积分落户制度" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--population", "8000000", "--year", "2027", "--id", "x"), "missing option --city"),
        (("--city", "某市", "--year", "2027", "--id", "x"), "missing option --population"),
        (("--city", "某市", "--population", "8000000", "--id", "x"), "missing option --year"),
        (("--city", "某市", "--population", "8000000", "--year", "2027"), "missing option --id"),
        (
            ("--city", "某市", "--city-en", "西安", "--population", "8000000", "--year", "2027"),
            "missing option --id (or --city-en in Latin letters, to make one)",
        ),
    ],
)
def test_missing_option_in_a_script(
    runner: CliRunner, args: tuple[str, ...], expected: str
) -> None:
    """CliRunner's stdin is not a terminal: nothing is asked, the missing option is named."""
    assert_error(run(runner, "scheme", "new", *args), 2, expected)
    assert_error(run(runner, "scheme", "new", "--no-prompt", *args), 2, expected)


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        ("2999999", "--population: 2,999,999 urban residents make a Ⅱ型大城市"),
        ("600000", "中等城市"),
        ("0", "Ⅱ型小城市"),
        ("-1", "--population: the urban population cannot be negative"),
        ("many", "--population: 'many' is not a whole number"),
        ("1" + "0" * 22, "--population: 10,000,000,000,000,000,000,000 is more urban residents"),
    ],
)
def test_bad_population(runner: CliRunner, population: str, expected: str) -> None:
    assert_error(_new(runner, population), 2, expected)


def test_small_city_cites_the_notice(runner: CliRunner) -> None:
    assert_error(_new(runner, 2_500_000), 2, "应取消积分落户制度", "国发〔2014〕51号")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--id", "Hangzhou 2027"), "--id: 'Hangzhou 2027' is not a scheme id"),
        (("--year", "twenty"), "--year: 'twenty' is not a whole number"),
        (("--year", "27"), "--year: '27' is not a year (four digits, e.g. 2027)"),
        (("--population-year", "-1"), "--population-year: '-1' is not a year"),
        (("--city", " "), "--city: the city's name is empty"),
        (("--year", "1000"), "--year: '1000' is not a year from 1901 to 2200"),
        (
            ("--population-year", "3000"),
            "--population-year: '3000' is not a year from 1900 to 2200",
        ),
        (("--population-year", "2030"), "--population-year: 2030 is after the round 2027"),
        (("--city", "杭\n州"), "--city: '杭\\n州' holds a line break"),
        (("--city-en", "Hang\tzhou"), "--city-en: 'Hang\\tzhou' holds a line break"),
    ],
)
def test_bad_values(runner: CliRunner, args: tuple[str, ...], expected: str) -> None:
    assert_error(run(runner, "scheme", "new", *HANGZHOU, *args), 2, expected)


def test_writes_file_and_never_overwrites_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "hangzhou-2027.toml"
    result = run(runner, "scheme", "new", *HANGZHOU, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and "scheme check" in result.stderr
    assert load_scheme(str(target)).id == "hangzhou-2027"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left

    target.write_text("mine", encoding="utf-8")
    assert_error(run(runner, "scheme", "new", *HANGZHOU, "-o", target), 6, str(target), "--force")
    assert target.read_text(encoding="utf-8") == "mine"

    result = run(runner, "scheme", "new", *HANGZHOU, "-o", target, "--force")
    assert result.exit_code == 0, result.stderr
    assert load_scheme(str(target)).id == "hangzhou-2027"


def test_existing_file_refused_before_any_prompt(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "taken.toml"
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["scheme", "new", "--prompt", "-o", str(target)], input="杭州\n")
    assert result.exit_code == 6
    assert "City" not in result.stderr


def test_output_folder_missing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such.toml"
    assert_error(
        run(runner, "scheme", "new", *HANGZHOU, "-o", target), 6, "the folder does not exist"
    )


def test_a_folder_as_output_is_refused_before_any_question(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert_error(run(runner, "scheme", "new", *HANGZHOU, "-o", tmp_path), 6, "a folder, not a file")
