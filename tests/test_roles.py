"""A scheme may call its fields anything: renaming every field of a bundled scheme changes the
column names of what ``rank`` writes and nothing else (scores, ranks, duplicate reports, the
order of the list, byte for byte); ``score`` gives the same card.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from hukoucalc.applicant import validate_applicant
from hukoucalc.batch.synth import synthesise
from hukoucalc.errors import ExitCode, SchemeError
from hukoucalc.planning import make_plan
from hukoucalc.roles import Roles, roles
from hukoucalc.scheme.checks import problems
from hukoucalc.scheme.dump import dump_scheme
from hukoucalc.scheme.load import load_scheme, scheme_from_data
from hukoucalc.scheme.model import Scheme
from hukoucalc.scorecard import score_record

from .invoke import TODAY, run

ROOT = Path(__file__).resolve().parent.parent
# keys whose values never name a field: prose, enum codes, types, the ids of lines and groups
NOT_FIELDS = {"label", "source", "note", "help", "reason", "title", "values", "type", "id", "group"}


def renamed_data(scheme: Scheme, new: dict[str, str]) -> dict[str, Any]:
    """The scheme's data with each field renamed: its key under ``fields`` and every value that
    names it (a measure's ``of``, a condition's ``field``, an age's ``birth``, ...)."""

    def walk(value: Any, key: str | None = None) -> Any:
        if key in NOT_FIELDS:
            return value
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            return new.get(value, value)
        return value

    data = scheme.model_dump(mode="python", by_alias=True, exclude_none=True)
    data = {k: (v if k == "scheme" else walk(v, k)) for k, v in data.items()}
    data["fields"] = {new.get(name, name): spec for name, spec in data["fields"].items()}
    return data


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """beijing-2018 as written (dumped) and with every field renamed, as TOML files."""
    folder = tmp_path_factory.mktemp("renamed")
    scheme = load_scheme("beijing-2018").scheme
    new = {name: f"f{k}_{name[::-1]}" for k, name in enumerate(scheme.fields)}
    data = renamed_data(scheme, new)
    renamed = scheme_from_data(data, origin="renamed").scheme
    assert problems(renamed) == []
    original, other = folder / "original.toml", folder / "renamed.toml"
    original.write_text(dump_scheme(scheme), encoding="utf-8")
    other.write_text(dump_scheme(renamed), encoding="utf-8")
    return original, other, new


def test_the_roles_follow_the_fields_not_their_names(
    pair: tuple[Path, Path, dict[str, str]],
) -> None:
    original, other, new = pair
    before = roles(load_scheme(str(original)).scheme)
    after = roles(load_scheme(str(other)).scheme)
    assert before == Roles("id_number", "name", "birth_date", "sex")
    assert after == Roles(*(new[n] for n in ("id_number", "name", "birth_date", "sex")))


def test_renaming_every_field_changes_only_the_column_names_of_the_ranked_list(
    runner: CliRunner, tmp_path: Path, pair: tuple[Path, Path, dict[str, str]]
) -> None:
    original, other, new = pair
    pool = synthesise([load_scheme("beijing-2018").scheme], 600, seed=7, dirty=True)
    # rows without an ID number are ordered by name, then by content; two alike named
    no_id = (pl.int_range(pl.len()) % 7 == 3) & (pl.int_range(pl.len()) > 10)
    pool = pool.with_columns(
        pl.when(no_id).then(pl.lit("")).otherwise(pl.col("id_number")).alias("id_number"),
        pl.when(pl.int_range(pl.len()) % 50 == 1)
        .then(pl.lit("张三"))
        .otherwise(pl.col("name"))
        .alias("name"),
    )
    pools = {original: tmp_path / "a.csv", other: tmp_path / "b.csv"}
    pool.write_csv(pools[original])
    pool.rename(new).write_csv(pools[other])
    written: dict[Path, tuple[bytes, bytes, dict[str, Any]]] = {}
    for scheme, path in pools.items():
        out, bad = tmp_path / f"{path.stem}-ranked.csv", tmp_path / f"{path.stem}-bad.csv"
        result = run(runner, "rank", path, "-s", scheme, "-o", out, "--errors", bad, "--json")
        assert result.exit_code == ExitCode.OK, result.stderr
        written[scheme] = (out.read_bytes(), bad.read_bytes(), json.loads(result.stdout))
    ranked, bad, summary = written[original]
    ranked2, bad2, summary2 = written[other]
    header, _, body = ranked.partition(b"\n")
    header2, _, body2 = ranked2.partition(b"\n")
    assert b"id_number,name," in header  # published: the ID number and the name
    published = f"{new['id_number']},{new['name']},".encode()
    assert header2 == header.replace(b"id_number,name,", published)
    assert body2 == body  # the same scores, ranks and order, byte for byte
    errors, errors2 = (sorted(csv.reader(io.StringIO(b.decode()))) for b in (bad, bad2))
    renamed = [[row, new.get(column, column), *rest] for row, column, *rest in errors]
    assert sorted(renamed) == errors2  # the same bad cells (in a row: by column name)
    assert any("duplicate ID number" in reason for *_, reason in errors)
    for key in ("rows", "invalid", "eligible", "admitted", "cutoff", "histogram"):
        assert summary2[key] == summary[key]
    assert summary["invalid"] > 0 and summary["admitted"] > 0


def test_renaming_every_field_gives_the_same_scorecard(
    pair: tuple[Path, Path, dict[str, str]],
) -> None:
    original, other, new = pair
    example = json.loads((ROOT / "examples" / "applicant.json").read_text("utf-8"))
    record = {k: v for k, v in example.items() if k not in ("scheme", "comment")}
    cards = []
    for scheme, data in ((original, record), (other, {new[k]: v for k, v in record.items()})):
        loaded = load_scheme(str(scheme))
        applicant = validate_applicant(loaded.scheme, data, where="x", today=TODAY)
        cards.append(score_record(loaded, applicant, applicant="x"))
    assert cards[0].total == cards[1].total
    assert cards[0].eligible and cards[1].eligible
    points = [[i.points for i in card.indicators] for card in cards]
    assert points[0] == points[1]


def test_a_declared_role_names_the_field_that_plays_it() -> None:
    """guangzhou-2015 computes no age: a renamed birth date is found by its declared role."""
    scheme = load_scheme("guangzhou-2015").scheme
    data = renamed_data(scheme, {n: ("born" if n == "birth_date" else n) for n in scheme.fields})
    assert roles(scheme_from_data(data, origin="x").scheme).birth_date is None
    data["fields"]["born"]["role"] = "birth_date"
    declared = scheme_from_data(data, origin="x").scheme
    assert roles(declared).birth_date == "born"
    assert problems(declared) == []


@pytest.mark.parametrize(
    ("field", "role", "message"),
    [
        ("name", "id_number", "role 'id_number' needs an id_number field"),
        ("education", "sex", "role 'sex' needs an enum with codes male and female"),
        ("name", "name", "role 'name' is already 'nickname''s"),
    ],
)
def test_a_declared_role_fits_its_field_and_is_declared_once(
    field: str, role: str, message: str
) -> None:
    data = renamed_data(load_scheme("beijing-2018").scheme, {})
    data["fields"][field]["role"] = role
    if "already" in message:
        data["fields"] = {"nickname": {"type": "text", "label": "别名", "role": "name"}} | data[
            "fields"
        ]
    with pytest.raises(SchemeError, match=re.escape(f"fields.{field}.role: {message}")):
        scheme_from_data(data, origin="x")


def test_a_plan_never_suggests_another_sex_or_birth_date_whatever_their_names(
    pair: tuple[Path, Path, dict[str, str]],
) -> None:
    original, other, new = pair
    example = json.loads((ROOT / "examples" / "applicant.json").read_text("utf-8"))
    record = {k: v for k, v in example.items() if k not in ("scheme", "comment", "id_number")}
    record |= {"sex": "female", "birth_date": "1966-01-01"}  # 52: past a woman's age limit (50)
    suggested = []
    for scheme, data in ((original, record), (other, {new[k]: v for k, v in record.items()})):
        loaded = load_scheme(str(scheme))
        applicant = validate_applicant(loaded.scheme, data, where="x", today=TODAY)
        plan = make_plan(loaded, applicant, applicant="x")
        suggested.append([(s.field, s.after, s.gain) for s in plan.suggestions])
    assert suggested[0], "a plan with no suggestion tests nothing"
    assert [(new[f], after, gain) for f, after, gain in suggested[0]] == suggested[1]
    assert not {f for f, _, _ in suggested[1]} & {new["sex"], new["birth_date"]}
