"""Golden scenarios: one JSON file per worked example, run through the real scorer.

Each file in ``tests/scenarios/`` holds::

    {
      "scheme": "beijing-2018",            bundled name or path relative to the repo
      "title": "...", "source": "reference §8.1 row 1",
      "applicant": { ... },                the applicant record, as in an applicant file
      "expected": {
        "indicators": {"employment": "51", ...},   points per indicator id (omitted = not checked)
        "groups": {"innovation": "4"},             optional
        "total": "122.59",
        "eligible": true,                          optional
        "gates": {"social_insurance": false},      optional
        "floored": false, "target": {...}          optional (see tests/expect.py)
        "capped": {"housing": false}               optional: whether a cap or floor bit
      }
    }

A person who knows the policy can add a case without writing Python.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hukoucalc.applicant import validate_applicant
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scorecard import score_record

from .expect import check_card
from .invoke import TODAY

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "scenarios").rglob("*.json"))


def _scheme_ref(ref: str) -> str:
    return str(ROOT / ref) if ref.endswith(".toml") else ref


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT / "tests")) for p in CASES])
def test_scenario(path: Path) -> None:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    loaded = load_scheme(_scheme_ref(case["scheme"]))
    record = validate_applicant(loaded.scheme, case["applicant"], where=str(path), today=TODAY)
    card = score_record(loaded, record, applicant=path.name)
    check_card(loaded, record, card, case["expected"], path.name)


def test_there_are_scenarios() -> None:
    assert len(CASES) >= 10
