"""The one way points become text (``engine/points.py``), against Decimal's own ROUND_HALF_UP.

The reference divides in a context wide enough to be exact for the drawn values, then quantizes
half up; ``decimal_text`` uses integers only and never the ambient context.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hukoucalc.engine.points import Points, decimal_text, exact_decimal, exact_text
from hukoucalc.engine.scalar import round_fraction
from hukoucalc.engine.units import terminates

UNITS = st.integers(min_value=-(10**12), max_value=10**12)
UNIT = st.sampled_from([1, 2, 4, 5, 8, 10, 20, 25, 40, 100, 200, 1000, 3, 6, 7, 12, 30, 365])
PLACES = st.integers(min_value=0, max_value=6)


def reference(value: Fraction, places: int) -> str:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{abs(shown) if shown == 0 else shown:f}"  # no "-0.00"


@given(UNITS, UNIT, PLACES)
def test_text_to_places_is_decimal_half_up(units: int, unit: int, places: int) -> None:
    assert Points(units, unit).text(places) == reference(Fraction(units, unit), places)


@given(st.integers(min_value=-(10**9), max_value=10**9), PLACES, st.booleans())
def test_ties_round_away_from_zero(whole: int, places: int, negative: bool) -> None:
    # x.xx5: exactly half a step past a value with ``places`` decimals
    value = Fraction(2 * whole + 1, 2 * 10**places) * (-1 if negative else 1)
    text = decimal_text(value, places)
    assert text == reference(value, places)
    step = Fraction(1, 10**places)
    assert abs(Fraction(Decimal(text))) == abs(value) + step / 2  # away from zero


@given(UNITS, UNIT, PLACES)
def test_agrees_with_the_evaluators_rounding(units: int, unit: int, places: int) -> None:
    value = Fraction(units, unit)
    assert Fraction(exact_decimal(value, places)) == round_fraction(value, places, "half_up")


@given(UNITS, UNIT)
def test_exact_text_is_exact_and_plain(units: int, unit: int) -> None:
    value = Fraction(units, unit)
    if not terminates(value.denominator):
        with pytest.raises(AssertionError):
            decimal_text(value)
        assert exact_text(units, unit) == f"{value.numerator}/{value.denominator}"
        return
    text = decimal_text(value)
    assert Fraction(Decimal(text)) == value
    assert "E" not in text and "e" not in text and text != "-0"
    assert "." not in text or not text.endswith("0")
    assert exact_text(units, unit) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("2.50"), None, "2.5"),
        (Decimal("1E+2"), None, "100"),
        (Decimal("0.000"), None, "0"),
        (Fraction(-1, 1000), 2, "0.00"),
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(5, 1000), 2, "0.01"),
        (Fraction(25, 10), 0, "3"),
        (Fraction(-25, 10), 0, "-3"),
        (Decimal("5"), 2, "5.00"),
        (Fraction(10, 3), 2, "3.33"),
    ],
)
def test_examples(value: Decimal | Fraction, places: int | None, text: str) -> None:
    assert decimal_text(value, places) == text


def test_points_compare_and_add_exactly() -> None:
    assert Points(1, 2) == Points(50, 100)
    assert Points(1, 3) < Points(34, 100)
    assert Points(150, 100) + Points(25, 100) == Points(175, 100)
    assert -Points(3, 4) - Points(1, 4) == Points(-1, 1)
    with pytest.raises(AssertionError):
        _ = Points(1, 2) + Points(1, 3)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_a_decimal_is_written_exactly_as_its_fraction(value: Decimal) -> None:
    assert decimal_text(value) == decimal_text(Fraction(value))
    assert exact_decimal(value).as_tuple() == exact_decimal(Fraction(value)).as_tuple()
