"""Beijing's rounds 2018-2027 as bundled schemes: a bare ``beijing`` names the latest round,
``score`` uses it by default, ``scheme list`` shows each round's dates and cut-off, and each
round's published series of cut-offs is as reference §1.6 gives it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from hukoucalc.scheme.load import DEFAULT_SCHEME, latest_round, load_scheme, resolve

from .invoke import flat, run

ROUNDS = range(2018, 2028)
PUBLISHED = {
    2018: ("90.75", 6019, "V-DATA"),
    2019: ("93.58", 6007, "V-3P"),
    2020: ("97.13", 6032, "V-DATA"),
    2021: ("100.88", 6045, "V-DATA"),
    2022: ("105.42", 6006, "V-DATA"),
    2023: ("109.92", None, "V-3P"),
    2024: ("114.46", None, "V-3P"),
    2025: ("117.33", None, "V-3P"),
    2026: ("119.92", 6003, "V-3P"),
}


def test_a_bare_city_names_its_latest_round() -> None:
    assert DEFAULT_SCHEME == "beijing"
    assert latest_round("beijing") == "beijing-2027"
    assert resolve("beijing").name == "beijing-2027.toml"
    assert load_scheme("beijing").id == "beijing-2027"
    assert latest_round("nowhere") is None


@pytest.mark.parametrize("year", ROUNDS)
def test_each_round_has_its_dates(year: int) -> None:
    scheme = load_scheme(f"beijing-{year}").scheme
    assert scheme.scheme.year == year
    assert scheme.dates["as_of"] == dt.date(year - 1, 12, 31)
    assert scheme.dates["age_on"] == dt.date(year - 1, 1, 1)


@pytest.mark.parametrize("year", [y for y in ROUNDS if y not in (2018, 2020)])
def test_each_round_lists_the_published_cutoffs_up_to_it(year: int) -> None:
    cutoffs = load_scheme(f"beijing-{year}").scheme.cutoffs
    assert [c.year for c in cutoffs] == list(range(2018, min(year, 2026) + 1))
    for c in cutoffs:
        score, admitted, tag = PUBLISHED[c.year]
        assert (c.score, c.admitted, c.tag) == (Decimal(score), admitted, tag)
    disputed = [c for c in cutoffs if c.note and "DISPUTED" in c.note]
    assert [c.year for c in disputed] == ([2025] if year >= 2025 else [])


def test_the_2019_round_keeps_the_trial_rules() -> None:
    trial, round_2019 = load_scheme("beijing-2018").scheme, load_scheme("beijing-2019").scheme
    assert round_2019.indicators == trial.indicators
    assert round_2019.gates == trial.gates
    assert round_2019.dates["window_open"] == dt.date(2019, 4, 16)


def test_score_with_a_bare_beijing_uses_the_coming_round(runner: CliRunner) -> None:
    args = ("score", "examples/applicant-beijing-2020.json", "-s", "beijing", "--json")
    doc = json.loads(run(runner, *args).stdout)
    assert doc["scheme"]["id"] == "beijing-2027"


def test_scheme_list_shows_round_dates_and_cutoff(runner: CliRunner) -> None:
    listed = {s["id"]: s for s in json.loads(run(runner, "scheme", "list", "--json").stdout)}
    assert listed["beijing-2026"]["as_of"] == "2025-12-31"
    assert listed["beijing-2026"]["cutoff"] == {"year": 2026, "score": "119.92", "tag": "V-3P"}
    assert listed["beijing-2027"]["cutoff"] is None
    assert listed["beijing-2027"]["latest_of"] == "beijing"
    assert listed["beijing-2026"]["latest_of"] is None
    out = flat(run(runner, "scheme", "list").stdout)
    assert "beijing = beijing-2027 (the latest round)" in out
    assert "beijing-2021 2021 2020-12-31 2020-01-01 100.88 V-DATA 6,045" in out
    assert "beijing-2027 2027 2026-12-31 2026-01-01 —" in out
