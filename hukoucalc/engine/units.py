"""Exact points as integers: a scheme-wide unit of 1/D point, and conversions to Decimal."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

MAX_DENOMINATOR = 10**9


def terminates(den: int) -> bool:
    """True when 1/den has a finite decimal expansion (den = 2^a * 5^b)."""
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def places_of(den: int) -> int:
    """Digits after the point that 1/den needs (den must terminate)."""
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    return max(twos, fives)


def to_decimal(units: int, unit: int) -> Decimal:
    """The exact decimal value of ``units / unit`` (the unit's denominator must terminate)."""
    with localcontext() as ctx:
        ctx.prec = 60
        value = Decimal(units) / Decimal(unit)
    return value


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """Plain notation, never exponent: ``places`` fixed, or trailing zeros dropped."""
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def exact_text(units: int, unit: int) -> str:
    """``units / unit`` as exact text: a decimal when it has one, else a fraction ``p/q``."""
    value = Fraction(units, unit)
    if terminates(value.denominator):
        return format_decimal(to_decimal(value.numerator, value.denominator))
    return f"{value.numerator}/{value.denominator}"
