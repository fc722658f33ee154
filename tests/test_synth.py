"""``hukoucalc synth``: deterministic synthetic pools that validate and exercise every field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from hukoucalc.batch.synth import synthesise
from hukoucalc.cli import app
from hukoucalc.errors import ExitCode
from hukoucalc.idnumber import validate
from hukoucalc.scheme.load import bundled_names, load_scheme

from .invoke import TODAY, assert_error, run

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = sorted(bundled_names())


def synth(runner: CliRunner, out: Path, *args: str) -> Path:
    result = run(runner, "synth", *args, "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == ""  # the message goes to stderr
    assert str(out) in " ".join(result.stderr.split())
    return out


def rank(runner: CliRunner, *args: str | Path) -> dict[str, Any]:
    result = run(runner, "rank", *args, "--json")
    assert result.exit_code in (ExitCode.OK, ExitCode.NOTHING_RANKED), result.stderr
    return json.loads(result.stdout)


def read_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- determinism ----------------------------------------------------------------------------------


def test_same_seed_same_file_different_seed_different_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    a = synth(runner, tmp_path / "a.csv", "-s", "beijing-2018", "--n", "200", "--seed", "5")
    b = synth(runner, tmp_path / "b.csv", "-s", "beijing-2018", "--n", "200", "--seed", "5")
    c = synth(runner, tmp_path / "c.csv", "-s", "beijing-2018", "--n", "200", "--seed", "6")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert len(read_rows(a)) == len(read_rows(c)) == 200
    d = synth(
        runner, tmp_path / "d.csv", "-s", "beijing-2018", "--n", "200", "--seed", "5", "--dirty"
    )
    e = synth(
        runner, tmp_path / "e.csv", "-s", "beijing-2018", "--n", "200", "--seed", "5", "--dirty"
    )
    assert d.read_bytes() == e.read_bytes()
    assert d.read_bytes() != a.read_bytes()


def test_the_default_seed_is_fixed(runner: CliRunner, tmp_path: Path) -> None:
    a = synth(runner, tmp_path / "a.csv", "-s", "template", "--n", "30")
    b = synth(runner, tmp_path / "b.csv", "-s", "template", "--n", "30", "--seed", "0")
    assert a.read_bytes() == b.read_bytes()


# -- the pool validates and exercises every field -------------------------------------------------


@pytest.fixture(scope="module")
def pools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Per bundled scheme: a clean 500-applicant pool and its ranked list."""
    runner = CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
    folder = tmp_path_factory.mktemp("pools")
    made = {}
    for name in SCHEMES:
        pool, out = folder / f"{name}.csv", folder / f"{name}-ranked.csv"
        result = runner.invoke(app, ["synth", "-s", name, "--n", "500", "-o", str(pool)])
        assert result.exit_code == ExitCode.OK, result.stderr
        result = runner.invoke(app, ["rank", str(pool), "-s", name, "-o", str(out), "--json"])
        assert result.exit_code == ExitCode.OK, result.stderr
        made[name] = (pool, out)
    return made


@pytest.mark.parametrize("name", SCHEMES)
def test_a_clean_pool_has_no_invalid_rows(
    runner: CliRunner, pools: dict[str, tuple[Path, Path]], name: str
) -> None:
    pool, _ = pools[name]
    summary = rank(runner, pool, "-s", name)
    assert (summary["rows"], summary["invalid"]) == (500, 0)
    if load_scheme(name).scheme.gates:
        assert 0 < summary["eligible"] < 500  # some pass the gates, some do not
    else:
        assert summary["eligible"] == 500  # no gates (wuhan, hangzhou-2023: eligibility unknown)
    assert summary["admitted"] > 0


@pytest.mark.parametrize("name", SCHEMES)
def test_a_pool_fills_every_column_of_the_scheme(
    pools: dict[str, tuple[Path, Path]], name: str
) -> None:
    pool, _ = pools[name]
    rows = read_rows(pool)
    fields = list(load_scheme(name).scheme.fields)
    assert list(rows[0]) == fields  # the template's header, in order
    empty = [f for f in fields if not any(r[f].strip() for r in rows)]
    assert empty == []
    numbers = [r["id_number"] for r in rows]
    assert len(set(numbers)) == len(numbers)  # a clean pool has no duplicate applications


@pytest.mark.parametrize("name", SCHEMES)
def test_a_pool_scores_on_every_indicator_and_fails_every_gate(
    pools: dict[str, tuple[Path, Path]], name: str
) -> None:
    _, out = pools[name]
    scheme = load_scheme(name).scheme
    rows = read_rows(out)
    lines = [i.id for i in scheme.indicators] + [g.id for g in scheme.groups]
    silent = [line for line in lines if all(float(r[line]) == 0 for r in rows)]
    assert silent == []
    reasons = "；".join(r["reason"] for r in rows)
    assert [g.reason for g in scheme.gates if g.reason not in reasons] == []
    varied = {r["total"] for r in rows if r["eligible"] == "true"}
    assert len(varied) > 40  # a two-line scheme (hangzhou-2023) gives about 50


def test_id_numbers_are_unique_in_a_large_clean_pool() -> None:
    """40,000 applicants share ~200k (area, birthday, sex) of 500 sequence numbers each: drawn
    at random, some ten pairs collide; a clean pool has none (duplicates are --dirty's)."""
    frame = synthesise([load_scheme("beijing-2020").scheme], 40_000, seed=1)
    numbers = frame["id_number"]
    assert numbers.n_unique() == 40_000
    assert all(validate(number, today=TODAY) == number for number in numbers.sample(2_000, seed=1))


def test_a_pool_for_two_rounds_is_current_for_the_later_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Periods run to the latest scheme's as_of (an earlier round counts to its own)."""
    args = ["-s", "beijing-2018", "-s", "beijing-2020", "--n", "300", "--seed", "4"]
    pool = synth(runner, tmp_path / "two.csv", *args)
    result = run(runner, "compare", pool, "-s", "beijing-2018", "-s", "beijing-2020", "--json")
    eligible = {s["id"]: s["eligible"] for s in json.loads(result.stdout)["schemes"]}
    assert min(eligible.values()) > 100, eligible  # was 0 under beijing-2020


def test_several_schemes_give_the_union_of_their_fields(runner: CliRunner, tmp_path: Path) -> None:
    args = ["-s", "beijing-2018", "-s", "template", "-s", "beijing-2020", "--n", "40"]
    out = synth(runner, tmp_path / "u.csv", *args)
    header = list(read_rows(out)[0])
    union: list[str] = []
    for name in ("beijing-2018", "template", "beijing-2020"):
        union += [f for f in load_scheme(name).scheme.fields if f not in union]
    assert sorted(header) == sorted(union)
    assert header[:2] == ["id_number", "name"]
    assert len(header) == len(set(header))
    for only in ("innovation_award", "registration", "study"):  # one scheme's own fields
        assert only in header


def test_a_scheme_given_twice_is_the_same_pool(runner: CliRunner, tmp_path: Path) -> None:
    once = synth(runner, tmp_path / "a.csv", "-s", "template", "--n", "25", "--seed", "3")
    args = ["-s", "template", "-s", "schemes/template.toml", "--n", "25", "--seed", "3"]
    twice = synth(runner, tmp_path / "b.csv", *args)
    assert once.read_bytes() == twice.read_bytes()


def test_a_pool_for_a_scheme_without_id_numbers(runner: CliRunner, tmp_path: Path) -> None:
    scheme = "docs/examples/selection-keys.toml"
    pool = synth(runner, tmp_path / "k.csv", "-s", scheme, "--n", "120", "--seed", "1")
    summary = rank(runner, pool, "-s", scheme)
    assert (summary["rows"], summary["invalid"]) == (120, 0)
    dirty = synth(runner, tmp_path / "d.csv", "-s", scheme, "--n", "120", "--dirty")
    assert rank(runner, dirty, "-s", scheme)["invalid"] > 0


# -- --dirty --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMES)
def test_dirty_pools_have_bad_rows_and_a_duplicate_id_number(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    pool = synth(runner, tmp_path / "d.csv", "-s", name, "--n", "150", "--seed", "2", "--dirty")
    bad = tmp_path / "bad.csv"
    summary = rank(runner, pool, "-s", name, "--errors", bad)
    assert summary["rows"] == 150
    assert 0 < summary["invalid"] < 150  # a few bad rows, the others still ranked
    assert summary["eligible"] + summary["ineligible"] == 150 - summary["invalid"]
    errors = read_rows(bad)
    duplicates = [e for e in errors if e["reason"].startswith("duplicate ID number")]
    assert len(duplicates) >= 2  # every row sharing the number
    kinds = {e["column"] for e in errors}
    fields = load_scheme(name).scheme.fields
    typed = {f for f, spec in fields.items() if spec.type in ("date", "enum", "bool", "periods")}
    assert typed & kinds, kinds  # not only duplicates: broken cells of several kinds
    breakable = [f for f, spec in fields.items() if spec.type not in ("text", "id_number")]
    assert len(kinds) >= min(4, len(breakable) + 1)  # each breakable field, and id_number
    if "id_number" in fields:
        assert any("check character should be" in e["reason"] for e in errors)


def test_dirty_small_pools_are_dirty_too(runner: CliRunner, tmp_path: Path) -> None:
    pool = synth(runner, tmp_path / "d.csv", "-s", "beijing-2018", "--n", "5", "--dirty")
    assert rank(runner, pool, "-s", "beijing-2018")["invalid"] > 0


# -- bad arguments --------------------------------------------------------------------------------


def test_unknown_scheme(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "synth", "-s", "nowhere-2030", "--n", "5", "-o", tmp_path / "x.csv")
    assert_error(result, ExitCode.SCHEME, "nowhere-2030")
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_folder_is_refused_before_drawing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the output should have been refused before the pool was drawn")

    monkeypatch.setattr("hukoucalc.batch.synth.synthesise", no_work)
    target = tmp_path / "missing" / "pool.csv"
    result = run(runner, "synth", "-s", "beijing-2018", "--n", "5", "-o", target)
    assert_error(result, ExitCode.OUTPUT, "pool.csv", "--output: the folder does not exist")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["-s", "beijing-2018", "--n", "0"],
        ["-s", "beijing-2018", "--n", "many"],
        ["-s", "beijing-2018", "--n", "100000000000"],  # was a 745 GiB allocation, exit 70
        ["-s", "beijing-2018"],  # --n is required
        ["--n", "5"],  # --scheme is required
    ],
)
def test_usage_errors(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = run(runner, "synth", *args, "-o", tmp_path / "x.csv")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_negative_seed_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(
        runner, "synth", "-s", "beijing-2018", "--n", "5", "--seed", "-1", "-o", tmp_path / "x.csv"
    )
    assert result.exit_code in (ExitCode.OK, ExitCode.USAGE), result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("name", ["pool.txt", "pool.xls", "pool"])
def test_a_name_of_no_known_format_is_refused(runner: CliRunner, tmp_path: Path, name: str) -> None:
    """synth writes the format its file's suffix names: any other suffix is a usage error."""
    result = run(runner, "synth", "-s", "beijing-2018", "--n", "5", "-o", tmp_path / name)
    assert_error(result, ExitCode.USAGE, "--output", f"'{name}'", ".csv, .jsonl, .parquet, .xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".xlsx"])
def test_synth_writes_the_format_of_its_suffix(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    run(runner, "synth", "-s", "beijing-2018", "--n", "5", "-o", tmp_path / "pool.csv")
    expected = pl.read_csv(tmp_path / "pool.csv", infer_schema=False)
    out = tmp_path / f"pool{suffix}"
    result = run(runner, "synth", "-s", "beijing-2018", "--n", "5", "-o", out)
    assert result.exit_code == 0, result.stderr
    if suffix == ".jsonl":
        got = pl.read_ndjson(out, infer_schema_length=None)
    elif suffix == ".parquet":
        got = pl.read_parquet(out)
    else:
        rows = list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True))
        got = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    assert got.columns == expected.columns
    assert got.cast(pl.String).fill_null("").rows() == expected.fill_null("").rows()
