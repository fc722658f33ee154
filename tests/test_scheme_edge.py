"""Broken or absurd scheme files: one clear message naming the file and the key, exit 4 (or a
`scheme check` finding), never an internal error, never a silently absurd score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hukoucalc.errors import ExitCode
from tests.invoke import assert_error, run

BASE = Path("schemes/beijing-2020.toml")
APPLICANT = "examples/applicant-beijing-2020.json"


def _variant(tmp_path: Path, old: str, new: str, name: str = "variant.toml") -> Path:
    text = BASE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _extending(tmp_path: Path, body: str, name: str = "round.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'[scheme]\nextends = "beijing-2020"\nid = "round"\n{body}', encoding="utf-8")
    return path


@pytest.mark.parametrize("as_of", ["0001-01-31", "9990-12-31"])
@pytest.mark.parametrize("command", ["validate", "score", "plan"])
def test_dates_outside_the_supported_years_are_refused(
    runner: CliRunner, tmp_path: Path, as_of: str, command: str
) -> None:
    scheme = _extending(tmp_path, f"[dates]\nas_of = {as_of}\nage_on = 1999-01-01\n")
    args = ["scheme", "validate", scheme] if command == "validate" else [command, APPLICANT]
    if command != "validate":
        args += ["-s", scheme]
    assert_error(run(runner, *args), ExitCode.SCHEME, "round.toml", "dates.as_of", "1900..2200")


def test_a_date_literal_in_a_measure_is_bounded_too(runner: CliRunner, tmp_path: Path) -> None:
    scheme = _variant(tmp_path, "start = 2018-01-01", "start = 1018-01-01")
    result = run(runner, "scheme", "validate", scheme)
    assert_error(result, ExitCode.SCHEME, "variant.toml", "measures.", ".start", "1900..2200")


def test_huge_points_are_refused_with_their_key(runner: CliRunner, tmp_path: Path) -> None:
    scheme = _variant(tmp_path, "points = 3, per = 12", "points = 3000000000000000, per = 12")
    assert_error(
        run(runner, "scheme", "validate", scheme),
        ExitCode.SCHEME,
        "indicators[employment].rule.points",
        "±1,000,000",
    )


def test_an_amount_beyond_the_limit_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    scheme = _variant(tmp_path, "cap = 12\n", "cap = 10000000000000\n")
    assert_error(
        run(runner, "scheme", "validate", scheme),
        ExitCode.SCHEME,
        "indicators[area].cap",
        "±1,000,000,000,000",
    )


def test_a_scheme_that_could_overflow_the_batch_engine_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Each number is within its limit, but an unbounded int field times 1,000,000 points in
    units of 1/600 point leaves 64-bit integers: `rank` would wrap silently."""
    scheme = tmp_path / "overflow.toml"
    scheme.write_text(
        BASE.read_text(encoding="utf-8")
        + '\n[fields.amount]\ntype = "int"\nlabel = "amount"\n\n[[indicators]]\nid = "amount"\n'
        'label = "amount"\nsource = "bjsim#x"\nmeasure = "amount"\n'
        'rule = { kind = "per_unit", points = 1000000 }\n',
        encoding="utf-8",
    )
    assert_error(
        run(runner, "scheme", "validate", scheme),
        ExitCode.SCHEME,
        "overflow.toml",
        "indicators[amount]",
        "64-bit",
        "'min' and 'max'",
    )
    bounded = tmp_path / "bounded.toml"  # the same line with a bounded field is fine
    bounded.write_text(
        scheme.read_text(encoding="utf-8").replace(
            'label = "amount"\n\n', 'label = "a"\nmin = 0\nmax = 9\n'
        )
    )
    assert run(runner, "scheme", "validate", bounded).exit_code == 0


def test_a_number_of_thousands_of_digits_is_a_scheme_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    long = _variant(tmp_path, "quota = 6000", "quota = 1" + "0" * 5000, "long.toml")
    assert_error(
        run(runner, "scheme", "validate", long),
        ExitCode.SCHEME,
        "long.toml",
        "quota",
        "5001 digits",
    )
    shorter = _variant(tmp_path, "quota = 6000", "quota = 1" + "0" * 4000, "shorter.toml")
    assert_error(
        run(runner, "score", APPLICANT, "-s", shorter),
        ExitCode.SCHEME,
        "shorter.toml",
        "selection.quota",
    )


@pytest.mark.parametrize("depth", [40, 3000])
def test_deeply_nested_arrays_are_a_scheme_error(
    runner: CliRunner, tmp_path: Path, depth: int
) -> None:
    scheme = tmp_path / "deep.toml"
    scheme.write_text(
        BASE.read_text(encoding="utf-8") + "\n[total]\nx = " + "[" * depth + "]" * depth + "\n"
    )
    assert_error(
        run(runner, "scheme", "validate", scheme), ExitCode.SCHEME, "deep.toml", "nested too deep"
    )


def test_a_missing_base_names_the_scheme_and_the_key(runner: CliRunner, tmp_path: Path) -> None:
    scheme = tmp_path / "child.toml"
    scheme.write_text('[scheme]\nextends = "missing.toml"\n')
    assert_error(
        run(runner, "scheme", "validate", scheme),
        ExitCode.SCHEME,
        "child.toml",
        "scheme.extends",
        "missing.toml",
        "no such scheme file",
    )


def test_a_cycle_of_extends_names_the_chain(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[scheme]\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('[scheme]\nextends = "a.toml"\n')
    assert_error(
        run(runner, "scheme", "validate", tmp_path / "a.toml"),
        ExitCode.SCHEME,
        "scheme.extends",
        "a.toml → b.toml → a.toml",
    )


def test_a_byte_order_mark_is_accepted(runner: CliRunner, tmp_path: Path) -> None:
    scheme = tmp_path / "bom.toml"
    scheme.write_bytes(b"\xef\xbb\xbf" + BASE.read_bytes())
    result = run(runner, "score", APPLICANT, "-s", scheme)
    assert result.exit_code == 0, result.stderr
    plain = run(runner, "score", APPLICANT, "-s", BASE)
    assert result.stdout.replace(str(scheme), "") == plain.stdout.replace(str(BASE), "")


def test_a_negative_cap_is_a_check_error(runner: CliRunner, tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    assert text.count("cap = 12\n") == 2  # the area line and the innovation group
    scheme = tmp_path / "negative.toml"
    scheme.write_text(text.replace("cap = 12\n", "cap = -12\n"), encoding="utf-8")
    result = run(runner, "scheme", "check", scheme, "--json")
    assert result.exit_code == ExitCode.CHECK_FAILED, result.stderr
    findings = json.loads(result.stdout)[0]["findings"]
    negative = [(f["severity"], f["key"]) for f in findings if f["code"] == "negative-cap"]
    assert negative == [("error", "indicators[area].cap"), ("error", "groups[innovation].cap")]


def test_a_negative_cap_by_field_is_a_check_error(runner: CliRunner, tmp_path: Path) -> None:
    scheme = _variant(
        tmp_path,
        "cap = 12\n",
        'cap = { field = "education", values = { doctor = -1 }, default = 3 }\n',
    )
    result = run(runner, "scheme", "check", scheme, "--json")
    assert result.exit_code == ExitCode.CHECK_FAILED, result.stderr
    codes = {(f["code"], f["key"]) for f in json.loads(result.stdout)[0]["findings"]}
    assert ("negative-cap", "indicators[area].cap") in codes


def test_a_threshold_in_quota_mode_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """Quota mode ranks by total and applies no threshold: one given there was accepted, shown
    by `scheme show` and in `rank`'s summary ("at or above the threshold 200") and ignored."""
    scheme = _variant(tmp_path, "quota = 6000\n", "quota = 6000\nthreshold = 200\n")
    assert_error(
        run(runner, "scheme", "validate", scheme),
        ExitCode.SCHEME,
        "variant.toml",
        "selection",
        "'threshold' is not used by mode 'quota'",
    )
