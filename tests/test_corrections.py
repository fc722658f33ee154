"""Corrections from the official texts that a scenario file cannot state (an applicant refused
outright): reference §3.2 "2015 corrections". The scored ones are golden scenarios in
tests/scenarios/ (guangzhou-2015/36-*, guangzhou-2016/32-*, 37-*, shanghai-2015/24-*, 25-*)."""

from __future__ import annotations

import pytest

from hukoucalc.applicant import validate_applicant
from hukoucalc.errors import ApplicantError
from hukoucalc.scheme.load import load_scheme

from .invoke import TODAY

APPLICANT = {
    "id_number": "440106198701010917",
    "residence_permit": True,
    "residence": "lodging",
    "employment": "contract",
    "social_insurance": "2011-08..2015-08",
    "education": "bachelor",
}


def test_lodging_is_no_legal_residence_in_2015() -> None:
    """The 2014 办法 §14 lists four kinds; 借住 first appears in the 2016 细则 §3."""
    scheme = load_scheme("guangzhou-2015").scheme
    assert "lodging" not in (scheme.fields["residence"].values or {})
    with pytest.raises(ApplicantError, match="'lodging' is not one of"):
        validate_applicant(scheme, APPLICANT, where="a.json", today=TODAY)


def test_lodging_is_a_legal_residence_in_2016() -> None:
    scheme = load_scheme("guangzhou-2016").scheme
    values = scheme.fields["residence"].values or {}
    assert list(values)[-1] == "lodging"
    record = validate_applicant(scheme, APPLICANT, where="a.json", today=TODAY)
    assert record["residence"] == "lodging"


def test_the_2015_service_window_is_the_five_calendar_years_before_the_round() -> None:
    """2010-01-01..2014-12-31 in 2015; 2016 keeps the last 5 natural years up to its as_of."""
    s2015 = load_scheme("guangzhou-2015").scheme
    assert (s2015.dates["as_of"].isoformat(), s2015.dates["service_end"].isoformat()) == (
        "2015-08-31",
        "2014-12-31",
    )
    assert s2015.measures["donation_count"].end == "service_end"  # type: ignore[union-attr]
    s2016 = load_scheme("guangzhou-2016").scheme
    assert s2016.measures["donation_count"].end == "as_of"  # type: ignore[union-attr]
    assert s2016.measures["volunteer_count"].end == "as_of"  # type: ignore[union-attr]
