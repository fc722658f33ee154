"""Schemes that once passed validation and then crashed `score` (exit 70), pinned as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hukoucalc.engine.points import fraction_text
from hukoucalc.errors import SchemeError
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scoring import score_file

from .invoke import TODAY

DATA = Path(__file__).resolve().parent / "data" / "regress"


def total(scheme: str, applicant: str) -> tuple[str, list[list[str]]]:
    [card] = score_file(DATA / applicant, [str(DATA / scheme)], today=TODAY)
    return f"{card.total:f}", [[fraction_text(p.points) for p in i.parts] for i in card.indicators]


@pytest.mark.parametrize(
    ("scheme", "applicant", "expected"),
    [
        ("measure-cap-fraction.toml", "si12.json", "2.5"),  # 12 months capped at 2.5
        ("measure-cap-fraction.toml", "si10.json", "2.5"),
        ("measure-cap-decimal-measure.toml", "limit.json", "6"),  # cap from a decimal field
        ("floor-when.toml", "empty.json", "0"),  # a line that does not apply scores 0, no floor
    ],
)
def test_scores_instead_of_crashing(scheme: str, applicant: str, expected: str) -> None:
    assert total(scheme, applicant)[0] == expected


def test_an_unrounded_part_is_shown_as_an_exact_fraction() -> None:
    # 10 months at 1 point per 3 months, rounded only as a whole indicator
    assert total("part-json.toml", "si10.json") == ("3.33", [["10/3"]])
    json.dumps(
        score_file(DATA / "si10.json", [str(DATA / "part-json.toml")], today=TODAY)[0].model_dump()
    )


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ("decimal-default-places.toml", "default 0.5 has more than 0 decimal places"),
        ("measure-date-test.toml", "on_or_after/before test a date field, not a measure"),
    ],
)
def test_refused_when_loaded(scheme: str, message: str) -> None:
    with pytest.raises(SchemeError, match=message):
        load_scheme(str(DATA / scheme))
