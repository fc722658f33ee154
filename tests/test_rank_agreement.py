"""``rank`` agrees with ``score``: the batch (polars columns) and the one-applicant path (Pydantic
record, scalar evaluator) give every row the same points, the same eligibility, and reject the
same rows.

Pools come from the Hypothesis applicant strategy and from ``synth``; each applicant is written as
CSV cells (periods 'a..b;c..d', events 'd1;d2', bools 'true'/'false', None as '') for ``rank``,
and scored alone with ``validate_applicant`` + ``score_record``.
"""

from __future__ import annotations

import csv
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukoucalc.applicant import validate_applicant
from hukoucalc.batch.synth import synthesise
from hukoucalc.batch.write import write_atomically
from hukoucalc.cli.outputs import write_rank_outputs as write_results
from hukoucalc.errors import ApplicantError
from hukoucalc.ranking import RankResult, rank_file
from hukoucalc.scheme.load import LoadedScheme, bundled_names, load_scheme
from hukoucalc.scheme.model import Scheme
from hukoucalc.scorecard import Scorecard, score_record

from .invoke import TODAY
from .strategies import applicants, with_id_numbers

SCHEMES = {name: load_scheme(name) for name in sorted(bundled_names())}


def cell(value: Any) -> str:
    """An applicant record's value as the CSV cell a user would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def record(scheme: Scheme, row: dict[str, str]) -> dict[str, Any]:
    """A CSV row back as applicant JSON: empty cells left out, bools and whole numbers typed
    (anything else passed on as text, for the validator to judge)."""
    out: dict[str, Any] = {}
    for name, spec in scheme.fields.items():
        text = (row.get(name) or "").strip()
        if not text:
            continue
        if spec.type == "bool":
            out[name] = {"true": True, "false": False}.get(text, text)
        elif spec.type == "int" and re.fullmatch(r"[+-]?[0-9]+", text):
            out[name] = int(text)
        else:
            out[name] = text
    return out


def rank_rows(
    loaded: LoadedScheme, rows: list[dict[str, str]], folder: Path
) -> tuple[RankResult, dict[str, dict[str, str]]]:
    """Rank the rows (written as CSV); the published list by name, every cell as text."""
    path, out = folder / "pool.csv", folder / "ranked.csv"
    fields = list(loaded.scheme.fields)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows({f: row.get(f, "") for f in fields} for row in rows)
    result = rank_file(path, loaded, today=TODAY)
    write_results(result, out, "csv", None)
    published = pl.read_csv(out, infer_schema=False).fill_null("")
    return result, {r["name"]: r for r in published.iter_rows(named=True)}


def score_alone(loaded: LoadedScheme, data: dict[str, Any]) -> Scorecard:
    checked = validate_applicant(loaded.scheme, data, where="agreement", today=TODAY)
    return score_record(loaded, checked, applicant="agreement")


def assert_same_points(card: Scorecard, line: dict[str, str], what: object) -> None:
    expected = {i.id: Decimal(i.points) for i in card.indicators}
    expected |= {g.id: Decimal(g.points) for g in card.groups}
    expected["total"] = Decimal(card.total)
    got = {key: Decimal(line[key]) for key in expected}
    assert got == expected, what
    assert line["eligible"] == ("true" if card.eligible else "false"), what


# -- Hypothesis pools: valid applicants of every bundled scheme -----------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rank_gives_every_row_the_points_score_gives_it(name: str, data: st.DataObject) -> None:
    loaded = SCHEMES[name]
    pool = data.draw(st.lists(applicants(loaded.scheme), min_size=1, max_size=12), label="pool")
    pool = [{**a, "name": f"a{i:03d}"} for i, a in enumerate(pool)]  # to find each row again
    pool = with_id_numbers(loaded.scheme, pool)  # rank refuses a row without one
    rows = [{k: cell(v) for k, v in a.items()} for a in pool]
    with tempfile.TemporaryDirectory() as folder:
        result, published = rank_rows(loaded, rows, Path(folder))
    assert result.errors.height == 0, result.errors
    assert len(published) == len(pool)
    for applicant in pool:
        assert_same_points(score_alone(loaded, applicant), published[applicant["name"]], applicant)


# -- synthetic pools with dirty rows: the same rows rejected, the rest scored alike ---------------


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_rank_rejects_exactly_the_rows_score_rejects(name: str, tmp_path: Path) -> None:
    loaded = SCHEMES[name]
    pool = tmp_path / "synth.csv"
    write_atomically(synthesise([loaded.scheme], 160, seed=11, dirty=True), pool, "csv")
    rows = list(csv.DictReader(pool.open(encoding="utf-8-sig", newline="")))
    rows = [{**r, "name": f"a{i:03d}"} for i, r in enumerate(rows)]
    result, published = rank_rows(loaded, rows, tmp_path)

    numbers = [r["id_number"].strip().upper() for r in rows]
    shared = {i + 2 for i, n in enumerate(numbers) if n and numbers.count(n) > 1}
    assert shared, "a dirty pool carries a duplicate application"
    rejected, scored = set(), 0
    for i, row in enumerate(rows):
        try:
            card = score_alone(loaded, record(loaded.scheme, row))
        except ApplicantError:
            rejected.add(i + 2)  # spreadsheet row number: the header is row 1
            continue
        if i + 2 not in shared:
            assert_same_points(card, published[row["name"]], row)
            scored += 1
    reported = set(result.errors["row"].to_list())
    assert reported == rejected | shared  # duplicates are a batch matter: score sees one row
    # --dirty breaks one cell of every field that can hold a bad value (text cannot)
    breakable = [s for s in loaded.scheme.fields.values() if s.type not in ("text", "id_number")]
    assert len(rejected) >= min(5, len(breakable))
    assert scored == len(published) == result.summary.eligible + result.summary.ineligible


# -- single cells where the two paths once disagreed ----------------------------------------------

BASE = {"id_number": "310115198101010152", "sex": "male", "residence_permit": "true"}


def verdicts(field: str, text: str, tmp_path: Path) -> tuple[bool, bool]:
    """(rank accepts the row, score accepts the applicant) for one cell in a beijing-2018 row."""
    loaded = SCHEMES["beijing-2018"]
    row = {**BASE, "name": "x", field: text}
    result, _ = rank_rows(loaded, [row], tmp_path)
    try:
        score_alone(loaded, record(loaded.scheme, row))
        alone = True
    except ApplicantError:
        alone = False
    return result.errors.height == 0, alone


@pytest.mark.parametrize(
    ("field", "text", "valid"),
    [
        ("id_number", "31011519870707015x", True),  # lower-case check character
        ("id_number", " 310115198101010152 ", True),
        ("id_number", "310115198101010153", False),  # check character
        ("id_number", "310115198102300152", False),  # 30 February
        ("social_insurance", "2015-01 .. 2016-01", True),
        ("social_insurance", "2015-01..2016-01;", True),
        ("social_insurance", "2015-01..2016-01;2015-06..2017-01", True),  # overlapping: merged
        ("social_insurance", "2016-01..2015-01", False),
        ("social_insurance", "2015-00", False),
        ("birth_date", "1981-01-01", True),
        ("birth_date", "19810101", False),
        ("birth_date", "1981-01-02", False),  # disagrees with the ID number
        ("tax_violations", " 2017-01-01 ; 2017-02-01 ", True),
        ("tax_violations", "2017-1-1", False),
        ("innovation_national_award", "+3", True),
        ("innovation_national_award", "-1", False),  # below the minimum
        ("innovation_national_award", "3.0", False),
        ("education", "Bachelor", False),
        ("sex", "female", False),  # disagrees with the ID number
    ],
)
def test_rank_and_score_judge_a_cell_alike(
    tmp_path: Path, field: str, text: str, valid: bool
) -> None:
    assert verdicts(field, text, tmp_path) == (valid, valid)


@pytest.mark.parametrize("number", ["110105000101011239", "110105170001011233"])
def test_an_impossible_birth_year_in_an_id_number(tmp_path: Path, number: str) -> None:
    assert verdicts("id_number", number, tmp_path) == (False, False)


@pytest.mark.parametrize(
    "text", [";2015-01..2016-01", "2015-01..2015-06;;2016-01", "2015-01\t..2016-01"]
)
def test_period_lists_with_empty_parts(tmp_path: Path, text: str) -> None:
    accepted, alone = verdicts("social_insurance", text, tmp_path)
    assert accepted == alone


def test_an_iso_week_date_is_not_a_date(tmp_path: Path) -> None:
    assert verdicts("birth_date", "1981-W01-4", tmp_path) == (False, False)
