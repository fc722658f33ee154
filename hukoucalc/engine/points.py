"""Points as a value: integer units of ``1/unit`` point, exact until they are written.

The evaluator counts points in integer units of a scheme-wide ``1/unit`` point. A
:class:`Points` keeps that pair through the core; the models hold the exact :class:`Decimal`
it gives, and text is made at the edge by one function, :func:`decimal_text`, whose rounding
is stated: exact (the value must have a finite decimal expansion, else it asserts), or to a
number of places rounded half away from zero (``ROUND_HALF_UP``). The ambient decimal context
(precision, half-even rounding) is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import PlainSerializer

from hukoucalc.engine.units import places_of, terminates

Number = Fraction | Decimal | int


def exact_decimal(value: Number, places: int | None = None) -> Decimal:
    """``value`` as a :class:`Decimal`, computed with integers only.

    ``places=None``: exact, with no trailing zeros after the point (``value`` must terminate).
    ``places=n``: exactly ``n`` decimals, rounded half away from zero (``ROUND_HALF_UP``).
    Never negative zero."""
    if places is None and isinstance(value, Decimal):
        return _stripped(value)
    exact = Fraction(value)
    num, den = exact.numerator, exact.denominator
    if places is None:
        assert terminates(den), f"{exact} has no finite decimal expansion"
        places = places_of(den)
        digits = abs(num) * 10**places // den  # exact: den divides 10**places
        while places and digits % 10 == 0:
            digits //= 10
            places -= 1
    else:
        whole, rest = divmod(abs(num) * 10**places, den)
        digits = whole + (1 if 2 * rest >= den else 0)  # ROUND_HALF_UP: ties away from zero
    sign = 1 if num < 0 and digits else 0
    return Decimal((sign, tuple(int(d) for d in str(digits)), -places))


def _stripped(value: Decimal) -> Decimal:
    """A finite Decimal without trailing zeros after the point, read off its digits (the fast
    path of :func:`exact_decimal` for the scheme's own numbers; ``normalize`` would round)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), f"{value} is not a finite number"
    if not any(digits):
        return Decimal(0)
    if exponent > 0:
        return Decimal((sign, digits + (0,) * exponent, 0))
    kept = len(digits)
    while exponent < 0 and digits[kept - 1] == 0:
        kept -= 1
        exponent += 1
    return Decimal((sign, digits[:kept], exponent))


def decimal_text(value: Number, places: int | None = None) -> str:
    """The one way points become text: plain notation (never an exponent), exact when
    ``places`` is None (trailing zeros dropped), else ``places`` decimals rounded half away
    from zero (``ROUND_HALF_UP``); see :func:`exact_decimal`."""
    return plain(exact_decimal(value, places))


def plain(value: Decimal) -> str:
    """A Decimal as it is held, in plain notation: the digits it keeps, no exponent."""
    return f"{value:f}"


Exact = Annotated[Decimal, PlainSerializer(plain, return_type=str, when_used="always")]
"""A model field of points: an exact Decimal, dumped (JSON or Python) as the decimal string it
holds, so a dump stays plain data and the documents keep their exact decimal strings."""


@dataclass(frozen=True, eq=False)
class Points:
    """``units / unit`` points, exact: the evaluator's integer result with its unit."""

    units: int
    unit: int

    def fraction(self) -> Fraction:
        return Fraction(self.units, self.unit)

    def decimal(self, places: int | None = None) -> Decimal:
        """Exact (``places=None``), or to ``places`` rounded half up: :func:`exact_decimal`."""
        return exact_decimal(self.fraction(), places)

    def text(self, places: int | None = None) -> str:
        """The points as text: :func:`decimal_text`."""
        return decimal_text(self.fraction(), places)

    def _same(self, other: Points) -> int:
        assert self.unit == other.unit, f"points in units 1/{self.unit} and 1/{other.unit}"
        return other.units

    def __add__(self, other: Points) -> Points:
        return Points(self.units + self._same(other), self.unit)

    def __sub__(self, other: Points) -> Points:
        return Points(self.units - self._same(other), self.unit)

    def __neg__(self) -> Points:
        return Points(-self.units, self.unit)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Points):
            return NotImplemented
        return self.fraction() == other.fraction()

    def __hash__(self) -> int:
        return hash(self.fraction())

    def __lt__(self, other: Points) -> bool:
        return self.fraction() < other.fraction()

    def __le__(self, other: Points) -> bool:
        return self.fraction() <= other.fraction()

    def __gt__(self, other: Points) -> bool:
        return self.fraction() > other.fraction()

    def __ge__(self, other: Points) -> bool:
        return self.fraction() >= other.fraction()


def fraction_text(value: Fraction) -> str:
    """``value`` as exact text: a decimal when it has one, else a fraction ``p/q``."""
    if terminates(value.denominator):
        return decimal_text(value)
    return f"{value.numerator}/{value.denominator}"


def exact_text(units: int, unit: int) -> str:
    """``units / unit`` as exact text: :func:`fraction_text`."""
    return fraction_text(Fraction(units, unit))


ExactFraction = Annotated[
    Fraction, PlainSerializer(fraction_text, return_type=str, when_used="always")
]
"""A model field of points that may have no decimal (a part before its line is rounded):
an exact Fraction, dumped as :func:`fraction_text` ("2.5", or "10/3")."""
