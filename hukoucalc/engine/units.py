"""Exact points as integers: a scheme-wide unit of 1/D point, and what a denominator needs
to be written as a decimal (the value and its text: :mod:`hukoucalc.engine.points`)."""

from __future__ import annotations

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
