"""``per_year`` on an events measure needs a bounded window (``start`` or ``last_years``)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hukoucalc.errors import SchemeError
from hukoucalc.scheme.load import scheme_from_data

EVENTS = Path(__file__).resolve().parent.parent / "docs" / "examples" / "events.toml"


def test_per_year_without_a_window_is_refused_with_its_key() -> None:
    data = tomllib.loads(EVENTS.read_text(encoding="utf-8"))
    del data["measures"]["donation_count"]["last_years"]
    with pytest.raises(SchemeError) as caught:
        scheme_from_data(data, origin="events.toml")
    assert "measures.donation_count" in str(caught.value)
    assert "'per_year' needs a bounded window" in str(caught.value)


def test_per_year_with_a_start_date_loads() -> None:
    data = tomllib.loads(EVENTS.read_text(encoding="utf-8"))
    del data["measures"]["donation_count"]["last_years"]
    data["measures"]["donation_count"]["start"] = "in_force"
    assert scheme_from_data(data, origin="events.toml").scheme.measures["donation_count"]
