"""The command line, end to end: every command through Typer's CliRunner against ``cli.app``.

Commands run from the repository root with relative paths, as a user types them, so messages
stay short. Every invocation is checked for a leaked traceback; every error for its documented
exit code (see :class:`hukoucalc.errors.ExitCode`), an empty stdout, and a stderr message naming
the file and the key or field at fault. Fixture files live in ``tests/data/`` (each broken file
says what is wrong with it in a comment or its ``"comment"`` key).
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from hukoucalc import __version__
from hukoucalc.cli import app
from hukoucalc.errors import ExitCode
from hukoucalc.scheme.load import DEFAULT_SCHEME, latest_round

from .invoke import assert_error, flat, run

ROOT = Path(__file__).resolve().parent.parent
DATA = "tests/data"
EXAMPLE = "examples/applicant.json"
BEIJING = "schemes/beijing-2018.toml"
HEX64 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def beijing_copy(tmp_path: Path) -> Path:
    """beijing-2018 under another id: same rules, a different scheme as far as the CLI knows."""
    text = (ROOT / BEIJING).read_text(encoding="utf-8")
    assert text.count('id = "beijing-2018"') == 1
    path = tmp_path / "beijing-2018-copy.toml"
    path.write_text(text.replace('id = "beijing-2018"', 'id = "beijing-2018-copy"'), "utf-8")
    return path


def score_json(runner: CliRunner, *args: str | Path) -> Any:
    result = run(runner, "score", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- help and version ----------------------------------------------------------------------------

COMMANDS = [
    [],
    ["score"],
    ["rank"],
    ["synth"],
    ["compare"],
    ["plan"],
    ["scheme"],
    ["scheme", "list"],
    ["scheme", "show"],
    ["scheme", "validate"],
    ["scheme", "schema"],
    ["scheme", "template"],
    ["scheme", "check"],
    ["scheme", "diff"],
    ["scheme", "new"],
]


def _command_paths(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, sub in (getattr(command, "commands", None) or {}).items():
        found += _command_paths(sub, [*path, name])
    return found


def test_help_covers_every_command() -> None:
    assert sorted(_command_paths(typer.main.get_command(app), [])) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "hukoucalc")
def test_help(runner: CliRunner, command: list[str]) -> None:
    result = run(runner, *command, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Usage:" in result.stdout
    assert " ".join(["hukoucalc", *command]) in flat(result.stdout)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "hukoucalc")
def test_help_options_name_their_values(runner: CliRunner, command: list[str]) -> None:
    """Every option shows a word for its value (SCHEME, FILE, N), never a Python type."""
    options = run(runner, *command, "--help").stdout.partition("Options:")[2]
    for python_type in ("<str>", "<list[str]>", "<int range>", "<int>", "<path>"):
        assert python_type not in options, (python_type, options)


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"hukoucalc {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [["score"], ["score", EXAMPLE, "--bogus"], ["scheme", "show"], ["nonsense"]],
    ids=["missing-argument", "unknown-option", "scheme-show-no-arg", "unknown-command"],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == ExitCode.USAGE
    assert "Usage:" in result.stderr


# -- score ---------------------------------------------------------------------------------------


def test_score_example(runner: CliRunner) -> None:
    result = run(runner, "score", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Total 107.59 — eligible" in out
    assert "Eligibility" in out
    for gate in ("持有本市居住证", "不超过法定退休年龄", "在京连续缴纳社会保险7年及以上"):
        assert gate in out
    assert "FAIL" not in out
    assert "合法稳定就业" in out and "43.50" in out
    assert "16.84 points above the 2018 cut-off 90.75" in out
    assert result.stderr == ""


def test_score_json(runner: CliRunner) -> None:
    doc = score_json(runner, EXAMPLE)
    assert doc["hukoucalc"] == __version__
    assert doc["scheme"]["id"] == "beijing-2018"
    assert HEX64.fullmatch(doc["scheme"]["sha256"])
    assert doc["applicant"] == EXAMPLE
    assert isinstance(doc["total"], str)
    assert Decimal(doc["total"]) == Decimal("107.59")
    points = {line["id"]: line["points"] for line in doc["indicators"]}
    assert all(isinstance(p, str) for p in points.values())
    assert points["employment"] == "43.5"
    assert points["housing"] == "11.59"
    assert points["education"] == "26"
    assert points["study_deduction"] == "-3.5"
    assert doc["eligible"] is True
    gates = {gate["id"]: gate["passed"] for gate in doc["gates"]}
    assert gates == {
        "residence_permit": True,
        "retirement": True,
        "social_insurance": True,
        "no_crime": True,
    }


def test_score_json_is_the_same_document_every_time(runner: CliRunner) -> None:
    assert score_json(runner, EXAMPLE) == score_json(runner, EXAMPLE, "-s", "beijing-2018")


def test_score_same_scheme_twice_side_by_side(runner: CliRunner) -> None:
    result = run(runner, "score", EXAMPLE, "-s", "beijing-2018", "-s", BEIJING)
    assert result.exit_code == 0, result.stderr
    assert "Scores side by side" in result.stdout
    total_row = next(line for line in result.stdout.splitlines() if "Total" in line)
    assert total_row.count("107.59") == 2


def test_score_two_schemes_side_by_side(runner: CliRunner, beijing_copy: Path) -> None:
    result = run(runner, "score", EXAMPLE, "-s", "beijing-2018", "-s", beijing_copy)
    assert result.exit_code == 0, result.stderr
    assert "beijing-2018-copy" in result.stdout
    doc = score_json(runner, EXAMPLE, "-s", "beijing-2018", "-s", beijing_copy)
    cards = doc["scorecards"]
    assert [card["scheme"]["id"] for card in cards] == ["beijing-2018", "beijing-2018-copy"]
    assert cards[0]["scheme"]["sha256"] != cards[1]["scheme"]["sha256"]
    assert cards[0]["total"] == cards[1]["total"] == "107.59"


def test_score_side_by_side_with_different_indicators(runner: CliRunner) -> None:
    # mini declares few fields: the example's others belong to beijing-2018, so are no typos
    result = run(runner, "score", EXAMPLE, "-s", "beijing-2018", "-s", f"{DATA}/mini.toml")
    assert result.exit_code == 0, result.stderr
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "—" in rows["教育背景"]  # not an indicator of mini
    assert "—" in rows["高新技术企业"]  # not an indicator of beijing-2018
    assert "107.59" in rows["Total"] and "43.50" in rows["Total"]


def test_score_scheme_from_file_key(runner: CliRunner) -> None:
    assert score_json(runner, EXAMPLE)["scheme"]["id"] == "beijing-2018"


def test_score_scheme_option_overrides_file_key(runner: CliRunner, beijing_copy: Path) -> None:
    doc = score_json(runner, EXAMPLE, "--scheme", beijing_copy)
    assert doc["scheme"]["id"] == "beijing-2018-copy"
    assert doc["scheme"]["origin"] == str(beijing_copy)


def test_score_default_scheme_without_file_key(runner: CliRunner) -> None:
    doc = score_json(runner, f"{DATA}/applicant_no_scheme_key.json")
    assert doc["scheme"]["id"] == latest_round(DEFAULT_SCHEME)  # "beijing": the latest round


# -- score: every error path ---------------------------------------------------------------------

FILE_ERRORS = [
    pytest.param(
        ["score", f"{DATA}/no_such_applicant.json"],
        ExitCode.INPUT_FILE,
        [f"{DATA}/no_such_applicant.json:", "no such file"],
        id="missing-applicant-file",
    ),
    pytest.param(
        ["score", f"{DATA}/malformed.json"],
        ExitCode.INPUT_FILE,
        [f"{DATA}/malformed.json:", "not valid JSON", "line 3"],
        id="malformed-json",
    ),
    pytest.param(
        ["score", f"{DATA}/list.json"],
        ExitCode.INPUT_FILE,
        [f"{DATA}/list.json:", "one JSON object"],
        id="json-list-not-object",
    ),
    pytest.param(
        ["score", EXAMPLE, "--scheme", "beijing-2099"],
        ExitCode.SCHEME,
        ["unknown scheme 'beijing-2099'", "beijing-2018", "path to a .toml file"],
        id="unknown-scheme-name",
    ),
    pytest.param(
        ["score", EXAMPLE, "--scheme", f"{DATA}/no_such_scheme.toml"],
        ExitCode.INPUT_FILE,
        [f"{DATA}/no_such_scheme.toml:", "no such scheme file"],
        id="missing-scheme-file",
    ),
    pytest.param(
        ["score", EXAMPLE, "--scheme", f"{DATA}/malformed.toml"],
        ExitCode.INPUT_FILE,
        [f"{DATA}/malformed.toml:", "not valid TOML", "line 5"],
        id="malformed-toml",
    ),
]

SCHEME_ERRORS = [
    pytest.param(
        "mini_unknown_key.toml",
        ["indicators[employment].rule.pre:", "unknown key"],
        id="unknown-key",
    ),
    pytest.param(
        "mini_overlapping_bands.toml",
        ["indicators[hitech].rule.bands[1]:", "overlaps the previous band"],
        id="overlapping-bands",
    ),
    pytest.param(
        "mini_undeclared_source.toml",
        ["indicators[hitech].source:", "source 'docs' is not in [sources]"],
        id="undeclared-source",
    ),
    pytest.param(
        "mini_undeclared_field.toml",
        ["measures.si_months.of:", "no field 'social_insurence' is declared in [fields]"],
        id="undeclared-field",
    ),
]

APPLICANT_ERRORS = [
    pytest.param(
        "applicant_unknown_field.json",
        ["field 'social_insurence':", "unknown field for scheme 'beijing-2018'"],
        id="unknown-field",
    ),
    pytest.param(
        "applicant_markup_field.json",
        ["field '[red]oops[/red]':", "unknown field"],
        id="unknown-field-looking-like-markup",
    ),
    pytest.param(
        "applicant_mistyped_bool.json",
        ["field 'residence_permit'", "'perhaps' is not true/false (also 1/0, yes/no, 是/否)"],
        id="mistyped-field",
    ),
    pytest.param(
        "applicant_bad_date.json",
        ["field 'birth_date'", "'1980-02-30' is not a date"],
        id="bad-date",
    ),
    pytest.param(
        "applicant_bad_period.json",
        ["field 'social_insurance'", "'2015-13' is not a month"],
        id="bad-period",
    ),
    pytest.param(
        "applicant_bad_check_digit.json",
        ["field 'id_number'", "'110105198003074516'", "check character should be 5"],
        id="bad-id-check-digit",
    ),
    pytest.param(
        "applicant_id_vs_birth_date.json",
        ["field 'birth_date': 1981-03-07 disagrees with the ID number (1980-03-07)"],
        id="id-number-vs-birth-date",
    ),
    pytest.param(
        "applicant_bad_enum.json",
        ["field 'education'", "'phd' is not one of: none (无), college (大专（高职）), bachelor ("],
        id="enum-value-not-allowed",
    ),
    pytest.param(
        "applicant_missing_required.json",
        ["field 'residence_permit'", "required field is missing"],
        id="missing-required-field",
    ),
    pytest.param(
        "applicant_float_for_int.json",
        ["field 'hitech_core_years'", "integer"],
        id="float-for-int",
    ),
]


@pytest.mark.parametrize(("args", "code", "expected"), FILE_ERRORS)
def test_score_file_errors(
    runner: CliRunner, args: list[str], code: int, expected: list[str]
) -> None:
    assert_error(run(runner, *args), code, *expected)


@pytest.mark.parametrize(("name", "expected"), SCHEME_ERRORS)
def test_score_scheme_errors(runner: CliRunner, name: str, expected: list[str]) -> None:
    result = run(runner, "score", EXAMPLE, "--scheme", f"{DATA}/{name}")
    assert_error(result, ExitCode.SCHEME, f"{DATA}/{name}:", *expected)


@pytest.mark.parametrize(("name", "expected"), APPLICANT_ERRORS)
def test_score_applicant_errors(runner: CliRunner, name: str, expected: list[str]) -> None:
    result = run(runner, "score", f"{DATA}/{name}")
    assert_error(result, ExitCode.APPLICANT, f"{DATA}/{name}:", *expected)


@pytest.mark.parametrize(("name", "expected"), APPLICANT_ERRORS[:3])
def test_score_json_errors_go_to_stderr_too(
    runner: CliRunner, name: str, expected: list[str]
) -> None:
    result = run(runner, "score", f"{DATA}/{name}", "--json")
    assert_error(result, ExitCode.APPLICANT, f"{DATA}/{name}:", *expected)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("applicant_unknown_scheme.json", ExitCode.SCHEME),
        ("applicant_missing_scheme_file.json", ExitCode.INPUT_FILE),
    ],
    ids=["unknown-name", "missing-file"],
)
def test_score_bad_scheme_key_names_the_applicant_file(
    runner: CliRunner, name: str, code: int
) -> None:
    assert_error(run(runner, "score", f"{DATA}/{name}"), code, f"{DATA}/{name}", "scheme")


def test_score_without_birth_date_or_id_number(runner: CliRunner) -> None:
    name = f"{DATA}/applicant_no_birth_date.json"
    assert_error(run(runner, "score", name), ExitCode.APPLICANT, f"{name}:", "birth_date")


def test_score_number_as_birth_date(runner: CliRunner) -> None:
    name = f"{DATA}/applicant_numeric_birth_date.json"
    assert_error(run(runner, "score", name), ExitCode.APPLICANT, f"{name}:", "field 'birth_date'")


# -- scheme list / show / validate ---------------------------------------------------------------


def test_scheme_list(runner: CliRunner) -> None:
    result = run(runner, "scheme", "list")
    assert result.exit_code == 0, result.stderr
    assert "Bundled schemes" in result.stdout
    assert "beijing-2018" in result.stdout


def test_scheme_list_json(runner: CliRunner) -> None:
    result = run(runner, "scheme", "list", "--json")
    assert result.exit_code == 0, result.stderr
    schemes = {s["id"]: s for s in json.loads(result.stdout)}
    assert schemes["beijing-2018"]["city"] == "北京"
    assert schemes["beijing-2018"]["year"] == 2018
    assert schemes["beijing-2018"]["selection"] == "quota"
    assert all(HEX64.fullmatch(s["sha256"]) for s in schemes.values())


def test_scheme_list_hash_matches_score(runner: CliRunner) -> None:
    listed = json.loads(run(runner, "scheme", "list", "--json").stdout)
    sha = next(s["sha256"] for s in listed if s["id"] == "beijing-2018")
    assert score_json(runner, EXAMPLE)["scheme"]["sha256"] == sha


def test_scheme_show(runner: CliRunner) -> None:
    result = run(runner, "scheme", "show", "beijing-2018")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for label in ("合法稳定就业", "合法稳定住所", "教育背景", "荣誉表彰", "守法记录"):
        assert label in out
    assert "Eligibility gates" in out
    assert "Selection: quota 6,000 " in flat(out)  # not "quota, quota 6,000"


def test_scheme_show_lists_the_fields_an_applicant_gives(runner: CliRunner) -> None:
    out = flat(run(runner, "scheme", "show", "beijing-2020").stdout)
    assert "Fields (an applicant's keys, a batch's columns)" in out
    # row by row: label, type, values; then id, need (required or default)
    assert "持有北京市居住证 bool residence_permit required" in out
    assert "性别 enum male = 男 sex optional female = 女" in out  # the ID number gives it
    assert "int 0 to 3 iit_100k_years default 0" in out
    assert "bool criminal_record default false" in out
    assert "公民身份号码 id_number id_number optional" in out


@pytest.mark.parametrize(
    ("scheme", "selection"),
    [
        ("shanghai-2015", "Selection: threshold 120 "),
        ("tianjin-2021", "Selection: threshold 110, quota 4,694 "),
        ("guangzhou-2015", "Selection: threshold 60 then keys, quota 4,500; keys: "),
    ],
)
def test_scheme_show_selection_names_each_parameter_once(
    runner: CliRunner, scheme: str, selection: str
) -> None:
    assert selection in flat(run(runner, "scheme", "show", scheme).stdout)
    listed = flat(run(runner, "scheme", "list").stdout)  # the same words, without the keys
    assert selection.removeprefix("Selection: ").removesuffix("; keys: ").strip() in listed


@pytest.mark.parametrize("ref", [BEIJING, "beijing-2018", f"{DATA}/mini.toml"])
def test_scheme_validate_ok(runner: CliRunner, ref: str) -> None:
    result = run(runner, "scheme", "validate", ref)
    assert result.exit_code == 0, result.stderr
    assert flat(result.stderr).startswith("ok ")


@pytest.mark.parametrize(("name", "expected"), SCHEME_ERRORS)
def test_scheme_validate_broken(runner: CliRunner, name: str, expected: list[str]) -> None:
    result = run(runner, "scheme", "validate", f"{DATA}/{name}")
    assert_error(result, ExitCode.SCHEME, f"{DATA}/{name}:", *expected)


@pytest.mark.parametrize("command", ["show", "schema", "template"])
def test_scheme_commands_report_broken_schemes(runner: CliRunner, command: str) -> None:
    name = f"{DATA}/mini_unknown_key.toml"
    result = run(runner, "scheme", command, name)
    assert_error(result, ExitCode.SCHEME, f"{name}:", "indicators[employment].rule.pre")


def test_scheme_validate_malformed_toml(runner: CliRunner) -> None:
    name = f"{DATA}/malformed.toml"
    result = run(runner, "scheme", "validate", name)
    assert_error(result, ExitCode.INPUT_FILE, f"{name}:", "not valid TOML")


def test_scheme_show_unknown(runner: CliRunner) -> None:
    result = run(runner, "scheme", "show", "beijing-2099")
    assert_error(result, ExitCode.SCHEME, "unknown scheme 'beijing-2099'")


def test_scheme_validate_reports_every_broken_file(runner: CliRunner) -> None:
    first, second = f"{DATA}/mini_unknown_key.toml", f"{DATA}/mini_undeclared_source.toml"
    result = run(runner, "scheme", "validate", first, BEIJING, second)
    assert result.exit_code == ExitCode.SCHEME
    assert first in result.stderr and second in result.stderr
    assert f"ok {BEIJING}" in result.stderr


# -- scheme schema / template --------------------------------------------------------------------


def test_scheme_schema(runner: CliRunner) -> None:
    result = run(runner, "scheme", "schema", "beijing-2018")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "Applicant under beijing-2018"
    assert "social_insurance" in schema["properties"]
    assert set(schema["required"]) == {"residence_permit"}  # sex: the ID number gives it
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("scheme", "applicant"),
    [
        pytest.param(
            "template",
            "examples/applicant-template.json",
            id="template",
        ),
        pytest.param(
            "beijing-2018",
            EXAMPLE,
            id="beijing-2018",
        ),
        pytest.param(
            "shanghai-2015",
            "examples/applicant-shanghai-2015.json",
            id="shanghai-2015",
        ),
    ],
)
def test_scheme_schema_accepts_the_example_applicant(
    runner: CliRunner, scheme: str, applicant: str
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = run(runner, "scheme", "schema", scheme)
    assert result.exit_code == 0, result.stderr
    example = json.loads((ROOT / applicant).read_text(encoding="utf-8"))
    assert run(runner, "score", applicant).exit_code == 0  # the CLI itself accepts it
    jsonschema.validate(example, json.loads(result.stdout))


def test_scheme_template(runner: CliRunner) -> None:
    result = run(runner, "scheme", "template", "beijing-2018")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    header = lines[0].split(",")
    assert "social_insurance" in header
    assert header[:4] == ["id_number", "name", "birth_date", "sex"]


def test_a_folder_given_as_scheme_is_named(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "score", EXAMPLE, "-s", tmp_path)
    assert_error(result, ExitCode.INPUT_FILE, str(tmp_path), "is a folder")


@pytest.mark.parametrize("given", ["pipe", "folder"])
def test_an_applicant_that_is_not_a_regular_file_is_named(
    runner: CliRunner, tmp_path: Path, given: str
) -> None:
    """A pipe is refused, not waited on for ever; a folder is named as one."""
    path = tmp_path / "applicant.json"
    if given == "pipe":
        os.mkfifo(path)
        expected = "not a regular file"
    else:
        path.mkdir()
        expected = "is a folder, not a file"
    assert_error(run(runner, "score", path), ExitCode.INPUT_FILE, "applicant.json", expected)


def test_shanghai_example_passes_the_standard_score(runner: CliRunner) -> None:
    """Age 44 (29) + 本科 without degree (60) + 45 insured months (3 years: 9) + 36 months at a
    0.8x base (25) = 123; the 2009 detention is outside the 5-year window."""
    result = run(runner, "score", "examples/applicant-shanghai-2015.json", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    lines = {i["id"]: i["points"] for i in doc["indicators"] if i["points"] != "0"}
    assert lines == {"age": "29", "education": "60", "social_insurance": "9", "base_08": "25"}
    assert (doc["total"], doc["eligible"]) == ("123", True)
    target = doc["target"]
    assert (target["kind"], target["score"], target["gap"], target["reached"]) == (
        "threshold",
        "120",
        "-3",
        True,
    )


@pytest.mark.parametrize("command", [["score"], ["plan"], ["scheme", "validate"]])
def test_a_folder_given_as_a_file_is_named(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    result = run(runner, *command, tmp_path)
    assert_error(result, ExitCode.INPUT_FILE, str(tmp_path), "folder")


def test_an_applicant_not_in_utf8_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"name": "张三"}'.encode("gbk"))
    result = run(runner, "score", path)
    assert_error(result, ExitCode.INPUT_FILE, str(path), "not UTF-8 text", "save it as UTF-8")


def test_scheme_show_carries_doubts_notes_and_placeholders(runner: CliRunner) -> None:
    """Where a number is doubtful or a placeholder, `scheme show` says so beside it."""
    out = flat(run(runner, "scheme", "show", "shenzhen-2020").stdout)
    assert "[V-3P]" in out  # each line's confidence tag
    assert "PLACEHOLDER" in out  # the quota's note
    shanghai = flat(run(runner, "scheme", "show", "shanghai-2015").stdout)
    assert "[MEM]" in shanghai
    assert "Highest item only, at most 110." in shanghai  # an indicator's note


def test_score_table_puts_a_cap_under_its_points() -> None:
    """Five columns, so that the table reads at 80 columns: a cap is shown under the points."""
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    out = run(narrow, "score", EXAMPLE).stdout
    assert "Points · cap" in out
    assert "┃ Cap" not in out
    lines = out.splitlines()
    four = next(i for i, line in enumerate(lines) if line.rstrip(" │").endswith("4.00"))
    assert lines[four + 1].rstrip(" │").endswith("cap 12")  # 职住区域: 4 points, cap 12
    assert max(len(line) for line in lines) <= 80


@pytest.mark.parametrize("width", ["80", "100"])
def test_score_table_keeps_a_field_name_and_a_period_whole(width: str) -> None:
    """At 80 or 100 columns an input's field name and each period stay on one line (Chinese
    labels may wrap anywhere, as Chinese text does)."""
    out = run(CliRunner(env={"COLUMNS": width, "NO_COLOR": "1", "TERM": "dumb"}), "score", EXAMPLE)
    lines = out.stdout.splitlines()
    assert any("│ social_insurance:" in line for line in lines)
    assert any(" 2003-07..2017-12 " in line for line in lines)
    assert max(len(line) for line in lines) <= int(width)


def test_a_jsonl_batch_not_in_utf8_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes('{"name": "张三"}\n'.encode("gbk"))
    result = run(runner, "rank", path, "-s", "beijing-2020")
    assert_error(result, ExitCode.INPUT_FILE, str(path), "not UTF-8 text", "save it as UTF-8")


def test_compare_given_one_applicant_json_says_so(runner: CliRunner) -> None:
    result = run(runner, "compare", EXAMPLE, "-s", "beijing-2020", "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, EXAMPLE, "one applicant's JSON file")


# -- --debug: tracebacks for unexpected errors only -----------------------------------------------


def test_debug_keeps_expected_errors_as_messages(runner: CliRunner) -> None:
    result = run(runner, "--debug", "score", "no-such-applicant.json")
    assert_error(result, ExitCode.INPUT_FILE, "no-such-applicant.json")


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_an_unexpected_error_is_internal_and_shown_whole_with_debug(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hukoucalc.scoring.score_file", _boom)
    result = run(runner, "score", EXAMPLE)
    assert result.exit_code == ExitCode.INTERNAL and result.stdout == ""
    assert "internal error" in result.stderr and "RuntimeError: boom" in result.stderr
    debugged = runner.invoke(app, ["--debug", "score", EXAMPLE])
    assert isinstance(debugged.exception, RuntimeError)  # raised on, for its traceback


def test_json_takes_the_words_and_labels_a_csv_cell_may_use(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "是" for true and an enum's label for its code, as in a batch cell: the same scorecard."""
    data = json.loads((ROOT / EXAMPLE).read_text(encoding="utf-8"))
    assert (data["residence_permit"], data["education"]) == (True, "master")
    worded = data | {"residence_permit": "是", "education": "研究生学历并取得硕士学位"}
    path = tmp_path / "worded.json"
    path.write_text(json.dumps(worded, ensure_ascii=False), encoding="utf-8")
    plain, same = score_json(runner, EXAMPLE), score_json(runner, path)
    assert same["total"] == plain["total"] and same["indicators"] == plain["indicators"]


def test_an_unknown_enum_value_lists_codes_and_labels(runner: CliRunner, tmp_path: Path) -> None:
    data = json.loads((ROOT / EXAMPLE).read_text(encoding="utf-8")) | {"education": "硕士"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(runner, "score", path)
    assert_error(
        result,
        ExitCode.APPLICANT,
        "'硕士' is not one of: none (",
        "master (研究生学历并取得硕士学位)",
    )


def test_scheme_text_that_looks_like_markup_is_shown_as_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A city, title or label is the scheme's text: '[/x]' is printed, not read as markup."""
    text = (ROOT / "schemes" / "beijing-2020.toml").read_text(encoding="utf-8")
    path = tmp_path / "marked.toml"
    path.write_text(text.replace('city = "北京"', 'city = "[/x][red]北京"'), encoding="utf-8")
    shown = run(runner, "scheme", "show", path)
    assert shown.exit_code == 0, shown.stderr
    assert "[/x][red]北京 · round 2020" in shown.stdout


def test_an_internal_error_that_looks_like_markup_is_shown_as_written(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("[/x] boom")

    monkeypatch.setattr("hukoucalc.scoring.score_file", boom)
    result = run(runner, "score", EXAMPLE)
    assert result.exit_code == ExitCode.INTERNAL and "RuntimeError: [/x] boom" in result.stderr
