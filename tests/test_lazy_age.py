"""An age on an optional date field is read lazily: an applicant who leaves the date out is
refused only where the age decides something (issue 11, 7.3). tests/data/lazy-age/lazy-age.toml:
the spouse's age counts in a line for married applicants, in a part for a registered spouse, and
in a gate ``any [not married, spouse under 60]``; the applicant's own age in a line that always
applies. Scalar (score), batch (rank) and the interval check (the scheme loads) agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hukoucalc.applicant import validate_applicant
from hukoucalc.engine.points import plain
from hukoucalc.errors import ApplicantError
from hukoucalc.ranking import rank_file
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scorecard import score_record

from .invoke import TODAY

DATA = Path(__file__).parent / "data" / "lazy-age"
LOADED = load_scheme(str(DATA / "lazy-age.toml"))
NEEDED = "needed for age: give it, or a valid ID number"


def _score(**applicant: Any) -> tuple[str, bool]:
    record = validate_applicant(LOADED.scheme, applicant, where="a.json", today=TODAY)
    card = score_record(LOADED, record, applicant="a.json")
    return plain(card.total), bool(card.eligible)


def test_an_age_in_a_line_that_does_not_apply_is_not_asked_for() -> None:
    # born 1990-01-01: 33 on 2023-01-01 -> 20; not married: the spouse line and the gate's
    # second item decide nothing; no registered spouse: the part does not count. 20.
    assert _score(birth_date="1990-01-01") == ("20", True)


def test_with_the_date_the_lines_count() -> None:
    # spouse born 1990-06-01: 32 on 2023-01-01 -> 5 (below 40); gate: 32 < 60. 20 + 5 = 25.
    assert _score(birth_date="1990-01-01", married=True, spouse_birth_date="1990-06-01") == (
        "25",
        True,
    )


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"married": True}, "spouse_birth_date"),  # the line applies (and the gate asks it)
        ({"spouse_registered": True}, "spouse_birth_date"),  # the part counts
        ({"birth_date": None}, "birth_date"),  # the age line always applies
    ],
)
def test_an_age_that_decides_is_still_asked_for(applicant: dict[str, Any], field: str) -> None:
    given = {"birth_date": "1990-01-01"} | applicant
    given = {k: v for k, v in given.items() if v is not None}
    with pytest.raises(ApplicantError, match=f"field '{field}' .*: {NEEDED}"):
        validate_applicant(LOADED.scheme, given, where="a.json", today=TODAY)


def test_the_gate_asks_only_where_its_other_item_does_not_decide() -> None:
    """``any [not married, spouse under 60]``: a married applicant's spouse age decides the
    gate; make the spouse line not apply by a scheme without it, and the gate alone asks."""
    from hukoucalc.engine.compile import compile_scheme  # noqa: PLC0415
    from hukoucalc.engine.scalar import missing_ages  # noqa: PLC0415

    scheme = LOADED.scheme.model_copy(
        update={"indicators": [i for i in LOADED.scheme.indicators if i.id == "age"]}
    )
    compiled = compile_scheme(scheme, origin="t")
    born = {"birth_date": None}
    assert missing_ages(compiled, born | {"married": False, "spouse_birth_date": None}) == [
        "birth_date"
    ]
    assert missing_ages(compiled, born | {"married": True, "spouse_birth_date": None}) == [
        "birth_date",
        "spouse_birth_date",
    ]


def test_the_batch_refuses_the_same_rows() -> None:
    result = rank_file(DATA / "batch.csv", LOADED, today=TODAY)
    errors = sorted(
        (r["row"], r["column"], r["reason"]) for r in result.errors.iter_rows(named=True)
    )
    # data rows are numbered from 2 (the header is row 1)
    assert errors == [
        (3, "spouse_birth_date", NEEDED),
        (4, "spouse_birth_date", NEEDED),
        (6, "birth_date", NEEDED),
    ]
    ranked = {r["name"]: r["total"] for r in result.ranked.iter_rows(named=True)}
    assert {k: str(v) for k, v in ranked.items()} == {"single": "20", "married-with-date": "25"}
