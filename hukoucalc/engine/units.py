"""Exact points as integers: a scheme-wide unit of 1/D point, and conversions to Decimal."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from math import lcm

MAX_DENOMINATOR = 10**9


def frac(value: Decimal | int) -> Fraction:
    return Fraction(value)


def denominator(value: Fraction | Decimal | int) -> int:
    return Fraction(value).denominator


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


def common_unit(dens: list[int]) -> int:
    return lcm(1, *dens)


def to_units(value: Decimal | int | Fraction, unit: int) -> int:
    """``value`` in units of 1/unit; it must be an exact multiple."""
    scaled = Fraction(value) * unit
    if scaled.denominator != 1:
        raise ValueError(f"{value} is not a multiple of 1/{unit}")
    return scaled.numerator


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
