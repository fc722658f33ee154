"""The evaluator's exact comparisons and rounding, against Python's exact fractions.

A quantity is an integer ``q`` in units of ``1/scale``; a scheme's constant is a decimal. The
evaluator compares them with one integer on the right (``compare_const``): rounding that
integer the wrong way (ceil for floor) only shows when the constant is not a whole number of the
quantity's units and ``q`` sits right beside it, so the draws aim there. The scenario cases in
``tests/scenarios/edges/`` pin the same bounds through whole schemes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from math import floor

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hukoucalc.batch.columns import ColumnOps
from hukoucalc.engine import points, units
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.evaluate import Evaluator
from hukoucalc.engine.ops import Compare
from hukoucalc.engine.scalar import ScalarOps
from hukoucalc.scheme.load import load_scheme

OPERATORS: dict[Compare, Callable[[Fraction, Fraction], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
COMPILED = compile_scheme(load_scheme("beijing-2018").scheme)
EVALUATOR = Evaluator(COMPILED, ScalarOps({}))

constants = st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)
scales = st.sampled_from([1, 2, 10, 12, 100, 1000])


@settings(max_examples=300, deadline=None)
@given(const=constants, scale=scales, op=st.sampled_from(sorted(OPERATORS)), data=st.data())
def test_compare_const_is_the_exact_comparison(
    const: Decimal, scale: int, op: Compare, data: st.DataObject
) -> None:
    """``q / scale  op  const`` as Fraction says, for every operator, mostly right at the bound."""
    at = floor(Fraction(const) * scale)
    q = data.draw(st.one_of(st.integers(at - 2, at + 2), st.integers(-(10**7), 10**7)), label="q")
    expected = OPERATORS[op](Fraction(q, scale), Fraction(const))
    assert EVALUATOR.compare_const(q, scale, op, const) is expected


@settings(max_examples=100, deadline=None)
@given(const=constants, scale=scales, op=st.sampled_from(sorted(OPERATORS)))
def test_compare_const_of_a_batch_is_the_exact_comparison(
    const: Decimal, scale: int, op: Compare
) -> None:
    """The batch backend (polars columns) gives the same answers, row by row."""
    at = floor(Fraction(const) * scale)
    values = [*range(at - 2, at + 3), -(10**7), 10**7]
    ops = ColumnOps(pl.DataFrame({"q": values}), {})
    evaluator = Evaluator(COMPILED, ops)
    test = evaluator.compare_const(pl.col("q"), scale, op, const)
    got = pl.DataFrame({"q": values}).with_columns(test.alias("got"))["got"]  # a literal broadcast
    expected = [OPERATORS[op](Fraction(q, scale), Fraction(const)) for q in values]
    assert got.to_list() == expected


@pytest.mark.parametrize(
    ("q", "scale", "op", "const", "expected"),
    [
        (2, 1, ">=", "2.5", False),  # an integer count against a fractional bound
        (3, 1, ">=", "2.5", True),
        (2, 1, ">", "2.5", False),
        (3, 1, ">", "2.5", True),
        (2, 1, "<=", "2.5", True),
        (3, 1, "<=", "2.5", False),
        (2, 1, "<", "2.5", True),
        (3, 1, "<", "2.5", False),
        (-3, 1, ">=", "-2.5", False),  # negative: ceil(-2.5) is -2, floor is -3
        (-2, 1, ">=", "-2.5", True),
        (-3, 1, "<=", "-2.5", True),
        (-2, 1, "<=", "-2.5", False),
        (249, 100, ">=", "2.495", False),  # a 2-place decimal against a 3-place constant
        (250, 100, ">=", "2.495", True),
        (249, 100, ">", "2.495", False),
        (250, 100, "<", "2.495", False),
        (3, 1, "==", "3", True),
        (3, 1, "==", "3.0", True),
        (2, 1, "==", "2.5", False),
        (3, 1, "==", "2.5", False),
    ],
)
def test_compare_const_at_the_bound(
    q: int, scale: int, op: Compare, const: str, expected: bool
) -> None:
    assert EVALUATOR.compare_const(q, scale, op, Decimal(const)) is expected


@pytest.mark.parametrize(
    ("den", "places", "text"),
    [
        (1, 0, "1"),
        (2, 1, "0.5"),
        (4, 2, "0.25"),
        (5, 1, "0.2"),
        (8, 3, "0.125"),
        (20, 2, "0.05"),
        (25, 2, "0.04"),
        (40, 3, "0.025"),
        (3, None, "1/3"),
        (12, None, "1/12"),
        (15, None, "1/15"),
    ],
)
def test_a_denominator_and_the_places_its_fractions_need(
    den: int, places: int | None, text: str
) -> None:
    """1/4 needs 2 places, 1/40 needs 3; 1/12 has no finite decimal form."""
    assert units.terminates(den) is (places is not None)
    if places is not None:
        assert units.places_of(den) == places
    assert points.exact_text(1, den) == text
