"""Issue 11, point 7: the sex the ID number fixes is taken from it, in ``score`` and ``rank``
alike, so a by-field bound on it (beijing-2018's retirement age: men 60, women 50) reads the
applicant's, never the table's default 0; a record where it is neither given nor derivable is
refused, naming the field."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hukoucalc.applicant import looked_up, validate_applicant
from hukoucalc.errors import ApplicantError, ExitCode
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scorecard import score_record

from .invoke import TODAY, assert_error, run

MAN = "110101199003070011"  # born 1990-03-07, 17th digit 1: male
MAN2 = "110101199003070038"  # the same birthday, another man
WOMAN = "11010119900307002X"  # born 1990-03-07, 17th digit 2: female
BORN = "1990-03-07"
ROW = {"residence_permit": "true", "social_insurance": "2011-01..2017-12", "education": "bachelor"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_the_sex_of_a_by_field_bound_is_looked_up_and_may_be_absent() -> None:
    for name in ("beijing-2018", "beijing-2020", "tianjin-2021"):
        assert looked_up(load_scheme(name).scheme) == ("sex",), name


def test_score_takes_the_sex_from_the_id_number() -> None:
    loaded = load_scheme("beijing-2018")
    record = validate_applicant(loaded.scheme, {"id_number": MAN, **ROW}, where="-", today=TODAY)
    assert record["sex"] == "male"
    card = score_record(loaded, record, applicant="-")
    assert card.eligible
    assert Decimal(str(card.total)) == Decimal(56)
    woman = validate_applicant(loaded.scheme, {"id_number": WOMAN, **ROW}, where="-", today=TODAY)
    assert woman["sex"] == "female"


def test_score_refuses_a_bound_it_cannot_decide_naming_the_field() -> None:
    loaded = load_scheme("beijing-2018")
    with pytest.raises(ApplicantError, match=r"field 'sex' \(性别\): needed to look a value up"):
        validate_applicant(loaded.scheme, {"birth_date": BORN, **ROW}, where="-", today=TODAY)


def test_score_cli_names_the_field(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"birth_date": BORN, **ROW}), encoding="utf-8")
    result = run(runner, "score", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.APPLICANT, "field 'sex'", "give it, or a valid ID number")


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["id_number", "birth_date", "sex", *ROW], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_rank_gives_the_same_result_as_score(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id_number": MAN, "birth_date": "", "sex": "", **ROW},  # row 2: male from the ID
        {"id_number": MAN2, "birth_date": "", "sex": "male", **ROW},  # row 3: given
        {"id_number": "", "birth_date": BORN, "sex": "", **ROW},  # row 4: undecidable
        {"id_number": WOMAN, "birth_date": "", "sex": "male", **ROW},  # row 5: disagrees
    ]
    source, out, bad = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "bad.csv"
    source.write_text(_csv(rows), encoding="utf-8")
    result = run(runner, "rank", source, "-s", "beijing-2018", "-o", out, "--errors", bad, "--json")
    assert result.exit_code == ExitCode.OK, (result.stdout, result.stderr)
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["invalid"], summary["eligible"]) == (4, 2, 2)
    assert Decimal(summary["cutoff"]) == Decimal(56)  # both men score 56, as score says
    errors = list(csv.DictReader(io.StringIO(bad.read_bytes().decode("utf-8-sig"))))
    # row 4 has no ID number: a bad row of its own, and its sex cannot be decided either
    assert [(e["row"], e["column"]) for e in errors] == [
        ("4", "id_number"),
        ("4", "sex"),
        ("5", "sex"),
    ]
    assert "the ID number is missing" in errors[0]["reason"]
    assert "give it, or a valid ID number" in errors[1]["reason"]
    assert "disagrees with the ID number" in errors[2]["reason"]
