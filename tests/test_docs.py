"""The scheme-language reference (``docs/schemes.md``) is built on tested files.

Every construct is shown by a scheme in ``docs/examples/<construct>.toml`` with worked cases in
``docs/examples/<construct>.cases.json``: a JSON list of::

    {
      "title": "...",
      "applicant": { ... },                  the applicant record, as in an applicant file
      "expected": { ... }                    as the scenarios' (its keys: tests/expect.py)
    }

or, for a record the scheme must refuse, ``{"title", "applicant", "rejected": "<text of the
error>"}``. The tests here check that every example scheme loads, that every case scores as
its ``expected`` says, and that every ```toml block of the reference is copied verbatim from an
example file, so the reference cannot drift from what is tested.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hukoucalc.applicant import validate_applicant
from hukoucalc.errors import ApplicantError
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scorecard import score_record

from .expect import check_card
from .invoke import TODAY

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
SCHEMES = sorted(EXAMPLES.glob("*.toml"))
CASE_FILES = sorted(EXAMPLES.glob("*.cases.json"))


def _cases() -> list[tuple[Path, int, dict[str, Any]]]:
    out = []
    for path in CASE_FILES:
        cases = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        assert isinstance(cases, list) and cases, f"{path.name}: a non-empty JSON list expected"
        out += [(path, n, case) for n, case in enumerate(cases)]
    return out


CASES = _cases()


def _scheme_of(cases_path: Path) -> Path:
    return cases_path.with_name(cases_path.name.removesuffix(".cases.json") + ".toml")


@pytest.mark.parametrize("path", SCHEMES, ids=[p.name for p in SCHEMES])
def test_example_scheme_loads(path: Path) -> None:
    loaded = load_scheme(str(path))
    assert loaded.scheme.indicators


@pytest.mark.parametrize("path", SCHEMES, ids=[p.name for p in SCHEMES])
def test_example_scheme_has_cases(path: Path) -> None:
    assert path.with_name(path.stem + ".cases.json").is_file(), f"{path.name} has no cases"


@pytest.mark.parametrize(
    ("path", "n", "case"),
    CASES,
    ids=[f"{p.name.removesuffix('.cases.json')}[{n}]" for p, n, _ in CASES],
)
def test_example_case(path: Path, n: int, case: dict[str, Any]) -> None:
    assert set(case) in ({"title", "applicant", "expected"}, {"title", "applicant", "rejected"})
    loaded = load_scheme(str(_scheme_of(path)))
    where = f"{path.name}[{n}] {case['title']}"
    if "rejected" in case:
        with pytest.raises(ApplicantError, match=re.escape(case["rejected"])):
            validate_applicant(loaded.scheme, case["applicant"], where=where, today=TODAY)
        return
    record = validate_applicant(loaded.scheme, case["applicant"], where=where, today=TODAY)
    card = score_record(loaded, record, applicant=where)
    check_card(loaded, record, card, case["expected"], where)


def _toml_blocks(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^```toml\n(.*?)^```", text, re.M | re.S)]


def test_reference_snippets_come_from_tested_files() -> None:
    text = (DOCS / "schemes.md").read_text(encoding="utf-8")
    sources = {p.name: p.read_text(encoding="utf-8") for p in SCHEMES}
    blocks = _toml_blocks(text)
    assert len(blocks) >= 20
    for block in blocks:
        snippet = block.strip()
        assert snippet, "an empty ```toml block"
        assert any(snippet in source for source in sources.values()), (
            f"this ```toml block of docs/schemes.md is in no docs/examples/*.toml file:\n{snippet}"
        )


def test_reference_shows_every_example() -> None:
    """Each example file is named in the reference, so none is tested but left unexplained."""
    text = (DOCS / "schemes.md").read_text(encoding="utf-8")
    for path in SCHEMES:
        assert f"examples/{path.name}" in text, f"docs/schemes.md never mentions {path.name}"


def test_there_are_examples() -> None:
    assert len(SCHEMES) >= 12
    assert len(CASES) >= 2 * len(SCHEMES)
